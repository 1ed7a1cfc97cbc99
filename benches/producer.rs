//! A 500-record Kinesis `PutRecords` body of 1 KiB records: this crate's no-allocation writer
//! against the usual heap way (owned structs with `String` fields, data base64-encoded into a
//! `String`, serde derive, `serde_json::to_vec`), in one criterion group.
//!
//! - `kinesis-codec_batcher`: raw records → body in a reused buffer, limits checked.
//! - `kinesis-codec_writer`: the same with the bare [`PutRecordsWriter`] (no limit checks).
//! - `serde_json_owned`: raw records → owned structs (base64 `String`s) → `serde_json::to_vec`.
//! - `serde_json_to_vec_only`: `serde_json::to_vec` of structs built beforehand (the peer's best
//!   case: its base64 work is not timed).
//!
//! Ratios: `python3 benches/ratios.py producer_put_records` (or read
//! `target/criterion/producer_put_records/*/500x1KiB/new/estimates.json`).

use base64::Engine as _;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kinesis_codec::producer::{
    kinesis_put_records_capacity, Batcher, Limits, PutRecordsWriter, Record, Sink, SliceBuf,
    StreamRef,
};
use serde::Serialize;
use std::hint::black_box;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PutRecordsRequestEntry {
    data: String,
    partition_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    explicit_hash_key: Option<String>,
}

#[derive(Serialize)]
struct PutRecordsInput {
    #[serde(rename = "StreamName")]
    stream_name: String,
    #[serde(rename = "Records")]
    records: Vec<PutRecordsRequestEntry>,
}

const RECORDS: usize = 500;
const DATA: usize = 1024;
const STREAM: &str = "orders-stream";
const INPUT: &str = "500x1KiB";

fn inputs() -> (Vec<Vec<u8>>, Vec<String>) {
    let data = (0..RECORDS)
        .map(|i| (0..DATA).map(|j| (i * 31 + j * 7) as u8).collect())
        .collect();
    let keys = (0..RECORDS)
        .map(|i| format!("partition-key-{i:05}"))
        .collect();
    (data, keys)
}

fn owned(data: &[Vec<u8>], keys: &[String]) -> PutRecordsInput {
    PutRecordsInput {
        stream_name: STREAM.to_string(),
        records: data
            .iter()
            .zip(keys)
            .map(|(d, k)| PutRecordsRequestEntry {
                data: base64::engine::general_purpose::STANDARD.encode(d),
                partition_key: k.clone(),
                explicit_hash_key: None,
            })
            .collect(),
    }
}

fn bench(c: &mut Criterion) {
    let (data, keys) = inputs();
    let cap = kinesis_put_records_capacity(RECORDS, DATA, 19, false, 32);
    let mut storage = vec![0u8; cap];

    // All four produce the same JSON value.
    let ours = {
        let mut w =
            PutRecordsWriter::new(SliceBuf::new(&mut storage), StreamRef::Name(STREAM)).unwrap();
        for (d, k) in data.iter().zip(&keys) {
            w.push(&Record::new(d, k)).unwrap();
        }
        w.finish().unwrap().written().to_vec()
    };
    let theirs = serde_json::to_vec(&owned(&data, &keys)).unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&ours).unwrap(),
        serde_json::from_slice::<serde_json::Value>(&theirs).unwrap()
    );

    let mut g = c.benchmark_group("producer_put_records");
    g.throughput(Throughput::Bytes((RECORDS * DATA) as u64));
    g.bench_function(BenchmarkId::new("kinesis-codec_batcher", INPUT), |b| {
        b.iter(|| {
            let mut batch = Batcher::kinesis(
                SliceBuf::new(&mut storage),
                StreamRef::Name(STREAM),
                Limits::KINESIS,
            )
            .unwrap();
            for (d, k) in data.iter().zip(&keys) {
                batch.push(&Record::new(d, k)).unwrap();
            }
            black_box(batch.finish().unwrap().len())
        })
    });
    g.bench_function(BenchmarkId::new("kinesis-codec_writer", INPUT), |b| {
        b.iter(|| {
            let mut w = PutRecordsWriter::new(SliceBuf::new(&mut storage), StreamRef::Name(STREAM))
                .unwrap();
            for (d, k) in data.iter().zip(&keys) {
                w.push(&Record::new(d, k)).unwrap();
            }
            black_box(w.finish().unwrap().len())
        })
    });
    g.bench_function(BenchmarkId::new("serde_json_owned", INPUT), |b| {
        b.iter(|| {
            let input = owned(black_box(&data), black_box(&keys));
            black_box(serde_json::to_vec(&input).unwrap())
        })
    });
    let prebuilt = owned(&data, &keys);
    g.bench_function(BenchmarkId::new("serde_json_to_vec_only", INPUT), |b| {
        b.iter(|| black_box(serde_json::to_vec(black_box(&prebuilt)).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
