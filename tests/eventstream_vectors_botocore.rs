//! Conformance against botocore's event-stream vectors in `tests/data/eventstream/botocore/`
//! (copied from the shared set; its README says where each file comes from): positive frames
//! decode to botocore's expected values and re-encode to the same bytes, negative ones fail as
//! botocore expects or as our policy decides (the test says which). The other sources are in
//! `eventstream_vectors.rs`.

use kinesis_codec::eventstream::{decode, decode_exact, DecodeError, Decoder, Header, HeaderValue};
#[cfg(feature = "std")]
use kinesis_codec::eventstream::{
    encode_to_vec, Accumulator, DecodeOptions, Decoded, FrameReader, ReadError,
};
use serde_json::Value;

#[path = "common/eventstream_vectors.rs"]
mod vectors;
use vectors::*;

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
