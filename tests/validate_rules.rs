//! Request validation (`Request::validate` of both services) against the rules of
//! `spec/validation.md`, one rule per test: message format, count wording and cap, UTF-16
//! lengths, pattern before length, enum order, value rendering, paths, patterns, and no heap for
//! a valid request.

#![cfg(feature = "alloc")] // the shapes and their validation need a heap

use kinesis_codec::firehose;
use kinesis_codec::kinesis::{self, Operation};
use kinesis_codec::validate::ValidationError;
use kinesis_codec::wire::Protocol;

#[path = "common/counting_alloc.rs"]
mod counting_alloc;

fn kinesis_message(operation: Operation, body: &str) -> Option<String> {
    let request = kinesis::Request::parse(operation, body.as_bytes())
        .unwrap_or_else(|e| panic!("{body}: {e}"));
    request.validate().err().map(|e| e.to_string())
}

fn firehose_message(operation: firehose::Operation, body: &str) -> Option<String> {
    let request = firehose::Request::parse(operation, body.as_bytes())
        .unwrap_or_else(|e| panic!("{body}: {e}"));
    request.validate().err().map(|e| e.to_string())
}

fn one(item: &str) -> Option<String> {
    Some(format!("1 validation error detected: {item}"))
}

fn put_record(key: &str) -> String {
    serde_json::json!({"StreamName": "s", "Data": "", "PartitionKey": key}).to_string()
}

#[test]
fn lengths_count_utf16_code_units() {
    // spec: "256 × `é` is a valid partition key, 257 × `é` is not; characters outside the BMP
    // count 2."
    let ok = "é".repeat(256);
    assert_eq!(
        kinesis_message(Operation::PutRecord, &put_record(&ok)),
        None
    );
    let long = "é".repeat(257);
    assert_eq!(
        kinesis_message(Operation::PutRecord, &put_record(&long)),
        one(&format!(
            "Value '{long}' at 'partitionKey' failed to satisfy constraint: \
             Member must have length less than or equal to 256"
        ))
    );
    let ok = "😀".repeat(128);
    assert_eq!(
        kinesis_message(Operation::PutRecord, &put_record(&ok)),
        None
    );
    let long = "😀".repeat(129);
    assert!(kinesis_message(Operation::PutRecord, &put_record(&long)).is_some());
}

#[test]
fn a_pattern_violation_comes_before_a_length_violation_of_the_same_member() {
    let name = format!("{}!", "a".repeat(128));
    let body = serde_json::json!({"StreamName": name, "ShardCount": 1}).to_string();
    assert_eq!(
        kinesis_message(Operation::CreateStream, &body),
        Some(format!(
            "2 validation errors detected: \
             Value '{name}' at 'streamName' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; \
             Value '{name}' at 'streamName' failed to satisfy constraint: \
             Member must have length less than or equal to 128"
        ))
    );
}

#[test]
fn the_count_and_the_items_stop_at_ten() {
    let records: Vec<_> = (0..12)
        .map(|_| serde_json::json!({"Data": "", "PartitionKey": ""}))
        .collect();
    let body = serde_json::json!({"StreamName": "s", "Records": records}).to_string();
    let request = kinesis::Request::parse(Operation::PutRecords, body.as_bytes()).unwrap();
    let error = request.validate().unwrap_err();
    assert_eq!(error.count(), 10);
    assert_eq!(error.items().count(), 10);
    let message = error.to_string();
    assert!(message
        .starts_with("10 validation errors detected: Value '' at 'records.1.member.partitionKey'"));
    assert!(message.ends_with("at 'records.10.member.partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1"));
    assert_eq!(message.matches("; ").count(), 9);
}

#[test]
fn enum_sets_are_listed_in_the_services_order() {
    let body = r#"{"StreamName":"s","ShardId":"a","ShardIteratorType":"NEWEST"}"#;
    assert_eq!(
        kinesis_message(Operation::GetShardIterator, body),
        one(
            "Value 'NEWEST' at 'shardIteratorType' failed to satisfy constraint: Member must \
             satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, \
             AT_SEQUENCE_NUMBER, TRIM_HORIZON]"
        )
    );
}

#[test]
fn values_render_as_the_service_writes_them() {
    // Numbers in decimal.
    let body = r#"{"StreamName":"s","ShardCount":0}"#;
    assert_eq!(
        kinesis_message(Operation::CreateStream, body),
        one(
            "Value '0' at 'shardCount' failed to satisfy constraint: Member must have value \
             greater than or equal to 1"
        )
    );
    // A blob by its length.
    let data = base64_of_len(1_024_001);
    let body = format!(r#"{{"DeliveryStreamName":"d","Record":{{"Data":"{data}"}}}}"#);
    assert_eq!(
        firehose_message(firehose::Operation::PutRecord, &body),
        one(
            "Value 'java.nio.HeapByteBuffer[pos=0 lim=1024001 cap=1024001]' at 'record.data' \
             failed to satisfy constraint: Member must have length less than or equal to 1024000"
        )
    );
    // A list of structures: each entry as its class, one item for the list.
    let body = r#"{"StreamName":"s","Records":[]}"#;
    assert_eq!(
        kinesis_message(Operation::PutRecords, body),
        one(
            "Value '[]' at 'records' failed to satisfy constraint: Member must have length \
             greater than or equal to 1"
        )
    );
    let records: Vec<_> = (0..501)
        .map(|_| serde_json::json!({"Data": "", "PartitionKey": "k"}))
        .collect();
    let body = serde_json::json!({"StreamName": "s", "Records": records}).to_string();
    let message = kinesis_message(Operation::PutRecords, &body).unwrap();
    let class = "com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@";
    assert!(message.starts_with(&format!("1 validation error detected: Value '[{class}")));
    assert_eq!(message.matches(class).count(), 501);
    assert!(message.ends_with("]' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500"));
    // A list of strings without quotes; the entries' constraints as one item.
    let body = r#"{"StreamName":"s","TagKeys":["a","","b"]}"#;
    assert_eq!(
        kinesis_message(Operation::RemoveTagsFromStream, body),
        one(
            "Value '[a, , b]' at 'tagKeys' failed to satisfy constraint: Member must satisfy \
             constraint: [Member must have length less than or equal to 128, Member must have \
             length greater than or equal to 1]"
        )
    );
    // A map as {k=v}.
    let body = r#"{"StreamName":"s","Tags":{"":"v","k":"w"}}"#;
    assert_eq!(
        kinesis_message(Operation::AddTagsToStream, body),
        one(
            "Value '{=v, k=w}' at 'tags' failed to satisfy constraint: Map keys must satisfy \
             constraint: [Member must have length less than or equal to 128, Member must have \
             length greater than or equal to 1]"
        )
    );
}

#[test]
fn a_required_member_missing_inside_a_lenient_structure_is_null() {
    // Firehose's `Tag` is also part of a response, so it is parsed leniently: its required
    // `Key` can be absent after a parse, and validation reports it as the service does.
    let body = r#"{"DeliveryStreamName":"d","Tags":[{"Key":"a"},{"Value":"x"}]}"#;
    assert_eq!(
        firehose_message(firehose::Operation::TagDeliveryStream, body),
        one("Value null at 'tags.2.member.key' failed to satisfy constraint: Member must not be null")
    );
}

#[test]
fn patterns_with_look_aheads_and_unicode_classes() {
    let tag = |key: &str| {
        let body = serde_json::json!({"DeliveryStreamName": "d", "Tags": [{"Key": key}]});
        firehose_message(firehose::Operation::TagDeliveryStream, &body.to_string())
    };
    // `^(?!aws:)[\p{L}\p{Z}\p{N}_.:\/=+\-@%]*$`
    assert_eq!(tag("team"), None);
    assert_eq!(tag("équipe 2 ٣"), None);
    assert_eq!(tag("awsteam"), None);
    let refused = tag("aws:team").expect("a key starting with aws: is refused");
    assert!(refused.contains(r"Member must satisfy regular expression pattern: ^(?!aws:)[\p{L}\p{Z}\p{N}_.:\/=+\-@%]*$"), "{refused}");
    assert!(tag("a#b").is_some());

    // The JDBC URL of Redshift: look-arounds inside a repeated group.
    let jdbc = |url: &str| {
        let body = serde_json::json!({
            "DeliveryStreamName": "d",
            "RedshiftDestinationConfiguration": {
                "RoleARN": "arn:aws:iam::123456789012:role/r",
                "ClusterJDBCURL": url,
                "CopyCommand": {"DataTableName": "t"},
                "Username": "u",
                "Password": "password1",
                "S3Configuration": {
                    "RoleARN": "arn:aws:iam::123456789012:role/r",
                    "BucketARN": "arn:aws:s3:::bucket"
                }
            }
        });
        firehose_message(firehose::Operation::CreateDeliveryStream, &body.to_string())
    };
    assert_eq!(
        jdbc("jdbc:redshift://c1.abc.us-east-1.redshift.amazonaws.com:5439/dev"),
        None
    );
    assert_eq!(jdbc("jdbc:postgresql://a.redshift-serverless.x:1/d"), None);
    for bad in [
        "jdbc:redshift://-c1.redshift.x:5439/dev",
        "jdbc:redshift://c1-.redshift.x:5439/dev",
        "jdbc:mysql://c1.redshift.x:5439/dev",
        "jdbc:redshift://c1.redshift.x:543999/dev",
    ] {
        let message = jdbc(bad).unwrap_or_else(|| panic!("{bad} is refused"));
        assert!(
            message.contains("at 'redshiftDestinationConfiguration.clusterJDBCURL'"),
            "{message}"
        );
    }
}

#[test]
fn the_error_is_the_services_answer_in_json_and_cbor() {
    let body = r#"{"StreamName":"s","ShardCount":0}"#;
    let request = kinesis::Request::parse(Operation::CreateStream, body.as_bytes()).unwrap();
    let error: ValidationError<'_> = request.validate().unwrap_err();
    let answer = kinesis::Error::from(&error);
    let json: serde_json::Value =
        serde_json::from_slice(&answer.to_vec_in(Protocol::Json)).unwrap();
    assert_eq!(json["__type"], "ValidationException");
    assert_eq!(json["message"], error.to_string());
    let cbor = answer.to_vec_in(Protocol::Cbor);
    let back = kinesis::Error::parse_in(Protocol::Cbor, &cbor, Some(400)).unwrap();
    assert_eq!(back.code(), "ValidationException");
    assert_eq!(back.message(), Some(error.to_string().as_str()));

    // Firehose's model has no ValidationException: the code is kept as an unknown one.
    let body = r#"{"DeliveryStreamName":""}"#;
    let request =
        firehose::Request::parse(firehose::Operation::DeleteDeliveryStream, body.as_bytes())
            .unwrap();
    let error = request.validate().unwrap_err();
    let answer = firehose::Error::from(&error);
    assert_eq!(answer.code(), "ValidationException");
    let json: serde_json::Value = serde_json::from_slice(&answer.to_vec()).unwrap();
    assert_eq!(json["__type"], "ValidationException");
    assert_eq!(json["message"], error.to_string());
}

#[test]
fn validating_a_valid_request_allocates_nothing() {
    let records: Vec<_> = (0..500)
        .map(|i| serde_json::json!({"Data": "aGVsbG8=", "PartitionKey": format!("key-{i}"), "ExplicitHashKey": "12345"}))
        .collect();
    let body = serde_json::json!({"StreamName": "orders", "Records": records}).to_string();
    let request = kinesis::Request::parse(Operation::PutRecords, body.as_bytes()).unwrap();
    let (result, allocations) = counting_alloc::count(|| request.validate().is_ok());
    assert!(result);
    assert_eq!(allocations, 0);
    // And an invalid one is found without the heap too.
    let bad = r#"{"StreamName":"bad name","ShardCount":0}"#;
    let request = kinesis::Request::parse(Operation::CreateStream, bad.as_bytes()).unwrap();
    let (found, allocations) = counting_alloc::count(|| request.validate().map_err(|e| e.count()));
    assert_eq!(found, Err(2));
    assert_eq!(allocations, 0);
}

fn base64_of_len(n: usize) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(vec![0u8; n])
}

fn refusal(operation: Operation, body: &str) -> Option<(String, String)> {
    kinesis::Request::check_body(Protocol::Json, operation, body.as_bytes())
        .err()
        .map(|r| (r.code().to_string(), r.message().to_string()))
}

#[test]
fn a_body_missing_required_members_gets_a_null_item_for_each_beside_the_other_violations() {
    let sorted_items = |message: &str, count: &str| {
        let mut items: Vec<String> = message
            .strip_prefix(&format!("{count} detected: "))
            .unwrap_or_else(|| panic!("{message}"))
            .split("; ")
            .map(String::from)
            .collect();
        items.sort_unstable();
        items
    };
    let null = |path: &str| {
        format!("Value null at '{path}' failed to satisfy constraint: Member must not be null")
    };
    let (code, message) = refusal(Operation::GetShardIterator, "{}").unwrap();
    assert_eq!(code, "ValidationException");
    assert_eq!(
        sorted_items(&message, "2 validation errors"),
        [null("shardId"), null("shardIteratorType")]
    );
    // A missing structure is one item, not one per member it would require.
    let (_, message) = refusal(Operation::SubscribeToShard, "").unwrap();
    assert_eq!(
        sorted_items(&message, "3 validation errors"),
        [
            null("consumerARN"),
            null("shardId"),
            null("startingPosition")
        ]
    );
    // Beside a constraint violation, inside list entries.
    let body = r#"{"StreamName":"bad name","Records":[{"Data":""},{"PartitionKey":"k"},{"PartitionKey":""}]}"#;
    let (_, message) = refusal(Operation::PutRecords, body).unwrap();
    assert_eq!(
        sorted_items(&message, "4 validation errors"),
        [
            "Value '' at 'records.3.member.partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1".to_string(),
            "Value 'bad name' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+".to_string(),
            null("records.2.member.data"),
            null("records.3.member.data"),
        ]
    );
    let body = r#"{"DeliveryStreamName":"d"}"#;
    let error = firehose::Request::check_body(
        Protocol::Json,
        firehose::Operation::PutRecord,
        body.as_bytes(),
    )
    .unwrap_err();
    assert_eq!(
        error.message(),
        "1 validation error detected: Value null at 'record' failed to satisfy constraint: Member must not be null"
    );
    // A valid body passes; a body of the wrong types is a SerializationException.
    assert_eq!(refusal(Operation::PutRecord, &put_record("k")), None);
    let (code, _) = refusal(
        Operation::PutRecord,
        r#"{"StreamName":5,"Data":"","PartitionKey":"k"}"#,
    )
    .unwrap();
    assert_eq!(code, "SerializationException");
    // The refusal is the service's answer.
    let refused =
        kinesis::Request::check_body(Protocol::Json, Operation::PutRecord, b"{}").unwrap_err();
    let answer = kinesis::Error::from(&refused);
    assert_eq!(answer.code(), "ValidationException");
    assert_eq!(answer.message(), Some(refused.message()));
}

#[test]
fn type_errors_come_first_with_the_services_texts() {
    let serialization = |operation: Operation, body: &str| {
        let refusal = kinesis::Request::check_body(Protocol::Json, operation, body.as_bytes())
            .expect_err("refused");
        assert_eq!(refusal.code(), "SerializationException", "{refusal}");
        refusal.message().to_string()
    };
    // spec/validation.md's examples.
    assert_eq!(
        serialization(
            Operation::CreateStream,
            r#"{"StreamName":"s","ShardCount":"1"}"#
        ),
        "class java.lang.String can not be converted to an Integer"
    );
    assert_eq!(
        serialization(
            Operation::CreateStream,
            r#"{"StreamName":{},"ShardCount":1}"#
        ),
        "Start of structure or map found where not expected."
    );
    assert_eq!(
        serialization(
            Operation::CreateStream,
            r#"{"StreamName":[],"ShardCount":1}"#
        ),
        "Start of list found where not expected"
    );
    assert_eq!(
        serialization(Operation::DeleteStream, r#"{"StreamName":5}"#),
        "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String"
    );
    let put = |data: &str| format!(r#"{{"StreamName":"s","PartitionKey":"k","Data":"{data}"}}"#);
    assert_eq!(
        serialization(Operation::PutRecord, &put("aGk")),
        "'aGk' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3"
    );
    assert_eq!(
        serialization(Operation::PutRecord, &put("aGl=")),
        "'aGl=' can not be converted to a Blob: Invalid last non-pad Base64 character dectected"
    );
    // Before any constraint: a bad stream name beside a type error is not reported.
    assert_eq!(
        serialization(
            Operation::CreateStream,
            r#"{"StreamName":"bad name","ShardCount":true}"#
        ),
        "class java.lang.Boolean can not be converted to an Integer"
    );
    // Inside list entries, and a structure where a list belongs.
    assert_eq!(
        serialization(Operation::PutRecords, r#"{"Records":[{"Data":"","PartitionKey":7}]}"#),
        "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String"
    );
    assert_eq!(
        serialization(Operation::PutRecords, r#"{"Records":{}}"#),
        "Start of structure or map found where not expected."
    );
}

#[test]
fn a_cbor_body_is_checked_as_its_json_counterpart() {
    let cbor = |value: serde_json::Value| kinesis_codec::wire::to_cbor_vec(&value);
    let check = |operation: Operation, body: &[u8]| {
        kinesis::Request::check_body(Protocol::Cbor, operation, body)
            .err()
            .map(|r| (r.code(), r.message().to_string()))
    };
    let (code, message) = check(Operation::GetShardIterator, &cbor(serde_json::json!({}))).unwrap();
    assert_eq!(code, "ValidationException");
    assert!(
        message.starts_with("2 validation errors detected: "),
        "{message}"
    );
    assert!(
        message.contains("Value null at 'shardId'")
            && message.contains("Value null at 'shardIteratorType'")
    );
    assert!(check(Operation::GetShardIterator, b"").is_some());
    let (code, message) = check(
        Operation::CreateStream,
        &cbor(serde_json::json!({"StreamName": 5, "ShardCount": 1})),
    )
    .unwrap();
    assert_eq!(code, "SerializationException");
    assert_eq!(
        message,
        "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String"
    );
    // A blob as a CBOR byte string, and an entry without its required data beside it:
    // {"Records": [{"Data": h'00'}, {}], "StreamName": "bad name"}, by hand (a byte string has
    // no JSON form).
    let mut body = Vec::new();
    body.extend([0xa2, 0x67]);
    body.extend(b"Records");
    body.extend([0x82, 0xa1, 0x64]);
    body.extend(b"Data");
    body.extend([0x41, 0x00, 0xa0, 0x6a]);
    body.extend(b"StreamName");
    body.extend([0x68]);
    body.extend(b"bad name");
    let (code, message) = check(Operation::PutRecords, &body).unwrap();
    assert_eq!(code, "ValidationException");
    assert_eq!(
        message,
        "2 validation errors detected: Value null at 'records.2.member.data' failed to satisfy \
         constraint: Member must not be null; Value 'bad name' at 'streamName' failed to satisfy \
         constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
    );
}
