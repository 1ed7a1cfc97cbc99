//! `arbitrary::Arbitrary` for headers and messages, so fuzz targets (ours and other
//! projects') can generate frames the encoder accepts and the default decoder takes back.
//!
//! *Requires feature* `arbitrary`.

use arbitrary::{Arbitrary, Result, Unstructured};

use super::header::{MAX_NAME_LEN, MAX_VALUE_LEN};
use super::{Header, HeaderValue};

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn truncate_str(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        // 0 is a boundary, so this stops there at the latest.
        end = end.saturating_sub(1);
    }
    s.get(..end).unwrap_or_default()
}

fn bounded_str<'a>(u: &mut Unstructured<'a>, max: usize) -> Result<&'a str> {
    Ok(truncate_str(<&'a str>::arbitrary(u)?, max))
}

fn bounded_bytes<'a>(u: &mut Unstructured<'a>, max: usize) -> Result<&'a [u8]> {
    let b = <&'a [u8]>::arbitrary(u)?;
    Ok(b.get(..b.len().min(max)).unwrap_or_default())
}

/// Any of the ten types; strings and byte arrays at most 32,767 bytes.
impl<'a> Arbitrary<'a> for HeaderValue<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0u8..=9)? {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => HeaderValue::Byte(u.arbitrary()?),
            3 => HeaderValue::Int16(u.arbitrary()?),
            4 => HeaderValue::Int32(u.arbitrary()?),
            5 => HeaderValue::Int64(u.arbitrary()?),
            6 => HeaderValue::ByteArray(bounded_bytes(u, MAX_VALUE_LEN)?),
            7 => HeaderValue::String(bounded_str(u, MAX_VALUE_LEN)?),
            8 => HeaderValue::Timestamp(u.arbitrary()?),
            _ => HeaderValue::Uuid(u.arbitrary()?),
        })
    }
}

/// A name of at most 255 bytes (possibly empty) and any value.
impl<'a> Arbitrary<'a> for Header<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(Header {
            name: bounded_str(u, MAX_NAME_LEN)?,
            value: u.arbitrary()?,
        })
    }
}

/// Headers whose block fits the default 128 KiB limit, and a payload within the default
/// 24 MiB: every generated message encodes, and decodes with the default options.
#[cfg(feature = "alloc")]
impl<'a> Arbitrary<'a> for super::Message<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut headers = alloc::vec::Vec::new();
        let mut block = 0usize;
        let count = u.arbitrary_len::<Header<'a>>()?;
        for _ in 0..count {
            let h = Header::arbitrary(u)?;
            block = block.saturating_add(h.encoded_len());
            if block > super::DEFAULT_MAX_HEADERS_LEN as usize {
                break;
            }
            headers.push(h);
        }
        let payload = bounded_bytes(u, super::DEFAULT_MAX_PAYLOAD_LEN as usize)?;
        Ok(super::Message { headers, payload })
    }
}
