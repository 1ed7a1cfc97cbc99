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

mod de;
mod text;

pub(crate) use self::text::decode as decode_text;

/// The newtype-struct name a [`Blob`] serializes under; the value inside is its
/// base64 text (for serde_json and every other serializer) or, for this writer only, its raw bytes.
pub(crate) const BLOB_TOKEN: &str = "$kinesis_codec::private::Base64";

use self::text::validate;

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

    /// A blob of base64 text already checked by the caller (the deserializer's path).
    fn checked_text(text: Cow<'a, [u8]>) -> Self {
        Blob {
            repr: Repr::Base64(text),
        }
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
            Repr::Base64(text) => crate::json::base64::decoded_len(text),
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
    /// With `std` on x86_64 and aarch64 the text is decoded with base64's SIMD engine.
    pub fn decode_into(&self, out: &mut [u8]) -> Result<usize, BlobError> {
        match &self.repr {
            Repr::Base64(text) => self::text::decode(text, out),
            Repr::Bytes(bytes) => {
                let needed = bytes.len();
                let available = out.len();
                let target = out
                    .get_mut(..needed)
                    .ok_or(BlobError::OutputTooSmall { needed, available })?;
                target.copy_from_slice(bytes);
                Ok(needed)
            }
        }
    }

    /// The decoded bytes in a new `Vec` (invalid base64 was refused when the blob was built).
    pub fn to_vec(&self) -> Vec<u8> {
        let mut out = alloc::vec![0u8; self.decoded_len()];
        match self.decode_into(&mut out) {
            Ok(n) => out.truncate(n),
            Err(_) => out.clear(),
        }
        out
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
            serializer.serialize_newtype_struct(BLOB_TOKEN, &Base64Inner(self))
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
