//! Every body of the botocore and moto corpora (`tests/data/wire/`) through the typed API of
//! `kinesis_codec::{kinesis, firehose}`: parse, re-serialize, compare semantically with what
//! botocore made of the same body (or with moto's original body), re-parse the output to the
//! same typed value. Negative cases must fail with a `WireError` naming the JSON path.
//!
//! The comparison walks the service model from `tests/model/` (see `tests/wire_canon/mod.rs`), not
//! the generated shapes, so the expected side owes nothing to the code under test.
//!
//! `moto_fresh_capture_parses` also reruns `tests/peers/moto_capture.py` into a temporary
//! directory (moto's ids and clocks change each run) and checks those bodies the same way.
#![cfg(feature = "alloc")]

#[path = "common/peers.rs"]
mod peers;
mod wire_canon;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use wire_canon::{
    body_shape, check_error_output, json_of, ours_canonical, Case, Model, Parsed, Ts, Unknown,
};

/// Parses with the typed API, re-serializes, re-parses the output and checks the two typed
/// values are equal. `Err` = the parse error's Display (or a round-trip failure, prefixed
/// `ROUND TRIP`).
macro_rules! service_api {
    ($fn_name:ident, $svc:ident) => {
        fn $fn_name(case: &Case) -> Result<Parsed, String> {
            use kinesis_codec::$svc::{Error, Operation, Request, Response};
            let op = Operation::from_name(&case.operation).ok_or_else(|| {
                format!(
                    "ROUND TRIP: Operation::from_name({:?}) is None",
                    case.operation
                )
            })?;
            assert_eq!(op.name(), case.operation);
            let body = case.body.as_bytes();
            match case.kind.as_str() {
                "request" => {
                    let v = Request::parse(op, body).map_err(|e| e.to_string())?;
                    assert_eq!(v.operation(), op);
                    let out = v.to_vec();
                    let again = Request::parse(op, &out)
                        .map_err(|e| format!("ROUND TRIP: our output does not parse: {e}"))?;
                    if again != v {
                        return Err(format!("ROUND TRIP: re-parse differs:\n{again:?}\n{v:?}"));
                    }
                    Ok(Parsed::Body(out))
                }
                "response" => {
                    let v = Response::parse(op, body).map_err(|e| e.to_string())?;
                    assert_eq!(v.operation(), op);
                    let out = v.to_vec();
                    let again = Response::parse(op, &out)
                        .map_err(|e| format!("ROUND TRIP: our output does not parse: {e}"))?;
                    if again != v {
                        return Err(format!("ROUND TRIP: re-parse differs:\n{again:?}\n{v:?}"));
                    }
                    Ok(Parsed::Body(out))
                }
                "error" => {
                    let v = Error::parse(body, case.status).map_err(|e| e.to_string())?;
                    let out = v.to_vec();
                    let again = Error::parse(&out, case.status)
                        .map_err(|e| format!("ROUND TRIP: our output does not parse: {e}"))?;
                    if again != v {
                        return Err(format!("ROUND TRIP: re-parse differs:\n{again:?}\n{v:?}"));
                    }
                    Ok(Parsed::Error {
                        code: v.code().to_string(),
                        message: v.message().map(str::to_string),
                        body: out,
                    })
                }
                "event" => event::$svc(body),
                other => Err(format!("ROUND TRIP: unknown kind {other}")),
            }
        }
    };
}

service_api!(kinesis_api, kinesis);
service_api!(firehose_api, firehose);

mod event {
    use super::Parsed;

    /// A SubscribeToShardEvent payload through the generated shape.
    pub fn kinesis(body: &[u8]) -> Result<Parsed, String> {
        use kinesis_codec::kinesis::shapes::SubscribeToShardEvent;
        let v: SubscribeToShardEvent<'_> =
            serde_json::from_slice(body).map_err(|e| e.to_string())?;
        let out = serde_json::to_vec(&v).map_err(|e| format!("ROUND TRIP: serialize: {e}"))?;
        let again: SubscribeToShardEvent<'_> = serde_json::from_slice(&out)
            .map_err(|e| format!("ROUND TRIP: our output does not parse: {e}"))?;
        if again != v {
            return Err(format!("ROUND TRIP: re-parse differs:\n{again:?}\n{v:?}"));
        }
        Ok(Parsed::Body(out))
    }

    pub fn firehose(_body: &[u8]) -> Result<Parsed, String> {
        Err("ROUND TRIP: Firehose has no events".to_string())
    }
}

fn api(case: &Case) -> Result<Parsed, String> {
    match case.service.as_str() {
        "kinesis" => kinesis_api(case),
        "firehose" => firehose_api(case),
        other => Err(format!("unknown service {other}")),
    }
}

/// Checks one botocore case through the typed API.
fn check_botocore(model: &Model, case: &Case) -> Result<(), String> {
    wire_canon::compare_with_botocore(model, case, api(case))
}

/// Checks one moto body: our re-serialization means what moto's body means.
fn check_moto(model: &Model, case: &Case) -> Result<(), String> {
    let original = json_of(case.body.as_bytes())?;
    match api(case)? {
        Parsed::Body(out) => {
            let ours = ours_canonical(model, case, &out)?;
            let want = match body_shape(model, case) {
                Some(shape) => model.canon(&shape, &original, Ts::Seconds, Unknown::Drop)?,
                None => Value::Object(Default::default()),
            };
            match wire_canon::first_difference(&ours, &want, "") {
                None => Ok(()),
                Some(d) => Err(format!("{d}\n  ours: {}", String::from_utf8_lossy(&out))),
            }
        }
        Parsed::Error {
            code,
            message,
            body,
        } => {
            let t = original
                .get("__type")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let want_code = wire_canon::type_to_code(t);
            if code != want_code {
                return Err(format!("code(): ours {code:?}, moto's __type {t:?}"));
            }
            let want_msg = wire_canon::body_message(&original);
            if message.as_deref().unwrap_or("") != want_msg {
                return Err(format!("message(): ours {message:?}, moto {want_msg:?}"));
            }
            let want = wire_canon::error_members(model, &code, &original, Unknown::Drop)?;
            check_error_output(model, &code, &message, &body, &want)
        }
    }
}

/// Runs `check` over every case of the files; prints counts per service/kind; panics with every
/// failure.
fn run(files: &[&Path], check: fn(&Model, &Case) -> Result<(), String>) -> usize {
    let models: BTreeMap<&str, Model> = [
        ("kinesis", Model::load("kinesis")),
        ("firehose", Model::load("firehose")),
    ]
    .into_iter()
    .collect();
    let mut counts: BTreeMap<(String, String, &str), usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut total = 0;
    for file in files {
        let cases = wire_canon::read_cases(file);
        assert!(!cases.is_empty(), "{} has no cases", file.display());
        for case in cases {
            total += 1;
            let model = &models[case.service.as_str()];
            let outcome = if case.expect_error {
                "rejected"
            } else {
                "passed"
            };
            match check(model, &case) {
                Ok(()) => {
                    *counts
                        .entry((case.service.clone(), case.kind.clone(), outcome))
                        .or_default() += 1
                }
                Err(msg) => {
                    *counts
                        .entry((case.service.clone(), case.kind.clone(), "FAILED"))
                        .or_default() += 1;
                    failures.push(format!("{}: {msg}\n  body: {}", case.id, case.body));
                }
            }
        }
    }
    for ((service, kind, outcome), n) in &counts {
        eprintln!("{service:9} {kind:9} {outcome:9} {n}");
    }
    if !failures.is_empty() {
        let shown: Vec<&String> = failures.iter().take(40).collect();
        panic!(
            "{} of {total} cases failed (first {}):\n\n{}",
            failures.len(),
            shown.len(),
            shown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n\n")
        );
    }
    total
}

#[test]
fn botocore_corpus() {
    let dir = wire_canon::root().join("tests/data/wire/botocore");
    let n = run(
        &[&dir.join("kinesis.jsonl"), &dir.join("firehose.jsonl")],
        check_botocore,
    );
    assert!(n > 2000, "only {n} cases");
}

#[test]
fn moto_corpus() {
    let dir = wire_canon::root().join("tests/data/wire/moto");
    let n = run(
        &[&dir.join("kinesis.jsonl"), &dir.join("firehose.jsonl")],
        check_moto,
    );
    assert!(n > 100, "only {n} cases");
}

/// Every operation of both models has request, response and error cases in the botocore corpus.
#[test]
fn botocore_corpus_covers_every_operation() {
    let dir = wire_canon::root().join("tests/data/wire/botocore");
    for service in ["kinesis", "firehose"] {
        let model = Model::load(service);
        let cases = wire_canon::read_cases(&dir.join(format!("{service}.jsonl")));
        for op in model.operations.keys() {
            for kind in ["request", "response", "error"] {
                let streaming = op == "SubscribeToShard" && kind == "response";
                let n = cases
                    .iter()
                    .filter(|c| &c.operation == op && c.kind == kind)
                    .count();
                assert!(streaming || n > 0, "{service} {op}: no {kind} case");
            }
        }
    }
}

/// A fresh moto run (ids and clocks differ from the committed capture) parses the same way.
#[test]
fn moto_fresh_capture_parses() {
    let dir = std::env::temp_dir().join(format!("kinesis-codec-moto-{}", std::process::id()));
    let args = [std::ffi::OsStr::new("--out"), dir.as_os_str()];
    if peers::run_script("moto_fresh_capture_parses", "moto_capture.py", &args).is_none() {
        return;
    }
    let n = run(
        &[&dir.join("kinesis.jsonl"), &dir.join("firehose.jsonl")],
        check_moto,
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(n > 100, "only {n} cases");
}

/// The botocore corpus is what the generator makes today (botocore and the models unchanged).
#[test]
fn botocore_corpus_is_fresh() {
    let args = [std::ffi::OsStr::new("--check")];
    peers::run_script("botocore_corpus_is_fresh", "gen_wire_corpus.py", &args);
}
