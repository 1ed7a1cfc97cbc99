//! boto3 1.44.5 reshards a stream of the example endpoint (`examples/emulator/`): SplitShard,
//! MergeShards and UpdateShardCount with records put between them, then every shard read to its
//! end, following `ChildShards`. `tests/peers/boto3_emulator_reshard.py` does the calls and
//! prints what it sent and got; every assertion is here: the lineage and ranges against the
//! crate's `hashkey` module, every record read back byte-identical exactly once, in per-shard
//! order, from the shard that owned its hash key when it was put, and the refused reshards with
//! the service's texts.

#![cfg(feature = "std")]

#[path = "common/emulator.rs"]
mod emulator;
#[path = "common/peers.rs"]
mod peers;

use std::collections::{BTreeMap, BTreeSet};

use kinesis_codec::hashkey::{
    merge_shards, route, split_shard, uniform_scaling, HashKey, HashKeyRange, Layout, Shard,
    ShardId, ShardMap,
};
use serde_json::Value;

const ACCOUNT: &str = "000000000000";
const STREAM: &str = "emulator-reshard";

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"))
}

fn id(index: u64) -> ShardId {
    ShardId::new(index).expect("shard index")
}

/// A shard as the test expects it: its range, parents (in hash key order), and whether open.
#[derive(Clone, Debug)]
struct Expected {
    shard: Shard,
    parents: Vec<ShardId>,
}

/// The open shards of `all`, sorted by starting key, as a checked map covering the key space.
fn open_map(all: &[Expected]) -> Vec<Shard> {
    let mut open: Vec<Shard> = all.iter().map(|e| e.shard).filter(|s| s.open).collect();
    open.sort_by_key(|s| s.range.start());
    ShardMap::new(&open).expect("the open shards cover the key space exactly once");
    open
}

/// The stream after each step the script takes, computed with the crate's `hashkey` module:
/// (phase name, every shard so far).
fn lineage() -> Vec<(&'static str, Vec<Expected>)> {
    let mut all: Vec<Expected> = Layout::Aws
        .ranges(2)
        .expect("layout")
        .zip(0..)
        .map(|(range, index)| Expected {
            shard: Shard::open(id(index), range),
            parents: Vec::new(),
        })
        .collect();
    let mut phases = vec![("created", all.clone())];
    let shards = |all: &[Expected]| all.iter().map(|e| e.shard).collect::<Vec<_>>();
    let close = |all: &mut Vec<Expected>, ids: &[ShardId]| {
        for e in all.iter_mut().filter(|e| ids.contains(&e.shard.id)) {
            e.shard.open = false;
        }
    };

    let children = split_shard(&shards(&all), id(0), HashKey::new(1 << 126)).expect("split");
    close(&mut all, &[id(0)]);
    for child in children {
        all.push(Expected {
            shard: child.shard,
            parents: vec![child.parent],
        });
    }
    phases.push(("split", all.clone()));

    let child = merge_shards(&shards(&all), id(3), id(1)).expect("merge");
    close(&mut all, &[id(3), id(1)]);
    all.push(Expected {
        shard: child.shard,
        parents: vec![child.parent, child.adjacent_parent.expect("adjacent")],
    });
    phases.push(("merged", all.clone()));

    // UpdateShardCount 2 -> 3: equal thirds, each with the old open shards it overlaps.
    let old = open_map(&all);
    close(&mut all, &old.iter().map(|s| s.id).collect::<Vec<_>>());
    for (range, index) in uniform_scaling(2, 3).expect("2 -> 3").zip(5..) {
        let parents = old
            .iter()
            .filter(|s| s.range.start() <= range.end() && range.start() <= s.range.end())
            .map(|s| s.id)
            .collect();
        all.push(Expected {
            shard: Shard::open(id(index), range),
            parents,
        });
    }
    phases.push(("scaled", all.clone()));
    phases
}

fn range_of(value: &Value) -> HashKeyRange {
    HashKeyRange::parse(text(&value["start"]), text(&value["end"])).expect("a valid range")
}

/// Checks a described shard list against the expected shards.
fn check_shards(what: &str, got: &Value, expected: &[Expected]) {
    let got = got.as_array().expect("shards");
    assert_eq!(got.len(), expected.len(), "{what}: shard count");
    for (shard, want) in got.iter().zip(expected) {
        let name = want.shard.id.to_string();
        assert_eq!(shard["id"], name.as_str(), "{what}");
        assert_eq!(range_of(shard), want.shard.range, "{what}: range of {name}");
        let parent = want.parents.first().map(ShardId::to_string);
        let adjacent = want.parents.get(1).map(ShardId::to_string);
        assert_eq!(
            shard["parent"].as_str(),
            parent.as_deref(),
            "{what}: {name}"
        );
        assert_eq!(
            shard["adjacent_parent"].as_str(),
            adjacent.as_deref(),
            "{what}: {name}"
        );
        let first: u128 = text(&shard["first_seq"]).parse().expect("a number");
        match shard["end_seq"].as_str() {
            None => assert!(want.shard.open, "{what}: {name} should be closed"),
            Some(end) => {
                assert!(!want.shard.open, "{what}: {name} should be open");
                let end: u128 = end.parse().expect("a number");
                assert!(end > first, "{what}: {name} ends after it starts");
            }
        }
    }
}

#[test]
fn boto3_reshards_the_example_endpoint() {
    let test = "emulator_reshard";
    let server = emulator::Emulator::start();
    let endpoint = format!("http://{}", server.address());
    let Some(out) = peers::run_script(test, "boto3_emulator_reshard.py", &[endpoint.as_ref()])
    else {
        return;
    };
    let out: Value = serde_json::from_slice(&out.stdout).expect("the script prints JSON");
    let phases = lineage();
    let (_, last) = phases.last().expect("phases");

    // The stream is ACTIVE at once, every shard listed (closed ones with an ending sequence
    // number), with the crate's lineage and ranges; three open shards.
    assert_eq!(out["status"], "ACTIVE");
    check_shards("DescribeStream", &out["describe"], last);
    check_shards("ListShards", &out["list_shards"], last);
    check_shards("after the refused reshards", &out["after_errors"], last);
    assert_eq!(out["open_shard_count"], 3);
    assert_eq!(out["update_shard_count"]["StreamName"], STREAM);
    assert_eq!(out["update_shard_count"]["CurrentShardCount"], 2);
    assert_eq!(out["update_shard_count"]["TargetShardCount"], 3);
    let names = |ids: &[u64]| ids.iter().map(|&i| id(i).to_string()).collect::<Vec<_>>();
    let filter = |name: &str| -> Vec<String> {
        out["filters"][name]
            .as_array()
            .expect("ids")
            .iter()
            .map(|v| text(v).to_owned())
            .collect()
    };
    assert_eq!(filter("AT_LATEST"), names(&[5, 6, 7]));
    assert_eq!(filter("AT_TRIM_HORIZON"), names(&[0, 1]));
    assert_eq!(
        filter("FROM_TRIM_HORIZON"),
        names(&[0, 1, 2, 3, 4, 5, 6, 7])
    );
    assert_eq!(filter("AFTER_SHARD_ID"), names(&[5, 6, 7]));

    // Each record went to the open shard that owned its hash key when it was put.
    let puts = out["puts"].as_array().expect("puts");
    assert_eq!(puts.len(), 240);
    for put in puts {
        let phase = text(&put["phase"]);
        let (_, shards) = phases
            .iter()
            .find(|(name, _)| *name == phase)
            .expect("a known phase");
        let open = open_map(shards);
        let key = route(text(&put["key"]), put["ehk"].as_str()).expect("a valid key");
        let owner = ShardMap::new(&open).expect("map").find(key).id;
        assert_eq!(put["shard"], owner.to_string().as_str(), "{put}");
    }

    // Reading from the shards without parents and following ChildShards reaches every shard,
    // each after its parents; closed shards end without a NextShardIterator and name their
    // children with the crate's ranges; open shards name none.
    let reads = out["reads"].as_object().expect("reads");
    let order: Vec<&str> = out["read_order"]
        .as_array()
        .expect("order")
        .iter()
        .map(text)
        .collect();
    assert_eq!(order.len(), last.len(), "every shard read once: {order:?}");
    for want in last {
        let name = want.shard.id.to_string();
        let read = &reads[&name];
        let position = |shard: &str| order.iter().position(|s| *s == shard).expect("read");
        for parent in &want.parents {
            assert!(
                position(&parent.to_string()) < position(&name),
                "{name} after {parent}"
            );
        }
        let children: Vec<&Expected> = last
            .iter()
            .filter(|e| e.parents.contains(&want.shard.id))
            .collect();
        if want.shard.open {
            assert_eq!(read["ended"], false, "{name}");
            assert!(read["children"].is_null(), "{name}: {}", read["children"]);
            continue;
        }
        assert_eq!(read["ended"], true, "{name} ends");
        let got = read["children"].as_array().expect("ChildShards");
        assert_eq!(got.len(), children.len(), "{name}: {got:?}");
        for (child, want_child) in got.iter().zip(&children) {
            assert_eq!(child["id"], want_child.shard.id.to_string().as_str());
            assert_eq!(range_of(child), want_child.shard.range);
            let parents: Vec<String> = want_child.parents.iter().map(|p| p.to_string()).collect();
            assert_eq!(child["parents"], serde_json::json!(parents), "{name}");
        }
        // The children cover exactly the parent's range, or lie within it together with the
        // other parents' ranges (a merge, or a scaling that spans two).
        let covered = children
            .iter()
            .map(|c| c.shard.range)
            .reduce(|a, b| a.merge(b).expect("children are adjacent"))
            .expect("children");
        assert!(covered.start() <= want.shard.range.start(), "{name}");
        assert!(covered.end() >= want.shard.range.end(), "{name}");
    }

    // Every record read back byte-identical, exactly once, from its shard, in put order there.
    let mut expected: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
    for put in puts {
        expected
            .entry(text(&put["shard"]).to_owned())
            .or_default()
            .push((
                text(&put["seq"]).to_owned(),
                text(&put["key"]).to_owned(),
                text(&put["data"]).to_owned(),
            ));
    }
    let mut seen = BTreeSet::new();
    for (shard, read) in reads {
        let got: Vec<(String, String, String)> = read["records"]
            .as_array()
            .expect("records")
            .iter()
            .map(|r| {
                (
                    text(&r["seq"]).to_owned(),
                    text(&r["key"]).to_owned(),
                    text(&r["data"]).to_owned(),
                )
            })
            .collect();
        assert_eq!(got, expected.remove(shard).unwrap_or_default(), "{shard}");
        for (seq, _, _) in got {
            assert!(seen.insert(seq), "read twice");
        }
    }
    assert!(expected.is_empty(), "records never read: {expected:?}");
    assert_eq!(seen.len(), 240);

    // The refused reshards, with the service's codes and texts.
    let errors = &out["errors"];
    let error = |name: &str, code: &str, message: &str| {
        assert_eq!(errors[name]["code"], code, "{name}: {}", errors[name]);
        assert_eq!(errors[name]["message"], message, "{name}");
    };
    let five = &last
        .iter()
        .find(|e| e.shard.id == id(5))
        .expect("shard 5")
        .shard;
    let (start, end) = (five.range.start(), five.range.end());
    let split_text = |key: &str| {
        format!(
            "NewStartingHashKey {key} used in SplitShard() on shard shardId-000000000005 in \
             stream {STREAM} under account {ACCOUNT} is not both greater than one plus the \
             shard's StartingHashKey {start} and less than the shard's EndingHashKey {end}."
        )
    };
    let above = (end.get() + 1).to_string();
    let plus_one = (start.get() + 1).to_string();
    let max_plus_one = "340282366920938463463374607431768211456";
    error(
        "split_key_above",
        "InvalidArgumentException",
        &split_text(&above),
    );
    error(
        "split_key_start_plus_one",
        "InvalidArgumentException",
        &split_text(&plus_one),
    );
    error(
        "split_key_2_128",
        "InvalidArgumentException",
        &split_text(max_plus_one),
    );
    let closed = |shard: &str| {
        format!(
            "Shard {shard} in stream {STREAM} under account {ACCOUNT} has already been merged \
             or split, and thus is not eligible for merging or splitting."
        )
    };
    error(
        "split_closed",
        "InvalidArgumentException",
        &closed("shardId-000000000000"),
    );
    error(
        "merge_closed",
        "InvalidArgumentException",
        &closed("shardId-000000000002"),
    );
    error(
        "split_missing_shard",
        "ResourceNotFoundException",
        &format!(
            "Could not find shard shardId-000000000099 in stream {STREAM} under account \
             {ACCOUNT}."
        ),
    );
    error(
        "split_missing_stream",
        "ResourceNotFoundException",
        &format!("Stream no-such-stream under account {ACCOUNT} not found."),
    );
    let not_adjacent = |a: &str, b: &str| {
        format!(
            "Shards {a} and {b} in stream {STREAM} under account {ACCOUNT} are not an adjacent \
             pair of shards eligible for merging"
        )
    };
    error(
        "merge_not_adjacent",
        "InvalidArgumentException",
        &not_adjacent("shardId-000000000005", "shardId-000000000007"),
    );
    error(
        "merge_reversed",
        "InvalidArgumentException",
        &not_adjacent("shardId-000000000006", "shardId-000000000005"),
    );
    // The example's own texts (the README lists them); ferrokinesis's for the same count.
    error(
        "scale_above_double",
        "LimitExceededException",
        "UpdateShardCount cannot scale up over double the current open shard count: current 3, \
         target 7, highest allowed 6.",
    );
    error(
        "scale_below_half",
        "LimitExceededException",
        "UpdateShardCount cannot scale down below half the current open shard count: current \
         3, target 1, lowest allowed 2.",
    );
    error(
        "scale_same",
        "InvalidArgumentException",
        "TargetShardCount 3 is the same as the current shard count 3.",
    );
}
