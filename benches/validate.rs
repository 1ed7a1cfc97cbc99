//! Request validation (issue 16): a PutRecords request of 500 records of 1 KiB, parsed and then
//! validated as the service does (`Request::validate`: every generated constraint of the input
//! and its entries, patterns by the compiled automata), beside parsing the same body alone.
//! `Throughput::Elements` = records.
//!
//! - `parse` = `Request::parse(PutRecords, body)` (strings borrowed, blobs left as base64 text);
//! - `validate` = `Request::validate` of that parsed request, which must find it valid;
//! - `parse+validate` = both, what an endpoint does per request; and `check_body`, the
//!   body-level call an emulator makes (parse, validate, and the service's error on refusal).
//!
//! The goal is validation under 20% of the parse; `python3 benches/ratios.py validate` prints the
//! ratios. Heap allocations of validating are printed first (none for a valid request).
//!
//! Run: `cargo bench --bench validate`.

#[path = "common/records.rs"]
mod common;
#[path = "../tests/common/counting_alloc.rs"]
mod counting_alloc;

use std::borrow::Cow;
use std::hint::black_box;

use common::record_bytes;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kinesis_codec::blob::Blob;
use kinesis_codec::kinesis::{shapes, Operation, Request};
use kinesis_codec::wire::Protocol;

const RECORDS: usize = 500;

fn body() -> Vec<u8> {
    let data: Vec<Vec<u8>> = (0..RECORDS).map(record_bytes).collect();
    let keys: Vec<String> = (0..RECORDS).map(|i| format!("partition-key-{i}")).collect();
    let input = shapes::PutRecordsInput {
        records: data
            .iter()
            .zip(&keys)
            .map(|(data, key)| shapes::PutRecordsRequestEntry {
                data: Blob::from_bytes(data),
                explicit_hash_key: None,
                partition_key: Some(Cow::Borrowed(key.as_str())),
            })
            .collect(),
        stream_name: Some(Cow::Borrowed("my-stream")),
        ..Default::default()
    };
    Request::PutRecords(input).to_vec()
}

fn validation(c: &mut Criterion) {
    let body = body();
    let request = Request::parse(Operation::PutRecords, &body).unwrap();
    assert!(request.validate().is_ok());
    assert!(Request::check_body(Protocol::Json, Operation::PutRecords, &body).is_ok());
    let (_, n) = counting_alloc::count(|| request.validate().is_ok());
    eprintln!("allocations: validate/{RECORDS} records: {n}");
    let mut g = c.benchmark_group("validate");
    g.throughput(Throughput::Elements(RECORDS as u64));
    g.bench_function("parse", |b| {
        b.iter(|| Request::parse(Operation::PutRecords, black_box(&body)).unwrap())
    });
    g.bench_function("validate", |b| {
        b.iter(|| black_box(&request).validate().is_ok())
    });
    g.bench_function("parse+validate", |b| {
        b.iter(|| {
            let request = Request::parse(Operation::PutRecords, black_box(&body)).unwrap();
            request.validate().is_ok()
        })
    });
    g.bench_function("check_body", |b| {
        b.iter(|| {
            Request::check_body(Protocol::Json, Operation::PutRecords, black_box(&body)).is_ok()
        })
    });
    g.finish();
}

criterion_group!(benches, validation);
criterion_main!(benches);
