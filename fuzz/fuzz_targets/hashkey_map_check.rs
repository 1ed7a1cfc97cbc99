//! The shard map checker on arbitrary shard lists: never panics; when it accepts a list, every
//! lookup agrees with a linear scan over the open shards, which must hold each key exactly once.
#![no_main]

use kinesis_codec::hashkey::{HashKey, HashKeyRange, Shard, ShardId, ShardMap};
use libfuzzer_sys::fuzz_target;

#[derive(arbitrary::Arbitrary, Debug)]
struct Input {
    /// Shards as (boundary, length, open): boundaries make covering lists likely.
    shards: Vec<(u8, u128, u128, bool)>,
    keys: Vec<u128>,
    sorted_open_only: bool,
}

fuzz_target!(|input: Input| {
    let mut shards: Vec<Shard> = input
        .shards
        .iter()
        .take(64)
        .enumerate()
        .map(|(i, &(mode, a, b, open))| {
            // Mode picks raw ends, or ends snapped to a few boundaries so that lists often
            // cover the space (otherwise the checker would nearly always refuse).
            let (start, end) = match mode % 3 {
                0 => (a.min(b), a.max(b)),
                1 => {
                    let step = u128::MAX / 8 + 1;
                    let (x, y) = (a % 8, b % 8);
                    let (x, y) = (x.min(y), x.max(y));
                    (x * step, y * step + (step - 1))
                }
                _ => (a.min(b), u128::MAX),
            };
            let range = HashKeyRange::new(HashKey::new(start), HashKey::new(end)).unwrap();
            let id = ShardId::new(i as u64).unwrap();
            Shard { id, range, open }
        })
        .collect();
    let open: Vec<Shard> = shards.iter().copied().filter(|s| s.open).collect();

    let result = if input.sorted_open_only {
        let mut sorted = open.clone();
        sorted.sort_by_key(|s| s.range.start());
        let accepted = ShardMap::new(&sorted)
            .map(|_| ())
            .map_err(|e| e.to_string());
        // Both entry points must agree on whether the open shards form a map.
        let via_from = ShardMap::from_shards(&mut shards)
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert_eq!(
            accepted.is_ok(),
            via_from.is_ok(),
            "{accepted:?} vs {via_from:?}"
        );
        accepted
    } else {
        ShardMap::from_shards(&mut shards)
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    if result.is_err() {
        return;
    }
    let map = ShardMap::from_shards(&mut shards).unwrap();
    let mut probes = input.keys.clone();
    probes.extend([0, u128::MAX]);
    for s in &open {
        let (a, b) = (s.range.start().get(), s.range.end().get());
        probes.extend([a, b, a.wrapping_sub(1), b.wrapping_add(1)]);
    }
    for k in probes {
        let key = HashKey::new(k);
        let holders: Vec<&Shard> = open.iter().filter(|s| s.range.contains(key)).collect();
        assert_eq!(holders.len(), 1, "key {k}");
        assert_eq!(map.find(key), holders[0], "key {k}");
    }
});
