//! The hash key layer never touches the heap: hashing, parsing, formatting, layouts, building
//! and searching shard maps, resharding and rendering messages, counted by a global allocator.

use std::fmt::Write;

use kinesis_codec::hashkey::{
    merge_shards, route, split_shard, uniform_scaling, HashKey, Layout, Shard, ShardId, ShardMap,
    MAX_DECIMAL_LEN,
};

#[path = "common/counting_alloc.rs"]
mod counting_alloc;

/// A `fmt::Write` into a stack buffer, so that `Display` can be checked without a `String`.
struct StackText {
    buf: [u8; 2048],
    len: usize,
}

impl Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        self.buf
            .get_mut(self.len..end)
            .ok_or(std::fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[test]
fn routing_and_resharding_do_not_allocate() {
    let mut text = StackText {
        buf: [0; 2048],
        len: 0,
    };
    let mut digits = [0u8; MAX_DECIMAL_LEN];
    let mut shards = [Layout::Aws.shard(1, 0).unwrap(); 8];

    let before = counting_alloc::allocations();

    let key = route("partition-🦀", None).unwrap();
    let explicit = route("x", Some("340282366920938463463374607431768211455")).unwrap();
    let formatted_len = key.format(&mut digits).len();
    write!(text, "{key} {explicit}").unwrap();
    let bad = route("x", Some("0x1")).unwrap_err();
    write!(text, "{bad} {}", bad.message("0x1")).unwrap();

    for (i, range) in Layout::Aws.ranges(4).unwrap().enumerate() {
        shards[i] = Shard::open(ShardId::new(i as u64).unwrap(), range);
    }
    let map = ShardMap::new(&shards[..4]).unwrap();
    let first = map.find(key).id;
    let last = map.find(explicit).id;
    let [low, high] = split_shard(
        &shards[..4],
        ShardId::new(3).unwrap(),
        HashKey::new(u128::MAX - 9),
    )
    .unwrap();
    shards[3].open = false;
    shards[4] = low.shard;
    shards[5] = high.shard;
    let merged = merge_shards(&shards[..6], low.shard.id, high.shard.id).unwrap();
    let err = split_shard(&shards[..6], ShardId::new(3).unwrap(), HashKey::new(5)).unwrap_err();
    write!(text, "{}", err.message("stream", "123456789012")).unwrap();
    let remapped = ShardMap::from_shards(&mut shards[..6]).unwrap();
    let after = remapped.find(explicit).id;
    let scaled = uniform_scaling(4, 8).unwrap().count();
    let gap = ShardMap::new(&shards[..1]).unwrap_err();
    write!(text, "{gap}").unwrap();

    let allocations = counting_alloc::allocations() - before;
    assert_eq!(allocations, 0);
    assert_eq!(formatted_len, key.to_string().len());
    assert_eq!(
        (first.index(), last.index(), after.index()),
        (u64::from(Layout::Aws.shard_index(4, key).unwrap()), 3, 5)
    );
    assert_eq!(
        merged.shard.range,
        shards.iter().find(|s| s.id.index() == 3).unwrap().range
    );
    assert_eq!(scaled, 8);
    assert!(text.len > 200);
    // The counter is live: a heap allocation does show up.
    let boxed = std::hint::black_box(Box::new(1u8));
    assert!(counting_alloc::allocations() > before);
    drop(boxed);
}
