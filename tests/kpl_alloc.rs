//! Zero heap allocations: aggregating 100 records into a stack buffer, sending the aggregate
//! through the producer's `Batcher`, and deaggregating it (every view), counted by a
//! `#[global_allocator]` wrapper around the measured calls only.

use kinesis_codec::hashkey::{HashKey, HashKeyRange, Layout};
use kinesis_codec::kpl::{
    deaggregate, deaggregate_for_shard, Aggregator, Outcome, Shards, BUFFER_SLACK, DEFAULT_MAX_SIZE,
};
use kinesis_codec::producer::{Batcher, Limits, Record, SliceBuf, StreamRef};

#[path = "common/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::count;

#[test]
fn aggregate_and_deaggregate_without_allocating() {
    let keys: Vec<String> = (0..100).map(|i| format!("user-{}", i % 37)).collect();
    let data = [0x5au8; 400];
    let mut agg_buf = vec![0u8; DEFAULT_MAX_SIZE + BUFFER_SLACK];
    let mut body = vec![0u8; 128 * 1024];
    let mut copy = vec![0u8; DEFAULT_MAX_SIZE + BUFFER_SLACK];

    let (len, allocs) = count(|| {
        let mut agg = Aggregator::new(&mut agg_buf, DEFAULT_MAX_SIZE)
            .unwrap()
            .with_shards(Shards::Layout {
                layout: Layout::Aws,
                count: 1,
            });
        for k in &keys {
            agg.push(&Record::new(&data, k)).unwrap();
        }
        let entry = agg.finish().unwrap();
        assert_eq!(entry.records, 100);
        copy[..entry.data.len()].copy_from_slice(entry.data);
        let mut batch = Batcher::kinesis(
            SliceBuf::new(&mut body),
            StreamRef::Name("s"),
            Limits::KINESIS,
        )
        .unwrap();
        batch.push(&entry.record()).unwrap();
        batch.finish().unwrap();
        entry.data.len()
    });
    assert_eq!(allocs, 0, "aggregating allocated");
    let aggregate = &copy[..len];

    let (n, allocs) = count(|| {
        let d = deaggregate(aggregate);
        assert_eq!(d.outcome(), Outcome::Aggregated { records: 100 });
        let mut total = 0usize;
        for r in d.records() {
            total += r.data.len() + r.partition_key.len();
            assert!(r.hash_key().is_some());
        }
        let half = HashKeyRange::new(HashKey::MIN, HashKey::new(u128::MAX / 2)).unwrap();
        let d = deaggregate_for_shard(aggregate, half);
        total += d.in_range().count() + d.out_of_range().count() + d.all().count();
        assert!(matches!(d.outcome(), Outcome::Dropped(_)));
        total
    });
    assert_eq!(allocs, 0, "deaggregating allocated");
    assert_eq!(
        n,
        100 * 400 + keys.iter().map(String::len).sum::<usize>() + 200
    );
}
