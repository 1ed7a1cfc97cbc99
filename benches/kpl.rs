//! KPL aggregated records on equal work, against prost (structs written by hand with prost's
//! derive, owned fields: how Rust consumers decode the format today), with the MD5 over the
//! same protobuf bytes as the floor (both sides must compute and check it).
//!
//! - `kpl_deaggregate`: a 50 KiB aggregate of 100 user records in; out, for every user record,
//!   its partition key, explicit hash key and data, after the magic, length and digest checks
//!   and the table index checks. `kinesis-codec` borrows; `prost` decodes into owned structs.
//! - `kpl_aggregate`: the same 100 records in; out, the aggregate's bytes (magic, protobuf
//!   with shared partition keys, digest). `kinesis-codec` writes into a reused buffer; `prost`
//!   builds its structs and encodes them.
//! - `md5-floor`: MD5 of the protobuf bytes alone.
//!
//! - `kpl_deaggregate_protobuf` and `kpl_aggregate_protobuf`: the protobuf parts alone, both
//!   sides without the digest. Decoding: `deaggregate_unverified` against prost's decode of the
//!   bytes between magic and digest, each then resolving every user record. Encoding: the 100
//!   `Aggregator::push` calls (the protobuf bytes in the buffer; `finish` only adds the digest)
//!   against prost building its message and encoding it.
//!
//! `python3 benches/ratios.py kpl_deaggregate kpl_aggregate kpl_deaggregate_protobuf
//! kpl_aggregate_protobuf` prints the ratios.
//!
//! Measured on the shared 2-core development machine on 2026-12-01 (`cargo bench --bench kpl
//! -- --warm-up-time 2 --measurement-time 5`), five runs after the single-pass work; the
//! machine's speed drifts by up to a third between runs, so each figure is the range:
//! - protobuf part of decoding: 2.97-3.92x prost (goal 3x; the last two runs 3.65x and 3.34x);
//! - protobuf part of encoding: 2.01-3.49x prost (goal 2x);
//! - the whole decode, digest included: from 1% under to 20% over the MD5 floor measured in
//!   the same run (goal: within 15%; the last two runs 8% and 2% over, the first 20%);
//! - the whole encode: 1-21% over the floor (goal: within 15%; the last two runs 3% and 5%,
//!   the first 21%).
//!
//! In instructions (callgrind, which does not drift): reading the aggregate costs 61k against
//! prost's 185k, writing it 79k against prost's 178k.

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kinesis_codec::hashkey::HashKeyRange;
use kinesis_codec::kpl::{
    deaggregate, deaggregate_unverified, Aggregator, BUFFER_SLACK, MAGIC, MAX_SIZE_LIMIT,
};
use kinesis_codec::producer::Record as UserRecord;
use md5::{Digest, Md5};
use prost::Message;

#[derive(Clone, PartialEq, prost::Message)]
struct AggregatedRecord {
    #[prost(string, repeated, tag = "1")]
    partition_key_table: Vec<String>,
    #[prost(string, repeated, tag = "2")]
    explicit_hash_key_table: Vec<String>,
    #[prost(message, repeated, tag = "3")]
    records: Vec<Record>,
}

#[derive(Clone, PartialEq, prost::Message)]
struct Record {
    #[prost(uint64, required, tag = "1")]
    partition_key_index: u64,
    #[prost(uint64, optional, tag = "2")]
    explicit_hash_key_index: Option<u64>,
    #[prost(bytes = "vec", required, tag = "3")]
    data: Vec<u8>,
    #[prost(message, repeated, tag = "4")]
    tags: Vec<Tag>,
}

#[derive(Clone, PartialEq, prost::Message)]
struct Tag {
    #[prost(string, required, tag = "1")]
    key: String,
    #[prost(string, optional, tag = "2")]
    value: Option<String>,
}

/// 100 user records of 480 data bytes, 50 distinct partition keys, every tenth with an
/// explicit hash key: an aggregate of about 50 KiB.
fn inputs() -> Vec<(String, Option<String>, Vec<u8>)> {
    (0..100u32)
        .map(|i| {
            let pk = format!("user-{:08}", i % 50);
            let ehk = (i % 10 == 0).then(|| (u128::from(i) << 100).to_string());
            let data = (0..480)
                .map(|j| (i as u8).wrapping_mul(31) ^ j as u8)
                .collect();
            (pk, ehk, data)
        })
        .collect()
}

fn ours_aggregate<'b>(
    agg: &'b mut Aggregator<'_, '_>,
    inputs: &[(String, Option<String>, Vec<u8>)],
) -> &'b [u8] {
    ours_aggregate_protobuf(agg, inputs);
    agg.finish().unwrap().data
}

/// The protobuf part of aggregating: every record in, the protobuf bytes (and nothing else) in
/// the buffer; `finish` would only add the digest.
fn ours_aggregate_protobuf(
    agg: &mut Aggregator<'_, '_>,
    inputs: &[(String, Option<String>, Vec<u8>)],
) -> usize {
    agg.clear();
    for (pk, ehk, data) in inputs {
        let r = UserRecord {
            data,
            partition_key: pk,
            explicit_hash_key: ehk.as_deref(),
        };
        agg.push(&r).unwrap();
    }
    agg.size()
}

fn prost_aggregate(inputs: &[(String, Option<String>, Vec<u8>)]) -> Vec<u8> {
    let body = prost_aggregate_protobuf(inputs);
    let mut out = Vec::with_capacity(body.len() + 20);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&body);
    out.extend_from_slice(&Md5::digest(&body));
    out
}

/// prost's protobuf part: the message built from the records (tables deduplicated) and
/// encoded.
fn prost_aggregate_protobuf(inputs: &[(String, Option<String>, Vec<u8>)]) -> Vec<u8> {
    let mut pks: HashMap<&str, u64> = HashMap::new();
    let mut ehks: HashMap<&str, u64> = HashMap::new();
    let mut msg = AggregatedRecord::default();
    for (pk, ehk, data) in inputs {
        let n = pks.len() as u64;
        let pk_index = *pks.entry(pk).or_insert_with(|| {
            msg.partition_key_table.push(pk.clone());
            n
        });
        let explicit_hash_key_index = ehk.as_deref().map(|k| {
            let n = ehks.len() as u64;
            *ehks.entry(k).or_insert_with(|| {
                msg.explicit_hash_key_table.push(k.to_owned());
                n
            })
        });
        msg.records.push(Record {
            partition_key_index: pk_index,
            explicit_hash_key_index,
            data: data.clone(),
            tags: Vec::new(),
        });
    }
    msg.encode_to_vec()
}

/// prost's side of deaggregation: the same checks, then every user record resolved.
fn prost_deaggregate(data: &[u8]) -> usize {
    let rest = data.strip_prefix(&MAGIC).unwrap();
    assert!(rest.len() > 16);
    let (body, digest) = rest.split_at(rest.len() - 16);
    assert_eq!(Md5::digest(body).as_slice(), digest);
    prost_deaggregate_protobuf(body)
}

/// prost's protobuf part: the message decoded and every user record resolved.
fn prost_deaggregate_protobuf(body: &[u8]) -> usize {
    let msg = AggregatedRecord::decode(body).unwrap();
    let mut n = 0;
    for r in &msg.records {
        let pk = msg
            .partition_key_table
            .get(r.partition_key_index as usize)
            .unwrap();
        let ehk = r
            .explicit_hash_key_index
            .map(|i| msg.explicit_hash_key_table.get(i as usize).unwrap());
        black_box((pk, ehk, &r.data));
        n += 1;
    }
    n
}

fn ours_deaggregate(data: &[u8]) -> usize {
    count(deaggregate(data))
}

/// The protobuf part: the same reading with the digest check left out.
fn ours_deaggregate_protobuf(data: &[u8]) -> usize {
    count(deaggregate_unverified(data, HashKeyRange::FULL))
}

fn count(d: kinesis_codec::kpl::Deaggregated<'_>) -> usize {
    let mut n = 0;
    for r in d.records() {
        black_box((r.partition_key, r.explicit_hash_key, r.data));
        n += 1;
    }
    n
}

fn benches(c: &mut Criterion) {
    let inputs = inputs();
    let mut buf = vec![0u8; MAX_SIZE_LIMIT + BUFFER_SLACK];
    let mut agg = Aggregator::new(&mut buf, MAX_SIZE_LIMIT).unwrap();
    let aggregate = ours_aggregate(&mut agg, &inputs).to_vec();
    // The two encodings differ in field order (prost writes the tables first, the Aggregator
    // each new key just before its record) but not in length.
    assert_eq!(prost_aggregate(&inputs).len(), aggregate.len());
    assert_eq!(ours_deaggregate(&aggregate), 100);
    assert_eq!(prost_deaggregate(&aggregate), 100);
    assert_eq!(ours_deaggregate_protobuf(&aggregate), 100);
    assert_eq!(
        prost_aggregate_protobuf(&inputs).len(),
        aggregate.len() - 20
    );
    let body = &aggregate[4..aggregate.len() - 16];

    let mut g = c.benchmark_group("kpl_deaggregate");
    g.throughput(Throughput::Bytes(aggregate.len() as u64));
    g.bench_function("kinesis-codec", |b| {
        b.iter(|| ours_deaggregate(black_box(&aggregate)))
    });
    g.bench_function("prost", |b| {
        b.iter(|| prost_deaggregate(black_box(&aggregate)))
    });
    g.bench_function("md5-floor", |b| b.iter(|| Md5::digest(black_box(body))));
    g.finish();

    let mut g = c.benchmark_group("kpl_aggregate");
    g.throughput(Throughput::Bytes(aggregate.len() as u64));
    g.bench_function("kinesis-codec", |b| {
        b.iter(|| ours_aggregate(&mut agg, black_box(&inputs)).len())
    });
    g.bench_function("prost", |b| b.iter(|| prost_aggregate(black_box(&inputs))));
    g.bench_function("md5-floor", |b| b.iter(|| Md5::digest(black_box(body))));
    g.finish();

    // The protobuf parts alone: both sides without the digest.
    let mut g = c.benchmark_group("kpl_deaggregate_protobuf");
    g.throughput(Throughput::Bytes(aggregate.len() as u64));
    g.bench_function("kinesis-codec", |b| {
        b.iter(|| ours_deaggregate_protobuf(black_box(&aggregate)))
    });
    g.bench_function("prost", |b| {
        b.iter(|| prost_deaggregate_protobuf(black_box(body)))
    });
    g.finish();

    let mut g = c.benchmark_group("kpl_aggregate_protobuf");
    g.throughput(Throughput::Bytes(aggregate.len() as u64));
    g.bench_function("kinesis-codec", |b| {
        b.iter(|| ours_aggregate_protobuf(&mut agg, black_box(&inputs)))
    });
    g.bench_function("prost", |b| {
        b.iter(|| prost_aggregate_protobuf(black_box(&inputs)))
    });
    g.finish();
}

criterion_group!(kpl, benches);
criterion_main!(kpl);
