//! Differential tests: this crate's event-stream codec against two independent ones.
//!
//! - aws-smithy-eventstream (the official Rust codec): random frames encoded here decode to the
//!   same headers and payload there, and frames encoded there decode to the same values here and
//!   re-encode to the same bytes. A corrupted frame is refused by both.
//! - botocore (`botocore.eventstream.EventStreamBuffer`, through
//!   `tests/peers/botocore_eventstream.py`): a batch of random frames encoded here, given whole
//!   and in random pieces, decodes to what was encoded.
//!
//! The frames cover all ten header types, random names (empty, non-ASCII, repeated) and payloads
//! of 0..4 KiB.

// Needs `encode_to_vec`, `FrameReader` and base64 with `alloc`: the default `std` feature.
#![cfg(feature = "std")]

use std::path::Path;

#[path = "common/peers.rs"]
mod peers;

use aws_smithy_eventstream::frame::{read_message_from, write_message_to};
use aws_smithy_types::event_stream::{
    Header as SHeader, HeaderValue as SValue, Message as SMessage,
};
use aws_smithy_types::DateTime;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use kinesis_codec::eventstream::{
    decode, decode_exact, encode, encode_to_vec, encoded_len, Decoded, FrameReader, Header,
    OwnedHeaderValue as Owned,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};

/// The peers' forms of a header value.
trait PeerForms {
    fn smithy(&self) -> SValue;
    /// What botocore's decoder gives for this value, tagged as the script prints it.
    fn botocore(&self) -> Value;
}

impl PeerForms for Owned {
    fn smithy(&self) -> SValue {
        match self {
            Owned::Bool(v) => SValue::Bool(*v),
            Owned::Byte(v) => SValue::Byte(*v),
            Owned::Int16(v) => SValue::Int16(*v),
            Owned::Int32(v) => SValue::Int32(*v),
            Owned::Int64(v) => SValue::Int64(*v),
            Owned::ByteArray(v) => SValue::ByteArray(v.clone().into()),
            Owned::String(v) => SValue::String(v.clone().into()),
            Owned::Timestamp(v) => SValue::Timestamp(DateTime::from_millis(*v)),
            Owned::Uuid(v) => SValue::Uuid(u128::from_be_bytes(*v)),
        }
    }

    fn botocore(&self) -> Value {
        match self {
            Owned::Bool(v) => json!(["bool", v]),
            Owned::Byte(v) => json!(["int", v]),
            Owned::Int16(v) => json!(["int", v]),
            Owned::Int32(v) => json!(["int", v]),
            Owned::Int64(v) | Owned::Timestamp(v) => json!(["int", v]),
            Owned::ByteArray(v) => json!(["bytes", B64.encode(v)]),
            Owned::Uuid(v) => json!(["bytes", B64.encode(v)]),
            Owned::String(v) => json!(["str", v]),
        }
    }
}

/// A header value decoded by aws-smithy-eventstream, as an owned value.
fn owned_smithy(value: &SValue) -> Owned {
    match value {
        SValue::Bool(v) => Owned::Bool(*v),
        SValue::Byte(v) => Owned::Byte(*v),
        SValue::Int16(v) => Owned::Int16(*v),
        SValue::Int32(v) => Owned::Int32(*v),
        SValue::Int64(v) => Owned::Int64(*v),
        SValue::ByteArray(v) => Owned::ByteArray(v.to_vec()),
        SValue::String(v) => Owned::String(v.as_str().to_owned()),
        SValue::Timestamp(v) => Owned::Timestamp(v.to_millis().expect("millis fit in i64")),
        SValue::Uuid(v) => Owned::Uuid(v.to_be_bytes()),
        other => panic!("a header value type aws-smithy-eventstream added: {other:?}"),
    }
}

#[derive(Clone, Debug)]
struct Msg {
    headers: Vec<(String, Owned)>,
    payload: Vec<u8>,
}

impl Msg {
    /// The headers as this crate takes them.
    fn headers_here(&self) -> Vec<Header<'_>> {
        self.headers
            .iter()
            .map(|(n, v)| Header::new(n, v.as_value()))
            .collect()
    }

    fn encode_ours(&self) -> Vec<u8> {
        let mut out = Vec::new();
        encode_to_vec(&self.headers_here(), &self.payload, &mut out).expect("encodes");
        out
    }

    fn smithy(&self) -> SMessage {
        SMessage::new_from_parts(
            self.headers
                .iter()
                .map(|(n, v)| SHeader::new(n.clone(), v.smithy()))
                .collect(),
            self.payload.clone(),
        )
    }

    /// botocore's view: each header as `[name, tag, value]`.
    fn botocore_headers(&self) -> Value {
        Value::Array(
            self.headers
                .iter()
                .map(|(n, v)| {
                    let mut h = vec![json!(n)];
                    h.extend(
                        v.botocore()
                            .as_array()
                            .expect("tagged pair")
                            .iter()
                            .cloned(),
                    );
                    Value::Array(h)
                })
                .collect(),
        )
    }
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        // A small pool, so that names repeat within a frame.
        prop::sample::select(vec![
            ":message-type",
            ":event-type",
            ":content-type",
            "x",
            "é"
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z0-9:._-]{1,24}",
        // Any Unicode, kept within the 255-byte name limit.
        prop::collection::vec(any::<char>(), 0..60)
            .prop_map(|c| c.into_iter().collect::<String>())
            .prop_filter("name fits in 255 bytes", |s| s.len() <= 255),
    ]
}

fn value() -> impl Strategy<Value = Owned> {
    prop_oneof![
        any::<bool>().prop_map(Owned::Bool),
        any::<i8>().prop_map(Owned::Byte),
        any::<i16>().prop_map(Owned::Int16),
        any::<i32>().prop_map(Owned::Int32),
        any::<i64>().prop_map(Owned::Int64),
        prop_oneof![
            4 => prop::collection::vec(any::<u8>(), 0..64),
            1 => prop::collection::vec(any::<u8>(), 0..2000),
        ]
        .prop_map(Owned::ByteArray),
        prop_oneof![
            Just(String::new()),
            "application/(x-amz-json-1\\.1|json|octet-stream)",
            prop::collection::vec(any::<char>(), 0..200).prop_map(|c| c.into_iter().collect()),
        ]
        .prop_map(Owned::String),
        any::<i64>().prop_map(Owned::Timestamp),
        any::<[u8; 16]>().prop_map(Owned::Uuid),
    ]
}

fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        prop::collection::vec(any::<u8>(), 0..128),
        prop::collection::vec(any::<u8>(), 0..=4096),
    ]
}

fn msg() -> impl Strategy<Value = Msg> {
    (prop::collection::vec((name(), value()), 0..12), payload())
        .prop_map(|(headers, payload)| Msg { headers, payload })
}

/// Headers and payload of a frame decoded by this crate.
fn decoded_ours(bytes: &[u8]) -> (Vec<(String, Owned)>, Vec<u8>) {
    let frame = decode_exact(bytes).expect("this crate decodes the frame");
    (
        frame
            .headers()
            .map(|h| (h.name.to_owned(), Owned::from(h.value)))
            .collect(),
        frame.payload().to_vec(),
    )
}

fn decoded_smithy(bytes: &[u8]) -> (Vec<(String, Owned)>, Vec<u8>) {
    let m = read_message_from(bytes).expect("aws-smithy-eventstream decodes the frame");
    (
        m.headers()
            .iter()
            .map(|h| (h.name().as_str().to_owned(), owned_smithy(h.value())))
            .collect(),
        m.payload().to_vec(),
    )
}

proptest! {
    #![proptest_config(Config { cases: 512, ..Config::default() })]

    /// Frames encoded here decode to the same headers (in order, duplicates kept) and payload in
    /// aws-smithy-eventstream.
    #[test]
    fn encoded_here_decodes_identically_in_smithy(m in msg()) {
        let bytes = m.encode_ours();
        let (headers, payload) = decoded_smithy(&bytes);
        prop_assert_eq!(&headers, &m.headers);
        prop_assert_eq!(&payload, &m.payload);
        prop_assert_eq!(decoded_ours(&bytes), (m.headers.clone(), m.payload.clone()));
    }

    /// Frames encoded by aws-smithy-eventstream decode to the same values here, and this crate
    /// re-encodes what it decoded to exactly smithy's bytes.
    #[test]
    fn encoded_by_smithy_decodes_identically_here(m in msg()) {
        let mut theirs = Vec::new();
        write_message_to(&m.smithy(), &mut theirs).expect("smithy encodes");
        let frame = decode_exact(&theirs).expect("this crate decodes smithy's frame");
        let headers: Vec<Header<'_>> = frame.headers().collect();
        let got: Vec<(String, Owned)> =
            headers.iter().map(|h| (h.name.to_owned(), Owned::from(h.value))).collect();
        prop_assert_eq!(&got, &m.headers);
        prop_assert_eq!(frame.payload(), &m.payload[..]);
        prop_assert_eq!(frame.total_len() as usize, theirs.len());
        let mut again = Vec::new();
        encode_to_vec(&headers, frame.payload(), &mut again).expect("re-encodes");
        prop_assert!(again == theirs, "re-encoded frame differs from smithy's bytes");
        // `encode` into a slice hashes the frame as written, the others head and payload apart.
        let mut slice = vec![0u8; theirs.len()];
        prop_assert_eq!(encode(&headers, frame.payload(), &mut slice), Ok(theirs.len()));
        prop_assert!(slice == theirs, "encode into a slice differs from smithy's bytes");
    }

    /// Any single flipped bit is refused by both decoders (the CRCs catch every 1-bit error).
    #[test]
    fn a_flipped_bit_is_refused_by_both(m in msg(), at in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut bytes = m.encode_ours();
        let i = at.index(bytes.len());
        bytes[i] ^= 1 << bit;
        prop_assert!(read_message_from(&bytes[..]).is_err(), "smithy accepted a corrupt frame");
        match decode(&bytes) {
            Err(_) => {}
            // A bit flipped in total_len may ask for more bytes than there are: still refused
            // as a whole frame.
            Ok(Decoded::NeedMore { .. }) => prop_assert!(decode_exact(&bytes).is_err()),
            Ok(Decoded::Frame { .. }) => prop_assert!(false, "accepted a corrupt frame at bit {} of byte {}", bit, i),
        }
    }
}

/// `encode` hashes frames of up to 4 KiB (without the trailer) as written and larger ones
/// apart: on both sides of that line, with the SubscribeToShard headers, it writes smithy's bytes.
#[test]
fn encode_writes_smithys_bytes_on_both_sides_of_the_one_pass_limit() {
    let mut m = Msg {
        headers: [
            (":message-type", "event"),
            (":event-type", "SubscribeToShardEvent"),
            (":content-type", "application/x-amz-json-1.1"),
        ]
        .iter()
        .map(|&(n, v)| (n.to_owned(), Owned::String(v.to_owned())))
        .collect(),
        payload: Vec::new(),
    };
    let head_len = encoded_len(&m.headers_here(), &[]).expect("fits") - 4;
    for covered in [4 * 1024 - 1, 4 * 1024, 4 * 1024 + 1] {
        m.payload = (0..covered - head_len)
            .map(|i| u8::try_from(i % 251).expect("below 251"))
            .collect();
        let mut theirs = Vec::new();
        write_message_to(&m.smithy(), &mut theirs).expect("smithy encodes");
        assert_eq!(theirs.len(), covered + 4);
        let mut slice = vec![0u8; theirs.len()];
        assert_eq!(
            encode(&m.headers_here(), &m.payload, &mut slice),
            Ok(theirs.len())
        );
        assert!(
            slice == theirs,
            "{covered} bytes covered: encode differs from smithy"
        );
    }
}

/// A stream of smithy-encoded frames, read back here through [`FrameReader`] from a reader that
/// returns a few bytes at a time.
#[test]
fn a_smithy_stream_reads_back_in_small_pieces() {
    let batch = batch(200, 11, false);
    let mut wire = Vec::new();
    for m in &batch {
        write_message_to(&m.smithy(), &mut wire).expect("smithy encodes");
    }
    struct Trickle<'a>(&'a [u8], usize);
    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.1 = self.1 % 7 + 1;
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    let mut reader = FrameReader::new(Trickle(&wire, 0));
    let mut i = 0;
    while let Some(frame) = reader.next_frame().expect("reads") {
        let got: Vec<(String, Owned)> = frame
            .headers()
            .map(|h| (h.name.to_owned(), Owned::from(h.value)))
            .collect();
        assert_eq!(got, batch[i].headers, "frame {i}");
        assert_eq!(frame.payload(), &batch[i].payload[..], "frame {i}");
        i += 1;
    }
    assert_eq!(i, batch.len());
}

/// `n` random messages from a fixed seed; with `unique_names`, repeated names in a frame are
/// dropped (botocore refuses duplicates).
fn batch(n: usize, seed: u8, unique_names: bool) -> Vec<Msg> {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        proptest::test_runner::TestRng::from_seed(
            proptest::test_runner::RngAlgorithm::ChaCha,
            &[seed; 32],
        ),
    );
    let strategy = msg();
    (0..n)
        .map(|_| {
            let mut m = strategy.new_tree(&mut runner).expect("generate").current();
            if unique_names {
                let mut seen = std::collections::HashSet::new();
                m.headers.retain(|(n, _)| seen.insert(n.clone()));
            }
            m
        })
        .collect()
}

/// Runs the botocore script on `wire`; returns one JSON value per message it decoded.
fn botocore_decode(python: &Path, wire: &[u8], chunk_seed: Option<u64>) -> Vec<Value> {
    let dir = std::env::temp_dir().join(format!("kinesis-codec-peers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join(format!(
        "frames-{}.bin",
        chunk_seed.map_or(-1, |s| s as i64)
    ));
    std::fs::write(&file, wire).expect("write frames");
    let mut cmd = peers::command(python, "botocore_eventstream.py");
    cmd.arg(&file);
    if let Some(seed) = chunk_seed {
        cmd.arg("--chunk-seed").arg(seed.to_string());
    }
    let out = cmd.output().expect("run the peers' python");
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "tests/peers/botocore_eventstream.py failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes(b.try_into().expect("4 bytes"))
}

#[test]
fn botocore_decodes_frames_encoded_here() {
    let Some(python) = peers::python("botocore_decodes_frames_encoded_here") else {
        return;
    };
    let batch = batch(300, 42, true);
    let frames: Vec<Vec<u8>> = batch.iter().map(Msg::encode_ours).collect();
    let wire: Vec<u8> = frames.concat();
    // The batch really exercises every type and the edge cases.
    let all: Vec<&Owned> = batch
        .iter()
        .flat_map(|m| m.headers.iter().map(|(_, v)| v))
        .collect();
    for type_id in 0..10u8 {
        assert!(
            all.iter().any(|v| v.as_value().type_id() == type_id),
            "no header of type {type_id} in the batch"
        );
    }
    assert!(batch
        .iter()
        .any(|m| m.headers.iter().any(|(n, _)| n.is_empty())));
    assert!(batch.iter().any(|m| m.payload.is_empty()));
    assert!(batch.iter().any(|m| m.payload.len() > 3000));

    for chunk_seed in [None, Some(1), Some(2)] {
        let seen = botocore_decode(python, &wire, chunk_seed);
        assert_eq!(
            seen.len(),
            batch.len(),
            "message count (chunk seed {chunk_seed:?})"
        );
        for (i, ((got, m), bytes)) in seen.iter().zip(&batch).zip(&frames).enumerate() {
            let want = json!({
                "total_length": bytes.len(),
                "headers_length": be32(&bytes[4..8]),
                "prelude_crc": be32(&bytes[8..12]),
                "message_crc": be32(&bytes[bytes.len() - 4..]),
                "headers": m.botocore_headers(),
                "payload": B64.encode(&m.payload),
            });
            assert_eq!(got, &want, "message {i} (chunk seed {chunk_seed:?})");
        }
    }
}

/// botocore refuses duplicate header names; this crate keeps them (spec policy). Checked here so
/// the difference stays known.
#[test]
fn botocore_refuses_duplicate_names_that_this_crate_keeps() {
    let Some(python) = peers::python("botocore_refuses_duplicate_names_that_this_crate_keeps")
    else {
        return;
    };
    let m = Msg {
        headers: vec![
            ("dup".into(), Owned::Int32(1)),
            ("dup".into(), Owned::String("two".into())),
        ],
        payload: b"p".to_vec(),
    };
    let bytes = m.encode_ours();
    assert_eq!(decoded_ours(&bytes).0, m.headers);
    let dir = std::env::temp_dir().join(format!("kinesis-codec-peers-dup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("dup.bin");
    std::fs::write(&file, &bytes).expect("write");
    let out = peers::command(python, "botocore_eventstream.py")
        .arg(&file)
        .output()
        .expect("run python3");
    let _ = std::fs::remove_dir_all(&dir);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("DuplicateHeader"), "{err}");
}

/// The encoder limits agree with aws-smithy-eventstream's: a 255-byte name and 32,767-byte
/// values encode (to the same bytes in both), a 256-byte name or a 32,768-byte value is refused
/// by both.
#[test]
fn encoder_limits_agree_with_smithy() {
    let at_limit = Msg {
        headers: vec![
            ("n".repeat(255), Owned::Bool(true)),
            ("s".into(), Owned::String("é".repeat(16383) + "x")),
            ("b".into(), Owned::ByteArray(vec![0xa5; 32767])),
        ],
        payload: vec![1; 10],
    };
    assert_eq!(
        at_limit.headers[1].1.as_value().as_str().map(str::len),
        Some(32767)
    );
    let ours = at_limit.encode_ours();
    let mut theirs = Vec::new();
    write_message_to(&at_limit.smithy(), &mut theirs).expect("smithy encodes at the limits");
    assert!(ours == theirs, "the two encoders disagree at the limits");
    assert_eq!(
        decoded_smithy(&ours),
        (at_limit.headers.clone(), at_limit.payload.clone())
    );

    let over = [
        ("n".repeat(256), Owned::Bool(true)),
        ("s".into(), Owned::String("x".repeat(32768))),
        ("b".into(), Owned::ByteArray(vec![0; 32768])),
    ];
    for (name, value) in over {
        let h = [Header::new(&name, value.as_value())];
        assert!(
            encode_to_vec(&h, b"", &mut Vec::new()).is_err(),
            "kinesis-codec encoded {} / {:?}",
            name.len(),
            value.as_value().type_id()
        );
        let m =
            SMessage::new_from_parts(vec![SHeader::new(name.clone(), value.smithy())], &b""[..]);
        assert!(
            write_message_to(&m, &mut Vec::new()).is_err(),
            "smithy encoded {} / {:?}",
            name.len(),
            value.as_value().type_id()
        );
    }
}

/// A frame built by hand (no encoder here writes it): string and byte-array values of
/// 32,768..65,535 bytes. The spec's policy is to accept them on decode, as smithy and botocore
/// do; all three must read the same values.
#[test]
fn long_values_that_no_encoder_writes_decode_alike_everywhere() {
    let long_str = "ü".repeat(30000) + "abc"; // 60,003 bytes
    let long_bytes: Vec<u8> = (0..65535u32).map(|i| (i % 251) as u8).collect();
    let mut block = Vec::new();
    for (name, type_id, value) in [("s", 7u8, long_str.as_bytes()), ("b", 6u8, &long_bytes[..])] {
        block.push(name.len() as u8);
        block.extend_from_slice(name.as_bytes());
        block.push(type_id);
        block.extend_from_slice(&(value.len() as u16).to_be_bytes());
        block.extend_from_slice(value);
    }
    let payload = b"after the long headers";
    let total = (16 + block.len() + payload.len()) as u32;
    let mut frame = Vec::new();
    frame.extend_from_slice(&total.to_be_bytes());
    frame.extend_from_slice(&(block.len() as u32).to_be_bytes());
    let prelude_crc = crc32fast::hash(&frame);
    frame.extend_from_slice(&prelude_crc.to_be_bytes());
    frame.extend_from_slice(&block);
    frame.extend_from_slice(payload);
    let message_crc = crc32fast::hash(&frame);
    frame.extend_from_slice(&message_crc.to_be_bytes());

    let want = (
        vec![
            ("s".to_owned(), Owned::String(long_str)),
            ("b".to_owned(), Owned::ByteArray(long_bytes)),
        ],
        payload.to_vec(),
    );
    assert_eq!(decoded_ours(&frame), want);
    assert_eq!(decoded_smithy(&frame), want);

    let Some(python) =
        peers::python("long_values_that_no_encoder_writes_decode_alike_everywhere (botocore part)")
    else {
        return;
    };
    let m = Msg {
        headers: want.0,
        payload: want.1,
    };
    let seen = botocore_decode(python, &frame, None);
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["headers"], m.botocore_headers());
    assert_eq!(seen[0]["payload"], B64.encode(payload));
}
