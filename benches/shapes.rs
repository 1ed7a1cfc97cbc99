//! Wire shapes, side by side with the usual approaches in the same run.
//!
//! - `get_records_response` (10,000 records of 1 KiB each, `Throughput::Bytes` of the body):
//!   `kinesis-codec` = `Response::parse(GetRecords, body)` (strings and base64 borrowed, blobs
//!   left encoded); `serde-owned` = serde derive into `String` fields with `Data` base64-decoded
//!   into `Vec<u8>` (what most hand-written clients do); `serde_json-value` = `serde_json::Value`;
//!   `kinesis-codec-untracked` = the same generated shape through plain `serde_json::from_slice`
//!   (shows what the JSON-path tracking of `Response::parse` costs).
//! - `put_records_request` (500 records of 1 KiB raw bytes, `Throughput::Elements`):
//!   `kinesis-codec` = `Request::PutRecords(..).to_vec()` with `Blob::from_bytes` (base64 written
//!   straight into the output); `serde-owned` = serde derive over owned structs, base64 encoded
//!   into a `String` per record first; `kinesis-codec-serde_json` = the same shape through plain
//!   `serde_json::to_vec` (shows what the crate's JSON writer saves: no escaping pass over the
//!   base64, no `Display` chunks, SIMD base64 with `std`).
//! - `subscribe_to_shard_stream` (a whole response stream: initial response, then events of 100
//!   records of 1 KiB, `Throughput::Bytes` of the stream): `kinesis-codec` = `eventstream::decode`
//!   and `SubscribeToShardItem::from_frame` per frame (blobs left encoded);
//!   `smithy+serde-owned` = aws-smithy-eventstream's `read_message_from` and the owned structs.
//!
//! Before the measurements, the heap allocations of one iteration of each contender are printed
//! (a counting global allocator; counting is off while criterion measures).
//!
//! Run: `cargo bench --bench shapes`; a quick look: `cargo bench --bench shapes -- --warm-up-time 1
//! --measurement-time 2`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::borrow::Cow;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use base64::Engine as _;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kinesis_codec::blob::Blob;
use kinesis_codec::eventstream::{decode, encode_to_vec, Decoded, Header, HeaderValue};
use kinesis_codec::kinesis::{shapes, Operation, Request, Response, SubscribeToShardItem};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

// ---- allocation counting --------------------------------------------------------------------

struct Counting;
static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the wrapper only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCS.fetch_add(1, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn count_allocs<T>(label: &str, f: impl FnOnce() -> T) -> T {
    ALLOCS.store(0, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    let out = f();
    COUNTING.store(false, Ordering::SeqCst);
    eprintln!("allocations: {label}: {}", ALLOCS.load(Ordering::SeqCst));
    out
}

// ---- the usual approach: owned serde structs --------------------------------------------------

fn b64_decode<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let s: Cow<'de, str> = Deserialize::deserialize(d)?;
    base64::engine::general_purpose::STANDARD
        .decode(s.as_bytes())
        .map_err(serde::de::Error::custom)
}

fn b64_encode<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(v))
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct OwnedRecord {
    sequence_number: String,
    approximate_arrival_timestamp: Option<f64>,
    #[serde(deserialize_with = "b64_decode")]
    data: Vec<u8>,
    partition_key: String,
    encryption_type: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct OwnedGetRecordsOutput {
    records: Vec<OwnedRecord>,
    next_shard_iterator: Option<String>,
    millis_behind_latest: Option<i64>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct OwnedSubscribeToShardEvent {
    records: Vec<OwnedRecord>,
    continuation_sequence_number: String,
    millis_behind_latest: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct OwnedPutRecordsEntry {
    #[serde(serialize_with = "b64_encode")]
    data: Vec<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explicit_hash_key: Option<String>,
    partition_key: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct OwnedPutRecordsInput {
    records: Vec<OwnedPutRecordsEntry>,
    stream_name: String,
}

// ---- inputs ---------------------------------------------------------------------------------

/// 1 KiB of record bytes (varied, so base64 is not trivially repetitive).
fn record_bytes(i: usize) -> Vec<u8> {
    (0..1024).map(|j| ((i * 31 + j * 7) % 251) as u8).collect()
}

fn record_json(i: usize) -> String {
    let data = base64::engine::general_purpose::STANDARD.encode(record_bytes(i));
    format!(
        r#"{{"SequenceNumber":"49590338271490256608559692538361571095921575989136{i:06}","ApproximateArrivalTimestamp":1441215410.867,"Data":"{data}","PartitionKey":"partition-key-{i}","EncryptionType":"NONE"}}"#
    )
}

fn get_records_body(n: usize) -> Vec<u8> {
    let records: Vec<String> = (0..n).map(record_json).collect();
    format!(
        r#"{{"Records":[{}],"NextShardIterator":"AAAAAAAAAAHsW8zCWf9164uy8Epue6WS3w6wmj4a4USt","MillisBehindLatest":0}}"#,
        records.join(",")
    )
    .into_bytes()
}

/// A SubscribeToShard response stream: initial response, then `events` events of 100 records.
fn subscribe_stream(events: usize) -> Vec<u8> {
    let headers = |t: &'static str| {
        [
            Header {
                name: ":event-type",
                value: HeaderValue::String(t),
            },
            Header {
                name: ":content-type",
                value: HeaderValue::String("application/json"),
            },
            Header {
                name: ":message-type",
                value: HeaderValue::String("event"),
            },
        ]
    };
    let mut out = Vec::new();
    encode_to_vec(&headers("initial-response"), b"{}", &mut out).unwrap();
    for e in 0..events {
        let records: Vec<String> = (0..100).map(|i| record_json(e * 100 + i)).collect();
        let payload = format!(
            r#"{{"Records":[{}],"ContinuationSequenceNumber":"49590338271490256608559692538361571095921575989136{:06}","MillisBehindLatest":0}}"#,
            records.join(","),
            e
        );
        encode_to_vec(
            &headers("SubscribeToShardEvent"),
            payload.as_bytes(),
            &mut out,
        )
        .unwrap();
    }
    out
}

// ---- contenders -----------------------------------------------------------------------------

fn ours_get_records(body: &[u8]) -> usize {
    match Response::parse(Operation::GetRecords, body).unwrap() {
        Response::GetRecords(out) => out.records.as_ref().map_or(0, Vec::len),
        _ => unreachable!(),
    }
}

/// The same generated shape read by plain `serde_json::from_slice` (no JSON-path tracking).
fn shape_untracked_get_records(body: &[u8]) -> usize {
    let out: shapes::GetRecordsOutput<'_> = serde_json::from_slice(body).unwrap();
    out.records.as_ref().map_or(0, Vec::len)
}

fn owned_get_records(body: &[u8]) -> usize {
    serde_json::from_slice::<OwnedGetRecordsOutput>(body)
        .unwrap()
        .records
        .len()
}

fn value_get_records(body: &[u8]) -> usize {
    serde_json::from_slice::<serde_json::Value>(body).unwrap()["Records"]
        .as_array()
        .unwrap()
        .len()
}

fn put_records_input(records: &[(Vec<u8>, String)]) -> shapes::PutRecordsInput<'_> {
    shapes::PutRecordsInput {
        records: records
            .iter()
            .map(|(data, key)| shapes::PutRecordsRequestEntry {
                data: Blob::from_bytes(data),
                explicit_hash_key: None,
                partition_key: Some(Cow::Borrowed(key.as_str())),
            })
            .collect(),
        stream_name: Some(Cow::Borrowed("my-stream")),
        ..Default::default()
    }
}

fn ours_put_records(records: &[(Vec<u8>, String)]) -> Vec<u8> {
    Request::PutRecords(put_records_input(records)).to_vec()
}

/// The same shape through plain `serde_json::to_vec`: what the crate's JSON writer saves.
fn ours_put_records_serde_json(records: &[(Vec<u8>, String)]) -> Vec<u8> {
    serde_json::to_vec(&put_records_input(records)).unwrap()
}

fn owned_put_records(records: &[(Vec<u8>, String)]) -> Vec<u8> {
    let input = OwnedPutRecordsInput {
        records: records
            .iter()
            .map(|(data, key)| OwnedPutRecordsEntry {
                data: data.clone(),
                explicit_hash_key: None,
                partition_key: key.clone(),
            })
            .collect(),
        stream_name: "my-stream".to_string(),
    };
    serde_json::to_vec(&input).unwrap()
}

fn ours_stream(mut stream: &[u8]) -> usize {
    let mut records = 0;
    while !stream.is_empty() {
        let Ok(Decoded::Frame { frame, used }) = decode(stream) else {
            unreachable!()
        };
        if let SubscribeToShardItem::Event(ev) = SubscribeToShardItem::from_frame(&frame).unwrap() {
            records += ev.records.as_ref().map_or(0, Vec::len);
        }
        stream = &stream[used..];
    }
    records
}

fn smithy_owned_stream(mut stream: &[u8]) -> usize {
    let mut records = 0;
    while !stream.is_empty() {
        let msg = aws_smithy_eventstream::frame::read_message_from(&mut stream).unwrap();
        let event_type = msg
            .headers()
            .iter()
            .find(|h| h.name().as_str() == ":event-type")
            .unwrap();
        if event_type.value().as_string().unwrap().as_str() == "SubscribeToShardEvent" {
            let ev: OwnedSubscribeToShardEvent = serde_json::from_slice(msg.payload()).unwrap();
            records += ev.records.len();
        }
    }
    records
}

// ---- benches --------------------------------------------------------------------------------

fn get_records(c: &mut Criterion) {
    let body = get_records_body(10_000);
    assert_eq!(ours_get_records(&body), 10_000);
    assert_eq!(owned_get_records(&body), 10_000);
    assert_eq!(value_get_records(&body), 10_000);
    count_allocs("get_records_response/kinesis-codec", || {
        ours_get_records(&body)
    });
    count_allocs("get_records_response/serde-owned", || {
        owned_get_records(&body)
    });
    count_allocs("get_records_response/serde_json-value", || {
        value_get_records(&body)
    });
    let mut g = c.benchmark_group("get_records_response");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.sample_size(20);
    g.bench_function("kinesis-codec", |b| {
        b.iter(|| ours_get_records(black_box(&body)))
    });
    g.bench_function("kinesis-codec-untracked", |b| {
        b.iter(|| shape_untracked_get_records(black_box(&body)))
    });
    g.bench_function("serde-owned", |b| {
        b.iter(|| owned_get_records(black_box(&body)))
    });
    g.bench_function("serde_json-value", |b| {
        b.iter(|| value_get_records(black_box(&body)))
    });
    g.finish();
}

fn put_records(c: &mut Criterion) {
    let records: Vec<(Vec<u8>, String)> = (0..500)
        .map(|i| (record_bytes(i), format!("partition-key-{i}")))
        .collect();
    // Both write the same JSON value.
    let ours: serde_json::Value = serde_json::from_slice(&ours_put_records(&records)).unwrap();
    let owned: serde_json::Value = serde_json::from_slice(&owned_put_records(&records)).unwrap();
    assert_eq!(ours, owned);
    assert_eq!(
        ours_put_records(&records),
        ours_put_records_serde_json(&records)
    );
    count_allocs("put_records_request/kinesis-codec", || {
        ours_put_records(&records)
    });
    count_allocs("put_records_request/serde-owned", || {
        owned_put_records(&records)
    });
    let mut g = c.benchmark_group("put_records_request");
    g.throughput(Throughput::Elements(records.len() as u64));
    g.bench_function("kinesis-codec", |b| {
        b.iter(|| ours_put_records(black_box(&records)))
    });
    g.bench_function("serde-owned", |b| {
        b.iter(|| owned_put_records(black_box(&records)))
    });
    g.bench_function("kinesis-codec-serde_json", |b| {
        b.iter(|| ours_put_records_serde_json(black_box(&records)))
    });
    g.finish();
}

fn subscribe(c: &mut Criterion) {
    let stream = subscribe_stream(100);
    assert_eq!(ours_stream(&stream), 10_000);
    assert_eq!(smithy_owned_stream(&stream), 10_000);
    count_allocs("subscribe_to_shard_stream/kinesis-codec", || {
        ours_stream(&stream)
    });
    count_allocs("subscribe_to_shard_stream/smithy+serde-owned", || {
        smithy_owned_stream(&stream)
    });
    let mut g = c.benchmark_group("subscribe_to_shard_stream");
    g.throughput(Throughput::Bytes(stream.len() as u64));
    g.sample_size(20);
    g.bench_function("kinesis-codec", |b| {
        b.iter(|| ours_stream(black_box(&stream)))
    });
    g.bench_function("smithy+serde-owned", |b| {
        b.iter(|| smithy_owned_stream(black_box(&stream)))
    });
    g.finish();
}

criterion_group!(benches, get_records, put_records, subscribe);
criterion_main!(benches);
