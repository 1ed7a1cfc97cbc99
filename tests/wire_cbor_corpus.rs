//! Every body of the wire corpus (`tests/data/wire/`, botocore's and moto's) in CBOR, through the
//! typed API of `kinesis_codec::{kinesis, firehose}` with `Protocol::Cbor` (`spec/cbor.md`).
//!
//! The CBOR bytes come from `tests/peers/cbor_corpus.py` (cbor2, driven by the service model read
//! from `tests/model/`, not by the crate): the form the AWS SDK for Java writes, and the tolerant
//! forms a reader must also take. For each case:
//!
//! - the Java form parses to the typed value the JSON body parses to, and `to_vec_in(Cbor)`
//!   writes exactly the Java form back (errors: the same code and message as well);
//! - JSON → typed → CBOR → typed → JSON gives JSON → typed → JSON, and CBOR → typed → JSON →
//!   typed → CBOR gives the Java form;
//! - each tolerant form parses to the Java form's typed value;
//! - a negative case (`expect_error`) converted to CBOR fails too, naming the same path.
//!
//! `records_reader_is_the_serde_reader` holds `kinesis::records`' direct CBOR reader of
//! GetRecords answers and SubscribeToShard events to the serde reader, on every form of those
//! cases and on every truncation and many byte flips of their Java form.
//!
//! `timestamps_are_milliseconds` checks one 2024 instant in every timestamp form against what
//! cbor2 (which reads tag 1 as RFC 8949's seconds) makes of it.
#![cfg(feature = "alloc")]

#[path = "common/peers.rs"]
mod peers;
mod wire_canon;

use base64::Engine as _;
use kinesis_codec::wire::Protocol::{self, Cbor, Json};
use kinesis_codec::wire::{ParseOptions, WireError};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;
use std::sync::OnceLock;
use wire_canon::Case;

/// The corpus files, by the `source` name the script gives them, with their service.
const SOURCES: [(&str, &str); 4] = [
    ("botocore/kinesis", "kinesis"),
    ("moto/kinesis", "kinesis"),
    ("botocore/firehose", "firehose"),
    ("moto/firehose", "firehose"),
];

/// The tolerant forms the script writes (see its docs); each must occur.
const TOLERANT_FORMS: [&str; 12] = [
    "indefinite",
    "chunked",
    "blob-text",
    "wide-ints",
    "small-floats",
    "nulls",
    "ts-ms",
    "ts-seconds",
    "ts-tag-float",
    "no-type",
    "as-sent",
    "all",
];

/// Negative cases with nothing to convert: the body holds no JSON value at all.
const NEGATIVE_EXCLUDED: [&str; 1] = ["kinesis/ListStreams/request/reject-not-json"];

/// One line of the script's output.
struct Line {
    source: String,
    id: String,
    form: String,
    cbor: Option<Vec<u8>>,
    skipped: Option<String>,
}

/// The corpus cases, by `(source, id)`.
fn cases() -> &'static HashMap<(String, String), Case> {
    static CASES: OnceLock<HashMap<(String, String), Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let mut all = HashMap::new();
        for (source, _) in SOURCES {
            let path = wire_canon::root().join(format!("tests/data/wire/{source}.jsonl"));
            for case in wire_canon::read_cases(&path) {
                let key = (source.to_string(), case.id.clone());
                assert!(all.insert(key, case).is_none(), "{source}: an id twice");
            }
        }
        all
    })
}

/// The script's lines for the whole corpus (run once per test binary); `None` when the peers
/// are skipped.
fn converted(test: &str) -> Option<&'static [Line]> {
    static LINES: OnceLock<Option<Vec<Line>>> = OnceLock::new();
    let lines = LINES.get_or_init(|| {
        let mut lines = Vec::new();
        for (service, model) in [
            ("kinesis", "kinesis-2013-12-02.json"),
            ("firehose", "firehose-2015-08-04.json"),
        ] {
            let model = format!("tests/model/{model}");
            let botocore = format!("tests/data/wire/botocore/{service}.jsonl");
            let moto = format!("tests/data/wire/moto/{service}.jsonl");
            let args = ["corpus", &model, &botocore, &moto].map(std::ffi::OsStr::new);
            let out = peers::run_script(test, "cbor_corpus.py", &args)?;
            for text in String::from_utf8(out.stdout).unwrap().lines() {
                let v: Value = serde_json::from_str(text).unwrap();
                let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
                lines.push(Line {
                    source: s("source").unwrap(),
                    id: s("id").unwrap(),
                    form: s("form").unwrap(),
                    cbor: s("cbor_base64")
                        .map(|b| base64::engine::general_purpose::STANDARD.decode(b).unwrap()),
                    skipped: s("skipped"),
                });
            }
        }
        Some(lines)
    });
    lines.as_deref()
}

fn case_of(line: &Line) -> &'static Case {
    cases()
        .get(&(line.source.clone(), line.id.clone()))
        .unwrap_or_else(|| panic!("{} {}: not in the corpus", line.source, line.id))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A kind of typed body (request, response, error, event of one service), in either protocol.
trait Kind {
    type T<'b>: Debug;
    fn parse<'b>(p: Protocol, case: &Case, body: &'b [u8]) -> Result<Self::T<'b>, WireError>;
    fn write(t: &Self::T<'_>, p: Protocol) -> Vec<u8>;
    fn same(a: &Self::T<'_>, b: &Self::T<'_>) -> bool;
    /// For errors: the code and the message.
    fn code_message(_t: &Self::T<'_>) -> Option<(String, Option<String>)> {
        None
    }
}

macro_rules! kinds {
    ($svc:ident, $request:ident, $response:ident, $error:ident) => {
        mod $svc {
            use super::{Case, Kind, Protocol, WireError};
            use kinesis_codec::$svc::{Error, Operation, Request, Response};

            fn op(case: &Case) -> Operation {
                Operation::from_name(&case.operation)
                    .unwrap_or_else(|| panic!("{}: no operation {}", case.id, case.operation))
            }

            pub struct $request;
            impl Kind for $request {
                type T<'b> = Request<'b>;
                fn parse<'b>(
                    p: Protocol,
                    case: &Case,
                    body: &'b [u8],
                ) -> Result<Request<'b>, WireError> {
                    Request::parse_in(p, op(case), body)
                }
                fn write(t: &Request<'_>, p: Protocol) -> Vec<u8> {
                    t.to_vec_in(p)
                }
                fn same(a: &Request<'_>, b: &Request<'_>) -> bool {
                    a == b
                }
            }

            pub struct $response;
            impl Kind for $response {
                type T<'b> = Response<'b>;
                fn parse<'b>(
                    p: Protocol,
                    case: &Case,
                    body: &'b [u8],
                ) -> Result<Response<'b>, WireError> {
                    Response::parse_in(p, op(case), body)
                }
                fn write(t: &Response<'_>, p: Protocol) -> Vec<u8> {
                    t.to_vec_in(p)
                }
                fn same(a: &Response<'_>, b: &Response<'_>) -> bool {
                    a == b
                }
            }

            pub struct $error;
            impl Kind for $error {
                type T<'b> = Error<'b>;
                fn parse<'b>(
                    p: Protocol,
                    case: &Case,
                    body: &'b [u8],
                ) -> Result<Error<'b>, WireError> {
                    Error::parse_in(p, body, case.status)
                }
                fn write(t: &Error<'_>, p: Protocol) -> Vec<u8> {
                    t.to_vec_in(p)
                }
                fn same(a: &Error<'_>, b: &Error<'_>) -> bool {
                    a == b
                }
                fn code_message(t: &Error<'_>) -> Option<(String, Option<String>)> {
                    Some((t.code().to_string(), t.message().map(str::to_string)))
                }
            }
        }
    };
}

kinds!(kinesis, Requests, Responses, Errors);
kinds!(firehose, Requests, Responses, Errors);

/// A `SubscribeToShardEvent` payload.
struct Event;
impl Kind for Event {
    type T<'b> = kinesis_codec::kinesis::shapes::SubscribeToShardEvent<'b>;
    fn parse<'b>(p: Protocol, _: &Case, body: &'b [u8]) -> Result<Self::T<'b>, WireError> {
        kinesis_codec::wire::parse_body_in(p, body, &ParseOptions::new())
    }
    fn write(t: &Self::T<'_>, p: Protocol) -> Vec<u8> {
        kinesis_codec::wire::to_vec_in(p, t)
    }
    fn same(a: &Self::T<'_>, b: &Self::T<'_>) -> bool {
        a == b
    }
}

/// The code and message the case's body stands for: botocore's (`expected`), or for a moto body
/// the code of its `__type` and its `message` (else `Message`).
fn expected_code_message(case: &Case) -> (String, String) {
    if let Some(e) = &case.expected {
        let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
        return (s("code"), s("message"));
    }
    let body = wire_canon::json_of(case.body.as_bytes()).unwrap();
    let t = body
        .get("__type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    (
        wire_canon::type_to_code(t).to_string(),
        wire_canon::body_message(&body),
    )
}

/// The JSON value of one of our JSON bodies (an empty body is `{}`).
fn json_value(bytes: &[u8]) -> Value {
    wire_canon::json_of(bytes).unwrap()
}

/// The Java form: same typed value as the JSON body, written back byte for byte, and the
/// conversions both ways.
fn check_java<K: Kind>(case: &Case, java: &[u8]) -> Result<(), String> {
    let from_json = K::parse(Json, case, case.body.as_bytes())
        .map_err(|e| format!("the JSON body does not parse: {e}"))?;
    let from_cbor =
        K::parse(Cbor, case, java).map_err(|e| format!("the Java form does not parse: {e}"))?;
    if !K::same(&from_cbor, &from_json) {
        return Err(format!(
            "typed values differ:\n  CBOR {from_cbor:?}\n  JSON {from_json:?}"
        ));
    }
    if let Some((code, message)) = K::code_message(&from_cbor) {
        let (want_code, want_message) = expected_code_message(case);
        if code != want_code || message.as_deref().unwrap_or("") != want_message {
            return Err(format!(
                "code/message ({code:?}, {message:?}), expected ({want_code:?}, {want_message:?})"
            ));
        }
    }
    let written = K::write(&from_cbor, Cbor);
    if written != java {
        return Err(format!(
            "to_vec_in(Cbor) is not the Java form:\n  ours {}\n  Java {}",
            hex(&written),
            hex(java)
        ));
    }
    // JSON -> typed -> CBOR -> typed -> JSON is JSON -> typed -> JSON.
    let direct = K::write(&from_json, Json);
    let cbor = K::write(&from_json, Cbor);
    let via = K::parse(Cbor, case, &cbor).map_err(|e| format!("our CBOR does not parse: {e}"))?;
    let via_json = K::write(&via, Json);
    if json_value(&via_json) != json_value(&direct) || via_json != direct {
        return Err(format!(
            "JSON through CBOR: {}\n  JSON directly: {}",
            String::from_utf8_lossy(&via_json),
            String::from_utf8_lossy(&direct)
        ));
    }
    // CBOR -> typed -> JSON -> typed -> CBOR is the Java form.
    let as_json = K::write(&from_cbor, Json);
    let back =
        K::parse(Json, case, &as_json).map_err(|e| format!("our JSON does not parse: {e}"))?;
    let again = K::write(&back, Cbor);
    if again != java {
        return Err(format!(
            "CBOR through JSON ({}):\n  ours {}\n  Java {}",
            String::from_utf8_lossy(&as_json),
            hex(&again),
            hex(java)
        ));
    }
    Ok(())
}

/// A tolerant form reads as the Java form does (and so writes back as the Java form).
fn check_tolerant<K: Kind>(case: &Case, java: &[u8], form: &[u8]) -> Result<(), String> {
    let want = K::parse(Cbor, case, java).map_err(|e| format!("the Java form: {e}"))?;
    let got = K::parse(Cbor, case, form).map_err(|e| format!("does not parse: {e}"))?;
    if !K::same(&got, &want) {
        return Err(format!(
            "typed values differ:\n  this form {got:?}\n  Java form {want:?}"
        ));
    }
    if K::write(&got, Cbor) != java {
        return Err("written back, not the Java form".to_string());
    }
    Ok(())
}

/// A negative case in CBOR is rejected too, naming the same path.
fn check_negative<K: Kind>(case: &Case, cbor: &[u8]) -> Result<(), String> {
    let path = case.error_path.as_deref().unwrap_or("");
    match K::parse(Cbor, case, cbor) {
        Ok(v) => Err(format!("parsed, but the JSON body is rejected: {v:?}")),
        Err(e) if wire_canon::names_path(&e.to_string(), path) => Ok(()),
        Err(e) => Err(format!(
            "rejected, but the message does not name `{path}`: {e}"
        )),
    }
}

/// Which check, for the case's service and kind.
#[derive(Clone, Copy)]
enum Check<'a> {
    Java,
    Tolerant(&'a [u8]),
    Negative,
}

fn check(case: &Case, cbor: &[u8], what: Check<'_>) -> Result<(), String> {
    fn run<K: Kind>(case: &Case, cbor: &[u8], what: Check<'_>) -> Result<(), String> {
        match what {
            Check::Java => check_java::<K>(case, cbor),
            Check::Tolerant(java) => check_tolerant::<K>(case, java, cbor),
            Check::Negative => check_negative::<K>(case, cbor),
        }
    }
    match (case.service.as_str(), case.kind.as_str()) {
        ("kinesis", "request") => run::<kinesis::Requests>(case, cbor, what),
        ("kinesis", "response") => run::<kinesis::Responses>(case, cbor, what),
        ("kinesis", "error") => run::<kinesis::Errors>(case, cbor, what),
        ("kinesis", "event") => run::<Event>(case, cbor, what),
        ("firehose", "request") => run::<firehose::Requests>(case, cbor, what),
        ("firehose", "response") => run::<firehose::Responses>(case, cbor, what),
        ("firehose", "error") => run::<firehose::Errors>(case, cbor, what),
        (service, kind) => Err(format!("no {kind} in {service}")),
    }
}

/// Panics with the first failures, if any.
fn report(failures: &[String], checked: usize) {
    if !failures.is_empty() {
        let shown: Vec<&str> = failures.iter().take(30).map(String::as_str).collect();
        panic!(
            "{} of {checked} failed (first {}):\n\n{}",
            failures.len(),
            shown.len(),
            shown.join("\n\n")
        );
    }
}

/// The Java form of every case but the negative ones.
#[test]
fn java_form_of_every_case() {
    let Some(lines) = converted("java_form_of_every_case") else {
        return;
    };
    let mut failures = Vec::new();
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for line in lines.iter().filter(|l| l.form == "java") {
        let case = case_of(line);
        assert!(
            !case.expect_error,
            "{}: a Java form of a negative case",
            case.id
        );
        assert!(seen.insert((&line.source, &line.id)), "{}: twice", line.id);
        *counts
            .entry((line.source.as_str(), case.kind.as_str()))
            .or_default() += 1;
        if let Err(e) = check(case, line.cbor.as_deref().unwrap(), Check::Java) {
            failures.push(format!(
                "{} {}: {e}\n  JSON body: {}",
                line.source, line.id, case.body
            ));
        }
    }
    for ((source, kind), n) in &counts {
        eprintln!("{source:18} {kind:9} {n}");
    }
    report(&failures, seen.len());
    // Every case of the corpus is checked, less the negative ones (`negative_cases`).
    let negatives = cases().values().filter(|c| c.expect_error).count();
    assert_eq!(seen.len(), cases().len() - negatives);
    assert!(seen.len() > 2300, "only {} cases", seen.len());
}

/// Every tolerant form reads as the Java form of its case.
#[test]
fn tolerant_forms_read_as_the_java_form() {
    let Some(lines) = converted("tolerant_forms_read_as_the_java_form") else {
        return;
    };
    let java: HashMap<(&str, &str), &[u8]> = lines
        .iter()
        .filter(|l| l.form == "java")
        .map(|l| {
            (
                (l.source.as_str(), l.id.as_str()),
                l.cbor.as_deref().unwrap(),
            )
        })
        .collect();
    let mut failures = Vec::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for line in lines
        .iter()
        .filter(|l| l.form != "java" && l.form != "negative")
    {
        let case = case_of(line);
        let want = java[&(line.source.as_str(), line.id.as_str())];
        let form = line.cbor.as_deref().unwrap();
        assert_ne!(
            form, want,
            "{} {}: form {} is the Java form",
            line.source, line.id, line.form
        );
        *counts.entry(line.form.as_str()).or_default() += 1;
        if let Err(e) = check(case, form, Check::Tolerant(want)) {
            failures.push(format!(
                "{} {} ({}): {e}\n  bytes: {}",
                line.source,
                line.id,
                line.form,
                hex(form)
            ));
        }
    }
    for (form, n) in &counts {
        eprintln!("{form:13} {n}");
    }
    let checked: usize = counts.values().sum();
    report(&failures, checked);
    for form in TOLERANT_FORMS {
        assert!(counts.contains_key(form), "no case in the {form} form");
    }
    assert_eq!(counts.len(), TOLERANT_FORMS.len(), "{counts:?}");
    // Every case in every form that applies to every case.
    for form in ["indefinite", "all"] {
        assert_eq!(counts[form], java.len(), "{form}");
    }
}

/// The negative cases, converted to CBOR, are still rejected, naming the same path.
#[test]
fn negative_cases() {
    let Some(lines) = converted("negative_cases") else {
        return;
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut skipped = Vec::new();
    for line in lines.iter().filter(|l| l.form == "negative") {
        let case = case_of(line);
        assert!(case.expect_error, "{}", case.id);
        match (&line.cbor, &line.skipped) {
            (Some(cbor), None) => {
                checked += 1;
                if let Err(e) = check(case, cbor, Check::Negative) {
                    failures.push(format!("{}: {e}\n  bytes: {}", line.id, hex(cbor)));
                }
            }
            (None, Some(why)) => skipped.push((line.id.as_str(), why.as_str())),
            _ => panic!("{}: neither bytes nor a reason", line.id),
        }
    }
    eprintln!("{checked} negative cases checked, skipped: {skipped:?}");
    report(&failures, checked);
    let ids: Vec<&str> = skipped.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, NEGATIVE_EXCLUDED);
    let negatives = cases().values().filter(|c| c.expect_error).count();
    assert_eq!(checked, negatives - NEGATIVE_EXCLUDED.len());
    assert!(checked >= 20, "only {checked}");
}

/// 2024-05-01T12:00:00.123Z in every timestamp form: each reads as that instant. cbor2 reads
/// tag 1 as RFC 8949's seconds, so the protocol's own form (tag 1 + integer milliseconds) is to
/// it the year 56302, which it refuses; its raw number is our milliseconds.
#[test]
fn timestamps_are_milliseconds() {
    use kinesis_codec::kinesis::{Operation, Request};
    const MILLIS: i64 = 1_714_564_800_123;
    const SECONDS_PER_YEAR: f64 = 365.2425 * 86_400.0;
    let args = ["timestamps"].map(std::ffi::OsStr::new);
    let Some(out) = peers::run_script("timestamps_are_milliseconds", "cbor_corpus.py", &args)
    else {
        return;
    };
    let mut forms = Vec::new();
    for text in String::from_utf8(out.stdout).unwrap().lines() {
        let v: Value = serde_json::from_str(text).unwrap();
        let form = v["form"].as_str().unwrap().to_string();
        let body = base64::engine::general_purpose::STANDARD
            .decode(v["cbor_base64"].as_str().unwrap())
            .unwrap();
        let ours = match Request::parse_in(Cbor, Operation::GetShardIterator, &body) {
            Ok(Request::GetShardIterator(input)) => input.timestamp.unwrap().as_millis(),
            other => panic!("{form}: {other:?}"),
        };
        let meant = v["millis"].as_i64().unwrap();
        let raw = &v["cbor2_raw"];
        match form.as_str() {
            "tag1-int-ms" => {
                assert_eq!(ours, MILLIS, "{form}");
                // cbor2 takes the number under tag 1 as seconds: the year 56302.
                let rfc_seconds = raw.as_i64().unwrap();
                let year = 1970.0 + rfc_seconds as f64 / SECONDS_PER_YEAR;
                assert!(year > 55_000.0, "{form}: year {year}");
                let error = v["cbor2_error"].as_str().unwrap();
                assert!(error.contains("year 56302"), "{form}: {error}");
                // Its number divided by 1000 is our reading, in seconds.
                assert_eq!(rfc_seconds / 1000, ours / 1000);
                assert_eq!(rfc_seconds, ours);
                // Our own writer writes this form.
                let input = Request::parse_in(Cbor, Operation::GetShardIterator, &body).unwrap();
                assert_eq!(input.to_vec_in(Cbor), body);
            }
            "untagged-int-ms" => {
                assert_eq!(ours, MILLIS, "{form}");
                assert_eq!(raw.as_i64(), Some(ours));
            }
            "untagged-float-seconds" => {
                assert_eq!(ours, MILLIS, "{form}");
                assert_eq!((raw.as_f64().unwrap() * 1000.0).round() as i64, ours);
            }
            "cbor2-datetime-fraction" => {
                // cbor2 writes tag 1 + float seconds and reads it back as the same instant.
                assert_eq!(
                    body[body.len() - 10..body.len() - 8],
                    [0xc1, 0xfb],
                    "{form}"
                );
                assert_eq!(ours, MILLIS, "{form}");
                let secs = v["cbor2_seconds"].as_str().unwrap();
                assert_eq!(secs.replace('.', "").parse::<i64>().unwrap(), ours);
            }
            "cbor2-datetime-whole" => {
                // cbor2 writes a whole second as tag 1 + INTEGER seconds (RFC 8949); this
                // protocol reads tag 1 + integer as milliseconds (spec/cbor.md), so that is
                // 1970-01-20: no Kinesis client writes this form.
                assert_eq!(meant, MILLIS - 123);
                assert_eq!(raw.as_i64(), Some(meant / 1000));
                assert_eq!(ours, meant / 1000, "{form}");
            }
            other => panic!("unknown form {other}"),
        }
        if form != "cbor2-datetime-whole" {
            assert_eq!(meant, MILLIS, "{form}");
        }
        forms.push(form);
    }
    assert_eq!(forms.len(), 5, "{forms:?}");
}

/// `records::parse_get_records_cbor` / `parse_event_cbor` read GetRecords answers and
/// SubscribeToShard events straight off the CBOR core, falling back to the serde reader for any
/// other form. Both must give the same result for every body: the value, or the same error. The
/// direct reader must take the Java form of every case (else it is never used), and whatever it
/// takes it must read to the serde reader's value.
#[test]
fn records_reader_is_the_serde_reader() {
    use kinesis_codec::kinesis::records::{
        event_cbor_direct, get_records_cbor_direct, parse_event_cbor, parse_get_records_cbor,
    };
    use kinesis_codec::kinesis::shapes::{GetRecordsOutput, SubscribeToShardEvent};
    use kinesis_codec::kinesis::{Operation, Response};
    use kinesis_codec::wire::parse_body_in;

    fn parse_cbor<'a, T: serde::Deserialize<'a>>(body: &'a [u8]) -> Result<T, WireError> {
        parse_body_in(Cbor, body, &ParseOptions::new())
    }

    let Some(lines) = converted("records_reader_is_the_serde_reader") else {
        return;
    };
    /// Compares both readers, and the public function, on one body; `Ok(true)` if the direct
    /// reader took it.
    fn same<'a, T: PartialEq + Debug + serde::Deserialize<'a>>(
        body: &'a [u8],
        direct: fn(&'a [u8]) -> Option<T>,
        public: fn(&'a [u8]) -> Result<T, WireError>,
    ) -> Result<bool, String> {
        let serde = parse_cbor::<T>(body);
        let direct = direct(body);
        if let Some(d) = &direct {
            if serde.as_ref() != Ok(d) {
                return Err(format!("direct {d:?}\n  serde {serde:?}"));
            }
        }
        if public(body) != serde {
            return Err(format!("the public function differs from {serde:?}"));
        }
        Ok(direct.is_some())
    }
    /// The generated `Response::parse_in` tries the direct reader first for `GetRecords`.
    fn response(body: &[u8]) -> Result<GetRecordsOutput<'_>, WireError> {
        match Response::parse_in(Cbor, Operation::GetRecords, body)? {
            Response::GetRecords(output) => Ok(output),
            other => panic!("a GetRecords body parsed to {other:?}"),
        }
    }
    fn compare(event: bool, body: &[u8]) -> Result<bool, String> {
        if event {
            same::<SubscribeToShardEvent<'_>>(body, event_cbor_direct, parse_event_cbor)
        } else {
            let took = same::<GetRecordsOutput<'_>>(
                body,
                get_records_cbor_direct,
                parse_get_records_cbor,
            )?;
            same::<GetRecordsOutput<'_>>(body, get_records_cbor_direct, response)?;
            Ok(took)
        }
    }
    let mut failures = Vec::new();
    let (mut bodies, mut mutations, mut java, mut direct_java, mut direct_mutated) =
        (0, 0, 0, 0, 0);
    for line in lines.iter().filter(|l| l.source.contains("kinesis")) {
        let case = case_of(line);
        let event = match (case.operation.as_str(), case.kind.as_str()) {
            ("GetRecords", "response") => false,
            ("SubscribeToShard", "event") => true,
            _ => continue,
        };
        let Some(body) = line.cbor.as_deref() else {
            continue;
        };
        bodies += 1;
        match compare(event, body) {
            Ok(took) if line.form == "java" => {
                java += 1;
                direct_java += usize::from(took);
                if !took {
                    failures.push(format!(
                        "{}: the direct reader refused the Java form",
                        case.id
                    ));
                }
            }
            Ok(_) => {}
            Err(e) => failures.push(format!("{} ({}): {e}", case.id, line.form)),
        }
        if line.form != "java" {
            continue;
        }
        // Every truncation, and three flips of every byte (the low bit, the additional
        // information, the major type).
        let mut variants: Vec<Vec<u8>> = (0..body.len()).map(|n| body[..n].to_vec()).collect();
        for i in 0..body.len() {
            for flip in [0x01, 0x1f, 0xe0] {
                let mut v = body.to_vec();
                v[i] ^= flip;
                variants.push(v);
            }
        }
        for v in &variants {
            mutations += 1;
            match compare(event, v) {
                Ok(took) => direct_mutated += usize::from(took),
                Err(e) => failures.push(format!("{} mutated {}: {e}", case.id, hex(v))),
            }
        }
    }
    eprintln!(
        "{bodies} bodies ({java} Java forms, {direct_java} read directly), {mutations} mutations \
         ({direct_mutated} read directly)"
    );
    report(&failures, bodies + mutations);
    assert!(
        java >= 25 && direct_java == java,
        "{java} Java forms, {direct_java} direct"
    );
    assert!(
        direct_mutated > 1000,
        "only {direct_mutated} mutations read directly"
    );
}

/// `Response::parse_in_with_options` reads `GetRecords` through the direct reader within the
/// caller's element budget (`ParseOptions::max_elements`): at every budget from 0 up to the
/// first one the serde reader accepts, both give the same value or the same error, for the Java
/// form of every case. A direct reader that spent less of the budget than the serde reader would
/// answer a body the serde reader refuses.
#[test]
fn records_reader_keeps_the_element_budget() {
    use kinesis_codec::kinesis::records::get_records_cbor_direct;
    use kinesis_codec::kinesis::shapes::GetRecordsOutput;
    use kinesis_codec::kinesis::{Operation, Response};
    use kinesis_codec::wire::parse_body_in;

    let Some(lines) = converted("records_reader_keeps_the_element_budget") else {
        return;
    };
    let mut failures = Vec::new();
    let (mut bodies, mut refused) = (0, 0);
    for line in lines
        .iter()
        .filter(|l| l.source.contains("kinesis") && l.form == "java")
    {
        let case = case_of(line);
        if (case.operation.as_str(), case.kind.as_str()) != ("GetRecords", "response") {
            continue;
        }
        let Some(body) = line.cbor.as_deref() else {
            continue;
        };
        bodies += 1;
        if get_records_cbor_direct(body).is_none() {
            failures.push(format!(
                "{}: the direct reader refused the Java form",
                case.id
            ));
            continue;
        }
        let mut accepted = false;
        for budget in 0..=10_000 {
            let options = ParseOptions::new().with_max_elements(budget);
            let serde: Result<GetRecordsOutput<'_>, WireError> =
                parse_body_in(Cbor, body, &options);
            let response =
                Response::parse_in_with_options(Cbor, Operation::GetRecords, body, &options);
            let same = match (&response, &serde) {
                (Ok(Response::GetRecords(v)), Ok(s)) => v == s,
                (Err(e), Err(s)) => e == s,
                _ => false,
            };
            if !same {
                failures.push(format!(
                    "{} at budget {budget}: {response:?}\n  serde {serde:?}",
                    case.id
                ));
                break;
            }
            if serde.is_ok() {
                accepted = true;
                break;
            }
            refused += 1;
        }
        if !accepted && failures.is_empty() {
            failures.push(format!("{}: refused at every budget up to 10,000", case.id));
        }
    }
    report(&failures, bodies);
    assert!(
        bodies >= 19 && refused > bodies,
        "{bodies} Java forms, {refused} budgets refused"
    );
}
