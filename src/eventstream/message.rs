//! [`Message`]: a frame's headers collected into a `Vec`, for building and comparing frames.
//!
//! *Requires feature* `alloc`.

use alloc::vec::Vec;

use super::encode::{encode, encode_to_vec, encoded_len};
use super::{EncodeError, Frame, Header, HeaderValue};

/// A frame as plain values: the headers in order (duplicates kept) and the payload, both
/// borrowed. Decoding never needs this type; it is for building frames, comparing them, and
/// generating them with `arbitrary`.
///
/// *Requires feature* `alloc`.
///
/// ```
/// use kinesis_codec::eventstream::{decode_exact, Header, HeaderValue, Message};
///
/// let msg = Message::new(vec![Header::new(":message-type", HeaderValue::String("event"))], b"{}");
/// let bytes = msg.encode_to_vec()?;
/// assert_eq!(Message::from(decode_exact(&bytes)?), msg);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Message<'a> {
    /// The headers, in wire order.
    pub headers: Vec<Header<'a>>,
    /// The payload.
    pub payload: &'a [u8],
}

impl<'a> Message<'a> {
    /// A message from its headers and payload.
    pub fn new(headers: Vec<Header<'a>>, payload: &'a [u8]) -> Self {
        Message { headers, payload }
    }

    /// The value of the first header called `name`.
    pub fn header(&self, name: &str) -> Option<HeaderValue<'a>> {
        self.headers
            .iter()
            .find(|h| h.name == name)
            .map(|h| h.value)
    }

    /// The length of the encoded frame.
    pub fn encoded_len(&self) -> Result<usize, EncodeError> {
        encoded_len(&self.headers, self.payload)
    }

    /// Encodes into the start of `out`; returns the bytes written.
    pub fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        encode(&self.headers, self.payload, out)
    }

    /// Encodes into a new `Vec`.
    pub fn encode_to_vec(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::new();
        encode_to_vec(&self.headers, self.payload, &mut out)?;
        Ok(out)
    }
}

impl<'a> From<Frame<'a>> for Message<'a> {
    fn from(frame: Frame<'a>) -> Self {
        Message {
            headers: frame.headers().collect(),
            payload: frame.payload(),
        }
    }
}
