//! `kinesis-codec shard` and `kinesis-codec ranges`, run as a program.

#[path = "common/cli.rs"]
mod cli;

use cli::{lines, run};
use serde_json::json;

fn assert_usage_error(args: &[&str]) {
    let out = run(args, b"");
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(out.stdout.is_empty(), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("usage:"), "{args:?}: {err}");
}

#[test]
fn ranges_match_the_aws_cli_example() {
    let got = lines(&run(&["ranges", "3"], b""));
    assert_eq!(
        got,
        vec![
            json!({"shard_id": "shardId-000000000000", "starting_hash_key": "0",
                   "ending_hash_key": "113427455640312821154458202477256070484"}),
            json!({"shard_id": "shardId-000000000001",
                   "starting_hash_key": "113427455640312821154458202477256070485",
                   "ending_hash_key": "226854911280625642308916404954512140969"}),
            json!({"shard_id": "shardId-000000000002",
                   "starting_hash_key": "226854911280625642308916404954512140970",
                   "ending_hash_key": "340282366920938463463374607431768211455"}),
        ]
    );
}

#[test]
fn ranges_layouts() {
    let aws = lines(&run(&["ranges", "2"], b""));
    assert_eq!(
        aws[0]["ending_hash_key"],
        "170141183460469231731687303715884105727"
    );
    let mock = lines(&run(&["ranges", "2", "--layout", "kinesis-mock"], b""));
    assert_eq!(
        mock[0]["ending_hash_key"],
        "170141183460469231731687303715884105726"
    );
    assert_eq!(
        mock[1]["ending_hash_key"],
        "340282366920938463463374607431768211455"
    );
    let many = lines(&run(&["ranges", "--layout=aws", "10000"], b""));
    assert_eq!(many.len(), 10_000);
    assert_eq!(many[9999]["shard_id"], "shardId-000000009999");
    for w in many.windows(2) {
        let end: u128 = w[0]["ending_hash_key"].as_str().unwrap().parse().unwrap();
        let start: u128 = w[1]["starting_hash_key"].as_str().unwrap().parse().unwrap();
        assert_eq!(end + 1, start);
    }
}

#[test]
fn ranges_bad_arguments() {
    for args in [
        &["ranges"][..],
        &["ranges", "0"],
        &["ranges", "-1"],
        &["ranges", "x"],
        &["ranges", "3", "4"],
        &["ranges", "3", "--layout", "azure"],
        &["ranges", "3", "--layout"],
        &["ranges", "3", "--bogus"],
    ] {
        assert_usage_error(args);
    }
}

#[test]
fn shard_for_keys() {
    let got = lines(&run(&["shard", "--shards", "3", "a", "héllo", "🦀"], b""));
    assert_eq!(got.len(), 3);
    assert_eq!(
        got[0],
        json!({"partition_key": "a", "hash_key": "16955237001963240173058271559858726497",
               "shard_index": 0, "shard_id": "shardId-000000000000"})
    );
    assert_eq!(got[1]["partition_key"], "héllo");
    assert_eq!(got[2]["partition_key"], "🦀");
    for line in &got {
        let index = line["shard_index"].as_u64().unwrap();
        assert_eq!(line["shard_id"], format!("shardId-{index:012}"));
    }
    // Keys after `--` may start with a dash.
    let dash = lines(&run(&["shard", "--shards", "1", "--", "--x"], b""));
    assert_eq!(dash[0]["partition_key"], "--x");
}

#[test]
fn explicit_hash_key_at_range_ends() {
    // The AWS CLI example's first boundary: the last key of shard 0, then the first of shard 1.
    let end0 = "113427455640312821154458202477256070484";
    let got = lines(&run(
        &["shard", "--shards", "3", "--explicit-hash-key", end0, "k"],
        b"",
    ));
    assert_eq!(got[0]["hash_key"], end0);
    assert_eq!(got[0]["shard_index"], 0);
    let start1 = "113427455640312821154458202477256070485";
    let got = lines(&run(
        &["shard", "--shards=3", "--explicit-hash-key", start1, "k"],
        b"",
    ));
    assert_eq!(got[0]["shard_index"], 1);
    let max = "340282366920938463463374607431768211455";
    let got = lines(&run(
        &[
            "shard",
            "--shards",
            "4",
            "--layout",
            "kinesis-mock",
            "--explicit-hash-key",
            max,
            "k",
        ],
        b"",
    ));
    assert_eq!(got[0]["shard_id"], "shardId-000000000003");
}

#[test]
fn jsonl_answers_each_line_in_order() {
    let input = concat!(
        r#"{"partition_key": "a"}"#,
        "\n",
        r#"{"partition_key": "nul\u0000 and\nnewline"}"#,
        "\n",
        r#"{"partition_key": "x", "explicit_hash_key": "0340"}"#,
        "\n",
        "not json\n",
        r#"{"partition_key": "x", "explicit_hash_key": "340282366920938463463374607431768211456"}"#,
        "\n",
        r#"{"partitionKey": "typo"}"#,
        "\n",
        r#"{"partition_key": "x", "explicit_hash_key": "340282366920938463463374607431768211455"}"#,
        "\n",
        r#"{"partition_key": "\ud83d\ude00"}"#,
    );
    let got = lines(&run(
        &["shard", "--shards", "2", "--jsonl"],
        input.as_bytes(),
    ));
    assert_eq!(got.len(), 8);
    assert_eq!(got[0]["hash_key"], "16955237001963240173058271559858726497");
    assert_eq!(got[1]["partition_key"], "nul\u{0} and\nnewline");
    let hash: u128 = got[1]["hash_key"].as_str().unwrap().parse().unwrap();
    assert_eq!(got[1]["shard_index"], u64::from(hash >= 1 << 127));
    for i in [2, 3, 4, 5] {
        assert!(got[i]["error"].is_string(), "line {i}: {}", got[i]);
        assert_eq!(got[i].as_object().unwrap().len(), 1);
    }
    assert!(got[2]["error"]
        .as_str()
        .unwrap()
        .starts_with("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was 0340"));
    assert!(got[4]["error"].as_str().unwrap().contains("2^128 or more"));
    assert_eq!(got[6]["shard_id"], "shardId-000000000001");
    assert_eq!(got[7]["partition_key"], "😀");
}

#[test]
fn jsonl_answers_invalid_utf8_and_blank_lines_too() {
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"partition_key\": \"a\"}\n");
    input.extend_from_slice(b"{\"partition_key\": \"\xff\"}\n");
    input.extend_from_slice(b"\n");
    input.extend_from_slice(b"{\"partition_key\": \"a\"}");
    let got = lines(&run(&["shard", "--shards", "2", "--jsonl"], &input));
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(got[0], got[3]);
    assert!(got[1]["error"].is_string(), "{}", got[1]);
    assert!(got[2]["error"].is_string(), "{}", got[2]);
}

#[test]
fn shard_counts_share_one_cap_and_one_refusal() {
    let over = (kinesis_codec::hashkey::MAX_LAYOUT_SHARDS + 1).to_string();
    let shard = run(&["shard", "--shards", &over, "a"], b"");
    let ranges = run(&["ranges", &over], b"");
    for out in [&shard, &ranges] {
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
    }
    let expected = kinesis_codec::hashkey::LayoutError::TooManyShards {
        requested: kinesis_codec::hashkey::MAX_LAYOUT_SHARDS + 1,
    }
    .to_string();
    for out in [&shard, &ranges] {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&expected), "{err}");
    }
    assert_usage_error(&["ranges", "4294967295"]);
    assert_usage_error(&["shard", "--shards", "4294967296", "a"]);
}

#[test]
fn shard_bad_arguments() {
    for args in [
        &["shard", "a"][..],
        &["shard", "--shards", "0", "a"],
        &["shard", "--shards", "x", "a"],
        &["shard", "--shards"],
        &["shard", "--shards", "3"],
        &["shard", "--shards", "3", "--explicit-hash-key", "01", "a"],
        &["shard", "--shards", "3", "--explicit-hash-key", "-1", "a"],
        &["shard", "--shards", "3", "--layout", "gcp", "a"],
        &["shard", "--shards", "3", "--jsonl", "a"],
        &["shard", "--shards", "3", "--frobnicate", "a"],
    ] {
        assert_usage_error(args);
    }
}
