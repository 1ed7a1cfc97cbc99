//! The crate's JSON writer (`kinesis_codec::wire::to_vec`, behind every `to_vec` of the typed
//! API) writes exactly the bytes `serde_json::to_vec` writes for the same value: every body of
//! the botocore and moto corpora (`tests/data/wire/`), parsed with the typed API and written both
//! ways; arbitrary strings, integers, floats, blobs and JSON trees (proptest); and, with the
//! `arbitrary` feature, arbitrary values of every shape.
#![cfg(feature = "alloc")]

mod wire_canon;

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine as _;
use kinesis_codec::blob::Blob;
use kinesis_codec::wire::to_vec;
use proptest::prelude::*;
use serde::Serialize;
use wire_canon::Case;

/// serde_json's bytes for a value that cannot fail to serialize.
fn sj<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("serde_json serializes it")
}

/// Both writers agree, byte for byte.
#[track_caller]
fn same<T: Serialize + ?Sized>(value: &T) {
    let theirs = sj(value);
    let ours = to_vec(value);
    assert_eq!(
        String::from_utf8_lossy(&ours),
        String::from_utf8_lossy(&theirs)
    );
    assert_eq!(ours, theirs);
}

/// What a corpus body came to.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// Parsed and written identically by both writers.
    Checked,
    /// A body the corpus marks as invalid, refused by the parser: nothing to write.
    Rejected,
}

/// serde_json's version of `Error::to_vec`: `{"__type":"<code>"` then the members.
fn error_body_oracle(code: &str, members: &[u8]) -> Vec<u8> {
    let mut out = b"{\"__type\":".to_vec();
    out.extend_from_slice(&sj(code));
    match members {
        b"{}" => out.push(b'}'),
        _ => {
            out.push(b',');
            out.extend_from_slice(&members[1..]);
        }
    }
    out
}

/// For one service: serde_json's bytes for the shape inside each `Request` / `Response` /
/// `Error` variant (the enums themselves are not `Serialize`), and the corpus check. A variant
/// missing from the lists (the model grew) fails the test with its name.
macro_rules! oracle {
    (
        $svc:ident,
        requests: [$($req:ident),* $(,)?],
        responses: [$($resp:ident),* $(,)?],
        no_body: [$($empty:ident)?],
        errors: [$($err:ident),* $(,)?]
    ) => {
        mod $svc {
            use super::*;
            use kinesis_codec::$svc::{Error, Operation, Request, Response};

            pub fn request_json(v: &Request<'_>) -> Vec<u8> {
                match v {
                    $(Request::$req(input) => sj(input),)*
                    other => panic!("add {:?} to the request list", other.operation()),
                }
            }

            pub fn response_json(v: &Response<'_>) -> Vec<u8> {
                match v {
                    $(Response::$resp(output) => sj(output),)*
                    $(Response::$empty(_) => sj(&serde_json::Map::new()),)?
                    other => panic!("add {:?} to the response list", other.operation()),
                }
            }

            pub fn error_members_json(v: &Error<'_>) -> Vec<u8> {
                match v {
                    $(Error::$err(e) => sj(e),)*
                    Error::Unknown { message: Some(m), .. } => sj(&serde_json::json!({ "message": m })),
                    Error::Unknown { message: None, .. } => sj(&serde_json::Map::new()),
                    other => panic!("add {} to the error list", other.code()),
                }
            }

            /// Both writers agree on this value.
            #[track_caller]
            pub fn check_request(v: &Request<'_>) {
                assert_eq!(
                    String::from_utf8_lossy(&v.to_vec()),
                    String::from_utf8_lossy(&request_json(v))
                );
            }

            #[track_caller]
            pub fn check_response(v: &Response<'_>) {
                assert_eq!(
                    String::from_utf8_lossy(&v.to_vec()),
                    String::from_utf8_lossy(&response_json(v))
                );
            }

            #[track_caller]
            pub fn check_error(v: &Error<'_>) {
                let members = error_members_json(v);
                assert_eq!(
                    String::from_utf8_lossy(&v.members_to_vec()),
                    String::from_utf8_lossy(&members)
                );
                assert_eq!(
                    String::from_utf8_lossy(&v.to_vec()),
                    String::from_utf8_lossy(&error_body_oracle(v.code(), &members))
                );
            }

            pub fn check_case(case: &Case) -> Outcome {
                let op = Operation::from_name(&case.operation)
                    .unwrap_or_else(|| panic!("{}: unknown operation", case.id));
                let body = case.body.as_bytes();
                let parsed = match case.kind.as_str() {
                    "request" => Request::parse(op, body).map(|v| check_request(&v)),
                    "response" => Response::parse(op, body).map(|v| check_response(&v)),
                    "error" => Error::parse(body, case.status).map(|v| check_error(&v)),
                    "event" => return event(case),
                    other => panic!("{}: unknown kind {other}", case.id),
                };
                match parsed {
                    Ok(()) => Outcome::Checked,
                    Err(_) if case.expect_error => Outcome::Rejected,
                    Err(e) => panic!("{}: does not parse: {e}", case.id),
                }
            }
        }
    };
}

/// A SubscribeToShardEvent payload (Kinesis only).
fn event(case: &Case) -> Outcome {
    use kinesis_codec::kinesis::shapes::SubscribeToShardEvent;
    assert_eq!(case.service, "kinesis", "{}", case.id);
    match kinesis_codec::wire::parse_json::<SubscribeToShardEvent<'_>>(case.body.as_bytes()) {
        Ok(v) => {
            same(&v);
            Outcome::Checked
        }
        Err(_) if case.expect_error => Outcome::Rejected,
        Err(e) => panic!("{}: does not parse: {e}", case.id),
    }
}

oracle!(
    kinesis,
    requests: [
        AcknowledgeDeadLetterQueueRecords, AcknowledgeQueueRecords, AddTagsToStream,
        CreateChannel, CreateQueue, CreateStream, DecreaseStreamRetentionPeriod,
        DeleteChannel, DeleteQueue, DeleteResourcePolicy, DeleteStream,
        DeregisterStreamConsumer, DescribeAccountSettings, DescribeChannel,
        DescribeLimits, DescribeQueue, DescribeStream, DescribeStreamConsumer,
        DescribeStreamSummary, DisableEnhancedMonitoring, EnableEnhancedMonitoring,
        GetRecords, GetResourcePolicy, GetShardIterator, IncreaseStreamRetentionPeriod,
        ListChannels, ListQueues, ListShards, ListStreamConsumers, ListStreams,
        ListTagsForResource, ListTagsForStream, MergeShards, PutRecord, PutRecords,
        PutResourcePolicy, ReceiveDeadLetterQueueRecords, ReceiveQueueRecords,
        RegisterStreamConsumer, RemoveTagsFromStream, RestoreDeadLetterQueueRecords,
        SplitShard, StartStreamEncryption, StopStreamEncryption, SubscribeToShard,
        TagResource, UntagResource, UpdateAccountSettings, UpdateChannel,
        UpdateDeadLetterQueueRecordsVisibility, UpdateMaxRecordSize, UpdateQueue,
        UpdateQueueRecordsVisibility, UpdateShardCount, UpdateStreamMode,
        UpdateStreamRecordDistributionStrategy, UpdateStreamWarmThroughput,
    ],
    responses: [
        AcknowledgeDeadLetterQueueRecords, AcknowledgeQueueRecords, CreateChannel,
        CreateQueue, DescribeAccountSettings, DescribeChannel, DescribeLimits,
        DescribeQueue, DescribeStream, DescribeStreamConsumer, DescribeStreamSummary,
        DisableEnhancedMonitoring, EnableEnhancedMonitoring, GetRecords,
        GetResourcePolicy, GetShardIterator, ListChannels, ListQueues, ListShards,
        ListStreamConsumers, ListStreams, ListTagsForResource, ListTagsForStream,
        PutRecord, PutRecords, ReceiveDeadLetterQueueRecords, ReceiveQueueRecords,
        RegisterStreamConsumer, RestoreDeadLetterQueueRecords, SubscribeToShard,
        UpdateAccountSettings, UpdateChannel, UpdateDeadLetterQueueRecordsVisibility,
        UpdateQueue, UpdateQueueRecordsVisibility, UpdateShardCount,
        UpdateStreamWarmThroughput,
    ],
    no_body: [Empty],
    errors: [
        AccessDeniedException, DryRunOperationException, ExpiredIteratorException,
        ExpiredNextTokenException, InternalFailureException, InvalidArgumentException,
        KMSAccessDeniedException, KMSDisabledException, KMSInvalidStateException,
        KMSNotFoundException, KMSOptInRequired, KMSThrottlingException,
        LimitExceededException, ProvisionedThroughputExceededException,
        ResourceInUseException, ResourceNotFoundException, ThrottlingException,
        ValidationException,
    ]
);
oracle!(
    firehose,
    requests: [
        CreateDeliveryStream, DeleteDeliveryStream, DescribeDeliveryStream,
        ListDeliveryStreams, ListTagsForDeliveryStream, PutRecord, PutRecordBatch,
        StartDeliveryStreamEncryption, StopDeliveryStreamEncryption, TagDeliveryStream,
        UntagDeliveryStream, UpdateDestination,
    ],
    responses: [
        CreateDeliveryStream, DeleteDeliveryStream, DescribeDeliveryStream,
        ListDeliveryStreams, ListTagsForDeliveryStream, PutRecord, PutRecordBatch,
        StartDeliveryStreamEncryption, StopDeliveryStreamEncryption, TagDeliveryStream,
        UntagDeliveryStream, UpdateDestination,
    ],
    no_body: [],
    errors: [
        ConcurrentModificationException, InvalidArgumentException,
        InvalidKMSResourceException, InvalidSourceException, LimitExceededException,
        ResourceInUseException, ResourceNotFoundException, ServiceUnavailableException,
    ]
);

fn check_case(case: &Case) -> Outcome {
    match case.service.as_str() {
        "kinesis" => kinesis::check_case(case),
        "firehose" => firehose::check_case(case),
        other => panic!("{}: unknown service {other}", case.id),
    }
}

/// Checks every case of the files; returns (cases, checked, rejected), after asserting that only
/// cases marked invalid were rejected and every other case was checked.
fn run_corpus(files: &[&Path]) -> (usize, usize, usize) {
    let (mut total, mut checked, mut rejected, mut marked_invalid) = (0, 0, 0, 0);
    for file in files {
        let cases = wire_canon::read_cases(file);
        assert!(!cases.is_empty(), "{} has no cases", file.display());
        for case in &cases {
            total += 1;
            marked_invalid += usize::from(case.expect_error);
            match check_case(case) {
                Outcome::Checked => checked += 1,
                Outcome::Rejected => rejected += 1,
            }
        }
    }
    eprintln!("{total} cases: {checked} written identically, {rejected} rejected as invalid ({marked_invalid} marked invalid)");
    assert_eq!(checked, total - rejected);
    assert!(rejected <= marked_invalid);
    (total, checked, rejected)
}

#[test]
fn botocore_corpus_writes_as_serde_json() {
    let dir = wire_canon::root().join("tests/data/wire/botocore");
    let (total, checked, _) =
        run_corpus(&[&dir.join("kinesis.jsonl"), &dir.join("firehose.jsonl")]);
    assert!(
        total > 2000 && checked > 1500,
        "{total} cases, {checked} checked"
    );
}

#[test]
fn moto_corpus_writes_as_serde_json() {
    let dir = wire_canon::root().join("tests/data/wire/moto");
    let (total, checked, _) =
        run_corpus(&[&dir.join("kinesis.jsonl"), &dir.join("firehose.jsonl")]);
    assert!(
        total > 100 && checked > 100,
        "{total} cases, {checked} checked"
    );
}

// ---- scalars, strings, blobs ----------------------------------------------------------------

/// Characters that exercise the escaping: control characters, `"`, `\`, DEL, and any other.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap()),
        Just('"'),
        Just('\\'),
        Just('/'),
        Just('\u{7f}'),
        Just('\u{2028}'),
        any::<char>(),
        proptest::char::range('a', 'z'),
    ]
}

fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(tricky_char(), 0..80).prop_map(|c| c.into_iter().collect()),
        // Long runs with an escape here and there: the chunked scan's boundaries.
        (0usize..100, tricky_char(), 0usize..100).prop_map(|(a, c, b)| {
            let mut s = "x".repeat(a);
            s.push(c);
            s.push_str(&"y".repeat(b));
            s
        }),
    ]
}

/// Any f64, every bit pattern equally likely (subnormals, huge and tiny exponents, negative
/// zero, NaN and the infinities all occur), and proptest's own mix of classes.
fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<u64>().prop_map(f64::from_bits),
        proptest::num::f64::ANY,
        (-1_000_000_000_000i64..1_000_000_000_000).prop_map(|ms| ms as f64 / 1000.0),
        Just(-0.0),
        Just(f64::MIN_POSITIVE),
        Just(5e-324),
        Just(f64::MAX),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn strings_write_as_serde_json(s in tricky_string()) {
        same(&s);
        same(&[&s, &s]);
        let mut map = BTreeMap::new();
        map.insert(s.clone(), s.clone());
        same(&map);
        same(&s.chars().collect::<Vec<char>>());
    }

    #[test]
    fn integers_write_as_serde_json(i in any::<i64>(), u in any::<u64>(), w in any::<i128>(), x in any::<u128>()) {
        same(&i);
        same(&u);
        same(&w);
        same(&x);
        same(&(i as i8, i as i16, i as i32, u as u8, u as u16, u as u32));
        let keys: BTreeMap<i64, u64> = [(i, u)].into();
        same(&keys);
        let keys: BTreeMap<u128, i128> = [(x, w)].into();
        same(&keys);
    }

    #[test]
    fn floats_write_as_serde_json(f in any_f64(), bits in any::<u32>()) {
        same(&f);
        same(&-f);
        same(&f32::from_bits(bits));
        let timestamp = kinesis_codec::timestamp::Timestamp::from_millis((f * 1000.0) as i64);
        same(&timestamp);
        // As map keys: finite ones quoted; NaN and the infinities refused by both.
        let key = BTreeMap::from([(FloatKey(f), 1)]);
        if f.is_finite() {
            same(&key);
        } else {
            prop_assert!(serde_json::to_vec(&key).is_err());
            prop_assert!(to_vec(&key).is_empty());
        }
    }

    #[test]
    fn blobs_write_as_serde_json(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
        let raw = Blob::from_bytes(&bytes);
        same(&raw);
        let text = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let from_text = Blob::from_base64(&text).unwrap();
        same(&from_text);
        prop_assert_eq!(to_vec(&raw), to_vec(&from_text));
        // serde_json's Value serializer sees the same string (the newtype wrapper is invisible).
        prop_assert_eq!(serde_json::to_value(&raw).unwrap(), serde_json::Value::String(text.clone()));
        same(&[Some(raw.clone()), None, Some(from_text.clone())]);
        // Parsed from JSON (borrowed text), and parsed from JSON that escaped `/` (owned text).
        let json = sj(&text);
        let parsed: Blob<'_> = serde_json::from_slice(&json).unwrap();
        same(&parsed);
        let escaped = String::from_utf8(json.clone()).unwrap().replace('/', "\\/");
        let parsed: Blob<'_> = serde_json::from_str(&escaped).unwrap();
        same(&parsed);
        prop_assert_eq!(to_vec(&parsed), json);
    }

    #[test]
    fn json_trees_write_as_serde_json(v in json_value()) {
        same(&v);
    }
}

/// Any JSON value: objects, arrays, strings, integers, floats, booleans, null.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any_f64().prop_map(Value::from),
        tricky_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::btree_map(tricky_string(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// An f64 usable as a `BTreeMap` key.
#[derive(Clone, Copy, PartialEq)]
struct FloatKey(f64);

impl Eq for FloatKey {}

impl PartialOrd for FloatKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for FloatKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl Serialize for FloatKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.0)
    }
}

// ---- the rest of serde's data model -----------------------------------------------------------

#[derive(Serialize)]
struct Unit;

#[derive(Serialize)]
struct Newtype(u8);

#[derive(Serialize)]
struct Tuple(i8, &'static str);

#[derive(Serialize)]
enum Variants {
    Unit,
    Newtype(Option<u32>),
    Tuple(u8, u8),
    Empty(),
    Struct { a: f64, b: &'static str },
    EmptyStruct {},
}

/// `serialize_bytes`, which serde_json writes as an array of numbers.
struct Bytes(&'static [u8]);

impl Serialize for Bytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

/// A sequence announcing a length it does not have.
struct Liar(Option<usize>, usize);

impl Serialize for Liar {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(self.0)?;
        for i in 0..self.1 {
            seq.serialize_element(&i)?;
        }
        seq.end()
    }
}

/// `collect_str` with a `Display` that writes in several pieces, escapes included.
struct Pieces;

impl std::fmt::Display for Pieces {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a\"b")?;
        let (n, c) = (12, '\\');
        write!(f, "{n}\u{1}{c}")
    }
}

impl Serialize for Pieces {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[test]
fn every_serde_form_writes_as_serde_json() {
    same(&());
    same(&Unit);
    same(&Newtype(7));
    same(&Tuple(-1, "x"));
    same(&(1u8, "two", 3.5f64, '4', true, false, None::<u8>, Some(5u8)));
    same(&Variants::Unit);
    same(&Variants::Newtype(Some(9)));
    same(&Variants::Newtype(None));
    same(&Variants::Tuple(1, 2));
    same(&Variants::Empty());
    same(&Variants::Struct { a: 0.1, b: "\n" });
    same(&Variants::EmptyStruct {});
    same(&vec![Variants::Unit, Variants::Tuple(3, 4)]);
    same(&Bytes(b""));
    same(&Bytes(b"\x00\x01\xff"));
    same(&Vec::<u8>::new());
    same(&BTreeMap::<String, u8>::new());
    same(&Pieces);
    for (len, n) in [
        (Some(0), 0),
        (Some(0), 2),
        (Some(3), 0),
        (None, 0),
        (None, 2),
        (Some(1), 3),
    ] {
        same(&Liar(len, n));
    }
    // Keys: strings, chars, bools, integers and unit variants are written as strings.
    same(&BTreeMap::from([(true, 1), (false, 2)]));
    same(&BTreeMap::from([('"', 1), ('\u{0}', 2)]));
    same(&BTreeMap::from([(Some("k"), 1)]));
    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    enum Key {
        A,
    }
    same(&BTreeMap::from([(Key::A, 1)]));
    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    struct NewtypeKey(u16);
    same(&BTreeMap::from([(NewtypeKey(3), 1)]));
    same(&BTreeMap::from([(Pieces.to_string(), 1)]));
}

/// Keys serde_json refuses are refused, and nothing is written (`to_vec` is empty,
/// `to_writer` leaves the buffer as it was).
#[test]
fn keys_serde_json_refuses_are_refused() {
    fn refused<T: Serialize>(value: &T) {
        assert!(serde_json::to_vec(value).is_err());
        assert!(to_vec(value).is_empty());
        let mut out = b"prefix".to_vec();
        kinesis_codec::wire::to_writer(value, &mut out);
        assert_eq!(out, b"prefix");
    }
    refused(&BTreeMap::from([((), 1)]));
    refused(&BTreeMap::from([(None::<u8>, 1)]));
    refused(&BTreeMap::from([(vec![1u8], 1)]));
    refused(&BTreeMap::from([((1u8, 2u8), 1)]));
    refused(&BTreeMap::from([(Unit, 1)].map(|(_, v)| (UnitKey, v))));
    refused(&vec![BTreeMap::from([(Some(BTreeMap::from([(1, 2)])), 1)])]);
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct UnitKey;

/// `to_writer` appends after what the buffer holds.
#[test]
fn to_writer_appends() {
    let mut out = b"[".to_vec();
    kinesis_codec::wire::to_writer(&Blob::from_bytes(b"hi"), &mut out);
    kinesis_codec::wire::to_writer("\u{1f}", &mut out);
    assert_eq!(out, b"[\"aGk=\"\"\\u001f\"");
}

// ---- arbitrary shapes -------------------------------------------------------------------------

/// Arbitrary values of every shape of both services: the typed API's `to_vec` writes what
/// serde_json writes.
#[cfg(feature = "arbitrary")]
#[test]
fn arbitrary_shapes_write_as_serde_json() {
    use arbitrary::{Arbitrary, Unstructured};
    let mut state = 0x0123_4567_89ab_cdefu64;
    let mut counts = [0usize; 6];
    for i in 0..3000usize {
        let len = 16 + (i * 37) % 4096;
        let data: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        macro_rules! each {
            ($svc:ident, $base:expr) => {
                if let Ok(v) =
                    kinesis_codec::$svc::Request::arbitrary(&mut Unstructured::new(&data))
                {
                    $svc::check_request(&v);
                    counts[$base] += 1;
                }
                if let Ok(v) =
                    kinesis_codec::$svc::Response::arbitrary(&mut Unstructured::new(&data))
                {
                    $svc::check_response(&v);
                    counts[$base + 1] += 1;
                }
                if let Ok(v) = kinesis_codec::$svc::Error::arbitrary(&mut Unstructured::new(&data))
                {
                    $svc::check_error(&v);
                    counts[$base + 2] += 1;
                }
            };
        }
        each!(kinesis, 0);
        each!(firehose, 3);
    }
    eprintln!("checked (kinesis, firehose) x (requests, responses, errors): {counts:?}");
    assert!(counts.iter().all(|&n| n > 1000), "{counts:?}");
}
