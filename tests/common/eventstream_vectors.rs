//! Helpers of the event-stream vector tests (`eventstream_vectors*.rs`): the vector files, and
//! the checks every positive vector goes through.

#![allow(dead_code)] // each test file uses part of it

use std::path::{Path, PathBuf};

use base64::Engine as _;
#[cfg(feature = "alloc")]
use kinesis_codec::eventstream::encode_to_vec;
use kinesis_codec::eventstream::{
    encode, encode_heapless, encode_vectored, encoded_len, Frame, Header, HeaderValue,
};
use serde_json::Value;

pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/eventstream")
        .join(rel)
}

pub fn read(rel: &str) -> Vec<u8> {
    std::fs::read(data(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub fn json(rel: &str) -> Value {
    serde_json::from_slice(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub fn b64(v: &Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(v.as_str().expect("base64 string"))
        .expect("valid base64")
}

pub fn be_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap())
}

/// Every file directly in `dir` (relative), sorted, with the given filter on the name.
pub fn files(dir: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
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
pub fn assert_reencodes(frame: &Frame<'_>, what: &str) {
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
pub fn assert_matches_decoded_json(frame: &Frame<'_>, expected: &Value, what: &str) {
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

pub fn hex_matches_bin(dir: &str) {
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

/// aws-sdk-go's positive vectors, `(name, bytes)`, sorted by name.
pub fn aws_sdk_go_positives() -> Vec<(String, Vec<u8>)> {
    files("aws-sdk-go/encoded/positive", |_| true)
        .into_iter()
        .map(|name| {
            let bytes = read(&format!("aws-sdk-go/encoded/positive/{name}"));
            (name, bytes)
        })
        .collect()
}
