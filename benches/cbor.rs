//! GetRecords in CBOR (issue 14): 10,000 records of 1 KiB, parsed with every record's bytes in
//! hand, `Throughput::Elements` = records, so all rows compare per record:
//!
//! - `kinesis-codec` = `records::parse_get_records_cbor`, the consumer's call (as
//!   `Response::parse_in(Protocol::Cbor, Operation::GetRecords, ..)` is): the records
//!   borrow their `Data` as raw bytes from the body (byte strings, no base64), read for the
//!   digest;
//! - `kinesis-codec-generic` = `wire::parse_body_in(Protocol::Cbor, ..)`, the serde reader every
//!   other shape goes through, on the same body to the same value;
//! - `ciborium-owned` = ciborium (the usual Rust CBOR reader) into owned serde structs, `Data`
//!   into a `Vec<u8>` per record, read for the digest;
//! - `kinesis-codec-json` = our JSON path on the same records (the JSON body), each record's
//!   base64 decoded into one reused buffer as it is read (`records::parse_get_records`);
//! - `cbor-walk-floor` = the crate's CBOR reader stepping over every item of the body, every
//!   text value checked as UTF-8 (a reader hands it out as `&str`), every member name taken as
//!   ASCII bytes (a reader compares it with the names it knows), every byte string touched:
//!   what any reader of these bytes that hands out the same values must at least do;
//! - `kinesis-codec-walk` = the same reader stepping over every item with every text checked as
//!   UTF-8, names included (the item layer alone, knowing no shape), and `minicbor-walk` =
//!   minicbor's tokenizer (a maintained no_std CBOR crate) doing that walk: the item layer of
//!   another reader against ours.
//!
//! cbor4ii (the other maintained no_std CBOR crate) is not timed: its serde reader refuses the
//! Java SDK's tag-1 timestamps, so it cannot read this body (the setup checks that it still
//! refuses it).
//!
//! All of them end with the same digest of every record's bytes (checked before measuring). The
//! body is written by the crate in the Java SDK's form and read back by ciborium in the setup,
//! so both sides read the same, valid bytes. Heap allocations of one iteration are printed.
//!
//! Run: `cargo bench --bench cbor`; then `python3 benches/ratios.py get_records_cbor`.

#[path = "common/records.rs"]
mod common;
#[path = "../tests/common/counting_alloc.rs"]
mod counting_alloc;

use std::hint::black_box;

use common::{digest, get_records_body};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kinesis_codec::cbor::{Item, Major, Reader};
use kinesis_codec::kinesis::records::{max_decoded_len, parse_get_records, parse_get_records_cbor};
use kinesis_codec::kinesis::shapes::GetRecordsOutput;
use kinesis_codec::kinesis::{Operation, Response};
use kinesis_codec::wire::{parse_body_in, ParseOptions, Protocol};
use serde::Deserialize;

const RECORDS: usize = 10_000;

fn ours(body: &[u8]) -> u64 {
    let out = parse_get_records_cbor(body).unwrap();
    let records = out.records.as_deref().unwrap_or_default();
    records.iter().fold(0, |acc, r| {
        digest(acc, r.data.as_ref().unwrap().as_bytes().unwrap())
    })
}

fn ours_generic(body: &[u8]) -> u64 {
    let out: GetRecordsOutput<'_> =
        parse_body_in(Protocol::Cbor, body, &ParseOptions::new()).unwrap();
    let records = out.records.as_deref().unwrap_or_default();
    records.iter().fold(0, |acc, r| {
        digest(acc, r.data.as_ref().unwrap().as_bytes().unwrap())
    })
}

fn ours_json(body: &[u8], buf: &mut Vec<u8>) -> u64 {
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

/// A byte string into an owned `Vec<u8>` (what `serde_bytes::ByteBuf` does).
struct ByteBuf(Vec<u8>);

impl<'de> Deserialize<'de> for ByteBuf {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = ByteBuf;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<ByteBuf, E> {
                Ok(ByteBuf(v.to_vec()))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<ByteBuf, E> {
                Ok(ByteBuf(v))
            }
        }
        d.deserialize_byte_buf(V)
    }
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CborRecord {
    sequence_number: String,
    /// Tag 1 + epoch milliseconds.
    approximate_arrival_timestamp: Option<ciborium::tag::Required<i64, 1>>,
    data: ByteBuf,
    partition_key: String,
    encryption_type: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CborGetRecordsOutput {
    records: Vec<CborRecord>,
    next_shard_iterator: Option<String>,
    millis_behind_latest: Option<i64>,
}

fn ciborium_owned(body: &[u8]) -> u64 {
    let out: CborGetRecordsOutput = ciborium::from_reader(body).unwrap();
    out.records.iter().fold(0, |acc, r| digest(acc, &r.data.0))
}

/// A borrowed byte string (raw bytes, no copy): what `Data` is on our side.
#[allow(dead_code)] // read only by cbor4ii, which refuses the body first
struct Borrowed<'a>(&'a [u8]);

impl<'de: 'a, 'a> Deserialize<'de> for Borrowed<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = Borrowed<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("borrowed bytes")
            }
            fn visit_borrowed_bytes<E: serde::de::Error>(
                self,
                v: &'de [u8],
            ) -> Result<Self::Value, E> {
                Ok(Borrowed(v))
            }
        }
        d.deserialize_bytes(V(std::marker::PhantomData))
    }
}

/// Tag 1 + epoch milliseconds, for a serde reader that reads a tag through to its value (the tag
/// number unseen).
#[allow(dead_code)] // likewise
struct Millis(i64);

impl<'de> Deserialize<'de> for Millis {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Millis;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("epoch milliseconds")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Millis, E> {
                i64::try_from(v).map(Millis).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Millis, E> {
                Ok(Millis(v))
            }
            fn visit_newtype_struct<D: serde::Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<Millis, D::Error> {
                Millis::deserialize(d)
            }
        }
        d.deserialize_any(V)
    }
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BorrowedRecord<'a> {
    sequence_number: &'a str,
    approximate_arrival_timestamp: Option<Millis>,
    #[serde(borrow)]
    data: Borrowed<'a>,
    partition_key: &'a str,
    encryption_type: Option<&'a str>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BorrowedGetRecordsOutput<'a> {
    #[serde(borrow)]
    records: Vec<BorrowedRecord<'a>>,
    next_shard_iterator: Option<&'a str>,
    millis_behind_latest: Option<i64>,
}

/// cbor4ii (a maintained no_std CBOR crate) through serde into borrowed structs would be the
/// same work as ours, but its serde reader refuses every tag but bignums: the Java SDK's tag-1
/// timestamps stop it at the first record. Its error, checked in the setup.
fn cbor4ii_borrowed(body: &[u8]) -> String {
    match cbor4ii::serde::from_slice::<BorrowedGetRecordsOutput<'_>>(body) {
        Ok(out) => panic!("cbor4ii read {} records", out.records.len()),
        Err(e) => format!("{e:?}"),
    }
}

/// minicbor's tokenizer stepping over every item (text checked as UTF-8, as ours does), every
/// byte string touched: the item walk of a maintained no_std CBOR crate, against ours.
fn minicbor_walk(body: &[u8]) -> u64 {
    use minicbor::data::Token;
    minicbor::decode::Tokenizer::new(body).fold(0, |acc, token| match token.unwrap() {
        Token::Bytes(b) => digest(acc, b),
        _ => acc,
    })
}

/// Every item stepped over, every member name taken as ASCII bytes (not checked as UTF-8), every
/// other text checked as UTF-8, every byte string (the records' data) touched. The body's
/// containers are definite (the Java SDK's form, checked by `unwrap`).
fn walk_floor(body: &[u8]) -> u64 {
    let mut r = Reader::new(body);
    let mut acc = 0;
    // The open containers: items left in each, and whether it is a map (whose items are names
    // when an even number is left).
    let mut open = [(0u64, false); 8];
    let mut depth = 0;
    loop {
        while depth > 0 && open[depth - 1].0 == 0 {
            depth -= 1;
        }
        if r.is_at_end() {
            break;
        }
        let name = depth > 0 && open[depth - 1].1 && open[depth - 1].0 % 2 == 0;
        if depth > 0 {
            open[depth - 1].0 -= 1;
        }
        if name {
            black_box(r.next_ascii_text().unwrap());
            continue;
        }
        match r.next_item().unwrap() {
            Item::Bytes(b) => acc = digest(acc, b),
            Item::Array(Some(n)) => {
                open[depth] = (n, false);
                depth += 1;
            }
            Item::Map(Some(n)) => {
                open[depth] = (2 * n, true);
                depth += 1;
            }
            // The tagged item is the same member's value.
            Item::Tag(_) if depth > 0 => open[depth - 1].0 += 1,
            _ => {}
        }
    }
    acc
}

/// Every item stepped over, every text (names too) checked as UTF-8; every byte string touched.
fn walk(body: &[u8]) -> u64 {
    let mut r = Reader::new(body);
    let mut acc = 0;
    while !r.is_at_end() {
        match r.next_item().unwrap() {
            Item::Bytes(b) => acc = digest(acc, b),
            Item::BytesChunked => {
                while let Some(c) = r.next_chunk(Major::Bytes).unwrap() {
                    acc = digest(acc, c);
                }
            }
            _ => {}
        }
    }
    acc
}

fn get_records_cbor(c: &mut Criterion) {
    let json = get_records_body(RECORDS);
    let cbor = Response::parse(Operation::GetRecords, &json)
        .unwrap()
        .to_vec_in(Protocol::Cbor);
    let mut buf = Vec::new();
    let want = ours_json(&json, &mut buf);
    assert_eq!(ours(&cbor), want);
    assert_eq!(ours_generic(&cbor), want);
    let generic: GetRecordsOutput<'_> =
        parse_body_in(Protocol::Cbor, &cbor, &ParseOptions::new()).unwrap();
    assert_eq!(parse_get_records_cbor(&cbor).unwrap(), generic);
    let Ok(Response::GetRecords(response)) =
        Response::parse_in(Protocol::Cbor, Operation::GetRecords, &cbor)
    else {
        unreachable!()
    };
    assert_eq!(response, generic);
    assert_eq!(ciborium_owned(&cbor), want);
    assert_eq!(walk_floor(&cbor), want);
    assert_eq!(walk(&cbor), want);
    let refused = cbor4ii_borrowed(&cbor);
    assert!(refused.contains("found: 193"), "{refused}"); // 0xc1: tag 1
    eprintln!("get_records_cbor: cbor4ii 1.2.4 serde refuses the body: {refused}");
    assert_eq!(minicbor_walk(&cbor), want);
    eprintln!(
        "get_records_cbor: {RECORDS} records, CBOR body {} bytes, JSON body {} bytes",
        cbor.len(),
        json.len()
    );
    for (label, n) in [
        ("kinesis-codec", counting_alloc::count(|| ours(&cbor)).1),
        (
            "kinesis-codec-generic",
            counting_alloc::count(|| ours_generic(&cbor)).1,
        ),
        (
            "ciborium-owned",
            counting_alloc::count(|| ciborium_owned(&cbor)).1,
        ),
        (
            "kinesis-codec-json",
            counting_alloc::count(|| ours_json(&json, &mut buf)).1,
        ),
    ] {
        eprintln!("allocations: get_records_cbor/{label}: {n}");
    }
    let mut g = c.benchmark_group("get_records_cbor");
    g.throughput(Throughput::Elements(RECORDS as u64));
    g.sample_size(20);
    g.bench_function("kinesis-codec", |b| b.iter(|| ours(black_box(&cbor))));
    g.bench_function("kinesis-codec-generic", |b| {
        b.iter(|| ours_generic(black_box(&cbor)))
    });
    g.bench_function("ciborium-owned", |b| {
        b.iter(|| ciborium_owned(black_box(&cbor)))
    });
    g.bench_function("kinesis-codec-json", |b| {
        b.iter(|| ours_json(black_box(&json), &mut buf))
    });
    g.bench_function("cbor-walk-floor", |b| {
        b.iter(|| walk_floor(black_box(&cbor)))
    });
    g.bench_function("kinesis-codec-walk", |b| b.iter(|| walk(black_box(&cbor))));
    g.bench_function("minicbor-walk", |b| {
        b.iter(|| minicbor_walk(black_box(&cbor)))
    });
    g.finish();
}

criterion_group!(benches, get_records_cbor);
criterion_main!(benches);
