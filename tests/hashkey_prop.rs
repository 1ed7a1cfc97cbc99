//! Property tests for the hash key layer: decimal form against `u128`'s own `Display` and
//! `FromStr`, layouts that cover the space, and shard maps reshaped by random splits and
//! merges in which every key has exactly one open shard.

use kinesis_codec::hashkey::{
    merge_shards, split_shard, HashKey, HashKeyRange, Layout, Shard, ShardMap, MAX_DECIMAL_LEN,
};
use proptest::prelude::*;

/// The wire grammar `0|([1-9]\d{0,38})`, written independently of the crate.
fn grammar_ok(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 39
        && b.iter().all(u8::is_ascii_digit)
        && (b.len() == 1 || b[0] != b'0')
}

fn layout_shards(layout: Layout, n: u32) -> Vec<Shard> {
    (0..n).map(|i| layout.shard(n, i).unwrap()).collect()
}

/// One resharding step: split an open shard or merge an adjacent pair, chosen by the numbers.
fn apply(shards: &mut Vec<Shard>, merge: bool, pick: usize, raw_key: u128) {
    let mut open: Vec<Shard> = shards.iter().copied().filter(|s| s.open).collect();
    open.sort_by_key(|s| s.range.start());
    let children: Vec<Shard> = if merge && open.len() > 1 {
        let i = pick % (open.len() - 1);
        let (a, b) = (open[i], open[i + 1]);
        let child = merge_shards(shards, a.id, b.id).unwrap();
        assert_eq!(child.shard.range.start(), a.range.start());
        assert_eq!(child.shard.range.end(), b.range.end());
        vec![child.shard]
    } else {
        let candidates: Vec<Shard> = open.into_iter().filter(|s| s.range.span() >= 3).collect();
        let Some(s) = candidates.get(pick % candidates.len().max(1)).copied() else {
            return;
        };
        // K in [start + 2, end − 1].
        let room = s.range.span() - 2;
        let k = s.range.start().get() + 2 + raw_key % room;
        let [low, high] = split_shard(shards, s.id, HashKey::new(k)).unwrap();
        vec![low.shard, high.shard]
    };
    let parents_closed: Vec<_> = shards
        .iter()
        .filter(|s| {
            s.open
                && children
                    .iter()
                    .any(|c| c.range.start() <= s.range.end() && s.range.start() <= c.range.end())
        })
        .map(|s| s.id)
        .collect();
    for s in shards.iter_mut() {
        if parents_closed.contains(&s.id) {
            s.open = false;
        }
    }
    shards.extend(children);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn format_and_parse_agree_with_u128(v in any::<u128>()) {
        let mut buf = [0u8; MAX_DECIMAL_LEN];
        let text = v.to_string();
        prop_assert_eq!(HashKey::new(v).format(&mut buf), text.as_str());
        prop_assert_eq!(HashKey::new(v).to_string(), text.clone());
        prop_assert_eq!(HashKey::parse(&text), Ok(HashKey::new(v)));
    }

    #[test]
    fn parse_agrees_with_u128_under_the_strict_grammar(s in "[0-9+ a-]{0,3}[0-9]{0,41}") {
        let ours = HashKey::parse(&s).ok().map(HashKey::get);
        let theirs = if grammar_ok(&s) { s.parse::<u128>().ok() } else { None };
        prop_assert_eq!(ours, theirs, "{:?}", s);
    }

    #[test]
    fn layouts_cover_the_space_without_gaps(n in 1u32..=10_000) {
        for layout in [Layout::Aws, Layout::KinesisMock] {
            let shards = layout_shards(layout, n);
            prop_assert!(ShardMap::new(&shards).is_ok());
            prop_assert_eq!(shards[0].range.start(), HashKey::MIN);
            prop_assert_eq!(shards[n as usize - 1].range.end(), HashKey::MAX);
            for w in shards.windows(2) {
                prop_assert!(w[0].range.is_followed_by(w[1].range));
            }
        }
    }

    #[test]
    fn split_then_merge_gives_back_the_range(a in any::<u128>(), b in any::<u128>(), k in any::<u128>()) {
        let (lo, hi) = (a.min(b), a.max(b));
        prop_assume!(hi - lo >= 3);
        let range = HashKeyRange::new(HashKey::new(lo), HashKey::new(hi)).unwrap();
        let key = HashKey::new(lo + 2 + k % (hi - lo - 2));
        let (low, high) = range.split_at(key).unwrap();
        prop_assert_eq!(low.merge(high), Some(range));
        prop_assert_eq!(high.merge(low), None);
        // The same through the request functions, with shard ids and parents.
        let parent = Layout::Aws.shard(1, 0).unwrap();
        let parent = Shard { range, ..parent };
        let mut shards = vec![parent];
        let [l, h] = split_shard(&shards, parent.id, key).unwrap();
        shards[0].open = false;
        shards.extend([l.shard, h.shard]);
        let merged = merge_shards(&shards, l.shard.id, h.shard.id).unwrap();
        prop_assert_eq!(merged.shard.range, range);
        prop_assert_eq!((merged.parent, merged.adjacent_parent), (l.shard.id, Some(h.shard.id)));
    }

    #[test]
    fn every_key_has_exactly_one_open_shard_after_reshards(
        n in 1u32..=40,
        kinesis_mock in any::<bool>(),
        ops in proptest::collection::vec((any::<bool>(), any::<usize>(), any::<u128>()), 0..60),
        keys in proptest::collection::vec(any::<u128>(), 1..40),
    ) {
        let layout = if kinesis_mock { Layout::KinesisMock } else { Layout::Aws };
        let mut shards = layout_shards(layout, n);
        for (merge, pick, raw) in ops {
            apply(&mut shards, merge, pick, raw);
        }
        let mut copy = shards.clone();
        let map = ShardMap::from_shards(&mut copy).unwrap();
        let open: Vec<Shard> = shards.iter().copied().filter(|s| s.open).collect();
        // Random keys, plus both ends of every open shard and their neighbours.
        let mut probes = keys;
        for s in &open {
            let (a, b) = (s.range.start().get(), s.range.end().get());
            probes.extend([a, b, a.wrapping_sub(1), b.wrapping_add(1)]);
        }
        for k in probes {
            let key = HashKey::new(k);
            let holders: Vec<&Shard> = open.iter().filter(|s| s.range.contains(key)).collect();
            prop_assert_eq!(holders.len(), 1, "key {} in {} open shards", k, holders.len());
            prop_assert_eq!(map.find(key), holders[0]);
        }
    }
}
