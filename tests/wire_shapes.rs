//! The generated shapes against the spec's wire forms: requests, responses, errors.

#![cfg(feature = "alloc")]

use std::borrow::Cow;

use kinesis_codec::{firehose, kinesis};

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

#[test]
fn error_type_forms_of_the_spec() {
    for type_field in [
        "com.amazonaws.kinesis.v20131202#ResourceNotFoundException",
        "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.service/",
        "ResourceNotFoundException",
    ] {
        assert_eq!(kinesis::error_code(type_field), "ResourceNotFoundException");
        for key in ["message", "Message"] {
            let body = format!(r#"{{"__type":"{type_field}","{key}":"gone"}}"#);
            let error = kinesis::Error::parse(body.as_bytes(), Some(400)).unwrap();
            assert!(
                matches!(error, kinesis::Error::ResourceNotFoundException(_)),
                "{body}"
            );
            assert_eq!(error.message(), Some("gone"));
            assert_eq!(
                json(&error.to_vec()),
                json(br#"{"__type":"ResourceNotFoundException","message":"gone"}"#)
            );
        }
    }
    // The rule itself: cut from the first ':', then keep after the last '#'.
    assert_eq!(kinesis::error_code("a#b#C:d#e:f"), "C");
    assert_eq!(kinesis::error_code(""), "");
}

#[test]
fn unknown_error_code_is_kept() {
    let body = br#"{"__type":"com.amazon#SomethingNewException","message":"new","Extra":1}"#;
    let error = kinesis::Error::parse(body, Some(400)).unwrap();
    assert_eq!(error.code(), "SomethingNewException");
    assert_eq!(error.message(), Some("new"));
    assert!(matches!(error, kinesis::Error::Unknown { .. }));
    assert_eq!(
        json(&error.to_vec()),
        json(br#"{"__type":"SomethingNewException","message":"new"}"#)
    );
}

#[test]
fn error_without_type_takes_the_http_status() {
    for (body, status, code, message) in [
        (&b""[..], Some(503), "503", None),
        (
            b"<html>Bad Gateway</html>",
            Some(502),
            "502",
            Some("<html>Bad Gateway</html>"),
        ),
        (
            br#"{"message":"slow down"}"#,
            Some(400),
            "400",
            Some("slow down"),
        ),
        (br#"{"Message":"x"}"#, None, "", Some("x")),
    ] {
        let error = kinesis::Error::parse(body, status).unwrap();
        assert!(matches!(error, kinesis::Error::Unknown { .. }));
        assert_eq!(error.code(), code);
        assert_eq!(error.message(), message);
    }
    // The server-fault flag follows the model.
    let fault =
        kinesis::Error::parse(br#"{"__type":"InternalFailureException"}"#, Some(500)).unwrap();
    assert!(fault.is_server_fault());
    let fault =
        firehose::Error::parse(br#"{"__type":"ServiceUnavailableException"}"#, Some(503)).unwrap();
    assert!(fault.is_server_fault());
}

#[test]
fn firehose_error_with_code_member_round_trips() {
    let body = br#"{"__type":"InvalidKMSResourceException","code":"KMS.AccessDeniedException","message":"no"}"#;
    let error = firehose::Error::parse(body, Some(400)).unwrap();
    let firehose::Error::InvalidKMSResourceException(shape) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(shape.code.as_deref(), Some("KMS.AccessDeniedException"));
    assert_eq!(json(&error.to_vec()), json(body));
    // A modeled member of the wrong type is an error naming it.
    let bad = br#"{"__type":"InvalidKMSResourceException","code":5}"#;
    let wire = firehose::Error::parse(bad, Some(400)).unwrap_err();
    assert_eq!(wire.path(), "$.code");
}

#[test]
fn responses_are_lenient_where_emulators_break_the_model() {
    // moto: FailedRecordCount 0 (model minimum 1), and extra members.
    let body = br#"{"FailedRecordCount":0,"Records":[{"SequenceNumber":"1","ShardId":"shardId-000000000000"}],"EncryptionType":"NONE","Unexpected":[1,{"a":null}]}"#;
    let response = kinesis::Response::parse(kinesis::Operation::PutRecords, body).unwrap();
    let kinesis::Response::PutRecords(output) = &response else {
        panic!();
    };
    assert_eq!(output.failed_record_count, Some(0));
    // Unknown members are dropped, everything else survives.
    let mut expected = json(body);
    expected.as_object_mut().unwrap().remove("Unexpected");
    assert_eq!(json(&response.to_vec()), expected);

    // Firehose description with required members missing.
    let body = br#"{"DeliveryStreamDescription":{"DeliveryStreamName":"d","DeliveryStreamStatus":"ACTIVE"}}"#;
    let response =
        firehose::Response::parse(firehose::Operation::DescribeDeliveryStream, body).unwrap();
    assert_eq!(json(&response.to_vec()), json(body));
}

#[test]
fn null_is_absent_and_enums_are_open() {
    let body = br#"{"StreamDescriptionSummary":{"StreamName":"s","StreamStatus":"HIBERNATING","StreamModeDetails":{"StreamMode":"ON_DEMAND"},"KeyId":null}}"#;
    let response =
        kinesis::Response::parse(kinesis::Operation::DescribeStreamSummary, body).unwrap();
    let kinesis::Response::DescribeStreamSummary(output) = &response else {
        panic!();
    };
    let summary = output.stream_description_summary.as_ref().unwrap();
    assert_eq!(summary.key_id, None);
    assert_eq!(
        summary.stream_status,
        Some(kinesis::shapes::StreamStatus::Unknown(Cow::Borrowed(
            "HIBERNATING"
        )))
    );
    assert_eq!(
        summary.stream_mode_details.as_ref().unwrap().stream_mode,
        Some(kinesis::shapes::StreamMode::OnDemand)
    );
    let mut expected = json(body);
    expected["StreamDescriptionSummary"]
        .as_object_mut()
        .unwrap()
        .remove("KeyId");
    assert_eq!(json(&response.to_vec()), expected);
}

#[test]
fn operations_without_output_answer_empty() {
    for body in [&b""[..], b"{}", b"  "] {
        let response = kinesis::Response::parse(kinesis::Operation::CreateStream, body).unwrap();
        assert_eq!(
            response,
            kinesis::Response::Empty(kinesis::Operation::CreateStream)
        );
        assert_eq!(response.to_vec(), b"{}");
    }
    // An input with only optional members accepts an empty body, as `{}`.
    let request = kinesis::Request::parse(kinesis::Operation::ListStreams, b"").unwrap();
    assert_eq!(request.to_vec(), b"{}");
    // Missing required members in a request are refused, naming the member.
    let error = kinesis::Request::parse(kinesis::Operation::PutRecords, b"{}").unwrap_err();
    assert!(error.message().contains("Records"), "{error}");
    assert_eq!(error.member(), Some("Records"));
    let body = br#"{"Records":[{"Data":"aGk="},{"PartitionKey":"p"}]}"#;
    let error = kinesis::Request::parse(kinesis::Operation::PutRecords, body).unwrap_err();
    assert_eq!(error.path(), "$.Records[1]");
    assert_eq!(error.member(), Some("Data"));
}

#[test]
fn wire_error_names_path_member_and_problem() {
    let body = br#"{"StreamName":"s","Records":[{"Data":"aGk=","PartitionKey":"a"},{"Data":"aGk=","PartitionKey":"a"},{"Data":"aGk=","PartitionKey":"a"},{"Data":"a","PartitionKey":"a"}]}"#;
    let error = kinesis::Request::parse(kinesis::Operation::PutRecords, body).unwrap_err();
    assert_eq!(error.path(), "$.Records[3].Data");
    assert_eq!(error.member(), Some("Data"));
    let text = error.to_string();
    assert!(
        text.starts_with("at `$.Records[3].Data` (member `Data`): invalid base64"),
        "{text}"
    );
    assert!(text.contains("line 1, column"), "{text}");

    let error =
        kinesis::Request::parse(kinesis::Operation::PutRecords, b"{\"Records\":[").unwrap_err();
    assert_eq!(error.kind(), kinesis_codec::wire::WireErrorKind::Eof);

    let error = kinesis::Request::parse(
        kinesis::Operation::GetRecords,
        br#"{"ShardIterator":"x","Limit":"10"}"#,
    )
    .unwrap_err();
    assert_eq!(error.path(), "$.Limit");
    assert!(error.message().contains("expected i32"), "{error}");

    let error = kinesis::Request::parse(kinesis::Operation::ListStreams, b"{} x").unwrap_err();
    assert_eq!(error.kind(), kinesis_codec::wire::WireErrorKind::Syntax);
}

#[test]
fn timestamps_strict_in_requests_lenient_in_responses() {
    let request = br#"{"StreamName":"s","ShardId":"shardId-000000000000","ShardIteratorType":"AT_TIMESTAMP","Timestamp":"2015-09-02T17:36:50Z"}"#;
    let error = kinesis::Request::parse(kinesis::Operation::GetShardIterator, request).unwrap_err();
    assert_eq!(error.path(), "$.Timestamp");
    let request = br#"{"StreamName":"s","ShardId":"shardId-000000000000","ShardIteratorType":"AT_TIMESTAMP","Timestamp":1.441215410867E9}"#;
    let kinesis::Request::GetShardIterator(input) =
        kinesis::Request::parse(kinesis::Operation::GetShardIterator, request).unwrap()
    else {
        panic!();
    };
    assert_eq!(input.timestamp.unwrap().as_millis(), 1_441_215_410_867);

    let response =
        br#"{"StreamDescriptionSummary":{"StreamCreationTimestamp":"2015-09-02T17:36:50.867Z"}}"#;
    let kinesis::Response::DescribeStreamSummary(output) =
        kinesis::Response::parse(kinesis::Operation::DescribeStreamSummary, response).unwrap()
    else {
        panic!();
    };
    let summary = output.stream_description_summary.unwrap();
    assert_eq!(
        summary.stream_creation_timestamp.unwrap().as_millis(),
        1_441_215_410_867
    );
}

#[test]
fn event_stream_union_is_externally_tagged() {
    use kinesis::shapes::{SubscribeToShardEvent, SubscribeToShardEventStream};
    let json_text = br#"{"SubscribeToShardEvent":{"ContinuationSequenceNumber":"7","MillisBehindLatest":3,"Records":[]}}"#;
    let value: SubscribeToShardEventStream<'_> = serde_json::from_slice(json_text).unwrap();
    let SubscribeToShardEventStream::SubscribeToShardEvent(SubscribeToShardEvent {
        continuation_sequence_number,
        millis_behind_latest,
        ..
    }) = &value
    else {
        panic!("{value:?}");
    };
    assert_eq!(continuation_sequence_number.as_deref(), Some("7"));
    assert_eq!(*millis_behind_latest, Some(3));
    assert_eq!(json(&serde_json::to_vec(&value).unwrap()), json(json_text));
    let exception: SubscribeToShardEventStream<'_> =
        serde_json::from_slice(br#"{"KMSThrottlingException":{"message":"slow"}}"#).unwrap();
    assert!(matches!(
        exception,
        SubscribeToShardEventStream::KMSThrottlingException(_)
    ));
}
