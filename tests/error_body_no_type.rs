//! An error body without `__type` (issue 11, item 10): its code comes from the HTTP status, so
//! the body written back must carry no `__type` either, or a re-parse with the same status reads
//! the code as `""` instead of the status.
#![cfg(feature = "alloc")]

#[test]
fn error_without_type_round_trips_through_the_status() {
    for body in [
        &b"{}"[..],
        br#"{"message":"m"}"#,
        br#"{"Message":"M"}"#,
        b"<html>Service Unavailable</html>",
        b"",
    ] {
        // Parsed without a status (as `kinesis-codec wire --kind error` does): no code, so the
        // body written back has no `__type`, and a re-parse takes the status as the original did.
        let parsed = kinesis_codec::kinesis::Error::parse(body, None).unwrap();
        assert_eq!(parsed.code(), "");
        let written = parsed.to_vec();
        let text = String::from_utf8_lossy(&written);
        assert!(!text.contains("__type"), "{text}");
        for status in [Some(400), Some(503), None] {
            let original = kinesis_codec::kinesis::Error::parse(body, status).unwrap();
            let again = kinesis_codec::kinesis::Error::parse(&written, status).unwrap();
            assert_eq!(again.code(), original.code(), "{text} {status:?}");
            assert_eq!(again.message(), original.message(), "{text}");
        }
        let parsed = kinesis_codec::firehose::Error::parse(body, None).unwrap();
        let written = parsed.to_vec();
        for status in [Some(400), Some(503), None] {
            let original = kinesis_codec::firehose::Error::parse(body, status).unwrap();
            let again = kinesis_codec::firehose::Error::parse(&written, status).unwrap();
            assert_eq!(again.code(), original.code(), "{status:?}");
        }
        // Parsed with a status, written, re-parsed with the same status: the same error.
        for status in [Some(400), Some(503)] {
            let parsed = kinesis_codec::kinesis::Error::parse(body, status).unwrap();
            let written = parsed.to_vec();
            let again = kinesis_codec::kinesis::Error::parse(&written, status).unwrap();
            assert_eq!(again, parsed);
        }
    }
    // A code read from `__type` is written back.
    let parsed = kinesis_codec::kinesis::Error::parse(
        br#"{"__type":"ResourceNotFoundException","message":"m"}"#,
        Some(400),
    )
    .unwrap();
    let written = String::from_utf8(parsed.to_vec()).unwrap();
    assert!(
        written.starts_with(r#"{"__type":"ResourceNotFoundException""#),
        "{written}"
    );
}
