//! SubscribeToShard event-stream items: decode and encode every kind, checked by the official
//! Rust decoder (aws-smithy-eventstream) as well.

#![cfg(feature = "alloc")]

use std::borrow::Cow;

use aws_smithy_eventstream::frame::read_message_from;
use aws_smithy_types::event_stream::HeaderValue as SValue;
use kinesis_codec::eventstream::{self, Header, HeaderValue};
use kinesis_codec::kinesis::subscribe::{CONTENT_TYPE, STREAM_EXCEPTIONS};
use kinesis_codec::kinesis::{Error, SubscribeError, SubscribeToShardItem};

fn frame(headers: &[(&str, &str)], payload: &[u8]) -> Vec<u8> {
    let headers: Vec<Header<'_>> = headers
        .iter()
        .map(|(name, value)| Header {
            name,
            value: HeaderValue::String(value),
        })
        .collect();
    let mut out = Vec::new();
    eventstream::encode_to_vec(&headers, payload, &mut out).unwrap();
    out
}

/// Encodes `item`, checks smithy reads the same headers and payload, decodes it back.
fn round_trip(item: &SubscribeToShardItem<'_>, headers: &[(&str, &str)], payload: &[u8]) {
    let bytes = item.to_frame_vec().unwrap();
    assert_eq!(bytes, frame(headers, payload), "{item:?}");
    let message = read_message_from(&bytes[..]).expect("smithy decodes our frame");
    let smithy: Vec<(String, String)> = message
        .headers()
        .iter()
        .map(|h| {
            let SValue::String(s) = h.value() else {
                panic!("not a string header")
            };
            (h.name().as_str().to_string(), s.as_str().to_string())
        })
        .collect();
    let expected: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    assert_eq!(smithy, expected);
    assert_eq!(&message.payload()[..], payload);
    let decoded = eventstream::decode_exact(&bytes).unwrap();
    assert_eq!(&SubscribeToShardItem::from_frame(&decoded).unwrap(), item);
}

#[test]
fn initial_response() {
    round_trip(
        &SubscribeToShardItem::InitialResponse,
        &[
            (":event-type", "initial-response"),
            (":content-type", CONTENT_TYPE),
            (":message-type", "event"),
        ],
        b"{}",
    );
}

#[test]
fn event_with_records_and_child_shards() {
    let payload = br#"{"ChildShards":[{"HashKeyRange":{"EndingHashKey":"340282366920938463463374607431768211455","StartingHashKey":"0"},"ParentShards":["shardId-000000000000"],"ShardId":"shardId-000000000001"}],"ContinuationSequenceNumber":"49590338271490256608559692538361571095921575989136588802","MillisBehindLatest":9223372036854775807,"Records":[{"ApproximateArrivalTimestamp":1441215410.867,"Data":"AAEC\/w==","EncryptionType":"KMS","PartitionKey":"pk","SequenceNumber":"1"}]}"#;
    let bytes = frame(
        &[
            (":event-type", "SubscribeToShardEvent"),
            (":content-type", CONTENT_TYPE),
            (":message-type", "event"),
        ],
        payload,
    );
    let decoded = eventstream::decode_exact(&bytes).unwrap();
    let item = SubscribeToShardItem::from_frame(&decoded).unwrap();
    let SubscribeToShardItem::Event(event) = &item else {
        panic!("{item:?}");
    };
    assert_eq!(event.millis_behind_latest, Some(i64::MAX));
    let record = &event.records.as_ref().unwrap()[0];
    assert_eq!(record.data.as_ref().unwrap().to_vec(), [0, 1, 2, 0xff]);
    // Re-encoded: same JSON value (the escaped `\/` is written as `/`).
    let again = item.to_frame_vec().unwrap();
    let again = eventstream::decode_exact(&again).unwrap();
    let a: serde_json::Value = serde_json::from_slice(again.payload()).unwrap();
    let b: serde_json::Value = serde_json::from_slice(payload).unwrap();
    assert_eq!(a, b);
    assert_eq!(SubscribeToShardItem::from_frame(&again).unwrap(), item);
}

#[test]
fn every_modeled_exception() {
    for code in STREAM_EXCEPTIONS {
        let payload = br#"{"message":"boom"}"#;
        let bytes = frame(
            &[
                (":exception-type", code),
                (":content-type", CONTENT_TYPE),
                (":message-type", "exception"),
            ],
            payload,
        );
        let decoded = eventstream::decode_exact(&bytes).unwrap();
        let item = SubscribeToShardItem::from_frame(&decoded).unwrap();
        let SubscribeToShardItem::Exception(error) = &item else {
            panic!("{item:?}");
        };
        assert!(!matches!(error, Error::Unknown { .. }), "{code}");
        assert_eq!(error.code(), code);
        assert_eq!(error.message(), Some("boom"));
        round_trip(
            &item,
            &[
                (":exception-type", code),
                (":content-type", CONTENT_TYPE),
                (":message-type", "exception"),
            ],
            payload,
        );
    }
    // An exception code the model does not list is kept.
    let item = SubscribeToShardItem::Exception(Error::Unknown {
        code: Cow::Borrowed("NewException"),
        message: Some(Cow::Borrowed("m")),
    });
    round_trip(
        &item,
        &[
            (":exception-type", "NewException"),
            (":content-type", CONTENT_TYPE),
            (":message-type", "exception"),
        ],
        br#"{"message":"m"}"#,
    );
}

#[test]
fn generic_error_and_unknown_event() {
    round_trip(
        &SubscribeToShardItem::GenericError {
            code: "InternalError",
            message: "try again",
        },
        &[
            (":error-code", "InternalError"),
            (":error-message", "try again"),
            (":message-type", "error"),
        ],
        b"",
    );
    round_trip(
        &SubscribeToShardItem::Unknown {
            event_type: "SomethingNew",
            payload: b"\x00binary",
        },
        &[
            (":event-type", "SomethingNew"),
            (":content-type", CONTENT_TYPE),
            (":message-type", "event"),
        ],
        b"\x00binary",
    );
}

#[test]
fn invalid_frames_get_typed_errors() {
    let check = |bytes: Vec<u8>, expected: SubscribeError| {
        let decoded = eventstream::decode_exact(&bytes).unwrap();
        assert_eq!(SubscribeToShardItem::from_frame(&decoded), Err(expected));
    };
    check(
        frame(&[(":event-type", "SubscribeToShardEvent")], b"{}"),
        SubscribeError::MissingHeader {
            name: ":message-type",
        },
    );
    check(
        frame(&[(":message-type", "event")], b"{}"),
        SubscribeError::MissingHeader {
            name: ":event-type",
        },
    );
    check(
        frame(&[(":message-type", "exception")], b"{}"),
        SubscribeError::MissingHeader {
            name: ":exception-type",
        },
    );
    check(
        frame(&[(":message-type", "error")], b""),
        SubscribeError::MissingHeader {
            name: ":error-code",
        },
    );
    check(
        frame(&[(":message-type", "bogus")], b""),
        SubscribeError::UnknownMessageType {
            value: "bogus".into(),
        },
    );
    let mut out = Vec::new();
    eventstream::encode_to_vec(
        &[Header {
            name: ":message-type",
            value: HeaderValue::Int32(1),
        }],
        b"",
        &mut out,
    )
    .unwrap();
    check(
        out,
        SubscribeError::HeaderNotString {
            name: ":message-type",
            type_id: 4,
        },
    );
    // A payload that does not fit the shape names the JSON path.
    let bytes = frame(
        &[
            (":event-type", "SubscribeToShardEvent"),
            (":message-type", "event"),
        ],
        br#"{"Records":[{"Data":"!"}]}"#,
    );
    let decoded = eventstream::decode_exact(&bytes).unwrap();
    let error = SubscribeToShardItem::from_frame(&decoded).unwrap_err();
    let SubscribeError::Payload { item, error } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(item, "SubscribeToShardEvent");
    assert_eq!(error.path(), "$.Records[0].Data");
}

/// An event whose JSON payload is over the default decoder's 24 MiB limit is refused by the
/// encoder (which writes the payload in place), and the caller's buffer is left as it was.
#[test]
fn an_event_over_the_payload_limit_is_refused_and_out_is_kept() {
    let limit = eventstream::DEFAULT_MAX_PAYLOAD_LEN as usize;
    // Base64 text of (limit / 4 * 3 + 3) bytes is longer than the limit on its own.
    let data = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        vec![7u8; limit / 4 * 3 + 3],
    );
    let payload = format!(
        r#"{{"ContinuationSequenceNumber":"1","MillisBehindLatest":0,"Records":[{{"Data":"{data}","PartitionKey":"k","SequenceNumber":"1"}}]}}"#
    );
    let item = SubscribeToShardItem::Event(serde_json::from_str(&payload).unwrap());
    let mut out = b"kept".to_vec();
    let err = item.encode_to_vec(&mut out).unwrap_err();
    assert!(
        matches!(
            err,
            SubscribeError::Encode(eventstream::EncodeError::PayloadTooLarge { len, limit: l })
                if len > u64::from(l) && l == eventstream::DEFAULT_MAX_PAYLOAD_LEN
        ),
        "{err:?}"
    );
    assert_eq!(out, b"kept");
}
