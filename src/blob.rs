//! [`Blob`]: a `blob` member (record `Data`), base64 on the wire.
//!
//! *Requires feature* `alloc`.
//!
//! A blob read from JSON keeps its base64 text, borrowed from the body when the string has no
//! escapes (a JSON encoder may write `/` as `\/`; such a string is unescaped into an owned copy).
//! The text is validated when the body is parsed (standard alphabet, padded, canonical trailing
//! bits), and decoded only when asked: into a caller buffer ([`Blob::decode_into`]) or a `Vec`
//! ([`Blob::to_vec`]). A blob built from raw bytes ([`Blob::from_bytes`]) is written as base64
//! straight into the JSON output, without an intermediate `String`; a blob built from base64 the
//! caller already holds ([`Blob::from_base64`]) is sent as is.
//!
//! ```
//! use kinesis_codec::blob::Blob;
//!
//! let blob = Blob::from_bytes(b"hello");
//! assert_eq!(serde_json::to_string(&blob).unwrap(), r#""aGVsbG8=""#);
//!
//! // A body escaped `/` as `\/`: still valid, decoded on demand.
//! let parsed: Blob<'_> = serde_json::from_str(r#""P\/8=""#).unwrap();
//! assert_eq!(parsed.decoded_len(), 2);
//! let mut buf = [0u8; 2];
//! assert_eq!(parsed.decode_into(&mut buf), Ok(2));
//! assert_eq!(buf, [0x3f, 0xff]);
//! assert_eq!(parsed, Blob::from_bytes(&[0x3f, 0xff]));
//!
//! // Invalid base64 is refused while parsing.
//! assert!(serde_json::from_str::<Blob<'_>>(r#""aGVsbG8""#).is_err());
//! ```

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

/// Base64-encoded binary data: borrowed base64 text, or raw bytes.
#[derive(Clone)]
pub struct Blob<'a> {
    repr: Repr<'a>,
}

#[derive(Clone)]
enum Repr<'a> {
    /// Validated base64 text (so all ASCII), kept as bytes: reading it needs no UTF-8 pass.
    Base64(Cow<'a, [u8]>),
    /// Raw bytes, encoded when serialized.
    Bytes(Cow<'a, [u8]>),
}

/// Why base64 text or a decode request was refused.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlobError {
    /// Padded base64 has a length that is a multiple of 4.
    InvalidLength {
        /// The length of the text.
        len: usize,
    },
    /// A byte outside the standard alphabet (`A-Z a-z 0-9 + /`) and not padding.
    InvalidByte {
        /// Offset in the base64 text.
        offset: usize,
        /// The byte found.
        byte: u8,
    },
    /// `=` somewhere other than the last one or two positions.
    InvalidPadding {
        /// Offset of the misplaced `=`.
        offset: usize,
    },
    /// The last character before the padding has bits set that do not belong to the data
    /// (RFC 4648, section 3.5: such text is not the canonical encoding of any bytes).
    NonCanonical {
        /// Offset of that character.
        offset: usize,
    },
    /// The caller's buffer is too small for the decoded bytes.
    OutputTooSmall {
        /// Bytes needed ([`Blob::decoded_len`]).
        needed: usize,
        /// Bytes available.
        available: usize,
    },
}

impl fmt::Display for BlobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            BlobError::InvalidLength { len } => {
                write!(f, "invalid base64: length {len} is not a multiple of 4")
            }
            BlobError::InvalidByte { offset, byte } => write!(
                f,
                "invalid base64: byte 0x{byte:02x} at offset {offset} is not in the standard alphabet"
            ),
            BlobError::InvalidPadding { offset } => {
                write!(f, "invalid base64: misplaced padding at offset {offset}")
            }
            BlobError::NonCanonical { offset } => write!(
                f,
                "invalid base64: non-zero trailing bits in the character at offset {offset}"
            ),
            BlobError::OutputTooSmall { needed, available } => write!(
                f,
                "output buffer too small: {needed} bytes needed, {available} available"
            ),
        }
    }
}

impl core::error::Error for BlobError {}

/// The value of a standard-alphabet base64 character.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "each arm's byte range bounds its result to 0..64"
)]
fn sextet(byte: u8) -> Option<u8> {
    match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// 1 if `b` is outside the standard base64 alphabet (`=` included), else 0: comparisons only,
/// so that a loop over a slice vectorizes. `b | 0x20` folds the two letter ranges into one
/// (only `A-Z` and `a-z` land in `a-z`).
#[inline(always)]
fn not_base64_byte(b: u8) -> u8 {
    let letter = (b | 0x20).wrapping_sub(b'a') < 26;
    let digit = b.wrapping_sub(b'0') < 10;
    u8::from(!(letter | digit | (b == b'+') | (b == b'/')))
}

/// Whether every byte of `chunk` is in the alphabet, without branching per byte.
#[inline(always)]
fn all_base64(chunk: &[u8]) -> bool {
    let mut bad = 0u8;
    for &b in chunk {
        bad |= not_base64_byte(b);
    }
    bad == 0
}

/// Checks padded, standard-alphabet, canonical base64; returns the number of padding bytes.
fn validate(text: &[u8]) -> Result<usize, BlobError> {
    let len = text.len();
    if !len.is_multiple_of(4) {
        return Err(BlobError::InvalidLength { len });
    }
    let padding = match text {
        [.., b'=', b'='] => 2,
        [.., b'='] => 1,
        _ => 0,
    };
    // `len` is a non-zero multiple of 4 here, and `padding` at most 2.
    let data_len = len.saturating_sub(padding);
    let data = text.get(..data_len).unwrap_or_default();
    // Fast path: a branch-free check that the compiler vectorizes; the byte-by-byte loop below
    // runs only to name the first bad byte.
    if !data.chunks(64).all(all_base64) {
        for (offset, &byte) in data.iter().enumerate() {
            if sextet(byte).is_some() {
                continue;
            }
            return Err(if byte == b'=' {
                BlobError::InvalidPadding { offset }
            } else {
                BlobError::InvalidByte { offset, byte }
            });
        }
    }
    if padding > 0 {
        let offset = data_len.saturating_sub(1);
        let last = text.get(offset).copied().and_then(sextet).unwrap_or(0);
        let unused_bits = if padding == 1 { 0b11 } else { 0b1111 };
        if last & unused_bits != 0 {
            return Err(BlobError::NonCanonical { offset });
        }
    }
    Ok(padding)
}

impl<'a> Blob<'a> {
    /// A blob of raw bytes, borrowed; written as base64 when serialized.
    pub fn from_bytes(bytes: &'a [u8]) -> Self {
        Blob {
            repr: Repr::Bytes(Cow::Borrowed(bytes)),
        }
    }

    /// A blob holding base64 text the caller already has; it is validated here and sent as is.
    pub fn from_base64(text: &'a str) -> Result<Self, BlobError> {
        validate(text.as_bytes())?;
        Ok(Blob {
            repr: Repr::Base64(Cow::Borrowed(text.as_bytes())),
        })
    }

    /// A blob owning its raw bytes.
    pub fn from_vec(bytes: Vec<u8>) -> Blob<'static> {
        Blob {
            repr: Repr::Bytes(Cow::Owned(bytes)),
        }
    }

    /// A blob owning base64 text (validated).
    pub fn from_base64_string(text: String) -> Result<Blob<'static>, BlobError> {
        validate(text.as_bytes())?;
        Ok(Blob {
            repr: Repr::Base64(Cow::Owned(text.into_bytes())),
        })
    }

    /// A blob from base64 text in either form (the deserializer's path).
    fn from_base64_cow(text: Cow<'a, [u8]>) -> Result<Self, BlobError> {
        validate(&text)?;
        Ok(Blob {
            repr: Repr::Base64(text),
        })
    }

    /// The base64 text, if this blob holds text (it was parsed, or built with `from_base64`).
    pub fn as_base64(&self) -> Option<&str> {
        match &self.repr {
            Repr::Base64(text) => Some(ascii_text(text)),
            Repr::Bytes(_) => None,
        }
    }

    /// The raw bytes, if this blob holds bytes (built with `from_bytes` / `from_vec`).
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.repr {
            Repr::Base64(_) => None,
            Repr::Bytes(bytes) => Some(bytes),
        }
    }

    /// The exact number of bytes the blob decodes to.
    pub fn decoded_len(&self) -> usize {
        match &self.repr {
            Repr::Base64(text) => {
                let padding = text.iter().rev().take(2).filter(|&&b| b == b'=').count();
                (text.len() / 4).saturating_mul(3).saturating_sub(padding)
            }
            Repr::Bytes(bytes) => bytes.len(),
        }
    }

    /// The length of the base64 text on the wire (without the JSON quotes).
    pub fn base64_len(&self) -> usize {
        match &self.repr {
            Repr::Base64(text) => text.len(),
            Repr::Bytes(bytes) => bytes.len().div_ceil(3).saturating_mul(4),
        }
    }

    /// True if the blob holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.decoded_len() == 0
    }

    /// Decodes into `out`, returning the number of bytes written ([`decoded_len`](Self::decoded_len)).
    pub fn decode_into(&self, out: &mut [u8]) -> Result<usize, BlobError> {
        let needed = self.decoded_len();
        let available = out.len();
        let Some(target) = out.get_mut(..needed) else {
            return Err(BlobError::OutputTooSmall { needed, available });
        };
        match &self.repr {
            Repr::Base64(text) => STANDARD
                .decode_slice(text, target)
                // Unreachable for validated text; report it as a length problem if it happens.
                .map_err(|_| BlobError::OutputTooSmall { needed, available }),
            Repr::Bytes(bytes) => {
                target.copy_from_slice(bytes);
                Ok(needed)
            }
        }
    }

    /// The decoded bytes in a new `Vec` (invalid base64 was refused when the blob was built).
    pub fn to_vec(&self) -> Vec<u8> {
        match &self.repr {
            Repr::Base64(text) => STANDARD.decode(text).unwrap_or_default(),
            Repr::Bytes(bytes) => bytes.to_vec(),
        }
    }

    /// A copy that borrows nothing.
    pub fn into_owned(self) -> Blob<'static> {
        Blob {
            repr: match self.repr {
                Repr::Base64(text) => Repr::Base64(Cow::Owned(text.into_owned())),
                Repr::Bytes(bytes) => Repr::Bytes(Cow::Owned(bytes.into_owned())),
            },
        }
    }
}

impl Default for Blob<'_> {
    /// The empty blob (`""` on the wire).
    fn default() -> Self {
        Blob::from_bytes(&[])
    }
}

impl fmt::Debug for Blob<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Base64(text) => f
                .debug_tuple("Blob::Base64")
                .field(&ascii_text(text))
                .finish(),
            Repr::Bytes(bytes) => f.debug_tuple("Blob::Bytes").field(bytes).finish(),
        }
    }
}

/// Validated base64 text as a `str` (it is ASCII, so this never falls back to `""`).
fn ascii_text(text: &[u8]) -> &str {
    core::str::from_utf8(text).unwrap_or_default()
}

/// Compares base64 text with raw bytes, four characters at a time, without allocating.
fn text_equals_bytes(text: &[u8], bytes: &[u8]) -> bool {
    let mut rest = bytes;
    for quad in text.chunks(4) {
        let mut buf = [0u8; 3];
        let Ok(n) = STANDARD.decode_slice(quad, &mut buf) else {
            return false;
        };
        let (Some(decoded), Some((head, tail))) = (buf.get(..n), rest.split_at_checked(n)) else {
            return false;
        };
        if decoded != head {
            return false;
        }
        rest = tail;
    }
    rest.is_empty()
}

impl PartialEq for Blob<'_> {
    /// Two blobs are equal when they decode to the same bytes, whatever their form.
    fn eq(&self, other: &Self) -> bool {
        match (&self.repr, &other.repr) {
            (Repr::Bytes(a), Repr::Bytes(b)) => a == b,
            // Validated base64 is canonical: equal text <=> equal bytes.
            (Repr::Base64(a), Repr::Base64(b)) => a == b,
            (Repr::Base64(t), Repr::Bytes(b)) | (Repr::Bytes(b), Repr::Base64(t)) => {
                self.decoded_len() == other.decoded_len() && text_equals_bytes(t, b)
            }
        }
    }
}

impl Eq for Blob<'_> {}

impl serde::Serialize for Blob<'_> {
    /// Base64 text. For human-readable serializers it is wrapped in a newtype struct with a
    /// private name, which serde_json writes as the string inside and the crate's own JSON
    /// writer (`wire::to_vec`) recognizes, to encode the raw bytes straight into its output.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.serialize_newtype_struct(crate::wire::ser::BLOB_TOKEN, &Base64Inner(self))
        } else {
            self.serialize_text(serializer)
        }
    }
}

impl Blob<'_> {
    /// The base64 text as a string.
    fn serialize_text<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.repr {
            Repr::Base64(text) => serializer.serialize_str(ascii_text(text)),
            // serde_json writes the Display output in pieces: no intermediate String.
            Repr::Bytes(bytes) => {
                serializer.collect_str(&base64::display::Base64Display::new(bytes, &STANDARD))
            }
        }
    }
}

/// A blob inside its newtype struct: base64 text for every human-readable serializer (serde_json
/// among them); raw bytes (`serialize_bytes`) for the crate's JSON writer only, whose blob
/// writer is the one that says it is not human-readable there.
struct Base64Inner<'b, 'a>(&'b Blob<'a>);

impl serde::Serialize for Base64Inner<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0.repr {
            Repr::Bytes(bytes) if !serializer.is_human_readable() => {
                serializer.serialize_bytes(bytes)
            }
            _ => self.0.serialize_text(serializer),
        }
    }
}

/// Reads the base64 text as bytes: a JSON deserializer hands a string's bytes over without a
/// UTF-8 pass, and [`validate`] (which admits ASCII only) is the one check the text needs.
struct BlobVisitor;

impl<'de> serde::de::Visitor<'de> for BlobVisitor {
    type Value = Blob<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("base64 text")
    }

    fn visit_borrowed_bytes<E: serde::de::Error>(self, v: &'de [u8]) -> Result<Blob<'de>, E> {
        Blob::from_base64_cow(Cow::Borrowed(v)).map_err(E::custom)
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Blob<'de>, E> {
        self.visit_byte_buf(v.to_vec())
    }

    fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Blob<'de>, E> {
        Blob::from_base64_cow(Cow::Owned(v)).map_err(E::custom)
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Blob<'de>, E> {
        self.visit_borrowed_bytes(v.as_bytes())
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Blob<'de>, E> {
        self.visit_bytes(v.as_bytes())
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Blob<'de>, E> {
        self.visit_byte_buf(v.into_bytes())
    }
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for Blob<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_bytes(BlobVisitor)
    }
}

#[cfg(feature = "arbitrary")]
impl<'x, 'a> arbitrary::Arbitrary<'x> for Blob<'a> {
    /// Any bytes, held either as raw bytes or as (valid) base64 text.
    fn arbitrary(u: &mut arbitrary::Unstructured<'x>) -> arbitrary::Result<Self> {
        let bytes = Vec::<u8>::arbitrary(u)?;
        Ok(if bool::arbitrary(u)? {
            Blob::from_vec(bytes)
        } else {
            Blob {
                repr: Repr::Base64(Cow::Owned(STANDARD.encode(&bytes).into_bytes())),
            }
        })
    }
}
