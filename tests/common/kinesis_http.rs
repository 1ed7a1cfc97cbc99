//! A small HTTP/1.1 client for the live peers (local Kinesis emulators): one signed `POST /` per
//! connection, written by the crate itself (`producer::http::write_request`, SigV4 with made-up
//! credentials, `Content-Type` of the protocol, `X-Amz-Target` of the operation), and the whole
//! answer read back (status, headers, a body of `Content-Length` bytes or chunked), with read and
//! write timeouts so that a peer that hangs fails the test instead of stopping it.

#![allow(dead_code)] // each test binary uses part of it

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::Duration;

use kinesis_codec::kinesis::Operation;
use kinesis_codec::producer::http::write_request;
use kinesis_codec::producer::SliceBuf;
use kinesis_codec::sigv4::{
    AmzDate, ContentType, Credentials, Service, ServiceRequest, SigningKey,
};
use kinesis_codec::wire::Protocol;

/// How long one read or write may block.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// The most an answer may hold (head and body): far above anything the scenarios ask for.
const MAX_ANSWER: usize = 16 << 20;

/// An HTTP answer.
#[derive(Debug)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The header fields in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body (chunks joined).
    pub body: Vec<u8>,
}

impl Answer {
    /// The value of the first header named `name` (ASCII case ignored).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text, for failure messages.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `body` (already in `protocol`) as `operation` to the peer at `host` (`127.0.0.1:port`),
/// signed for `us-east-1`, and reads the answer.
pub fn post(host: &str, protocol: Protocol, operation: Operation, body: &[u8]) -> Answer {
    let time = AmzDate::now().expect("the clock is after 1970");
    let key = SigningKey::derive("local-secret", &time, "us-east-1", "kinesis").expect("key");
    let content_type = match protocol {
        Protocol::Json => ContentType::Json,
        Protocol::Cbor => ContentType::Cbor,
        _ => unreachable!("a protocol this client does not know"),
    };
    let request = ServiceRequest {
        service: Service::Kinesis,
        host,
        target: operation.target(),
        content_type,
    };
    let credentials = Credentials {
        access_key_id: "AKIDLOCALPEER",
        session_token: None,
    };
    let mut out = vec![0u8; body.len() + 2048];
    let mut sink = SliceBuf::new(&mut out);
    write_request(&mut sink, &request, &key, &credentials, time, body).expect("request written");
    let wire = sink.into_written();
    assert_eq!(
        request.content_type.as_str(),
        protocol.content_type(),
        "the signer's and the codec's content types agree"
    );
    exchange(host, wire)
}

/// Writes `request` on a new connection and reads one answer.
pub fn exchange(host: &str, request: &[u8]) -> Answer {
    let mut socket = TcpStream::connect(host).unwrap_or_else(|e| panic!("connect {host}: {e}"));
    socket.set_read_timeout(Some(IO_TIMEOUT)).expect("timeout");
    socket.set_write_timeout(Some(IO_TIMEOUT)).expect("timeout");
    socket
        .write_all(request)
        .unwrap_or_else(|e| panic!("write to {host}: {e}"));
    let mut reader = Reader {
        socket,
        buf: Vec::new(),
        at: 0,
    };
    read_answer(&mut reader).unwrap_or_else(|e| panic!("answer from {host}: {e}"))
}

/// Bytes from the socket, buffered.
struct Reader {
    socket: TcpStream,
    buf: Vec<u8>,
    at: usize,
}

impl Reader {
    /// Reads more; an error at the end of the stream or past the size limit.
    fn fill(&mut self) -> Result<(), String> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self
            .socket
            .read(&mut chunk)
            .map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            return Err(format!(
                "the connection closed early after {} bytes: {:?}",
                self.buf.len(),
                String::from_utf8_lossy(&self.buf)
            ));
        }
        self.buf.extend_from_slice(&chunk[..n]);
        if self.buf.len() > MAX_ANSWER {
            return Err(format!("the answer is over {MAX_ANSWER} bytes"));
        }
        Ok(())
    }

    /// The next line without its CRLF.
    fn line(&mut self) -> Result<String, String> {
        loop {
            if let Some(end) = self.buf[self.at..].windows(2).position(|w| w == b"\r\n") {
                let line = &self.buf[self.at..self.at + end];
                let line = String::from_utf8(line.to_vec()).map_err(|_| "a non-UTF-8 line")?;
                self.at += end + 2;
                return Ok(line);
            }
            self.fill()?;
        }
    }

    /// The next `n` bytes.
    fn take(&mut self, n: usize) -> Result<Vec<u8>, String> {
        if n > MAX_ANSWER {
            return Err(format!("a length of {n} bytes"));
        }
        while self.buf.len() - self.at < n {
            self.fill()?;
        }
        let out = self.buf[self.at..self.at + n].to_vec();
        self.at += n;
        Ok(out)
    }
}

fn read_answer(r: &mut Reader) -> Result<Answer, String> {
    let status_line = r.line()?;
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/1.") {
        return Err(format!("not an HTTP/1.x status line: {status_line:?}"));
    }
    let status = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status code in {status_line:?}"))?;
    let mut headers = Vec::new();
    loop {
        let line = r.line()?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("a header line without a colon: {line:?}"))?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let mut answer = Answer {
        status,
        headers,
        body: Vec::new(),
    };
    let chunked = answer
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        loop {
            let size_line = r.line()?;
            let size = size_line.split(';').next().unwrap_or_default().trim();
            let size = usize::from_str_radix(size, 16)
                .map_err(|_| format!("a bad chunk size line: {size_line:?}"))?;
            if size == 0 {
                // Trailers, up to the blank line.
                while !r.line()?.is_empty() {}
                break;
            }
            answer.body.extend(r.take(size)?);
            if !r.line()?.is_empty() {
                return Err("a chunk not followed by CRLF".into());
            }
        }
    } else if let Some(length) = answer.header("content-length") {
        let length = length
            .parse()
            .map_err(|_| format!("a bad Content-Length: {length:?}"))?;
        answer.body = r.take(length)?;
    } else if !(status == 204 || status == 304 || (100..200).contains(&status)) {
        return Err("an answer with neither Content-Length nor chunked encoding".into());
    }
    Ok(answer)
}
