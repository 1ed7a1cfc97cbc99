//! The byte layout of a frame and the limits a decoder holds it to, the prelude and message
//! checks, and the checked [`Frame`] view.
//!
//! ```text
//! 0..4          total_len    u32 BE, the whole frame including these 4 bytes and the trailer
//! 4..8          headers_len  u32 BE, length of the header block
//! 8..12         prelude_crc  u32 BE, CRC-32 of bytes 0..8
//! 12..12+h      header block
//! ..total-4     payload      total_len - headers_len - 16 bytes
//! total-4..     message_crc  u32 BE, CRC-32 of bytes 0..total_len-4
//! ```
//!
//! The CRC is CRC-32/ISO-HDLC (the zlib CRC). The message CRC covers the prelude CRC too, so it
//! is computed by continuing the running CRC from the prelude CRC: the prelude is hashed once.
//!
//! Once a [`Frame`] exists its bytes have passed every check, so no accessor can fail or panic.

use super::header::{validate_block, HeaderValue, Headers};
use super::prelude_crc;
use super::well_known::WellKnown;
use super::DecodeError;

/// Limits a decoder enforces, checked from the prelude before the body is read, and the string
/// header values it hands out without a UTF-8 pass.
///
/// The defaults (24 MiB payload, 128 KiB header block) match botocore and the Java SDK; the
/// default well-known set is empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DecodeOptions {
    /// Largest accepted payload in bytes (default 25,165,824).
    pub max_payload_len: u32,
    /// Largest accepted header block in bytes (default 131,072).
    pub max_headers_len: u32,
    /// String header values handed out as `'static` text without a UTF-8 pass (default
    /// [`WellKnown::NONE`]). It changes no decoded value, only the time taken to decode it.
    pub well_known: &'static WellKnown,
}

impl DecodeOptions {
    /// The default limits, usable in `const` context.
    pub const DEFAULT: DecodeOptions = DecodeOptions {
        max_payload_len: DEFAULT_MAX_PAYLOAD_LEN,
        max_headers_len: DEFAULT_MAX_HEADERS_LEN,
        well_known: &WellKnown::NONE,
    };

    /// Sets the payload limit.
    #[inline]
    pub const fn max_payload_len(mut self, len: u32) -> Self {
        self.max_payload_len = len;
        self
    }

    /// Sets the header-block limit.
    #[inline]
    pub const fn max_headers_len(mut self, len: u32) -> Self {
        self.max_headers_len = len;
        self
    }

    /// Sets the well-known string header values: a protocol layer gives the values its frames
    /// carry (see [`WellKnown`]).
    #[inline]
    pub const fn well_known(mut self, set: &'static WellKnown) -> Self {
        self.well_known = set;
        self
    }

    /// The largest frame these limits allow (saturating at `u32::MAX`).
    #[inline]
    pub const fn max_frame_len(&self) -> u32 {
        self.max_payload_len
            .saturating_add(self.max_headers_len)
            .saturating_add(MIN_FRAME_LEN_U32)
    }
}

impl Default for DecodeOptions {
    #[inline]
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Byte positions of the fixed fields, written once.
mod field {
    /// A byte range inside a frame.
    pub(super) type Field = core::ops::Range<usize>;
    /// "total_len u32: the whole frame, these 4 bytes and the trailing CRC included"
    pub(super) const TOTAL_LEN: Field = 0..4;
    /// "headers_len u32: length of the header block"
    pub(super) const HEADERS_LEN: Field = 4..8;
    /// "prelude_crc u32: CRC over bytes 0..8"
    pub(super) const PRELUDE_CRC: Field = 8..12;
    /// The bytes the prelude CRC covers.
    pub(super) const PRELUDE_CRC_INPUT: Field = 0..8;
    /// The header block starts right after the prelude.
    pub(super) const HEADERS_START: usize = 12;
    /// Length of the trailing message CRC.
    pub(super) const MESSAGE_CRC_LEN: usize = 4;
}

/// Length of the prelude: `total_len`, `headers_len`, `prelude_crc`.
pub const PRELUDE_LEN: usize = 12;
/// Length of the smallest frame: a prelude and a message CRC, no headers, no payload.
pub const MIN_FRAME_LEN: usize = 16;
/// [`MIN_FRAME_LEN`] as a `u32`, for the length arithmetic on the `u32` fields.
pub(crate) const MIN_FRAME_LEN_U32: u32 = 16;
const _: () = assert!(MIN_FRAME_LEN_U32 as usize == MIN_FRAME_LEN);
/// Default payload limit: 24 MiB, as botocore and the Java SDK (Kinesis sends payloads over
/// 16 MiB, so the Go v1 SDK's 16 MiB is too small).
pub const DEFAULT_MAX_PAYLOAD_LEN: u32 = 25_165_824;
/// Default header-block limit: 128 KiB, as botocore and the Java SDK.
pub const DEFAULT_MAX_HEADERS_LEN: u32 = 131_072;

/// Reads a big-endian u32 at `range` (always 4 bytes); 0 if out of bounds (callers check
/// lengths first).
#[inline(always)]
fn be_u32(bytes: &[u8], range: field::Field) -> u32 {
    match bytes.get(range).and_then(|b| <[u8; 4]>::try_from(b).ok()) {
        Some(b) => u32::from_be_bytes(b),
        None => 0,
    }
}

/// The first 12 bytes of a frame, parsed but not yet checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prelude {
    /// Length of the whole frame.
    pub total_len: u32,
    /// Length of the header block.
    pub headers_len: u32,
    /// The CRC the frame carries for bytes 0..8.
    pub prelude_crc: u32,
}

impl Prelude {
    /// Parses the prelude from the start of `bytes`; `None` if fewer than 12 bytes.
    #[inline]
    pub fn parse(bytes: &[u8]) -> Option<Prelude> {
        if bytes.len() < PRELUDE_LEN {
            return None;
        }
        Some(Prelude {
            total_len: be_u32(bytes, field::TOTAL_LEN),
            headers_len: be_u32(bytes, field::HEADERS_LEN),
            prelude_crc: be_u32(bytes, field::PRELUDE_CRC),
        })
    }

    /// Length of the payload this prelude announces (0 if the lengths are inconsistent).
    #[inline]
    pub fn payload_len(&self) -> u32 {
        self.total_len
            .saturating_sub(self.headers_len)
            .saturating_sub(MIN_FRAME_LEN_U32)
    }

    /// The structural and limit checks, in the policy's order, after the prelude CRC passed:
    /// `total_len >= 16`, `headers_len <= total_len - 16`, then the header and payload limits.
    #[inline]
    pub(crate) fn check_lengths(&self, opts: &DecodeOptions) -> Result<(), DecodeError> {
        let Some(room) = self.total_len.checked_sub(MIN_FRAME_LEN_U32) else {
            return Err(DecodeError::FrameTooShort {
                total_len: self.total_len,
            });
        };
        let Some(payload_len) = room.checked_sub(self.headers_len) else {
            return Err(DecodeError::HeadersLenOutOfRange {
                headers_len: self.headers_len,
                total_len: self.total_len,
            });
        };
        if self.headers_len > opts.max_headers_len {
            return Err(DecodeError::HeadersTooLarge {
                len: self.headers_len,
                limit: opts.max_headers_len,
            });
        }
        if payload_len > opts.max_payload_len {
            return Err(DecodeError::PayloadTooLarge {
                len: payload_len,
                limit: opts.max_payload_len,
            });
        }
        Ok(())
    }
}

/// Checks the prelude at the start of `bytes` (at least 12 bytes): its CRC, then its lengths
/// and limits. Returns the prelude and the running message CRC after the prelude, so that the
/// message CRC can continue from it without hashing the prelude again.
#[inline(always)]
pub(crate) fn check_prelude(
    bytes: &[u8],
    opts: &DecodeOptions,
) -> Result<Option<(Prelude, crc32fast::Hasher)>, DecodeError> {
    let (Some(prelude), Some(&input)) = (
        Prelude::parse(bytes),
        bytes.first_chunk::<{ field::PRELUDE_CRC_INPUT.end }>(),
    ) else {
        return Ok(None);
    };
    let computed = prelude_crc::of_lengths(input);
    if computed != prelude.prelude_crc {
        return Err(DecodeError::PreludeChecksum {
            expected: prelude.prelude_crc,
            computed,
        });
    }
    prelude.check_lengths(opts)?;
    Ok(Some((prelude, prelude_crc::hasher_after(computed))))
}

/// Checks a whole frame whose prelude already passed [`check_prelude`]: `bytes` is exactly
/// `total_len` long, `hasher` holds the running CRC of the prelude (bytes 0..12). Verifies the
/// message CRC first, then validates the header block. The frame hands out the string values
/// of `well_known` without a UTF-8 pass.
#[inline(always)]
pub(crate) fn check_body<'a>(
    bytes: &'a [u8],
    prelude: &Prelude,
    mut hasher: crc32fast::Hasher,
    well_known: &'static WellKnown,
) -> Result<Frame<'a>, DecodeError> {
    let total = bytes.len();
    let crc_at = total.saturating_sub(field::MESSAGE_CRC_LEN);
    let (covered, trailer) = bytes.split_at_checked(crc_at).unwrap_or((bytes, &[]));
    hasher.update(covered.get(field::HEADERS_START..).unwrap_or_default());
    let computed = hasher.finalize();
    let expected = match <[u8; 4]>::try_from(trailer) {
        Ok(b) => u32::from_be_bytes(b),
        Err(_) => {
            return Err(DecodeError::FrameTooShort {
                total_len: prelude.total_len,
            })
        }
    };
    if computed != expected {
        return Err(DecodeError::MessageChecksum { expected, computed });
    }
    let headers_end = field::HEADERS_START.saturating_add(prelude.headers_len as usize);
    let (header_block, payload) = match (
        covered.get(field::HEADERS_START..headers_end),
        covered.get(headers_end..),
    ) {
        (Some(h), Some(p)) => (h, p),
        _ => {
            return Err(DecodeError::HeadersLenOutOfRange {
                headers_len: prelude.headers_len,
                total_len: prelude.total_len,
            })
        }
    };
    validate_block(header_block, field::HEADERS_START)?;
    Ok(Frame {
        bytes,
        header_block,
        payload,
        prelude_crc: prelude.prelude_crc,
        message_crc: expected,
        well_known,
    })
}

/// The frame of `bytes` that a decoder already checked whole (both CRCs, the lengths, the
/// header block), found again from its prelude with nothing hashed: for a checked frame whose
/// bytes changed owner without changing (the tokio codec's `Bytes`). Bytes that are not such a
/// frame give empty parts, never a panic.
#[cfg(feature = "tokio-util")]
pub(crate) fn checked_again<'a>(bytes: &'a [u8], well_known: &'static WellKnown) -> Frame<'a> {
    let headers_len = be_u32(bytes, field::HEADERS_LEN) as usize;
    let headers_end = field::HEADERS_START.saturating_add(headers_len);
    let crc_at = bytes.len().saturating_sub(field::MESSAGE_CRC_LEN);
    Frame {
        bytes,
        header_block: bytes
            .get(field::HEADERS_START..headers_end)
            .unwrap_or_default(),
        payload: bytes.get(headers_end..crc_at).unwrap_or_default(),
        prelude_crc: be_u32(bytes, field::PRELUDE_CRC),
        message_crc: be_u32(bytes, crc_at..bytes.len()),
        well_known,
    }
}

/// A whole, checked frame borrowed from the caller's bytes: both CRCs verified, lengths within
/// the limits, header block validated.
///
/// Nothing is copied: headers are decoded lazily from the borrowed block by [`Frame::headers`]
/// and [`Frame::header`], and the payload is a sub-slice of the input.
///
/// Two frames are equal when their bytes are; the decoder's well-known header values
/// ([`DecodeOptions::well_known`]) change no value and take no part.
///
/// Every field of the layout has an accessor, so no caller reads bytes at offsets:
///
/// ```
/// use kinesis_codec::eventstream::{decode_exact, encode, Header, HeaderValue, PRELUDE_LEN};
///
/// let mut buf = [0u8; 64];
/// let len = encode(&[Header::new("n", HeaderValue::Int32(7))], b"payload", &mut buf)?;
/// let bytes = &buf[..len];
/// let frame = decode_exact(bytes)?;
///
/// assert_eq!(frame.total_len(), 30); // bytes 0..4: 12 + 7 + 7 + 4
/// assert_eq!(frame.headers_len(), 7); // bytes 4..8: name length, "n", type 4, 4 value bytes
/// assert_eq!(frame.prelude_crc(), crc32fast::hash(&bytes[..8])); // bytes 8..12
/// assert_eq!(frame.header_block(), &bytes[PRELUDE_LEN..PRELUDE_LEN + 7]);
/// assert_eq!(frame.payload(), b"payload");
/// assert_eq!(frame.message_crc(), crc32fast::hash(&bytes[..len - 4])); // the last 4 bytes
/// assert_eq!(frame.as_bytes(), bytes);
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct Frame<'a> {
    bytes: &'a [u8],
    header_block: &'a [u8],
    payload: &'a [u8],
    prelude_crc: u32,
    message_crc: u32,
    well_known: &'static WellKnown,
}

impl PartialEq for Frame<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
            && self.header_block == other.header_block
            && self.payload == other.payload
            && self.prelude_crc == other.prelude_crc
            && self.message_crc == other.message_crc
    }
}

impl Eq for Frame<'_> {}

impl core::fmt::Debug for Frame<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Frame")
            .field("bytes", &self.bytes)
            .field("header_block", &self.header_block)
            .field("payload", &self.payload)
            .field("prelude_crc", &self.prelude_crc)
            .field("message_crc", &self.message_crc)
            .finish()
    }
}

impl<'a> Frame<'a> {
    /// The whole frame, `total_len` bytes, prelude to message CRC.
    #[inline]
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The `total_len` field: length of the whole frame.
    #[inline]
    pub fn total_len(&self) -> u32 {
        // The prelude said so: a frame's length is a `u32`.
        u32::try_from(self.bytes.len()).unwrap_or(u32::MAX)
    }

    /// The `headers_len` field: length of the header block.
    #[inline]
    pub fn headers_len(&self) -> u32 {
        // The prelude said so: the header block's length is a `u32`.
        u32::try_from(self.header_block.len()).unwrap_or(u32::MAX)
    }

    /// The `prelude_crc` field (verified).
    #[inline]
    pub fn prelude_crc(&self) -> u32 {
        self.prelude_crc
    }

    /// The `message_crc` field (verified).
    #[inline]
    pub fn message_crc(&self) -> u32 {
        self.message_crc
    }

    /// The raw header block, `headers_len` bytes.
    #[inline]
    pub fn header_block(&self) -> &'a [u8] {
        self.header_block
    }

    /// The headers in wire order, decoded lazily; duplicates are kept.
    #[inline]
    pub fn headers(&self) -> Headers<'a> {
        Headers::new(self.header_block, self.well_known)
    }

    /// The value of the first header called `name`, if any.
    #[inline(always)]
    pub fn header(&self, name: &str) -> Option<HeaderValue<'a>> {
        self.headers().find_value(name)
    }

    /// The value of the first header called `name` if it is a string (type 7).
    #[inline]
    pub fn header_str(&self, name: &str) -> Option<&'a str> {
        self.header(name).and_then(|v| v.as_str())
    }

    /// The payload, `total_len - headers_len - 16` bytes.
    #[inline]
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
}
