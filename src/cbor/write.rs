//! Writing CBOR items into a [`Sink`] in the form the AWS SDK for Java writes them
//! (`spec/cbor.md`): definite lengths, the shortest integer encodings, doubles as 64-bit floats,
//! timestamps as tag 1 + integer epoch milliseconds.

use super::head::{write_head, Major};
use crate::json::sink::{BufferFull, Sink};

/// The tag of an epoch-based date/time (RFC 8949 §3.4.2), which Kinesis fills with
/// *milliseconds* (`spec/cbor.md`).
pub const TAG_EPOCH: u64 = 1;

/// An integer, in the shortest form.
pub fn write_i64<S: Sink + ?Sized>(out: &mut S, v: i64) -> Result<(), BufferFull> {
    match u64::try_from(v) {
        Ok(u) => write_head(out, Major::Unsigned, u),
        // -1 - n = v  ⇔  n = !v (two's complement), in 0..2^63.
        Err(_) => write_head(out, Major::Negative, (!v).unsigned_abs()),
    }
}

/// An unsigned integer, in the shortest form.
pub fn write_u64<S: Sink + ?Sized>(out: &mut S, v: u64) -> Result<(), BufferFull> {
    write_head(out, Major::Unsigned, v)
}

/// A double (major type 7, additional information 27), as the Java SDK writes every `double`.
pub fn write_f64<S: Sink + ?Sized>(out: &mut S, v: f64) -> Result<(), BufferFull> {
    out.extend(&[0xfb])?;
    out.extend(&v.to_bits().to_be_bytes())
}

/// `false` or `true`.
pub fn write_bool<S: Sink + ?Sized>(out: &mut S, v: bool) -> Result<(), BufferFull> {
    out.extend(&[if v { 0xf5 } else { 0xf4 }])
}

/// `null`.
pub fn write_null<S: Sink + ?Sized>(out: &mut S) -> Result<(), BufferFull> {
    out.extend(&[0xf6])
}

/// A definite-length text string.
pub fn write_text<S: Sink + ?Sized>(out: &mut S, v: &str) -> Result<(), BufferFull> {
    write_head(out, Major::Text, len64(v.len()))?;
    out.extend(v.as_bytes())
}

/// A definite-length byte string.
pub fn write_bytes<S: Sink + ?Sized>(out: &mut S, v: &[u8]) -> Result<(), BufferFull> {
    write_head(out, Major::Bytes, len64(v.len()))?;
    out.extend(v)
}

/// The head of a definite-length array of `len` items (the items follow).
pub fn write_array_head<S: Sink + ?Sized>(out: &mut S, len: usize) -> Result<(), BufferFull> {
    write_head(out, Major::Array, len64(len))
}

/// The head of a definite-length map of `len` pairs (the keys and values follow).
pub fn write_map_head<S: Sink + ?Sized>(out: &mut S, len: usize) -> Result<(), BufferFull> {
    write_head(out, Major::Map, len64(len))
}

/// A tag (the tagged item follows).
pub fn write_tag<S: Sink + ?Sized>(out: &mut S, tag: u64) -> Result<(), BufferFull> {
    write_head(out, Major::Tag, tag)
}

/// A Kinesis timestamp: tag 1 + integer epoch milliseconds (`spec/cbor.md`; RFC 8949 says
/// seconds, the Java SDK and the service use milliseconds).
pub fn write_timestamp_millis<S: Sink + ?Sized>(
    out: &mut S,
    millis: i64,
) -> Result<(), BufferFull> {
    write_tag(out, TAG_EPOCH)?;
    write_i64(out, millis)
}

/// A length as a CBOR argument (`usize` is at most 64 bits on every target Rust supports).
fn len64(len: usize) -> u64 {
    u64::try_from(len).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::sink::SliceBuf;

    fn written(f: impl FnOnce(&mut SliceBuf<'_>) -> Result<(), BufferFull>) -> ([u8; 16], usize) {
        let mut buf = [0u8; 16];
        let mut out = SliceBuf::new(&mut buf);
        f(&mut out).unwrap();
        let n = out.written().len();
        (buf, n)
    }

    /// RFC 8949 Appendix A, the integer rows.
    #[test]
    fn integers_take_the_shortest_form() {
        let cases: &[(i64, &[u8])] = &[
            (0, &[0x00]),
            (23, &[0x17]),
            (24, &[0x18, 0x18]),
            (100, &[0x18, 0x64]),
            (1000, &[0x19, 0x03, 0xe8]),
            (1_000_000, &[0x1a, 0x00, 0x0f, 0x42, 0x40]),
            (
                1_000_000_000_000,
                &[0x1b, 0, 0, 0, 0xe8, 0xd4, 0xa5, 0x10, 0x00],
            ),
            (-1, &[0x20]),
            (-10, &[0x29]),
            (-100, &[0x38, 0x63]),
            (-1000, &[0x39, 0x03, 0xe7]),
            (
                i64::MIN,
                &[0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            ),
        ];
        for &(v, want) in cases {
            let (buf, n) = written(|o| write_i64(o, v));
            assert_eq!(&buf[..n], want, "{v}");
        }
    }

    #[test]
    fn a_timestamp_is_tag_1_and_milliseconds() {
        let (buf, n) = written(|o| write_timestamp_millis(o, 1_441_215_410_867));
        assert_eq!(
            &buf[..n],
            &[0xc1, 0x1b, 0, 0, 0x01, 0x4f, 0x8f, 0x21, 0xf2, 0xb3]
        );
    }
}
