//! Record data on equal work: every comparison ends with every record's bytes in hand on both
//! sides (decoded, in memory, readable), against the usual approach in the same run.
//!
//! - `get_records_bytes` (a GetRecords answer of 10,000 records of 1 KiB, `Throughput::Bytes` of
//!   the body): `kinesis-codec` = `records::parse_get_records` into a reused buffer (each record's
//!   base64 decoded as it is read); `kinesis-codec/two-pass` = `Response::parse`, then
//!   `records::decode_data_into` the reused buffer; `serde-owned` = serde derive into owned structs whose `Data` is base64-decoded
//!   while parsing (base64's default engine); `simd-decode-floor` = base64's SIMD engine decoding
//!   the 10,000 texts alone, already cut out: what any reader must at least do.
//!   `kinesis-codec/blobs-left-encoded` (extra, *not* equal work) = the parse alone.
//! - `subscribe_stream_bytes` (initial response and 20 events of 100 records of 1 KiB):
//!   `kinesis-codec` = `eventstream::Decoder::decode` with `subscribe::DECODE_OPTIONS` (both
//!   CRCs checked; the SubscribeToShard header values known) and
//!   `SubscribeToShardItem::from_frame_decoding` into a reused buffer per event; `smithy+serde-owned` = aws-smithy-eventstream's
//!   `read_message_from` (both CRCs) and the owned structs; `crc+simd-decode-floor` = a
//!   crc32fast pass over the stream plus the SIMD decoding of the texts.
//! - `blob_decode` (1,000 record texts of 1 KiB of data): `kinesis-codec` = `Blob::decode_into`;
//!   `base64-scalar` = base64's `STANDARD` engine `decode_slice`, the same bytes out;
//!   `base64-simd-engine-floor` = base64's SIMD engine `decode_slice` on the texts, which
//!   `decode_into` calls: its ratio to the scalar engine bounds ours.
//!
//! Before timing, each side's records are checked equal, and the allocations of one iteration
//! are printed (`allocations: ...`).
//!
//! Run: `cargo bench --bench records`; ratios: `python3 benches/ratios.py get_records_bytes
//! subscribe_stream_bytes blob_decode`.

#[path = "common/records.rs"]
mod common;
#[path = "../tests/common/counting_alloc.rs"]
mod counting_alloc;

use std::hint::black_box;

use base64::Engine as _;
use common::{
    digest, get_records_body, subscribe_stream, OwnedGetRecordsOutput, OwnedSubscribeToShardEvent,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kinesis_codec::blob::Blob;
use kinesis_codec::eventstream::{Decoded, Decoder};
use kinesis_codec::kinesis::records::{
    decode_data_into, decoded_len, max_decoded_len, parse_get_records,
};
use kinesis_codec::kinesis::{subscribe, Operation, Response, SubscribeToShardItem};

/// One pass: each record's base64 decoded into the reused buffer as the body is read.
fn ours_get_records(body: &[u8], buf: &mut Vec<u8>) -> u64 {
    let need = max_decoded_len(body);
    if buf.len() < need {
        buf.resize(need, 0);
    }
    let out = parse_get_records(body, buf).unwrap();
    let records = out.records.as_deref().unwrap_or_default();
    records.iter().fold(0, |acc, r| {
        digest(acc, r.data.as_ref().unwrap().as_bytes().unwrap())
    })
}

/// Two passes: the parse, then `decode_data_into`.
fn ours_get_records_two_pass(body: &[u8], buf: &mut Vec<u8>) -> u64 {
    let Response::GetRecords(out) = Response::parse(Operation::GetRecords, body).unwrap() else {
        unreachable!()
    };
    let records = out.records.as_deref().unwrap_or_default();
    let need = decoded_len(records);
    if buf.len() < need {
        buf.resize(need, 0);
    }
    decode_data_into(records, buf)
        .unwrap()
        .fold(0, |acc, (_, b)| digest(acc, b))
}

fn ours_parse_only(body: &[u8]) -> usize {
    let Response::GetRecords(out) = Response::parse(Operation::GetRecords, body).unwrap() else {
        unreachable!()
    };
    out.records.map_or(0, |r| r.len())
}

fn owned_get_records(body: &[u8]) -> u64 {
    let out: OwnedGetRecordsOutput = serde_json::from_slice(body).unwrap();
    out.records.iter().fold(0, |acc, r| digest(acc, &r.data))
}

/// The base64 texts of the records' `Data`, cut out of a body (setup for the floor).
fn texts(body: &[u8]) -> Vec<Vec<u8>> {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap();
    v["Records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["Data"].as_str().unwrap().as_bytes().to_vec())
        .collect()
}

fn simd() -> base64::engine::Simd {
    base64::engine::Simd::standard(base64::engine::general_purpose::PAD)
}

fn decode_floor(engine: &impl base64::Engine, texts: &[Vec<u8>], buf: &mut [u8]) -> u64 {
    let mut at = 0;
    let mut acc = 0;
    for t in texts {
        let n = engine.decode_slice(t, &mut buf[at..]).unwrap();
        acc = digest(acc, &buf[at..at + n]);
        at += n;
    }
    acc
}

fn get_records(c: &mut Criterion) {
    let body = get_records_body(10_000);
    let texts = texts(&body);
    let mut buf = Vec::new();
    let mut floor_buf = vec![0u8; 10_000 * 1024];
    let ours = ours_get_records(&body, &mut buf);
    assert_eq!(
        ours,
        owned_get_records(&body),
        "both sides end with the same bytes"
    );
    assert_eq!(ours, ours_get_records_two_pass(&body, &mut buf));
    assert_eq!(ours, decode_floor(&simd(), &texts, &mut floor_buf));
    let (_, n) = counting_alloc::count(|| ours_get_records(&body, &mut buf));
    eprintln!("allocations: get_records_bytes/kinesis-codec: {n} (10,000 records; buffer reused)");
    let (_, n) = counting_alloc::count(|| owned_get_records(&body));
    eprintln!("allocations: get_records_bytes/serde-owned: {n}");

    let mut g = c.benchmark_group("get_records_bytes");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.sample_size(20);
    g.bench_function("kinesis-codec", |b| {
        b.iter(|| ours_get_records(black_box(&body), &mut buf))
    });
    g.bench_function("kinesis-codec/two-pass", |b| {
        b.iter(|| ours_get_records_two_pass(black_box(&body), &mut buf))
    });
    g.bench_function("serde-owned", |b| {
        b.iter(|| owned_get_records(black_box(&body)))
    });
    let engine = simd();
    g.bench_function("simd-decode-floor", |b| {
        b.iter(|| decode_floor(&engine, black_box(&texts), &mut floor_buf))
    });
    g.bench_function("kinesis-codec/blobs-left-encoded", |b| {
        b.iter(|| ours_parse_only(black_box(&body)))
    });
    g.finish();
}

fn ours_stream(mut stream: &[u8], buf: &mut Vec<u8>) -> u64 {
    const DECODER: Decoder = Decoder::new(subscribe::DECODE_OPTIONS);
    let mut acc = 0;
    while !stream.is_empty() {
        let Ok(Decoded::Frame { frame, used }) = DECODER.decode(stream) else {
            unreachable!()
        };
        let need = max_decoded_len(frame.payload());
        if buf.len() < need {
            buf.resize(need, 0);
        }
        if let SubscribeToShardItem::Event(ev) =
            SubscribeToShardItem::from_frame_decoding(&frame, buf).unwrap()
        {
            let records = ev.records.as_deref().unwrap_or_default();
            acc = records.iter().fold(acc, |acc, r| {
                digest(acc, r.data.as_ref().unwrap().as_bytes().unwrap())
            });
        }
        stream = &stream[used..];
    }
    acc
}

fn smithy_owned_stream(mut stream: &[u8]) -> u64 {
    let mut acc = 0;
    while !stream.is_empty() {
        let msg = aws_smithy_eventstream::frame::read_message_from(&mut stream).unwrap();
        let event_type = msg
            .headers()
            .iter()
            .find(|h| h.name().as_str() == ":event-type")
            .unwrap();
        if event_type.value().as_string().unwrap().as_str() == "SubscribeToShardEvent" {
            let ev: OwnedSubscribeToShardEvent = serde_json::from_slice(msg.payload()).unwrap();
            acc = ev.records.iter().fold(acc, |acc, r| digest(acc, &r.data));
        }
    }
    acc
}

fn subscribe(c: &mut Criterion) {
    let stream = subscribe_stream(20, 100);
    let texts: Vec<Vec<u8>> = (0..20)
        .flat_map(|e| {
            (0..100).map(move |i| {
                base64::engine::general_purpose::STANDARD
                    .encode(common::record_bytes(e * 100 + i))
                    .into_bytes()
            })
        })
        .collect();
    let mut buf = Vec::new();
    let mut floor_buf = vec![0u8; 2_000 * 1024];
    let ours = ours_stream(&stream, &mut buf);
    assert_eq!(
        ours,
        smithy_owned_stream(&stream),
        "both sides end with the same bytes"
    );
    let (_, n) = counting_alloc::count(|| ours_stream(&stream, &mut buf));
    eprintln!("allocations: subscribe_stream_bytes/kinesis-codec: {n} (21 frames, 2,000 records)");
    let (_, n) = counting_alloc::count(|| smithy_owned_stream(&stream));
    eprintln!("allocations: subscribe_stream_bytes/smithy+serde-owned: {n}");

    let mut g = c.benchmark_group("subscribe_stream_bytes");
    g.throughput(Throughput::Bytes(stream.len() as u64));
    g.sample_size(30);
    g.bench_function("kinesis-codec", |b| {
        b.iter(|| ours_stream(black_box(&stream), &mut buf))
    });
    g.bench_function("smithy+serde-owned", |b| {
        b.iter(|| smithy_owned_stream(black_box(&stream)))
    });
    let engine = simd();
    g.bench_function("crc+simd-decode-floor", |b| {
        b.iter(|| {
            (
                crc32fast::hash(black_box(&stream)),
                decode_floor(&engine, black_box(&texts), &mut floor_buf),
            )
        })
    });
    g.finish();
}

fn blob_decode(c: &mut Criterion) {
    let texts: Vec<String> = (0..1000)
        .map(|i| base64::engine::general_purpose::STANDARD.encode(common::record_bytes(i)))
        .collect();
    let blobs: Vec<Blob<'_>> = texts
        .iter()
        .map(|t| Blob::from_base64(t).unwrap())
        .collect();
    let mut buf = vec![0u8; 1024];
    let ours = |buf: &mut [u8]| {
        blobs.iter().fold(0, |acc, b| {
            let n = b.decode_into(buf).unwrap();
            digest(acc, &buf[..n])
        })
    };
    let scalar = |buf: &mut [u8]| {
        texts.iter().fold(0, |acc, t| {
            let n = base64::engine::general_purpose::STANDARD
                .decode_slice(t, buf)
                .unwrap();
            digest(acc, &buf[..n])
        })
    };
    // base64's SIMD engine called directly on the texts: what `decode_into` is built on, so
    // the most it can reach.
    let engine = simd();
    let engine_alone = |buf: &mut [u8]| {
        texts.iter().fold(0, |acc, t| {
            let n = engine.decode_slice(t, buf).unwrap();
            digest(acc, &buf[..n])
        })
    };
    assert_eq!(ours(&mut buf), scalar(&mut buf));
    assert_eq!(engine_alone(&mut buf), scalar(&mut buf));
    let mut g = c.benchmark_group("blob_decode");
    g.throughput(Throughput::Bytes(1000 * 1024));
    g.bench_function("kinesis-codec", |b| b.iter(|| ours(black_box(&mut buf))));
    g.bench_function("base64-scalar", |b| b.iter(|| scalar(black_box(&mut buf))));
    g.bench_function("base64-simd-engine-floor", |b| {
        b.iter(|| engine_alone(black_box(&mut buf)))
    });
    g.finish();
}

criterion_group!(benches, get_records, subscribe, blob_decode);
criterion_main!(benches);
