//! `embedded-io` for the producer: [`write_request_to`] sends a whole signed request to any
//! [`embedded_io::Write`] (the TCP or TLS stream of an embedded network stack), the body
//! straight from the caller's buffer.
//!
//! *Requires feature* `embedded-io` (no `std`, no `alloc`).

use core::fmt;

use super::http::{write_request_head, RequestError};
use crate::json::{Sink as _, SliceBuf};
use crate::sigv4::{AmzDate, Credentials, PayloadHash, ServiceRequest, SigningKey};

/// Why [`write_request_to`] stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteRequestError<E> {
    /// The request could not be made (signing refused it, or `head` is too small for its
    /// head); nothing was written.
    Request(RequestError),
    /// The writer's error; part of the request may have been written.
    Io(E),
}

impl<E: fmt::Display> fmt::Display for WriteRequestError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteRequestError::Request(e) => e.fmt(f),
            WriteRequestError::Io(e) => write!(f, "writing the request: {e}"),
        }
    }
}

impl<E: core::error::Error + 'static> core::error::Error for WriteRequestError<E> {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            WriteRequestError::Request(e) => Some(e),
            WriteRequestError::Io(e) => Some(e),
        }
    }
}

/// Writes the request [`write_request`](super::http::write_request) writes, to `out`: the head,
/// made in the scratch buffer `head`, then `body` from the caller's buffer (no copy), then a
/// flush. `head` needs room for the request line and the signed headers: about 600 bytes, plus
/// the host and any session token.
///
/// ```
/// use kinesis_codec::producer::embedded::write_request_to;
/// use kinesis_codec::sigv4::{AmzDate, ContentType, Credentials, Service, ServiceRequest, SigningKey};
///
/// let time = AmzDate::parse("20261201T090000Z")?;
/// let key = SigningKey::derive("secret", &time, "us-east-1", "kinesis")?;
/// let credentials = Credentials { access_key_id: "AKIDEXAMPLE", session_token: None };
/// let request = ServiceRequest {
///     service: Service::Kinesis,
///     host: "localhost:4567",
///     target: "Kinesis_20131202.PutRecord",
///     content_type: ContentType::Json,
/// };
/// let body = br#"{"StreamName":"orders","Data":"aGk=","PartitionKey":"k"}"#;
///
/// let mut socket = [0u8; 1024]; // any embedded_io::Write: here a slice
/// let mut out: &mut [u8] = &mut socket;
/// let mut head = [0u8; 768];
/// write_request_to(&mut out, &mut head, &request, &key, &credentials, time, body)?;
/// let left = out.len();
/// let wire = &socket[..socket.len() - left];
/// assert!(wire.starts_with(b"POST / HTTP/1.1\r\nhost: localhost:4567\r\n"));
/// assert!(wire.ends_with(body));
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
pub fn write_request_to<W: embedded_io::Write>(
    out: &mut W,
    head: &mut [u8],
    request: &ServiceRequest<'_>,
    key: &SigningKey,
    credentials: &Credentials<'_>,
    time: AmzDate,
    body: &[u8],
) -> Result<(), WriteRequestError<W::Error>> {
    let payload = PayloadHash::of(body);
    let mut sink = SliceBuf::new(head);
    write_request_head(
        &mut sink,
        request,
        key,
        credentials,
        time,
        &payload,
        body.len(),
    )
    .map_err(WriteRequestError::Request)?;
    out.write_all(sink.written())
        .map_err(WriteRequestError::Io)?;
    out.write_all(body).map_err(WriteRequestError::Io)?;
    out.flush().map_err(WriteRequestError::Io)
}
