//! The service's argument checks (`InvalidArgumentException`, `Request::check_arguments`)
//! against two live peers: kinesalite 3.3.3 (npm; its texts were checked against the service)
//! and ferrokinesis 0.7.0 (crates.io), each run on a free port with a two-shard stream `s1`.
//!
//! Every case is a request that passes the model's constraints. It goes to both peers and to
//! the crate: the error type and message must be the same, or, for a request the crate takes,
//! the peer must take it too. Each case is sent twice: to `s1`, and to a stream that does not
//! exist, where the peer reports the missing stream first exactly when the crate's
//! [`ArgumentError::needs_stream`] says so.
//!
//! Where a peer differs, [`DIFFERENCES`] names it with the reason, and each must be seen at
//! least once (a difference that no longer shows is a failure). Not sent: `ListShards` with
//! only a `StreamARN` (neither peer reads `StreamARN` there; the service takes it as the
//! stream, as the crate does).

#![cfg(feature = "std")] // live peers over HTTP, requests signed with the clock

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

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use kinesis_codec::kinesis::{Operation, Request};
use kinesis_codec::validate::ArgumentError;
use kinesis_codec::wire::Protocol;
use serde_json::{json, Value};

/// An answer: the error type and message, or `None` for a request taken.
type Verdict = Option<(String, String)>;

const TOP: &str = "340282366920938463463374607431768211455"; // 2^128 - 1
const OVER: &str = "340282366920938463463374607431768211456"; // 2^128
const MISSING_STREAM: &str = "no-such-stream";
/// kinesalite answers a body over 7 MiB with a bare HTTP 413 while it is still being sent (its
/// `MAX_REQUEST_BYTES`), so its PutRecords size check, had it one, is out of reach: such
/// bodies are not sent to it, and the count of them is printed.
const KINESALITE_MAX_BODY: usize = 7 << 20;

/// One request that passes the model's constraints.
struct Case {
    what: &'static str,
    operation: &'static str,
    /// The body without `StreamName` (added per stream), or whole for `ListShards`.
    body: Value,
    /// Whether the body names the stream (`StreamName` added).
    on_stream: bool,
}

fn case(what: &'static str, operation: &'static str, body: Value) -> Case {
    Case {
        what,
        operation,
        body,
        on_stream: operation != "ListShards",
    }
}

/// `n` records of `size` bytes each, keys `k0`, `k1`, ...
fn records(n: usize, size: usize) -> Vec<Value> {
    let data = B64.encode(vec![b'x'; size]);
    (0..n)
        .map(|i| json!({"Data": data, "PartitionKey": format!("k{i}")}))
        .collect()
}

fn cases() -> Vec<Case> {
    let record = |key: &str| json!({"Data": "aGk=", "PartitionKey": "k", "ExplicitHashKey": key});
    let iterator =
        |kind: &str| json!({"ShardId": "shardId-000000000000", "ShardIteratorType": kind});
    let mut all = vec![
        case(
            "hash key 2^128",
            "PutRecord",
            json!({"Data": "aGk=", "PartitionKey": "k", "ExplicitHashKey": OVER}),
        ),
        case(
            "hash key 2^128 - 1",
            "PutRecord",
            json!({"Data": "aGk=", "PartitionKey": "k", "ExplicitHashKey": TOP}),
        ),
        case(
            "hash key 2^128 in the second of three records",
            "PutRecords",
            json!({"Records": [record("0"), record(OVER), record("999999999999999999999999999999999999999")]}),
        ),
        case(
            "hash keys 0 and 2^128 - 1",
            "PutRecords",
            json!({"Records": [record("0"), record(TOP)]}),
        ),
        case(
            "11 x 1,000,000 bytes (over 10 MiB)",
            "PutRecords",
            json!({"Records": records(11, 1_000_000)}),
        ),
        case(
            "6 x 1,000,000 bytes (over 5 MiB, under 10)",
            "PutRecords",
            json!({"Records": records(6, 1_000_000)}),
        ),
        case(
            "ListShards with neither stream nor token",
            "ListShards",
            json!({}),
        ),
        case(
            "ListShards with stream and token",
            "ListShards",
            json!({"StreamName": "s1", "NextToken": "AAAA"}),
        ),
        case(
            "ListShards with the stream",
            "ListShards",
            json!({"StreamName": "s1"}),
        ),
        case(
            "AT_SEQUENCE_NUMBER without a sequence number",
            "GetShardIterator",
            iterator("AT_SEQUENCE_NUMBER"),
        ),
        case(
            "AFTER_SEQUENCE_NUMBER without a sequence number",
            "GetShardIterator",
            iterator("AFTER_SEQUENCE_NUMBER"),
        ),
        case(
            "AT_TIMESTAMP without a timestamp",
            "GetShardIterator",
            iterator("AT_TIMESTAMP"),
        ),
        case(
            "TRIM_HORIZON alone",
            "GetShardIterator",
            iterator("TRIM_HORIZON"),
        ),
        case("LATEST alone", "GetShardIterator", iterator("LATEST")),
        case(
            "retention 23 hours (increase)",
            "IncreaseStreamRetentionPeriod",
            json!({"RetentionPeriodHours": 23}),
        ),
        case(
            "retention 1 hour (decrease)",
            "DecreaseStreamRetentionPeriod",
            json!({"RetentionPeriodHours": 1}),
        ),
        case(
            "retention 24 hours (increase)",
            "IncreaseStreamRetentionPeriod",
            json!({"RetentionPeriodHours": 24}),
        ),
        case(
            "tag value with '!'",
            "AddTagsToStream",
            json!({"Tags": {"k": "a!"}}),
        ),
        case(
            "tag key with '#'",
            "AddTagsToStream",
            json!({"Tags": {"k#": "v"}}),
        ),
        case(
            "tag key with '%'",
            "AddTagsToStream",
            json!({"Tags": {"k%": "v"}}),
        ),
        case(
            "tags of letters, digits, space and the marks",
            "AddTagsToStream",
            json!({"Tags": {"Kö 9_./=+-@": "é 日本"}}),
        ),
        case(
            "tag key to remove with '*'",
            "RemoveTagsFromStream",
            json!({"TagKeys": ["a*"]}),
        ),
        case(
            "tag keys to remove, all allowed",
            "RemoveTagsFromStream",
            json!({"TagKeys": ["a b", "c=d"]}),
        ),
    ];
    for kind in ["TRIM_HORIZON", "LATEST"] {
        let mut body = iterator(kind);
        body["StartingSequenceNumber"] =
            json!("49590338271490256608559692538361571095921575989136588898");
        all.push(case(
            if kind == "LATEST" {
                "LATEST with a sequence number"
            } else {
                "TRIM_HORIZON with a sequence number"
            },
            "GetShardIterator",
            body,
        ));
    }
    all
}

/// A peer's way with a case that is not the crate's.
struct Difference {
    name: &'static str,
    peer: &'static str,
    /// Whether this difference explains the peer's verdict `theirs` against the crate's `ours`.
    explains: fn(case: &Case, ours: &Verdict, theirs: &Verdict) -> bool,
}

fn is_ok(v: &Verdict) -> bool {
    v.is_none()
}

fn code_is(v: &Verdict, code: &str) -> bool {
    v.as_ref().is_some_and(|(c, _)| c == code)
}

/// Where the peers are not the service (the model, the limits of today, or their own texts).
const DIFFERENCES: &[Difference] = &[
    Difference {
        name:
            "ferrokinesis limits PutRecords to 5 MiB with a text of its own (the service's limit \
               is 10 MiB now; the texts it sent, seen in public reports, read \"Records size \
               exceeds 5 MB limit\", the form the crate keeps with the current limit)",
        peer: "ferrokinesis",
        explains: |case, ours, theirs| {
            case.operation == "PutRecords"
                && theirs.as_ref().is_some_and(|(c, m)| {
                    c == "InvalidArgumentException"
                        && m == "Records' total data + partition key payload exceeds 5242880 bytes"
                })
                && (is_ok(ours)
                    || code_is(ours, "ResourceNotFoundException")
                    || ours
                        .as_ref()
                        .is_some_and(|(_, m)| m == "Records size exceeds 10 MB limit"))
        },
    },
    Difference {
        name: "'%' in a tag passes the character check and is refused afterwards, with a text \
               naming the stream and the account (an emulator's own to write)",
        peer: "kinesalite",
        explains: |case, ours, theirs| {
            case.what == "tag key with '%'"
                && is_ok(ours)
                && theirs.as_ref().is_some_and(|(c, m)| {
                    c == "InvalidArgumentException"
                        && m.starts_with("Failed to add tags to stream ")
                        && m.contains("because some tags contained illegal characters")
                })
        },
    },
    Difference {
        name: "ferrokinesis refuses '%' in a tag with the character check's text, which lists '%' \
               as valid (kinesalite passes it there and refuses it afterwards)",
        peer: "ferrokinesis",
        explains: |case, ours, theirs| {
            case.what == "tag key with '%'"
                && is_ok(ours)
                && theirs.as_ref().is_some_and(|(c, m)| {
                    c == "InvalidArgumentException"
                        && m.starts_with("Some tags contain invalid characters.")
                })
        },
    },
    Difference {
        name: "ferrokinesis checks hash keys and retention periods before looking the stream up \
               (kinesalite, whose texts were checked against the service, after)",
        peer: "ferrokinesis",
        explains: |case, ours, theirs| {
            matches!(
                case.operation,
                "PutRecord"
                    | "PutRecords"
                    | "IncreaseStreamRetentionPeriod"
                    | "DecreaseStreamRetentionPeriod"
            ) && code_is(ours, "ResourceNotFoundException")
                && theirs.as_ref().is_some_and(|(c, m)| {
                    c == "InvalidArgumentException"
                        && (m.starts_with("Minimum allowed retention period")
                            || m.starts_with("Invalid ExplicitHashKey."))
                })
        },
    },
];

/// The crate's verdict on `body` sent for `stream` (`exists`: whether the peer has it).
fn ours(case: &Case, body: &[u8], exists: bool) -> Verdict {
    let op = Operation::from_name(case.operation).expect("a Kinesis operation");
    let request = Request::parse(op, body).unwrap_or_else(|e| panic!("{}: {e}", case.what));
    if let Err(e) = request.validate() {
        panic!("{}: the case breaks a constraint: {e}", case.what);
    }
    match request.check_arguments() {
        Err(e) if exists || !e.needs_stream() => Some((e.code().to_string(), e.to_string())),
        Err(_) => Some(("ResourceNotFoundException".into(), String::new())),
        Ok(()) if !exists && case.on_stream => {
            Some(("ResourceNotFoundException".into(), String::new()))
        }
        Ok(()) => None,
    }
}

/// A peer's verdict. A missing stream's message is left out (each peer words it its own way).
fn theirs(host: &str, operation: &str, body: &[u8]) -> Verdict {
    let op = Operation::from_name(operation).expect("a Kinesis operation");
    let answer = kinesis_http::post(host, Protocol::Json, op, body);
    if answer.status == 200 {
        return None;
    }
    let Ok(error) = serde_json::from_slice::<Value>(&answer.body) else {
        return Some((format!("HTTP {}", answer.status), answer.text()));
    };
    let code = error["__type"].as_str().unwrap_or_default();
    let code = code.rsplit('#').next().unwrap_or(code).to_string();
    let message = error["message"]
        .as_str()
        .or(error["Message"].as_str())
        .unwrap_or_default();
    let message = if code == "ResourceNotFoundException" {
        String::new()
    } else {
        message.to_string()
    };
    Some((code, message))
}

/// Creates `s1` with two shards and waits until it is ACTIVE.
fn create_stream(host: &str) {
    let answer = kinesis_http::post(
        host,
        Protocol::Json,
        Operation::CreateStream,
        br#"{"StreamName":"s1","ShardCount":2}"#,
    );
    assert_eq!(answer.status, 200, "CreateStream: {}", answer.text());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let answer = kinesis_http::post(
            host,
            Protocol::Json,
            Operation::DescribeStreamSummary,
            br#"{"StreamName":"s1"}"#,
        );
        let summary: Value = serde_json::from_slice(&answer.body).unwrap_or_default();
        if summary["StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE" {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "s1 is not ACTIVE: {}",
            answer.text()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_peers_refuse_the_arguments_the_crate_refuses_in_the_same_words() {
    let test = "the_peers_refuse_the_arguments_the_crate_refuses_in_the_same_words";
    let Some(kinesalite) = kinesalite::start(test, &["--createStreamMs", "0"]) else {
        return;
    };
    // Its default body limit is 7 MiB, as kinesalite's: 11 MB of records is 15 MB of base64.
    let Some(ferrokinesis) = ferrokinesis::start_with(test, &["--max-request-body-mb", "32"])
    else {
        return;
    };
    let peers = [
        ("kinesalite", kinesalite.host()),
        ("ferrokinesis", ferrokinesis.host()),
    ];
    for (_, host) in &peers {
        create_stream(host);
    }

    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut agreed, mut refused_alike, mut not_sent) = (0, 0, 0);
    let mut mismatches = Vec::new();
    for case in cases() {
        for (stream, exists) in [("s1", true), (MISSING_STREAM, false)] {
            let mut body = case.body.clone();
            if case.on_stream {
                body["StreamName"] = json!(stream);
            } else if !exists {
                continue; // ListShards: the stream is part of the case
            }
            let body = body.to_string();
            let ours = ours(&case, body.as_bytes(), exists);
            for (peer, host) in &peers {
                if *peer == "kinesalite" && body.len() > KINESALITE_MAX_BODY {
                    not_sent += 1;
                    continue;
                }
                let theirs = theirs(host, case.operation, body.as_bytes());
                if theirs == ours {
                    agreed += 1;
                    refused_alike += usize::from(code_is(&ours, "InvalidArgumentException"));
                    continue;
                }
                match DIFFERENCES.iter().find(|d| {
                    (d.peer == *peer || d.peer == "both") && (d.explains)(&case, &ours, &theirs)
                }) {
                    Some(d) => *seen.entry(d.name).or_default() += 1,
                    None => mismatches.push(format!(
                        "{peer}, {} ({stream}):\n  crate: {ours:?}\n  {peer}: {theirs:?}",
                        case.what
                    )),
                }
            }
        }
    }
    eprintln!(
        "argument checks: {agreed} answers agreed ({refused_alike} the same InvalidArgumentException), \
         not sent to kinesalite (its 7 MiB body limit): {not_sent}, named differences: {seen:?}"
    );
    assert!(
        mismatches.is_empty(),
        "{} disagreements:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    for d in DIFFERENCES {
        assert!(
            seen.contains_key(d.name),
            "a named difference no longer shows: {}",
            d.name
        );
    }
    assert!(
        refused_alike >= 20,
        "too few refusals compared: {refused_alike}"
    );
}

/// The answers an emulator sends, in both protocols, carry the text.
#[test]
fn argument_errors_serialize_as_the_service_sends_them() {
    let body = format!(
        r#"{{"StreamName":"s","Data":"aGk=","PartitionKey":"k","ExplicitHashKey":"{OVER}"}}"#
    );
    let request = Request::parse(Operation::PutRecord, body.as_bytes()).expect("parses");
    let error = request.check_arguments().expect_err("out of range");
    assert_eq!(
        error,
        ArgumentError::ExplicitHashKeyOutOfRange { value: OVER }
    );
    let answer = kinesis_codec::kinesis::Error::from(&error);
    for protocol in [Protocol::Json, Protocol::Cbor] {
        let bytes = answer.to_vec_in(protocol);
        let back =
            kinesis_codec::kinesis::Error::parse_in(protocol, &bytes, Some(400)).expect("parses");
        assert_eq!(back.code(), "InvalidArgumentException");
        assert_eq!(back.message(), Some(error.to_string().as_str()));
    }
}
