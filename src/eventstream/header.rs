//! Headers: the ten value types, borrowed values, and the lazy iterator over a header block.
//!
//! A header on the wire is `name_len u8 | name (UTF-8) | type u8 | value`:
//!
//! | type | value | bytes |
//! |---|---|---|
//! | 0 / 1 | bool true / false | none |
//! | 2 | i8 | 1 |
//! | 3 | i16 | 2 |
//! | 4 | i32 | 4 |
//! | 5 | i64 | 8 |
//! | 6 | byte array | u16 length + bytes |
//! | 7 | string (UTF-8) | u16 length + bytes |
//! | 8 | timestamp, i64 ms since the epoch | 8 |
//! | 9 | UUID | 16 |
//!
//! Decoding validates the whole block once ([`validate_block`]); afterwards [`Headers`] walks
//! it again on demand without allocating and without failing.

use super::short;
use super::well_known::WellKnown;
use super::DecodeError;

/// Longest header name an encoder writes (its length is one byte).
pub const MAX_NAME_LEN: usize = 255;
/// Longest string or byte-array value an encoder writes: 32,767 bytes, as every AWS encoder.
/// Decoding accepts up to 65,535 (the u16 length field's range), as botocore and smithy do.
pub const MAX_VALUE_LEN: usize = 32_767;

/// A header value, borrowed from the frame where it has a variable length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HeaderValue<'a> {
    /// Types 0 (true) and 1 (false): the value is the type id itself.
    Bool(bool),
    /// Type 2: a signed byte.
    Byte(i8),
    /// Type 3: a big-endian i16.
    Int16(i16),
    /// Type 4: a big-endian i32.
    Int32(i32),
    /// Type 5: a big-endian i64.
    Int64(i64),
    /// Type 6: bytes, with a u16 length.
    ByteArray(&'a [u8]),
    /// Type 7: a UTF-8 string, with a u16 length.
    String(&'a str),
    /// Type 8: milliseconds since the Unix epoch, a big-endian i64.
    Timestamp(i64),
    /// Type 9: 16 raw bytes.
    Uuid([u8; 16]),
}

impl<'a> HeaderValue<'a> {
    /// The wire type id, 0..=9 (`Bool(true)` is 0, `Bool(false)` is 1).
    #[inline]
    pub fn type_id(&self) -> u8 {
        match self {
            Self::Bool(true) => 0,
            Self::Bool(false) => 1,
            Self::Byte(_) => 2,
            Self::Int16(_) => 3,
            Self::Int32(_) => 4,
            Self::Int64(_) => 5,
            Self::ByteArray(_) => 6,
            Self::String(_) => 7,
            Self::Timestamp(_) => 8,
            Self::Uuid(_) => 9,
        }
    }

    /// Bytes the value takes on the wire after the type id (length prefix included).
    #[inline]
    pub fn encoded_len(&self) -> usize {
        match self {
            Self::Bool(_) => 0,
            Self::Byte(_) => 1,
            Self::Int16(_) => 2,
            Self::Int32(_) => 4,
            Self::Int64(_) | Self::Timestamp(_) => 8,
            // A slice is at most isize::MAX bytes long: these cannot saturate.
            Self::ByteArray(b) => b.len().saturating_add(2),
            Self::String(s) => s.len().saturating_add(2),
            Self::Uuid(_) => 16,
        }
    }

    /// The string, if this is a string value.
    #[inline]
    pub fn as_str(&self) -> Option<&'a str> {
        match *self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// The bytes of a byte-array value, or of a string value.
    #[inline]
    pub fn as_bytes(&self) -> Option<&'a [u8]> {
        match *self {
            Self::ByteArray(b) => Some(b),
            Self::String(s) => Some(s.as_bytes()),
            _ => None,
        }
    }

    /// The boolean, if this is a bool value.
    #[inline]
    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            Self::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// Any integer value (types 2 to 5) widened to i64.
    #[inline]
    pub fn as_int(&self) -> Option<i64> {
        match *self {
            Self::Byte(v) => Some(v.into()),
            Self::Int16(v) => Some(v.into()),
            Self::Int32(v) => Some(v.into()),
            Self::Int64(v) => Some(v),
            _ => None,
        }
    }

    /// Milliseconds since the epoch, if this is a timestamp value.
    #[inline]
    pub fn as_timestamp_millis(&self) -> Option<i64> {
        match *self {
            Self::Timestamp(v) => Some(v),
            _ => None,
        }
    }

    /// The 16 bytes, if this is a UUID value.
    #[inline]
    pub fn as_uuid(&self) -> Option<[u8; 16]> {
        match *self {
            Self::Uuid(v) => Some(v),
            _ => None,
        }
    }
}

/// One header: a name and a value, both borrowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Header<'a> {
    /// The name (UTF-8, at most 255 bytes; may be empty).
    pub name: &'a str,
    /// The value.
    pub value: HeaderValue<'a>,
}

impl<'a> Header<'a> {
    /// A header from its name and value.
    #[inline]
    pub const fn new(name: &'a str, value: HeaderValue<'a>) -> Self {
        Header { name, value }
    }

    /// Bytes the header takes on the wire: name length, name, type id, value.
    #[inline]
    pub fn encoded_len(&self) -> usize {
        // Saturating: only a value near usize::MAX could reach it, and no slice is that long.
        self.name
            .len()
            .saturating_add(2)
            .saturating_add(self.value.encoded_len())
    }
}

/// A header split into its raw parts, not yet converted.
struct Raw<'a> {
    name: &'a [u8],
    type_id: u8,
    value: &'a [u8],
}

/// Why [`next_raw`] failed; positions are relative to the header's first byte.
enum RawError {
    Truncated,
    UnknownType { type_id: u8, at: usize },
}

/// Value lengths of the fixed-size types, by type id; 6 and 7 (length-prefixed) are not read
/// from here. A table, not a `match`: the walk over a block then has no indirect jump.
const FIXED_LEN: [u8; 10] = [0, 0, 1, 2, 4, 8, 0, 0, 8, 16];

/// Splits the first header off `rest`: the single place that knows the wire layout.
#[inline(always)]
fn next_raw(rest: &[u8]) -> Result<(Raw<'_>, &[u8]), RawError> {
    let (&name_len, rest) = rest.split_first().ok_or(RawError::Truncated)?;
    let (name, rest) = rest
        .split_at_checked(name_len as usize)
        .ok_or(RawError::Truncated)?;
    let (&type_id, rest) = rest.split_first().ok_or(RawError::Truncated)?;
    let (value, rest) = if type_id | 1 == 7 {
        // Types 6 and 7: a u16 length, then the bytes.
        let (len, rest) = rest.split_first_chunk::<2>().ok_or(RawError::Truncated)?;
        rest.split_at_checked(u16::from_be_bytes(*len) as usize)
    } else {
        let Some(&len) = FIXED_LEN.get(type_id as usize) else {
            return Err(RawError::UnknownType {
                type_id,
                // A name is at most 255 bytes: this cannot saturate.
                at: name.len().saturating_add(1),
            });
        };
        rest.split_at_checked(len as usize)
    }
    .ok_or(RawError::Truncated)?;
    Ok((
        Raw {
            name,
            type_id,
            value,
        },
        rest,
    ))
}

/// A string value: one of the well-known set without a UTF-8 pass, any other checked.
#[inline(always)]
fn text_value<'a>(value: &'a [u8], known: &WellKnown) -> Option<&'a str> {
    match known.get(value) {
        Some(text) => Some(text),
        None => core::str::from_utf8(value).ok(),
    }
}

/// Converts a raw value (its length already matches its type) into a [`HeaderValue`].
#[inline(always)]
fn value_of<'a>(type_id: u8, value: &'a [u8], known: &WellKnown) -> Option<HeaderValue<'a>> {
    // Strings first: nearly every header in practice is one.
    if type_id == 7 {
        return text_value(value, known).map(HeaderValue::String);
    }
    Some(match type_id {
        0 => HeaderValue::Bool(true),
        1 => HeaderValue::Bool(false),
        2 => HeaderValue::Byte(i8::from_be_bytes(value.try_into().ok()?)),
        3 => HeaderValue::Int16(i16::from_be_bytes(value.try_into().ok()?)),
        4 => HeaderValue::Int32(i32::from_be_bytes(value.try_into().ok()?)),
        5 => HeaderValue::Int64(i64::from_be_bytes(value.try_into().ok()?)),
        6 => HeaderValue::ByteArray(value),
        8 => HeaderValue::Timestamp(i64::from_be_bytes(value.try_into().ok()?)),
        9 => HeaderValue::Uuid(value.try_into().ok()?),
        _ => return None,
    })
}

/// Whether every byte is below 0x80, a word at a time (header blocks are short, and
/// `<[u8]>::is_ascii` checks the tail after its 64-byte chunks one byte at a time).
#[inline]
fn all_ascii(bytes: &[u8]) -> bool {
    let mut acc = 0u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        acc |= u64::from_ne_bytes(w.try_into().unwrap_or([0x80; 8]));
    }
    for &b in words.remainder() {
        acc |= u64::from(b);
    }
    acc & 0x8080_8080_8080_8080 == 0
}

/// Validates a whole header block in one pass: every header lies inside the block, every type
/// id is known, every name and string value is UTF-8. `base` is the block's offset in the
/// frame, for error offsets. Empty names, empty values and duplicates are accepted.
pub(crate) fn validate_block(block: &[u8], base: usize) -> Result<(), DecodeError> {
    // Typical blocks (names and string values in ASCII, small lengths) are all ASCII: one
    // word-at-a-time pass then stands in for every UTF-8 check.
    let ascii = all_ascii(block);
    let mut rest = block;
    while !rest.is_empty() {
        // `rest` is a suffix of `block`, and offsets are below the frame length: neither
        // operation can saturate.
        let start = base.saturating_add(block.len().saturating_sub(rest.len()));
        match next_raw(rest) {
            Ok((raw, next)) => {
                if !ascii && core::str::from_utf8(raw.name).is_err() {
                    return Err(DecodeError::InvalidHeaderName {
                        offset: start.saturating_add(1),
                    });
                }
                if !ascii && raw.type_id == 7 && core::str::from_utf8(raw.value).is_err() {
                    return Err(DecodeError::InvalidStringValue {
                        offset: start.saturating_add(raw.name.len()).saturating_add(4),
                    });
                }
                rest = next;
            }
            Err(RawError::Truncated) => return Err(DecodeError::HeaderTruncated { offset: start }),
            Err(RawError::UnknownType { type_id, at }) => {
                return Err(DecodeError::UnknownHeaderType {
                    type_id,
                    offset: start.saturating_add(at),
                })
            }
        }
    }
    Ok(())
}

/// The headers of a checked frame, in wire order, decoded one at a time from the borrowed
/// header block. Never fails: the block was validated when the frame was decoded.
#[derive(Clone)]
pub struct Headers<'a> {
    rest: &'a [u8],
    /// String values handed out without a UTF-8 pass (the decoder's
    /// [`DecodeOptions::well_known`](super::DecodeOptions::well_known)).
    known: &'static WellKnown,
}

impl core::fmt::Debug for Headers<'_> {
    /// The bytes not yet iterated over; the well-known set changes no value, so it is left out.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Headers").field("rest", &self.rest).finish()
    }
}

impl<'a> Headers<'a> {
    /// Iterates over a header block that [`validate_block`] accepted, handing out the string
    /// values of `known` without a UTF-8 pass.
    #[inline]
    pub(crate) fn new(block: &'a [u8], known: &'static WellKnown) -> Self {
        Headers { rest: block, known }
    }

    /// The header-block bytes not yet iterated over.
    #[inline]
    pub fn as_bytes(&self) -> &'a [u8] {
        self.rest
    }

    /// The value of the first remaining header called `name`. Names are compared as bytes, so
    /// only the matching header's value is converted.
    #[inline(always)]
    pub fn find_value(mut self, name: &str) -> Option<HeaderValue<'a>> {
        while let Ok((raw, next)) = next_raw(self.rest) {
            self.rest = next;
            if short::eq(raw.name, name.as_bytes()) {
                return value_of(raw.type_id, raw.value, self.known);
            }
        }
        None
    }
}

impl<'a> Iterator for Headers<'a> {
    type Item = Header<'a>;

    #[inline]
    fn next(&mut self) -> Option<Header<'a>> {
        let (raw, next) = next_raw(self.rest).ok()?;
        let header = match (
            core::str::from_utf8(raw.name),
            value_of(raw.type_id, raw.value, self.known),
        ) {
            (Ok(name), Some(value)) => Header { name, value },
            _ => {
                self.rest = &[];
                return None;
            }
        };
        self.rest = next;
        Some(header)
    }
}

impl core::iter::FusedIterator for Headers<'_> {}
