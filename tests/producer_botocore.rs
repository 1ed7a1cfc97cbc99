//! Producer request bodies checked by botocore: proptest-generated records (arbitrary bytes,
//! arbitrary keys and stream names) are written into caller buffers for all four operations;
//! `tests/peers/botocore_producer.py bodies` parses every body (json.loads + strict base64 of
//! `Data`), validates it with botocore's `ParamValidator` against the model's input shape,
//! re-serializes it with botocore's JSON serializer (must be the same JSON value), and prints the
//! parameters, which must equal the inputs.

use std::io::Write as _;

#[path = "common/peers.rs"]
mod peers;

use kinesis_codec::producer::{
    write_firehose_put_record, write_kinesis_put_record, Operation, PutRecordBatchWriter,
    PutRecordOptions, PutRecordsWriter, Record, Sink, SliceBuf, StreamRef, CONTENT_TYPE,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{json, Map, Value};

#[derive(Debug, Clone)]
struct OwnedRecord {
    data: Vec<u8>,
    key: String,
    ehk: Option<String>,
}

#[derive(Debug, Clone)]
enum Case {
    KinesisPutRecords {
        name: Option<String>,
        arn: Option<String>,
        records: Vec<OwnedRecord>,
    },
    KinesisPutRecord {
        name: Option<String>,
        arn: Option<String>,
        record: OwnedRecord,
        seq: Option<String>,
    },
    FirehosePutRecordBatch {
        name: String,
        records: Vec<Vec<u8>>,
    },
    FirehosePutRecord {
        name: String,
        data: Vec<u8>,
    },
}

/// Strings of 1..=max chars mixing the hard cases: quotes, backslashes, every control
/// character, DEL, non-ASCII, astral characters, U+2028/2029.
fn text(max: usize) -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        3 => any::<char>(),
        2 => prop::sample::select(vec!['"', '\\', '/', '\u{7f}', '\u{2028}', '\u{2029}', 'é', '😀']),
        2 => (0u8..0x20).prop_map(char::from),
        3 => prop::char::range('a', 'z'),
    ];
    prop::collection::vec(ch, 1..=max).prop_map(|v| v.into_iter().collect())
}

fn hash_key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0".to_string()),
        Just(u128::MAX.to_string()),
        any::<u128>().prop_map(|k| k.to_string()),
        (0u64..1000).prop_map(|k| k.to_string()),
    ]
}

fn record() -> impl Strategy<Value = OwnedRecord> {
    (
        prop::collection::vec(any::<u8>(), 0..200),
        text(40),
        prop::option::of(hash_key()),
    )
        .prop_map(|(data, key, ehk)| OwnedRecord { data, key, ehk })
}

fn stream_ref() -> impl Strategy<Value = (Option<String>, Option<String>)> {
    prop_oneof![
        text(30).prop_map(|n| (Some(n), None)),
        text(60).prop_map(|a| (None, Some(a))),
        (text(30), text(60)).prop_map(|(n, a)| (Some(n), Some(a))),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    prop_oneof![
        (stream_ref(), prop::collection::vec(record(), 1..12))
            .prop_map(|((name, arn), records)| { Case::KinesisPutRecords { name, arn, records } }),
        (
            stream_ref(),
            record(),
            prop::option::of(prop_oneof![
                Just("0".to_string()),
                "[1-9][0-9]{0,60}".prop_map(|s| s)
            ])
        )
            .prop_map(|((name, arn), record, seq)| Case::KinesisPutRecord {
                name,
                arn,
                record,
                seq
            }),
        (
            text(30),
            prop::collection::vec(prop::collection::vec(any::<u8>(), 0..200), 1..12)
        )
            .prop_map(|(name, records)| Case::FirehosePutRecordBatch { name, records }),
        (text(30), prop::collection::vec(any::<u8>(), 0..300))
            .prop_map(|(name, data)| Case::FirehosePutRecord { name, data }),
    ]
}

fn stream<'a>(name: &'a Option<String>, arn: &'a Option<String>) -> StreamRef<'a> {
    match (name, arn) {
        (Some(n), Some(a)) => StreamRef::NameAndArn { name: n, arn: a },
        (Some(n), None) => StreamRef::Name(n),
        (None, Some(a)) => StreamRef::Arn(a),
        (None, None) => unreachable!("strategy always names the stream"),
    }
}

fn rec(r: &OwnedRecord) -> Record<'_> {
    Record {
        data: &r.data,
        partition_key: &r.key,
        explicit_hash_key: r.ehk.as_deref(),
    }
}

/// Writes the body into a stack-like buffer, returns (operation, body).
fn write(case: &Case, storage: &mut [u8]) -> (Operation, Vec<u8>) {
    let mut out = SliceBuf::new(storage);
    let op = match case {
        Case::KinesisPutRecords { name, arn, records } => {
            let mut w = PutRecordsWriter::new(&mut out, stream(name, arn)).unwrap();
            for r in records {
                w.push(&rec(r)).unwrap();
            }
            w.finish().unwrap();
            Operation::KinesisPutRecords
        }
        Case::KinesisPutRecord {
            name,
            arn,
            record,
            seq,
        } => {
            let opts = PutRecordOptions {
                sequence_number_for_ordering: seq.as_deref(),
            };
            let n =
                write_kinesis_put_record(&mut out, stream(name, arn), &rec(record), opts).unwrap();
            assert_eq!(n, out.len());
            Operation::KinesisPutRecord
        }
        Case::FirehosePutRecordBatch { name, records } => {
            let mut w = PutRecordBatchWriter::new(&mut out, name).unwrap();
            for r in records {
                w.push(r).unwrap();
            }
            w.finish().unwrap();
            Operation::FirehosePutRecordBatch
        }
        Case::FirehosePutRecord { name, data } => {
            let n = write_firehose_put_record(&mut out, name, data).unwrap();
            assert_eq!(n, out.len());
            Operation::FirehosePutRecord
        }
    };
    (op, out.written().to_vec())
}

fn hex(b: &[u8]) -> Value {
    json!({ "hex": b.iter().map(|x| format!("{x:02x}")).collect::<String>() })
}

fn expected(case: &Case) -> Value {
    fn stream_members(m: &mut Map<String, Value>, name: &Option<String>, arn: &Option<String>) {
        if let Some(n) = name {
            m.insert("StreamName".into(), json!(n));
        }
        if let Some(a) = arn {
            m.insert("StreamARN".into(), json!(a));
        }
    }
    fn record_members(m: &mut Map<String, Value>, r: &OwnedRecord) {
        m.insert("Data".into(), hex(&r.data));
        m.insert("PartitionKey".into(), json!(r.key));
        if let Some(k) = &r.ehk {
            m.insert("ExplicitHashKey".into(), json!(k));
        }
    }
    let mut m = Map::new();
    match case {
        Case::KinesisPutRecords { name, arn, records } => {
            stream_members(&mut m, name, arn);
            let list = records
                .iter()
                .map(|r| {
                    let mut e = Map::new();
                    record_members(&mut e, r);
                    Value::Object(e)
                })
                .collect();
            m.insert("Records".into(), Value::Array(list));
        }
        Case::KinesisPutRecord {
            name,
            arn,
            record,
            seq,
        } => {
            stream_members(&mut m, name, arn);
            record_members(&mut m, record);
            if let Some(s) = seq {
                m.insert("SequenceNumberForOrdering".into(), json!(s));
            }
        }
        Case::FirehosePutRecordBatch { name, records } => {
            m.insert("DeliveryStreamName".into(), json!(name));
            let list = records.iter().map(|d| json!({ "Data": hex(d) })).collect();
            m.insert("Records".into(), Value::Array(list));
        }
        Case::FirehosePutRecord { name, data } => {
            m.insert("DeliveryStreamName".into(), json!(name));
            m.insert("Record".into(), json!({ "Data": hex(data) }));
        }
    }
    Value::Object(m)
}

fn op_label(op: Operation) -> &'static str {
    match op {
        Operation::KinesisPutRecord => "Kinesis.PutRecord",
        Operation::KinesisPutRecords => "Kinesis.PutRecords",
        Operation::FirehosePutRecord => "Firehose.PutRecord",
        Operation::FirehosePutRecordBatch => "Firehose.PutRecordBatch",
    }
}

#[test]
fn bodies_parse_in_botocore_to_the_inputs() {
    let Some(python) = peers::python("bodies_parse_in_botocore_to_the_inputs") else {
        return;
    };
    let mut runner = TestRunner::deterministic();
    let strategy = case();
    let cases: Vec<Case> = (0..400)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect();
    let mut storage = vec![0u8; 64 * 1024];
    let path = std::env::temp_dir().join(format!("producer_bodies_{}.txt", std::process::id()));
    let mut file = std::fs::File::create(&path).unwrap();
    let mut written = Vec::new();
    for c in &cases {
        let (op, body) = write(c, &mut storage);
        // The body must be valid JSON for serde_json as well.
        serde_json::from_slice::<Value>(&body).unwrap_or_else(|e| {
            panic!("serde_json rejects {}: {e}", String::from_utf8_lossy(&body))
        });
        file.write_all(op_label(op).as_bytes()).unwrap();
        file.write_all(b"\t").unwrap();
        file.write_all(&body).unwrap();
        file.write_all(b"\n").unwrap();
        written.push((op, body));
    }
    drop(file);
    let out = peers::command(python, "botocore_producer.py")
        .arg("bodies")
        .arg(&path)
        .output()
        .expect("run python3");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "botocore_producer.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), cases.len(), "one answer per body");
    for ((c, (op, body)), answer) in cases.iter().zip(&written).zip(&lines) {
        assert_eq!(
            answer["ok"],
            json!(true),
            "botocore refused body {}: {}",
            String::from_utf8_lossy(body),
            answer["error"]
        );
        assert_eq!(
            answer["params"],
            expected(c),
            "body {}",
            String::from_utf8_lossy(body)
        );
        assert_eq!(answer["target"], json!(op.target()));
        assert_eq!(answer["content_type"], json!(CONTENT_TYPE));
    }
}

/// The same bodies, parsed by this crate's generated serde shapes (feature `alloc`), give back
/// the inputs too.
#[cfg(feature = "alloc")]
#[test]
fn bodies_parse_in_the_serde_shapes_to_the_inputs() {
    use kinesis_codec::{firehose, kinesis};
    fn opt(m: &mut Map<String, Value>, k: &str, v: Option<&str>) {
        if let Some(v) = v {
            m.insert(k.into(), json!(v));
        }
    }
    fn entry(
        data: &kinesis_codec::blob::Blob<'_>,
        key: Option<&str>,
        ehk: Option<&str>,
    ) -> Map<String, Value> {
        let mut e = Map::new();
        e.insert("Data".into(), hex(&data.to_vec()));
        opt(&mut e, "PartitionKey", key);
        opt(&mut e, "ExplicitHashKey", ehk);
        e
    }
    let mut runner = TestRunner::deterministic();
    let strategy = case();
    let mut storage = vec![0u8; 64 * 1024];
    for _ in 0..400 {
        let c = strategy.new_tree(&mut runner).unwrap().current();
        let (op, body) = write(&c, &mut storage);
        let mut m = Map::new();
        match op {
            Operation::KinesisPutRecords => {
                let kinesis::Request::PutRecords(r) =
                    kinesis::Request::parse(kinesis::Operation::PutRecords, &body).unwrap()
                else {
                    panic!("wrong request")
                };
                opt(&mut m, "StreamName", r.stream_name.as_deref());
                opt(&mut m, "StreamARN", r.stream_arn.as_deref());
                let list = r
                    .records
                    .iter()
                    .map(|e| {
                        Value::Object(entry(
                            &e.data,
                            e.partition_key.as_deref(),
                            e.explicit_hash_key.as_deref(),
                        ))
                    })
                    .collect();
                m.insert("Records".into(), Value::Array(list));
            }
            Operation::KinesisPutRecord => {
                let kinesis::Request::PutRecord(r) =
                    kinesis::Request::parse(kinesis::Operation::PutRecord, &body).unwrap()
                else {
                    panic!("wrong request")
                };
                opt(&mut m, "StreamName", r.stream_name.as_deref());
                opt(&mut m, "StreamARN", r.stream_arn.as_deref());
                m.extend(entry(
                    &r.data,
                    r.partition_key.as_deref(),
                    r.explicit_hash_key.as_deref(),
                ));
                opt(
                    &mut m,
                    "SequenceNumberForOrdering",
                    r.sequence_number_for_ordering.as_deref(),
                );
            }
            Operation::FirehosePutRecordBatch => {
                let firehose::Request::PutRecordBatch(r) =
                    firehose::Request::parse(firehose::Operation::PutRecordBatch, &body).unwrap()
                else {
                    panic!("wrong request")
                };
                m.insert("DeliveryStreamName".into(), json!(r.delivery_stream_name));
                let list = r
                    .records
                    .iter()
                    .map(|e| json!({ "Data": hex(&e.data.to_vec()) }))
                    .collect();
                m.insert("Records".into(), Value::Array(list));
            }
            Operation::FirehosePutRecord => {
                let firehose::Request::PutRecord(r) =
                    firehose::Request::parse(firehose::Operation::PutRecord, &body).unwrap()
                else {
                    panic!("wrong request")
                };
                m.insert("DeliveryStreamName".into(), json!(r.delivery_stream_name));
                m.insert(
                    "Record".into(),
                    json!({ "Data": hex(&r.record.data.to_vec()) }),
                );
            }
        }
        assert_eq!(
            Value::Object(m),
            expected(&c),
            "body {}",
            String::from_utf8_lossy(&body)
        );
        // The generated Operation enums agree on the X-Amz-Target values.
        let target = match op {
            Operation::KinesisPutRecords => kinesis::Operation::PutRecords.target(),
            Operation::KinesisPutRecord => kinesis::Operation::PutRecord.target(),
            Operation::FirehosePutRecordBatch => firehose::Operation::PutRecordBatch.target(),
            Operation::FirehosePutRecord => firehose::Operation::PutRecord.target(),
        };
        assert_eq!(op.target(), target);
    }
}
