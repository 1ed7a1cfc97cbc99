//! The generated shapes against the spec's wire forms: requests, responses, errors.

#![cfg(feature = "alloc")]

use std::borrow::Cow;

use kinesis_codec::kinesis;

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("valid JSON")
}

#[test]
fn put_records_request_round_trip_borrows() {
    let body = br#"{"StreamName":"s","Records":[{"Data":"aGVsbG8=","PartitionKey":"pk"},{"Data":"P\/8=","PartitionKey":"k\u00e9","ExplicitHashKey":"42"}]}"#;
    let request = kinesis::Request::parse(kinesis::Operation::PutRecords, body).unwrap();
    let kinesis::Request::PutRecords(input) = &request else {
        panic!("wrong variant");
    };
    assert!(matches!(input.stream_name, Some(Cow::Borrowed("s"))));
    assert_eq!(input.records[0].data.to_vec(), b"hello");
    assert!(matches!(
        input.records[0].partition_key,
        Some(Cow::Borrowed("pk"))
    ));
    assert!(matches!(
        input.records[1].partition_key,
        Some(Cow::Owned(_))
    ));
    assert_eq!(input.records[1].data.to_vec(), [0x3f, 0xff]);
    assert!(matches!(
        input.records[1].explicit_hash_key,
        Some(Cow::Borrowed("42"))
    ));
    assert_eq!(json(&request.to_vec()), json(body));
}
