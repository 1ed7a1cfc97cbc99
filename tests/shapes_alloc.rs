//! Heap allocations of a GetRecords response parse: the records borrow their strings and base64
//! data from the body, so N records cost the `Records` Vec's growth (O(log N) reallocations) and
//! nothing per record, for records whose strings contain no escapes.
//!
//! Counted by the tests' one counting allocator, around the measured call only.
#![cfg(feature = "alloc")]

#[path = "common/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::count;
use kinesis_codec::kinesis::{Operation, Response};

/// A GetRecords response body of `n` records as Kinesis writes it (no escapes in any string).
fn get_records_body(n: usize) -> Vec<u8> {
    let mut s = String::from(r#"{"Records":["#);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(
            r#"{{"SequenceNumber":"4959033827149025660855969253836157109592157598913658{i:04}","ApproximateArrivalTimestamp":1441215410.867,"Data":"SGVsbG8sIEtpbmVzaXMhIHJlY29yZCBudW1iZXIg{i:04}","PartitionKey":"partition-key-{i}","EncryptionType":"NONE"}}"#
        ));
    }
    s.push_str(r#"],"NextShardIterator":"AAAAAAAAAAHsW8zCWf9164uy8Epue6WS3w6wmj4a4USt+CNvMd6uXQ+HL5vAJMznqqC0DLKsIjuoiTi1BpT6nW0LN2M2D56zM5H8anHm30Gbri9ua+qaGgj+3XTyvbhpERfrezgLHbPB/rIcVpykJbaSj5tmcXYRmFnqZBEyHwtZYFmh6hvWVFkIwLuMZLMrpWhG5r5hzkE=","MillisBehindLatest":0}"#);
    s.into_bytes()
}

/// Allocations made by parsing a GetRecords response of `n` records.
fn allocations_for(n: usize) -> usize {
    let body = get_records_body(n);
    let (parsed, count) = count(|| Response::parse(Operation::GetRecords, &body));
    let parsed = parsed.expect("the body parses");
    // The parse did happen and kept every record (checked outside the counted region).
    let out: serde_json::Value = serde_json::from_slice(&parsed.to_vec()).unwrap();
    assert_eq!(out["Records"].as_array().map(Vec::len), Some(n));
    drop(parsed);
    count
}

#[test]
fn get_records_parse_allocates_per_vec_growth_not_per_record() {
    let small = allocations_for(10);
    let large = allocations_for(1000);
    let huge = allocations_for(10_000);
    eprintln!("allocations: 10 records {small}, 1000 records {large}, 10000 records {huge}");
    // Doubling growth from 10 to 1000 elements is about 7 reallocations; to 10,000 about 10.
    // Anything per record would be at least 990 / 9990.
    assert!(
        large - small <= 12,
        "10 records: {small}, 1000 records: {large} allocations"
    );
    assert!(
        huge - large <= 8,
        "1000 records: {large}, 10000 records: {huge} allocations"
    );
}

/// Allocations made by parsing the same answer in CBOR (the Java SDK's form: `Data` as byte
/// strings, which the records borrow as raw bytes).
fn cbor_allocations_for(n: usize) -> usize {
    use kinesis_codec::wire::Protocol;
    let json = get_records_body(n);
    let cbor = Response::parse(Operation::GetRecords, &json)
        .unwrap()
        .to_vec_in(Protocol::Cbor);
    let (parsed, count) =
        count(|| Response::parse_in(Protocol::Cbor, Operation::GetRecords, &cbor));
    let parsed = parsed.expect("the body parses");
    let Response::GetRecords(out) = &parsed else {
        unreachable!()
    };
    let records = out.records.as_deref().unwrap_or_default();
    assert_eq!(records.len(), n);
    // Every record's bytes are in hand, borrowed from the body.
    assert!(records
        .iter()
        .all(|r| r.data.as_ref().and_then(|d| d.as_bytes()).is_some()));
    drop(parsed);
    count
}

#[test]
fn get_records_cbor_parse_allocates_per_vec_growth_not_per_record() {
    let small = cbor_allocations_for(10);
    let large = cbor_allocations_for(1000);
    let huge = cbor_allocations_for(10_000);
    eprintln!("CBOR allocations: 10 records {small}, 1000 records {large}, 10000 records {huge}");
    assert!(
        large - small <= 12,
        "10 records: {small}, 1000 records: {large}"
    );
    assert!(
        huge - large <= 8,
        "1000 records: {large}, 10000 records: {huge}"
    );
}

/// `records::parse_get_records_cbor`, the consumer's call, on the same answers: one allocation
/// (the record list, sized from the array's length), whatever the number of records.
#[test]
fn get_records_cbor_direct_reader_allocates_once() {
    use kinesis_codec::kinesis::records::parse_get_records_cbor;
    use kinesis_codec::wire::Protocol;
    for n in [1, 10, 1000, 10_000] {
        let json = get_records_body(n);
        let cbor = Response::parse(Operation::GetRecords, &json)
            .unwrap()
            .to_vec_in(Protocol::Cbor);
        let (parsed, count) = count(|| parse_get_records_cbor(&cbor));
        let out = parsed.expect("the body parses");
        let records = out.records.as_deref().unwrap_or_default();
        assert_eq!(records.len(), n);
        assert!(records
            .iter()
            .all(|r| r.data.as_ref().and_then(|d| d.as_bytes()).is_some()));
        assert_eq!(count, 1, "{n} records: {count} allocations");
    }
}
