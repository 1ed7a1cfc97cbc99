//! The heap-free response readers against botocore's parser and real moto answers.
//!
//! `tests/peers/botocore_producer.py responses` writes PutRecord(s) / PutRecordBatch / error
//! bodies the way JSON encoders do (json.dumps in several styles: `\uXXXX` escapes, raw UTF-8,
//! compact, indented, `\/`) and parses each with `botocore.parsers.create_parser('json')`;
//! `... moto` captures real moto 5.2.1 responses at the HTTP layer together with what boto3 made
//! of them. Every body must read here to exactly botocore's values.

#[path = "common/peers.rs"]
mod peers;

use kinesis_codec::hashkey::{Layout, Shard, ShardMap};
use kinesis_codec::producer::route::{route_all, shard_for, shard_index};
use kinesis_codec::producer::{
    ErrorResponse, FirehosePutRecordResponse, JsonStr, KinesisPutRecordResponse,
    PutRecordBatchResponse, PutRecordsResponse, Record,
};
use serde_json::{json, Map, Value};

fn s(v: &JsonStr<'_>) -> Value {
    // Both decoding paths must agree: Display (chars) and unescape_into.
    let shown = v.to_string();
    let mut buf = vec![0u8; v.unescaped_len()];
    let unescaped = v.unescape_into(&mut buf).unwrap();
    assert_eq!(shown, unescaped);
    if let Some(plain) = v.as_str() {
        assert!(!v.has_escapes());
        assert_eq!(plain, shown);
    }
    assert!(*v == *shown.as_str());
    Value::String(shown)
}

fn put(m: &mut Map<String, Value>, k: &str, v: Option<Value>) {
    if let Some(v) = v {
        m.insert(k.into(), v);
    }
}

/// What this crate reads from a body, in botocore's parsed form.
pub fn read(service: &str, operation: &str, status: u16, body: &[u8]) -> Value {
    let mut m = Map::new();
    if status >= 300 {
        let e = ErrorResponse::parse(body).unwrap_or_else(|e| panic!("{e}"));
        let mut buf = [0u8; 256];
        let code = e.code_into(&mut buf).unwrap().map(str::to_owned);
        if let (Some(fast), Some(code)) = (e.code(), &code) {
            assert_eq!(fast, code);
        }
        let message = e.message.map(|m| s(&m)).unwrap_or(json!(""));
        return json!({"Error": {"Code": code.map_or(json!(status.to_string()), Value::String), "Message": message}});
    }
    match (service, operation) {
        ("Kinesis", "PutRecords") => {
            let r = PutRecordsResponse::parse(body).unwrap_or_else(|e| panic!("{e}"));
            put(
                &mut m,
                "FailedRecordCount",
                r.failed_record_count().map(|n| json!(n)),
            );
            put(&mut m, "EncryptionType", r.encryption_type().map(|v| s(&v)));
            let entries: Vec<Value> = r
                .entries()
                .map(|e| {
                    let mut o = Map::new();
                    put(&mut o, "SequenceNumber", e.sequence_number.map(|v| s(&v)));
                    put(&mut o, "ShardId", e.shard_id.map(|v| s(&v)));
                    put(&mut o, "ErrorCode", e.error_code.map(|v| s(&v)));
                    put(&mut o, "ErrorMessage", e.error_message.map(|v| s(&v)));
                    Value::Object(o)
                })
                .collect();
            assert_eq!(entries.len(), r.len());
            let failed: Vec<usize> = r.failed_indexes().collect();
            let expect_failed: Vec<usize> = entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.get("ErrorCode").is_some())
                .map(|(i, _)| i)
                .collect();
            assert_eq!(failed, expect_failed);
            // (every case here carries `Records`; the reader does not tell absent from empty)
            m.insert("Records".into(), Value::Array(entries));
        }
        ("Firehose", "PutRecordBatch") => {
            let r = PutRecordBatchResponse::parse(body).unwrap_or_else(|e| panic!("{e}"));
            put(
                &mut m,
                "FailedPutCount",
                r.failed_put_count().map(|n| json!(n)),
            );
            put(&mut m, "Encrypted", r.encrypted().map(|b| json!(b)));
            let entries: Vec<Value> = r
                .entries()
                .map(|e| {
                    let mut o = Map::new();
                    put(&mut o, "RecordId", e.record_id.map(|v| s(&v)));
                    put(&mut o, "ErrorCode", e.error_code.map(|v| s(&v)));
                    put(&mut o, "ErrorMessage", e.error_message.map(|v| s(&v)));
                    Value::Object(o)
                })
                .collect();
            assert_eq!(entries.len(), r.len());
            assert_eq!(
                r.failed_indexes().count(),
                entries
                    .iter()
                    .filter(|e| e.get("ErrorCode").is_some())
                    .count()
            );
            m.insert("RequestResponses".into(), Value::Array(entries));
        }
        ("Kinesis", "PutRecord") => {
            let r = KinesisPutRecordResponse::parse(body).unwrap_or_else(|e| panic!("{e}"));
            put(&mut m, "ShardId", r.shard_id.map(|v| s(&v)));
            put(&mut m, "SequenceNumber", r.sequence_number.map(|v| s(&v)));
            put(&mut m, "EncryptionType", r.encryption_type.map(|v| s(&v)));
        }
        ("Firehose", "PutRecord") => {
            let r = FirehosePutRecordResponse::parse(body).unwrap_or_else(|e| panic!("{e}"));
            put(&mut m, "RecordId", r.record_id.map(|v| s(&v)));
            put(&mut m, "Encrypted", r.encrypted.map(|b| json!(b)));
        }
        other => panic!("unexpected operation {other:?}"),
    }
    Value::Object(m)
}

fn peer(test: &str, mode: &str) -> Option<Vec<Value>> {
    let out = peers::run_script(test, "botocore_producer.py", &[mode.as_ref()])?;
    Some(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
    )
}

fn check_all(cases: &[Value]) {
    for c in cases {
        let service = c["service"].as_str().unwrap();
        let operation = c["operation"].as_str().unwrap();
        let status = c["status"].as_u64().unwrap() as u16;
        let body = c["body"].as_str().unwrap();
        let mine = read(service, operation, status, body.as_bytes());
        let mut expected = c["parsed"].clone();
        if status >= 300 {
            // Keep botocore's Error object only (moto cases also carry modeled members).
            expected = json!({"Error": expected["Error"].clone()});
        }
        assert_eq!(mine, expected, "{service}.{operation} {status} body {body}");
        #[cfg(feature = "alloc")]
        assert_eq!(
            serde_read(service, operation, status, body.as_bytes()),
            mine,
            "serde shapes: {service}.{operation} {status} body {body}"
        );
    }
}

/// The same values through this crate's generated serde shapes (feature `alloc`).
#[cfg(feature = "alloc")]
fn serde_read(service: &str, operation: &str, status: u16, body: &[u8]) -> Value {
    use kinesis_codec::{firehose, kinesis};
    let st = |v: Option<&str>| v.map(|s| json!(s));
    let mut m = Map::new();
    if status >= 300 {
        let (code, message) = if service == "Kinesis" {
            let e = kinesis::Error::parse(body, Some(status)).unwrap();
            (e.code().to_owned(), e.message().map(str::to_owned))
        } else {
            let e = firehose::Error::parse(body, Some(status)).unwrap();
            (e.code().to_owned(), e.message().map(str::to_owned))
        };
        return json!({"Error": {"Code": code, "Message": message.unwrap_or_default()}});
    }
    match (service, operation) {
        ("Kinesis", "PutRecords") => {
            let kinesis::Response::PutRecords(r) =
                kinesis::Response::parse(kinesis::Operation::PutRecords, body).unwrap()
            else {
                panic!("wrong response")
            };
            put(
                &mut m,
                "FailedRecordCount",
                r.failed_record_count.map(|n| json!(n)),
            );
            put(
                &mut m,
                "EncryptionType",
                r.encryption_type.as_ref().map(|e| json!(e.as_str())),
            );
            let entries = r
                .records
                .unwrap_or_default()
                .iter()
                .map(|e| {
                    let mut o = Map::new();
                    put(&mut o, "SequenceNumber", st(e.sequence_number.as_deref()));
                    put(&mut o, "ShardId", st(e.shard_id.as_deref()));
                    put(&mut o, "ErrorCode", st(e.error_code.as_deref()));
                    put(&mut o, "ErrorMessage", st(e.error_message.as_deref()));
                    Value::Object(o)
                })
                .collect();
            m.insert("Records".into(), Value::Array(entries));
        }
        ("Firehose", "PutRecordBatch") => {
            let firehose::Response::PutRecordBatch(r) =
                firehose::Response::parse(firehose::Operation::PutRecordBatch, body).unwrap()
            else {
                panic!("wrong response")
            };
            put(
                &mut m,
                "FailedPutCount",
                r.failed_put_count.map(|n| json!(n)),
            );
            put(&mut m, "Encrypted", r.encrypted.map(|b| json!(b)));
            let entries = r
                .request_responses
                .unwrap_or_default()
                .iter()
                .map(|e| {
                    let mut o = Map::new();
                    put(&mut o, "RecordId", st(e.record_id.as_deref()));
                    put(&mut o, "ErrorCode", st(e.error_code.as_deref()));
                    put(&mut o, "ErrorMessage", st(e.error_message.as_deref()));
                    Value::Object(o)
                })
                .collect();
            m.insert("RequestResponses".into(), Value::Array(entries));
        }
        ("Kinesis", "PutRecord") => {
            let kinesis::Response::PutRecord(r) =
                kinesis::Response::parse(kinesis::Operation::PutRecord, body).unwrap()
            else {
                panic!("wrong response")
            };
            put(&mut m, "ShardId", st(r.shard_id.as_deref()));
            put(&mut m, "SequenceNumber", st(r.sequence_number.as_deref()));
            put(
                &mut m,
                "EncryptionType",
                r.encryption_type.as_ref().map(|e| json!(e.as_str())),
            );
        }
        ("Firehose", "PutRecord") => {
            let firehose::Response::PutRecord(r) =
                firehose::Response::parse(firehose::Operation::PutRecord, body).unwrap()
            else {
                panic!("wrong response")
            };
            put(&mut m, "RecordId", st(r.record_id.as_deref()));
            put(&mut m, "Encrypted", r.encrypted.map(|b| json!(b)));
        }
        other => panic!("unexpected operation {other:?}"),
    }
    Value::Object(m)
}

#[test]
fn botocore_serialized_responses_read_as_botocore_parses_them() {
    let Some(cases) = peer(
        "botocore_serialized_responses_read_as_botocore_parses_them",
        "responses",
    ) else {
        return;
    };
    assert!(cases.len() >= 70, "the peer wrote {} cases", cases.len());
    check_all(&cases);
}

#[test]
fn moto_responses_read_as_boto3_parses_them() {
    let Some(cases) = peer("moto_responses_read_as_boto3_parses_them", "moto") else {
        return;
    };
    assert_eq!(
        cases.len(),
        10,
        "the peer captured {} responses",
        cases.len()
    );
    assert!(cases.iter().any(|c| c["status"] == json!(400)));
    check_all(&cases);
}

/// moto routed the records of its PutRecords calls (`key-1` .. `key-39`, and one record with
/// `ExplicitHashKey` 2^127) over a 4-shard stream; routing them here ahead of time with the
/// CreateStream layout must name the same shards.
#[test]
fn routing_ahead_of_time_matches_the_shards_moto_chose() {
    let Some(cases) = peer(
        "routing_ahead_of_time_matches_the_shards_moto_chose",
        "moto",
    ) else {
        return;
    };
    let shards: [Shard; 4] = core::array::from_fn(|i| Layout::Aws.shard(4, i as u32).unwrap());
    let map = ShardMap::new(&shards).unwrap();
    let put_records: Vec<&Value> = cases
        .iter()
        .filter(|c| c["operation"] == "PutRecords" && c["status"] == json!(200))
        .collect();
    assert_eq!(put_records.len(), 2);
    let keys: Vec<String> = (1..40).map(|i| format!("key-{i}")).collect();
    let ehk = (1u128 << 127).to_string();
    let expected: [Vec<Record<'_>>; 2] = [
        keys.iter().map(|k| Record::new(b"", k)).collect(),
        vec![Record::new(b"x", "p").with_explicit_hash_key(&ehk)],
    ];
    for (case, records) in put_records.iter().zip(&expected) {
        let body = case["body"].as_str().unwrap().as_bytes();
        let response = PutRecordsResponse::parse(body).unwrap();
        assert_eq!(response.len(), records.len());
        let mut shard_of = vec![0usize; records.len()];
        route_all(&map, records, &mut shard_of).unwrap();
        for ((entry, record), &index) in response.entries().zip(records).zip(&shard_of) {
            let ours = shard_for(&map, record).unwrap().id.to_string();
            assert_eq!(ours, shards[index].id.to_string());
            assert_eq!(
                entry.shard_id.unwrap().as_str(),
                Some(ours.as_str()),
                "record {record:?}"
            );
        }
    }
    // The distinct shards used by the 39 keys: more than one, so the check has teeth.
    let mut used: Vec<usize> = expected[0]
        .iter()
        .map(|r| shard_index(&map, r).unwrap())
        .collect();
    used.sort();
    used.dedup();
    assert!(used.len() >= 3, "{used:?}");
}
