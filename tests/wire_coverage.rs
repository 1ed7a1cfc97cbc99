//! Every operation and every shape of both models has its Rust counterpart.
//!
//! The expected sets are read from the model files here, independently of the generator. The
//! shapes' Rust types are named in `tests/generated/coverage.rs` (generated, kept fresh by
//! `generated_fresh`), so a missing or renamed one is a compile error; each is checked here
//! with a sample value that sets every member.

#![cfg(feature = "alloc")]

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::path::Path;

use kinesis_codec::{firehose, kinesis, wire};

fn model(name: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/model")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn operation_names(model: &serde_json::Value) -> BTreeSet<String> {
    model["operations"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

#[test]
fn every_kinesis_operation_has_a_variant_and_target() {
    let m = model("kinesis-2013-12-02.json");
    let prefix = m["metadata"]["targetPrefix"].as_str().unwrap();
    let names = operation_names(&m);
    assert_eq!(names.len(), 57);
    for name in &names {
        let op = kinesis::Operation::from_name(name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(op.name(), name);
        let target = format!("{prefix}.{name}");
        assert_eq!(op.target(), target);
        assert_eq!(kinesis::Operation::from_target(&target), Some(op));
        let has_output = m["operations"][name].get("output").is_some();
        assert_eq!(op.has_output(), has_output, "{name}");
    }
    let ours: BTreeSet<String> = kinesis::Operation::ALL
        .iter()
        .map(|op| op.name().to_string())
        .collect();
    assert_eq!(ours, names);
    assert_eq!(
        kinesis::Operation::from_target("Kinesis_20131202.Nope"),
        None
    );
    assert_eq!(
        kinesis::Operation::from_target("Firehose_20150804.PutRecordBatch"),
        None
    );
    assert_eq!(kinesis::Operation::from_target("PutRecords"), None);
}

#[test]
fn every_firehose_operation_has_a_variant_and_target() {
    let m = model("firehose-2015-08-04.json");
    let prefix = m["metadata"]["targetPrefix"].as_str().unwrap();
    let names = operation_names(&m);
    assert_eq!(names.len(), 12);
    for name in &names {
        let op = firehose::Operation::from_name(name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(op.name(), name);
        let target = format!("{prefix}.{name}");
        assert_eq!(op.target(), target);
        assert_eq!(firehose::Operation::from_target(&target), Some(op));
    }
    let ours: BTreeSet<String> = firehose::Operation::ALL
        .iter()
        .map(|op| op.name().to_string())
        .collect();
    assert_eq!(ours, names);
}

#[path = "generated/coverage.rs"]
mod coverage;

/// The generated list (`tests/generated/coverage.rs`) names every shape's Rust type, so a shape
/// without one does not compile; here each sample is checked against the model read
/// independently, and a shape the list leaves out is named.
#[test]
fn every_model_shape_has_a_rust_type() {
    let mut total = 0;
    for (file, module, visit) in [
        (
            "kinesis-2013-12-02.json",
            "kinesis",
            coverage::kinesis::visit as fn(&mut ShapeCheck),
        ),
        (
            "firehose-2015-08-04.json",
            "firehose",
            coverage::firehose::visit,
        ),
    ] {
        let mut check = ShapeCheck::new(module, model(file));
        visit(&mut check);
        total += check.finish();
    }
    assert_eq!(total, 608);
}

/// What a shape's Rust type must do: written by the crate's JSON writer and read back by its
/// reader, give the same value.
pub trait Wire: serde::Serialize + serde::Deserialize<'static> + PartialEq + Debug {}
impl<T: serde::Serialize + serde::Deserialize<'static> + PartialEq + Debug> Wire for T {}

/// Checks the samples of one model's shapes against the model, and which shapes were seen.
pub struct ShapeCheck {
    module: &'static str,
    model: serde_json::Value,
    seen: BTreeSet<String>,
}

impl ShapeCheck {
    fn new(module: &'static str, model: serde_json::Value) -> Self {
        ShapeCheck {
            module,
            model,
            seen: BTreeSet::new(),
        }
    }

    /// The model's shape `name`, marked seen (once).
    fn shape(&mut self, name: &str) -> serde_json::Value {
        let module = self.module;
        let shape = self.model["shapes"]
            .get(name)
            .unwrap_or_else(|| panic!("{module}: {name} is not a shape of the model"))
            .clone();
        assert!(self.seen.insert(name.to_string()), "{module}: {name} twice");
        shape
    }

    /// A string, number, boolean, blob, timestamp, list or map: its sample round-trips and is
    /// written as the model's type.
    pub fn alias<T: Wire>(&mut self, name: &str, sample: &T) {
        let shape = self.shape(name);
        let json = round_trip(name, sample);
        let written_as = match shape["type"].as_str().unwrap() {
            "string" if shape.get("enum").is_none() => json.is_string(),
            "blob" => json.is_string(),
            "boolean" => json.is_boolean(),
            "integer" | "long" => json.is_i64(),
            "double" | "float" | "timestamp" => json.is_number(),
            "list" => json.as_array().is_some_and(|items| items.len() == 1),
            "map" => json.as_object().is_some_and(|entries| entries.len() == 1),
            _ => false,
        };
        assert!(written_as, "{name}: {shape} written as {json}");
    }

    /// A structure: its sample, every member set, round-trips and is written with exactly the
    /// model's members (an event-stream member is not part of the body).
    pub fn structure<T: Wire>(&mut self, name: &str, sample: &T) {
        let shape = self.shape(name);
        assert_eq!(shape["type"], "structure", "{name}");
        assert!(!is_union(&shape), "{name} is a union");
        let json = round_trip(name, sample);
        let written: BTreeSet<&str> = json
            .as_object()
            .unwrap_or_else(|| panic!("{name} written as {json}"))
            .keys()
            .map(String::as_str)
            .collect();
        let modeled: BTreeSet<&str> = shape["members"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, member)| !self.is_event_stream(&member["shape"]))
            .map(|(member, _)| member.as_str())
            .collect();
        assert_eq!(written, modeled, "{name}");
    }

    /// An enum: a variant per model value, in model order, each written as its value.
    pub fn enumeration<T: Wire>(&mut self, name: &str, variants: &[T]) {
        let shape = self.shape(name);
        let written: Vec<serde_json::Value> = variants
            .iter()
            .map(|variant| round_trip(name, variant))
            .collect();
        assert_eq!(serde_json::Value::from(written), shape["enum"], "{name}");
    }

    /// A union or event stream: a variant per member, in model order, each written as
    /// `{"Member": value}`.
    pub fn union<T: Wire>(&mut self, name: &str, variants: &[T]) {
        let shape = self.shape(name);
        assert!(is_union(&shape), "{name} is not a union");
        let written: Vec<String> = variants
            .iter()
            .map(|variant| {
                let json = round_trip(name, variant);
                let object = json.as_object().filter(|object| object.len() == 1);
                let object = object.unwrap_or_else(|| panic!("{name} written as {json}"));
                object.keys().next().unwrap().clone()
            })
            .collect();
        let modeled: Vec<String> = shape["members"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(written, modeled, "{name}");
    }

    fn is_event_stream(&self, shape_name: &serde_json::Value) -> bool {
        let shape = &self.model["shapes"][shape_name.as_str().unwrap()];
        shape.get("eventstream").and_then(|e| e.as_bool()) == Some(true)
    }

    /// How many shapes were checked; fails naming the shapes of the model that were not.
    fn finish(self) -> usize {
        let shapes = self.model["shapes"].as_object().unwrap();
        let missing: Vec<&String> = shapes.keys().filter(|s| !self.seen.contains(*s)).collect();
        let module = self.module;
        assert!(missing.is_empty(), "{module}: no Rust type for {missing:?}");
        self.seen.len()
    }
}

fn is_union(shape: &serde_json::Value) -> bool {
    ["union", "eventstream"]
        .iter()
        .any(|flag| shape.get(flag).and_then(|f| f.as_bool()) == Some(true))
}

/// Writes `sample` with the crate's writer, reads it back with the crate's reader, checks the
/// value is the same, and gives the JSON written.
fn round_trip<T: Wire>(name: &str, sample: &T) -> serde_json::Value {
    // Leaked (a few KiB for the whole test) so the value read back may borrow from it for
    // 'static, the lifetime of the sample.
    let json: &'static [u8] = Vec::leak(wire::to_vec(sample));
    let text = String::from_utf8_lossy(json);
    let back: T = wire::parse_body(json).unwrap_or_else(|e| panic!("{name}: {e} in {text}"));
    assert_eq!(&back, sample, "{name}: {text}");
    serde_json::from_slice(json).unwrap_or_else(|e| panic!("{name}: {e} in {text}"))
}

#[test]
fn every_exception_shape_has_an_error_variant() {
    for (file, codes) in [
        ("kinesis-2013-12-02.json", kinesis::Error::CODES),
        ("firehose-2015-08-04.json", firehose::Error::CODES),
    ] {
        let m = model(file);
        let exceptions: BTreeSet<&str> = m["shapes"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, s)| s.get("exception").and_then(|e| e.as_bool()) == Some(true))
            .map(|(name, _)| name.as_str())
            .collect();
        let ours: BTreeSet<&str> = codes.iter().copied().collect();
        assert_eq!(ours, exceptions, "{file}");
        for code in codes {
            let body = format!(r#"{{"__type":"{code}","message":"m"}}"#);
            let k = kinesis::Error::parse(body.as_bytes(), Some(400));
            let f = firehose::Error::parse(body.as_bytes(), Some(400));
            let parsed_code = if file.starts_with("kinesis") {
                k.unwrap().code().to_string()
            } else {
                f.unwrap().code().to_string()
            };
            assert_eq!(parsed_code, *code);
        }
    }
}
