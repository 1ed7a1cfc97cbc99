//! The example endpoint (`examples/emulator/`, release build) against ferrokinesis (release
//! build), in one run: a `PutRecords` of 500 records of 1 KiB, and a `GetRecords` of those 500,
//! each sent by the same client on one kept-alive connection per server, as a throughput ratio.
//!
//! Equal work on both sides: the same request bytes (signed once per stream by the crate, the
//! `Host` header apart), and every answer read in full and checked the same way (status 200;
//! `FailedRecordCount` 0 and 500 entries for PutRecords; every record's bytes for GetRecords,
//! decoded by the crate's `kinesis::records::parse_get_records`).
//!
//! The bench starts both servers itself on free ports: the example is built with `cargo build
//! --profile bench --example emulator` and the bench's features (`tests/common/emulator.rs`),
//! so it shares the bench's dependencies, ferrokinesis installed with
//! `cargo install --locked` into `target/tmp/ferrokinesis/<version>/`
//! (`tests/common/ferrokinesis.rs`). With `KINESIS_CODEC_SKIP_PEERS=1` only the example is
//! measured.
//!
//! ```text
//! taskset -c 1 cargo bench --bench endpoint
//! python3 benches/ratios.py endpoint_put_records endpoint_get_records
//! ```
//!
//! Puts go to a fresh stream every [`PUTS_PER_STREAM`] requests (the old one deleted, outside
//! the timing), so that neither server holds more than about 100 MiB of records.

#[path = "../tests/common/emulator.rs"]
mod emulator;
#[path = "../tests/common/ferrokinesis.rs"]
mod ferrokinesis;
#[path = "../tests/common/peers.rs"]
mod peers;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kinesis_codec::kinesis::records::{max_decoded_len, parse_get_records};
use kinesis_codec::kinesis::{Operation, Response};
use kinesis_codec::producer::http::{write_request, ResponseHead};
use kinesis_codec::producer::{Batcher, Limits, PutRecordsResponse, Record, StreamRef};
use kinesis_codec::sigv4::{
    AmzDate, ContentType, Credentials, Service, ServiceRequest, SigningKey,
};

const RECORDS: usize = 500;
const RECORD_BYTES: usize = 1024;
/// PutRecords requests per stream before the bench moves to a fresh one.
const PUTS_PER_STREAM: u64 = 200;
const BENCH: &str = "endpoint";

/// Record `i`'s 1 KiB (varied, so base64 is not trivially repetitive).
fn record_bytes(i: usize) -> Vec<u8> {
    (0..RECORD_BYTES)
        .map(|j| ((i * 31 + j * 7) % 251) as u8)
        .collect()
}

/// One server and the client's kept-alive connection to it.
struct Peer {
    name: &'static str,
    host: String,
    socket: TcpStream,
    answer: Vec<u8>,
    /// Keeps the server running (killed on drop).
    _server: Box<dyn std::any::Any>,
}

impl Peer {
    fn new(name: &'static str, host: String, server: Box<dyn std::any::Any>) -> Peer {
        let socket = TcpStream::connect(&host).unwrap_or_else(|e| panic!("{name}: {e}"));
        socket.set_nodelay(true).expect("nodelay");
        socket
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        Peer {
            name,
            host,
            socket,
            answer: Vec::with_capacity(1 << 20),
            _server: server,
        }
    }

    /// The signed request of `operation` with `body`, for this server's `Host`.
    fn request(&self, operation: Operation, body: &[u8]) -> Vec<u8> {
        let time = AmzDate::now().expect("the clock is after 1970");
        let key = SigningKey::derive("local-secret", &time, "us-east-1", "kinesis").expect("key");
        let request = ServiceRequest {
            service: Service::Kinesis,
            host: &self.host,
            target: operation.target(),
            content_type: ContentType::Json,
        };
        let credentials = Credentials {
            access_key_id: "AKIDLOCALPEER",
            session_token: None,
        };
        let mut out = Vec::with_capacity(body.len() + 2048);
        write_request(&mut out, &request, &key, &credentials, time, body).expect("a request");
        out
    }

    /// Sends `request` and reads the whole answer (Content-Length bytes) into `self.answer`;
    /// returns the status and where the body starts.
    fn exchange(&mut self, request: &[u8]) -> (u16, usize) {
        self.socket.write_all(request).expect("request sent");
        self.answer.clear();
        let mut chunk = [0u8; 64 * 1024];
        let head = loop {
            let n = self.socket.read(&mut chunk).expect("answer read");
            assert!(n > 0, "{}: the connection closed", self.name);
            self.answer.extend_from_slice(&chunk[..n]);
            if let Some(head) = ResponseHead::parse(&self.answer).expect("an HTTP/1.1 head") {
                break head;
            }
        };
        let end = head.len + head.content_length.expect("Content-Length");
        while self.answer.len() < end {
            let n = self.socket.read(&mut chunk).expect("answer read");
            assert!(n > 0, "{}: the connection closed", self.name);
            self.answer.extend_from_slice(&chunk[..n]);
        }
        assert_eq!(
            self.answer.len(),
            end,
            "{}: bytes after the answer",
            self.name
        );
        (head.status, head.len)
    }

    /// A control call (not timed): signs, sends, checks 200, returns the body.
    fn call(&mut self, operation: Operation, json: &str) -> Vec<u8> {
        let request = self.request(operation, json.as_bytes());
        let (status, at) = self.exchange(&request);
        let body = self.answer[at..].to_vec();
        assert_eq!(
            status,
            200,
            "{} {operation:?}: {}",
            self.name,
            String::from_utf8_lossy(&body)
        );
        body
    }

    fn create(&mut self, stream: &str) {
        self.call(
            Operation::CreateStream,
            &format!(r#"{{"StreamName":"{stream}","ShardCount":1}}"#),
        );
        // ferrokinesis answers CreateStream before the stream is ACTIVE (even with
        // --create-stream-ms 0): wait for it.
        for _ in 0..200 {
            let body = self.call(
                Operation::DescribeStreamSummary,
                &format!(r#"{{"StreamName":"{stream}"}}"#),
            );
            if String::from_utf8_lossy(&body).contains("\"ACTIVE\"") {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("{}: {stream} never became ACTIVE", self.name);
    }

    fn delete(&mut self, stream: &str) {
        self.call(
            Operation::DeleteStream,
            &format!(r#"{{"StreamName":"{stream}","EnforceConsumerDeletion":true}}"#),
        );
    }

    /// A TRIM_HORIZON iterator on the stream's one shard.
    fn iterator(&mut self, stream: &str) -> String {
        let body = self.call(
            Operation::GetShardIterator,
            &format!(
                r#"{{"StreamName":"{stream}","ShardId":"shardId-000000000000","ShardIteratorType":"TRIM_HORIZON"}}"#
            ),
        );
        let Response::GetShardIterator(out) =
            Response::parse(Operation::GetShardIterator, &body).expect("an answer")
        else {
            panic!("not a GetShardIterator answer")
        };
        out.shard_iterator.expect("ShardIterator").into_owned()
    }

    /// Sends a PutRecords request and checks its answer in full.
    fn put(&mut self, request: &[u8]) {
        let (status, at) = self.exchange(request);
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&self.answer));
        let answer = PutRecordsResponse::parse(&self.answer[at..]).expect("a PutRecords answer");
        assert_eq!(answer.failed_record_count(), Some(0));
        assert_eq!(answer.entries().filter(|e| !e.is_failed()).count(), RECORDS);
    }

    /// Sends a GetRecords request and checks every record's bytes.
    fn get(&mut self, request: &[u8], records: &[Vec<u8>], buf: &mut Vec<u8>) {
        let (status, at) = self.exchange(request);
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&self.answer));
        let body = &self.answer[at..];
        buf.resize(max_decoded_len(body), 0);
        let answer = parse_get_records(body, buf).expect("a GetRecords answer");
        let got = answer.records.as_deref().unwrap_or_default();
        assert_eq!(got.len(), records.len(), "{}", self.name);
        for (record, want) in got.iter().zip(records) {
            let data = record.data.as_ref().expect("Data");
            assert_eq!(
                data.as_bytes().expect("decoded in one pass"),
                want.as_slice()
            );
        }
    }
}

/// The PutRecords body of the 500 records for `stream`, written by the crate.
fn put_body(stream: &str, records: &[Vec<u8>], keys: &[String]) -> Vec<u8> {
    let mut batch = Batcher::kinesis(
        Vec::with_capacity(1 << 20),
        StreamRef::Name(stream),
        Limits::KINESIS,
    )
    .expect("a batch");
    for (data, key) in records.iter().zip(keys) {
        batch.push(&Record::new(data, key)).expect("fits");
    }
    batch.finish().expect("a body")
}

/// The servers, the example's first.
fn peers() -> Vec<Peer> {
    let example = emulator::Emulator::start();
    let mut peers = vec![Peer::new(
        "kinesis-codec_example",
        example.address().to_owned(),
        Box::new(example),
    )];
    if let Some(server) = ferrokinesis::start_release(BENCH) {
        peers.push(Peer::new("ferrokinesis", server.host(), Box::new(server)));
    }
    peers
}

fn bench(c: &mut Criterion) {
    let records: Vec<Vec<u8>> = (0..RECORDS).map(record_bytes).collect();
    let keys: Vec<String> = (0..RECORDS).map(|i| format!("key-{i:05}")).collect();
    let mut peers = peers();

    // PutRecords: the same requests to each server, a fresh stream every PUTS_PER_STREAM.
    let mut group = c.benchmark_group("endpoint_put_records");
    group.throughput(Throughput::Bytes((RECORDS * RECORD_BYTES) as u64));
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(8));
    for peer in &mut peers {
        let mut stream_number = 0u32;
        group.bench_function(BenchmarkId::new(peer.name, "500x1KiB"), |b| {
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                let mut done = 0;
                while done < iters {
                    let stream = format!("put-{stream_number:06}");
                    stream_number += 1;
                    peer.create(&stream);
                    let request =
                        peer.request(Operation::PutRecords, &put_body(&stream, &records, &keys));
                    let n = (iters - done).min(PUTS_PER_STREAM);
                    let start = Instant::now();
                    for _ in 0..n {
                        peer.put(&request);
                    }
                    timed += start.elapsed();
                    done += n;
                    peer.delete(&stream);
                }
                timed
            })
        });
    }
    group.finish();

    // GetRecords: the same 500 records from one stream on each server, the same iterator
    // read again and again (a fresh one for each measurement, well within its five minutes).
    let mut group = c.benchmark_group("endpoint_get_records");
    group.throughput(Throughput::Bytes((RECORDS * RECORD_BYTES) as u64));
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(8));
    for peer in &mut peers {
        peer.create("read");
        let request = peer.request(Operation::PutRecords, &put_body("read", &records, &keys));
        peer.put(&request);
        let mut buf = Vec::new();
        group.bench_function(BenchmarkId::new(peer.name, "500x1KiB"), |b| {
            b.iter_custom(|iters| {
                let iterator = peer.iterator("read");
                let request = peer.request(
                    Operation::GetRecords,
                    format!(r#"{{"ShardIterator":"{iterator}","Limit":{RECORDS}}}"#).as_bytes(),
                );
                let start = Instant::now();
                for _ in 0..iters {
                    peer.get(&request, &records, &mut buf);
                }
                start.elapsed()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
