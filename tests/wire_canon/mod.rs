//! Shared by `tests/wire_conformance.rs` and `tests/cli_wire.rs`: the corpus reader and a
//! canonicalizer that walks a JSON value with the service model (read here from
//! `tests/model/*.json`, independently of the generated shapes) and puts it in the corpus's
//! canonical form: only present members (`null` = absent), blobs as standard padded base64,
//! timestamps as integer epoch milliseconds, doubles as `f64`.

#![allow(dead_code)]

use base64::Engine as _;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One line of a corpus file.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: String,
    pub service: String,
    pub operation: String,
    pub kind: String,
    pub status: Option<u16>,
    pub body: String,
    pub expected: Option<Value>,
    pub expect_error: bool,
    pub error_path: Option<String>,
}

/// Every line of a JSON-lines corpus file; a malformed line is a panic (the data is committed).
pub fn read_cases(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut cases = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("{}:{}: not JSON: {e}", path.display(), n + 1));
        let s = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("{}:{}: no string `{k}`", path.display(), n + 1))
                .to_string()
        };
        cases.push(Case {
            id: s("id"),
            service: s("service"),
            operation: s("operation"),
            kind: s("kind"),
            status: v.get("status").and_then(Value::as_u64).map(|s| s as u16),
            body: s("body"),
            expected: v.get("expected").cloned(),
            expect_error: v
                .get("expect_error")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            error_path: v
                .get("error_path")
                .and_then(Value::as_str)
                .map(str::to_string),
        });
    }
    cases
}

/// How timestamps are written in the value being canonicalized.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ts {
    /// Epoch seconds, as on the wire.
    Seconds,
    /// Already integer milliseconds (the corpus's `expected`).
    Millis,
}

/// What to do with members the model does not know.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Unknown {
    /// A member the model does not have is a mismatch (our own output).
    Reject,
    /// Dropped, as botocore does (a peer's body).
    Drop,
}

/// A service model: shape name -> shape JSON.
pub struct Model {
    pub shapes: Map<String, Value>,
    pub operations: Map<String, Value>,
}

impl Model {
    /// Loads `tests/model/<file>` for `kinesis` or `firehose`.
    pub fn load(service: &str) -> Model {
        let file = match service {
            "kinesis" => "kinesis-2013-12-02.json",
            "firehose" => "firehose-2015-08-04.json",
            other => panic!("unknown service {other}"),
        };
        let text = std::fs::read_to_string(root().join("tests/model").join(file)).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        Model {
            shapes: v["shapes"].as_object().unwrap().clone(),
            operations: v["operations"].as_object().unwrap().clone(),
        }
    }

    /// The input or output shape name of an operation (None: the operation has none).
    pub fn io_shape(&self, op: &str, which: &str) -> Option<String> {
        self.operations
            .get(op)
            .unwrap_or_else(|| panic!("no operation {op} in the model"))
            .get(which)
            .and_then(|o| o["shape"].as_str())
            .map(str::to_string)
    }

    /// True if `name` is an exception shape of the model.
    pub fn is_exception(&self, name: &str) -> bool {
        self.shapes
            .get(name)
            .is_some_and(|s| s.get("exception").and_then(Value::as_bool) == Some(true))
    }

    /// Canonical form of `v` as a value of shape `shape`, or the JSON path of the first problem.
    pub fn canon(&self, shape: &str, v: &Value, ts: Ts, unknown: Unknown) -> Result<Value, String> {
        self.walk(shape, v, ts, unknown, "")
    }

    fn walk(
        &self,
        shape: &str,
        v: &Value,
        ts: Ts,
        unknown: Unknown,
        path: &str,
    ) -> Result<Value, String> {
        let s = self
            .shapes
            .get(shape)
            .ok_or_else(|| format!("{path}: shape {shape} not in the model"))?;
        let ty = s["type"].as_str().unwrap();
        let bad = |what: &str| Err(format!("`{path}`: {what} for {ty} shape {shape}: {v}"));
        match ty {
            "structure" => {
                let Some(obj) = v.as_object() else {
                    return bad("not an object");
                };
                let members = s["members"].as_object().unwrap();
                let mut out = Map::new();
                for (k, x) in obj {
                    match members.get(k) {
                        Some(m) => {
                            if x.is_null() {
                                continue;
                            }
                            let p = join(path, k);
                            out.insert(
                                k.clone(),
                                self.walk(m["shape"].as_str().unwrap(), x, ts, unknown, &p)?,
                            );
                        }
                        None if unknown == Unknown::Drop => {}
                        None => {
                            return Err(format!("`{}`: member not in the model", join(path, k)))
                        }
                    }
                }
                Ok(Value::Object(out))
            }
            "list" => {
                let Some(arr) = v.as_array() else {
                    return bad("not an array");
                };
                let m = s["member"]["shape"].as_str().unwrap();
                arr.iter()
                    .enumerate()
                    .map(|(i, x)| self.walk(m, x, ts, unknown, &format!("{path}[{i}]")))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array)
            }
            "map" => {
                let Some(obj) = v.as_object() else {
                    return bad("not an object");
                };
                let m = s["value"]["shape"].as_str().unwrap();
                let mut out = Map::new();
                for (k, x) in obj {
                    out.insert(k.clone(), self.walk(m, x, ts, unknown, &join(path, k))?);
                }
                Ok(Value::Object(out))
            }
            "blob" => {
                let Some(text) = v.as_str() else {
                    return bad("not a string");
                };
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .map_err(|e| format!("`{path}`: invalid base64 {text:?}: {e}"))?;
                Ok(Value::String(
                    base64::engine::general_purpose::STANDARD.encode(bytes),
                ))
            }
            "timestamp" => {
                let ms = match ts {
                    Ts::Millis => v.as_i64(),
                    Ts::Seconds => seconds_to_millis(v),
                };
                match ms {
                    Some(ms) => Ok(Value::from(ms)),
                    None => bad("not a timestamp number"),
                }
            }
            "string" => match v {
                Value::String(_) => Ok(v.clone()),
                _ => bad("not a string"),
            },
            "boolean" => match v {
                Value::Bool(_) => Ok(v.clone()),
                _ => bad("not a boolean"),
            },
            "integer" | "long" => match (v.as_i64(), v.as_u64()) {
                (Some(i), _) => Ok(Value::from(i)),
                (None, Some(u)) => Ok(Value::from(u)),
                _ => bad("not an integer"),
            },
            "double" => match v.as_f64() {
                Some(f) => Ok(Value::from(f)),
                None => bad("not a number"),
            },
            other => Err(format!("`{path}`: shape type {other} not handled")),
        }
    }
}

fn join(path: &str, k: &str) -> String {
    if path.is_empty() {
        k.to_string()
    } else {
        format!("{path}.{k}")
    }
}

/// Epoch seconds (any JSON number form) -> integer milliseconds, exact for the forms on the wire.
pub fn seconds_to_millis(v: &Value) -> Option<i64> {
    if let Some(i) = v.as_i64() {
        return i.checked_mul(1000);
    }
    let f = v.as_f64()?;
    let ms = (f * 1000.0).round();
    if ms.is_finite() && ms.abs() < 9.0e15 {
        Some(ms as i64)
    } else {
        None
    }
}

/// The error code of a `__type` value (botocore's rule), written here independently of the crate.
pub fn type_to_code(t: &str) -> &str {
    let t = t.split(':').next().unwrap_or(t);
    t.rsplit('#').next().unwrap_or(t)
}

/// The first place where two canonical values differ, for a precise failure message.
pub fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeMap<&String, ()> = x.keys().chain(y.keys()).map(|k| (k, ())).collect();
            for k in keys.keys() {
                let p = join(path, k);
                match (x.get(*k), y.get(*k)) {
                    (Some(u), Some(w)) => {
                        if let Some(d) = first_difference(u, w, &p) {
                            return Some(d);
                        }
                    }
                    (Some(u), None) => return Some(format!("`{p}`: ours {u}, expected absent")),
                    (None, Some(w)) => return Some(format!("`{p}`: ours absent, expected {w}")),
                    (None, None) => {}
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!(
                    "`{path}`: ours has {} items, expected {}",
                    x.len(),
                    y.len()
                ));
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (u, w))| first_difference(u, w, &format!("{path}[{i}]")))
        }
        _ if a == b => None,
        _ => Some(format!("`{path}`: ours {a}, expected {b}")),
    }
}

/// The message botocore takes from an error body: `message`, else `Message`, else empty.
pub fn body_message(body: &Value) -> String {
    body.get("message")
        .or_else(|| body.get("Message"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// An error body's modeled members (everything but `__type`, `message`, `Message`), canonical.
pub fn error_members(
    model: &Model,
    code: &str,
    body: &Value,
    unknown: Unknown,
) -> Result<Value, String> {
    let Some(obj) = body.as_object() else {
        return Ok(Value::Object(Map::new()));
    };
    let mut rest = obj.clone();
    for k in ["__type", "message", "Message"] {
        rest.remove(k);
    }
    if !model.is_exception(code) {
        return Ok(Value::Object(Map::new()));
    }
    model.canon(code, &Value::Object(rest), Ts::Seconds, unknown)
}

/// The typed API's answer for one body.
pub enum Parsed {
    /// Re-serialized body (request, response, event).
    Body(Vec<u8>),
    /// An error: code, message, re-serialized body.
    Error {
        code: String,
        message: Option<String>,
        body: Vec<u8>,
    },
}

/// The shape a body of this case is a value of (None: the operation has no such shape).
pub fn body_shape(model: &Model, case: &Case) -> Option<String> {
    match case.kind.as_str() {
        "request" => model.io_shape(&case.operation, "input"),
        "response" => model.io_shape(&case.operation, "output"),
        "event" => Some("SubscribeToShardEvent".to_string()),
        _ => None,
    }
}

pub fn json_of(bytes: &[u8]) -> Result<Value, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| format!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}

/// Our re-serialized body -> canonical form (strict: members outside the model are a mismatch).
pub fn ours_canonical(model: &Model, case: &Case, out: &[u8]) -> Result<Value, String> {
    let v = json_of(out)?;
    match body_shape(model, case) {
        Some(shape) => model.canon(&shape, &v, Ts::Seconds, Unknown::Reject),
        None if v == Value::Object(Default::default()) => Ok(v),
        None => Err(format!("operation has no shape, but we wrote {v}")),
    }
}

/// Checks one botocore case; `Err` = a precise failure message.
pub fn compare_with_botocore(
    model: &Model,
    case: &Case,
    parsed: Result<Parsed, String>,
) -> Result<(), String> {
    if case.expect_error {
        return match parsed {
            Ok(_) => Err("parsed, but the body must be rejected".to_string()),
            Err(msg) if msg.starts_with("ROUND TRIP") => Err(msg),
            Err(msg) => {
                let path = case.error_path.as_deref().unwrap_or("");
                if names_path(&msg, path) {
                    Ok(())
                } else {
                    Err(format!(
                        "rejected, but the message does not name `{path}`: {msg}"
                    ))
                }
            }
        };
    }
    let expected = case.expected.as_ref().ok_or("no `expected` in the case")?;
    match parsed? {
        Parsed::Body(out) => {
            let ours = ours_canonical(model, case, &out)?;
            let want = match body_shape(model, case) {
                Some(shape) => model.canon(&shape, expected, Ts::Millis, Unknown::Reject)?,
                None => expected.clone(),
            };
            match first_difference(&ours, &want, "") {
                None => Ok(()),
                Some(d) => Err(format!("{d}\n  ours: {}", String::from_utf8_lossy(&out))),
            }
        }
        Parsed::Error {
            code,
            message,
            body,
        } => {
            let want_code = expected["code"].as_str().unwrap_or_default();
            let want_msg = expected["message"].as_str().unwrap_or_default();
            if code != want_code {
                return Err(format!("code(): ours {code:?}, botocore {want_code:?}"));
            }
            if message.as_deref().unwrap_or("") != want_msg {
                return Err(format!(
                    "message(): ours {message:?}, botocore {want_msg:?}"
                ));
            }
            check_error_output(model, &code, &message, &body, &expected["members"])
        }
    }
}

/// Our error body: `__type` gives the same code, the message is kept, the members are the same.
pub fn check_error_output(
    model: &Model,
    code: &str,
    message: &Option<String>,
    out: &[u8],
    want_members: &Value,
) -> Result<(), String> {
    let v = json_of(out)?;
    let t = v
        .get("__type")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("no __type in our error body {v}"))?;
    if type_to_code(t) != code {
        return Err(format!("our __type {t:?} does not give code {code:?}"));
    }
    if body_message(&v) != message.as_deref().unwrap_or("") {
        return Err(format!("our error body lost the message: {v}"));
    }
    let ours = error_members(model, code, &v, Unknown::Reject)?;
    let want = if model.is_exception(code) {
        model.canon(code, want_members, Ts::Millis, Unknown::Reject)?
    } else {
        want_members.clone()
    };
    match first_difference(&ours, &want, "") {
        None => Ok(()),
        Some(d) => Err(format!("error members: {d}\n  ours: {v}")),
    }
}

/// True if an error message names the JSON path `path` (e.g. `Records[1].Data`): the whole path,
/// or, for a missing member, the path of the object that lacks it and the member's name.
pub fn names_path(msg: &str, path: &str) -> bool {
    if msg.contains(path) {
        return true;
    }
    let (parent, member) = match path.rfind(['.', ']']) {
        Some(i) if path.as_bytes()[i] == b'.' => (&path[..i], &path[i + 1..]),
        Some(i) => (&path[..=i], ""),
        None => ("", path),
    };
    let parent_named = parent.is_empty()
        || msg.contains(&format!("{parent}`"))
        || msg.contains(&format!("{parent} "));
    parent_named && msg.contains(&format!("`{member}`"))
}
