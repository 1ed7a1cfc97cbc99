//! Partition key → shard, side by side with MD5 alone (the floor: every router must hash) and
//! with a linear scan over the same `u128` ranges in a `Vec` (what kinesalite, kinesis-mock,
//! LocalStack and moto do per record today, minus their string parsing), for 1, 16, 1,024 and
//! 10,000 shards. Throughput is in partition keys.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kinesis_codec::hashkey::{HashKey, Layout, Shard, ShardMap};

/// 1,024 partition keys of 8 to 40 printable ASCII characters (UUID-sized on average), from a
/// fixed-seed generator so every run measures the same input.
fn partition_keys() -> Vec<String> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..1024)
        .map(|_| {
            let len = 8 + (next() % 33) as usize;
            (0..len)
                .map(|_| (b' ' + (next() % 95) as u8) as char)
                .collect()
        })
        .collect()
}

/// The emulators' way: look at every shard until one holds the key.
struct LinearScan {
    shards: Vec<(u128, u128, u64)>,
}

impl LinearScan {
    fn find(&self, key: u128) -> Option<u64> {
        self.shards
            .iter()
            .find(|(start, end, _)| *start <= key && key <= *end)
            .map(|s| s.2)
    }
}

fn route(c: &mut Criterion) {
    let keys = partition_keys();
    for n in [1u32, 16, 1024, 10_000] {
        let shards: Vec<Shard> = (0..n).map(|i| Layout::Aws.shard(n, i).unwrap()).collect();
        let map = ShardMap::new(&shards).unwrap();
        let linear = LinearScan {
            shards: shards
                .iter()
                .map(|s| (s.range.start().get(), s.range.end().get(), s.id.index()))
                .collect(),
        };
        let mut group = c.benchmark_group(format!("partition_key_to_shard/{n}"));
        group.throughput(Throughput::Elements(keys.len() as u64));
        group.bench_function(BenchmarkId::from_parameter("md5_floor"), |b| {
            b.iter(|| {
                let mut acc = 0u128;
                for k in &keys {
                    acc ^= HashKey::from_partition_key(black_box(k)).get();
                }
                acc
            })
        });
        group.bench_function(BenchmarkId::from_parameter("shard_map"), |b| {
            b.iter(|| {
                let mut acc = 0u64;
                for k in &keys {
                    acc ^= map.find_partition_key(black_box(k)).id.index();
                }
                acc
            })
        });
        group.bench_function(BenchmarkId::from_parameter("linear_scan"), |b| {
            b.iter(|| {
                let mut acc = 0u64;
                for k in &keys {
                    let key = HashKey::from_partition_key(black_box(k)).get();
                    acc ^= linear.find(key).unwrap_or(u64::MAX);
                }
                acc
            })
        });
        group.finish();
    }
}

/// Lookup alone (hash keys computed beforehand), where the search itself is compared: the map
/// against the linear scan on the CreateStream layout, and on an uneven map (widths that vary
/// a lot, so the interpolation guess is off and the search must gallop).
fn lookup_only(c: &mut Criterion) {
    let keys: Vec<HashKey> = partition_keys()
        .iter()
        .map(|k| HashKey::from_partition_key(k))
        .collect();
    let even =
        |n: u32| -> Vec<Shard> { (0..n).map(|i| Layout::Aws.shard(n, i).unwrap()).collect() };
    let cases = [
        ("lookup_only_even/1024", even(1024)),
        ("lookup_only_even/10000", even(10_000)),
        ("lookup_only_uneven/10000", uneven_shards()),
    ];
    for (name, shards) in cases {
        let map = ShardMap::new(&shards).unwrap();
        let linear = LinearScan {
            shards: shards
                .iter()
                .map(|s| (s.range.start().get(), s.range.end().get(), s.id.index()))
                .collect(),
        };
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Elements(keys.len() as u64));
        group.bench_function(BenchmarkId::from_parameter("shard_map"), |b| {
            b.iter(|| {
                let mut acc = 0u64;
                for &k in &keys {
                    acc ^= map.find(black_box(k)).id.index();
                }
                acc
            })
        });
        group.bench_function(BenchmarkId::from_parameter("linear_scan"), |b| {
            b.iter(|| {
                let mut acc = 0u64;
                for &k in &keys {
                    acc ^= linear.find(black_box(k).get()).unwrap_or(u64::MAX);
                }
                acc
            })
        });
        group.finish();
    }
}

/// 10,000 shards whose widths vary by a factor of several: the upper half of the space is
/// squeezed into few shards, so the top-bits guess lands far from the answer.
fn uneven_shards() -> Vec<Shard> {
    let n = 10_000u128;
    let mut bounds: Vec<u128> = (0..n)
        .map(|i| {
            let x = i * (u128::MAX / n);
            x / 2 + (x / n) * (i % 7)
        })
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    bounds[0] = 0;
    bounds
        .iter()
        .enumerate()
        .map(|(i, &start)| {
            let end = bounds.get(i + 1).map_or(u128::MAX, |next| next - 1);
            let range =
                kinesis_codec::hashkey::HashKeyRange::new(HashKey::new(start), HashKey::new(end))
                    .unwrap();
            Shard::open(
                kinesis_codec::hashkey::ShardId::new(i as u64).unwrap(),
                range,
            )
        })
        .collect()
}

criterion_group!(benches, route, lookup_only);
criterion_main!(benches);
