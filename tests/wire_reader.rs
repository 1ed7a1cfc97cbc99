//! The crate's JSON reader (`src/wire/reader.rs`) against `serde_json`, on every body of the
//! botocore and moto corpora and on tens of thousands of mutations of them.
//!
//! The typed API reads a body with the crate's reader first and falls back to `serde_json`
//! for what the reader leaves alone and for every error. Its claim: wherever the reader
//! succeeds, `serde_json` succeeds with the same value. Checked three ways for each body:
//! - `parse` (reader, then `serde_json`) gives exactly what `serde_json` alone gives: the same
//!   value and the same re-serialized bytes, or the same `WireError`;
//! - whenever the reader alone succeeds, `serde_json` alone succeeds with an equal value;
//! - the reader alone reads nearly all of the corpus (else the fast path would be untested).
#![cfg(feature = "alloc")]

mod wire_canon;

use kinesis_codec::wire::{BodyParser, Json, ReaderOnly, SerdeJsonOnly, WireError};
use wire_canon::{read_cases, root, Case};

/// One parse, reduced to what must agree: the value's serialization, or the error.
#[derive(Debug, PartialEq)]
enum Outcome {
    Value { debug: String, bytes: Vec<u8> },
    Error(WireError),
}

macro_rules! parse_service {
    ($name:ident, $svc:ident) => {
        fn $name<P: BodyParser>(case: &Case, body: &[u8]) -> Outcome {
            use kinesis_codec::$svc::{Error, Operation, Request, Response};
            let op = Operation::from_name(&case.operation).expect("known operation");
            let result = match case.kind.as_str() {
                "request" => {
                    Request::parse_with::<P>(op, body).map(|v| (format!("{v:?}"), v.to_vec()))
                }
                "response" => {
                    Response::parse_with::<P>(op, body).map(|v| (format!("{v:?}"), v.to_vec()))
                }
                "error" => Error::parse_with::<P>(body, case.status)
                    .map(|v| (format!("{v:?}"), v.to_vec())),
                "event" => event::<P>(body),
                other => panic!("unknown kind {other}"),
            };
            match result {
                Ok((debug, bytes)) => Outcome::Value { debug, bytes },
                Err(e) => Outcome::Error(e),
            }
        }
    };
}

parse_service!(parse_kinesis, kinesis);
parse_service!(parse_firehose, firehose);

fn event<P: BodyParser>(body: &[u8]) -> Result<(String, Vec<u8>), WireError> {
    use kinesis_codec::kinesis::shapes::SubscribeToShardEvent;
    let v: SubscribeToShardEvent<'_> = P::parse(body)?;
    Ok((format!("{v:?}"), kinesis_codec::wire::to_vec(&v)))
}

fn parse<P: BodyParser>(case: &Case, body: &[u8]) -> Outcome {
    match case.service.as_str() {
        "kinesis" => parse_kinesis::<P>(case, body),
        "firehose" => parse_firehose::<P>(case, body),
        other => panic!("unknown service {other}"),
    }
}

/// The corpora: botocore's generated bodies and moto's captures.
fn corpus() -> Vec<Case> {
    let dir = root().join("tests/data/wire");
    let mut cases = Vec::new();
    for file in [
        "botocore/kinesis.jsonl",
        "botocore/firehose.jsonl",
        "moto/kinesis.jsonl",
        "moto/firehose.jsonl",
    ] {
        cases.extend(read_cases(&dir.join(file)));
    }
    assert!(cases.len() > 2000, "corpus too small: {}", cases.len());
    cases
}

/// What the reader and serde_json did with one body, for the tallies.
#[derive(Default, Debug)]
struct Tally {
    bodies: usize,
    serde_ok: usize,
    reader_ok: usize,
}

/// Checks one body; panics with the body on any disagreement.
fn check(case: &Case, body: &[u8], tally: &mut Tally) {
    let combined = parse::<Json>(case, body);
    let reference = parse::<SerdeJsonOnly>(case, body);
    let reader = parse::<ReaderOnly>(case, body);
    let shown = || String::from_utf8_lossy(body).into_owned();
    assert_eq!(
        combined,
        reference,
        "{} ({}): parse differs from serde_json on {}",
        case.id,
        case.kind,
        shown()
    );
    tally.bodies += 1;
    if matches!(reference, Outcome::Value { .. }) {
        tally.serde_ok += 1;
    }
    if let Outcome::Value { .. } = reader {
        tally.reader_ok += 1;
        assert_eq!(
            reader,
            reference,
            "{} ({}): the reader accepted what serde_json reads otherwise: {}",
            case.id,
            case.kind,
            shown()
        );
    }
}

#[test]
fn reader_agrees_with_serde_json_on_the_corpora() {
    let mut tally = Tally::default();
    for case in corpus() {
        check(&case, case.body.as_bytes(), &mut tally);
    }
    eprintln!("corpus: {tally:?}");
    // Cases botocore or moto produced but the shapes refuse are the `expect_error` ones.
    assert!(tally.serde_ok > 2000, "{tally:?}");
    // The bodies the reader leaves to serde_json are the odd forms (`-0`, long floats, escapes
    // in blobs...); nearly every body takes the fast path.
    assert!(
        tally.reader_ok * 100 >= tally.serde_ok * 95,
        "the reader reads too little: {tally:?}"
    );
}

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// JSON fragments that stress the reader's edges: numbers it must classify as serde_json does
/// or leave alone, escapes, literals, structure, bytes that are not JSON.
const FRAGMENTS: &[&str] = &[
    " ",
    "\n",
    "\t",
    "\"",
    "\\",
    ",",
    ":",
    "[",
    "]",
    "{",
    "}",
    "null",
    "true",
    "false",
    "0",
    "-0",
    "-0.0",
    "1e3",
    "1E+3",
    "1.5e-3",
    "1.0",
    "0.1",
    "-1",
    "00",
    "01",
    "1.",
    ".5",
    "1e",
    "1e+",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "9007199254740993",
    "1.7976931348623157e308",
    "1e309",
    "1e-400",
    "123456789012345678901234567890",
    "1441215410.867",
    "1.441215410867E9",
    "\\u0041",
    "\\u00e9",
    "\\ud83d\\ude00",
    "\\ud83d",
    "\\udc00",
    "\\/",
    "\\n",
    "\\x",
    "\\u12",
    "\u{e9}",
    "\u{1f600}",
    "\u{1}",
    "\u{7f}",
    "=",
    "==",
    "AAAA",
    "+/+/",
];

/// A variant of `body`: a fragment replacing, inserted into, or cut at a random place; or a
/// letter inside a string written as a `\u` escape.
fn mutate(body: &[u8], rng: &mut Rng) -> Vec<u8> {
    let at = rng.below(body.len() + 1);
    let mut out = body[..at].to_vec();
    match rng.below(5) {
        0 => out.extend_from_slice(rng.pick(FRAGMENTS).as_bytes()),
        1 => {
            out.extend_from_slice(rng.pick(FRAGMENTS).as_bytes());
            out.extend_from_slice(body.get(at + 1..).unwrap_or_default());
            return out;
        }
        2 => return out, // truncated
        3 => {
            // Escape the next ASCII letter (inside a string, an equivalent spelling; outside,
            // an error).
            if let Some(i) = body[at..].iter().position(u8::is_ascii_alphabetic) {
                out.extend_from_slice(&body[at..at + i]);
                out.extend_from_slice(format!("\\u{:04x}", body[at + i]).as_bytes());
                out.extend_from_slice(&body[at + i + 1..]);
                return out;
            }
        }
        _ => {
            // Replace the next number with another number form.
            let numbers = [
                "-0",
                "1E2",
                "1.0",
                "0.5",
                "1e400",
                "-1",
                "2.5e-1",
                "18446744073709551616",
                "4.0e0",
            ];
            if let Some(i) = body[at..].iter().position(u8::is_ascii_digit) {
                let start = at + i;
                let len = body[start..]
                    .iter()
                    .position(|b| !matches!(b, b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-'))
                    .unwrap_or(body.len() - start);
                out.extend_from_slice(&body[at..start]);
                out.extend_from_slice(rng.pick(&numbers).as_bytes());
                out.extend_from_slice(&body[start + len..]);
                return out;
            }
        }
    }
    out.extend_from_slice(&body[at..]);
    out
}

#[test]
fn reader_agrees_with_serde_json_on_mutated_bodies() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut tally = Tally::default();
    for case in corpus() {
        let body = case.body.as_bytes();
        for _ in 0..24 {
            let mut variant = mutate(body, &mut rng);
            if rng.below(3) == 0 {
                variant = mutate(&variant, &mut rng);
            }
            check(&case, &variant, &mut tally);
        }
        // The same body pretty-printed (whitespace everywhere, numbers rewritten by serde_json).
        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) {
            check(
                &case,
                serde_json::to_string_pretty(&v).unwrap().as_bytes(),
                &mut tally,
            );
        }
    }
    eprintln!("mutations: {tally:?}");
    // The mutations must reach both outcomes often, or they test little.
    assert!(tally.reader_ok > tally.bodies / 5, "{tally:?}");
    assert!(tally.serde_ok < tally.bodies * 9 / 10, "{tally:?}");
}
