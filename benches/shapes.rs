//! Wire shapes, side by side with the usual approaches in the same run.
//!
//! The GetRecords and SubscribeToShard groups here leave our blobs as base64 text while the
//! owned peer decodes every record's data: *not* equal work, kept as a labelled extra (how much
//! parsing alone costs). The equal-work comparisons, every record's bytes in hand on both sides,
//! are `benches/records.rs`.
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
//!   records of 1 KiB, `Throughput::Bytes` of the stream): `kinesis-codec` = a `Decoder` with
//!   `kinesis::subscribe::DECODE_OPTIONS` (the stream's well-known header values, as a
//!   SubscribeToShard reader is meant to decode) and `SubscribeToShardItem::from_frame` per frame
//!   (blobs left encoded);
//!   `smithy+serde-owned` = aws-smithy-eventstream's `read_message_from` and the owned structs.
//!
//! Before the measurements, the heap allocations of one iteration of each contender are printed
//! (the tests' counting allocator, `tests/common/counting_alloc.rs`).
//!
//! Run: `cargo bench --bench shapes`; a quick look: `cargo bench --bench shapes -- --warm-up-time 1
//! --measurement-time 2`.

#[path = "common/records.rs"]
mod common;
#[path = "../tests/common/counting_alloc.rs"]
mod counting_alloc;

use std::borrow::Cow;
use std::hint::black_box;

use base64::Engine as _;
use common::{
    get_records_body, record_bytes, subscribe_stream, OwnedGetRecordsOutput,
    OwnedSubscribeToShardEvent,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kinesis_codec::blob::Blob;
use kinesis_codec::eventstream::{Decoded, Decoder};
use kinesis_codec::kinesis::{
    shapes, subscribe, Operation, Request, Response, SubscribeToShardItem,
};
use serde::{Serialize, Serializer};

fn count_allocs<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let (out, n) = counting_alloc::count(f);
    eprintln!("allocations: {label}: {n}");
    out
}

// ---- the usual approach: owned serde structs --------------------------------------------------

fn b64_encode<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(v))
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
    const DECODER: Decoder = Decoder::new(subscribe::DECODE_OPTIONS);
    let mut records = 0;
    while !stream.is_empty() {
        let Ok(Decoded::Frame { frame, used }) = DECODER.decode(stream) else {
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
    let stream = subscribe_stream(100, 100);
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
