//! Conversion to and from `aws-smithy-types`' event-stream [`Message`](SmithyMessage), for code
//! that already uses the official Rust SDK's types (its `aws-smithy-eventstream` encoder and
//! decoder, its receivers).
//!
//! *Requires feature* `aws-smithy-types`.
//!
//! From this crate's frames and messages the conversion copies the names, the variable-length
//! values and the payload into the SDK's owned `Bytes`. Back, the message borrows from the
//! SDK's message; it fails only for a timestamp that does not fit `i64` milliseconds.
//!
//! ```
//! use aws_smithy_types::event_stream::Message as SmithyMessage;
//! use kinesis_codec::eventstream::{decode_exact, Header, HeaderValue, Message};
//!
//! let headers = vec![Header::new(":event-type", HeaderValue::String("Records"))];
//! let bytes = Message::new(headers, b"{}").encode_to_vec()?;
//! let frame = decode_exact(&bytes)?;
//! let theirs = SmithyMessage::from(&frame);
//! assert_eq!(theirs.payload().as_ref(), b"{}");
//! let ours = Message::try_from(&theirs)?;
//! assert_eq!(ours.encode_to_vec()?, bytes);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use alloc::string::ToString as _;
use alloc::vec::Vec;
use core::fmt;

use aws_smithy_types::event_stream::{
    Header as SmithyHeader, HeaderValue as SmithyValue, Message as SmithyMessage,
};
use aws_smithy_types::str_bytes::StrBytes;
use aws_smithy_types::DateTime;
use bytes::Bytes;

use super::{Frame, Header, HeaderValue, Message};

/// A header value of the SDK's type that this crate's cannot hold: a timestamp past `i64`
/// milliseconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmithyConversionError {
    /// The header's name.
    pub name: alloc::string::String,
}

impl fmt::Display for SmithyConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "header {:?}: a timestamp outside i64 milliseconds since the epoch",
            self.name
        )
    }
}

impl core::error::Error for SmithyConversionError {}

fn smithy_value(value: &HeaderValue<'_>) -> SmithyValue {
    match *value {
        HeaderValue::Bool(v) => SmithyValue::Bool(v),
        HeaderValue::Byte(v) => SmithyValue::Byte(v),
        HeaderValue::Int16(v) => SmithyValue::Int16(v),
        HeaderValue::Int32(v) => SmithyValue::Int32(v),
        HeaderValue::Int64(v) => SmithyValue::Int64(v),
        HeaderValue::ByteArray(v) => SmithyValue::ByteArray(Bytes::copy_from_slice(v)),
        HeaderValue::String(v) => SmithyValue::String(StrBytes::from(v.to_string())),
        HeaderValue::Timestamp(ms) => SmithyValue::Timestamp(DateTime::from_millis(ms)),
        HeaderValue::Uuid(v) => SmithyValue::Uuid(u128::from_be_bytes(v)),
    }
}

fn smithy_message<'a>(headers: impl Iterator<Item = Header<'a>>, payload: &[u8]) -> SmithyMessage {
    let headers = headers
        .map(|h| SmithyHeader::new(h.name.to_string(), smithy_value(&h.value)))
        .collect();
    SmithyMessage::new_from_parts(headers, Bytes::copy_from_slice(payload))
}

impl From<&Frame<'_>> for SmithyMessage {
    fn from(frame: &Frame<'_>) -> Self {
        smithy_message(frame.headers(), frame.payload())
    }
}

impl From<&Message<'_>> for SmithyMessage {
    fn from(message: &Message<'_>) -> Self {
        smithy_message(message.headers.iter().copied(), message.payload)
    }
}

impl<'a> TryFrom<&'a SmithyMessage> for Message<'a> {
    type Error = SmithyConversionError;

    fn try_from(message: &'a SmithyMessage) -> Result<Self, SmithyConversionError> {
        let headers = message
            .headers()
            .iter()
            .map(|h| {
                let name = h.name().as_str();
                let value = match h.value() {
                    SmithyValue::Bool(v) => HeaderValue::Bool(*v),
                    SmithyValue::Byte(v) => HeaderValue::Byte(*v),
                    SmithyValue::Int16(v) => HeaderValue::Int16(*v),
                    SmithyValue::Int32(v) => HeaderValue::Int32(*v),
                    SmithyValue::Int64(v) => HeaderValue::Int64(*v),
                    SmithyValue::ByteArray(v) => HeaderValue::ByteArray(v),
                    SmithyValue::String(v) => HeaderValue::String(v.as_str()),
                    SmithyValue::Timestamp(t) => {
                        HeaderValue::Timestamp(t.to_millis().map_err(|_| {
                            SmithyConversionError {
                                name: name.to_string(),
                            }
                        })?)
                    }
                    SmithyValue::Uuid(v) => HeaderValue::Uuid(v.to_be_bytes()),
                    // The enum is non-exhaustive: a type a later version adds is not one of
                    // the ten the wire format has.
                    _ => {
                        return Err(SmithyConversionError {
                            name: name.to_string(),
                        })
                    }
                };
                Ok(Header::new(name, value))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Message::new(headers, message.payload()))
    }
}
