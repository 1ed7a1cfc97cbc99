//! A whole signed HTTP/1.1 request written into one caller buffer, ready for any socket, and the
//! head of the answer read without a heap. With the body writers and response readers of this
//! module's parent, a device can put records with nothing but a TCP (or TLS) stream.
//!
//! ```
//! use kinesis_codec::producer::http::{write_request, ResponseHead};
//! use kinesis_codec::producer::{Batcher, Limits, Record, SliceBuf, StreamRef};
//! use kinesis_codec::sigv4::{AmzDate, ContentType, Credentials, Service, ServiceRequest, SigningKey};
//!
//! let time = AmzDate::parse("20261201T090000Z")?;
//! let key = SigningKey::derive("secret", &time, "us-east-1", "kinesis")?; // once a day
//! let credentials = Credentials { access_key_id: "AKIDEXAMPLE", session_token: None };
//!
//! let mut body = [0u8; 1024];
//! let mut batch = Batcher::kinesis(SliceBuf::new(&mut body), StreamRef::Name("orders"), Limits::KINESIS)?;
//! batch.push(&Record::new(b"hello", "user-1"))?;
//! let body = batch.finish()?.into_written();
//!
//! let request = ServiceRequest {
//!     service: Service::Kinesis,
//!     host: "localhost:4567",
//!     target: "Kinesis_20131202.PutRecords",
//!     content_type: ContentType::Json,
//! };
//! let mut out = [0u8; 2048];
//! let mut sink = SliceBuf::new(&mut out);
//! write_request(&mut sink, &request, &key, &credentials, time, body)?;
//! let wire = sink.into_written();
//! assert!(wire.starts_with(b"POST / HTTP/1.1\r\nhost: localhost:4567\r\nx-amz-date: 20261201T090000Z\r\n"));
//! assert!(wire.ends_with(body));
//!
//! // The answer, as it arrives: `None` until the head is whole.
//! let answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 2\r\n\r\n{}";
//! assert_eq!(ResponseHead::parse(&answer[..20])?, None);
//! let head = ResponseHead::parse(answer)?.unwrap();
//! assert_eq!((head.status, head.content_length, head.len), (200, Some(2), answer.len() - 2));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;

use crate::json::number::{u64_decimal, U64_DECIMAL_LEN};
use crate::json::{BufferFull, Sink};
use crate::sigv4::{
    AmzDate, Credentials, PayloadHash, ServiceRequest, SignError, SignedHeaders, SigningKey,
};

/// Room for the `authorization` value of any request the signer accepts: the algorithm and
/// labels, an access key id and two scope names at their limits, every signed header name of the
/// Kinesis/Firehose form, and the signature.
pub const MAX_AUTHORIZATION: usize = 512;

/// Why a request could not be written. Nothing is left in the buffer when writing fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestError {
    /// Signing refused the request.
    Sign(SignError),
    /// The output buffer is too small.
    BufferFull(BufferFull),
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::Sign(e) => write!(f, "cannot sign the request: {e}"),
            RequestError::BufferFull(e) => e.fmt(f),
        }
    }
}

impl core::error::Error for RequestError {}

impl From<SignError> for RequestError {
    fn from(e: SignError) -> Self {
        RequestError::Sign(e)
    }
}

impl From<BufferFull> for RequestError {
    fn from(e: BufferFull) -> Self {
        RequestError::BufferFull(e)
    }
}

/// Writes the request line and the signed headers of `request` with a `body` of `body_len` bytes
/// hashed as `payload`, ending with the blank line: send the body right after it (a vectored write
/// spares copying it).
pub fn write_request_head<S: Sink + ?Sized>(
    out: &mut S,
    request: &ServiceRequest<'_>,
    key: &SigningKey,
    credentials: &Credentials<'_>,
    time: AmzDate,
    payload: &PayloadHash,
    body_len: usize,
) -> Result<(), RequestError> {
    let mut authorization = [0u8; MAX_AUTHORIZATION];
    let headers = request.sign(key, credentials, time, payload, &mut authorization)?;
    let start = out.len();
    write_head(out, &headers, body_len).map_err(|e| {
        out.truncate(start);
        RequestError::BufferFull(e)
    })
}

/// Writes the whole request: the head of [`write_request_head`] and then `body`, hashed here once.
pub fn write_request<S: Sink + ?Sized>(
    out: &mut S,
    request: &ServiceRequest<'_>,
    key: &SigningKey,
    credentials: &Credentials<'_>,
    time: AmzDate,
    body: &[u8],
) -> Result<(), RequestError> {
    let start = out.len();
    let payload = PayloadHash::of(body);
    write_request_head(out, request, key, credentials, time, &payload, body.len())?;
    out.extend(body).map_err(|e| {
        out.truncate(start);
        RequestError::BufferFull(e)
    })
}

fn write_head<S: Sink + ?Sized>(
    out: &mut S,
    headers: &SignedHeaders<'_, '_>,
    body_len: usize,
) -> Result<(), BufferFull> {
    out.extend(b"POST / HTTP/1.1\r\n")?;
    for (name, value) in headers.iter() {
        for part in [name.as_bytes(), b": ", value.as_bytes(), b"\r\n"] {
            out.extend(part)?;
        }
    }
    out.extend(b"content-length: ")?;
    let mut digits = [0u8; U64_DECIMAL_LEN];
    out.extend(decimal(body_len, &mut digits))?;
    out.extend(b"\r\n\r\n")
}

/// `n` in decimal (a `usize` is at most 64 bits wide on every target).
fn decimal(n: usize, buf: &mut [u8; U64_DECIMAL_LEN]) -> &[u8] {
    u64_decimal(u64::try_from(n).unwrap_or(u64::MAX), buf).as_bytes()
}

/// The status line and headers of an HTTP/1.1 answer, as far as a producer needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseHead {
    /// The status code: 200, or 400 with an error body, ...
    pub status: u16,
    /// The `Content-Length`, when the answer has one.
    pub content_length: Option<usize>,
    /// The head's length in bytes, the blank line included: the body starts here.
    pub len: usize,
}

/// Why the head of an answer was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseHeadError {
    /// The first line is not `HTTP/1.x NNN reason`.
    StatusLine,
    /// A header line has no `:`, or the head is not UTF-8-free of control bytes.
    HeaderLine {
        /// Byte offset of the line.
        offset: usize,
    },
    /// `Content-Length` is not a decimal number, or appears twice with different values.
    ContentLength,
    /// The body is sent in chunks (`Transfer-Encoding`), which this reader does not decode.
    TransferEncoding,
}

impl fmt::Display for ResponseHeadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseHeadError::StatusLine => f.write_str("the status line is not HTTP/1.x NNN"),
            ResponseHeadError::HeaderLine { offset } => {
                write!(f, "the header line at byte {offset} has no ':'")
            }
            ResponseHeadError::ContentLength => f.write_str("Content-Length is not one number"),
            ResponseHeadError::TransferEncoding => {
                f.write_str("the body has a Transfer-Encoding, which is not read here")
            }
        }
    }
}

impl core::error::Error for ResponseHeadError {}

impl ResponseHead {
    /// Reads the head at the start of `bytes`: `Ok(None)` while the blank line that ends it has not
    /// arrived yet.
    pub fn parse(bytes: &[u8]) -> Result<Option<ResponseHead>, ResponseHeadError> {
        let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") else {
            return Ok(None);
        };
        let head = bytes.get(..end).unwrap_or_default();
        let mut lines = head.split(|&b| b == b'\n');
        let status_line = lines.next().unwrap_or_default();
        let status = parse_status(status_line.strip_suffix(b"\r").unwrap_or(status_line))?;
        let mut content_length: Option<usize> = None;
        let mut offset = status_line.len().saturating_add(1);
        for raw in lines {
            let line = raw.strip_suffix(b"\r").unwrap_or(raw);
            let colon = line.iter().position(|&b| b == b':');
            let (name, value) = match colon {
                Some(i) => (
                    line.get(..i).unwrap_or_default(),
                    line.get(i.saturating_add(1)..).unwrap_or_default(),
                ),
                None => return Err(ResponseHeadError::HeaderLine { offset }),
            };
            let value = value.trim_ascii();
            if name.eq_ignore_ascii_case(b"content-length") {
                let n = parse_decimal(value).ok_or(ResponseHeadError::ContentLength)?;
                if content_length.is_some_and(|m| m != n) {
                    return Err(ResponseHeadError::ContentLength);
                }
                content_length = Some(n);
            } else if name.eq_ignore_ascii_case(b"transfer-encoding")
                && !value.eq_ignore_ascii_case(b"identity")
            {
                return Err(ResponseHeadError::TransferEncoding);
            }
            offset = offset.saturating_add(raw.len()).saturating_add(1);
        }
        Ok(Some(ResponseHead {
            status,
            content_length,
            len: end.saturating_add(4),
        }))
    }
}

fn parse_status(line: &[u8]) -> Result<u16, ResponseHeadError> {
    let rest = line
        .strip_prefix(b"HTTP/1.1 ")
        .or_else(|| line.strip_prefix(b"HTTP/1.0 "))
        .ok_or(ResponseHeadError::StatusLine)?;
    match rest {
        [a, b, c] | [a, b, c, b' ', ..] if [a, b, c].iter().all(|d| d.is_ascii_digit()) => {
            let n = [a, b, c].iter().fold(0u16, |acc, &&d| {
                acc.saturating_mul(10)
                    .saturating_add(u16::from(d.saturating_sub(b'0')))
            });
            Ok(n)
        }
        _ => Err(ResponseHeadError::StatusLine),
    }
}

fn parse_decimal(s: &[u8]) -> Option<usize> {
    if s.is_empty() || s.len() > 19 {
        return None;
    }
    s.iter().try_fold(0usize, |acc, &b| {
        b.is_ascii_digit()
            .then(|| {
                acc.checked_mul(10)?
                    .checked_add(usize::from(b.saturating_sub(b'0')))
            })
            .flatten()
    })
}
