//! The invalid requests of `tests/validate_kinesalite.rs`, `tests/validate_ferrokinesis.rs` and
//! `tests/validate_botocore.rs`, made from the Kinesis model: each member left out, each
//! constraint broken, each wrong JSON type, list entries at positions 1 and 3, and everything at
//! once; the valid baselines of the operations kinesalite implements; and which members the
//! model requires.

use std::collections::BTreeSet;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::{json, Map, Value};

/// The case with a type error in every member.
pub const EVERY_TYPE_WRONG: &str = "every member of the wrong type";

/// One invalid request.
pub struct Case {
    pub operation: &'static str,
    pub what: String,
    pub body: Value,
}

pub fn model() -> &'static Value {
    static MODEL: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    MODEL.get_or_init(|| {
        let text = include_str!("../model/kinesis-2013-12-02.json");
        serde_json::from_str(text).expect("the model is JSON")
    })
}

pub fn shape<'m>(model: &'m Value, name: &str) -> &'m Value {
    &model["shapes"][name]
}

/// Whether the current model requires the member at a service path
/// (`records.1.member.partitionKey`) of `operation`'s input.
#[allow(dead_code)] // validate_botocore does not use it
pub fn model_requires(operation: &str, path: &str) -> bool {
    let model = model();
    let mut shape_name = model["operations"][operation]["input"]["shape"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        let s = shape(model, &shape_name);
        if s["type"] == "list" {
            // `<n>.member`
            parts.next();
            shape_name = s["member"]["shape"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            continue;
        }
        let Some((name, spec)) = s["members"].as_object().and_then(|ms| {
            ms.iter()
                .find(|(n, _)| n.to_lowercase() == part.to_lowercase())
        }) else {
            return false;
        };
        if parts.peek().is_none() {
            return s["required"]
                .as_array()
                .is_some_and(|r| r.iter().any(|v| v == name.as_str()));
        }
        shape_name = spec["shape"].as_str().unwrap_or_default().to_string();
    }
    false
}

/// Every operation kinesalite 3.3.3 implements, with a body valid under the model and under
/// kinesalite's rules.
pub fn operations() -> Vec<(&'static str, Value)> {
    let record = |key: &str| json!({"Data": "aGk=", "PartitionKey": key, "ExplicitHashKey": "1"});
    vec![
        (
            "AddTagsToStream",
            json!({"StreamName": "s1", "Tags": {"k": "v"}}),
        ),
        ("CreateStream", json!({"StreamName": "s1", "ShardCount": 1})),
        (
            "DecreaseStreamRetentionPeriod",
            json!({"StreamName": "s1", "RetentionPeriodHours": 24}),
        ),
        ("DeleteStream", json!({"StreamName": "s1"})),
        (
            "DescribeStream",
            json!({"StreamName": "s1", "Limit": 10, "ExclusiveStartShardId": "shardId-0"}),
        ),
        ("DescribeStreamSummary", json!({"StreamName": "s1"})),
        ("GetRecords", json!({"ShardIterator": "AAAA", "Limit": 10})),
        (
            "GetShardIterator",
            json!({"StreamName": "s1", "ShardId": "shardId-0", "ShardIteratorType": "AT_SEQUENCE_NUMBER", "StartingSequenceNumber": "1"}),
        ),
        (
            "IncreaseStreamRetentionPeriod",
            json!({"StreamName": "s1", "RetentionPeriodHours": 48}),
        ),
        (
            "ListShards",
            json!({"StreamName": "s1", "MaxResults": 10, "ExclusiveStartShardId": "shardId-0"}),
        ),
        (
            "ListStreams",
            json!({"Limit": 10, "ExclusiveStartStreamName": "s0"}),
        ),
        (
            "ListTagsForStream",
            json!({"StreamName": "s1", "Limit": 10, "ExclusiveStartTagKey": "k"}),
        ),
        (
            "MergeShards",
            json!({"StreamName": "s1", "ShardToMerge": "shardId-0", "AdjacentShardToMerge": "shardId-1"}),
        ),
        (
            "PutRecord",
            json!({"StreamName": "s1", "Data": "aGk=", "PartitionKey": "k", "ExplicitHashKey": "1", "SequenceNumberForOrdering": "1"}),
        ),
        (
            "PutRecords",
            json!({"StreamName": "s1", "Records": [record("a"), record("b"), record("c")]}),
        ),
        (
            "RemoveTagsFromStream",
            json!({"StreamName": "s1", "TagKeys": ["k"]}),
        ),
        (
            "SplitShard",
            json!({"StreamName": "s1", "ShardToSplit": "shardId-0", "NewStartingHashKey": "1"}),
        ),
    ]
}

/// The values that break each constraint of shape `name`, with what they break; `valid` is
/// the value the baseline has (for lists and maps, copied to pass a maximum).
fn breakers(model: &Value, name: &str, valid: Option<&Value>) -> Vec<(String, Value)> {
    let s = shape(model, name);
    let min = s["min"].as_i64();
    let max = s["max"].as_i64();
    let mut out = Vec::new();
    match s["type"].as_str().unwrap_or_default() {
        "string" if s.get("enum").is_some() => out.push(("enum".into(), json!("NOT_A_VALUE"))),
        "string" => {
            if let Some(min) = min.filter(|&m| m > 0) {
                out.push(("min length".into(), json!("a".repeat(min as usize - 1))));
            }
            if let Some(max) = max.filter(|&m| m < 100_000) {
                out.push(("max length".into(), json!("a".repeat(max as usize + 1))));
            }
            if s.get("pattern").is_some() {
                out.push(("pattern".into(), json!("bad value!")));
            }
        }
        "integer" | "long" => {
            if let Some(min) = min {
                out.push(("min value".into(), json!(min - 1)));
            }
            if let Some(max) = max.filter(|&m| m < i64::from(i32::MAX)) {
                out.push(("max value".into(), json!(max + 1)));
            }
        }
        "blob" => {
            if let Some(max) = max {
                if max > 1 << 20 {
                    // kinesalite answers a body this large with a bare HTTP 413 before it
                    // validates: the model's own limit is checked without it
                    // (`the_record_data_limit_is_the_models`).
                    let old = vec![7u8; (1 << 20) + 1];
                    out.push(("kinesalite's 1 MiB".into(), json!(B64.encode(old))));
                } else {
                    out.push((
                        "max length".into(),
                        json!(B64.encode(vec![7u8; max as usize + 1])),
                    ));
                }
            }
        }
        "list" => {
            let entry = valid.and_then(|v| v.get(0)).cloned().unwrap_or(json!("a"));
            if min.is_some_and(|m| m > 0) {
                out.push(("min entries".into(), json!([])));
            }
            if let Some(max) = max.filter(|&m| m <= 1000) {
                let list: Vec<Value> = (0..=max).map(|_| entry.clone()).collect();
                out.push(("max entries".into(), Value::Array(list)));
            }
            let member = s["member"]["shape"].as_str().unwrap_or_default();
            if shape(model, member)["type"] == "string" {
                for (what, bad) in breakers(model, member, None) {
                    out.push((format!("entry 1 {what}"), json!([bad, "a"])));
                    out.push((format!("entry 2 {what}"), json!(["a", bad, "b"])));
                }
            }
        }
        "map" => {
            if min.is_some_and(|m| m > 0) {
                out.push(("min entries".into(), json!({})));
            }
            if let Some(max) = max.filter(|&m| m <= 1000) {
                let map: Map<String, Value> =
                    (0..=max).map(|i| (format!("k{i}"), json!("v"))).collect();
                out.push(("max entries".into(), Value::Object(map)));
            }
            out.push(("empty key".into(), json!({"": "v"})));
            let value = s["value"]["shape"].as_str().unwrap_or_default();
            if let Some(max) = shape(model, value)["max"].as_i64() {
                out.push((
                    "long value".into(),
                    json!({"k": "a".repeat(max as usize + 1)}),
                ));
            }
        }
        _ => {}
    }
    out
}

/// Values of the wrong JSON type for a member of shape `name`, and malformed base64 for a blob.
fn wrong_types(model: &Value, name: &str) -> Vec<(String, Value)> {
    let kind = shape(model, name)["type"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let all = [
        ("a boolean", json!(true)),
        ("a number", json!(5)),
        ("a string", json!("x")),
        ("a list", json!([])),
        ("an object", json!({})),
    ];
    let fits = |what: &str| match kind.as_str() {
        "string" | "blob" => what == "a string",
        "boolean" => what == "a boolean",
        "integer" | "long" | "double" | "timestamp" => what == "a number",
        "list" => what == "a list",
        "map" | "structure" => what == "an object",
        _ => true,
    };
    let mut out: Vec<(String, Value)> = all
        .into_iter()
        .filter(|(what, _)| !fits(what))
        .map(|(what, v)| (format!("type: {what}"), v))
        .collect();
    if kind == "blob" {
        for (what, text) in [
            ("length not a multiple of 4", "aGk"),
            ("a character outside base64", "aG!="),
            ("a character after the pad", "a=bc"),
            ("pad bits not zero", "aGl="),
        ] {
            out.push((format!("base64: {what}"), json!(text)));
        }
    }
    out
}

/// Every case of one operation: each member's constraints broken in turn (and, in lists of
/// structures, each entry member at positions 1 and 3), then all first breakers at once.
pub fn cases(model: &Value, operation: &'static str, valid: &Value) -> Vec<Case> {
    let input = model["operations"][operation]["input"]["shape"]
        .as_str()
        .expect("input");
    let input = shape(model, input);
    let required: BTreeSet<&str> = input["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let members = input["members"].as_object().expect("members");
    let mut out = Vec::new();
    let mut all_at_once = valid.clone();
    let mut every_type_wrong = valid.clone();
    for (member, spec) in members {
        let Some(present) = valid.get(member) else {
            continue; // kinesalite does not know the member (added since) or it is not needed
        };
        let member_shape = spec["shape"].as_str().unwrap_or_default();
        // Every member left out in turn: a null item where the model requires it, none
        // otherwise (where kinesalite still requires it, a named difference).
        let mut body = valid.clone();
        body.as_object_mut().expect("object").remove(member);
        let what = if required.contains(member.as_str()) {
            "missing (required)"
        } else {
            "missing"
        };
        out.push(Case {
            operation,
            what: format!("{member} {what}"),
            body,
        });
        for (i, (what, bad)) in wrong_types(model, member_shape).into_iter().enumerate() {
            let mut body = valid.clone();
            body[member] = bad.clone();
            if i == 0 {
                every_type_wrong[member] = bad;
            }
            out.push(Case {
                operation,
                what: format!("{member}: {what}"),
                body,
            });
        }
        for (i, (what, bad)) in breakers(model, member_shape, Some(present))
            .into_iter()
            .enumerate()
        {
            let mut body = valid.clone();
            body[member] = bad.clone();
            if i == 0 {
                all_at_once[member] = bad;
            }
            out.push(Case {
                operation,
                what: format!("{member}: {what}"),
                body,
            });
        }
        // Entries of a list of structures, at positions 1 and 3.
        let list = shape(model, member_shape);
        let entry = list["member"]["shape"].as_str().unwrap_or_default();
        if list["type"] == "list" && shape(model, entry)["type"] == "structure" {
            let entry_shape = shape(model, entry);
            let entry_required: BTreeSet<&str> = entry_shape["required"]
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for (name, spec) in entry_shape["members"].as_object().expect("members") {
                for index in [0usize, 2] {
                    let Some(current) = present.get(index).and_then(|e| e.get(name)) else {
                        continue;
                    };
                    let mut body = valid.clone();
                    body[member][index]
                        .as_object_mut()
                        .expect("entry")
                        .remove(name);
                    let what = if entry_required.contains(name.as_str()) {
                        "missing (required)"
                    } else {
                        "missing"
                    };
                    out.push(Case {
                        operation,
                        what: format!("{member}[{index}].{name} {what}"),
                        body,
                    });
                    let entry_member = spec["shape"].as_str().unwrap_or_default();
                    for (what, bad) in wrong_types(model, entry_member) {
                        let mut body = valid.clone();
                        body[member][index][name] = bad;
                        out.push(Case {
                            operation,
                            what: format!("{member}[{index}].{name}: {what}"),
                            body,
                        });
                    }
                    for (what, bad) in breakers(model, entry_member, Some(current)) {
                        let mut body = valid.clone();
                        body[member][index][name] = bad;
                        out.push(Case {
                            operation,
                            what: format!("{member}[{index}].{name}: {what}"),
                            body,
                        });
                    }
                }
            }
        }
    }
    // Several type errors: the service names one (the first in model order).
    out.push(Case {
        operation,
        what: EVERY_TYPE_WRONG.into(),
        body: every_type_wrong,
    });
    if all_at_once != *valid {
        out.push(Case {
            operation,
            what: "every member broken at once".into(),
            body: all_at_once,
        });
    }
    out
}

/// More than ten violations at once: twelve PutRecords entries with empty keys (the count and
/// the list stop at ten).
#[allow(dead_code)] // validate_botocore does not use it
pub fn twelve_bad_entries() -> Case {
    let records: Vec<Value> = (0..12)
        .map(|_| json!({"Data": "", "PartitionKey": ""}))
        .collect();
    Case {
        operation: "PutRecords",
        what: "twelve bad entries".into(),
        body: json!({"StreamName": "s1", "Records": records}),
    }
}
