//! A valid request body for any Kinesis operation, made from the model's shapes: every member
//! present (required and optional), each with a small value that meets its shape's
//! constraints: `min`/`max` (length, entries or value), `pattern` and `enum`.
//!
//! Strings take the first of [`STRINGS`] that fits their shape (a table rather than a regex
//! inverter: the model's patterns are few); a shape none fits is a failure, naming it. Lists of
//! structures get three entries where their maximum allows, so that the cases of
//! `validation_cases.rs` can break entries 1 and 3.

use regex::Regex;
use serde_json::{json, Map, Value};

use crate::validation_cases::shape;

/// Candidate strings, tried in order, for a string shape with a pattern or a length.
const STRINGS: &[&str] = &[
    "s1",
    "1",
    "123456789012",
    "abcdefghij0123456789-abc",
    "arn:aws:kinesis:us-east-1:123456789012:stream/s1",
    "arn:aws:kinesis:us-east-1:123456789012:channel/c1",
    "arn:aws:kinesis:us-east-1:123456789012:queue/q1",
    "arn:aws:kinesis:us-east-1:123456789012:stream/s1/consumer/c1:1",
    "arn:aws:s3:::bucket1",
    "arn:aws:s3tables:us-east-1:123456789012:bucket/bucket1",
    "arn:aws:glue:us-east-1:123456789012:schema/r1/s1",
    "arn:aws:iam::123456789012:role/r1",
];

/// The record data of every blob (`hi`).
const BLOB: &str = "aGk=";
/// The moment of every timestamp, in epoch seconds (2015-09-02T17:36:50Z).
const TIMESTAMP: i64 = 1_441_215_410;

/// A body of `operation` with every member of its input, valid under the model.
pub fn valid_body(model: &Value, operation: &str) -> Value {
    let input = model["operations"][operation]["input"]["shape"]
        .as_str()
        .unwrap_or_else(|| panic!("{operation}: no input shape"));
    value(model, input, 0)
}

fn value(model: &Value, name: &str, depth: usize) -> Value {
    assert!(depth < 16, "{name}: the shapes nest too deep (recursive?)");
    let s = shape(model, name);
    let min = s["min"].as_i64();
    let max = s["max"].as_i64();
    match s["type"].as_str().unwrap_or_default() {
        "string" => json!(string(name, s)),
        "integer" | "long" => {
            let low = min.unwrap_or(1).max(0);
            json!(max.map_or(low, |m| low.min(m)))
        }
        "double" | "float" => json!(min.unwrap_or(1)),
        "boolean" => json!(true),
        "blob" => json!(BLOB),
        "timestamp" => json!(TIMESTAMP),
        "list" => {
            let member = s["member"]["shape"].as_str().unwrap_or_default();
            let wanted = if shape(model, member)["type"] == "structure" {
                3
            } else {
                1
            };
            let n = min.unwrap_or(0).max(wanted);
            let n = max.map_or(n, |m| n.min(m));
            Value::Array((0..n).map(|_| value(model, member, depth + 1)).collect())
        }
        "map" => {
            let key = s["key"]["shape"].as_str().unwrap_or_default();
            let entry = s["value"]["shape"].as_str().unwrap_or_default();
            let mut map = Map::new();
            let Value::String(key) = value(model, key, depth + 1) else {
                panic!("{name}: a map key that is not a string");
            };
            map.insert(key, value(model, entry, depth + 1));
            Value::Object(map)
        }
        "structure" => {
            let members = s["members"].as_object().cloned().unwrap_or_default();
            let body = members
                .iter()
                .map(|(member, spec)| {
                    let member_shape = spec["shape"].as_str().unwrap_or_default();
                    (member.clone(), value(model, member_shape, depth + 1))
                })
                .collect();
            Value::Object(body)
        }
        other => panic!("{name}: no valid value made for a {other}"),
    }
}

/// The first enum value, or the first candidate that meets the length and the pattern.
fn string(name: &str, s: &Value) -> String {
    if let Some(first) = s["enum"].as_array().and_then(|e| e.first()) {
        return first.as_str().unwrap_or_default().to_string();
    }
    let min = s["min"].as_u64().unwrap_or(0) as usize;
    let max = s["max"].as_u64().map_or(usize::MAX, |m| m as usize);
    // The service matches a pattern against the whole value.
    let pattern = s["pattern"]
        .as_str()
        .map(|p| Regex::new(&format!("^(?:{p})$")).expect("the model's pattern compiles"));
    STRINGS
        .iter()
        .find(|c| {
            let len = c.encode_utf16().count();
            (min..=max).contains(&len) && pattern.as_ref().is_none_or(|p| p.is_match(c))
        })
        .unwrap_or_else(|| panic!("{name}: no candidate string fits {s}"))
        .to_string()
}
