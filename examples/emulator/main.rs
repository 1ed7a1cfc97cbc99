//! An in-memory Kinesis endpoint built on `kinesis-codec`, for SDKs and tools to talk to.
//!
//! ```text
//! cargo run --release --features tokio-util --example emulator -- --port 4567
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
//! MergeShards, UpdateShardCount, RegisterStreamConsumer, DescribeStreamConsumer,
//! ListStreamConsumers, DeregisterStreamConsumer and SubscribeToShard of Kinesis, and
//! CreateDeliveryStream, DescribeDeliveryStream, ListDeliveryStreams, DeleteDeliveryStream,
//! PutRecord and PutRecordBatch of Firehose; every other operation is answered with an
//! `UnknownOperationException` naming it. Reshards take effect at once (the stream stays
//! `ACTIVE`). Signatures are not checked. A subscription lasts 5 minutes, as the service's do;
//! `--subscription-seconds N` makes it last N seconds. `GET /_firehose/NAME` answers the records
//! of a delivery stream as JSON lines: the example's own read-out, not part of the AWS API.
//!
//! The pieces, each usable on its own as a guide:
//! - this file: the HTTP server (hyper on tokio), which only moves headers and bytes;
//! - `protocol.rs`: one request in, one answer out, every byte through the crate (operation,
//!   protocol, body checks, argument checks, response and error bodies);
//! - `state.rs`: the streams, shards and records in memory, routed with the crate's `hashkey`
//!   module, knowing nothing of the wire; `reshard.rs`: SplitShard, MergeShards and
//!   UpdateShardCount on them;
//! - `consumers.rs`: the registered consumers and their subscriptions, and the four consumer
//!   operations;
//! - `subscribe.rs`: SubscribeToShard's checks, then its event stream, framed by the crate and
//!   written through `tokio_util`'s `FramedWrite` with the crate's `FrameCodec`;
//! - `protocol_firehose.rs` and `firehose.rs`: the same two layers for Firehose.

mod consumers;
mod firehose;
mod protocol;
mod protocol_firehose;
mod reshard;
mod state;
mod subscribe;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::sync::watch;

use consumers::Consumers;
use state::Streams;

/// The largest body read: a PutRecords of 10 MiB in base64, with room for its JSON.
const MAX_BODY: usize = 16 << 20;

/// A response body: a whole answer, or a subscription's frames as they come.
pub type Body = BoxBody<Bytes, std::io::Error>;

/// Everything the requests share.
pub struct Endpoint {
    /// The streams and their records.
    pub streams: Mutex<Streams>,
    /// The registered consumers (locked after `streams` when both are).
    pub consumers: Mutex<Consumers>,
    /// Bumped after every answered request that may have changed the state ([`may_change`]),
    /// so that subscriptions look for new records, new shards or their own end.
    pub changes: watch::Sender<()>,
    /// How long a subscription lasts.
    pub subscription: Duration,
}

#[tokio::main]
async fn main() {
    let (port, subscription) = match arguments(std::env::args().skip(1)) {
        Ok(arguments) => arguments,
        Err(message) => {
            eprintln!("{message}\nusage: emulator [--port PORT] [--subscription-seconds N]");
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
    let endpoint = Arc::new(Endpoint {
        streams: Mutex::new(Streams::default()),
        consumers: Mutex::new(Consumers::default()),
        changes: watch::Sender::new(()),
        subscription,
    });
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let endpoint = Arc::clone(&endpoint);
        tokio::spawn(async move {
            let service = service_fn(move |request| answer(Arc::clone(&endpoint), request));
            // HTTP/1.1, or HTTP/2 with prior knowledge (h2c), whichever the client speaks.
            let served = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(tcp), service)
                .await;
            // A client that stops reading a subscription closes the connection mid-body: that
            // is how subscriptions usually end, not an error.
            let closed_early = |error: &hyper::Error| error.is_incomplete_message();
            if let Err(error) = served {
                if !error.downcast_ref().is_some_and(closed_early) {
                    eprintln!("connection: {error}");
                }
            }
        });
    }
}

/// The port of `--port PORT` (4567 without it) and the length of a subscription,
/// `--subscription-seconds N` (300 without it).
fn arguments(mut args: impl Iterator<Item = String>) -> Result<(u16, Duration), String> {
    let mut port = 4567;
    let mut seconds = 300;
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--port" => {
                let value = value()?;
                port = value.parse().map_err(|_| format!("bad port {value:?}"))?;
            }
            "--subscription-seconds" => {
                let value = value()?;
                seconds = value
                    .parse()
                    .map_err(|_| format!("bad seconds {value:?}"))?;
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok((port, Duration::from_secs(seconds)))
}

/// Whether a request may have changed what subscriptions read: a write answered with 200. Both
/// services name every read-only operation `Describe*`, `List*` or `Get*`; `SubscribeToShard`
/// only opens a stream (a second one for the same shard is refused, the first goes on); the
/// example's Firehose read-out only reads. A refused request changes nothing.
fn may_change(target: Option<&str>, read_out: bool, status: u16) -> bool {
    let operation = target
        .and_then(|t| t.split_once('.'))
        .map_or("", |(_, operation)| operation);
    let reads = ["Describe", "List", "Get", "SubscribeToShard"]
        .iter()
        .any(|prefix| operation.starts_with(prefix));
    status == 200 && !read_out && !reads
}

/// Reads one HTTP request and hands its headers and body to [`protocol::handle`].
async fn answer(
    endpoint: Arc<Endpoint>,
    request: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
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
    let reads_out = read_out.is_some();
    let answer = match read_out {
        Some(name) => protocol::firehose_read_out(&endpoint.streams, &name),
        None => protocol::handle(
            &endpoint.streams,
            &endpoint.consumers,
            target.as_deref(),
            content_type.as_deref(),
            &body,
        ),
    };
    if may_change(target.as_deref(), reads_out, answer.status) {
        endpoint.changes.send_replace(());
    }
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_REQUEST);
    let body = match answer.subscription {
        Some(subscription) => subscribe::body(Arc::clone(&endpoint), subscription),
        None => whole(answer.body),
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static(answer.content_type),
    );
    Ok(response)
}

/// A body of these bytes.
fn whole(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed()
}

/// A plain-text answer for what never reached the protocol (an unreadable body).
fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut response = Response::new(whole(text.as_bytes()));
    *response.status_mut() = status;
    response
}
