//! `tokio_util::codec` for event-stream frames: [`FrameCodec`] turns an `AsyncRead` into a
//! stream of checked frames (`FramedRead`) and messages into bytes (`FramedWrite`).
//!
//! *Requires feature* `tokio-util`.
//!
//! Decoding checks each frame as [`Decoder::decode`](super::Decoder::decode) does (the prelude
//! as soon as its 12 bytes are in, both CRCs, the header block, the limits of
//! [`DecodeOptions`]). A decoded frame is split off the read buffer as one [`Bytes`] with no
//! copy ([`FrameBytes`]); its header and payload views borrow from it. A frame cut short by the
//! end of the stream is [`DecodeError::Incomplete`], and a bad frame ends the stream with its
//! error: past a bad frame the framing of the rest cannot be trusted.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use futures_util::{SinkExt, StreamExt};
//! use kinesis_codec::eventstream::{FrameCodec, Header, HeaderValue, Message};
//! use tokio_util::codec::{FramedRead, FramedWrite};
//!
//! // Two messages written to a pipe, read back as frames.
//! let (client, server) = tokio::io::duplex(64);
//! let write = async move {
//!     let mut out = FramedWrite::new(client, FrameCodec::default());
//!     for payload in [&b"first"[..], b"second"] {
//!         let headers = vec![Header::new(":event-type", HeaderValue::String("Records"))];
//!         out.send(&Message::new(headers, payload)).await?;
//!     }
//!     Ok::<_, kinesis_codec::eventstream::CodecError>(())
//! };
//! let read = async move {
//!     let mut frames = FramedRead::new(server, FrameCodec::default());
//!     let mut payloads = Vec::new();
//!     while let Some(frame) = frames.next().await {
//!         let frame = frame?;
//!         assert_eq!(frame.frame().header_str(":event-type"), Some("Records"));
//!         payloads.push(frame.frame().payload().to_vec());
//!     }
//!     Ok::<_, kinesis_codec::eventstream::CodecError>(payloads)
//! };
//! let (written, payloads) = tokio::join!(write, read);
//! written?;
//! assert_eq!(payloads?, [b"first".to_vec(), b"second".to_vec()]);
//! # Ok(())
//! # }
//! ```

use core::fmt;

use bytes::{Bytes, BytesMut};
use tokio_util::codec;

use super::frame::checked_again;
use super::{DecodeError, DecodeOptions, Decoded, Decoder, EncodeError, Encoder, Frame, Message};
use super::{WellKnown, PRELUDE_LEN};

/// The codec: frames in (checked, limits of its [`DecodeOptions`]); messages out (refused where
/// a decoder with the same limits would refuse them), or frames out as they were read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrameCodec {
    decoder: Decoder,
}

impl FrameCodec {
    /// A codec with these limits, for reading and for writing.
    pub const fn new(options: DecodeOptions) -> Self {
        FrameCodec {
            decoder: Decoder::new(options),
        }
    }

    /// The limits in force.
    pub const fn options(&self) -> &DecodeOptions {
        self.decoder.options()
    }
}

/// A checked frame holding its own bytes (split off the read buffer, not copied).
#[derive(Clone, PartialEq, Eq)]
pub struct FrameBytes {
    bytes: Bytes,
    well_known: &'static WellKnown,
}

impl FrameBytes {
    /// The frame's view: headers, payload, CRCs, borrowed from [`bytes`](Self::bytes).
    pub fn frame(&self) -> Frame<'_> {
        checked_again(&self.bytes, self.well_known)
    }

    /// The whole frame as it was read, prelude to message CRC.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The frame's bytes, for a caller that keeps them (a proxy writing them on unchanged).
    pub fn into_bytes(self) -> Bytes {
        self.bytes
    }
}

impl fmt::Debug for FrameBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.frame(), f)
    }
}

/// Why the codec stopped: the transport failed, a frame read was bad, or a frame to write was
/// refused.
#[derive(Debug)]
#[non_exhaustive]
pub enum CodecError {
    /// The transport's error.
    Io(std::io::Error),
    /// A frame read was bad (the stream ends here).
    Decode(DecodeError),
    /// A message to write breaks the limits; nothing of it was written.
    Encode(EncodeError),
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodecError::Io(e) => write!(f, "event-stream transport: {e}"),
            CodecError::Decode(e) => write!(f, "event-stream frame: {e}"),
            CodecError::Encode(e) => write!(f, "event-stream message: {e}"),
        }
    }
}

impl std::error::Error for CodecError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CodecError::Io(e) => Some(e),
            CodecError::Decode(e) => Some(e),
            CodecError::Encode(e) => Some(e),
        }
    }
}

impl From<std::io::Error> for CodecError {
    fn from(e: std::io::Error) -> Self {
        CodecError::Io(e)
    }
}

impl From<DecodeError> for CodecError {
    fn from(e: DecodeError) -> Self {
        CodecError::Decode(e)
    }
}

impl From<EncodeError> for CodecError {
    fn from(e: EncodeError) -> Self {
        CodecError::Encode(e)
    }
}

impl codec::Decoder for FrameCodec {
    type Item = FrameBytes;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<FrameBytes>, CodecError> {
        let used = match self.decoder.decode(src)? {
            Decoded::Frame { used, .. } => used,
            Decoded::NeedMore { needed } => {
                // The prelude is checked (and its length known) from 12 bytes on: room for the
                // rest is made once, not by doubling.
                if src.len() >= PRELUDE_LEN {
                    src.reserve(needed);
                }
                return Ok(None);
            }
        };
        Ok(Some(FrameBytes {
            bytes: src.split_to(used).freeze(),
            well_known: self.decoder.options().well_known,
        }))
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<FrameBytes>, CodecError> {
        match self.decode(src)? {
            Some(frame) => Ok(Some(frame)),
            None if src.is_empty() => Ok(None),
            None => {
                let needed = match self.decoder.decode(src)? {
                    Decoded::NeedMore { needed } => needed,
                    Decoded::Frame { .. } => 0,
                };
                Err(CodecError::Decode(DecodeError::Incomplete { needed }))
            }
        }
    }
}

impl codec::Encoder<&Message<'_>> for FrameCodec {
    type Error = CodecError;

    fn encode(&mut self, message: &Message<'_>, dst: &mut BytesMut) -> Result<(), CodecError> {
        let encoder = Encoder::new(*self.decoder.options());
        let len = encoder.encoded_len(&message.headers, message.payload)?;
        // Only the head (prelude and headers) is written in place; the payload and the CRC
        // are appended, so the payload's room is never zero-filled first.
        let head_len = len.saturating_sub(message.payload.len()).saturating_sub(4);
        dst.reserve(len);
        let start = dst.len();
        dst.resize(start.saturating_add(head_len), 0);
        let written = match dst.get_mut(start..) {
            Some(head) => encoder.encode_vectored(&message.headers, message.payload, head),
            None => Err(EncodeError::BufferTooSmall {
                needed: head_len,
                available: 0,
            }),
        };
        match written {
            Ok(frame) => {
                dst.extend_from_slice(frame.payload);
                dst.extend_from_slice(&frame.trailer);
                Ok(())
            }
            Err(e) => {
                dst.truncate(start);
                Err(e.into())
            }
        }
    }
}

impl codec::Encoder<Frame<'_>> for FrameCodec {
    type Error = CodecError;

    /// Writes a frame as it was read (a proxy passing frames on).
    fn encode(&mut self, frame: Frame<'_>, dst: &mut BytesMut) -> Result<(), CodecError> {
        dst.extend_from_slice(frame.as_bytes());
        Ok(())
    }
}
