//! Conformance against every public event-stream vector in `tests/data/eventstream/`
//! (copied from the shared set; its README says where each file comes from): aws-sdk-go's
//! cross-SDK set, smithy-rs's and aws-c-event-stream's here, botocore's in
//! `eventstream_vectors_botocore.rs`; the shared helpers in `common/eventstream_vectors.rs`.
//!
//! Positive vectors must decode to exactly the values their peers' expectation files give and
//! re-encode to the same bytes; negative ones must be rejected with the exact error. Where a
//! peer's expectation is a quirk our policy decides differently, the test says so.
//!
//! The file runs in every feature layer; the checks of the `Vec` encoder (`alloc`) and of
//! `FrameReader` (`std`) run where those exist.

use kinesis_codec::eventstream::{
    decode, decode_exact, encode, encoded_len, Accumulator, DecodeError, Decoded, Decoder, Header,
    HeaderValue,
};

#[path = "common/eventstream_vectors.rs"]
mod vectors;
use vectors::*;

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
