//! Frames from any [`std::io::Read`].
//!
//! *Requires feature* `std`.

use std::io::{self, Read};
use std::vec::Vec;

use super::decode::Decoder;
use super::frame::DecodeOptions;
use super::frame::{Frame, Prelude, PRELUDE_LEN};
use super::DecodeError;

/// The first step by which the buffer grows for a frame's body, in bytes.
const GROW_MIN: usize = 8 * 1024;
/// The largest step by which the buffer grows at once: the room it holds beyond the bytes
/// that have arrived.
const GROW_MAX: usize = 1024 * 1024;

/// Reads frames one at a time from a [`Read`].
///
/// For each frame it reads exactly the 12-byte prelude, checks it (CRC, lengths, limits), then
/// reads exactly the rest of the frame, so it never reads past the frame. Its buffer grows with
/// the bytes that arrive, not with the length the prelude announces: it holds at most 1 MiB
/// beyond what has been read (a prelude announcing a 4 GiB frame, followed by nothing, costs a
/// few KiB), never more than the limits allow, and is reused for the next frame. It issues
/// small reads: wrap an unbuffered source (a socket) in a [`std::io::BufReader`].
///
/// # Errors keep the bytes read
///
/// No byte read from the inner reader is ever dropped. If the inner reader fails in the middle
/// of a frame ([`io::ErrorKind::WouldBlock`] from a non-blocking socket,
/// [`io::ErrorKind::TimedOut`] from a read timeout, or any other error), the error is returned
/// and the bytes of the frame read so far are kept: calling [`FrameReader::next_frame`] again
/// resumes where it left off, and the frames that come out are exactly those a one-shot
/// [`decode`](super::decode) of the whole stream gives. Retrying after `WouldBlock` or
/// `TimedOut` is safe. [`io::ErrorKind::Interrupted`] is retried inside.
///
/// The end of input inside a frame ([`ReadError::UnexpectedEof`]) also keeps the bytes: a
/// source that grows later (a file being written) can be read on from there. A frame that fails
/// its checks ([`ReadError::Decode`]) is kept too, and every later call returns the same error:
/// the stream is corrupt, and the bytes are still there ([`FrameReader::buffered`]).
///
/// *Requires feature* `std`.
///
/// ```
/// use kinesis_codec::eventstream::{encode_to_vec, FrameReader, Header, HeaderValue};
///
/// let mut wire = Vec::new();
/// encode_to_vec(&[Header::new("seq", HeaderValue::Int64(1))], b"one", &mut wire)?;
/// encode_to_vec(&[Header::new("seq", HeaderValue::Int64(2))], b"two", &mut wire)?;
///
/// let mut reader = FrameReader::new(&wire[..]);
/// let mut payloads = Vec::new();
/// while let Some(frame) = reader.next_frame()? {
///     payloads.push(frame.payload().to_vec());
/// }
/// assert_eq!(payloads, [b"one".to_vec(), b"two".to_vec()]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Retrying after a timeout, here from a reader that times out after every 5 bytes:
///
/// ```
/// use std::io::{self, Read};
/// use kinesis_codec::eventstream::{encode_to_vec, FrameReader, ReadError};
///
/// struct Slow<'a> { bytes: &'a [u8], tick: bool }
/// impl Read for Slow<'_> {
///     fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
///         self.tick = !self.tick;
///         if !self.tick {
///             return Err(io::ErrorKind::TimedOut.into());
///         }
///         let n = buf.len().min(5).min(self.bytes.len());
///         buf[..n].copy_from_slice(&self.bytes[..n]);
///         self.bytes = &self.bytes[n..];
///         Ok(n)
///     }
/// }
///
/// let mut wire = Vec::new();
/// encode_to_vec(&[], b"first", &mut wire)?;
/// encode_to_vec(&[], b"second", &mut wire)?;
/// let mut reader = FrameReader::new(Slow { bytes: &wire, tick: false });
/// let mut payloads = Vec::new();
/// loop {
///     match reader.next_frame() {
///         Ok(Some(frame)) => payloads.push(frame.payload().to_vec()),
///         Ok(None) => break,
///         Err(ReadError::Io(e)) if e.kind() == io::ErrorKind::TimedOut => continue,
///         Err(e) => return Err(e.into()),
///     }
/// }
/// assert_eq!(payloads, [b"first".to_vec(), b"second".to_vec()]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct FrameReader<R> {
    inner: R,
    /// The frame being read is `buf[..filled]`; `buf[filled..]` is zeroed room from earlier
    /// growth or earlier frames, read into without zeroing it again.
    buf: Vec<u8>,
    /// Bytes of the current frame read so far.
    filled: usize,
    /// The checked prelude of the current frame, once its 12 bytes are in.
    prelude: Option<Prelude>,
    /// Bytes of the frames returned so far: the input offset of the current frame.
    offset: u64,
    decoder: Decoder,
}

impl<R: Read> FrameReader<R> {
    /// A reader with the default limits.
    pub fn new(inner: R) -> Self {
        Self::with_options(inner, DecodeOptions::DEFAULT)
    }

    /// A reader with these limits.
    pub fn with_options(inner: R, options: DecodeOptions) -> Self {
        FrameReader {
            inner,
            buf: Vec::new(),
            filled: 0,
            prelude: None,
            offset: 0,
            decoder: Decoder::new(options),
        }
    }

    /// The underlying reader.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The underlying reader, mutably (reading from it directly desynchronises the frames).
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// Gives back the underlying reader; the bytes of an unfinished frame
    /// ([`FrameReader::buffered`]) are dropped.
    pub fn into_inner(self) -> R {
        self.inner
    }

    /// The bytes of the frame being read that have arrived so far (empty between frames).
    ///
    /// After [`ReadError::UnexpectedEof`] these are the bytes the input ended with; after
    /// [`ReadError::Decode`], the bytes of the frame that failed (its prelude alone if the
    /// prelude failed). See [`FrameReader::offset`] for an example.
    pub fn buffered(&self) -> &[u8] {
        self.buf.get(..self.filled).unwrap_or_default()
    }

    /// The byte offset in the input of the frame being read, or of the next one between frames:
    /// the length of the frames returned so far. After an error it is the offset of the frame
    /// that failed, whose bytes read so far are [`FrameReader::buffered`].
    ///
    /// ```
    /// use kinesis_codec::eventstream::{encode_to_vec, FrameReader, ReadError};
    ///
    /// let mut wire = Vec::new();
    /// encode_to_vec(&[], b"first", &mut wire)?;
    /// encode_to_vec(&[], b"second", &mut wire)?;
    /// let cut = wire.len() - 3; // the input ends inside the second frame
    ///
    /// let mut reader = FrameReader::new(&wire[..cut]);
    /// assert_eq!(reader.offset(), 0);
    /// let first_len = reader.next_frame()?.map(|f| f.as_bytes().len()).unwrap_or(0);
    /// assert_eq!(reader.offset(), first_len as u64);
    ///
    /// assert!(matches!(reader.next_frame(), Err(ReadError::UnexpectedEof { needed: 3 })));
    /// assert_eq!(reader.offset(), first_len as u64);
    /// assert_eq!(reader.buffered(), &wire[first_len..cut]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The next frame, or `Ok(None)` at a clean end of input (between frames).
    ///
    /// The end of input inside a frame is [`ReadError::UnexpectedEof`]. After any error the
    /// bytes read so far are kept, and the next call goes on from them (see the type's docs).
    pub fn next_frame(&mut self) -> Result<Option<Frame<'_>>, ReadError> {
        let prelude = match self.prelude {
            Some(p) => p,
            None => {
                // spec/eventstream.md, "Our policy": "as soon as 12 bytes are present, check
                // the prelude CRC, ... Never wait for (or reserve) the body of a frame whose
                // prelude is bad."
                if !self.fill(PRELUDE_LEN)? {
                    return match PRELUDE_LEN.checked_sub(self.filled) {
                        Some(PRELUDE_LEN) | None => Ok(None),
                        Some(needed) => Err(ReadError::UnexpectedEof { needed }),
                    };
                }
                let Some(p) = self.decoder.check_prelude(self.buffered())? else {
                    // `fill` returned with 12 bytes in.
                    return Err(ReadError::UnexpectedEof {
                        needed: PRELUDE_LEN,
                    });
                };
                self.prelude = Some(p);
                p
            }
        };
        let total = usize::try_from(prelude.total_len).unwrap_or(usize::MAX);
        if !self.fill(total)? {
            return Err(ReadError::UnexpectedEof {
                needed: total.saturating_sub(self.filled),
            });
        }
        let bytes = self.buf.get(..total).unwrap_or_default();
        let frame = self.decoder.check_frame(bytes, &prelude)?;
        // The frame is returned: the next call starts a new one, right after it.
        self.filled = 0;
        self.prelude = None;
        self.offset = self.offset.saturating_add(u64::from(prelude.total_len));
        Ok(Some(frame))
    }

    /// Reads until `target` bytes of the current frame are in; `Ok(false)` if the input ends
    /// first. Every byte read is kept in `buf[..filled]`, whatever happens.
    fn fill(&mut self, target: usize) -> io::Result<bool> {
        while self.filled < target {
            if self.filled >= self.buf.len() {
                self.grow(target);
            }
            let end = self.buf.len().min(target);
            let Some(room) = self.buf.get_mut(self.filled..end) else {
                debug_assert!(false, "grow makes room past `filled`");
                return Ok(false);
            };
            let room_len = room.len();
            match self.inner.read(room) {
                Ok(0) => return Ok(false),
                // A reader claiming more than the room it was given is wrong; take the room.
                Ok(n) => self.filled = self.filled.saturating_add(n.min(room_len)),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(true)
    }

    /// Grows the zeroed room past `filled` for a frame of `target` bytes: by as many bytes as
    /// have arrived (at least [`GROW_MIN`], at most [`GROW_MAX`]), never past the frame. So the
    /// buffer never holds more than `GROW_MAX` bytes beyond the ones read, whatever length the
    /// prelude announces, and grows in O(log n) steps up to 1 MiB, then by 1 MiB at a time.
    fn grow(&mut self, target: usize) {
        let step = self
            .filled
            .clamp(GROW_MIN, GROW_MAX)
            .min(target.saturating_sub(self.filled));
        let new_len = self.filled.saturating_add(step);
        self.buf
            .reserve_exact(new_len.saturating_sub(self.buf.len()));
        self.buf.resize(new_len, 0);
    }
}

/// Why [`FrameReader::next_frame`] failed.
///
/// *Requires feature* `std`.
#[non_exhaustive]
#[derive(Debug)]
pub enum ReadError {
    /// The underlying reader failed.
    Io(io::Error),
    /// The bytes are not a valid frame.
    Decode(DecodeError),
    /// The input ended inside a frame.
    UnexpectedEof {
        /// Bytes still missing from the frame, at least.
        needed: usize,
    },
}

impl core::fmt::Display for ReadError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Io(e) => write!(f, "read failed: {e}"),
            Self::Decode(e) => e.fmt(f),
            Self::UnexpectedEof { needed } => write!(
                f,
                "input ended inside a frame: at least {needed} more bytes expected"
            ),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io(e) => Some(e),
            Self::Decode(e) => Some(e),
            Self::UnexpectedEof { .. } => None,
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

impl From<DecodeError> for ReadError {
    fn from(e: DecodeError) -> Self {
        ReadError::Decode(e)
    }
}

impl From<ReadError> for io::Error {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Io(e) => e,
            ReadError::Decode(e) => io::Error::new(io::ErrorKind::InvalidData, e),
            e @ ReadError::UnexpectedEof { .. } => io::Error::new(io::ErrorKind::UnexpectedEof, e),
        }
    }
}
