//! Conformance against every public event-stream vector in `tests/data/eventstream/`
//! (copied from the shared set; its README says where each file comes from).
//!
//! Positive vectors must decode to exactly the values their peers' expectation files give and
//! re-encode to the same bytes; negative ones must be rejected with the exact error. Where a
//! peer's expectation is a quirk our policy decides differently, the test says so.
//!
//! The file runs in every feature layer; the checks of the `Vec` encoder (`alloc`) and of
//! `FrameReader` (`std`) run where those exist.

use std::path::{Path, PathBuf};

use base64::Engine as _;
#[cfg(feature = "alloc")]
use kinesis_codec::eventstream::encode_to_vec;
use kinesis_codec::eventstream::{
    decode, decode_exact, encode, encode_heapless, encode_vectored, encoded_len, Accumulator,
    DecodeError, Decoded, Decoder, Frame, Header, HeaderValue,
};
#[cfg(feature = "std")]
use kinesis_codec::eventstream::{DecodeOptions, FrameReader, ReadError};
use serde_json::Value;

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/eventstream")
        .join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(data(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn json(rel: &str) -> Value {
    serde_json::from_slice(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn b64(v: &Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(v.as_str().expect("base64 string"))
        .expect("valid base64")
}

fn be_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap())
}

/// Every file directly in `dir` (relative), sorted, with the given filter on the name.
fn files(dir: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(data(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| keep(n))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no vectors in {dir}");
    out
}

/// Re-encodes a decoded frame with every encoder and checks each gives back its bytes.
fn assert_reencodes(frame: &Frame<'_>, what: &str) {
    let headers: Vec<Header<'_>> = frame.headers().collect();
    let payload = frame.payload();
    let bytes = frame.as_bytes();
    assert_eq!(
        encoded_len(&headers, payload).unwrap(),
        bytes.len(),
        "{what}"
    );

    #[cfg(feature = "alloc")]
    {
        let mut v = vec![0xAA; 3];
        encode_to_vec(&headers, payload, &mut v).unwrap();
        assert_eq!(&v[3..], bytes, "{what}: encode_to_vec");
    }

    let mut buf = vec![0u8; bytes.len() + 7];
    assert_eq!(encode(&headers, payload, &mut buf).unwrap(), bytes.len());
    assert_eq!(&buf[..bytes.len()], bytes, "{what}: encode");

    let mut hv = heapless::Vec::<u8, 512>::new();
    encode_heapless(&headers, payload, &mut hv).unwrap();
    assert_eq!(&hv[..], bytes, "{what}: encode_heapless");

    let mut head = [0u8; 512];
    let vec = encode_vectored(&headers, payload, &mut head).unwrap();
    let joined = [&head[..vec.head_len], vec.payload, &vec.trailer[..]].concat();
    assert_eq!(joined, bytes, "{what}: encode_vectored");
    assert_eq!(vec.total_len(), bytes.len());
}

/// Compares a frame with the cross-SDK decoded form: lengths, CRCs as signed 32-bit integers,
/// each header's name, type and value (string/bytes/UUID in base64, timestamp in ms), payload.
fn assert_matches_decoded_json(frame: &Frame<'_>, expected: &Value, what: &str) {
    assert_eq!(
        i64::from(frame.total_len()),
        expected["total_length"].as_i64().unwrap(),
        "{what}"
    );
    assert_eq!(
        i64::from(frame.headers_len()),
        expected["headers_length"].as_i64().unwrap(),
        "{what}"
    );
    assert_eq!(
        i64::from(frame.prelude_crc() as i32),
        expected["prelude_crc"].as_i64().unwrap(),
        "{what}"
    );
    assert_eq!(
        i64::from(frame.message_crc() as i32),
        expected["message_crc"].as_i64().unwrap(),
        "{what}"
    );
    assert_eq!(
        frame.payload(),
        b64(&expected["payload"]),
        "{what}: payload"
    );

    let want = expected["headers"].as_array().unwrap();
    let got: Vec<Header<'_>> = frame.headers().collect();
    assert_eq!(got.len(), want.len(), "{what}: header count");
    for (h, w) in got.iter().zip(want) {
        assert_eq!(h.name, w["name"].as_str().unwrap(), "{what}");
        let ty = w["type"].as_u64().unwrap();
        assert_eq!(
            u64::from(h.value.type_id()),
            ty,
            "{what}: type of {}",
            h.name
        );
        let v = &w["value"];
        match h.value {
            HeaderValue::Bool(b) => assert_eq!(Some(b), v.as_bool(), "{what}: {}", h.name),
            HeaderValue::Byte(_)
            | HeaderValue::Int16(_)
            | HeaderValue::Int32(_)
            | HeaderValue::Int64(_) => {
                assert_eq!(h.value.as_int(), v.as_i64(), "{what}: {}", h.name)
            }
            HeaderValue::Timestamp(ms) => assert_eq!(Some(ms), v.as_i64(), "{what}: {}", h.name),
            HeaderValue::ByteArray(b) => assert_eq!(b, b64(v), "{what}: {}", h.name),
            HeaderValue::String(s) => assert_eq!(s.as_bytes(), b64(v), "{what}: {}", h.name),
            HeaderValue::Uuid(u) => assert_eq!(&u[..], b64(v), "{what}: {}", h.name),
        }
        // Lookup by name finds the same value (names are unique in these vectors).
        assert_eq!(
            frame.header(h.name),
            Some(h.value),
            "{what}: lookup {}",
            h.name
        );
    }
}

#[test]
fn aws_sdk_go_positive_decode_to_the_decoded_json_and_reencode() {
    let names = files("aws-sdk-go/encoded/positive", |_| true);
    assert_eq!(names.len(), 5);
    for name in names {
        let bytes = read(&format!("aws-sdk-go/encoded/positive/{name}"));
        let expected = json(&format!("aws-sdk-go/decoded/positive/{name}"));
        let frame = decode_exact(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_matches_decoded_json(&frame, &expected, &name);
        assert_reencodes(&frame, &name);
    }
}

#[test]
fn aws_sdk_go_all_headers_covers_all_ten_types() {
    let bytes = read("aws-sdk-go/encoded/positive/all_headers");
    let frame = decode_exact(&bytes).unwrap();
    let mut types: Vec<u8> = frame.headers().map(|h| h.value.type_id()).collect();
    types.sort();
    assert_eq!(types, (0..=9).collect::<Vec<u8>>());
}

/// The expected text in `decoded/negative/<name>` decides which checksum must fail; the values
/// are the CRC the frame carries and the CRC of the bytes it covers (crc32fast directly).
#[test]
fn aws_sdk_go_negative_are_checksum_errors_with_values() {
    let names = files("aws-sdk-go/encoded/negative", |_| true);
    assert_eq!(names.len(), 4);
    for name in names {
        let bytes = read(&format!("aws-sdk-go/encoded/negative/{name}"));
        let text = String::from_utf8(read(&format!("aws-sdk-go/decoded/negative/{name}"))).unwrap();
        let err = decode(&bytes).unwrap_err();
        match text.trim() {
            "Prelude checksum mismatch" => assert_eq!(
                err,
                DecodeError::PreludeChecksum {
                    expected: be_u32(&bytes, 8),
                    computed: crc32fast::hash(&bytes[..8]),
                },
                "{name}"
            ),
            "Message checksum mismatch" => {
                let total = be_u32(&bytes, 0) as usize;
                assert_eq!(
                    err,
                    DecodeError::MessageChecksum {
                        expected: be_u32(&bytes, total - 4),
                        computed: crc32fast::hash(&bytes[..total - 4]),
                    },
                    "{name}"
                )
            }
            other => panic!("{name}: unexpected expectation {other:?}"),
        }
        assert!(
            err.to_string()
                .to_lowercase()
                .starts_with(&text.trim().to_lowercase()),
            "{name}: {err}"
        );
    }
}

#[test]
fn smithy_valid_files_decode_and_reencode() {
    for name in files("smithy-rs/test_data", |n| n.starts_with("valid_")) {
        let bytes = read(&format!("smithy-rs/test_data/{name}"));
        let frame = decode_exact(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_reencodes(&frame, &name);
    }
    // The all-headers file: the values its test builds, one of each type.
    let bytes = read("smithy-rs/test_data/valid_with_all_headers_and_payload");
    let frame = decode_exact(&bytes).unwrap();
    let got: Vec<(&str, HeaderValue<'_>)> = frame.headers().map(|h| (h.name, h.value)).collect();
    let uuid = u128::to_be_bytes(0xb79bc914de214e13b8b2bc47e85b7f0b);
    assert_eq!(
        got,
        [
            ("true", HeaderValue::Bool(true)),
            ("false", HeaderValue::Bool(false)),
            ("byte", HeaderValue::Byte(50)),
            ("short", HeaderValue::Int16(20000)),
            ("int", HeaderValue::Int32(500000)),
            ("long", HeaderValue::Int64(50000000000)),
            ("bytes", HeaderValue::ByteArray(b"some bytes")),
            ("str", HeaderValue::String("some str")),
            ("time", HeaderValue::Timestamp(5_000_000_000)),
            ("uuid", HeaderValue::Uuid(uuid)),
        ]
    );
    assert_eq!(frame.payload(), b"some payload");
}

#[test]
fn smithy_invalid_checksum_files_report_both_values() {
    // README: "prelude checksum (expected 0x8BB495FB, found 0xDEADBEEF)". In our error,
    // `expected` is what the frame carries (0xDEADBEEF) and `computed` what its bytes hash to.
    let bytes = read("smithy-rs/test_data/invalid_prelude_checksum");
    let err = decode(&bytes).unwrap_err();
    assert_eq!(
        err,
        DecodeError::PreludeChecksum {
            expected: 0xDEAD_BEEF,
            computed: 0x8BB4_95FB
        }
    );
    assert_eq!(
        err.to_string(),
        "prelude checksum mismatch: expected 0xdeadbeef, computed 0x8bb495fb"
    );
    // README: "message checksum (0x01A05860 vs 0xDEADBEEF)".
    let bytes = read("smithy-rs/test_data/invalid_message_checksum");
    let err = decode(&bytes).unwrap_err();
    assert_eq!(
        err,
        DecodeError::MessageChecksum {
            expected: 0xDEAD_BEEF,
            computed: 0x01A0_5860
        }
    );
    assert_eq!(
        err.to_string(),
        "message checksum mismatch: expected 0xdeadbeef, computed 0x01a05860"
    );
}

#[test]
fn smithy_invalid_headers_length_fails_the_prelude_check() {
    let bytes = read("smithy-rs/test_data/invalid_headers_length");
    // The prelude CRC is right, headers_len (77) > total_len (89) - 16.
    assert_eq!(be_u32(&bytes, 8), crc32fast::hash(&bytes[..8]));
    let err = Decoder::default().check_prelude(&bytes[..12]).unwrap_err();
    assert_eq!(
        err,
        DecodeError::HeadersLenOutOfRange {
            headers_len: 77,
            total_len: 89
        }
    );
    assert_eq!(decode(&bytes).unwrap_err(), err);
}

/// (file, the error after the stale message CRC is repaired)
const SMITHY_HEADER_CASES: [(&str, DecodeError); 5] = [
    // Name length 0xff at offset 25 runs past the 122-byte block: "invalid name length".
    (
        "invalid_header_name_length",
        DecodeError::HeaderTruncated { offset: 25 },
    ),
    // Name length 0x66 at offset 18 runs past the 77-byte block. Smithy reports invalid UTF-8
    // only because its one-shot parse reads past the header block; we stay inside it.
    (
        "invalid_header_name_length_too_long",
        DecodeError::HeaderTruncated { offset: 18 },
    ),
    // "str" string whose length field is cut off by the end of the block.
    (
        "invalid_header_string_length_cut_off",
        DecodeError::HeaderTruncated { offset: 83 },
    ),
    // "str" string with length 0xffff, past the block: "invalid header value".
    (
        "invalid_header_string_value_length",
        DecodeError::HeaderTruncated { offset: 83 },
    ),
    // Type byte 0x60 after the name "byte" (offset 30): "invalid header value type".
    (
        "invalid_header_value_type",
        DecodeError::UnknownHeaderType {
            type_id: 0x60,
            offset: 30,
        },
    ),
];

#[test]
fn smithy_invalid_header_files_fail_the_message_crc_first_then_the_header_parser() {
    for (name, header_error) in SMITHY_HEADER_CASES {
        let bytes = read(&format!("smithy-rs/test_data/{name}"));
        let total = be_u32(&bytes, 0) as usize;
        // Policy: CRC first. These files carry a stale message CRC (their edits were made after
        // the CRC was computed), so the checksum error is the right answer for them as they are.
        assert_eq!(
            decode(&bytes).unwrap_err(),
            DecodeError::MessageChecksum {
                expected: be_u32(&bytes, total - 4),
                computed: crc32fast::hash(&bytes[..total - 4]),
            },
            "{name}"
        );
        // With the message CRC repaired, the header parser reports what the file exercises.
        let mut fixed = bytes[..total].to_vec();
        let crc = crc32fast::hash(&fixed[..total - 4]);
        fixed[total - 4..].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(
            decode(&fixed).unwrap_err(),
            header_error,
            "{name} (CRC repaired)"
        );
    }
    // One of them also has 30 trailing bytes after its frame.
    let bytes = read("smithy-rs/test_data/invalid_header_name_length_too_long");
    assert_eq!(bytes.len(), be_u32(&bytes, 0) as usize + 30);
}

fn hex_matches_bin(dir: &str) {
    for name in files(dir, |n| n.ends_with(".hex")) {
        let hex = String::from_utf8(read(&format!("{dir}/{name}"))).unwrap();
        let hex: String = hex.split_whitespace().collect();
        let decoded: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        let bin = read(&format!("{dir}/{}", name.replace(".hex", ".bin")));
        assert_eq!(decoded, bin, "{dir}/{name}");
    }
}

#[test]
fn botocore_positive_match_expected_json_and_reencode() {
    hex_matches_bin("botocore/positive");
    hex_matches_bin("botocore/negative");
    let expected = json("botocore/expected.json");
    let positive = expected["positive"].as_object().unwrap();
    let names = files("botocore/positive", |n| n.ends_with(".bin"));
    assert_eq!(names.len(), positive.len());
    for name in names {
        let stem = name.trim_end_matches(".bin");
        let want = &positive[stem];
        let bytes = read(&format!("botocore/positive/{name}"));
        let frame = decode_exact(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            u64::from(frame.total_len()),
            want["total_length"].as_u64().unwrap(),
            "{stem}"
        );
        assert_eq!(
            u64::from(frame.headers_len()),
            want["headers_length"].as_u64().unwrap(),
            "{stem}"
        );
        assert_eq!(
            u64::from(frame.prelude_crc()),
            want["prelude_crc"].as_u64().unwrap(),
            "{stem}"
        );
        assert_eq!(
            u64::from(frame.message_crc()),
            want["message_crc"].as_u64().unwrap(),
            "{stem}"
        );
        let payload_hex: String = frame.payload().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(payload_hex, want["payload_hex"].as_str().unwrap(), "{stem}");

        // botocore's view is a dict: name -> value (bool, int, str, or {"bytes_hex"}).
        let view = want["headers_botocore_view"].as_object().unwrap();
        assert_eq!(frame.headers().count(), view.len(), "{stem}");
        for (hname, v) in view {
            let got = frame
                .header(hname)
                .unwrap_or_else(|| panic!("{stem}: no {hname}"));
            match v {
                Value::Bool(b) => assert_eq!(got, HeaderValue::Bool(*b), "{stem}: {hname}"),
                Value::Number(n) => {
                    let n = n.as_i64().unwrap();
                    let as_num = got.as_int().or(got.as_timestamp_millis());
                    assert_eq!(as_num, Some(n), "{stem}: {hname}");
                }
                Value::String(s) => assert_eq!(got, HeaderValue::String(s), "{stem}: {hname}"),
                Value::Object(o) => {
                    let hex: String = match got {
                        HeaderValue::ByteArray(b) => b.iter().map(|b| format!("{b:02x}")).collect(),
                        HeaderValue::Uuid(u) => u.iter().map(|b| format!("{b:02x}")).collect(),
                        other => panic!("{stem}: {hname} is {other:?}"),
                    };
                    assert_eq!(hex, o["bytes_hex"].as_str().unwrap(), "{stem}: {hname}");
                }
                other => panic!("{stem}: unexpected {other}"),
            }
        }
        assert_reencodes(&frame, stem);
    }
    // Type ids in all_headers_types: header "n" has type n.
    let bytes = read("botocore/positive/all_headers_types.bin");
    let frame = decode_exact(&bytes).unwrap();
    for h in frame.headers() {
        assert_eq!(h.name, h.value.type_id().to_string());
    }
}

#[test]
fn botocore_negative_checksum_files() {
    let expected = json("botocore/expected.json");
    for (name, prelude) in [
        ("corrupted_length", true),
        ("corrupted_header_length", true),
        ("corrupted_payload", false),
        ("corrupted_headers", false),
    ] {
        assert_eq!(
            expected["negative"][name]["botocore_exception"], "ChecksumMismatch",
            "{name}"
        );
        let bytes = read(&format!("botocore/negative/{name}.bin"));
        let err = decode(&bytes).unwrap_err();
        let want = if prelude {
            DecodeError::PreludeChecksum {
                expected: be_u32(&bytes, 8),
                computed: crc32fast::hash(&bytes[..8]),
            }
        } else {
            let total = be_u32(&bytes, 0) as usize;
            DecodeError::MessageChecksum {
                expected: be_u32(&bytes, total - 4),
                computed: crc32fast::hash(&bytes[..total - 4]),
            }
        };
        assert_eq!(err, want, "{name}");
    }
}

#[test]
fn botocore_duplicate_header_is_kept_in_order() {
    // botocore alone raises DuplicateHeader here. Our policy (as aws-c-event-stream, smithy and
    // the Go SDK): duplicates are valid, kept in wire order; lookup returns the first.
    let expected = json("botocore/expected.json");
    assert_eq!(
        expected["negative"]["duplicate_header"]["botocore_exception"],
        "DuplicateHeader"
    );
    let bytes = read("botocore/negative/duplicate_header.bin");
    let frame = decode_exact(&bytes).unwrap();
    let got: Vec<Header<'_>> = frame.headers().collect();
    assert_eq!(
        got,
        [
            Header::new("test", HeaderValue::Int32(i32::from_be_bytes(*b"asdf"))),
            Header::new("test", HeaderValue::Int32(i32::from_be_bytes(*b"asdf"))),
        ]
    );
    assert_eq!(frame.header("test"), Some(HeaderValue::Int32(0x6173_6466)));
    assert_reencodes(&frame, "duplicate_header");
}

#[test]
fn botocore_invalid_headers_length_fails_the_prelude_check() {
    let expected = json("botocore/expected.json");
    assert_eq!(
        expected["negative"]["invalid_headers_length"]["botocore_exception"],
        "InvalidHeadersLength"
    );
    let bytes = read("botocore/negative/invalid_headers_length.bin");
    // headers_len (0xFF000102) is both over 128 KiB and over total_len - 16; the structural
    // check comes first in our order.
    assert_eq!(be_u32(&bytes, 4), 0xFF00_0102);
    let want = DecodeError::HeadersLenOutOfRange {
        headers_len: 0xFF00_0102,
        total_len: 61,
    };
    assert_eq!(Decoder::default().check_prelude(&bytes[..12]), Err(want));
    assert_eq!(decode(&bytes), Err(want));
}

#[cfg(feature = "std")]
fn build_recipe(rel: &str) -> Vec<u8> {
    let recipe = json(rel);
    let mut out = Vec::new();
    for part in recipe["parts"].as_array().unwrap() {
        let hex = part
            .get("hex")
            .or(part.get("repeat_hex"))
            .unwrap()
            .as_str()
            .unwrap();
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        let times = part
            .get("times")
            .map_or(1, |t| t.as_u64().unwrap() as usize);
        for _ in 0..times {
            out.extend_from_slice(&bytes);
        }
    }
    assert_eq!(out.len() as u64, recipe["total_bytes"].as_u64().unwrap());
    out
}

/// A reader that records how many bytes were taken from it.
#[cfg(feature = "std")]
struct Counting<'a> {
    data: &'a [u8],
    taken: usize,
}

#[cfg(feature = "std")]
impl std::io::Read for Counting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.data.len() - self.taken);
        buf[..n].copy_from_slice(&self.data[self.taken..self.taken + n]);
        self.taken += n;
        Ok(n)
    }
}

#[test]
#[cfg(feature = "std")]
fn botocore_invalid_payload_length_is_refused_after_12_bytes() {
    let expected = json("botocore/expected.json");
    assert_eq!(
        expected["negative"]["invalid_payload_length"]["botocore_exception"],
        "InvalidPayloadLength"
    );
    let bytes = build_recipe("botocore/negative/invalid_payload_length.recipe.json");
    // The recipe's prelude announces total_len 0x01800021, a payload of 24 MiB + 17 bytes
    // (its body is 24 MiB + 1 bytes, and its trailer is not a valid CRC: botocore refuses it
    // from the prelude alone, so only the prelude matters).
    assert_eq!(be_u32(&bytes, 0), 0x0180_0021);
    let announced = be_u32(&bytes, 0) - 16;
    let too_large = DecodeError::PayloadTooLarge {
        len: announced,
        limit: 25_165_824,
    };

    // Incremental: the first 12 bytes are enough to refuse it.
    for n in 0..12 {
        assert_eq!(
            decode(&bytes[..n]),
            Ok(Decoded::NeedMore { needed: 12 - n })
        );
    }
    assert_eq!(decode(&bytes[..12]), Err(too_large));
    assert_eq!(decode(&bytes), Err(too_large));

    // The accumulator refuses it from the prelude (the limit is checked before capacity).
    let mut acc = Accumulator::<64>::new();
    assert_eq!(acc.feed(&bytes[..12]), 12);
    assert_eq!(acc.next_frame(), Err(too_large));

    // The reader reads the 12-byte prelude and nothing more.
    let mut src = Counting {
        data: &bytes,
        taken: 0,
    };
    let mut reader = FrameReader::new(&mut src);
    match reader.next_frame() {
        Err(ReadError::Decode(e)) => assert_eq!(e, too_large),
        other => panic!("{other:?}"),
    }
    drop(reader);
    assert_eq!(src.taken, 12);

    // Raising the limit accepts the prelude: the decoder now waits for the rest of the frame
    // it announces (16 bytes more than the recipe holds), and a reader reports the short input.
    let opts = DecodeOptions::default().max_payload_len(announced);
    let decoder = Decoder::new(opts);
    assert!(decoder.check_prelude(&bytes[..12]).unwrap().is_some());
    assert_eq!(
        decoder.decode(&bytes[..12]),
        Ok(Decoded::NeedMore {
            needed: announced as usize + 4
        })
    );
    assert_eq!(decoder.decode(&bytes), Ok(Decoded::NeedMore { needed: 16 }));
    let mut reader = FrameReader::with_options(&bytes[..], opts);
    assert!(matches!(
        reader.next_frame(),
        Err(ReadError::UnexpectedEof { needed: 16 })
    ));
    // With the limit raised, a 64-byte accumulator says the frame can never fit.
    let mut acc = Accumulator::<64>::with_options(opts);
    acc.feed(&bytes[..64]);
    assert_eq!(
        acc.next_frame(),
        Err(DecodeError::ExceedsCapacity {
            total_len: 0x0180_0021,
            capacity: 64
        })
    );

    // A well-formed frame with the recipe's body (24 MiB + 1 bytes of '0'): refused by default
    // after 12 bytes, accepted whole once the limit is raised.
    let payload = &bytes[12..bytes.len() - 4];
    assert_eq!(payload.len(), 25_165_825);
    let opts = DecodeOptions::default().max_payload_len(25_165_825);
    // The default encoder refuses what the default decoder refuses; one written for the
    // raised limit writes it.
    let mut frame = Vec::new();
    assert_eq!(
        encode_to_vec(&[], payload, &mut frame),
        Err(kinesis_codec::eventstream::EncodeError::PayloadTooLarge {
            len: 25_165_825,
            limit: 25_165_824
        })
    );
    assert!(frame.is_empty());
    kinesis_codec::eventstream::Encoder::new(opts)
        .encode_to_vec(&[], payload, &mut frame)
        .unwrap();
    assert_eq!(
        decode(&frame[..12]),
        Err(DecodeError::PayloadTooLarge {
            len: 25_165_825,
            limit: 25_165_824
        })
    );
    let decoded = Decoder::new(opts).decode_exact(&frame).unwrap();
    assert_eq!(decoded.payload(), payload);
    assert_eq!(decoded.headers().count(), 0);
    let mut reader = FrameReader::with_options(&frame[..], opts);
    assert_eq!(reader.next_frame().unwrap().unwrap().as_bytes(), &frame[..]);
    assert!(reader.next_frame().unwrap().is_none());
}

#[test]
fn aws_c_event_stream_valid_files() {
    hex_matches_bin("aws-c-event-stream");
    let one_str = json("aws-sdk-go/decoded/positive/payload_one_str_header");
    let no_headers = json("aws-sdk-go/decoded/positive/payload_no_headers");
    let empty = json("aws-sdk-go/decoded/positive/empty_message");
    let dir = "aws-c-event-stream";
    // Files byte-identical to cross-SDK vectors are checked against their decoded JSON.
    for (name, expected) in [
        (
            "test_outgoing_application_data_no_headers_valid",
            &no_headers,
        ),
        (
            "test_streaming_decoder_incoming_application_no_headers",
            &no_headers,
        ),
        ("test_outgoing_no_op_valid", &empty),
        (
            "test_streaming_decoder_incoming_no_op_valid_single_message",
            &empty,
        ),
        (
            "test_outgoing_application_one_compressed_header_pair_valid",
            &one_str,
        ),
        (
            "test_streaming_decoder_incoming_application_one_compressed_header_pair_valid",
            &one_str,
        ),
    ] {
        let bytes = read(&format!("{dir}/{name}.bin"));
        let frame = decode_exact(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_matches_decoded_json(&frame, expected, name);
        assert_reencodes(&frame, name);
    }
    // The others carry what the C tests assert.
    let cases: [(&str, &[Header<'_>]); 3] = [
        (
            "test_streaming_decoder_incoming_application_one_bool_header_pair_valid",
            &[Header::new("event", HeaderValue::Bool(true))],
        ),
        (
            "test_streaming_decoder_incoming_application_one_int32_header_pair_valid",
            &[Header::new("event", HeaderValue::Int32(0x20))],
        ),
        (
            "test_streaming_decoder_incoming_application_variable_headers_with_empty_length_pair_valid",
            &[
                Header::new("buff", HeaderValue::ByteArray(b"")),
                Header::new("string", HeaderValue::String("")),
            ],
        ),
    ];
    for (name, headers) in cases {
        let bytes = read(&format!("{dir}/{name}.bin"));
        let frame = decode_exact(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(frame.headers().eq(headers.iter().copied()), "{name}");
        assert_eq!(frame.payload(), b"", "{name}");
        assert_reencodes(&frame, name);
    }
}

#[test]
fn aws_c_event_stream_multiple_messages_decode_as_two_frames() {
    let bytes = read("aws-c-event-stream/test_streaming_decoder_incoming_multiple_messages.bin");
    let Ok(Decoded::Frame { frame: first, used }) = decode(&bytes) else {
        panic!()
    };
    assert_eq!(used, 16);
    assert_matches_decoded_json(
        &first,
        &json("aws-sdk-go/decoded/positive/empty_message"),
        "1st",
    );
    let second = decode_exact(&bytes[used..]).unwrap();
    assert_matches_decoded_json(
        &second,
        &json("aws-sdk-go/decoded/positive/payload_one_str_header"),
        "2nd",
    );
    // The strict form refuses the pair as one buffer.
    assert_eq!(
        decode_exact(&bytes),
        Err(DecodeError::TrailingBytes {
            frame_len: 16,
            trailing: 61
        })
    );
    // The C test feeds it 7 bytes at a time.
    let mut acc = Accumulator::<128>::new();
    let mut frames = Vec::new();
    for piece in bytes.chunks(7) {
        assert_eq!(acc.feed(piece), piece.len());
        while let Some(f) = acc.next_frame().unwrap() {
            frames.push(f.as_bytes().to_vec());
        }
    }
    assert_eq!(frames, [bytes[..16].to_vec(), bytes[16..].to_vec()]);
}

#[test]
fn aws_c_event_stream_invalid_files() {
    let dir = "aws-c-event-stream";
    let bytes = read(&format!(
        "{dir}/test_streaming_decoder_incoming_illegal_header_length_relationship_fails.bin"
    ));
    let want = DecodeError::HeadersLenOutOfRange {
        headers_len: be_u32(&bytes, 4),
        total_len: be_u32(&bytes, 0),
    };
    assert!(be_u32(&bytes, 4) > be_u32(&bytes, 0) - 16);
    assert_eq!(decode(&bytes[..12]), Err(want));
    assert_eq!(decode(&bytes), Err(want));

    let bytes = read(&format!(
        "{dir}/test_streaming_decoder_incoming_message_too_short.bin"
    ));
    assert_eq!(
        decode(&bytes[..12]),
        Err(DecodeError::FrameTooShort { total_len: 12 })
    );
    assert_eq!(
        decode(&bytes),
        Err(DecodeError::FrameTooShort { total_len: 12 })
    );
}

#[test]
fn unknown_type_invalid_utf8_and_long_values_from_edited_vectors() {
    // Start from a cross-SDK frame and edit one header, repairing the CRCs like a sender would.
    fn fix_crcs(b: &mut [u8]) {
        let p = crc32fast::hash(&b[..8]);
        b[8..12].copy_from_slice(&p.to_be_bytes());
        let n = b.len();
        let m = crc32fast::hash(&b[..n - 4]);
        b[n - 4..].copy_from_slice(&m.to_be_bytes());
    }
    let base = read("aws-sdk-go/encoded/positive/payload_one_str_header");
    // Header: 0x0c "content-type" 0x07 0x0010 "application/json" starting at offset 12.
    let mut b = base.clone();
    b[25] = 10; // type id
    fix_crcs(&mut b);
    assert_eq!(
        decode(&b),
        Err(DecodeError::UnknownHeaderType {
            type_id: 10,
            offset: 25
        })
    );
    let mut b = base.clone();
    b[13] = 0xff; // 'c' of the name
    fix_crcs(&mut b);
    assert_eq!(
        decode(&b),
        Err(DecodeError::InvalidHeaderName { offset: 13 })
    );
    let mut b = base.clone();
    b[28] = 0xc3; // 'a' of the value, followed by 'p': not a continuation byte
    fix_crcs(&mut b);
    assert_eq!(
        decode(&b),
        Err(DecodeError::InvalidStringValue { offset: 28 })
    );
    let mut b = base.clone();
    b[25] = 6; // the same bytes as a byte array are fine
    fix_crcs(&mut b);
    assert_eq!(
        decode_exact(&b).unwrap().header("content-type"),
        Some(HeaderValue::ByteArray(b"application/json"))
    );

    // Decode accepts value lengths up to 65,535; encode refuses over 32,767.
    let long = vec![b'x'; 65_535];
    let s = std::str::from_utf8(&long).unwrap();
    let headers = [Header::new("", HeaderValue::String(s))];
    assert_eq!(
        encoded_len(&headers, b""),
        Err(kinesis_codec::eventstream::EncodeError::ValueTooLong {
            index: 0,
            len: 65_535
        })
    );
    let ok = [Header::new("", HeaderValue::String(&s[..32_767]))];
    let mut frame = vec![0u8; encoded_len(&ok, b"").unwrap()];
    encode(&ok, b"", &mut frame).unwrap();
    // Grow the value to 65,535 by hand: lengths in the prelude and the value, then the CRCs.
    frame.truncate(frame.len() - 4);
    frame.extend_from_slice(&long[32_767..]);
    frame.extend_from_slice(&[0; 4]);
    let total = frame.len() as u32;
    frame[0..4].copy_from_slice(&total.to_be_bytes());
    frame[4..8].copy_from_slice(&(total - 16).to_be_bytes());
    frame[14..16].copy_from_slice(&65_535u16.to_be_bytes());
    fix_crcs(&mut frame);
    let decoded = decode_exact(&frame).unwrap();
    assert_eq!(decoded.header(""), Some(HeaderValue::String(s)));
}
