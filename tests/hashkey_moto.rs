//! The hash key layer against moto 5.2.1, an independent emulator whose answers nobody wrote
//! for these tests (`tests/peers/moto_hashkey.py` creates streams, puts records, splits and
//! merges, and reports what moto says).
//!
//! Where moto is known to differ from the service (a key equal to a range's end finds no shard
//! in moto), the test checks that moto failed exactly there and asserts our answer from first
//! principles instead.
//!
//! Needs `alloc` (the resharding replay uses `OwnedShardMap`).
#![cfg(feature = "alloc")]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use kinesis_codec::hashkey::{
    merge_shards, route, split_shard, HashKey, Layout, OwnedShardMap, ReshardError, Shard, ShardId,
    ShardMap,
};
use serde_json::Value;

#[path = "common/peers.rs"]
mod peers;

/// moto's report (run once per test binary), or `None` when the peer tests are skipped by
/// choice (`tests/common/peers.rs` then prints SKIPPED with the test's name).
fn moto(test: &str) -> Option<&'static Value> {
    static REPORT: OnceLock<Value> = OnceLock::new();
    let python = peers::python(test)?;
    Some(REPORT.get_or_init(|| {
        let out = peers::command(python, "moto_hashkey.py")
            .output()
            .expect("run moto_hashkey.py");
        assert!(
            out.status.success(),
            "moto_hashkey.py failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("moto_hashkey.py printed JSON")
    }))
}

macro_rules! moto_or_skip {
    ($test:literal) => {
        match moto($test) {
            Some(report) => report,
            None => return,
        }
    };
}

fn s(v: &Value) -> &str {
    v.as_str().expect("a string")
}

/// A replayed stream: its shards, each child's (parent, adjacent parent), and the same stream
/// as an `OwnedShardMap`.
type Replay = (
    Vec<Shard>,
    BTreeMap<ShardId, (ShardId, Option<ShardId>)>,
    OwnedShardMap,
);

fn layout_shards(n: u32) -> Vec<Shard> {
    (0..n).map(|i| Layout::Aws.shard(n, i).unwrap()).collect()
}

#[test]
fn create_stream_ranges_agree_with_moto() {
    let report = moto_or_skip!("create_stream_ranges_agree_with_moto");
    let ranges = report["ranges"].as_object().unwrap();
    assert!(
        ranges.len() >= 70,
        "moto reported {} shard counts",
        ranges.len()
    );
    let mut compared = 0;
    for (n, rows) in ranges {
        let n: u32 = n.parse().unwrap();
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), n as usize, "moto's shard count for N={n}");
        let ours: Vec<_> = Layout::Aws.ranges(n).unwrap().collect();
        for (i, (row, range)) in rows.iter().zip(&ours).enumerate() {
            let id = ShardId::new(i as u64).unwrap().to_string();
            assert_eq!(s(&row[0]), id, "N={n} shard {i} id");
            assert_eq!(s(&row[1]), range.start().to_string(), "N={n} {id} start");
            assert_eq!(s(&row[2]), range.end().to_string(), "N={n} {id} end");
            compared += 1;
        }
    }
    assert!(compared > 20_000, "only {compared} ranges compared");
}

#[test]
fn put_record_shards_agree_with_moto() {
    let report = moto_or_skip!("put_record_shards_agree_with_moto");
    let records = report["records"].as_array().unwrap();
    let mut maps: BTreeMap<u32, Vec<Shard>> = BTreeMap::new();
    let (mut agreed, mut moto_failed_at_end) = (0, 0);
    let mut partition_keys_checked = std::collections::BTreeSet::new();
    for record in records {
        let n = record["shards"].as_u64().unwrap() as u32;
        let shards = maps.entry(n).or_insert_with(|| layout_shards(n));
        let map = ShardMap::new(shards).unwrap();
        let pk = s(&record["partition_key"]);
        let explicit = record["explicit_hash_key"].as_str();
        let key = route(pk, explicit).unwrap();
        let ours = map.find(key);
        // The map and the direct layout formula agree.
        assert_eq!(
            Some(ours.id.index() as u32),
            Layout::Aws.shard_index(n, key)
        );
        match record.get("shard_id") {
            Some(id) => {
                assert_eq!(
                    s(id),
                    ours.id.to_string(),
                    "N={n} partition key {pk:?} explicit {explicit:?} (hash key {key})"
                );
                agreed += 1;
                if explicit.is_none() {
                    partition_keys_checked.insert(pk);
                }
            }
            None => {
                // moto compares `key < end`: only a key equal to a shard's end fails there.
                assert_eq!(
                    ours.range.end(),
                    key,
                    "moto failed on N={n} explicit {explicit:?} ({}) but the key is not a range end",
                    record["error"]
                );
                moto_failed_at_end += 1;
            }
        }
    }
    assert!(agreed > 2_500, "only {agreed} records agreed");
    assert!(partition_keys_checked.len() > 250);
    assert!(
        partition_keys_checked
            .iter()
            .any(|k| k.chars().count() == 256 && k.chars().any(|c| c as u32 > 0xFFFF)),
        "no 256-character emoji key was compared"
    );
    assert!(
        moto_failed_at_end > 0,
        "moto's range-end bug was not exercised"
    );
}

/// Replays moto's splits and merges with `split_shard` / `merge_shards` and compares every
/// shard (id, range, parents, open) after each step.
#[test]
fn splits_and_merges_agree_with_moto() {
    let report = moto_or_skip!("splits_and_merges_agree_with_moto");
    type Row = (String, String, String, Option<String>, Option<String>, bool);
    let row = |v: &Value| -> Row {
        (
            s(&v[0]).to_string(),
            s(&v[1]).to_string(),
            s(&v[2]).to_string(),
            v[3].as_str().map(str::to_string),
            v[4].as_str().map(str::to_string),
            v[5].as_bool().unwrap(),
        )
    };
    let mut streams: BTreeMap<String, Replay> = BTreeMap::new();
    let steps = report["reshard"].as_array().unwrap();
    assert!(steps.len() >= 100);
    let (mut splits, mut merges) = (0, 0);
    for step in steps {
        let n = step["initial_shards"].as_u64().unwrap() as u32;
        let (shards, parents, owned) = streams
            .entry(s(&step["stream"]).to_string())
            .or_insert_with(|| {
                (
                    layout_shards(n),
                    BTreeMap::new(),
                    OwnedShardMap::from_layout(Layout::Aws, n).unwrap(),
                )
            });
        let args = step["args"].as_array().unwrap();
        let first: ShardId = s(&args[0]).parse().unwrap();
        let children: Vec<_> = match s(&step["op"]) {
            "split" => {
                splits += 1;
                let k: HashKey = s(&args[1]).parse().unwrap();
                let children = split_shard(shards, first, k).unwrap();
                assert_eq!(owned.split(first, k).unwrap(), children);
                children.to_vec()
            }
            _ => {
                merges += 1;
                let second: ShardId = s(&args[1]).parse().unwrap();
                let child = merge_shards(shards, first, second).unwrap();
                assert_eq!(owned.merge(first, second).unwrap(), child);
                vec![child]
            }
        };
        for child in &children {
            for parent in [Some(child.parent), child.adjacent_parent]
                .into_iter()
                .flatten()
            {
                shards.iter_mut().find(|s| s.id == parent).unwrap().open = false;
            }
            parents.insert(child.shard.id, (child.parent, child.adjacent_parent));
            shards.push(child.shard);
        }
        let ours: Vec<Row> = shards
            .iter()
            .map(|sh| {
                let p = parents.get(&sh.id);
                (
                    sh.id.to_string(),
                    sh.range.start().to_string(),
                    sh.range.end().to_string(),
                    p.map(|p| p.0.to_string()),
                    p.and_then(|p| p.1).map(|a| a.to_string()),
                    sh.open,
                )
            })
            .collect();
        let theirs: Vec<Row> = step["shards_after"]
            .as_array()
            .unwrap()
            .iter()
            .map(row)
            .collect();
        assert_eq!(ours, theirs, "after {} {:?}", step["op"], args);
        // The open shards still form a valid map, the same the owned map keeps.
        let mut copy = shards.clone();
        let map = ShardMap::from_shards(&mut copy).unwrap();
        assert_eq!(map.open_shards(), owned.open_shards());
        let mut all = owned.shards().to_vec();
        all.sort_by_key(|s| s.id);
        assert_eq!(&all, shards);
    }
    assert!(
        splits > 20 && merges > 10,
        "{splits} splits, {merges} merges"
    );
}

/// Requests moto refuses where its rule is the service's: both refuse, with the same error
/// code, and the same text where moto renders the service's message.
#[test]
fn refused_reshards_agree_with_moto() {
    let report = moto_or_skip!("refused_reshards_agree_with_moto");
    let account = s(&report["account_id"]);
    let mut shards = layout_shards(3);
    let refused = report["refused"].as_array().unwrap();
    // The script split shard 0 at its midpoint first.
    let mid: HashKey = s(&refused[0]["args"][1]).parse().unwrap();
    let children = split_shard(&shards, ShardId::FIRST, mid).unwrap();
    shards[0].open = false;
    shards.extend(children.map(|c| c.shard));
    assert_eq!(refused.len(), 4);
    let mut messages_compared = 0;
    for attempt in refused {
        let args = attempt["args"].as_array().unwrap();
        let a: ShardId = s(&args[0]).parse().unwrap();
        let err: ReshardError = match s(&attempt["op"]) {
            "split" => split_shard(&shards, a, s(&args[1]).parse().unwrap()).unwrap_err(),
            _ => merge_shards(&shards, a, s(&args[1]).parse().unwrap()).unwrap_err(),
        };
        assert_eq!(err.error_code(), s(&attempt["code"]), "{attempt}");
        if matches!(
            err,
            ReshardError::ShardClosed { .. } | ReshardError::ShardNotFound { .. }
        ) {
            assert_eq!(
                err.message("refused", account).to_string(),
                s(&attempt["message"])
            );
            messages_compared += 1;
        }
    }
    assert_eq!(messages_compared, 2);
}
