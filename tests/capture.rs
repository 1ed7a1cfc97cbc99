//! The committed SubscribeToShard capture (`tests/data/captures/subscribe_to_shard.bin`).
//!
//! The capture is produced by an independent encoder, aws-smithy-eventstream (the official Rust
//! event-stream codec), from the messages listed in [`capture_messages`]. This test rebuilds the
//! bytes in memory and fails if the committed file differs; run it with
//! `KINESIS_CODEC_REGENERATE=1` to rewrite the file. It then decodes the committed bytes with this
//! crate and checks every frame against the messages smithy was given.

// Needs `encode_to_vec`, `FrameReader` and base64 with `alloc`: the default `std` feature.
#![cfg(feature = "std")]

use std::path::PathBuf;

use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_types::event_stream::{Header as SHeader, HeaderValue as SHeaderValue, Message};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use kinesis_codec::eventstream::{decode, Decoded, HeaderValue};

fn capture_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/captures/subscribe_to_shard.bin")
}

const JSON: &str = "application/x-amz-json-1.1";
const SEQ_PREFIX: &str = "4965620839843073454882348542937846282635940548901219";

/// A 56-digit Kinesis sequence number ending in `tail` (4 digits).
fn seq(tail: u16) -> String {
    format!("{SEQ_PREFIX}{tail:04}")
}

fn event(event_type: &'static str, payload: String) -> Message {
    Message::new_from_parts(
        vec![
            SHeader::new(":message-type", SHeaderValue::String("event".into())),
            SHeader::new(":event-type", SHeaderValue::String(event_type.into())),
            SHeader::new(":content-type", SHeaderValue::String(JSON.into())),
        ],
        payload.into_bytes(),
    )
}

/// One record of a SubscribeToShardEvent; `ts` is the ApproximateArrivalTimestamp exactly as the
/// service may write it (a JSON number of epoch seconds with milliseconds).
fn record(data: &[u8], key: &str, seq: &str, ts: &str, enc: &str) -> String {
    format!(
        r#"{{"ApproximateArrivalTimestamp":{ts},"Data":"{}","EncryptionType":"{enc}","PartitionKey":"{key}","SequenceNumber":"{seq}"}}"#,
        B64.encode(data)
    )
}

/// The messages of the capture, in stream order.
fn capture_messages() -> Vec<Message> {
    let gzip_like: Vec<u8> = vec![
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x00, 0x01, 0x80, 0x7f, 0xfe,
        0xc3, 0x28,
    ];
    let first = [
        record(
            br#"{"sensor":"t-17","celsius":21.5,"at":"2026-11-21T23:15:12.345Z"}"#,
            "sensor-t-17",
            &seq(5330),
            "1.732226112345E9",
            "NONE",
        ),
        record(
            b"GET /index.html HTTP/1.1 200 1532\n",
            "10.0.3.7",
            &seq(5331),
            "1.732226112401E9",
            "NONE",
        ),
        record(
            &gzip_like,
            "blob-0001",
            &seq(5332),
            "1.73222611241E9",
            "NONE",
        ),
    ]
    .join(",");
    let second = [
        record(
            "{\"user\":\"zoë\",\"action\":\"login\"}".as_bytes(),
            "user-zoë-🚀",
            &seq(5333),
            "1732226113.002",
            "KMS",
        ),
        record(b"", "empty", &seq(5334), "1732226113.5", "KMS"),
    ]
    .join(",");
    vec![
        event("initial-response", "{}".to_owned()),
        event(
            "SubscribeToShardEvent",
            format!(
                r#"{{"ContinuationSequenceNumber":"{}","MillisBehindLatest":8400,"Records":[{first}]}}"#,
                seq(5332)
            ),
        ),
        event(
            "SubscribeToShardEvent",
            format!(
                r#"{{"ContinuationSequenceNumber":"{}","MillisBehindLatest":0,"Records":[{second}]}}"#,
                seq(5334)
            ),
        ),
        event(
            "SubscribeToShardEvent",
            format!(
                r#"{{"ContinuationSequenceNumber":"{}","MillisBehindLatest":0,"Records":[]}}"#,
                seq(5334)
            ),
        ),
        // At the end of a shard the service sends the child shards and no continuation number.
        event(
            "SubscribeToShardEvent",
            concat!(
                r#"{"ChildShards":["#,
                r#"{"HashKeyRange":{"EndingHashKey":"170141183460469231731687303715884105727","StartingHashKey":"0"},"ParentShards":["shardId-000000000000"],"ShardId":"shardId-000000000001"},"#,
                r#"{"HashKeyRange":{"EndingHashKey":"340282366920938463463374607431768211455","StartingHashKey":"170141183460469231731687303715884105728"},"ParentShards":["shardId-000000000000"],"ShardId":"shardId-000000000002"}"#,
                r#"],"MillisBehindLatest":0,"Records":[]}"#
            )
            .to_owned(),
        ),
        Message::new_from_parts(
            vec![
                SHeader::new(":message-type", SHeaderValue::String("exception".into())),
                SHeader::new(
                    ":exception-type",
                    SHeaderValue::String("ResourceInUseException".into()),
                ),
                SHeader::new(":content-type", SHeaderValue::String(JSON.into())),
            ],
            &br#"{"message":"Another active subscription exists for consumer arn:aws:kinesis:us-east-1:123456789012:stream/orders/consumer/reader:1732226000 on shardId-000000000000"}"#[..],
        ),
    ]
}

/// The capture as aws-smithy-eventstream encodes it.
fn regenerate() -> Vec<u8> {
    let mut out = Vec::new();
    for message in capture_messages() {
        write_message_to(&message, &mut out).expect("aws-smithy-eventstream encodes the capture");
    }
    out
}

#[test]
fn committed_capture_matches_independent_encoder() {
    let fresh = regenerate();
    let path = capture_path();
    if std::env::var_os("KINESIS_CODEC_REGENERATE").is_some_and(|v| v == "1") {
        std::fs::write(&path, &fresh).expect("write the capture");
        eprintln!("rewrote {}", path.display());
    }
    let committed = std::fs::read(&path).expect("read the committed capture");
    assert!(
        committed == fresh,
        "{} differs from what aws-smithy-eventstream produces now ({} vs {} bytes); \
         run with KINESIS_CODEC_REGENERATE=1 to rewrite it",
        path.display(),
        committed.len(),
        fresh.len()
    );
}

/// Compares one of our decoded header values with the value smithy was asked to encode.
fn same_value(ours: HeaderValue<'_>, theirs: &SHeaderValue) -> bool {
    match (ours, theirs) {
        (HeaderValue::String(a), SHeaderValue::String(b)) => a == b.as_str(),
        _ => false,
    }
}

#[test]
fn capture_decodes_to_the_encoded_message_sequence() {
    let bytes = std::fs::read(capture_path()).expect("read the committed capture");
    let expected = capture_messages();
    let mut rest = &bytes[..];
    let mut seen = 0usize;
    while !rest.is_empty() {
        let (frame, used) = match decode(rest) {
            Ok(Decoded::Frame { frame, used }) => (frame, used),
            other => panic!("frame {seen}: unexpected {other:?}"),
        };
        let want = expected.get(seen).expect("no more frames than messages");
        let got: Vec<_> = frame.headers().collect();
        assert_eq!(
            got.len(),
            want.headers().len(),
            "frame {seen}: header count"
        );
        for (g, w) in got.iter().zip(want.headers()) {
            assert_eq!(g.name, w.name().as_str(), "frame {seen}: header name");
            assert!(
                same_value(g.value, w.value()),
                "frame {seen}: header {}: {:?} vs {:?}",
                g.name,
                g.value,
                w.value()
            );
        }
        assert_eq!(
            frame.payload(),
            &want.payload()[..],
            "frame {seen}: payload"
        );
        assert_eq!(frame.total_len() as usize, used, "frame {seen}: total_len");
        // Every payload of the capture is JSON, as `:content-type` says.
        let json: serde_json::Value =
            serde_json::from_slice(frame.payload()).expect("payload is JSON");
        assert!(json.is_object(), "frame {seen}: payload is a JSON object");
        rest = &rest[used..];
        seen += 1;
    }
    assert_eq!(seen, expected.len(), "frame count");

    // The sequence a Kinesis consumer sees: initial-response, records..., child shards, exception.
    let frames: Vec<_> = {
        let mut v = Vec::new();
        let mut rest = &bytes[..];
        while let Ok(Decoded::Frame { frame, used }) = decode(rest) {
            v.push(frame);
            rest = &rest[used..];
        }
        v
    };
    let kind = |i: usize, name: &str| frames[i].header(name).and_then(|v| v.as_str());
    assert_eq!(kind(0, ":event-type"), Some("initial-response"));
    assert_eq!(frames[0].payload(), b"{}");
    for i in 1..5 {
        assert_eq!(kind(i, ":message-type"), Some("event"));
        assert_eq!(kind(i, ":event-type"), Some("SubscribeToShardEvent"));
        assert_eq!(kind(i, ":content-type"), Some(JSON));
    }
    let records = |i: usize| -> usize {
        let v: serde_json::Value = serde_json::from_slice(frames[i].payload()).unwrap();
        v["Records"].as_array().unwrap().len()
    };
    assert_eq!(
        [records(1), records(2), records(3), records(4)],
        [3, 2, 0, 0]
    );
    let last: serde_json::Value = serde_json::from_slice(frames[4].payload()).unwrap();
    assert_eq!(last["ChildShards"].as_array().unwrap().len(), 2);
    assert_eq!(kind(5, ":message-type"), Some("exception"));
    assert_eq!(kind(5, ":exception-type"), Some("ResourceInUseException"));
}
