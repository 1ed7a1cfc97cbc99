//! One-shot and incremental decoding over the caller's bytes.
//!
//! The decoder is stateless, like `httparse`: give it the bytes received so far; it answers
//! [`Decoded::NeedMore`] (consuming nothing) until a whole frame is there, then
//! [`Decoded::Frame`] with the number of bytes the frame used. Re-running it on a growing buffer
//! costs O(1) per call until the frame is complete: only the 12-byte prelude is checked, once
//! its bytes are present, and its lengths tell exactly how many bytes are still missing.
//!
//! Checks, in order:
//! 1. as soon as 12 bytes are present: the prelude CRC, then `total_len >= 16`,
//!    `headers_len <= total_len - 16`, the header-block limit and the payload limit
//!    ([`DecodeOptions`]). A bad prelude is reported before any body byte arrives.
//! 2. once `total_len` bytes are present: the message CRC (continuing the prelude's running
//!    CRC, so the prelude is hashed once), then the header block, strictly inside its bounds.

use super::frame::{check_body, check_prelude, DecodeOptions, Frame, Prelude, PRELUDE_LEN};
use super::DecodeError;

/// What one decode step found at the start of the buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decoded<'a> {
    /// A whole frame and the number of bytes it used from the start of the buffer.
    Frame {
        /// The checked frame.
        frame: Frame<'a>,
        /// Bytes used (`total_len`); what follows belongs to the next frame.
        used: usize,
    },
    /// Not enough bytes yet; nothing was consumed.
    ///
    /// `needed` is how many more bytes are needed at least: before the prelude is complete, the
    /// rest of the 12-byte prelude (so the prelude is checked as soon as possible); after it,
    /// exactly the rest of the frame.
    NeedMore {
        /// Bytes still missing, at least.
        needed: usize,
    },
}

/// A decoder with configurable limits. Stateless: [`Decoder::decode`] may be called again on
/// the same, grown buffer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Decoder {
    options: DecodeOptions,
}

impl Decoder {
    /// A decoder with these limits.
    #[inline]
    pub const fn new(options: DecodeOptions) -> Self {
        Decoder { options }
    }

    /// The limits in force.
    #[inline]
    pub const fn options(&self) -> &DecodeOptions {
        &self.options
    }

    /// Decodes the frame at the start of `buf`, or says how many more bytes it needs.
    /// Bytes after the frame are left alone (see `used`).
    #[inline(always)]
    pub fn decode<'a>(&self, buf: &'a [u8]) -> Result<Decoded<'a>, DecodeError> {
        let Some((prelude, hasher)) = check_prelude(buf, &self.options)? else {
            // `check_prelude` answers `None` only below 12 bytes.
            return Ok(Decoded::NeedMore {
                needed: PRELUDE_LEN.saturating_sub(buf.len()),
            });
        };
        let total = prelude.total_len as usize;
        match buf.get(..total) {
            Some(bytes) => Ok(Decoded::Frame {
                frame: check_body(bytes, &prelude, hasher, self.options.well_known)?,
                used: total,
            }),
            // `get(..total)` failed, so `buf.len() < total`.
            None => Ok(Decoded::NeedMore {
                needed: total.saturating_sub(buf.len()),
            }),
        }
    }

    /// Decodes a buffer that holds exactly one whole frame.
    ///
    /// A short buffer is [`DecodeError::Incomplete`]; bytes after the frame are
    /// [`DecodeError::TrailingBytes`].
    #[inline]
    pub fn decode_exact<'a>(&self, buf: &'a [u8]) -> Result<Frame<'a>, DecodeError> {
        match self.decode(buf)? {
            Decoded::Frame { frame, used } if used == buf.len() => Ok(frame),
            Decoded::Frame { used, .. } => Err(DecodeError::TrailingBytes {
                frame_len: used,
                trailing: buf.len().saturating_sub(used),
            }),
            Decoded::NeedMore { needed } => Err(DecodeError::Incomplete { needed }),
        }
    }

    /// Checks the prelude at the start of `buf` (CRC, lengths, limits) without looking at the
    /// rest; `Ok(None)` if fewer than 12 bytes are present.
    #[inline]
    pub fn check_prelude(&self, buf: &[u8]) -> Result<Option<Prelude>, DecodeError> {
        Ok(check_prelude(buf, &self.options)?.map(|(prelude, _)| prelude))
    }

    /// Checks a buffer of exactly `prelude.total_len` bytes whose prelude already passed
    /// [`Decoder::check_prelude`]: message CRC, then headers. The prelude is not hashed again.
    #[inline]
    pub(crate) fn check_frame<'a>(
        &self,
        bytes: &'a [u8],
        prelude: &Prelude,
    ) -> Result<Frame<'a>, DecodeError> {
        check_body(
            bytes,
            prelude,
            super::prelude_crc::hasher_after(prelude.prelude_crc),
            self.options.well_known,
        )
    }
}

/// Decodes the frame at the start of `buf` with the default limits.
///
/// Returns the frame and the bytes it used, or [`Decoded::NeedMore`] if the buffer ends
/// before the frame does. Nothing is allocated or copied.
#[inline]
pub fn decode(buf: &[u8]) -> Result<Decoded<'_>, DecodeError> {
    Decoder::new(DecodeOptions::DEFAULT).decode(buf)
}

/// Decodes a buffer that holds exactly one whole frame, with the default limits; trailing
/// bytes are an error.
#[inline]
pub fn decode_exact(buf: &[u8]) -> Result<Frame<'_>, DecodeError> {
    Decoder::new(DecodeOptions::DEFAULT).decode_exact(buf)
}
