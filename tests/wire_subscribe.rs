//! SubscribeToShard event streams across implementations.
//!
//! - Ours → botocore: streams encoded with `SubscribeToShardItem::encode_to_vec` (initial
//!   response, events with records, each of the 9 modeled exceptions, a generic error, an unknown
//!   event type) are read by botocore's own `EventStream` reader (`tests/peers/botocore_subscribe.py`)
//!   and must come out as the same events, in order.
//! - aws-smithy-eventstream → ours: frames written by the official Rust encoder with the headers a
//!   server sends are decoded here into the same typed items.
//!
//! Every event is written here as JSON text; both sides are compared with that text through the
//! service model (`tests/wire_canon/mod.rs`), never with our own output.
#![cfg(feature = "std")]

#[path = "common/peers.rs"]
mod peers;
mod wire_canon;

use aws_smithy_types::event_stream::{
    Header as SHeader, HeaderValue as SValue, Message as SMessage,
};
use aws_smithy_types::str_bytes::StrBytes;
use base64::Engine as _;
use kinesis_codec::eventstream::{decode, Decoded};
use kinesis_codec::kinesis::shapes::SubscribeToShardEvent;
use kinesis_codec::kinesis::{Error, SubscribeToShardItem};
use serde_json::{json, Value};
use std::io::Write;
use std::process::Stdio;
use wire_canon::{Model, Ts, Unknown};

/// Event payloads as Kinesis writes them (escapes, every timestamp form, i64::MAX, child shards,
/// an unknown enum value, an unknown member).
const EVENTS: &[&str] = &[
    r#"{"Records":[],"ContinuationSequenceNumber":"49590338271490256608559692540925702759324208523137515618","MillisBehindLatest":0}"#,
    r#"{"Records":[{"SequenceNumber":"49590338271490256608559692538361571095921575989136588898","ApproximateArrivalTimestamp":1441215410.867,"Data":"XzxkYXRhPl8w","PartitionKey":"partitionKey","EncryptionType":"KMS"},{"SequenceNumber":"2","ApproximateArrivalTimestamp":1.441215410867E9,"Data":"","PartitionKey":"quote\"back\\slash\/ 😀 \u2028"},{"SequenceNumber":"3","ApproximateArrivalTimestamp":1441215410,"Data":"\/\/79+w==","PartitionKey":"p","EncryptionType":"FUTURE_TYPE"}],"ContinuationSequenceNumber":"3","MillisBehindLatest":9223372036854775807}"#,
    r#"{"Records":[{"SequenceNumber":"4","ApproximateArrivalTimestamp":1.441215410867e+09,"Data":"AAEC","PartitionKey":"日本"}],"ContinuationSequenceNumber":"4","MillisBehindLatest":1000,"ChildShards":[{"ShardId":"shardId-000000000002","ParentShards":["shardId-000000000000","shardId-000000000001"],"HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"340282366920938463463374607431768211455"}}],"SomethingNew":{"x":[1,2]}}"#,
];

/// The modeled exceptions of the event stream, from the model.
fn exception_names(model: &Model) -> Vec<String> {
    let members = model.shapes["SubscribeToShardEventStream"]["members"]
        .as_object()
        .unwrap();
    let names: Vec<String> = members
        .keys()
        .filter(|k| *k != "SubscribeToShardEvent")
        .cloned()
        .collect();
    assert_eq!(names.len(), 9, "{names:?}");
    names
}

fn canon_event(model: &Model, json_text: &[u8]) -> Value {
    let v: Value = serde_json::from_slice(json_text).unwrap();
    model
        .canon("SubscribeToShardEvent", &v, Ts::Seconds, Unknown::Drop)
        .unwrap()
}

fn message_for(name: &str) -> String {
    format!("{name}: stream \"s\" / shard 😀 is unhappy\n")
}

/// An exception as the typed API holds it, from the body a server sends.
fn exception(body: &str) -> Error<'_> {
    Error::parse(body.as_bytes(), Some(400)).unwrap_or_else(|e| panic!("{body}: {e}"))
}

#[test]
fn our_streams_read_by_botocore() {
    let Some(python) = peers::python("our_streams_read_by_botocore") else {
        return;
    };
    let model = Model::load("kinesis");
    let names = exception_names(&model);
    let exception_bodies: Vec<String> = names
        .iter()
        .map(|n| json!({"__type": n, "message": message_for(n)}).to_string())
        .collect();

    // (id, items, what botocore must report after the initial response)
    let mut streams: Vec<(String, Vec<SubscribeToShardItem<'_>>, Vec<Value>)> = Vec::new();
    let events: Vec<SubscribeToShardEvent<'_>> = EVENTS
        .iter()
        .map(|t| serde_json::from_str(t).unwrap_or_else(|e| panic!("{t}: {e}")))
        .collect();
    let mut items = vec![SubscribeToShardItem::InitialResponse];
    let mut want = Vec::new();
    for (text, ev) in EVENTS.iter().zip(&events) {
        items.push(SubscribeToShardItem::Event(ev.clone()));
        want.push(json!({"event": canon_event(&model, text.as_bytes())}));
    }
    streams.push(("events".into(), items, want));
    for (name, body) in names.iter().zip(&exception_bodies) {
        let items = vec![
            SubscribeToShardItem::InitialResponse,
            SubscribeToShardItem::Event(events[0].clone()),
            SubscribeToShardItem::Exception(exception(body)),
        ];
        let want = vec![
            json!({"event": canon_event(&model, EVENTS[0].as_bytes())}),
            json!({"error": {"code": name, "message": message_for(name)}}),
        ];
        streams.push((format!("exception-{name}"), items, want));
    }
    streams.push((
        "generic-error-and-unknown".into(),
        vec![
            SubscribeToShardItem::InitialResponse,
            SubscribeToShardItem::Unknown {
                event_type: "SomeFutureEvent",
                payload: br#"{"x":1}"#,
            },
            SubscribeToShardItem::Event(events[1].clone()),
            SubscribeToShardItem::GenericError {
                code: "InternalFailure",
                message: "try again \"later\"",
            },
        ],
        // botocore skips event types it does not know.
        vec![
            json!({"event": canon_event(&model, EVENTS[1].as_bytes())}),
            json!({"error": {"code": "InternalFailure", "message": "try again \"later\""}}),
        ],
    ));

    let mut input = String::new();
    for (id, items, _) in &streams {
        let mut bytes = Vec::new();
        for item in items {
            item.encode_to_vec(&mut bytes)
                .unwrap_or_else(|e| panic!("{id}: encode: {e:?}"));
        }
        let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
        input.push_str(&json!({"id": id, "stream": b64}).to_string());
        input.push('\n');
    }
    let mut child = peers::command(python, "botocore_subscribe.py")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("run python3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "tests/peers/botocore_subscribe.py failed: {}",
        out.status
    );
    let answers: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), streams.len());
    for ((id, _, want), got) in streams.iter().zip(&answers) {
        assert_eq!(got["id"], json!(id));
        assert_eq!(
            got["initial"]["event_type"],
            json!("initial-response"),
            "{id}"
        );
        let payload: Value =
            serde_json::from_str(got["initial"]["payload"].as_str().unwrap()).unwrap();
        assert_eq!(payload, json!({}), "{id}: initial-response payload");
        let items = got["items"].as_array().unwrap();
        assert_eq!(items.len(), want.len(), "{id}: {got}");
        for (i, (g, w)) in items.iter().zip(want).enumerate() {
            if let Some(d) = wire_canon::first_difference(g, w, "") {
                panic!("{id} item {i}: botocore read {g}\nexpected {w}\n{d}");
            }
        }
    }
    eprintln!("botocore read {} streams encoded here", streams.len());
}

fn sheader(name: &'static str, value: &str) -> SHeader {
    SHeader::new(name, SValue::String(StrBytes::from(value.to_string())))
}

/// A frame as Kinesis sends it, written by aws-smithy-eventstream.
fn smithy_frame(headers: Vec<SHeader>, payload: &[u8], out: &mut Vec<u8>) {
    let msg = SMessage::new_from_parts(headers, payload.to_vec());
    aws_smithy_eventstream::frame::write_message_to(&msg, out).unwrap();
}

#[test]
fn smithy_streams_decoded_here() {
    let model = Model::load("kinesis");
    let names = exception_names(&model);
    let mut stream = Vec::new();
    let event_headers = |t: &str| {
        vec![
            sheader(":event-type", t),
            sheader(":content-type", "application/json"),
            sheader(":message-type", "event"),
        ]
    };
    smithy_frame(event_headers("initial-response"), b"{}", &mut stream);
    for e in EVENTS {
        smithy_frame(
            event_headers("SubscribeToShardEvent"),
            e.as_bytes(),
            &mut stream,
        );
    }
    for n in &names {
        let body = json!({"message": message_for(n)}).to_string();
        let h = vec![
            sheader(":exception-type", n),
            sheader(":content-type", "application/json"),
            sheader(":message-type", "exception"),
        ];
        smithy_frame(h, body.as_bytes(), &mut stream);
    }
    smithy_frame(
        vec![
            sheader(":message-type", "error"),
            sheader(":error-code", "InternalFailure"),
            sheader(":error-message", "try again"),
        ],
        b"",
        &mut stream,
    );
    smithy_frame(event_headers("SomeFutureEvent"), br#"{"x":1}"#, &mut stream);

    let mut rest = &stream[..];
    let mut items = Vec::new();
    while !rest.is_empty() {
        match decode(rest).unwrap() {
            Decoded::Frame { frame, used } => {
                items.push(
                    SubscribeToShardItem::from_frame(&frame)
                        .unwrap_or_else(|e| panic!("item {}: {e}", items.len())),
                );
                rest = &rest[used..];
            }
            Decoded::NeedMore { needed } => panic!("truncated stream: {needed} more bytes"),
        }
    }
    let mut it = items.iter();
    assert!(matches!(
        it.next(),
        Some(SubscribeToShardItem::InitialResponse)
    ));
    for e in EVENTS {
        match it.next() {
            Some(SubscribeToShardItem::Event(ev)) => {
                let ours = canon_event(&model, &serde_json::to_vec(ev).unwrap());
                let want = canon_event(&model, e.as_bytes());
                if let Some(d) = wire_canon::first_difference(&ours, &want, "") {
                    panic!("event {e}: {d}");
                }
            }
            other => panic!("expected an event, got {other:?}"),
        }
    }
    for n in &names {
        match it.next() {
            Some(SubscribeToShardItem::Exception(err)) => {
                assert_eq!(err.code(), n);
                assert_eq!(err.message(), Some(message_for(n).as_str()));
            }
            other => panic!("expected exception {n}, got {other:?}"),
        }
    }
    match it.next() {
        Some(SubscribeToShardItem::GenericError { code, message }) => {
            assert_eq!((*code, *message), ("InternalFailure", "try again"));
        }
        other => panic!("expected a generic error, got {other:?}"),
    }
    match it.next() {
        Some(SubscribeToShardItem::Unknown {
            event_type,
            payload,
        }) => {
            assert_eq!(
                (*event_type, *payload),
                ("SomeFutureEvent", &br#"{"x":1}"#[..])
            );
        }
        other => panic!("expected an unknown event, got {other:?}"),
    }
    assert!(it.next().is_none());
}

/// Our encoding of every item decodes back to the same item (frames checked by our decoder).
#[test]
fn items_round_trip_through_frames() {
    let model = Model::load("kinesis");
    let names = exception_names(&model);
    let bodies: Vec<String> = names
        .iter()
        .map(|n| json!({"__type": n, "message": message_for(n)}).to_string())
        .collect();
    let mut items = vec![SubscribeToShardItem::InitialResponse];
    for e in EVENTS {
        items.push(SubscribeToShardItem::Event(
            serde_json::from_str(e).unwrap(),
        ));
    }
    for b in &bodies {
        items.push(SubscribeToShardItem::Exception(exception(b)));
    }
    items.push(SubscribeToShardItem::GenericError {
        code: "InternalFailure",
        message: "m",
    });
    items.push(SubscribeToShardItem::Unknown {
        event_type: "Later",
        payload: b"{}",
    });
    for item in &items {
        let mut bytes = Vec::new();
        item.encode_to_vec(&mut bytes).unwrap();
        let frame = kinesis_codec::eventstream::decode_exact(&bytes).unwrap();
        let back = SubscribeToShardItem::from_frame(&frame).unwrap();
        assert_eq!(&back, item);
    }
}
