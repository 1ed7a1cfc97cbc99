//! SubscribeToShard's event stream: typed items over [`crate::eventstream`] frames.
//!
//! *Requires feature* `alloc`.
//!
//! The response body of `SubscribeToShard` is a sequence of event-stream frames. Each frame is
//! one [`SubscribeToShardItem`], decided by its headers:
//!
//! | `:message-type` | other headers | item |
//! |---|---|---|
//! | `event` | `:event-type: initial-response` | [`InitialResponse`](SubscribeToShardItem::InitialResponse) (payload `{}`) |
//! | `event` | `:event-type: SubscribeToShardEvent` | [`Event`](SubscribeToShardItem::Event), payload = the JSON of the shape |
//! | `event` | any other `:event-type` | [`Unknown`](SubscribeToShardItem::Unknown), kept as is |
//! | `exception` | `:exception-type` (one of the [`STREAM_EXCEPTIONS`], or another code) | [`Exception`](SubscribeToShardItem::Exception) |
//! | `error` | `:error-code`, `:error-message` | [`GenericError`](SubscribeToShardItem::GenericError) |
//!
//! The payload is JSON, or CBOR when the frame's `:content-type` is
//! `application/x-amz-cbor-1.1` (a subscription made over CBOR, `spec/cbor.md`); any other or no
//! `:content-type` reads as JSON.
//!
//! Encoding writes a frame as the service does: `:event-type` (or `:exception-type`),
//! `:content-type: application/x-amz-json-1.1`, `:message-type`, then the JSON payload
//! ([`encode_to_vec_in`](SubscribeToShardItem::encode_to_vec_in) writes CBOR payloads). The
//! payload is serialized straight into the output `Vec`, after the room left for the head
//! ([`Encoder::encode_to_vec_with`](eventstream::Encoder::encode_to_vec_with)), so no heap is
//! used beyond the output itself (with `std`; without it serde_json
//! needs one temporary `Vec` for the payload).
//!
//! ```
//! use kinesis_codec::eventstream::{self, Header, HeaderValue};
//! use kinesis_codec::kinesis::SubscribeToShardItem;
//!
//! // A frame as the service sends it.
//! let payload = br#"{"ContinuationSequenceNumber":"1","MillisBehindLatest":0,"Records":[{"ApproximateArrivalTimestamp":1441215410.867,"Data":"aGVsbG8=","PartitionKey":"pk","SequenceNumber":"1"}]}"#;
//! let headers = [
//!     Header { name: ":event-type", value: HeaderValue::String("SubscribeToShardEvent") },
//!     Header { name: ":content-type", value: HeaderValue::String("application/x-amz-json-1.1") },
//!     Header { name: ":message-type", value: HeaderValue::String("event") },
//! ];
//! let mut bytes = Vec::new();
//! eventstream::encode_to_vec(&headers, payload, &mut bytes).unwrap();
//!
//! let frame = eventstream::decode_exact(&bytes).unwrap();
//! let item = SubscribeToShardItem::from_frame(&frame).unwrap();
//! let SubscribeToShardItem::Event(event) = &item else { panic!("not an event") };
//! let records = event.records.as_ref().unwrap();
//! assert_eq!(records[0].data.as_ref().unwrap().to_vec(), b"hello");
//! assert_eq!(records[0].approximate_arrival_timestamp.unwrap().as_millis(), 1_441_215_410_867);
//!
//! // Encoding gives back the same frame (members in model order, as the service writes them).
//! let mut again = Vec::new();
//! item.encode_to_vec(&mut again).unwrap();
//! assert_eq!(again, bytes);
//! ```

use alloc::borrow::Cow;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::generated::event_streams;
use super::shapes::SubscribeToShardEvent;
use super::Error;
use crate::eventstream::{self, DecodeOptions, EncodeError, Frame, Header, HeaderValue, WellKnown};
use crate::wire::{Protocol, WireError};

/// The `:content-type` of every JSON event and exception.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
/// The `:content-type` of every CBOR event and exception.
pub const CBOR_CONTENT_TYPE: &str = "application/x-amz-cbor-1.1";
/// The `:event-type` of the first event of a subscription.
pub const INITIAL_RESPONSE: &str = "initial-response";
/// The `:event-type` of a batch of records: the one event the model lists in
/// `SubscribeToShardEventStream`.
// A second event in the model stops the build here: `read` and `encode_to_vec` must learn it.
pub const EVENT_TYPE: &str = {
    let [event] = event_streams::SUBSCRIBE_TO_SHARD_EVENT_STREAM_EVENTS;
    event
};
pub use event_streams::SUBSCRIBE_TO_SHARD_EVENT_STREAM_EXCEPTIONS as STREAM_EXCEPTIONS;
/// The string header values of SubscribeToShard frames (`:message-type`, `:event-type`,
/// `:content-type`), for [`DECODE_OPTIONS`]: decoding hands them out without a UTF-8 pass.
/// The three every event carries come first.
pub const HEADER_VALUES: WellKnown = WellKnown::new([
    "event",
    EVENT_TYPE,
    CONTENT_TYPE,
    INITIAL_RESPONSE,
    "exception",
    "error",
    "application/json",
    CBOR_CONTENT_TYPE,
]);

/// The options to decode a SubscribeToShard response body with: the default limits, and
/// [`HEADER_VALUES`] handed out without a UTF-8 pass. The frames are the same as with the
/// defaults; reading their headers is faster.
///
/// ```
/// use kinesis_codec::eventstream::{Decoded, Decoder};
/// use kinesis_codec::kinesis::{subscribe, SubscribeToShardItem};
///
/// let mut body = Vec::new();
/// SubscribeToShardItem::InitialResponse.encode_to_vec(&mut body)?;
///
/// // A whole body in memory...
/// const DECODER: Decoder = Decoder::new(subscribe::DECODE_OPTIONS);
/// let Decoded::Frame { frame, .. } = DECODER.decode(&body)? else { unreachable!() };
/// assert_eq!(frame.header_str(":event-type"), Some(subscribe::INITIAL_RESPONSE));
/// assert_eq!(SubscribeToShardItem::from_frame(&frame)?, SubscribeToShardItem::InitialResponse);
///
/// // ...or read from a connection (`FrameReader` needs `std`).
/// # #[cfg(feature = "std")] {
/// use kinesis_codec::eventstream::FrameReader;
/// let mut reader = FrameReader::with_options(&body[..], subscribe::DECODE_OPTIONS);
/// while let Some(frame) = reader.next_frame()? {
///     assert_eq!(frame.header_str(":content-type"), Some(subscribe::CONTENT_TYPE));
/// }
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const DECODE_OPTIONS: DecodeOptions = DecodeOptions::DEFAULT.well_known(&HEADER_VALUES);

/// One frame of a SubscribeToShard response, typed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum SubscribeToShardItem<'a> {
    /// `:event-type: initial-response`, the first frame (payload `{}`).
    InitialResponse,
    /// `:event-type: SubscribeToShardEvent`: records, continuation, lag, child shards.
    Event(SubscribeToShardEvent<'a>),
    /// `:message-type: exception`: one of the modeled [`STREAM_EXCEPTIONS`], or another code
    /// (kept in `Error::Unknown`).
    Exception(Error<'a>),
    /// `:message-type: error`: an error the model does not describe. A frame without
    /// `:error-message` reads as an empty message.
    GenericError {
        /// `:error-code`.
        code: &'a str,
        /// `:error-message`.
        message: &'a str,
    },
    /// An `:event-type` this version does not know, kept as is.
    Unknown {
        /// `:event-type`.
        event_type: &'a str,
        /// The payload, unparsed.
        payload: &'a [u8],
    },
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for SubscribeToShardItem<'a> {
    /// Items that decode back to themselves: an `Unknown` event type is never one of the two
    /// known ones (those become `InitialResponse`).
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(match u.choose_index(5)? {
            0 => SubscribeToShardItem::InitialResponse,
            1 => SubscribeToShardItem::Event(arbitrary::Arbitrary::arbitrary(u)?),
            2 => SubscribeToShardItem::Exception(arbitrary::Arbitrary::arbitrary(u)?),
            3 => SubscribeToShardItem::GenericError {
                code: u.arbitrary()?,
                message: u.arbitrary()?,
            },
            _ => {
                let event_type: &'a str = u.arbitrary()?;
                if event_type == INITIAL_RESPONSE || event_type == EVENT_TYPE {
                    SubscribeToShardItem::InitialResponse
                } else {
                    SubscribeToShardItem::Unknown {
                        event_type,
                        payload: u.arbitrary()?,
                    }
                }
            }
        })
    }
}

/// A frame that is not a valid SubscribeToShard item, or an item that cannot be encoded.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubscribeError {
    /// A required header is absent.
    MissingHeader {
        /// The header name, e.g. `:message-type`.
        name: &'static str,
    },
    /// A header has another type than string (type ids as on the wire, 7 = string).
    HeaderNotString {
        /// The header name.
        name: &'static str,
        /// The header's type id.
        type_id: u8,
    },
    /// `:message-type` is neither `event`, `exception` nor `error`.
    UnknownMessageType {
        /// The value found.
        value: String,
    },
    /// The JSON payload does not fit its shape.
    Payload {
        /// The `:event-type` or `:exception-type`.
        item: String,
        /// What is wrong, with the JSON path.
        error: WireError,
    },
    /// The frame cannot be encoded (a header value or the frame is too long).
    Encode(EncodeError),
}

impl fmt::Display for SubscribeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SubscribeError::MissingHeader { name } => write!(f, "missing header `{name}`"),
            SubscribeError::HeaderNotString { name, type_id } => {
                write!(
                    f,
                    "header `{name}` has type {type_id}, expected a string (7)"
                )
            }
            SubscribeError::UnknownMessageType { value } => write!(
                f,
                "unknown `:message-type` {value:?} (expected event, exception or error)"
            ),
            SubscribeError::Payload { item, error } => write!(f, "{item} payload {error}"),
            SubscribeError::Encode(e) => write!(f, "cannot encode the frame: {e:?}"),
        }
    }
}

impl core::error::Error for SubscribeError {}

impl From<EncodeError> for SubscribeError {
    fn from(e: EncodeError) -> Self {
        SubscribeError::Encode(e)
    }
}

/// A string header, or `None` if absent.
fn string_header<'a>(
    frame: &Frame<'a>,
    name: &'static str,
) -> Result<Option<&'a str>, SubscribeError> {
    match frame.header(name) {
        None => Ok(None),
        Some(HeaderValue::String(s)) => Ok(Some(s)),
        Some(other) => Err(SubscribeError::HeaderNotString {
            name,
            type_id: other.type_id(),
        }),
    }
}

fn required_header<'a>(frame: &Frame<'a>, name: &'static str) -> Result<&'a str, SubscribeError> {
    string_header(frame, name)?.ok_or(SubscribeError::MissingHeader { name })
}

impl<'a> SubscribeToShardItem<'a> {
    /// Reads a decoded frame as a SubscribeToShard item (see the module docs for the rules).
    pub fn from_frame(frame: &Frame<'a>) -> Result<Self, SubscribeError> {
        Self::read(frame, None)
    }

    /// [`from_frame`](Self::from_frame), decoding an event's record data into `buf` as the payload
    /// is read ([`records::parse_event`](super::records::parse_event): the records' blobs hold
    /// their bytes; a buffer of [`records::max_decoded_len`](super::records::max_decoded_len) of
    /// the payload always suffices).
    pub fn from_frame_decoding(
        frame: &Frame<'a>,
        buf: &'a mut [u8],
    ) -> Result<Self, SubscribeError> {
        Self::read(frame, Some(buf))
    }

    fn read(frame: &Frame<'a>, buf: Option<&'a mut [u8]>) -> Result<Self, SubscribeError> {
        let message_type = required_header(frame, ":message-type")?;
        let payload = frame.payload();
        let protocol = match frame.header(":content-type") {
            Some(HeaderValue::String(CBOR_CONTENT_TYPE)) => Protocol::Cbor,
            _ => Protocol::Json,
        };
        match message_type {
            "event" => {
                let event_type = required_header(frame, ":event-type")?;
                match event_type {
                    INITIAL_RESPONSE => Ok(SubscribeToShardItem::InitialResponse),
                    EVENT_TYPE => match (protocol, buf) {
                        (Protocol::Json, Some(buf)) => super::records::parse_event(payload, buf),
                        // CBOR blobs are raw bytes already, borrowed from the payload.
                        (Protocol::Cbor, _) => super::records::parse_event_cbor(payload),
                        (protocol, _) => crate::wire::parse_body_in(
                            protocol,
                            payload,
                            &crate::wire::ParseOptions::new(),
                        ),
                    }
                    .map(SubscribeToShardItem::Event)
                    .map_err(|error| SubscribeError::Payload {
                        item: EVENT_TYPE.to_string(),
                        error,
                    }),
                    _ => Ok(SubscribeToShardItem::Unknown {
                        event_type,
                        payload,
                    }),
                }
            }
            "exception" => {
                let code = required_header(frame, ":exception-type")?;
                Error::from_code_in(protocol, Cow::Borrowed(code), payload)
                    .map(SubscribeToShardItem::Exception)
                    .map_err(|error| SubscribeError::Payload {
                        item: code.to_string(),
                        error,
                    })
            }
            "error" => Ok(SubscribeToShardItem::GenericError {
                code: required_header(frame, ":error-code")?,
                message: string_header(frame, ":error-message")?.unwrap_or(""),
            }),
            other => Err(SubscribeError::UnknownMessageType {
                value: other.to_string(),
            }),
        }
    }

    /// Appends the frame for this item to `out`, as the service sends it.
    ///
    /// On error nothing is appended.
    pub fn encode_to_vec(&self, out: &mut Vec<u8>) -> Result<(), SubscribeError> {
        self.encode_to_vec_in(Protocol::Json, out)
    }

    /// [`encode_to_vec`](Self::encode_to_vec) with the payload in `protocol` (and its
    /// `:content-type`), as the service answers a subscription made in that protocol.
    pub fn encode_to_vec_in(
        &self,
        protocol: Protocol,
        out: &mut Vec<u8>,
    ) -> Result<(), SubscribeError> {
        let content_type = match protocol {
            Protocol::Cbor => CBOR_CONTENT_TYPE,
            _ => CONTENT_TYPE,
        };
        let string = |name, value| Header {
            name,
            value: HeaderValue::String(value),
        };
        match self {
            SubscribeToShardItem::InitialResponse => encode_json(
                &[
                    string(":event-type", INITIAL_RESPONSE),
                    string(":content-type", content_type),
                    string(":message-type", "event"),
                ],
                |out| out.extend_from_slice(crate::wire::empty_body(protocol)),
                out,
            ),
            SubscribeToShardItem::Event(event) => encode_json(
                &[
                    string(":event-type", EVENT_TYPE),
                    string(":content-type", content_type),
                    string(":message-type", "event"),
                ],
                |out| crate::wire::to_writer_in(protocol, event, out),
                out,
            ),
            SubscribeToShardItem::Exception(error) => encode_json(
                &[
                    string(":exception-type", error.code()),
                    string(":content-type", content_type),
                    string(":message-type", "exception"),
                ],
                |out| error.members_to_writer_in(protocol, out),
                out,
            ),
            SubscribeToShardItem::GenericError { code, message } => Ok(eventstream::encode_to_vec(
                &[
                    string(":error-code", code),
                    string(":error-message", message),
                    string(":message-type", "error"),
                ],
                &[],
                out,
            )?),
            SubscribeToShardItem::Unknown {
                event_type,
                payload,
            } => Ok(eventstream::encode_to_vec(
                &[
                    string(":event-type", event_type),
                    string(":content-type", content_type),
                    string(":message-type", "event"),
                ],
                payload,
                out,
            )?),
        }
    }

    /// The frame for this item in a new `Vec`.
    pub fn to_frame_vec(&self) -> Result<Vec<u8>, SubscribeError> {
        let mut out = Vec::new();
        self.encode_to_vec(&mut out)?;
        Ok(out)
    }
}

/// Appends a frame of `headers` whose JSON payload `write_payload` writes in place
/// ([`Encoder::encode_to_vec_with`](eventstream::Encoder::encode_to_vec_with)), so the payload is
/// never copied through a temporary buffer.
///
/// Like every encoder, it refuses a payload the default decoder would refuse
/// (`eventstream.md`, limits: payload up to 24 MiB by default), leaving `out` as it was.
fn encode_json(
    headers: &[Header<'_>],
    write_payload: impl FnOnce(&mut Vec<u8>),
    out: &mut Vec<u8>,
) -> Result<(), SubscribeError> {
    Ok(eventstream::Encoder::DEFAULT.encode_to_vec_with(headers, write_payload, out)?)
}
