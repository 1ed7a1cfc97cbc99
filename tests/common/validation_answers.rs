//! A validation answer of the crate or of a live peer (kinesalite, ferrokinesis), brought to a
//! form the tests compare: the error type, and the message split into its count prefix and its
//! items (a set: the service lists them in no fixed order), hashes left out.

#![allow(dead_code)] // each test binary uses part of it

use std::collections::BTreeSet;

use kinesis_codec::kinesis::{Operation, Request};
use kinesis_codec::wire::Protocol;
use serde_json::Value;

use crate::kinesis_http;

/// An answer: the error type and the message split into count prefix and items.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub code: String,
    pub count: usize,
    pub items: BTreeSet<String>,
}

/// `<class>@<hash>` with the hash left out: spec/validation.md, "an emulator may choose any
/// stable hash; match the prefix".
pub fn without_hashes(item: &str) -> String {
    let mut out = String::new();
    let mut rest = item;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..=at]);
        rest = rest[at + 1..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
        out.push_str("<hash>");
    }
    out.push_str(rest);
    out
}

/// An error type and message as an [`Answer`]: a `ValidationException` listing its violations
/// is split into the count and the items; any other message is one item, compared whole.
pub fn split(code: &str, message: &str) -> Answer {
    let (count, items) = match message.split_once(" detected: ") {
        Some((prefix, rest)) if code == "ValidationException" => {
            let n = prefix
                .split(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            (n, rest.split("; ").map(without_hashes).collect())
        }
        // A type error: one message, compared whole.
        _ => (0, BTreeSet::from([message.to_string()])),
    };
    Answer {
        code: code.to_string(),
        count,
        items,
    }
}

/// The crate's answer to a JSON body; `None` for a valid request.
pub fn ours(operation: Operation, body: &[u8]) -> Option<Answer> {
    ours_in(Protocol::Json, operation, body)
}

/// The crate's answer to a body in `protocol`.
pub fn ours_in(protocol: Protocol, operation: Operation, body: &[u8]) -> Option<Answer> {
    Request::check_body(protocol, operation, body)
        .err()
        .map(|r| split(r.code(), r.message()))
}

/// The peer's answer to a JSON body; `None` when it found nothing to validate against (it went
/// on to the stream: `ResourceNotFoundException` and the like, or success).
pub fn theirs(host: &str, operation: Operation, body: &[u8]) -> Option<Answer> {
    let answer = kinesis_http::post(host, Protocol::Json, operation, body);
    if answer.status == 200 {
        return None;
    }
    let Ok(error) = serde_json::from_slice::<Value>(&answer.body) else {
        let code = format!(
            "HTTP {} without a JSON body: {:?}",
            answer.status,
            answer.text()
        );
        return Some(Answer {
            code,
            count: 0,
            items: BTreeSet::new(),
        });
    };
    let code = error["__type"].as_str().unwrap_or_default();
    let code = code.rsplit('#').next().unwrap_or(code);
    let message = error["message"]
        .as_str()
        .or(error["Message"].as_str())
        .unwrap_or_default();
    match code {
        "ValidationException" | "SerializationException" => Some(split(code, message)),
        _ => None,
    }
}

/// The peer's answer to a CBOR body (in CBOR).
pub fn theirs_cbor(host: &str, operation: Operation, body: &[u8]) -> Option<Answer> {
    let answer = kinesis_http::post(host, Protocol::Cbor, operation, body);
    if answer.status == 200 {
        return None;
    }
    let error =
        kinesis_codec::kinesis::Error::parse_in(Protocol::Cbor, &answer.body, Some(answer.status))
            .unwrap_or_else(|e| panic!("the peer's CBOR answer: {e}: {}", answer.text()));
    match error.code() {
        code @ ("ValidationException" | "SerializationException") => {
            Some(split(code, error.message().unwrap_or_default()))
        }
        _ => None,
    }
}
