//! Timestamps from arbitrary input, in every form the reader takes: the text forms (decimal
//! epoch seconds, ISO 8601, RFC 822) as a JSON string and through `Timestamp::parse_text`, and
//! the numeric JSON forms (integers, decimals, exponents) as a JSON number.
//!
//! The first byte picks how the rest is used: as text as is, as a JSON number built from the
//! bytes (digits, sign, point, exponent), or as a date with fuzzed fields. Oracles: nothing
//! panics (built with `-a`, so an arithmetic overflow is a crash too), and every accepted value
//! writes back to text that the reader reads back to the same millisecond.
#![no_main]

use kinesis_codec::timestamp::Timestamp;
use libfuzzer_sys::fuzz_target;

/// Writes `t` as the crate's writer does and reads it back, as a JSON number and as text.
fn round_trip(t: Timestamp, from: &str) {
    let written = kinesis_codec::wire::to_vec(&t);
    let text = core::str::from_utf8(&written).expect("the writer writes UTF-8");
    let again: Timestamp = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("{from:?} read as {t:?}, written {text:?}, refused: {e}"));
    assert_eq!(again, t, "{from:?} written {text:?}");
    let parsed = Timestamp::parse_text(text)
        .unwrap_or_else(|e| panic!("{from:?} written {text:?}, text refused: {e}"));
    assert_eq!(parsed, t, "{from:?} written {text:?}");
    assert_eq!(t.to_string(), text.trim_end_matches(".0"), "{from:?}");
}

/// Reads `text` every way it can be read; every accepted value must round-trip.
fn check(text: &str) {
    if let Ok(t) = Timestamp::parse_text(text) {
        round_trip(t, text);
    }
    if let Some(t) = Timestamp::from_secs_str(text) {
        round_trip(t, text);
    }
    // As a JSON number (the forms a response or a request carries).
    if let Ok(t) = serde_json::from_str::<Timestamp>(text) {
        round_trip(t, text);
    }
    // As a JSON string (the lenient response forms).
    let quoted = serde_json::to_string(text).expect("a str serializes");
    if let Ok(t) = serde_json::from_str::<Timestamp>(&quoted) {
        round_trip(t, text);
    }
    // Through the typed API: the crate's reader, then serde_json.
    let body = format!(r#"{{"StreamDescriptionSummary":{{"StreamCreationTimestamp":{text}}}}}"#);
    let _ = kinesis_codec::kinesis::Response::parse(
        kinesis_codec::kinesis::Operation::DescribeStreamSummary,
        body.as_bytes(),
    );
}

/// A number from the bytes: each byte one of the characters numbers are made of.
fn number(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"0123456789012345678901234567890123456789.-+eE";
    bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

/// A date from the bytes: fuzzed fields in the two date forms.
fn dates(bytes: &[u8]) -> [String; 2] {
    let field = |i: usize, modulo: u64| -> u64 {
        let mut v = 0u64;
        for b in bytes.iter().skip(i * 4).take(4) {
            v = (v << 8) | u64::from(*b);
        }
        v % modulo
    };
    let (year, month, day) = (field(0, 1 << 40), field(1, 14), field(2, 33));
    let (hour, minute, second, ms) = (field(3, 26), field(4, 62), field(5, 62), field(6, 1000));
    let (oh, om) = (field(7, 101), field(8, 101));
    let sign = if field(9, 2) == 0 { '+' } else { '-' };
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Xyz",
    ];
    let iso = format!(
        "{:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{ms:03}{sign}{oh:02}:{om:02}",
        year % 10_000
    );
    let rfc = format!(
        "Wed, {day:02} {} {year} {hour:02}:{minute:02}:{second:02} GMT",
        months[(month as usize) % months.len()]
    );
    [iso, rfc]
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => {
            if let Ok(text) = core::str::from_utf8(rest) {
                check(text);
            }
        }
        1 => check(&number(rest)),
        _ => {
            for date in dates(rest) {
                check(&date);
            }
        }
    }
});
