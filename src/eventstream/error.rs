//! Typed errors of the event-stream codec.
//!
//! Both enums are `#[non_exhaustive]` (new checks may be added without a breaking release), `Copy`
//! (cheap to return from hot loops and to store), and carry the values a person needs to find
//! the problem: the CRC the frame carries and the one computed over its bytes, the byte offset
//! of a bad header inside the frame, the limit and the size that broke it.

use core::fmt;

/// Why a frame could not be decoded.
///
/// Offsets are byte offsets from the first byte of the frame (the first byte of `total_len`),
/// so they can be found directly in a hex dump of the frame.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The CRC of bytes 0..8 does not match the `prelude_crc` field.
    ///
    /// Checked first, as soon as 12 bytes are present: a corrupt length is never trusted.
    PreludeChecksum {
        /// The CRC carried in the frame (bytes 8..12).
        expected: u32,
        /// The CRC computed over bytes 0..8.
        computed: u32,
    },
    /// The CRC of bytes `0..total_len - 4` does not match the trailing `message_crc` field.
    ///
    /// Checked before any header is interpreted, so corruption anywhere in the frame is
    /// reported as this error rather than as a header parse error.
    MessageChecksum {
        /// The CRC carried in the frame (its last 4 bytes).
        expected: u32,
        /// The CRC computed over the frame's bytes before it.
        computed: u32,
    },
    /// `total_len` is below the 16-byte minimum frame (prelude and message CRC).
    FrameTooShort {
        /// The `total_len` field.
        total_len: u32,
    },
    /// `headers_len` does not fit in the frame: it must be at most `total_len - 16`.
    HeadersLenOutOfRange {
        /// The `headers_len` field.
        headers_len: u32,
        /// The `total_len` field.
        total_len: u32,
    },
    /// The payload (`total_len - headers_len - 16`) is over the configured limit.
    PayloadTooLarge {
        /// The payload length the prelude announces.
        len: u32,
        /// The configured limit ([`DecodeOptions::max_payload_len`](super::DecodeOptions)).
        limit: u32,
    },
    /// The header block (`headers_len`) is over the configured limit.
    HeadersTooLarge {
        /// The `headers_len` field.
        len: u32,
        /// The configured limit ([`DecodeOptions::max_headers_len`](super::DecodeOptions)).
        limit: u32,
    },
    /// The frame is larger than a fixed-capacity buffer can ever hold
    /// ([`Accumulator`](super::Accumulator)).
    ExceedsCapacity {
        /// The `total_len` field.
        total_len: u32,
        /// The buffer's capacity in bytes.
        capacity: usize,
    },
    /// A header has a value type id outside 0..=9; its length is unknown, so it cannot be
    /// skipped.
    UnknownHeaderType {
        /// The type id found.
        type_id: u8,
        /// Offset of the type id byte.
        offset: usize,
    },
    /// A header (its name, type, length or value) runs past the end of the header block.
    HeaderTruncated {
        /// Offset of the first byte of the header (its name length).
        offset: usize,
    },
    /// A header name is not valid UTF-8.
    InvalidHeaderName {
        /// Offset of the first byte of the name.
        offset: usize,
    },
    /// A string header value (type 7) is not valid UTF-8.
    InvalidStringValue {
        /// Offset of the first byte of the string.
        offset: usize,
    },
    /// The buffer ends before the frame does ([`decode_exact`](super::decode_exact)).
    Incomplete {
        /// How many more bytes are needed at least.
        needed: usize,
    },
    /// The buffer holds bytes after the frame ([`decode_exact`](super::decode_exact)).
    TrailingBytes {
        /// Length of the frame (`total_len`).
        frame_len: usize,
        /// How many bytes follow it.
        trailing: usize,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::PreludeChecksum { expected, computed } => write!(
                f,
                "prelude checksum mismatch: expected {expected:#010x}, computed {computed:#010x}"
            ),
            Self::MessageChecksum { expected, computed } => write!(
                f,
                "message checksum mismatch: expected {expected:#010x}, computed {computed:#010x}"
            ),
            Self::FrameTooShort { total_len } => write!(
                f,
                "total_len {total_len} is below the minimum frame length of 16 bytes"
            ),
            Self::HeadersLenOutOfRange {
                headers_len,
                total_len,
            } => write!(
                f,
                "headers_len {headers_len} does not fit in a frame of total_len {total_len} \
                 (at most total_len - 16)"
            ),
            Self::PayloadTooLarge { len, limit } => write!(
                f,
                "payload of {len} bytes exceeds the limit of {limit} bytes"
            ),
            Self::HeadersTooLarge { len, limit } => write!(
                f,
                "header block of {len} bytes exceeds the limit of {limit} bytes"
            ),
            Self::ExceedsCapacity {
                total_len,
                capacity,
            } => write!(
                f,
                "frame of {total_len} bytes exceeds the buffer capacity of {capacity} bytes"
            ),
            Self::UnknownHeaderType { type_id, offset } => {
                write!(f, "unknown header value type {type_id} at offset {offset}")
            }
            Self::HeaderTruncated { offset } => write!(
                f,
                "header at offset {offset} runs past the end of the header block"
            ),
            Self::InvalidHeaderName { offset } => {
                write!(f, "header name at offset {offset} is not valid UTF-8")
            }
            Self::InvalidStringValue { offset } => {
                write!(
                    f,
                    "string header value at offset {offset} is not valid UTF-8"
                )
            }
            Self::Incomplete { needed } => {
                write!(f, "incomplete frame: at least {needed} more bytes needed")
            }
            Self::TrailingBytes {
                frame_len,
                trailing,
            } => write!(
                f,
                "{trailing} trailing bytes after a frame of {frame_len} bytes"
            ),
        }
    }
}

impl core::error::Error for DecodeError {}

/// Why a frame could not be encoded.
///
/// Header-related variants name the header by its index in the slice given to the encoder.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncodeError {
    /// A header name is longer than 255 bytes (its length is one byte on the wire).
    NameTooLong {
        /// Index of the header.
        index: usize,
        /// Length of its name in bytes.
        len: usize,
    },
    /// A string or byte-array value is longer than 32,767 bytes, the limit every AWS encoder
    /// enforces (and the C and Java decoders check).
    ValueTooLong {
        /// Index of the header.
        index: usize,
        /// Length of its value in bytes.
        len: usize,
    },
    /// The header block would be longer than the limit of the decoder the encoder writes for
    /// ([`DecodeOptions::max_headers_len`](super::DecodeOptions); 131,072 bytes by default),
    /// which would refuse the frame with [`DecodeError::HeadersTooLarge`].
    HeadersTooLarge {
        /// The length the header block would have.
        len: u64,
        /// The limit.
        limit: u32,
    },
    /// The payload is longer than the limit of the decoder the encoder writes for
    /// ([`DecodeOptions::max_payload_len`](super::DecodeOptions); 25,165,824 bytes by default),
    /// which would refuse the frame with [`DecodeError::PayloadTooLarge`].
    PayloadTooLarge {
        /// The length of the payload.
        len: u64,
        /// The limit.
        limit: u32,
    },
    /// The frame would be longer than `u32::MAX` bytes.
    FrameTooLarge {
        /// The length the frame would have.
        len: u64,
    },
    /// The output buffer is too small for the frame.
    BufferTooSmall {
        /// Bytes the frame needs.
        needed: usize,
        /// Bytes the buffer has room for.
        available: usize,
    },
    /// The payload writer given to
    /// [`Encoder::encode_to_vec_with`](super::Encoder::encode_to_vec_with) left the vector
    /// shorter than where the payload starts: it may only append.
    PayloadWriterTruncated {
        /// Where the payload was to start in the vector.
        payload_start: usize,
        /// The vector's length after the writer ran.
        len: usize,
    },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::NameTooLong { index, len } => write!(
                f,
                "header {index}: name of {len} bytes exceeds the limit of 255 bytes"
            ),
            Self::ValueTooLong { index, len } => write!(
                f,
                "header {index}: value of {len} bytes exceeds the limit of 32767 bytes"
            ),
            Self::HeadersTooLarge { len, limit } => write!(
                f,
                "header block of {len} bytes exceeds the decoder's limit of {limit} bytes"
            ),
            Self::PayloadTooLarge { len, limit } => write!(
                f,
                "payload of {len} bytes exceeds the decoder's limit of {limit} bytes"
            ),
            Self::FrameTooLarge { len } => write!(
                f,
                "frame of {len} bytes exceeds the maximum of 4294967295 bytes"
            ),
            Self::BufferTooSmall { needed, available } => write!(
                f,
                "output buffer too small: frame needs {needed} bytes, {available} available"
            ),
            Self::PayloadWriterTruncated { payload_start, len } => write!(
                f,
                "the payload writer cut the vector to {len} bytes, before the payload's start at \
                 {payload_start}: it may only append"
            ),
        }
    }
}

impl core::error::Error for EncodeError {}
