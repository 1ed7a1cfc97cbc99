//! Consumers and SubscribeToShard on the example endpoint (`examples/emulator/`):
//!
//! - boto3 1.44.5 registers, describes, lists and deregisters consumers, subscribes through
//!   botocore's EventStream from TRIM_HORIZON, AT_SEQUENCE_NUMBER and LATEST while it puts
//!   records, is refused a second subscription within 5 seconds, takes a subscription over
//!   after them, and meets the errors (`tests/peers/boto3_emulator_subscribe.py` does the
//!   calls and prints what it got; every assertion is here);
//! - the raw HTTP answer of a subscription, in JSON and in CBOR, read frame by frame with the
//!   crate's decoder: `initial-response` first, byte for byte as the crate encodes it, then the
//!   events with every record byte-identical, then the end of the body when the subscription's
//!   time is up.
//!
//! The example runs with a short subscription (`--subscription-seconds`).

#![cfg(all(feature = "std", feature = "tokio-util"))]

#[path = "common/emulator.rs"]
mod emulator;
#[path = "common/kinesis_http.rs"]
mod kinesis_http;
#[path = "common/peers.rs"]
mod peers;

use std::time::{Duration, Instant};

use kinesis_codec::eventstream::{Decoded, Decoder};
use kinesis_codec::kinesis::{self, subscribe, Operation, Request, Response, SubscribeToShardItem};
use kinesis_codec::wire::Protocol;
use serde_json::{json, Value};

const ACCOUNT: &str = "000000000000";
const STREAM_ARN: &str = "arn:aws:kinesis:us-east-1:000000000000:stream/emulator-subscribe";

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"))
}

/// A record as (sequence number, partition key, data in hex), from a put or a read.
fn triple(value: &Value) -> (String, String, String) {
    (
        text(&value["seq"]).to_owned(),
        text(&value["key"]).to_owned(),
        text(&value["data"]).to_owned(),
    )
}

fn triples(values: &Value) -> Vec<(String, String, String)> {
    values
        .as_array()
        .expect("a list")
        .iter()
        .map(triple)
        .collect()
}

#[test]
fn boto3_subscribes_through_the_example_endpoint() {
    let test = "emulator_subscribe";
    let server = emulator::Emulator::start_with(&["--subscription-seconds", "7"]);
    let endpoint = format!("http://{}", server.address());
    let Some(out) = peers::run_script(test, "boto3_emulator_subscribe.py", &[endpoint.as_ref()])
    else {
        return;
    };
    let out: Value = serde_json::from_slice(&out.stdout).expect("the script prints JSON");

    // The consumers: the service's ARN shape, ACTIVE at once, found both ways, listed by name.
    assert_eq!(out["stream_arn"], STREAM_ARN);
    let registered = &out["registered"];
    let created = registered["created"].as_i64().expect("a creation time");
    let arn = format!("{STREAM_ARN}/consumer/reader:{}", created / 1000);
    assert_eq!(registered["arn"], arn.as_str());
    assert_eq!(registered["name"], "reader");
    assert_eq!(registered["status"], "ACTIVE");
    let description = json!({
        "arn": arn, "name": "reader", "status": "ACTIVE", "stream_arn": STREAM_ARN,
        "created": created,
    });
    assert_eq!(out["described"], json!([description, description]));
    assert_eq!(out["listed"], json!(["another", "reader"]));
    assert_eq!(out["listed_paged"], json!(["another", "reader"]));

    // The subscription's answer: 200, an event stream.
    assert_eq!(out["status"], 200);
    assert_eq!(out["content_type"], "application/vnd.amazon.eventstream");

    // Every record of shard 0, in the order put, with the sequence numbers PutRecord gave.
    let puts = out["puts"].as_array().expect("puts");
    let shard0: Vec<(String, String, String)> = puts
        .iter()
        .filter(|p| p["shard"] == "shardId-000000000000")
        .map(triple)
        .collect();
    let keys: Vec<&str> = shard0.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(
        keys,
        [
            "before-0", "before-1", "before-2", "during-0", "during-1", "during-2", "during-3",
            "during-4", "latest", "takeover"
        ]
    );
    let before_and_during = &shard0[..8];

    // Each event's ContinuationSequenceNumber is its last record's; no ChildShards (no shard
    // of this stream is closed).
    let check_events = |name: &str| {
        let read = &out[name];
        let mut records = triples(&read["records"]).into_iter();
        let mut last = None;
        for event in read["events"].as_array().expect("events") {
            let count = event["records"].as_u64().expect("a count") as usize;
            if let Some(record) = records.by_ref().take(count).last() {
                last = Some(record.0);
            }
            if let Some(last) = &last {
                assert_eq!(text(&event["continuation"]), last, "{name}: {event}");
            }
            assert_eq!(event["child_shards"], Value::Null, "{name}");
            assert!(event["behind"].as_i64().is_some_and(|b| b >= 0), "{name}");
        }
    };

    // TRIM_HORIZON: the records put before the subscription, then those put during it.
    let trim = &out["trim_horizon"];
    assert_eq!(trim["error"], Value::Null);
    assert_eq!(triples(&trim["records"]), before_and_during);
    check_events("trim_horizon");
    // ...and a second subscription at once is refused, with the service's text.
    assert_eq!(
        out["second"],
        json!({
            "code": "ResourceInUseException",
            "message": format!(
                "Another active subscription exists for this consumer: \
                 {ACCOUNT}:emulator-subscribe:shardId-000000000000:reader"
            ),
            "status": 400,
        })
    );

    // AT_SEQUENCE_NUMBER from the second record: from it on.
    assert_eq!(text(&out["at_sequence_from"]), before_and_during[1].0);
    assert_eq!(out["at_sequence"]["error"], Value::Null);
    assert_eq!(
        triples(&out["at_sequence"]["records"]),
        before_and_during[1..]
    );
    check_events("at_sequence");

    // LATEST: nothing before, an empty event when idle (about 5 s), the record put after it,
    // then the end of the subscription after its 7 seconds, without an error.
    let latest = &out["latest"];
    assert_eq!(latest["error"], Value::Null);
    assert_eq!(triples(&latest["records"]), shard0[8..9]);
    assert_eq!(latest["events"][0]["records"], 0);
    assert_eq!(
        text(&latest["events"][0]["continuation"]),
        before_and_during[7].0,
        "an empty event continues after the last record before it"
    );
    let seconds = latest["seconds"].as_f64().expect("seconds");
    assert!((6.0..20.0).contains(&seconds), "lasted {seconds} s");
    check_events("latest");

    // A subscription 5 seconds after another takes over: the older one ends with an
    // exception event (this example's text), the newer one goes on.
    assert_eq!(
        out["taken_over"]["error"],
        json!({
            "code": "ResourceInUseException",
            "message": "A newer subscription of this consumer to this shard took over.",
        })
    );
    assert_eq!(triples(&out["taken_over"]["records"]), Vec::new());
    assert_eq!(out["taking_over"]["error"], Value::Null);
    assert_eq!(triples(&out["taking_over"]["records"]), shard0[9..]);

    // The errors before streaming: plain error answers.
    let errors = &out["errors"];
    let error = |name: &str, code: &str, message: &str| {
        assert_eq!(errors[name]["code"], code, "{name}: {}", errors[name]);
        assert_eq!(errors[name]["message"], message, "{name}");
        assert_eq!(errors[name]["status"], 400, "{name}");
    };
    let missing_arn = format!("{STREAM_ARN}/consumer/nobody:1");
    error(
        "missing_consumer",
        "ResourceNotFoundException",
        &format!("Consumer {missing_arn} not found."),
    );
    error(
        "missing_shard",
        "ResourceNotFoundException",
        &format!(
            "Shard shardId-000000000009 in stream emulator-subscribe under account {ACCOUNT} \
             does not exist"
        ),
    );
    error(
        "no_sequence",
        "InvalidArgumentException",
        "StartingPosition of type AT_SEQUENCE_NUMBER needs a SequenceNumber.",
    );
    error(
        "other_shard_sequence",
        "InvalidArgumentException",
        "Invalid StartingSequenceNumber. It encodes shardId-000000000000, while it was used in \
         a call to a shard with shardId-000000000001",
    );
    error(
        "bad_type",
        "ValidationException",
        "1 validation error detected: Value 'FROM_THE_MIDDLE' at 'startingPosition.type' failed \
         to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, \
         LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON]",
    );
    assert_eq!(errors["bad_arn"]["code"], "ValidationException");
    assert!(text(&errors["bad_arn"]["message"]).contains("'consumerARN'"));
    error(
        "duplicate",
        "ResourceInUseException",
        &format!("Consumer reader under stream {STREAM_ARN} already exists."),
    );
    error(
        "register_missing_stream",
        "ResourceNotFoundException",
        &format!("Stream emulator-subscribe-gone under account {ACCOUNT} not found."),
    );
    error(
        "describe_missing",
        "ResourceNotFoundException",
        &format!("Consumer {missing_arn} not found."),
    );
    error(
        "describe_missing_name",
        "ResourceNotFoundException",
        &format!("Consumer nobody under stream {STREAM_ARN} not found."),
    );
    error(
        "describe_neither",
        "InvalidArgumentException",
        "Must specify either ConsumerARN, or both StreamARN and ConsumerName.",
    );

    // Deregistered: a live subscription ends with ResourceNotFoundException (after the record
    // of its shard, if it was sent first); the consumer is gone.
    let gone = format!("Consumer {arn} not found.");
    let ended = &out["deregistered_subscription"];
    assert_eq!(
        ended["error"],
        json!({"code": "ResourceNotFoundException", "message": gone})
    );
    let other_shard: Vec<(String, String, String)> = puts
        .iter()
        .filter(|p| p["shard"] == "shardId-000000000001")
        .map(triple)
        .collect();
    let sent = triples(&ended["records"]);
    assert!(sent.is_empty() || sent == other_shard, "{sent:?}");
    let after = &out["after_deregister"];
    assert_eq!(after["listed"], json!([]));
    assert_eq!(after["describe"]["code"], "ResourceNotFoundException");
    assert_eq!(after["describe"]["message"], gone.as_str());
    assert_eq!(
        after["deregister_again"]["code"],
        "ResourceNotFoundException"
    );

    // A stream with a consumer: counted by DescribeStreamSummary, and DeleteStream refused
    // without EnforceConsumerDeletion (the service's rule; the text is the example's own).
    assert_eq!(out["consumer_count"], 1);
    assert_eq!(
        out["delete_refused"],
        json!({
            "code": "ResourceInUseException",
            "message": format!(
                "Stream emulator-subscribe under account {ACCOUNT} has registered consumers: \
                 delete them first, or set EnforceConsumerDeletion."
            ),
            "status": 400,
        })
    );
    // The stream deleted mid-subscription (with EnforceConsumerDeletion):
    // ResourceNotFoundException as an exception event.
    assert_eq!(
        out["stream_deleted"]["error"],
        json!({
            "code": "ResourceNotFoundException",
            "message": format!("Stream emulator-subscribe under account {ACCOUNT} not found."),
        })
    );
}

/// Sends a JSON-written request in `protocol` and returns the answer.
fn call(host: &str, protocol: Protocol, operation: Operation, json: &str) -> kinesis_http::Answer {
    let request = Request::parse(operation, json.as_bytes()).expect("a valid request");
    kinesis_http::post(host, protocol, operation, &request.to_vec_in(protocol))
}

/// The typed answer of a call that succeeds.
fn answer_of(
    answer: &kinesis_http::Answer,
    protocol: Protocol,
    operation: Operation,
) -> Response<'_> {
    assert_eq!(answer.status, 200, "{operation}: {}", answer.text());
    Response::parse_in(protocol, operation, &answer.body).expect("a response body")
}

/// A subscription's body, read with the crate's decoder, frame by frame, as raw HTTP.
fn subscribe_raw(protocol: Protocol) {
    let server = emulator::Emulator::start_with(&["--subscription-seconds", "3"]);
    let host = server.address().to_owned();
    let json_call = |operation, body: &str| call(&host, Protocol::Json, operation, body);
    assert_eq!(
        json_call(
            Operation::CreateStream,
            r#"{"StreamName":"raw","ShardCount":1}"#
        )
        .status,
        200
    );
    let arn = "arn:aws:kinesis:us-east-1:000000000000:stream/raw";
    let registered = call(
        &host,
        protocol,
        Operation::RegisterStreamConsumer,
        &format!(r#"{{"StreamARN":"{arn}","ConsumerName":"raw-reader"}}"#),
    );
    let Response::RegisterStreamConsumer(registered) =
        answer_of(&registered, protocol, Operation::RegisterStreamConsumer)
    else {
        panic!("not a RegisterStreamConsumer answer")
    };
    let consumer = registered.consumer.expect("Consumer");
    assert_eq!(
        consumer.consumer_status,
        Some(kinesis::shapes::ConsumerStatus::Active)
    );
    let consumer_arn = consumer.consumer_arn.expect("ConsumerARN").into_owned();

    // Records put before the subscription and during it: every byte value, an empty record.
    let put = move |host: &str, data: &[u8], key: &str| {
        let input = kinesis::shapes::PutRecordInput {
            data: kinesis_codec::blob::Blob::from_bytes(data),
            partition_key: Some(key.into()),
            stream_name: Some("raw".into()),
            ..Default::default()
        };
        let body = Request::PutRecord(input).to_vec_in(protocol);
        let answer = kinesis_http::post(host, protocol, Operation::PutRecord, &body);
        let Response::PutRecord(put) = answer_of(&answer, protocol, Operation::PutRecord) else {
            panic!("not a PutRecord answer")
        };
        put.sequence_number.expect("SequenceNumber").into_owned()
    };
    let mut expected: Vec<(String, Vec<u8>, String)> = Vec::new();
    for (i, data) in [(0..=255).collect::<Vec<u8>>(), Vec::new()]
        .into_iter()
        .enumerate()
    {
        let key = format!("before-{i}");
        let sequence = put(&host, &data, &key);
        expected.push((sequence, data, key));
    }
    let during = std::thread::spawn({
        let host = host.clone();
        move || {
            std::thread::sleep(Duration::from_millis(500));
            (0..3u8)
                .map(|i| {
                    let data = vec![i; 1000 * usize::from(i)];
                    let key = format!("during-{i}");
                    (put(&host, &data, &key), data, key)
                })
                .collect::<Vec<_>>()
        }
    });

    let started = Instant::now();
    let answer = call(
        &host,
        protocol,
        Operation::SubscribeToShard,
        &format!(
            r#"{{"ConsumerARN":"{consumer_arn}","ShardId":"shardId-000000000000",
                "StartingPosition":{{"Type":"TRIM_HORIZON"}}}}"#
        ),
    );
    let lasted = started.elapsed();
    expected.extend(during.join().expect("the puts"));
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(
        answer.header("content-type"),
        Some("application/vnd.amazon.eventstream")
    );
    assert!(
        lasted >= Duration::from_secs(3) && lasted < Duration::from_secs(15),
        "the body ends with the subscription: {lasted:?}"
    );

    // Frame by frame: initial-response first, exactly as the crate writes it.
    const DECODER: Decoder = Decoder::new(subscribe::DECODE_OPTIONS);
    let mut rest = &answer.body[..];
    let mut items = Vec::new();
    let mut first = None;
    while !rest.is_empty() {
        let Decoded::Frame { frame, used } = DECODER.decode(rest).expect("a valid frame") else {
            panic!("the body ends inside a frame: {} bytes left", rest.len())
        };
        let content_type = match protocol {
            Protocol::Cbor => subscribe::CBOR_CONTENT_TYPE,
            _ => subscribe::CONTENT_TYPE,
        };
        assert_eq!(frame.header_str(":content-type"), Some(content_type));
        first.get_or_insert_with(|| rest[..used].to_vec());
        items.push(SubscribeToShardItem::from_frame(&frame).expect("an item"));
        rest = &rest[used..];
    }
    let mut initial = Vec::new();
    SubscribeToShardItem::InitialResponse
        .encode_to_vec_in(protocol, &mut initial)
        .expect("encoded");
    assert_eq!(first, Some(initial), "the first frame is initial-response");
    assert_eq!(items[0], SubscribeToShardItem::InitialResponse);

    // Then events only (nothing ended it but its time), carrying every record in order.
    let mut got = Vec::new();
    for item in &items[1..] {
        let SubscribeToShardItem::Event(event) = item else {
            panic!("not an event: {item:?}")
        };
        let records = event.records.as_ref().expect("Records");
        for record in records {
            got.push((
                record
                    .sequence_number
                    .as_deref()
                    .expect("SequenceNumber")
                    .to_owned(),
                record.data.as_ref().expect("Data").to_vec(),
                record
                    .partition_key
                    .as_deref()
                    .expect("PartitionKey")
                    .to_owned(),
            ));
        }
        if let Some(last) = got.last().filter(|_| !records.is_empty()) {
            assert_eq!(
                event.continuation_sequence_number.as_deref(),
                Some(&*last.0)
            );
        }
        assert!(event.millis_behind_latest.is_some_and(|b| b >= 0));
        assert_eq!(event.child_shards, None);
    }
    assert_eq!(got, expected);
}

#[test]
fn a_json_subscription_read_raw_with_the_crate_decoder() {
    subscribe_raw(Protocol::Json);
}

#[test]
fn a_cbor_subscription_read_raw_with_the_crate_decoder() {
    subscribe_raw(Protocol::Cbor);
}
