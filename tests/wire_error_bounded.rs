//! Errors quote a bounded prefix of the offending input, never all of it (issue 11, item 7):
//! a 10 MB bad value must not make a 10 MB error.
#![cfg(feature = "alloc")]

use kinesis_codec::kinesis::{Operation, Request, Response};

const BIG: usize = 10 * 1024 * 1024;

fn assert_short(what: &str, error: &kinesis_codec::wire::WireError) {
    let shown = error.to_string();
    assert!(
        shown.len() < 600,
        "{what}: {} bytes: {}",
        shown.len(),
        kinesis_codec::wire::to_vec(&shown[..600.min(shown.len())]).len()
    );
    assert!(error.message().len() < 300, "{what}");
    assert!(error.path().len() < 300, "{what}");
    assert!(error.member().map_or(0, str::len) < 300, "{what}");
    assert!(shown.contains(&format!("({BIG} bytes)")), "{what}: {shown}");
}

#[test]
fn a_huge_bad_timestamp_string_gives_a_short_error() {
    let body = format!(
        r#"{{"StreamDescriptionSummary":{{"StreamCreationTimestamp":"{}"}}}}"#,
        "9".repeat(BIG - 1) + "x"
    );
    let error = Response::parse(Operation::DescribeStreamSummary, body.as_bytes()).unwrap_err();
    assert_short("timestamp", &error);
    // A request takes numbers only: the string is refused, quoted bounded.
    let body = format!(
        r#"{{"StreamName":"s","ShardId":"x","ShardIteratorType":"AT_TIMESTAMP","Timestamp":"{}"}}"#,
        "é".repeat(BIG / 2)
    );
    let error = Request::parse(Operation::GetShardIterator, body.as_bytes()).unwrap_err();
    assert_short("request timestamp", &error);
}

#[test]
fn a_huge_string_of_the_wrong_type_gives_a_short_error() {
    let body = format!(r#"{{"Limit":"{}"}}"#, "a".repeat(BIG));
    let error = Request::parse(Operation::ListStreams, body.as_bytes()).unwrap_err();
    assert_short("integer", &error);
}

#[test]
fn a_huge_map_key_with_a_bad_value_gives_a_short_error() {
    let key = "k".repeat(BIG);
    let body = format!(r#"{{"StreamName":"s","Tags":{{"{key}":7}}}}"#);
    let error = Request::parse(Operation::AddTagsToStream, body.as_bytes()).unwrap_err();
    let shown = error.to_string();
    assert!(shown.len() < 600, "{} bytes", shown.len());
    assert!(error.path().len() < 300);
    assert!(error.member().map_or(0, str::len) < 300);
}
