//! `embedded-io` for event-stream frames: [`Accumulator::read_frame`] reads checked frames from
//! any [`embedded_io::Read`] (a UART, a TCP or TLS stream of an embedded network stack) into
//! the accumulator's own buffer, with no heap and no copy beyond the read itself.
//!
//! *Requires feature* `embedded-io` (no `std`, no `alloc`).

use core::fmt;

use super::{Accumulator, DecodeError, Frame};

/// Why [`Accumulator::read_frame`] stopped: the reader failed, or the bytes are not a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadFrameError<E> {
    /// The reader's error. The bytes read before it stay buffered: call again to go on.
    Io(E),
    /// A bad frame, or the stream ended inside one ([`DecodeError::Incomplete`]).
    Decode(DecodeError),
}

impl<E: fmt::Display> fmt::Display for ReadFrameError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadFrameError::Io(e) => write!(f, "event-stream reader: {e}"),
            ReadFrameError::Decode(e) => write!(f, "event-stream frame: {e}"),
        }
    }
}

impl<E: core::error::Error + 'static> core::error::Error for ReadFrameError<E> {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            ReadFrameError::Io(e) => Some(e),
            ReadFrameError::Decode(e) => Some(e),
        }
    }
}

impl<E> From<DecodeError> for ReadFrameError<E> {
    fn from(e: DecodeError) -> Self {
        ReadFrameError::Decode(e)
    }
}

impl<const N: usize> Accumulator<N> {
    /// The next frame from `reader`: reads until a whole frame is buffered and returns it,
    /// checked, borrowed from the accumulator (bytes read past it stay for the next call).
    /// `Ok(None)` when the stream ends between frames; a stream that ends inside a frame is
    /// [`DecodeError::Incomplete`].
    ///
    /// Each read asks for at most the free tail of the buffer, and never waits for more than
    /// the frame needs: once the prelude is in, the frame's length is known.
    ///
    /// ```
    /// use kinesis_codec::eventstream::{encode, Accumulator, Header, HeaderValue};
    ///
    /// let mut wire = [0u8; 128];
    /// let headers = [Header::new(":event-type", HeaderValue::String("Records"))];
    /// let first = encode(&headers, b"one", &mut wire)?;
    /// let second = encode(&headers, b"two", &mut wire[first..])?;
    ///
    /// let mut reader: &[u8] = &wire[..first + second]; // any embedded_io::Read
    /// let mut acc = Accumulator::<64>::new();
    /// assert_eq!(acc.read_frame(&mut reader)?.unwrap().payload(), b"one");
    /// assert_eq!(acc.read_frame(&mut reader)?.unwrap().payload(), b"two");
    /// assert!(acc.read_frame(&mut reader)?.is_none()); // the end, between frames
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    pub fn read_frame<R: embedded_io::Read>(
        &mut self,
        reader: &mut R,
    ) -> Result<Option<Frame<'_>>, ReadFrameError<R::Error>> {
        loop {
            if self.frame_ready()? {
                return self.next_frame().map_err(ReadFrameError::Decode);
            }
            let room = self.spare();
            if room.is_empty() {
                // Cannot happen: a frame longer than N is refused by its prelude, and a buffer
                // of at least 16 bytes always has room for a prelude. Refuse rather than spin.
                return Err(ReadFrameError::Decode(DecodeError::Incomplete {
                    needed: self.needed(),
                }));
            }
            let n = reader.read(room).map_err(ReadFrameError::Io)?;
            if n == 0 {
                if self.is_empty() {
                    return Ok(None);
                }
                return Err(ReadFrameError::Decode(DecodeError::Incomplete {
                    needed: self.needed().max(1),
                }));
            }
            self.filled(n);
        }
    }
}
