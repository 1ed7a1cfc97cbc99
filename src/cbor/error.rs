//! What can be wrong with CBOR bytes, and where.

use core::fmt;

/// What went wrong while reading CBOR.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CborErrorKind {
    /// The bytes ended inside an item.
    Eof,
    /// An initial byte with additional information 28, 29 or 30 (reserved, RFC 8949 §3).
    Reserved,
    /// An indefinite length where none is allowed (integers, tags, simple values; RFC 8949
    /// §3.2).
    IndefiniteNotAllowed,
    /// A "break" (0xff) outside an indefinite-length item.
    UnexpectedBreak,
    /// A chunk of an indefinite-length string that is not a definite string of the same major
    /// type (RFC 8949 §3.2.3).
    BadChunk,
    /// A text string that is not UTF-8.
    InvalidUtf8,
    /// A simple value given in two bytes below 32 (RFC 8949 §3.3), or one this reader does not
    /// know.
    BadSimple,
    /// A length too large for the bytes that are left (or for this machine).
    LengthTooLarge,
    /// Arrays, maps and tags nested deeper than the reader's limit.
    TooDeep,
    /// Bytes after the one item a body holds.
    TrailingBytes,
}

/// Bad CBOR: what and at which byte offset (the offset of the item's initial byte, or of the
/// first byte past the end for [`CborErrorKind::Eof`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CborError {
    kind: CborErrorKind,
    offset: usize,
}

impl CborError {
    pub(crate) const fn new(kind: CborErrorKind, offset: usize) -> Self {
        CborError { kind, offset }
    }

    /// What went wrong.
    pub const fn kind(&self) -> CborErrorKind {
        self.kind
    }

    /// The byte offset in the input.
    pub const fn offset(&self) -> usize {
        self.offset
    }
}

impl fmt::Display for CborError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            CborErrorKind::Eof => "the CBOR ends inside an item",
            CborErrorKind::Reserved => {
                "reserved additional information (28..30) in an initial byte"
            }
            CborErrorKind::IndefiniteNotAllowed => {
                "indefinite length on an integer, a tag or a simple value"
            }
            CborErrorKind::UnexpectedBreak => "a break (0xff) outside an indefinite-length item",
            CborErrorKind::BadChunk => {
                "a chunk of an indefinite-length string that is not a definite string of its type"
            }
            CborErrorKind::InvalidUtf8 => "a text string that is not UTF-8",
            CborErrorKind::BadSimple => "an unknown or badly encoded simple value",
            CborErrorKind::LengthTooLarge => "a length beyond the end of the input",
            CborErrorKind::TooDeep => "arrays, maps and tags nested too deep",
            CborErrorKind::TrailingBytes => "bytes after the end of the CBOR item",
        };
        write!(f, "{what} (byte {})", self.offset)
    }
}

impl core::error::Error for CborError {}
