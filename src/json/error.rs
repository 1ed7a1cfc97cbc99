//! The scanner's error: what went wrong, and the byte offset where.

use core::fmt;

/// What went wrong, in a [`ScanError`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanErrorKind {
    /// The input ended inside a value.
    UnexpectedEnd,
    /// A byte that cannot start or continue what was expected.
    UnexpectedByte {
        /// The byte found.
        found: u8,
        /// What was expected there.
        expected: &'static str,
    },
    /// A backslash escape that JSON does not have, or a `\u` without four hex digits.
    InvalidEscape,
    /// A `\u` escape of a UTF-16 surrogate without its pair.
    LoneSurrogate,
    /// A raw control character (below U+0020) inside a string.
    ControlCharacter,
    /// A string that is not valid UTF-8.
    InvalidUtf8,
    /// A number that does not follow the JSON grammar.
    InvalidNumber,
    /// Objects and arrays nested deeper than the limit.
    TooDeep {
        /// The limit.
        limit: u32,
    },
    /// Something other than whitespace after the value.
    TrailingData,
}

/// A JSON syntax error and the byte offset where it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanError {
    /// What went wrong.
    pub kind: ScanErrorKind,
    /// Byte offset in the input.
    pub offset: usize,
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.offset;
        match self.kind {
            ScanErrorKind::UnexpectedEnd => write!(f, "JSON ends early at byte {at}"),
            ScanErrorKind::UnexpectedByte { found, expected } => write!(
                f,
                "unexpected byte 0x{found:02x} at byte {at}: expected {expected}"
            ),
            ScanErrorKind::InvalidEscape => write!(f, "invalid string escape at byte {at}"),
            ScanErrorKind::LoneSurrogate => write!(f, "lone UTF-16 surrogate escape at byte {at}"),
            ScanErrorKind::ControlCharacter => {
                write!(f, "raw control character in a string at byte {at}")
            }
            ScanErrorKind::InvalidUtf8 => write!(f, "invalid UTF-8 at byte {at}"),
            ScanErrorKind::InvalidNumber => write!(f, "invalid number at byte {at}"),
            ScanErrorKind::TooDeep { limit } => {
                write!(f, "nesting deeper than {limit} at byte {at}")
            }
            ScanErrorKind::TrailingData => write!(f, "data after the JSON value at byte {at}"),
        }
    }
}

impl core::error::Error for ScanError {}
