//! An in-memory Kinesis endpoint built on `kinesis-codec`, for SDKs and tools to talk to.
//!
//! ```text
//! cargo run --release --example emulator -- --port 4567
//! ```
//!
//! It prints `listening on ADDRESS` as its first line (`--port 0` takes a free port), then
//! answers the Kinesis JSON 1.1 and CBOR protocols over HTTP/1.1 and h2c on that address. Point
//! a client at it with any credentials, for instance boto3:
//!
//! ```text
//! boto3.client("kinesis", endpoint_url="http://127.0.0.1:4567", region_name="us-east-1",
//!              aws_access_key_id="x", aws_secret_access_key="x")
//! ```
//!
//! It implements CreateStream, DeleteStream, DescribeStream, DescribeStreamSummary,
//! ListStreams, ListShards, PutRecord, PutRecords, GetShardIterator, GetRecords, SplitShard,
//! MergeShards and UpdateShardCount of Kinesis, and CreateDeliveryStream, DescribeDeliveryStream,
//! ListDeliveryStreams, DeleteDeliveryStream, PutRecord and PutRecordBatch of Firehose; every
//! other operation is answered with an `UnknownOperationException` naming it. Reshards take
//! effect at once (the stream stays `ACTIVE`). Signatures are not checked. `GET /_firehose/NAME`
//! answers the records of a delivery stream as JSON lines: the example's own read-out, not part
//! of the AWS API.
//!
//! The pieces, each usable on its own as a guide:
//! - this file: the HTTP server (hyper on tokio), which only moves headers and bytes;
//! - `protocol.rs`: one request in, one answer out, every byte through the crate (operation,
//!   protocol, body checks, argument checks, response and error bodies);
//! - `state.rs`: the streams, shards and records in memory, routed with the crate's `hashkey`
//!   module, knowing nothing of the wire; `reshard.rs`: SplitShard, MergeShards and
//!   UpdateShardCount on them;
//! - `protocol_firehose.rs` and `firehose.rs`: the same two layers for Firehose.

mod firehose;
mod protocol;
mod protocol_firehose;
mod reshard;
mod state;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;

use state::Streams;

/// The largest body read: a PutRecords of 10 MiB in base64, with room for its JSON.
const MAX_BODY: usize = 16 << 20;

#[tokio::main]
async fn main() {
    let port = match port_argument(std::env::args().skip(1)) {
        Ok(port) => port,
        Err(message) => {
            eprintln!("{message}\nusage: emulator [--port PORT]");
            std::process::exit(2);
        }
    };
    let listener = match TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("cannot listen on port {port}: {error}");
            std::process::exit(1);
        }
    };
    match listener.local_addr() {
        Ok(address) => println!("listening on {address}"),
        Err(error) => eprintln!("bound, but no local address: {error}"),
    }
    let streams = Arc::new(Mutex::new(Streams::default()));
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let streams = Arc::clone(&streams);
        tokio::spawn(async move {
            let service = service_fn(move |request| answer(Arc::clone(&streams), request));
            // HTTP/1.1, or HTTP/2 with prior knowledge (h2c), whichever the client speaks.
            let served = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(tcp), service)
                .await;
            if let Err(error) = served {
                eprintln!("connection: {error}");
            }
        });
    }
}

/// The port of `--port PORT` (4567 without it).
fn port_argument(mut args: impl Iterator<Item = String>) -> Result<u16, String> {
    let mut port = 4567;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                let value = args.next().ok_or("--port needs a value")?;
                port = value.parse().map_err(|_| format!("bad port {value:?}"))?;
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(port)
}

/// Reads one HTTP request and hands its headers and body to [`protocol::handle`].
async fn answer(
    streams: Arc<Mutex<Streams>>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let target = header("x-amz-target");
    let content_type = header("content-type");
    // The example's own read-out of a Firehose delivery stream, not part of the AWS API.
    let read_out = (request.method() == hyper::Method::GET)
        .then(|| {
            request
                .uri()
                .path()
                .strip_prefix("/_firehose/")
                .map(str::to_owned)
        })
        .flatten();
    let body = match Limited::new(request.into_body(), MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return Ok(plain(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body too large or cut",
            ))
        }
    };
    let answer = match read_out {
        Some(name) => protocol::firehose_read_out(&streams, &name),
        None => protocol::handle(&streams, target.as_deref(), content_type.as_deref(), &body),
    };
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = Response::new(Full::new(Bytes::from(answer.body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static(answer.content_type),
    );
    Ok(response)
}

/// A plain-text answer for what never reached the protocol (an unreadable body).
fn plain(status: StatusCode, text: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())));
    *response.status_mut() = status;
    response
}
