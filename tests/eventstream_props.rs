//! Properties: arbitrary headers and payloads round-trip through every encoder and the
//! decoder; every single-byte change to a valid frame is caught by a CRC; arbitrary bytes never
//! panic; the encoder's limits and buffer checks hold at every size.
#![cfg(feature = "std")]

use kinesis_codec::eventstream::{
    decode, decode_exact, encode, encode_heapless, encode_to_vec, encode_vectored, encoded_len,
    DecodeError, DecodeOptions, Decoded, EncodeError, Encoder, Header, HeaderValue,
    OwnedHeaderValue as Owned, PRELUDE_LEN,
};
use proptest::prelude::*;

fn value() -> impl Strategy<Value = Owned> {
    prop_oneof![
        any::<bool>().prop_map(Owned::Bool),
        any::<i8>().prop_map(Owned::Byte),
        any::<i16>().prop_map(Owned::Int16),
        any::<i32>().prop_map(Owned::Int32),
        any::<i64>().prop_map(Owned::Int64),
        prop::collection::vec(any::<u8>(), 0..80).prop_map(Owned::ByteArray),
        "\\PC{0,30}".prop_map(Owned::String),
        any::<i64>().prop_map(Owned::Timestamp),
        any::<[u8; 16]>().prop_map(Owned::Uuid),
    ]
}

fn headers() -> impl Strategy<Value = Vec<(String, Owned)>> {
    // Names: any text (empty allowed), duplicates likely with the small alphabet.
    let name = prop_oneof!["[a-c:-]{0,3}", "\\PC{0,20}"];
    prop::collection::vec((name, value()), 0..12)
}

fn borrowed(hs: &[(String, Owned)]) -> Vec<Header<'_>> {
    hs.iter()
        .map(|(n, v)| Header::new(n, v.as_value()))
        .collect()
}

fn encode_one(hs: &[Header<'_>], payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    encode_to_vec(hs, payload, &mut out).unwrap();
    out
}

proptest! {
    #[test]
    fn round_trip(hs in headers(), payload in prop::collection::vec(any::<u8>(), 0..600)) {
        let hs = borrowed(&hs);
        let bytes = encode_one(&hs, &payload);
        prop_assert_eq!(bytes.len(), encoded_len(&hs, &payload).unwrap());

        let frame = decode_exact(&bytes).unwrap();
        prop_assert!(frame.headers().eq(hs.iter().copied()));
        prop_assert_eq!(frame.payload(), &payload[..]);
        prop_assert_eq!(frame.as_bytes(), &bytes[..]);
        for h in &hs {
            // Lookup returns the first header of that name.
            let first = hs.iter().find(|x| x.name == h.name).unwrap();
            prop_assert_eq!(frame.header(h.name), Some(first.value));
        }

        // Every encoder writes the same bytes.
        let mut buf = vec![0u8; bytes.len()];
        prop_assert_eq!(encode(&hs, &payload, &mut buf).unwrap(), bytes.len());
        prop_assert_eq!(&buf, &bytes);
        let mut hv = heapless::Vec::<u8, 4096>::new();
        encode_heapless(&hs, &payload, &mut hv).unwrap();
        prop_assert_eq!(&hv[..], &bytes[..]);
        let mut head = vec![0u8; 4096];
        let v = encode_vectored(&hs, &payload, &mut head).unwrap();
        prop_assert_eq!([&head[..v.head_len], v.payload, &v.trailer[..]].concat(), bytes.clone());
        let mut in_place = b"kept".to_vec();
        Encoder::DEFAULT
            .encode_to_vec_with(&hs, |v| v.extend_from_slice(&payload), &mut in_place)
            .unwrap();
        prop_assert_eq!(&in_place[..4], b"kept");
        prop_assert_eq!(&in_place[4..], &bytes[..]);
        let mut block = vec![0u8; 4096];
        let prepared = Encoder::DEFAULT.prepare(&hs, &mut block).unwrap();
        prop_assert_eq!(prepared.as_bytes(), &bytes[PRELUDE_LEN..v.head_len]);
        let mut buf = vec![0u8; bytes.len()];
        prop_assert_eq!(Encoder::DEFAULT.encode_prepared(&prepared, &payload, &mut buf), Ok(bytes.len()));
        prop_assert_eq!(&buf, &bytes);

        // Decode then encode gives back the same bytes.
        let again: Vec<Header<'_>> = frame.headers().collect();
        prop_assert_eq!(encode_one(&again, frame.payload()), bytes);
    }

    #[test]
    fn every_single_byte_change_is_caught_by_a_crc(
        hs in headers(),
        payload in prop::collection::vec(any::<u8>(), 0..64),
        mask in 1u8..=255,
    ) {
        let hs = borrowed(&hs);
        let bytes = encode_one(&hs, &payload);
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= mask;
            let err = decode(&bad).unwrap_err();
            // Bytes 0..12 are covered by the prelude CRC (checked first); the rest, including the
            // trailer itself, by the message CRC. A CRC-32 detects every single-byte error.
            if i < PRELUDE_LEN {
                prop_assert!(matches!(err, DecodeError::PreludeChecksum { .. }), "byte {}: {:?}", i, err);
            } else {
                prop_assert!(matches!(err, DecodeError::MessageChecksum { .. }), "byte {}: {:?}", i, err);
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_decoded_frames_reencode(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        match decode(&bytes) {
            Ok(Decoded::Frame { frame, used }) => {
                let hs: Vec<Header<'_>> = frame.headers().collect();
                prop_assert_eq!(encode_one(&hs, frame.payload()), bytes[..used].to_vec());
            }
            Ok(Decoded::NeedMore { needed }) => prop_assert!(needed > 0),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn a_short_buffer_is_refused_with_the_needed_size(hs in headers(), payload in prop::collection::vec(any::<u8>(), 0..40)) {
        let hs = borrowed(&hs);
        let needed = encoded_len(&hs, &payload).unwrap();
        for available in [0, 1, PRELUDE_LEN, needed / 2, needed - 1] {
            let mut buf = vec![0x5a; available];
            prop_assert_eq!(
                encode(&hs, &payload, &mut buf),
                Err(EncodeError::BufferTooSmall { needed, available })
            );
            // Left untouched.
            prop_assert!(buf.iter().all(|&b| b == 0x5a));
        }
        let mut hv = heapless::Vec::<u8, 16>::new();
        if needed > 16 {
            prop_assert_eq!(
                encode_heapless(&hs, &payload, &mut hv),
                Err(EncodeError::BufferTooSmall { needed, available: 16 })
            );
            prop_assert!(hv.is_empty());
        }
        let head_len = needed - payload.len() - 4;
        let mut head = vec![0u8; head_len - 1];
        prop_assert_eq!(
            encode_vectored(&hs, &payload, &mut head),
            Err(EncodeError::BufferTooSmall { needed: head_len, available: head_len - 1 })
        );
    }
}

/// The encoders take different routes by size: `encode_to_vec` builds heads up to 512 bytes on
/// the stack and larger ones in place; `encode_vectored` hashes frames up to 512 bytes (without
/// the trailer) from a joined copy and larger ones in two pieces, `encode` hashes them as
/// written and larger ones as head plus the caller's payload, and `encode_prepared` carries the
/// CRC across the header block by tables; crc32fast itself switches
/// kernels at 16, 128, 256 and 2,048 bytes. Across those edges every encoder writes the same
/// bytes, both CRCs are what crc32fast computes over the finished frame in one pass, and
/// `encode_to_vec` keeps what the vector held.
#[test]
fn every_encoder_agrees_across_the_size_edges() {
    let value = "v".repeat(600);
    let payload: Vec<u8> = (0..2100u32).map(|i| (i * 7 + 3) as u8).collect();
    for head_len in [
        12, 100, 113, 127, 128, 129, 255, 256, 257, 490, 511, 512, 513, 530,
    ] {
        // One string header of the right size (or none, for a bare prelude).
        let hs_owned: Vec<(String, usize)> = match head_len - PRELUDE_LEN {
            0 => vec![],
            n => vec![("h".to_owned(), n - 1 - 1 - 1 - 2)],
        };
        let hs: Vec<Header<'_>> = hs_owned
            .iter()
            .map(|(name, len)| Header::new(name, HeaderValue::String(&value[..*len])))
            .collect();
        for payload_len in [
            0, 1, 15, 16, 17, 127, 128, 200, 300, 399, 400, 401, 500, 1024, 2100,
        ] {
            let payload = &payload[..payload_len];
            let len = encoded_len(&hs, payload).unwrap();
            assert_eq!(len, head_len + payload_len + 4);

            let mut plain = vec![0u8; len];
            encode(&hs, payload, &mut plain).unwrap();
            let crc_at = |at: usize| u32::from_be_bytes(plain[at..at + 4].try_into().unwrap());
            assert_eq!(
                crc_at(8),
                crc32fast::hash(&plain[..8]),
                "prelude CRC, head {head_len}, payload {payload_len}"
            );
            assert_eq!(
                crc_at(len - 4),
                crc32fast::hash(&plain[..len - 4]),
                "message CRC, head {head_len}, payload {payload_len}"
            );
            let frame = decode_exact(&plain).unwrap();
            assert!(frame.headers().eq(hs.iter().copied()));
            assert_eq!(frame.payload(), payload);

            let mut appended = b"kept".to_vec();
            encode_to_vec(&hs, payload, &mut appended).unwrap();
            assert_eq!(&appended[..4], b"kept");
            assert_eq!(
                &appended[4..],
                &plain[..],
                "encode_to_vec, head {head_len}, payload {payload_len}"
            );

            let mut head = vec![0u8; head_len];
            let v = encode_vectored(&hs, payload, &mut head).unwrap();
            assert_eq!(
                [&head[..v.head_len], v.payload, &v.trailer[..]].concat(),
                plain,
                "encode_vectored, head {head_len}, payload {payload_len}"
            );

            let mut block = vec![0u8; head_len - PRELUDE_LEN];
            let prepared = Encoder::DEFAULT.prepare(&hs, &mut block).unwrap();
            let mut again = vec![0u8; len];
            assert_eq!(
                Encoder::DEFAULT.encode_prepared(&prepared, payload, &mut again),
                Ok(len)
            );
            assert_eq!(
                again, plain,
                "encode_prepared, head {head_len}, payload {payload_len}"
            );
        }
    }
}

/// A prepared block is checked against the limits of the encoder that writes the frame, and a
/// short output is refused with the frame's size and left untouched.
#[test]
fn prepared_frames_keep_the_limits_and_buffer_rules() {
    let hs = [Header::new(
        ":event-type",
        HeaderValue::String("SubscribeToShardEvent"),
    )];
    let mut block = [0u8; 64];
    let prepared = Encoder::DEFAULT.prepare(&hs, &mut block).unwrap();
    let block_len = prepared.as_bytes().len();
    let payload = [7u8; 100];
    let len = encoded_len(&hs, &payload).unwrap();

    let mut out = vec![0xAAu8; len - 1];
    assert_eq!(
        Encoder::DEFAULT.encode_prepared(&prepared, &payload, &mut out),
        Err(EncodeError::BufferTooSmall {
            needed: len,
            available: len - 1
        })
    );
    assert!(out.iter().all(|&b| b == 0xAA));

    let small_payloads = Encoder::new(DecodeOptions::default().max_payload_len(64));
    assert_eq!(
        small_payloads.encode_prepared(&prepared, &payload, &mut vec![0u8; len]),
        Err(EncodeError::PayloadTooLarge {
            len: 100,
            limit: 64
        })
    );
    let small_blocks = Encoder::new(DecodeOptions::default().max_headers_len(8));
    assert_eq!(
        small_blocks.encode_prepared(&prepared, &payload, &mut vec![0u8; len]),
        Err(EncodeError::HeadersTooLarge {
            len: block_len as u64,
            limit: 8
        })
    );
    assert_eq!(
        small_blocks.prepare(&hs, &mut [0u8; 64]),
        Err(EncodeError::HeadersTooLarge {
            len: block_len as u64,
            limit: 8
        })
    );
}

/// A payload written in place is checked after it is written: over the limit, or cut short by
/// its writer, the frame is not kept and what the vector held before stays.
#[test]
fn payloads_written_in_place_keep_the_limits() {
    let hs = [Header::new(":message-type", HeaderValue::String("event"))];
    let small = Encoder::new(DecodeOptions::default().max_payload_len(64));
    let mut out = b"kept".to_vec();
    assert_eq!(
        small.encode_to_vec_with(&hs, |v| v.extend_from_slice(&[1u8; 65]), &mut out),
        Err(EncodeError::PayloadTooLarge { len: 65, limit: 64 })
    );
    assert_eq!(out, b"kept");
    small
        .encode_to_vec_with(&hs, |v| v.extend_from_slice(&[1u8; 64]), &mut out)
        .unwrap();
    assert_eq!(decode_exact(&out[4..]).unwrap().payload(), &[1u8; 64]);

    let mut out = b"kept".to_vec();
    let head_len = encoded_len(&hs, b"").unwrap() - 4;
    assert_eq!(
        Encoder::DEFAULT.encode_to_vec_with(&hs, |v| v.truncate(10), &mut out),
        Err(EncodeError::PayloadWriterTruncated {
            payload_start: 4 + head_len,
            len: 10
        })
    );
    assert_eq!(out, b"kept");

    let long_name = "n".repeat(256);
    let mut ran = false;
    assert_eq!(
        Encoder::DEFAULT.encode_to_vec_with(
            &[Header::new(&long_name, HeaderValue::Bool(true))],
            |_| ran = true,
            &mut out
        ),
        Err(EncodeError::NameTooLong { index: 0, len: 256 })
    );
    assert!(
        !ran,
        "the headers are checked before the payload is written"
    );
    assert_eq!(out, b"kept");
}

#[test]
fn encoder_limits_name_the_header_and_size() {
    let long_name = "n".repeat(256);
    let ok_name = "n".repeat(255);
    let big = vec![0u8; 32_768];
    let big_str = "s".repeat(32_768);
    let hs = [
        Header::new(&ok_name, HeaderValue::Bool(true)),
        Header::new(&long_name, HeaderValue::Bool(true)),
    ];
    assert_eq!(
        encoded_len(&hs, b""),
        Err(EncodeError::NameTooLong { index: 1, len: 256 })
    );
    let hs = [
        Header::new("a", HeaderValue::ByteArray(&big[..32_767])),
        Header::new("b", HeaderValue::ByteArray(&big)),
    ];
    assert_eq!(
        encode(&hs, b"", &mut [0u8; 70_000]),
        Err(EncodeError::ValueTooLong {
            index: 1,
            len: 32_768
        })
    );
    let hs = [Header::new("c", HeaderValue::String(&big_str))];
    let err = encode_to_vec(&hs, b"", &mut Vec::new()).unwrap_err();
    assert_eq!(
        err,
        EncodeError::ValueTooLong {
            index: 0,
            len: 32_768
        }
    );
    assert_eq!(
        err.to_string(),
        "header 0: value of 32768 bytes exceeds the limit of 32767 bytes"
    );
    // The largest allowed name and value encode and decode.
    let hs = [Header::new(
        &ok_name,
        HeaderValue::String(&big_str[..32_767]),
    )];
    let bytes = encode_one(&hs, b"p");
    let frame = decode_exact(&bytes).unwrap();
    assert!(frame.headers().eq(hs.iter().copied()));
}

#[test]
fn error_texts() {
    let e = DecodeError::PreludeChecksum {
        expected: 0x8bb4_95fb,
        computed: 0xdead_beef,
    };
    assert_eq!(
        e.to_string(),
        "prelude checksum mismatch: expected 0x8bb495fb, computed 0xdeadbeef"
    );
    let e = DecodeError::MessageChecksum {
        expected: 0x1,
        computed: 0xffff_ffff,
    };
    assert_eq!(
        e.to_string(),
        "message checksum mismatch: expected 0x00000001, computed 0xffffffff"
    );
    let e = DecodeError::UnknownHeaderType {
        type_id: 96,
        offset: 30,
    };
    assert_eq!(e.to_string(), "unknown header value type 96 at offset 30");
    let e = DecodeError::PayloadTooLarge {
        len: 25_165_825,
        limit: 25_165_824,
    };
    assert_eq!(
        e.to_string(),
        "payload of 25165825 bytes exceeds the limit of 25165824 bytes"
    );
    let e = EncodeError::BufferTooSmall {
        needed: 40,
        available: 16,
    };
    assert_eq!(
        e.to_string(),
        "output buffer too small: frame needs 40 bytes, 16 available"
    );
    let e = EncodeError::PayloadWriterTruncated {
        payload_start: 40,
        len: 10,
    };
    assert_eq!(
        e.to_string(),
        "the payload writer cut the vector to 10 bytes, before the payload's start at 40: it may \
         only append"
    );
}

/// `Message`'s `Arbitrary` impl generates frames the encoder accepts and the default decoder
/// takes back unchanged, and every generated `Header` is within the encoder's limits.
#[cfg(feature = "arbitrary")]
mod arbitrary_impls {
    use super::*;
    use arbitrary::{Arbitrary, Unstructured};
    use kinesis_codec::eventstream::Message;

    proptest! {
        #[test]
        fn generated_messages_round_trip(seed in prop::collection::vec(any::<u8>(), 0..2048)) {
            let mut u = Unstructured::new(&seed);
            if let Ok(msg) = Message::arbitrary(&mut u) {
                let bytes = msg.encode_to_vec().unwrap();
                let frame = decode_exact(&bytes).unwrap();
                prop_assert_eq!(Message::from(frame), msg);
            }
            let mut u = Unstructured::new(&seed);
            while let Ok(h) = Header::arbitrary(&mut u) {
                prop_assert!(encoded_len(&[h], b"").is_ok());
                if u.is_empty() {
                    break;
                }
            }
        }
    }
}

/// A well-known set changes no decoded value: string values drawn from the set, near misses of
/// it (one byte changed, one byte more or less) and any text decode to the same headers with
/// the set as without it.
mod well_known {
    use super::*;
    use kinesis_codec::eventstream::{Decoder, WellKnown};

    const VALUES: [&str; 8] = [
        "event",
        "error",
        "exception",
        "initial-response",
        "application/json",
        "SubscribeToShardEvent",
        "application/x-amz-json-1.1",
        "",
    ];
    const SET: WellKnown = WellKnown::new(VALUES);

    fn string_value() -> impl Strategy<Value = Owned> {
        let known = prop::sample::select(&VALUES[..]);
        prop_oneof![
            known.clone().prop_map(|v| v.to_owned()),
            (known.clone(), any::<prop::sample::Index>(), any::<char>()).prop_map(|(v, at, c)| {
                let mut s: Vec<char> = v.chars().collect();
                if !s.is_empty() {
                    let at = at.index(s.len());
                    s[at] = c;
                }
                s.into_iter().collect()
            }),
            (known, any::<bool>()).prop_map(|(v, longer)| match (longer, v.len()) {
                (true, _) => format!("{v}x"),
                (false, 0) => String::new(),
                (false, n) => v[..n - 1].to_owned(),
            }),
            "\\PC{0,30}",
        ]
        .prop_map(Owned::String)
    }

    proptest! {
        #[test]
        fn a_well_known_set_changes_no_value(
            hs in prop::collection::vec(("[a-c:-]{0,3}", prop_oneof![string_value(), value()]), 0..12),
            payload in prop::collection::vec(any::<u8>(), 0..40),
        ) {
            let hs = borrowed(&hs);
            let bytes = encode_one(&hs, &payload);
            let with = Decoder::new(DecodeOptions::DEFAULT.well_known(&SET)).decode_exact(&bytes).unwrap();
            let without = decode_exact(&bytes).unwrap();
            prop_assert!(with.headers().eq(hs.iter().copied()));
            prop_assert!(with.headers().eq(without.headers()));
            prop_assert_eq!(with, without);
            for h in &hs {
                prop_assert_eq!(with.header(h.name), without.header(h.name));
            }
        }
    }
}
