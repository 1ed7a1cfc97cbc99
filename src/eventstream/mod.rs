//! AWS event-stream framing (`application/vnd.amazon.eventstream`): the binary frames of
//! Kinesis `SubscribeToShard`, Transcribe, Lex, S3 Select and Bedrock streams.
//!
//! Decoding borrows everything from the caller's bytes: a [`Frame`] is a checked view whose
//! headers ([`Headers`], [`HeaderValue`]) and payload point into the input. No decode path
//! allocates, in any feature layer.
//!
//! - One-shot: [`decode`] (the first frame of a buffer and the bytes it used) and
//!   [`decode_exact`] (exactly one frame, no trailing bytes).
//! - Incremental over a growing buffer you own: [`Decoder::decode`] answers
//!   [`Decoded::NeedMore`] with the exact number of missing bytes as soon as the prelude is in,
//!   and consumes nothing until a whole frame is there.
//! - Bytes arriving in pieces: [`Accumulator`] (fixed capacity, no heap; with the feature
//!   `embedded-io`, `Accumulator::read_frame` from any `embedded_io::Read`), with `std`
//!   `FrameReader` over any `std::io::Read`, and with the feature `tokio-util` `FrameCodec`, a
//!   `tokio_util::codec` decoder and encoder for async streams.
//! - Encoding: [`encoded_len`], [`encode`] into `&mut [u8]`, [`encode_heapless`], `encode_to_vec`
//!   (with `alloc`) and [`encode_vectored`], which leaves the payload in place; the same on an
//!   [`Encoder`] written for a decoder with other limits. Frames that all carry the same
//!   headers (a SubscribeToShard server's events) take [`Encoder::prepare`] once and
//!   [`Encoder::encode_prepared`] per frame: about half the time of [`encode`] at 1 KiB.
//! - Header values a protocol expects on most frames: a [`WellKnown`] set in [`DecodeOptions`]
//!   hands them out as `'static` text without a UTF-8 pass (none by default; this layer knows
//!   no protocol's strings, the Kinesis layer supplies SubscribeToShard's).
//!
//! # Example
//!
//! ```
//! use kinesis_codec::eventstream::{decode, encode, encoded_len, Decoded, Header, HeaderValue};
//!
//! let headers = [
//!     Header::new(":message-type", HeaderValue::String("event")),
//!     Header::new(":event-type", HeaderValue::String("SubscribeToShardEvent")),
//!     Header::new("attempt", HeaderValue::Int32(3)),
//! ];
//! let payload = br#"{"Records":[]}"#;
//!
//! let mut buf = [0u8; 256];
//! let len = encode(&headers, payload, &mut buf)?;
//! assert_eq!(len, encoded_len(&headers, payload)?);
//!
//! // The first 12 bytes tell how much more is needed.
//! assert_eq!(decode(&buf[..12])?, Decoded::NeedMore { needed: len - 12 });
//!
//! let Decoded::Frame { frame, used } = decode(&buf[..len])? else { unreachable!() };
//! assert_eq!(used, len);
//! assert_eq!(frame.header(":event-type"), Some(HeaderValue::String("SubscribeToShardEvent")));
//! assert_eq!(frame.header("attempt").and_then(|v| v.as_int()), Some(3));
//! assert!(frame.headers().eq(headers.iter().copied()));
//! assert_eq!(frame.payload(), payload);
//!
//! // Any corruption is caught by the CRCs first.
//! buf[len - 5] ^= 1;
//! assert!(matches!(
//!     decode(&buf[..len]),
//!     Err(kinesis_codec::eventstream::DecodeError::MessageChecksum { .. })
//! ));
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```
//!
//! # Policy
//!
//! The prelude is checked as soon as its 12 bytes are present (CRC, then `total_len >= 16`,
//! `headers_len <= total_len - 16`, then the limits of [`DecodeOptions`]: by default a 24 MiB
//! payload and a 128 KiB header block). A whole frame's message CRC is verified before any
//! header is interpreted. Decoding accepts empty names and values, duplicate names (kept in
//! order) and value lengths up to 65,535; it rejects unknown type ids and invalid UTF-8.
//! Encoding refuses names over 255 bytes and values over 32,767 bytes, and whatever the decoder
//! would refuse: by default a header block over 128 KiB or a payload over 24 MiB.
//!
//! # Fuzzing
//!
//! Nothing is bypassed under `cfg(fuzzing)`: the CRCs are always checked. The fuzz target
//! `eventstream_crc_fixed` repairs the CRCs of its input instead, so the header parser is
//! reached.

mod accumulator;
#[cfg(feature = "arbitrary")]
mod arbitrary;
mod decode;
#[cfg(feature = "embedded-io")]
mod embedded;
mod encode;
mod error;
mod frame;
mod header;
#[cfg(feature = "alloc")]
mod in_place;
#[cfg(feature = "alloc")]
mod message;
#[cfg(feature = "alloc")]
mod owned;
mod prelude_crc;
mod prepared;
#[cfg(feature = "std")]
mod reader;
mod short;
#[cfg(feature = "aws-smithy-types")]
mod smithy;
#[cfg(feature = "tokio-util")]
mod tokio_codec;
mod well_known;

pub use accumulator::Accumulator;
pub use decode::{decode, decode_exact, Decoded, Decoder};
#[cfg(feature = "embedded-io")]
pub use embedded::ReadFrameError;
#[cfg(feature = "alloc")]
pub use encode::encode_to_vec;
pub use encode::{encode, encode_heapless, encode_vectored, encoded_len, Encoder, Vectored};
pub use error::{DecodeError, EncodeError};
pub use frame::{DecodeOptions, Frame, Prelude};
pub use frame::{DEFAULT_MAX_HEADERS_LEN, DEFAULT_MAX_PAYLOAD_LEN, MIN_FRAME_LEN, PRELUDE_LEN};
pub use header::{Header, HeaderValue, Headers, MAX_NAME_LEN, MAX_VALUE_LEN};
#[cfg(feature = "alloc")]
pub use message::Message;
#[cfg(feature = "alloc")]
pub use owned::{OwnedHeader, OwnedHeaderValue};
pub use prepared::PreparedHeaders;
#[cfg(feature = "std")]
pub use reader::{FrameReader, ReadError};
#[cfg(feature = "aws-smithy-types")]
pub use smithy::SmithyConversionError;
#[cfg(feature = "tokio-util")]
pub use tokio_codec::{CodecError, FrameBytes, FrameCodec};
pub use well_known::WellKnown;
