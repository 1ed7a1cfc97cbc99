//! boto3 1.44.5 drives the example endpoint (`examples/emulator/`) end to end: create,
//! describe, list, put (one record, 500 at once with Unicode and 256-character partition keys,
//! explicit hash keys), read back through all five iterator types, and the service's errors.
//! `tests/peers/boto3_emulator.py` does the calls and prints what it sent and got; every
//! assertion is here, the shard layout and routing checked with the crate's `hashkey` module.
//!
//! The example is built by `cargo test` (it is an `[[example]]` of the crate); the test starts
//! it on a free port and stops it when done.

#![cfg(feature = "std")]

#[path = "common/emulator.rs"]
mod emulator;
#[path = "common/peers.rs"]
mod peers;

use std::collections::BTreeMap;

use kinesis_codec::hashkey::{route, HashKey, Layout};
use serde_json::Value;

const SHARDS: u32 = 4;
const ACCOUNT: &str = "000000000000";

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"))
}

/// One record as put, with where the emulator said it went.
#[derive(Debug, Clone, PartialEq)]
struct Put {
    group: String,
    data: String,
    key: String,
    ehk: Option<String>,
    shard: String,
    seq: String,
}

/// One record as read: (sequence number, partition key, data in hex).
fn read(records: &Value) -> Vec<(String, String, String)> {
    records
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
        .collect()
}

fn as_read(puts: &[&Put]) -> Vec<(String, String, String)> {
    puts.iter()
        .map(|p| (p.seq.clone(), p.key.clone(), p.data.clone()))
        .collect()
}

fn shard_name(index: u32) -> String {
    format!("shardId-{index:012}")
}

#[test]
fn boto3_drives_the_example_endpoint() {
    let test = "emulator_boto3";
    let server = emulator::Emulator::start();
    let endpoint = format!("http://{}", server.address());
    let Some(out) = peers::run_script(test, "boto3_emulator.py", &[endpoint.as_ref()]) else {
        return;
    };
    let out: Value = serde_json::from_slice(&out.stdout).expect("the script prints JSON");

    // CreateStream made the service's layout of 4 shards.
    let description = &out["describe"];
    assert_eq!(description["name"], "emulator-boto3");
    assert_eq!(
        description["arn"],
        format!("arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/emulator-boto3")
    );
    assert_eq!(description["status"], "ACTIVE");
    assert_eq!(description["has_more_shards"], false);
    let shards = description["shards"].as_array().expect("shards");
    assert_eq!(shards.len(), SHARDS as usize);
    for (i, shard) in (0..SHARDS).zip(shards) {
        let range = Layout::Aws.range(SHARDS, i).expect("range");
        assert_eq!(shard["id"], shard_name(i));
        assert_eq!(text(&shard["start"]), range.start().to_string());
        assert_eq!(text(&shard["end"]), range.end().to_string());
    }
    assert_eq!(out["summary"]["open_shard_count"], SHARDS);
    assert_eq!(out["summary"]["status"], "ACTIVE");
    let names: Vec<String> = (0..SHARDS).map(shard_name).collect();
    assert_eq!(out["list_shards"], serde_json::json!(names));
    assert_eq!(out["list_shards_paged"], serde_json::json!(names));
    assert_eq!(
        out["list_streams"],
        serde_json::json!(["emulator-boto3", "emulator-boto3-other"])
    );
    assert_eq!(out["after_delete"], serde_json::json!(["emulator-boto3"]));

    // Every put went to the shard whose range holds its hash key, with increasing sequence
    // numbers per shard.
    let puts: Vec<Put> = out["puts"]
        .as_array()
        .expect("puts")
        .iter()
        .map(|p| Put {
            group: text(&p["group"]).to_owned(),
            data: text(&p["data"]).to_owned(),
            key: text(&p["key"]).to_owned(),
            ehk: p["ehk"].as_str().map(str::to_owned),
            shard: text(&p["shard"]).to_owned(),
            seq: text(&p["seq"]).to_owned(),
        })
        .collect();
    let count = |group: &str| puts.iter().filter(|p| p.group == group).count();
    assert_eq!(count("single"), 1);
    assert_eq!(count("batch"), 500);
    assert_eq!(count("explicit"), 6);
    assert!(puts.iter().any(|p| p.key.chars().count() == 256));
    assert!(puts.iter().any(|p| p.key.contains('🎉')));
    assert!(puts.iter().filter(|p| p.ehk.is_some()).count() > 10);
    for put in &puts {
        let key: HashKey = route(&put.key, put.ehk.as_deref()).expect("routable");
        let owner = Layout::Aws.shard_index(SHARDS, key).expect("an owner");
        assert_eq!(put.shard, shard_name(owner), "{put:?}");
    }
    let explicit: Vec<&str> = puts
        .iter()
        .filter(|p| p.group == "explicit")
        .map(|p| p.shard.as_str())
        .collect();
    assert_eq!(
        explicit,
        [0, 0, 1, 2, 3, 3].map(shard_name),
        "explicit hash keys 0, 2^126-1, 2^126, 2^127, 3*2^126+5, 2^128-1"
    );
    let mut per_shard: BTreeMap<&str, Vec<&Put>> = BTreeMap::new();
    for put in &puts {
        per_shard.entry(&put.shard).or_default().push(put);
    }
    for (shard, list) in &per_shard {
        let numbers: Vec<u128> = list
            .iter()
            .map(|p| p.seq.parse().expect("decimal"))
            .collect();
        assert!(
            numbers.windows(2).all(|w| w[0] < w[1]),
            "{shard}: {numbers:?}"
        );
    }

    // Read back: TRIM_HORIZON gives every record of the shard, byte-identical and in order.
    let reads = &out["reads"];
    for name in &names {
        let expected = per_shard.get(name.as_str()).cloned().unwrap_or_default();
        assert!(!expected.is_empty(), "{name} got no records");
        let all = read(&reads["TRIM_HORIZON"][name]);
        assert_eq!(all, as_read(&expected), "TRIM_HORIZON {name}");

        // AT_SEQUENCE_NUMBER from the middle record, AFTER_SEQUENCE_NUMBER just past it.
        let from = text(&reads["AT_SEQUENCE_NUMBER"][name]["from"]);
        let at = all
            .iter()
            .position(|r| r.0 == from)
            .expect("the middle record");
        assert_eq!(
            read(&reads["AT_SEQUENCE_NUMBER"][name]["records"]),
            all[at..]
        );
        assert_eq!(text(&reads["AFTER_SEQUENCE_NUMBER"][name]["from"]), from);
        assert_eq!(
            read(&reads["AFTER_SEQUENCE_NUMBER"][name]["records"]),
            all[at + 1..]
        );

        // AT_TIMESTAMP at a whole second after which only the "timed" batch was put.
        let timed: Vec<&Put> = expected
            .iter()
            .copied()
            .filter(|p| p.group == "timed")
            .collect();
        assert_eq!(
            read(&reads["AT_TIMESTAMP"][name]),
            as_read(&timed),
            "AT_TIMESTAMP {name}"
        );

        // LATEST, taken before one record per shard was put, reads exactly that record.
        let latest: Vec<&Put> = expected
            .iter()
            .copied()
            .filter(|p| p.group == "latest")
            .collect();
        assert_eq!(latest.len(), 1, "{name}");
        assert_eq!(
            read(&out["latest"][name]),
            as_read(&latest),
            "LATEST {name}"
        );
    }

    // ApproximateArrivalTimestamp: the "timed" batch arrived at or after the mark.
    let mark = out["timestamp_mark"].as_i64().expect("mark");
    for name in &names {
        for record in reads["AT_TIMESTAMP"][name].as_array().expect("records") {
            let arrival = record["arrival"].as_i64().expect("arrival");
            assert!(
                arrival >= mark && arrival < mark + 60_000,
                "{arrival} vs {mark}"
            );
        }
    }

    // The errors, with the service's codes and texts.
    let errors = &out["errors"];
    let error = |name: &str, code: &str, message: &str| {
        assert_eq!(errors[name]["code"], code, "{name}: {}", errors[name]);
        assert_eq!(errors[name]["message"], message, "{name}");
        assert_eq!(errors[name]["status"], 400, "{name}");
    };
    let missing = format!("Stream no-such-stream under account {ACCOUNT} not found.");
    error("missing_stream", "ResourceNotFoundException", &missing);
    error("missing_stream_put", "ResourceNotFoundException", &missing);
    error(
        "in_use",
        "ResourceInUseException",
        &format!("Stream emulator-boto3 under account {ACCOUNT} already exists."),
    );
    error(
        "empty_partition_key",
        "ValidationException",
        "1 validation error detected: Value '' at 'partitionKey' failed to satisfy constraint: \
         Member must have length greater than or equal to 1",
    );
    error(
        "shard_count_zero",
        "ValidationException",
        "1 validation error detected: Value '0' at 'shardCount' failed to satisfy constraint: \
         Member must have value greater than or equal to 1",
    );
    error(
        "hash_key_2_128",
        "InvalidArgumentException",
        "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. \
         Specified value was 340282366920938463463374607431768211456",
    );
    error(
        "iterator_without_sequence",
        "InvalidArgumentException",
        "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and \
         StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. \
         Request specified AT_SEQUENCE_NUMBER and no StartingSequenceNumber.",
    );
    assert_eq!(errors["shard_count_text"]["code"], "SerializationException");
    assert_eq!(errors["unimplemented"]["code"], "UnknownOperationException");
    assert_eq!(
        errors["unimplemented"]["message"],
        "AddTagsToStream is not implemented by this example emulator"
    );
}
