//! Headers that own their bytes, for keeping them past the buffer a frame was decoded from or
//! building them from parsed input; borrowed back as [`Header`] / [`HeaderValue`] to encode.

use alloc::string::String;
use alloc::vec::Vec;

use super::header::{Header, HeaderValue};

/// A [`HeaderValue`] that owns its bytes.
///
/// ```
/// use kinesis_codec::eventstream::{HeaderValue, OwnedHeaderValue};
///
/// let owned = OwnedHeaderValue::from(HeaderValue::String("SubscribeToShardEvent"));
/// assert_eq!(owned, OwnedHeaderValue::String("SubscribeToShardEvent".into()));
/// assert_eq!(owned.as_value(), HeaderValue::String("SubscribeToShardEvent"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OwnedHeaderValue {
    /// Types 0 (true) and 1 (false).
    Bool(bool),
    /// Type 2: a signed byte.
    Byte(i8),
    /// Type 3: an i16.
    Int16(i16),
    /// Type 4: an i32.
    Int32(i32),
    /// Type 5: an i64.
    Int64(i64),
    /// Type 6: bytes.
    ByteArray(Vec<u8>),
    /// Type 7: a UTF-8 string.
    String(String),
    /// Type 8: milliseconds since the Unix epoch.
    Timestamp(i64),
    /// Type 9: 16 raw bytes.
    Uuid([u8; 16]),
}

impl OwnedHeaderValue {
    /// The value borrowed, as the encoder takes it.
    #[inline]
    pub fn as_value(&self) -> HeaderValue<'_> {
        match self {
            Self::Bool(v) => HeaderValue::Bool(*v),
            Self::Byte(v) => HeaderValue::Byte(*v),
            Self::Int16(v) => HeaderValue::Int16(*v),
            Self::Int32(v) => HeaderValue::Int32(*v),
            Self::Int64(v) => HeaderValue::Int64(*v),
            Self::ByteArray(v) => HeaderValue::ByteArray(v),
            Self::String(v) => HeaderValue::String(v),
            Self::Timestamp(v) => HeaderValue::Timestamp(*v),
            Self::Uuid(v) => HeaderValue::Uuid(*v),
        }
    }
}

impl From<HeaderValue<'_>> for OwnedHeaderValue {
    #[inline]
    fn from(value: HeaderValue<'_>) -> Self {
        match value {
            HeaderValue::Bool(v) => Self::Bool(v),
            HeaderValue::Byte(v) => Self::Byte(v),
            HeaderValue::Int16(v) => Self::Int16(v),
            HeaderValue::Int32(v) => Self::Int32(v),
            HeaderValue::Int64(v) => Self::Int64(v),
            HeaderValue::ByteArray(v) => Self::ByteArray(v.into()),
            HeaderValue::String(v) => Self::String(v.into()),
            HeaderValue::Timestamp(v) => Self::Timestamp(v),
            HeaderValue::Uuid(v) => Self::Uuid(v),
        }
    }
}

/// A [`Header`] that owns its name and value.
///
/// ```
/// use kinesis_codec::eventstream::{decode_exact, encode_to_vec, Header, HeaderValue, OwnedHeader};
///
/// let mut frame = Vec::new();
/// encode_to_vec(&[Header::new(":message-type", HeaderValue::String("event"))], b"{}", &mut frame)?;
/// // Kept after the frame's buffer is gone, then encoded again.
/// let kept: Vec<OwnedHeader> = decode_exact(&frame)?.headers().map(OwnedHeader::from).collect();
/// drop(frame);
/// let headers: Vec<Header<'_>> = kept.iter().map(OwnedHeader::as_header).collect();
/// let mut again = Vec::new();
/// encode_to_vec(&headers, b"{}", &mut again)?;
/// assert_eq!(decode_exact(&again)?.header_str(":message-type"), Some("event"));
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OwnedHeader {
    /// The name.
    pub name: String,
    /// The value.
    pub value: OwnedHeaderValue,
}

impl OwnedHeader {
    /// A header from its name and value.
    #[inline]
    pub fn new(name: impl Into<String>, value: OwnedHeaderValue) -> Self {
        OwnedHeader {
            name: name.into(),
            value,
        }
    }

    /// The header borrowed, as the encoder takes it.
    #[inline]
    pub fn as_header(&self) -> Header<'_> {
        Header::new(&self.name, self.value.as_value())
    }
}

impl From<Header<'_>> for OwnedHeader {
    #[inline]
    fn from(header: Header<'_>) -> Self {
        OwnedHeader::new(header.name, header.value.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every type borrows back to the value it was made from.
    #[test]
    fn every_type_round_trips() {
        let values = [
            HeaderValue::Bool(true),
            HeaderValue::Bool(false),
            HeaderValue::Byte(-3),
            HeaderValue::Int16(-300),
            HeaderValue::Int32(70_000),
            HeaderValue::Int64(-5_000_000_000),
            HeaderValue::ByteArray(&[0, 255, 7]),
            HeaderValue::String("é\u{1F600}"),
            HeaderValue::Timestamp(1_700_000_000_123),
            HeaderValue::Uuid([9; 16]),
        ];
        for value in values {
            let owned = OwnedHeaderValue::from(value);
            assert_eq!(owned.as_value(), value);
            assert_eq!(owned.as_value().type_id(), value.type_id());
            let header = OwnedHeader::from(Header::new("n", value));
            assert_eq!(header.as_header(), Header::new("n", value));
        }
    }
}
