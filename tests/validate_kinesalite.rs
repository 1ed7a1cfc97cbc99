//! Request validation against a live peer: kinesalite 3.3.3 (npm, its validation texts checked
//! against the real service), started on a free port.
//!
//! For every operation kinesalite implements, invalid requests are made from the current model
//! (`tests/model/kinesis-2013-12-02.json`): each constraint of each member broken in turn
//! (`required`, `min`/`max` length, value range, `pattern`, `enum`), each member of each wrong
//! JSON type and blobs of malformed base64 (`SerializationException`, compared whole), list
//! entries broken at positions 1 and 3, all of an operation's violations at once, and more than
//! ten at once. Each
//! goes to kinesalite and to `Request::check_body`, as JSON and again as CBOR: the error type,
//! the count prefix and the items (as a set: the service lists them in no fixed order) must
//! agree.
//!
//! Where the model changed since kinesalite, the model wins: [`DIFFERENCES`] names each change,
//! rewrites kinesalite's items accordingly, and must be seen at least once (a difference that no
//! longer shows is a failure, not a silent pass). kinesalite missing makes the test fail, as the
//! other peer tests do (`KINESIS_CODEC_SKIP_PEERS=1` prints SKIPPED instead).

#![cfg(feature = "std")] // kinesalite runs over HTTP, requests signed with the clock (std)

#[path = "common/ferrokinesis.rs"]
mod ferrokinesis;
#[path = "common/kinesalite.rs"]
mod kinesalite;
#[path = "common/kinesis_http.rs"]
mod kinesis_http;
#[path = "common/node_peers.rs"]
mod node_peers;
#[path = "common/peers.rs"]
mod peers;
#[path = "common/validation_answers.rs"]
mod validation_answers;
#[path = "common/validation_cases.rs"]
mod validation_cases;

use std::collections::{BTreeMap, BTreeSet};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use kinesis_codec::kinesis::{Operation, Request};
use kinesis_codec::wire::Protocol;
use serde_json::{json, Value};
use validation_answers::{ours, ours_in, theirs, theirs_cbor, Answer};
use validation_cases::{
    cases, model, model_requires, operations, twelve_bad_entries, Case, EVERY_TYPE_WRONG,
};

/// What to do with one of kinesalite's items.
enum Rewrite {
    Keep,
    Drop,
    Replace(String),
}

/// A change of the model since kinesalite 3.3.3: its name, and how kinesalite's item (with
/// the operation) is brought to what the current model says.
struct Difference {
    name: &'static str,
    rewrite: fn(&str, &str) -> Rewrite,
}

const DIFFERENCES: &[Difference] = &[
    Difference {
        name: "members kinesalite requires and the model no longer does: StreamName (StreamARN \
               may name the stream instead), PartitionKey (PutRecord, PutRecords entries)",
        rewrite: |operation, item| {
            let Some(path) = item.strip_prefix("Value null at '").and_then(|rest| {
                rest.strip_suffix("' failed to satisfy constraint: Member must not be null")
            }) else {
                return Rewrite::Keep;
            };
            if model_requires(operation, path) {
                Rewrite::Keep
            } else {
                Rewrite::Drop
            }
        },
    },
    Difference {
        name: "record data is limited to 10 MiB (model), not 1 MiB (kinesalite)",
        rewrite: |_, item| {
            let old = "Member must have length less than or equal to 1048576";
            match item.strip_suffix(old) {
                Some(_) => match blob_len(item) {
                    Some(n) if n <= 10 << 20 => Rewrite::Drop,
                    _ => Rewrite::Replace(item.replace(
                        old,
                        "Member must have length less than or equal to 10485760",
                    )),
                },
                None => Rewrite::Keep,
            }
        },
    },
    Difference {
        name: "the model anchors the hash key and sequence number patterns: ^(0|([1-9]\\d{0,38}))$",
        rewrite: |_, item| {
            for (bare, anchored) in [
                (
                    r"pattern: 0|([1-9]\d{0,38})",
                    r"pattern: ^(0|([1-9]\d{0,38}))$",
                ),
                (
                    r"pattern: 0|([1-9]\d{0,128})",
                    r"pattern: ^(0|([1-9]\d{0,128}))$",
                ),
            ] {
                if item.ends_with(bare) {
                    return Rewrite::Replace(item.replace(bare, anchored));
                }
            }
            Rewrite::Keep
        },
    },
    Difference {
        name: "limits raised since: Tags up to 200 (kinesalite 10), TagKeys up to 50 (kinesalite \
               10), ListTagsForStream Limit up to 50 (kinesalite 10)",
        rewrite: |operation, item| {
            let raised = [
                ("AddTagsToStream", "' at 'tags' failed", 200),
                ("RemoveTagsFromStream", "' at 'tagKeys' failed", 50),
                ("ListTagsForStream", "' at 'limit' failed", 50),
            ];
            for (op, at, now) in raised {
                if operation == op
                    && item.contains(at)
                    && item.ends_with(" less than or equal to 10")
                {
                    let Some(kept) = item.strip_suffix("10") else {
                        continue;
                    };
                    // Kept only if the value also breaks the new limit.
                    let value = item
                        .split("Value '")
                        .nth(1)
                        .and_then(|v| v.split('\'').next())
                        .unwrap_or("");
                    let size = value.parse::<usize>().unwrap_or_else(|_| {
                        value.matches(", ").count() + usize::from(value.len() > 2)
                    });
                    return if size > now {
                        Rewrite::Replace(format!("{kept}{now}"))
                    } else {
                        Rewrite::Drop
                    };
                }
            }
            Rewrite::Keep
        },
    },
];

/// `lim=<n>` of a blob value.
fn blob_len(item: &str) -> Option<usize> {
    let rest = item.split("lim=").nth(1)?;
    rest.split(' ').next()?.parse().ok()
}

/// The difference in which of several type errors is named.
const ORDER_OF_TYPE_ERRORS: &str =
    "of several type errors, kinesalite names the first in a member \
     order of its own, the crate the first in model order";

/// kinesalite's answer brought to the current model; counts each difference used.
fn as_the_model_says(
    operation: &str,
    answer: Option<Answer>,
    used: &mut BTreeMap<&'static str, usize>,
) -> Option<Answer> {
    let answer = answer?;
    if answer.code != "ValidationException" {
        return Some(answer);
    }
    let mut items = BTreeSet::new();
    for item in &answer.items {
        let mut item = item.clone();
        let mut dropped = false;
        for difference in DIFFERENCES {
            match (difference.rewrite)(operation, &item) {
                Rewrite::Keep => {}
                Rewrite::Drop => {
                    *used.entry(difference.name).or_default() += 1;
                    dropped = true;
                    break;
                }
                Rewrite::Replace(new) => {
                    *used.entry(difference.name).or_default() += 1;
                    item = new;
                }
            }
        }
        if !dropped {
            items.insert(item);
        }
    }
    if items.is_empty() {
        return None;
    }
    let count = if answer.items.len() == answer.count {
        items.len()
    } else {
        answer.count
    };
    Some(Answer {
        code: answer.code,
        count,
        items,
    })
}

/// Every case: each operation's, and more than ten violations at once.
fn all_cases() -> Vec<Case> {
    let model = model();
    let mut all = Vec::new();
    for (operation, valid) in operations() {
        let op = Operation::from_name(operation).expect("a Kinesis operation");
        let body = valid.to_string();
        assert_eq!(
            ours(op, body.as_bytes()),
            None,
            "{operation}: the baseline is valid"
        );
        all.extend(cases(model, operation, &valid));
    }
    all.push(twelve_bad_entries());
    all
}

#[test]
fn kinesalite_refuses_what_the_crate_refuses_in_the_same_words() {
    let test = "kinesalite_refuses_what_the_crate_refuses_in_the_same_words";
    let Some(server) = kinesalite::start(test, &[]) else {
        return;
    };
    let host = server.host();
    let all = all_cases();

    let mut used = BTreeMap::new();
    let mut mismatches = Vec::new();
    let (mut compared, mut over_ten, mut refused_by_both, mut type_errors) = (0, 0, 0, 0);
    let mut singles: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for case in &all {
        let op = Operation::from_name(case.operation).expect("operation");
        let body = case.body.to_string();
        let ours = ours(op, body.as_bytes());
        let theirs = as_the_model_says(
            case.operation,
            theirs(&host, op, body.as_bytes()),
            &mut used,
        );
        if ours.as_ref().is_some_and(|a| a.count == 10) {
            over_ten += 1;
        }
        if ours.is_some() && ours == theirs {
            refused_by_both += 1;
            if ours
                .as_ref()
                .is_some_and(|a| a.code == "SerializationException")
            {
                type_errors += 1;
            }
        }
        // Several type errors at once: the service names one. kinesalite takes the first in a
        // member order of its own; the crate the first in model order (the order of the
        // body's members here, written sorted). A named difference: kinesalite's must be the
        // crate's answer for one of those members alone, which the cases before compared.
        if case.what == EVERY_TYPE_WRONG {
            let single: BTreeSet<String> = singles.get(case.operation).cloned().unwrap_or_default();
            let named = theirs.as_ref().and_then(|t| t.items.iter().next().cloned());
            let agrees = ours.as_ref().map(|a| &a.code) == theirs.as_ref().map(|t| &t.code)
                && named.is_some_and(|n| single.contains(&n));
            if agrees {
                *used.entry(ORDER_OF_TYPE_ERRORS).or_default() += 1;
            } else {
                mismatches.push(format!(
                    "{} / {}:\n  crate:      {ours:?}\n  kinesalite: {theirs:?}",
                    case.operation, case.what
                ));
            }
            compared += 1;
            continue;
        }
        if let Some(a) = ours.as_ref().filter(|a| a.code == "SerializationException") {
            let entry = singles.entry(case.operation).or_default();
            entry.extend(a.items.iter().cloned());
        }
        if ours != theirs {
            mismatches.push(format!(
                "{} / {}:\n  crate:      {ours:?}\n  kinesalite: {theirs:?}",
                case.operation, case.what
            ));
        }
        compared += 1;
    }
    eprintln!(
        "{compared} requests compared with kinesalite: {refused_by_both} refused by both in the \
         same words ({type_errors} type errors, {over_ten} with ten or more violations), {} with several type errors, the rest valid under \
         the model; \
         differences named: {used:?}",
        used.get(ORDER_OF_TYPE_ERRORS).copied().unwrap_or(0)
    );
    assert!(
        mismatches.is_empty(),
        "{} of {compared} differ:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    assert!(over_ten >= 1, "the more-than-ten case was compared");
    assert!(
        refused_by_both >= 120,
        "only {refused_by_both} refusals compared"
    );
    let names = DIFFERENCES
        .iter()
        .map(|d| d.name)
        .chain([ORDER_OF_TYPE_ERRORS]);
    for name in names {
        assert!(
            used.contains_key(name),
            "the named difference never showed: {name}"
        );
    }
}

/// The record data limit the model sets (10 MiB), checked by the crate alone: kinesalite
/// answers a body this large with a bare HTTP 413 before it validates.
#[test]
fn the_record_data_limit_is_the_models() {
    let at_limit = B64.encode(vec![7u8; 10 << 20]);
    let over = B64.encode(vec![7u8; (10 << 20) + 1]);
    let body =
        |data: &str| json!({"StreamName": "s1", "Data": data, "PartitionKey": "k"}).to_string();
    assert_eq!(ours(Operation::PutRecord, body(&at_limit).as_bytes()), None);
    let answer = ours(Operation::PutRecord, body(&over).as_bytes()).expect("refused");
    assert_eq!(
        answer.items.into_iter().collect::<Vec<_>>(),
        [
            "Value 'java.nio.HeapByteBuffer[pos=0 lim=10485761 cap=10485761]' at 'data' failed to \
          satisfy constraint: Member must have length less than or equal to 10485760"
        ]
    );
}

/// The same cases as CBOR bodies (`application/x-amz-cbor-1.1`): kinesalite decodes them and
/// validates as for JSON; the crate's `check_body` reads them as their JSON counterpart.
#[test]
fn kinesalite_answers_cbor_bodies_as_json_ones() {
    let test = "kinesalite_answers_cbor_bodies_as_json_ones";
    let Some(server) = kinesalite::start(test, &[]) else {
        return;
    };
    let host = server.host();
    let mut used = BTreeMap::new();
    let (mut compared, mut refused) = (0, 0);
    let mut mismatches = Vec::new();
    for case in all_cases().iter().filter(|c| c.what != EVERY_TYPE_WRONG) {
        let op = Operation::from_name(case.operation).expect("operation");
        let body = kinesis_codec::wire::to_cbor_vec(&case.body);
        let ours = ours_in(Protocol::Cbor, op, &body);
        let theirs = as_the_model_says(case.operation, theirs_cbor(&host, op, &body), &mut used);
        if ours != theirs {
            mismatches.push(format!(
                "{} / {}:\n  crate:      {ours:?}\n  kinesalite: {theirs:?}",
                case.operation, case.what
            ));
        }
        refused += usize::from(ours.is_some() && ours == theirs);
        compared += 1;
    }
    eprintln!("{compared} CBOR requests compared with kinesalite: {refused} refused by both in the same words");
    assert!(
        mismatches.is_empty(),
        "{} of {compared} differ:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    assert!(refused >= 300, "only {refused} refusals compared");
}

/// The error bodies themselves: for a type error and for a constraint error, the crate's answer
/// (`Error::from(&refusal)`) has kinesalite's members, spelled as kinesalite spells them
/// (`SerializationException` has `Message`, `ValidationException` `message`: spec/validation.md).
#[test]
fn refusal_bodies_have_kinesalites_members() {
    let test = "refusal_bodies_have_kinesalites_members";
    let Some(server) = kinesalite::start(test, &[]) else {
        return;
    };
    let host = server.host();
    let members = |body: &[u8]| -> BTreeSet<String> {
        let value: Value = serde_json::from_slice(body).expect("a JSON error body");
        value
            .as_object()
            .expect("an object")
            .keys()
            .cloned()
            .collect()
    };
    let cases = [
        (
            Operation::CreateStream,
            r#"{"StreamName":"s","ShardCount":"2"}"#,
            "SerializationException",
        ),
        (
            Operation::CreateStream,
            r#"{"StreamName":"","ShardCount":2}"#,
            "ValidationException",
        ),
    ];
    for (op, body, code) in cases {
        let refusal = Request::check_body(Protocol::Json, op, body.as_bytes()).expect_err(body);
        assert_eq!(refusal.code(), code);
        let ours = kinesis_codec::kinesis::Error::from(&refusal).to_vec_in(Protocol::Json);
        let theirs = kinesis_http::post(&host, Protocol::Json, op, body.as_bytes());
        assert_eq!(theirs.status, 400, "{}", theirs.text());
        assert_eq!(
            members(&ours),
            members(&theirs.body),
            "{code}: {}",
            String::from_utf8_lossy(&ours)
        );
    }
}

/// Whole-number members given as fractions or past an Integer's range: the service (kinesalite,
/// checked against it) reads `1.5` as 1, `-1.5` as -2 and `1e10` as 2^31 - 1, and judges that
/// value; `Request::check_body` does the same. A body valid once read so, the service takes and
/// the crate refuses (its parser reads whole numbers strictly: documented on
/// `Refusal::message`), as `SerializationException` with its own description.
#[test]
fn kinesalite_reads_whole_numbers_as_the_crate_does() {
    let test = "kinesalite_reads_whole_numbers_as_the_crate_does";
    let Some(server) = kinesalite::start(test, &[]) else {
        return;
    };
    let host = server.host();
    // (operation, body, whether the service takes it)
    let cases = [
        (
            "CreateStream",
            r#"{"StreamName":"f1","ShardCount":1.5}"#,
            true,
        ),
        (
            "CreateStream",
            r#"{"StreamName":"f2","ShardCount":0.5}"#,
            false,
        ),
        (
            "CreateStream",
            r#"{"StreamName":"f3","ShardCount":-1.5}"#,
            false,
        ),
        (
            "CreateStream",
            r#"{"StreamName":"f4","ShardCount":2.0}"#,
            true,
        ),
        ("ListStreams", r#"{"Limit":1e10}"#, false),
        ("ListStreams", r#"{"Limit":10000000000}"#, false),
        ("ListStreams", r#"{"Limit":99999999999999999999999}"#, false),
        (
            "ListShards",
            r#"{"StreamName":"f1","MaxResults":2.9}"#,
            true,
        ),
        (
            "GetRecords",
            r#"{"ShardIterator":"AAAA","Limit":0.99}"#,
            false,
        ),
        (
            "IncreaseStreamRetentionPeriod",
            r#"{"StreamName":"f1","RetentionPeriodHours":48.5}"#,
            true,
        ),
    ];
    let mut used = BTreeMap::new();
    for (operation, body, taken) in cases {
        let op = Operation::from_name(operation).expect("operation");
        let ours = ours(op, body.as_bytes());
        let theirs = as_the_model_says(operation, theirs(&host, op, body.as_bytes()), &mut used);
        if taken {
            assert_eq!(theirs, None, "{operation} {body}: kinesalite takes it");
            let ours = ours.expect("the crate refuses what it cannot parse");
            assert_eq!(ours.code, "SerializationException", "{operation} {body}");
        } else {
            assert!(ours.is_some(), "{operation} {body}: refused");
            assert_eq!(ours, theirs, "{operation} {body}");
        }
    }
}
