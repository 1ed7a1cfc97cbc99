//! Reading a botocore JSON service model and deciding what each shape becomes in Rust.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// One service: where its model is and where its generated code goes.
pub struct Service {
    /// Module name: `kinesis` / `firehose`.
    pub module: &'static str,
    /// Human name used in docs: `Kinesis` / `Firehose`.
    pub title: &'static str,
    /// The model file, relative to the crate root.
    pub model_path: &'static str,
    /// Hand-written CBOR readers that `Response::parse_in` tries first: (operation, path of a
    /// `fn(&[u8], &ParseOptions) -> Option<Output>` that answers `None` where the serde reader
    /// must read the body, and the serde reader's value wherever it answers).
    pub cbor_responses: &'static [(&'static str, &'static str)],
}

pub const SERVICES: &[Service] = &[
    Service {
        module: "kinesis",
        title: "Kinesis",
        model_path: "tests/model/kinesis-2013-12-02.json",
        // GetRecords answers: 10,000 records of 1 KiB read 2-3x faster than through serde
        // (benches/cbor.rs); the same value, by tests/wire_cbor_corpus.rs.
        cbor_responses: &[(
            "GetRecords",
            "crate::kinesis::records::read_get_records_cbor",
        )],
    },
    Service {
        module: "firehose",
        title: "Firehose",
        model_path: "tests/model/firehose-2015-08-04.json",
        cbor_responses: &[],
    },
];

/// What a shape is, after following references.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Str,
    Enum(Vec<String>),
    Blob,
    Timestamp,
    Bool,
    Int,
    Long,
    Double,
    List(String),
    Map(String, String),
    Struct,
    /// `"union": true`, or an event stream (`"eventstream": true`).
    Union,
}

#[derive(Clone, Debug)]
pub struct Member {
    pub name: String,
    pub shape: String,
    pub required: bool,
    pub deprecated: bool,
}

#[derive(Clone, Debug)]
pub struct Shape {
    pub name: String,
    pub kind: Kind,
    /// Structure and union members, in model order (the shipped models list them sorted;
    /// `serde_json::Value` keeps them sorted too).
    pub members: Vec<Member>,
    pub exception: bool,
    pub fault: bool,
    pub event: bool,
    pub eventstream: bool,
    /// The constraints: `min`, `max` (as the model writes them) and `pattern`.
    pub min: Option<serde_json::Number>,
    pub max: Option<serde_json::Number>,
    pub pattern: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Operation {
    pub name: String,
    pub input: Option<String>,
    pub output: Option<String>,
    pub errors: Vec<String>,
}

pub struct Model {
    pub api_version: String,
    pub target_prefix: String,
    pub shapes: BTreeMap<String, Shape>,
    pub operations: Vec<Operation>,
    /// Shapes reachable from an output, an error or an event stream: parsed leniently.
    pub lenient: BTreeSet<String>,
    /// Shapes whose Rust type carries the `'a` lifetime.
    pub borrowing: BTreeSet<String>,
}

fn str_field<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

fn number_field(v: &Value, key: &str) -> Option<serde_json::Number> {
    v.get(key).map(|n| match n {
        Value::Number(n) => n.clone(),
        other => panic!("{key} is not a number: {other}"),
    })
}

fn shape_ref(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(|r| str_field(r, "shape"))
        .map(String::from)
}

impl Model {
    pub fn parse(text: &str) -> Model {
        let root: Value = serde_json::from_str(text).expect("model is JSON");
        let metadata = root.get("metadata").expect("metadata");
        let api_version = str_field(metadata, "apiVersion")
            .expect("apiVersion")
            .to_string();
        let target_prefix = str_field(metadata, "targetPrefix")
            .expect("targetPrefix")
            .to_string();
        let all_shapes = root.get("shapes").and_then(Value::as_object);
        let shapes = all_shapes
            .expect("shapes")
            .iter()
            .map(|(name, s)| (name.clone(), parse_shape(name, s)))
            .collect();
        let all_operations = root.get("operations").and_then(Value::as_object);
        let operations = all_operations
            .expect("operations")
            .iter()
            .map(|(name, o)| parse_operation(name, o))
            .collect();
        let mut model = Model {
            api_version,
            target_prefix,
            shapes,
            operations,
            lenient: BTreeSet::new(),
            borrowing: BTreeSet::new(),
        };
        model.lenient = model.reachable_from_responses();
        model.borrowing = model.borrowing_shapes();
        model
    }

    pub fn shape(&self, name: &str) -> &Shape {
        self.shapes
            .get(name)
            .unwrap_or_else(|| panic!("shape {name} not in model"))
    }

    fn children(&self, name: &str) -> Vec<String> {
        let s = self.shape(name);
        match &s.kind {
            Kind::List(m) => vec![m.clone()],
            Kind::Map(k, v) => vec![k.clone(), v.clone()],
            Kind::Struct | Kind::Union => s.members.iter().map(|m| m.shape.clone()).collect(),
            _ => Vec::new(),
        }
    }

    /// Every shape reachable from an operation output, an exception, or an event stream.
    fn reachable_from_responses(&self) -> BTreeSet<String> {
        let mut todo: Vec<String> = Vec::new();
        for op in &self.operations {
            todo.extend(op.output.clone());
            todo.extend(op.errors.iter().cloned());
        }
        for s in self.shapes.values() {
            if s.exception || s.eventstream || s.event {
                todo.push(s.name.clone());
            }
        }
        let mut seen = BTreeSet::new();
        while let Some(name) = todo.pop() {
            if seen.insert(name.clone()) {
                todo.extend(self.children(&name));
            }
        }
        seen
    }

    /// Shapes holding (transitively) a string, an enum or a blob: their type borrows.
    fn borrowing_shapes(&self) -> BTreeSet<String> {
        let mut set: BTreeSet<String> = self
            .shapes
            .values()
            .filter(|s| matches!(s.kind, Kind::Str | Kind::Enum(_) | Kind::Blob))
            .map(|s| s.name.clone())
            .collect();
        loop {
            let before = set.len();
            for s in self.shapes.values() {
                // An event-stream member is not part of the structure's Rust type.
                let borrows = self
                    .children(&s.name)
                    .iter()
                    .any(|c| set.contains(c) && !self.shape(c).eventstream);
                if !set.contains(&s.name) && borrows {
                    set.insert(s.name.clone());
                }
            }
            if set.len() == before {
                return set;
            }
        }
    }

    pub fn borrows(&self, name: &str) -> bool {
        self.borrowing.contains(name)
    }

    /// Operations whose input or output is `name`, for docs.
    pub fn uses(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        for op in &self.operations {
            if op.input.as_deref() == Some(name) {
                out.push(format!("the input of `{}`", op.name));
            }
            if op.output.as_deref() == Some(name) {
                out.push(format!("the output of `{}`", op.name));
            }
        }
        out
    }

    pub fn exceptions(&self) -> Vec<&Shape> {
        self.shapes.values().filter(|s| s.exception).collect()
    }
}

fn parse_operation(name: &str, o: &Value) -> Operation {
    let errors = o.get("errors").and_then(Value::as_array);
    Operation {
        name: name.to_string(),
        input: shape_ref(o, "input"),
        output: shape_ref(o, "output"),
        errors: errors
            .map(|es| {
                es.iter()
                    .filter_map(|e| str_field(e, "shape").map(String::from))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn parse_shape(name: &str, s: &Value) -> Shape {
    let flag = |k: &str| s.get(k).and_then(Value::as_bool).unwrap_or(false);
    Shape {
        name: name.to_string(),
        kind: parse_kind(name, s),
        members: parse_members(s),
        exception: flag("exception"),
        fault: flag("fault"),
        event: flag("event"),
        eventstream: flag("eventstream"),
        min: number_field(s, "min"),
        max: number_field(s, "max"),
        pattern: str_field(s, "pattern").map(String::from),
    }
}

/// A structure's members in model order, each marked required or not.
fn parse_members(s: &Value) -> Vec<Member> {
    let required: BTreeSet<String> = s
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    s.get("members")
        .and_then(Value::as_object)
        .map(|ms| {
            ms.iter()
                .map(|(mname, m)| Member {
                    name: mname.clone(),
                    shape: str_field(m, "shape").expect("member shape").to_string(),
                    required: required.contains(mname),
                    deprecated: m
                        .get("deprecated")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn parse_kind(name: &str, s: &Value) -> Kind {
    let flag = |k: &str| s.get(k).and_then(Value::as_bool).unwrap_or(false);
    match str_field(s, "type").expect("shape type") {
        "string" => match s.get("enum").and_then(Value::as_array) {
            Some(values) => Kind::Enum(
                values
                    .iter()
                    .map(|v| v.as_str().expect("enum value").to_string())
                    .collect(),
            ),
            None => Kind::Str,
        },
        "blob" => Kind::Blob,
        "timestamp" => Kind::Timestamp,
        "boolean" => Kind::Bool,
        "integer" => Kind::Int,
        "long" => Kind::Long,
        "double" | "float" => Kind::Double,
        "list" => Kind::List(shape_ref(s, "member").expect("list member")),
        "map" => Kind::Map(
            shape_ref(s, "key").expect("map key"),
            shape_ref(s, "value").expect("map value"),
        ),
        "structure" if flag("union") || flag("eventstream") => Kind::Union,
        "structure" => Kind::Struct,
        other => panic!("shape {name}: type {other} not supported"),
    }
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe",
    "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override",
    "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// `DeliveryStreamARN` -> `delivery_stream_arn`, `S3BackupMode` -> `s3_backup_mode`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                let prev = chars[i - 1];
                let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
                if prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next_lower)
                {
                    out.push('_');
                }
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    if KEYWORDS.contains(&out.as_str()) {
        format!("r#{out}")
    } else {
        out
    }
}

/// `AT_SEQUENCE_NUMBER` -> `AtSequenceNumber`, `MySQL` -> `MySQL`, `V0_11` -> `V0_11`.
pub fn variant_name(value: &str) -> String {
    let mut out = String::new();
    for part in value.split(|c: char| !c.is_ascii_alphanumeric()) {
        if part.is_empty() {
            continue;
        }
        let all_upper = part
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        let mut chars = part.chars();
        let first = chars.next().expect("non-empty");
        if !out.is_empty() && first.is_ascii_digit() {
            // Keep `V0_11` readable and distinct from `V01_1`.
            out.push('_');
        }
        out.push(first.to_ascii_uppercase());
        if all_upper {
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        } else {
            out.extend(chars);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}
