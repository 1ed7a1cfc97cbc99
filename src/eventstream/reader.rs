//! Frames from any [`std::io::Read`].
//!
//! *Requires feature* `std`.

#![deny(clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)]

use std::io::{self, Read};
use std::vec::Vec;

use super::decode::{DecodeOptions, Decoder};
use super::frame::{Frame, PRELUDE_LEN};
use super::DecodeError;

/// Reads frames one at a time from a [`Read`].
///
/// For each frame it reads exactly the 12-byte prelude, checks it (CRC, lengths, limits), then
/// reads exactly the rest of the frame into a buffer it reuses, so it never reads past the
/// frame and never allocates more than the limits allow. It issues small reads: wrap an
/// unbuffered source (a socket) in a [`std::io::BufReader`].
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
#[derive(Debug)]
pub struct FrameReader<R> {
    inner: R,
    buf: Vec<u8>,
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

    /// Gives back the underlying reader.
    pub fn into_inner(self) -> R {
        self.inner
    }

    /// The next frame, or `Ok(None)` at a clean end of input (between frames).
    ///
    /// The end of input inside a frame is [`ReadError::UnexpectedEof`].
    pub fn next_frame(&mut self) -> Result<Option<Frame<'_>>, ReadError> {
        let mut prelude_bytes = [0u8; PRELUDE_LEN];
        let got = read_full(&mut self.inner, &mut prelude_bytes)?;
        if got == 0 {
            return Ok(None);
        }
        let Some(prelude) = self
            .decoder
            .check_prelude(prelude_bytes.get(..got).unwrap_or_default())?
        else {
            return Err(ReadError::UnexpectedEof {
                needed: PRELUDE_LEN - got,
            });
        };
        let total = prelude.total_len as usize;
        self.buf.clear();
        self.buf.extend_from_slice(&prelude_bytes);
        self.buf.resize(total, 0);
        let body = self.buf.get_mut(PRELUDE_LEN..).unwrap_or_default();
        let want = body.len();
        let got = read_full(&mut self.inner, body)?;
        if got < want {
            return Err(ReadError::UnexpectedEof { needed: want - got });
        }
        Ok(Some(self.decoder.check_frame(&self.buf, &prelude)?))
    }
}

/// Reads until `buf` is full or the input ends; returns the bytes read.
fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while let Some(rest) = buf.get_mut(filled..) {
        if rest.is_empty() {
            break;
        }
        match r.read(rest) {
            Ok(0) => break,
            Ok(n) => filled += n.min(rest.len()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
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
