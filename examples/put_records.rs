//! Sends signed `PutRecords` to a Kinesis endpoint over a plain `TcpStream` and prints what
//! happened to each record: the producer of a small device, with `std` only for the socket, the
//! clock and the arguments. Every buffer is on the stack; the crate allocates nothing.
//!
//! ```text
//! AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... [AWS_SESSION_TOKEN=...] \
//!   cargo run --example put_records -- --endpoint 127.0.0.1:4567 --stream orders \
//!   [--region us-east-1] [--records 10]
//! ```
//!
//! Output: one line per record, `record <i>: <shard id> <sequence number>` or
//! `record <i>: failed <error code>: <message>`; an error answer prints its status, type and
//! message and exits with status 1. Real endpoints speak TLS: put a TLS stream where the
//! `TcpStream` is (or a local proxy in front of it); nothing else changes.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;

use kinesis_codec::producer::http::{write_request, ResponseHead};
use kinesis_codec::producer::{
    Batcher, ErrorResponse, JsonStr, Limits, PutRecordsResponse, Record, SliceBuf, StreamRef,
};
use kinesis_codec::sigv4::{
    AmzDate, ContentType, Credentials, Service, ServiceRequest, SigningKey,
};

struct Args {
    endpoint: String,
    stream: String,
    region: String,
    records: usize,
}

fn args() -> Result<Args, String> {
    let mut endpoint = None;
    let mut stream = None;
    let mut region = std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".into());
    let mut records = 10;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--endpoint" => endpoint = Some(value()?),
            "--stream" => stream = Some(value()?),
            "--region" => region = value()?,
            "--records" => records = value()?.parse().map_err(|e| format!("--records: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Args {
        endpoint: endpoint.ok_or("--endpoint HOST:PORT is required")?,
        stream: stream.ok_or("--stream NAME is required")?,
        region,
        records,
    })
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("put_records: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let args = args()?;
    let (id, secret) = (env("AWS_ACCESS_KEY_ID")?, env("AWS_SECRET_ACCESS_KEY")?);
    let token = std::env::var("AWS_SESSION_TOKEN").ok();

    // Once a day: the signing key for (secret, date, region, service).
    let time = AmzDate::now().map_err(|e| e.to_string())?;
    let key =
        SigningKey::derive(&secret, &time, &args.region, "kinesis").map_err(|e| e.to_string())?;
    let credentials = Credentials {
        access_key_id: &id,
        session_token: token.as_deref(),
    };

    // The body, into a stack buffer, under the service's limits.
    let mut body_buf = [0u8; 16 * 1024];
    let mut batch = Batcher::kinesis(
        SliceBuf::new(&mut body_buf),
        StreamRef::Name(&args.stream),
        Limits::KINESIS,
    )
    .map_err(|e| e.to_string())?;
    let mut data = [0u8; 32];
    let mut key_buf = [0u8; 16];
    for i in 0..args.records {
        let data = fill(&mut data, "reading ", i);
        let partition_key =
            std::str::from_utf8(fill(&mut key_buf, "sensor-", i % 4)).unwrap_or("sensor");
        batch
            .push(&Record::new(data, partition_key))
            .map_err(|e| format!("record {i}: {e}"))?;
    }
    let body = batch.finish().map_err(|e| e.to_string())?.into_written();

    // The signed request, whole, into one buffer.
    let request = ServiceRequest {
        service: Service::Kinesis,
        host: &args.endpoint,
        target: "Kinesis_20131202.PutRecords",
        content_type: ContentType::Json,
    };
    let mut out = [0u8; 20 * 1024];
    let mut wire = SliceBuf::new(&mut out);
    write_request(&mut wire, &request, &key, &credentials, time, body)
        .map_err(|e| e.to_string())?;

    let mut socket =
        TcpStream::connect(&args.endpoint).map_err(|e| format!("{}: {e}", args.endpoint))?;
    socket
        .write_all(wire.into_written())
        .map_err(|e| e.to_string())?;

    // The answer: read until the head is whole and the body is in.
    let mut answer = [0u8; 64 * 1024];
    let mut filled = 0;
    let (head, total) = loop {
        let n = socket
            .read(&mut answer[filled..])
            .map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("the connection closed before the answer was whole".into());
        }
        filled += n;
        if let Some(head) = ResponseHead::parse(&answer[..filled]).map_err(|e| e.to_string())? {
            let total = head.len
                + head
                    .content_length
                    .ok_or("the answer has no Content-Length")?;
            if total > answer.len() {
                return Err(format!("the answer is over {} bytes", answer.len()));
            }
            if filled >= total {
                break (head, total);
            }
        } else if filled == answer.len() {
            return Err("the answer's head is too long".into());
        }
    };
    let body = &answer[head.len..total];

    if head.status != 200 {
        match ErrorResponse::parse(body) {
            Ok(e) => {
                let message = e.message.and_then(|m| m.as_str()).unwrap_or("");
                println!(
                    "status {}: {}: {message}",
                    head.status,
                    e.code().unwrap_or("?")
                );
            }
            Err(_) => println!("status {}: {}", head.status, String::from_utf8_lossy(body)),
        }
        return Ok(ExitCode::from(1));
    }
    let response = PutRecordsResponse::parse(body).map_err(|e| e.to_string())?;
    for (i, entry) in response.entries().enumerate() {
        if entry.is_failed() {
            println!(
                "record {i}: failed {}: {}",
                text(&entry.error_code),
                text(&entry.error_message)
            );
        } else {
            println!(
                "record {i}: {} {}",
                text(&entry.shard_id),
                text(&entry.sequence_number)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A member's text (the services send these without escapes), or "" without one.
fn text<'a>(s: &'a Option<JsonStr<'_>>) -> &'a str {
    s.as_ref().and_then(|s| s.as_str()).unwrap_or("")
}

/// `prefix` and the decimal `n`, written into `buf`.
fn fill<'b>(buf: &'b mut [u8], prefix: &str, n: usize) -> &'b [u8] {
    let mut cursor = std::io::Cursor::new(&mut buf[..]);
    let _ = write!(cursor, "{prefix}{n}");
    let len = cursor.position() as usize;
    &buf[..len]
}
