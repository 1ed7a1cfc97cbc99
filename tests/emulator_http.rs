//! The example endpoint (`examples/emulator/`) over plain HTTP, with the crate's own client
//! (`tests/common/kinesis_http.rs`): a CBOR round trip as the AWS SDK for Java sends it (record
//! data as byte strings, timestamps as tag-1 epoch values), answered in CBOR; and what never
//! reaches an operation (an unknown target, a body that is not JSON) answered with an error.

#![cfg(feature = "std")]

#[path = "common/emulator.rs"]
mod emulator;
#[path = "common/kinesis_http.rs"]
mod kinesis_http;

use std::time::{SystemTime, UNIX_EPOCH};

use ciborium::value::Value as Cbor;
use kinesis_codec::kinesis::{shapes, Error, Operation, Request, Response};
use kinesis_codec::wire::Protocol;

/// The CBOR value of `key` in a CBOR map.
fn member<'v>(map: &'v Cbor, key: &str) -> &'v Cbor {
    map.as_map()
        .expect("a map")
        .iter()
        .find(|(k, _)| k.as_text() == Some(key))
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no {key} in {map:?}"))
}

/// Sends a JSON-written request in CBOR and returns the answer's status and body.
fn call(host: &str, operation: Operation, json: &str) -> (u16, Vec<u8>) {
    let request = Request::parse(operation, json.as_bytes()).expect("a valid request");
    let answer = kinesis_http::post(
        host,
        Protocol::Cbor,
        operation,
        &request.to_vec_in(Protocol::Cbor),
    );
    assert_eq!(
        answer.header("content-type"),
        Some(Protocol::Cbor.content_type()),
        "answered in the protocol asked"
    );
    (answer.status, answer.body)
}

#[test]
fn cbor_put_record_and_get_records_round_trip() {
    let server = emulator::Emulator::start();
    let host = server.address();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64;

    let (status, _) = call(
        host,
        Operation::CreateStream,
        r#"{"StreamName":"cbor","ShardCount":2}"#,
    );
    assert_eq!(status, 200);
    // Every byte value, as a CBOR byte string.
    let data: Vec<u8> = (0..=255).collect();
    let put = shapes::PutRecordInput {
        data: kinesis_codec::blob::Blob::from_bytes(&data),
        partition_key: Some("java".into()),
        stream_name: Some("cbor".into()),
        ..Default::default()
    };
    let body = Request::PutRecord(put).to_vec_in(Protocol::Cbor);
    let answer = kinesis_http::post(host, Protocol::Cbor, Operation::PutRecord, &body);
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    let Response::PutRecord(put) =
        Response::parse_in(Protocol::Cbor, Operation::PutRecord, &answer.body).expect("CBOR")
    else {
        panic!("not a PutRecord answer")
    };
    let shard = put.shard_id.expect("ShardId").into_owned();
    let sequence = put.sequence_number.expect("SequenceNumber").into_owned();

    let (status, body) = call(
        host,
        Operation::GetShardIterator,
        &format!(
            r#"{{"StreamName":"cbor","ShardId":"{shard}","ShardIteratorType":"AT_SEQUENCE_NUMBER","StartingSequenceNumber":"{sequence}"}}"#
        ),
    );
    assert_eq!(status, 200);
    let Response::GetShardIterator(iterator) =
        Response::parse_in(Protocol::Cbor, Operation::GetShardIterator, &body).expect("CBOR")
    else {
        panic!("not a GetShardIterator answer")
    };
    let iterator = iterator.shard_iterator.expect("ShardIterator");

    let (status, body) = call(
        host,
        Operation::GetRecords,
        &format!(r#"{{"ShardIterator":"{iterator}"}}"#),
    );
    assert_eq!(status, 200);
    // On the wire: the data a byte string, the arrival time tag 1 + integer milliseconds.
    let value: Cbor = ciborium::from_reader(body.as_slice()).expect("a CBOR answer");
    let records = member(&value, "Records").as_array().expect("Records");
    assert_eq!(records.len(), 1);
    assert_eq!(member(&records[0], "Data"), &Cbor::Bytes(data.clone()));
    let Cbor::Tag(1, arrival) = member(&records[0], "ApproximateArrivalTimestamp") else {
        panic!("not a tag-1 timestamp: {:?}", records[0])
    };
    // Milliseconds, as the Java SDK writes them (spec/cbor.md; RFC 8949 says seconds).
    let Cbor::Integer(millis) = arrival.as_ref() else {
        panic!("not integer milliseconds: {arrival:?}")
    };
    let arrival_millis = i64::try_from(i128::from(*millis)).expect("milliseconds");
    assert!(
        (arrival_millis - now).abs() < 60_000,
        "arrival {arrival_millis} not within a minute of {now}"
    );
    // And through the crate's parser.
    let Response::GetRecords(records) =
        Response::parse_in(Protocol::Cbor, Operation::GetRecords, &body).expect("CBOR")
    else {
        panic!("not a GetRecords answer")
    };
    let record = &records.records.expect("Records")[0];
    assert_eq!(record.data.as_ref().expect("Data").to_vec(), data);
    assert_eq!(record.sequence_number.as_deref(), Some(sequence.as_str()));
    assert_eq!(records.millis_behind_latest, Some(0));
    assert!(records.next_shard_iterator.is_some());
}

#[test]
fn what_reaches_no_operation_is_answered_with_an_error() {
    let server = emulator::Emulator::start();
    let host = server.address();

    // A target no operation has.
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nX-Amz-Target: Kinesis_20131202.Nope\r\n\
         Content-Type: application/x-amz-json-1.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
    );
    let answer = kinesis_http::exchange(host, request.as_bytes());
    assert_eq!(answer.status, 400);
    let error = Error::parse(&answer.body, Some(answer.status)).expect("an error body");
    assert_eq!(error.code(), "UnknownOperationException");
    assert_eq!(
        error.message(),
        Some("Unknown operation Kinesis_20131202.Nope")
    );

    // A body that is not JSON, and one that is not CBOR.
    for protocol in [Protocol::Json, Protocol::Cbor] {
        let answer = kinesis_http::post(host, protocol, Operation::ListStreams, b"{\"Limit\":");
        assert_eq!(answer.status, 400, "{protocol:?}");
        let error = Error::parse_in(protocol, &answer.body, Some(answer.status)).expect("error");
        assert_eq!(error.code(), "SerializationException", "{protocol:?}");
    }

    // The server still answers.
    let answer = kinesis_http::post(host, Protocol::Json, Operation::ListStreams, b"{}");
    assert_eq!(answer.status, 200, "{}", answer.text());
}

/// A shard's `StartingSequenceNumber` is below its first record's, so a consumer that resumes
/// after it (an idle subscription's `ContinuationSequenceNumber` on an empty shard) gets the
/// first record put afterwards; at it, likewise.
#[test]
fn after_the_starting_sequence_number_comes_the_first_record() {
    let server = emulator::Emulator::start();
    let host = server.address();
    let json = |operation: Operation, body: &str| {
        let answer = kinesis_http::post(host, Protocol::Json, operation, body.as_bytes());
        assert_eq!(answer.status, 200, "{operation:?}: {}", answer.text());
        answer.body
    };
    json(
        Operation::CreateStream,
        r#"{"StreamName":"resume","ShardCount":1}"#,
    );
    let body = json(Operation::ListShards, r#"{"StreamName":"resume"}"#);
    let Response::ListShards(listed) =
        Response::parse(Operation::ListShards, &body).expect("ListShards")
    else {
        panic!("not a ListShards answer")
    };
    let shard = &listed.shards.expect("Shards")[0];
    let start = shard
        .sequence_number_range
        .as_ref()
        .expect("SequenceNumberRange")
        .starting_sequence_number
        .as_deref()
        .expect("StartingSequenceNumber")
        .to_owned();
    let shard_id = shard.shard_id.as_deref().expect("ShardId").to_owned();

    let mut iterators = Vec::new();
    for kind in ["AFTER_SEQUENCE_NUMBER", "AT_SEQUENCE_NUMBER"] {
        let body = json(
            Operation::GetShardIterator,
            &format!(
                r#"{{"StreamName":"resume","ShardId":"{shard_id}","ShardIteratorType":"{kind}","StartingSequenceNumber":"{start}"}}"#
            ),
        );
        let Response::GetShardIterator(got) =
            Response::parse(Operation::GetShardIterator, &body).expect("GetShardIterator")
        else {
            panic!("not a GetShardIterator answer")
        };
        iterators.push(got.shard_iterator.expect("ShardIterator").into_owned());
    }
    let body = json(
        Operation::PutRecord,
        r#"{"StreamName":"resume","Data":"Zmlyc3Q=","PartitionKey":"k"}"#,
    );
    let Response::PutRecord(put) = Response::parse(Operation::PutRecord, &body).expect("put")
    else {
        panic!("not a PutRecord answer")
    };
    let sequence = put.sequence_number.expect("SequenceNumber").into_owned();
    assert!(
        sequence.parse::<u128>().expect("a number") > start.parse::<u128>().expect("a number"),
        "the first record {sequence} is above the shard's start {start}"
    );
    for iterator in iterators {
        let body = json(
            Operation::GetRecords,
            &format!(r#"{{"ShardIterator":"{iterator}"}}"#),
        );
        let Response::GetRecords(got) =
            Response::parse(Operation::GetRecords, &body).expect("GetRecords")
        else {
            panic!("not a GetRecords answer")
        };
        let records = got.records.expect("Records");
        assert_eq!(records.len(), 1, "{iterator}");
        assert_eq!(records[0].data.as_ref().expect("Data").to_vec(), b"first");
        assert_eq!(
            records[0].sequence_number.as_deref(),
            Some(sequence.as_str())
        );
    }
}
