//! Hostile CBOR bodies (issue 14, "Bad input"): typed errors with the path and the byte offset,
//! the nesting and element limits of JSON, no allocation sized by a length the body cannot hold,
//! never a panic. And the SubscribeToShard stream over CBOR, both directions.
#![cfg(feature = "alloc")]

use kinesis_codec::eventstream::decode_exact;
use kinesis_codec::kinesis::shapes::{GetRecordsOutput, PutRecordsInput, SubscribeToShardEvent};
use kinesis_codec::kinesis::{Error, Operation, Request, Response, SubscribeToShardItem};
use kinesis_codec::timestamp::Timestamp;
use kinesis_codec::wire::{
    parse_cbor, parse_cbor_with_options, ParseOptions, Protocol, WireErrorKind,
};

#[path = "common/counting_alloc.rs"]
mod counting_alloc;

fn text(out: &mut Vec<u8>, s: &str) {
    head(out, 3, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let m = major << 5;
    match n {
        0..=23 => out.push(m | n as u8),
        24..=0xff => out.extend_from_slice(&[m | 24, n as u8]),
        0x100..=0xffff => {
            out.push(m | 25);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(m | 26);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        }
        _ => {
            out.push(m | 27);
            out.extend_from_slice(&n.to_be_bytes());
        }
    }
}

/// `{"Records": [<n x {}>]}` with the array's length as given (maybe a lie).
fn records_claiming(claimed: u64, actual: usize) -> Vec<u8> {
    let mut b = vec![0xa1];
    text(&mut b, "Records");
    head(&mut b, 4, claimed);
    b.extend(std::iter::repeat_n(0xa0, actual));
    b
}

#[test]
fn a_length_the_body_cannot_hold_is_refused_before_anything_is_allocated() {
    for claimed in [1u64 << 20, 1 << 40, u64::MAX] {
        let body = records_claiming(claimed, 3);
        let (result, largest) =
            counting_alloc::largest_of(|| parse_cbor::<GetRecordsOutput<'_>>(&body));
        let error = result.unwrap_err();
        assert_eq!(error.kind(), WireErrorKind::Eof, "{error}");
        assert_eq!(error.offset(), Some(9), "{error}");
        assert!(
            largest < 4096,
            "allocated {largest} bytes for a claimed {claimed}"
        );
    }
    // Byte and text strings alike.
    let mut body = vec![0xa1];
    text(&mut body, "NextShardIterator");
    head(&mut body, 3, 1 << 50);
    body.extend_from_slice(b"abc");
    let error = parse_cbor::<GetRecordsOutput<'_>>(&body).unwrap_err();
    assert_eq!(error.path(), "$.NextShardIterator");
    assert_eq!(error.kind(), WireErrorKind::Eof);
}

#[test]
fn the_element_budget_holds_with_its_path() {
    let body = records_claiming(3, 3);
    let strict = ParseOptions::new().with_max_elements(3);
    let error = parse_cbor_with_options::<GetRecordsOutput<'_>>(&body, &strict).unwrap_err();
    assert_eq!(error.kind(), WireErrorKind::TooManyElements, "{error}");
    assert_eq!(error.path(), "$.Records[2]");
    assert!(parse_cbor_with_options::<GetRecordsOutput<'_>>(&body, &ParseOptions::new()).is_ok());
}

#[test]
fn nesting_deeper_than_the_limit_is_refused() {
    // An unknown member holding 10,000 nested arrays, then 10,000 nested tags.
    for nest in [0x81u8, 0xc6] {
        let mut body = vec![0xa1];
        text(&mut body, "Unknown");
        body.extend(std::iter::repeat_n(nest, 10_000));
        body.push(0x00);
        let error = parse_cbor::<GetRecordsOutput<'_>>(&body).unwrap_err();
        assert_eq!(error.kind(), WireErrorKind::Syntax, "{error}");
        assert!(error.message().contains("too deep"), "{error}");
    }
    // 100 levels are fine (the limit is JSON's: 128).
    let mut body = vec![0xa1];
    text(&mut body, "Unknown");
    body.extend(std::iter::repeat_n(0x81, 100));
    body.push(0x00);
    assert!(parse_cbor::<GetRecordsOutput<'_>>(&body).is_ok());
}

#[test]
fn every_prefix_of_a_body_is_an_error_and_trailing_bytes_too() {
    let json = br#"{"Records":[{"Data":"aGVsbG8=","PartitionKey":"k","SequenceNumber":"1","ApproximateArrivalTimestamp":1732226113.002}],"MillisBehindLatest":7}"#;
    let value = Response::parse(Operation::GetRecords, json).unwrap();
    let cbor = value.to_vec_in(Protocol::Cbor);
    assert_eq!(
        Response::parse_in(Protocol::Cbor, Operation::GetRecords, &cbor).unwrap(),
        value
    );
    for cut in 1..cbor.len() {
        let error = parse_cbor::<GetRecordsOutput<'_>>(&cbor[..cut]).unwrap_err();
        assert_eq!(error.kind(), WireErrorKind::Eof, "cut at {cut}: {error}");
    }
    let mut longer = cbor.clone();
    longer.push(0x00);
    let error = parse_cbor::<GetRecordsOutput<'_>>(&longer).unwrap_err();
    assert_eq!(error.offset(), Some(cbor.len()));
    assert!(error.message().contains("after the end"), "{error}");
}

#[test]
fn type_errors_name_the_path_and_member() {
    // {"Records": [{"Data": "x", "PartitionKey": 5}], "StreamName": "s"}: a number where a
    // string belongs.
    let mut body = vec![0xa2];
    text(&mut body, "Records");
    body.extend_from_slice(&[0x81, 0xa2]);
    text(&mut body, "Data");
    body.extend_from_slice(&[0x41, b'x']);
    text(&mut body, "PartitionKey");
    body.push(0x05);
    text(&mut body, "StreamName");
    text(&mut body, "s");
    let error = parse_cbor::<PutRecordsInput<'_>>(&body).unwrap_err();
    assert_eq!(error.kind(), WireErrorKind::Data);
    assert_eq!(error.path(), "$.Records[0].PartitionKey");
    assert_eq!(error.member(), Some("PartitionKey"));
    // A required member missing: reported at its structure, naming the member.
    let mut body = vec![0xa1];
    text(&mut body, "Records");
    body.extend_from_slice(&[0x81, 0xa1]);
    text(&mut body, "PartitionKey");
    text(&mut body, "k");
    let error = parse_cbor::<PutRecordsInput<'_>>(&body).unwrap_err();
    assert_eq!(error.member(), Some("Data"), "{error}");
    assert_eq!(error.path(), "$.Records[0]", "{error}");
    // A structure written as an array is a type error in both protocols (serde's derived
    // structs would take the members by position).
    let error = Request::parse(Operation::ListStreams, br#"["a",5,"t"]"#).unwrap_err();
    assert_eq!(error.kind(), WireErrorKind::Data, "{error}");
    let mut body = vec![0x83];
    text(&mut body, "a");
    body.push(0x05);
    text(&mut body, "t");
    let error = Request::parse_in(Protocol::Cbor, Operation::ListStreams, &body).unwrap_err();
    assert_eq!(error.kind(), WireErrorKind::Data, "{error}");
    assert!(error.message().contains("expected a structure"), "{error}");
    // Map keys must be text.
    let body = [0xa1, 0x00, 0x00];
    let error = parse_cbor::<PutRecordsInput<'_>>(&body).unwrap_err();
    assert!(error.message().contains("map key"), "{error}");
}

#[test]
fn the_stream_speaks_cbor_when_its_content_type_says_so() {
    let json = br#"{"ContinuationSequenceNumber":"42","MillisBehindLatest":0,"Records":[{"ApproximateArrivalTimestamp":1732226113.002,"Data":"AAEC/w==","PartitionKey":"k","SequenceNumber":"42"}]}"#;
    let event: SubscribeToShardEvent<'_> = kinesis_codec::wire::parse_json(json).unwrap();
    for item in [
        SubscribeToShardItem::InitialResponse,
        SubscribeToShardItem::Event(event.clone()),
        SubscribeToShardItem::Exception(
            Error::parse(
                br#"{"__type":"ResourceInUseException","message":"busy"}"#,
                None,
            )
            .unwrap(),
        ),
    ] {
        let mut frame = Vec::new();
        item.encode_to_vec_in(Protocol::Cbor, &mut frame).unwrap();
        let decoded = decode_exact(&frame).unwrap();
        assert_eq!(
            decoded.header_str(":content-type"),
            Some("application/x-amz-cbor-1.1")
        );
        assert_eq!(SubscribeToShardItem::from_frame(&decoded).unwrap(), item);
        // The payload is CBOR: a map (major type 5).
        assert_eq!(decoded.payload()[0] >> 5, 5, "{item:?}");
    }
    // The event's record data is raw bytes in the payload, and its timestamp tag 1 + ms.
    let mut frame = Vec::new();
    SubscribeToShardItem::Event(event)
        .encode_to_vec_in(Protocol::Cbor, &mut frame)
        .unwrap();
    let payload = decode_exact(&frame).unwrap().payload().to_vec();
    assert!(payload.windows(5).any(|w| w == [0x44, 0, 1, 2, 0xff]));
    let ms = Timestamp::from_millis(1_732_226_113_002).as_millis() as u64;
    let mut tagged = vec![0xc1, 0x1b];
    tagged.extend_from_slice(&ms.to_be_bytes());
    assert!(payload.windows(tagged.len()).any(|w| w == tagged));
}

#[test]
fn an_error_body_in_cbor_has_its_type_first() {
    let error = Error::parse(
        br#"{"__type":"com.amazonaws.kinesis.v20131202#ResourceNotFoundException","message":"Stream s not found"}"#,
        Some(400),
    )
    .unwrap();
    let body = error.to_vec_in(Protocol::Cbor);
    let mut want = vec![0xa2];
    text(&mut want, "__type");
    text(&mut want, "ResourceNotFoundException");
    text(&mut want, "message");
    text(&mut want, "Stream s not found");
    assert_eq!(body, want);
    assert_eq!(
        Error::parse_in(Protocol::Cbor, &body, Some(400)).unwrap(),
        error
    );
    // Not CBOR at all: the status decides, as for JSON.
    let unknown = Error::parse_in(Protocol::Cbor, b"<html>", Some(503)).unwrap();
    assert_eq!(unknown.code(), "503");
}

#[test]
fn an_empty_cbor_body_is_an_empty_structure() {
    let request = Request::parse_in(Protocol::Cbor, Operation::ListStreams, b"").unwrap();
    assert_eq!(
        request,
        Request::parse(Operation::ListStreams, b"{}").unwrap()
    );
    assert_eq!(request.to_vec_in(Protocol::Cbor), [0xa0]);
}
