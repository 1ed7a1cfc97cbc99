//! Hostile timestamps (issue 11, item 1): no overflow (a debug build must not panic, a release
//! build must not wrap to a wrong date), impossible calendar dates and zone offsets refused, and
//! every value the reader accepts written back to text that reads back to the same millisecond.
#![cfg(feature = "alloc")]

use kinesis_codec::kinesis::{Operation, Response};
use kinesis_codec::timestamp::{Timestamp, TimestampError};

fn text(t: &str) -> Result<i64, TimestampError> {
    Timestamp::parse_text(t).map(|t| t.as_millis())
}

#[test]
fn huge_rfc822_year_is_out_of_range_not_a_wrapped_date() {
    let body = br#"{"StreamDescriptionSummary":{"StreamCreationTimestamp":"Wed, 02 Sep 9223372036854775807 17:36:50 GMT"}}"#;
    let error = Response::parse(Operation::DescribeStreamSummary, body).unwrap_err();
    assert_eq!(
        error.path(),
        "$.StreamDescriptionSummary.StreamCreationTimestamp"
    );
    for year in [
        "9223372036854775807",
        "-9223372036854775808",
        "292279000",
        "-292276000",
    ] {
        let t = format!("02 Sep {year} 17:36:50 GMT");
        assert_eq!(text(&t), Err(TimestampError::OutOfRange), "{t}");
    }
    // The largest year whose milliseconds fit, and one past it.
    assert!(text("Sun, 01 Jan 292277 00:00:00 GMT").is_ok());
}

#[test]
fn day_beyond_the_month_is_refused() {
    for bad in [
        "2015-02-31T00:00:00Z",
        "2015-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2015-04-31T00:00:00Z",
        "2015-06-31T12:00:00Z",
        "2015-09-00T00:00:00Z",
        "31 Feb 2015 00:00:00 GMT",
        "29 Feb 2100 00:00:00 GMT",
        "31 Nov 2015 00:00:00 GMT",
    ] {
        assert_eq!(text(bad), Err(TimestampError::InvalidDate), "{bad}");
        let json = format!("\"{bad}\"");
        assert!(serde_json::from_str::<Timestamp>(&json).is_err(), "{bad}");
    }
    for (good, millis) in [
        ("2016-02-29T00:00:00Z", 1_456_704_000_000),
        ("2000-02-29T00:00:00Z", 951_782_400_000),
        ("2015-01-31T00:00:00Z", 1_422_662_400_000),
        ("2015-12-31T23:59:59Z", 1_451_606_399_000),
        ("29 Feb 2016 00:00:00 GMT", 1_456_704_000_000),
    ] {
        assert_eq!(text(good), Ok(millis), "{good}");
    }
}

#[test]
fn zone_offsets_beyond_23_59_are_refused() {
    for bad in [
        "2015-09-02T17:36:50+99:99",
        "2015-09-02T17:36:50+24:00",
        "2015-09-02T17:36:50-24:00",
        "2015-09-02T17:36:50+12:60",
        "2015-09-02T17:36:50+0960",
        "2015-09-02T17:36:50+25",
    ] {
        assert_eq!(text(bad), Err(TimestampError::InvalidOffset), "{bad}");
    }
    assert_eq!(
        text("2015-09-02T17:36:50+23:59"),
        Ok(1_441_215_410_000 - (23 * 60 + 59) * 60_000)
    );
    assert_eq!(
        text("2015-09-02T17:36:50-23:59"),
        Ok(1_441_215_410_000 + (23 * 60 + 59) * 60_000)
    );
}

/// Reads `json` as a timestamp; if accepted, writes it and reads the text back.
fn round_trip(json: &str) -> Option<(i64, i64)> {
    let t: Timestamp = serde_json::from_str(json).ok()?;
    let written = String::from_utf8(kinesis_codec::wire::to_vec(&t)).unwrap();
    let again: Timestamp = serde_json::from_str(&written)
        .unwrap_or_else(|e| panic!("{json} accepted, written as {written:?}, refused: {e}"));
    Some((t.as_millis(), again.as_millis()))
}

#[test]
fn whatever_the_reader_accepts_the_writer_writes_back() {
    for json in [
        "\"9223372036854775.807\"",
        "\"-9223372036854775.808\"",
        "\"9223372036854775.8\"",
        "\"4503599627370.497\"",
        "\"4503599627370.495\"",
        "\"-4503599627370.495\"",
        "9223372036854775",
        "-9223372036854775",
        "\"9223372036854775\"",
        "4503599627370.495",
        "4503599627370.497",
        "4503599627371.5",
        "9007199254740.993",
        "\"1441215410.867\"",
    ] {
        if let Some((first, again)) = round_trip(json) {
            assert_eq!(first, again, "{json}");
        }
    }
    // The exact reading of text cannot be written back beyond 2^52 ms with a fraction: refused.
    assert_eq!(
        Timestamp::parse_text("9223372036854775.807"),
        Err(TimestampError::OutOfRange)
    );
    // Whole seconds are written as integers, exact over the whole range.
    assert_eq!(
        round_trip("9223372036854775"),
        Some((9_223_372_036_854_775_000, 9_223_372_036_854_775_000))
    );
}
