//! A fixed-capacity buffer that takes bytes in arbitrary pieces and yields whole frames.
//!
//! No heap: the buffer is a `[u8; N]` inside the value. Each byte is copied in once; the
//! accumulator remembers the checked prelude of the frame it is waiting for, so a frame fed
//! one byte at a time costs O(n), not O(n²): each call only compares two lengths until the
//! frame is complete, and then the frame is checked once. Buffered bytes are moved to the
//! front only after a frame has been taken, and only when the tail has no room for new input.

use super::decode::Decoder;
use super::frame::DecodeOptions;
use super::frame::{Frame, Prelude, MIN_FRAME_LEN, PRELUDE_LEN};
use super::DecodeError;

/// Collects bytes arriving in pieces into a `[u8; N]` and yields checked frames borrowed
/// from it.
///
/// A frame longer than `N` is [`DecodeError::ExceedsCapacity`] as soon as its prelude is in,
/// never a stall.
///
/// Errors do not consume anything: [`Accumulator::next_frame`] keeps returning the same error
/// for the same bytes. A checksum error means the stream is corrupt; call
/// [`Accumulator::clear`] to start again from new bytes.
///
/// ```
/// use kinesis_codec::eventstream::{encode, Accumulator, Header, HeaderValue};
///
/// let mut wire = [0u8; 64];
/// let len = encode(&[Header::new("n", HeaderValue::Int32(7))], b"hi", &mut wire)?;
///
/// let mut acc = Accumulator::<128>::new();
/// let mut frames = 0;
/// for piece in wire[..len].chunks(3) {
///     assert_eq!(acc.feed(piece), piece.len());
///     while let Some(frame) = acc.next_frame()? {
///         assert_eq!(frame.payload(), b"hi");
///         frames += 1;
///     }
/// }
/// assert_eq!(frames, 1);
/// assert!(acc.is_empty());
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
///
/// `N` is at least 16, the smallest frame ([`MIN_FRAME_LEN`]): a smaller accumulator could
/// never hold a frame (below 12 bytes, not even a prelude, so it would wait forever). It is
/// refused when the program is compiled:
///
/// ```compile_fail
/// let acc = kinesis_codec::eventstream::Accumulator::<11>::new();
/// ```
///
/// ```compile_fail
/// use kinesis_codec::eventstream::{Accumulator, DecodeOptions};
/// let acc = Accumulator::<15>::with_options(DecodeOptions::DEFAULT);
/// ```
///
/// ```
/// let acc = kinesis_codec::eventstream::Accumulator::<16>::new();
/// assert_eq!(acc.needed(), 12);
/// ```
#[derive(Clone, Debug)]
pub struct Accumulator<const N: usize> {
    buf: [u8; N],
    /// First byte not yet returned in a frame.
    start: usize,
    /// One past the last buffered byte.
    end: usize,
    /// The checked prelude of the frame at `start`, once its 12 bytes are in.
    prelude: Option<Prelude>,
    decoder: Decoder,
}

impl<const N: usize> Default for Accumulator<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> Accumulator<N> {
    /// An empty accumulator with the default limits.
    #[inline]
    pub const fn new() -> Self {
        Self::with_options(DecodeOptions::DEFAULT)
    }

    /// An empty accumulator with these limits.
    ///
    /// Does not compile for `N` below 16 ([`MIN_FRAME_LEN`]).
    #[inline]
    pub const fn with_options(options: DecodeOptions) -> Self {
        // spec/eventstream.md, "Frame layout": "Minimum frame: 16 bytes". A smaller buffer
        // never holds a frame, and one under 12 bytes not even the prelude: `next_frame` would
        // say "more needed" forever.
        const {
            assert!(
                N >= MIN_FRAME_LEN,
                "an Accumulator needs room for the smallest frame: N >= 16"
            )
        }
        Accumulator {
            buf: [0; N],
            start: 0,
            end: 0,
            prelude: None,
            decoder: Decoder::new(options),
        }
    }

    /// The capacity in bytes: the largest frame this accumulator can hold.
    #[inline]
    pub const fn capacity(&self) -> usize {
        N
    }

    /// Bytes buffered and not yet returned in a frame.
    #[inline]
    pub fn len(&self) -> usize {
        // `start <= end` always holds; saturating keeps that a non-panicking fact.
        self.end.saturating_sub(self.start)
    }

    /// Whether no bytes are buffered.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// Drops every buffered byte (after an error, to resynchronise on new input).
    #[inline]
    pub fn clear(&mut self) {
        self.start = 0;
        self.end = 0;
        self.prelude = None;
    }

    /// How many more bytes the next frame needs at least: the rest of the prelude, then,
    /// once the prelude is checked, exactly the rest of the frame. 0 if a frame is ready.
    #[inline]
    pub fn needed(&self) -> usize {
        match self.prelude {
            Some(p) => usize::try_from(p.total_len)
                .unwrap_or(usize::MAX)
                .saturating_sub(self.len()),
            None => PRELUDE_LEN.saturating_sub(self.len()),
        }
    }

    /// Copies as much of `bytes` as fits; returns how many bytes were taken.
    ///
    /// Fewer than `bytes.len()` are taken only when the buffer is full: take the frames out
    /// with [`Accumulator::next_frame`] and feed the rest again.
    pub fn feed(&mut self, bytes: &[u8]) -> usize {
        self.make_room(bytes.len());
        let Some(room) = self.buf.get_mut(self.end..) else {
            return 0;
        };
        let n = room.len().min(bytes.len());
        if let (Some(dst), Some(src)) = (room.get_mut(..n), bytes.get(..n)) {
            dst.copy_from_slice(src);
            self.end = self.end.saturating_add(n);
            n
        } else {
            0
        }
    }

    /// Makes the free tail hold `want` bytes if moving the buffered bytes to the front can:
    /// an empty buffer starts over at 0; a partial frame left behind a taken one is moved to
    /// the front only when the tail is too short, so most calls move nothing.
    fn make_room(&mut self, want: usize) {
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        } else if self.start > 0
            && N.saturating_sub(self.end) < want
            && self.buf.get(self.start..self.end).is_some()
        {
            self.buf.copy_within(self.start..self.end, 0);
            self.end = self.end.saturating_sub(self.start);
            self.start = 0;
        }
    }

    /// The next whole frame, if its bytes are all in; `Ok(None)` if more are needed.
    ///
    /// The prelude is checked as soon as its 12 bytes are buffered. The returned frame
    /// borrows the buffer until the next call that changes the accumulator.
    pub fn next_frame(&mut self) -> Result<Option<Frame<'_>>, DecodeError> {
        let Some(prelude) = self.checked_prelude()? else {
            return Ok(None);
        };
        let available = self.buf.get(self.start..self.end).unwrap_or_default();
        let total = usize::try_from(prelude.total_len).unwrap_or(usize::MAX);
        let Some(bytes) = available.get(..total) else {
            return Ok(None);
        };
        let frame = self.decoder.check_frame(bytes, &prelude)?;
        self.start = self.start.saturating_add(total);
        self.prelude = None;
        Ok(Some(frame))
    }

    /// The prelude of the frame at the front, checked once its 12 bytes are in (then kept).
    fn checked_prelude(&mut self) -> Result<Option<Prelude>, DecodeError> {
        if let Some(p) = self.prelude {
            return Ok(Some(p));
        }
        let available = self.buf.get(self.start..self.end).unwrap_or_default();
        let Some(p) = self.decoder.check_prelude(available)? else {
            return Ok(None);
        };
        if usize::try_from(p.total_len).map_or(true, |total| total > N) {
            return Err(DecodeError::ExceedsCapacity {
                total_len: p.total_len,
                capacity: N,
            });
        }
        self.prelude = Some(p);
        Ok(Some(p))
    }

    /// Whether the frame at the front is whole (its prelude checked), so that
    /// [`Accumulator::next_frame`] returns it.
    #[cfg(feature = "embedded-io")]
    pub(super) fn frame_ready(&mut self) -> Result<bool, DecodeError> {
        Ok(self.checked_prelude()?.is_some() && self.needed() == 0)
    }

    /// The free tail to read into, the buffered bytes moved to the front first when the tail
    /// has no room for what the next frame needs; hand what was read to
    /// [`Accumulator::filled`].
    #[cfg(feature = "embedded-io")]
    pub(super) fn spare(&mut self) -> &mut [u8] {
        self.make_room(self.needed());
        self.buf.get_mut(self.end..).unwrap_or_default()
    }

    /// Takes `n` bytes just read into [`Accumulator::spare`].
    #[cfg(feature = "embedded-io")]
    pub(super) fn filled(&mut self, n: usize) {
        self.end = self.end.saturating_add(n).min(N);
    }
}
