//! `Blob` and `Timestamp` against independent integer arithmetic and the spec's wire forms.

#![cfg(feature = "alloc")]

use kinesis_codec::blob::{Blob, BlobError};
use kinesis_codec::kinesis::{Operation, Response};
use kinesis_codec::timestamp::{Timestamp, MAX_EXACT_MILLIS};

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

impl Rng {
    /// Uniform-ish in `-(bound-1)..bound`, biased toward a spread of magnitudes.
    fn millis(&mut self, bound: i64) -> i64 {
        let magnitude_bits = self.next() % 53;
        let limit = (1u64 << magnitude_bits).min(bound as u64 - 1).max(1);
        let v = (self.next() % limit) as i64;
        if self.next() & 1 == 0 {
            v
        } else {
            -v
        }
    }
}

/// `millis` as decimal seconds with exactly three fraction digits, by integer arithmetic.
fn seconds_text(millis: i64) -> String {
    let sign = if millis < 0 { "-" } else { "" };
    let abs = millis.unsigned_abs();
    format!("{sign}{}.{:03}", abs / 1000, abs % 1000)
}

/// The same value in scientific notation (`1.441215410867E9`), by integer arithmetic.
fn scientific_text(millis: i64, exponent_style: u8) -> String {
    let sign = if millis < 0 { "-" } else { "" };
    let digits = millis.unsigned_abs().to_string();
    // value = digits * 10^-3; as d.ddd * 10^(len-1-3).
    let exponent = digits.len() as i64 - 1 - 3;
    let (head, tail) = digits.split_at(1);
    let mantissa = if tail.is_empty() {
        head.to_string()
    } else {
        format!("{head}.{tail}")
    };
    match exponent_style {
        0 => format!("{sign}{mantissa}E{exponent}"),
        1 => format!("{sign}{mantissa}e{exponent:+03}"),
        _ => format!("{sign}{mantissa}e{exponent}"),
    }
}

fn parse(text: &str) -> Timestamp {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn timestamp_spec_forms() {
    for (text, millis) in [
        ("1441215410", 1_441_215_410_000),
        ("1441215410.867", 1_441_215_410_867),
        ("1441215410.0", 1_441_215_410_000),
        ("1.441215410867E9", 1_441_215_410_867),
        ("1.441215410867e+09", 1_441_215_410_867),
        ("\"1441215410.867\"", 1_441_215_410_867),
        ("\"2015-09-02T17:36:50.867Z\"", 1_441_215_410_867),
        ("\"2015-09-02T19:36:50.867+02:00\"", 1_441_215_410_867),
        ("\"2015-09-02T17:36:50.8679Z\"", 1_441_215_410_867),
        ("\"2015-09-02T17:36:50\"", 1_441_215_410_000),
        ("\"Wed, 02 Sep 2015 17:36:50 GMT\"", 1_441_215_410_000),
        ("\"1969-12-31T23:59:59.999Z\"", -1),
        ("0", 0),
        ("-1.5", -1_500),
        ("-0.001", -1),
        ("1441215410.86751", 1_441_215_410_868),
        ("1441215410.86749", 1_441_215_410_867),
    ] {
        assert_eq!(parse(text).as_millis(), millis, "{text}");
    }
}

#[test]
fn timestamp_written_as_epoch_seconds() {
    for (millis, text) in [
        (1_441_215_410_867, "1441215410.867"),
        (1_441_215_410_000, "1441215410"),
        (1_441_215_410_800, "1441215410.8"),
        (-1_500, "-1.5"),
        (-1, "-0.001"),
        (0, "0"),
    ] {
        let t = Timestamp::from_millis(millis);
        assert_eq!(serde_json::to_string(&t).unwrap(), text);
        assert_eq!(t.to_string(), text);
    }
}

#[test]
fn timestamp_exact_for_random_millis() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..200_000 {
        let millis = rng.millis(MAX_EXACT_MILLIS);
        let plain = seconds_text(millis);
        assert_eq!(parse(&plain).as_millis(), millis, "{plain}");
        let sci = scientific_text(millis, (round % 3) as u8);
        assert_eq!(parse(&sci).as_millis(), millis, "{sci}");
        // Our own output reads back exactly and, read as a decimal, is the same value.
        let written = serde_json::to_string(&Timestamp::from_millis(millis)).unwrap();
        assert_eq!(parse(&written).as_millis(), millis, "{written}");
        assert_eq!(
            Timestamp::from_secs_str(&written).map(|t| t.as_millis()),
            Some(millis),
            "{written}"
        );
    }
}

#[test]
fn timestamp_out_of_range_is_an_error() {
    for text in [
        "9223372036854775807",
        "1e300",
        "-1e300",
        "\"abc\"",
        "\"2015-13-02T17:36:50Z\"",
        "\"2015-09-02T17:36\"",
        "\"2015-09-02T17:36:50+2\"",
        "\"Wed, 02 Sep 2015 17:36:50 PST\"",
        "true",
        "null",
    ] {
        assert!(
            serde_json::from_str::<Timestamp>(text).is_err(),
            "{text} should fail"
        );
    }
}

#[test]
fn long_keeps_i64_extremes() {
    for (text, value) in [
        ("9223372036854775807", i64::MAX),
        ("-9223372036854775808", i64::MIN),
        ("9007199254740993", 9_007_199_254_740_993), // 2^53 + 1: not an f64
    ] {
        let body = format!(r#"{{"MillisBehindLatest":{text},"Records":[]}}"#);
        let Response::GetRecords(output) =
            Response::parse(Operation::GetRecords, body.as_bytes()).unwrap()
        else {
            panic!("wrong variant");
        };
        assert_eq!(output.millis_behind_latest, Some(value));
        let again: serde_json::Value =
            serde_json::from_slice(&Response::GetRecords(output).to_vec()).unwrap();
        assert_eq!(again["MillisBehindLatest"].to_string(), text);
    }
    for text in ["9223372036854775808", "1.0", "1e3", "\"1\""] {
        let body = format!(r#"{{"MillisBehindLatest":{text},"Records":[]}}"#);
        let error = Response::parse(Operation::GetRecords, body.as_bytes()).unwrap_err();
        assert_eq!(error.path(), "$.MillisBehindLatest", "{text}");
    }
}

#[test]
fn blob_escaped_slash_is_accepted() {
    // "\/" is how some encoders write "/": the base64 of ff ff ff is "////".
    let blob: Blob<'_> = serde_json::from_str(r#""\/\/\/\/""#).unwrap();
    assert_eq!(blob.to_vec(), [0xff, 0xff, 0xff]);
    assert_eq!(blob.as_base64(), Some("////"));
    assert_eq!(serde_json::to_string(&blob).unwrap(), r#""////""#);
    let plain: Blob<'_> = serde_json::from_str(r#""////""#).unwrap();
    assert_eq!(plain, blob);
}

#[test]
fn blob_matches_the_base64_crate_for_random_bytes() {
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::STANDARD;
    let mut rng = Rng(7);
    for len in 0..200usize {
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let text = engine.encode(&bytes);
        let from_bytes = Blob::from_bytes(&bytes);
        assert_eq!(
            serde_json::to_string(&from_bytes).unwrap(),
            format!("\"{text}\"")
        );
        assert_eq!(from_bytes.base64_len(), text.len());
        let json = format!("\"{}\"", text.replace('/', "\\/"));
        let parsed: Blob<'_> = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed.decoded_len(), len);
        assert_eq!(parsed.to_vec(), bytes);
        let mut buf = vec![0u8; len + 3];
        assert_eq!(parsed.decode_into(&mut buf), Ok(len));
        assert_eq!(&buf[..len], &bytes[..]);
        assert_eq!(parsed, from_bytes);
        assert_eq!(Blob::from_base64(&text).unwrap(), from_bytes);
        if len > 0 {
            assert_eq!(
                parsed.decode_into(&mut buf[..len - 1]),
                Err(BlobError::OutputTooSmall {
                    needed: len,
                    available: len - 1
                })
            );
        }
    }
}

#[test]
fn blob_refuses_invalid_base64() {
    for (text, error) in [
        ("aGVsbG8", BlobError::InvalidLength { len: 7 }),
        (
            "aGV*bG8=",
            BlobError::InvalidByte {
                offset: 3,
                byte: b'*',
            },
        ),
        (
            "aGVsbG8-",
            BlobError::InvalidByte {
                offset: 7,
                byte: b'-',
            },
        ),
        ("aG=sbG8=", BlobError::InvalidPadding { offset: 2 }),
        ("====", BlobError::InvalidPadding { offset: 0 }),
        // "aGk=" is canonical for "hi"; "aGl=" sets unused bits.
        ("aGl=", BlobError::NonCanonical { offset: 2 }),
        ("aR==", BlobError::NonCanonical { offset: 1 }),
    ] {
        assert_eq!(Blob::from_base64(text).err(), Some(error), "{text}");
        let json = format!("\"{text}\"");
        let message = serde_json::from_str::<Blob<'_>>(&json)
            .unwrap_err()
            .to_string();
        assert!(message.contains("invalid base64"), "{message}");
    }
    assert_eq!(Blob::from_base64("").unwrap().decoded_len(), 0);
}
