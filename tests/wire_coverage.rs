//! Every operation and every shape of both models has its Rust counterpart.
//!
//! The expected sets are read from the model files here, independently of the generator.

#![cfg(feature = "alloc")]

use std::collections::BTreeSet;
use std::path::Path;

use kinesis_codec::{firehose, kinesis};

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

/// Names declared `pub struct X`, `pub enum X` or `pub type X` in the files of a directory.
fn declared_types(dir: &Path) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            let line = line.trim_start();
            for keyword in ["pub struct ", "pub enum ", "pub type "] {
                if let Some(rest) = line.strip_prefix(keyword) {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    names.insert(name);
                }
            }
        }
    }
    names
}

#[test]
fn every_model_shape_has_a_rust_type() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut total = 0;
    for (file, module) in [
        ("kinesis-2013-12-02.json", "kinesis"),
        ("firehose-2015-08-04.json", "firehose"),
    ] {
        let m = model(file);
        let shapes: BTreeSet<String> = m["shapes"].as_object().unwrap().keys().cloned().collect();
        total += shapes.len();
        let shapes_dir = root.join("src").join(module).join("generated/shapes");
        let declared = declared_types(&shapes_dir);
        let missing: Vec<&String> = shapes.difference(&declared).collect();
        assert!(missing.is_empty(), "{module}: no Rust type for {missing:?}");
    }
    assert_eq!(total, 608);
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
