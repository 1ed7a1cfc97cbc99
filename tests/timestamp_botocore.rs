//! Timestamp parsing against botocore's JSON parser (python3 tests/peers/botocore_timestamps.py).
//!
//! Date strings (ISO 8601, RFC 822) and integer seconds must give the same millisecond as
//! botocore. Fractional numbers are compared too: botocore goes through a Python float and
//! `datetime.fromtimestamp`, which rounds to the microsecond, so the millisecond it reports is
//! the same as ours for three-decimal inputs.

#![cfg(feature = "std")]

use std::io::Write;
use std::process::Stdio;

#[path = "common/peers.rs"]
mod peers;

use kinesis_codec::timestamp::Timestamp;

fn inputs() -> Vec<String> {
    let mut state = 0x0123_4567_89ab_cdefu64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut out = vec![
        "1441215410".to_string(),
        "1441215410.867".to_string(),
        "1.441215410867E9".to_string(),
        "\"1441215410.867\"".to_string(),
        "\"2015-09-02T17:36:50.867Z\"".to_string(),
        "\"Wed, 02 Sep 2015 17:36:50 GMT\"".to_string(),
    ];
    for i in 0..600 {
        let year = 1971 + next() % 130;
        let month = 1 + next() % 12;
        let day = 1 + next() % 28;
        let (h, mi, s, ms) = (next() % 24, next() % 60, next() % 60, next() % 1000);
        out.push(match i % 5 {
            0 => format!("\"{year:04}-{month:02}-{day:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z\""),
            1 => {
                let oh = next() % 14;
                let om = [0, 30, 45][(next() % 3) as usize];
                let sign = if next() % 2 == 0 { '+' } else { '-' };
                format!(
                    "\"{year:04}-{month:02}-{day:02}T{h:02}:{mi:02}:{s:02}{sign}{oh:02}:{om:02}\""
                )
            }
            2 => format!(
                "\"{day:02} {} {year} {h:02}:{mi:02}:{s:02} GMT\"",
                MONTHS[(month - 1) as usize]
            ),
            3 => format!("{}", next() % 4_000_000_000),
            _ => format!("{}.{:03}", next() % 4_000_000_000, ms),
        });
    }
    out
}

#[test]
fn timestamps_match_botocore() {
    let inputs = inputs();
    let Some(python) = peers::python("timestamps_match_botocore") else {
        return;
    };
    let mut child = peers::command(python, "botocore_timestamps.py")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run the peers' python");
    let mut stdin = child.stdin.take().unwrap();
    let text = inputs.join("\n") + "\n";
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(output.status.success(), "botocore_timestamps.py failed");
    let answers: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(answers.len(), inputs.len());
    for (input, answer) in inputs.iter().zip(&answers) {
        let ours = serde_json::from_str::<Timestamp>(input)
            .map(|t| t.as_millis().to_string())
            .unwrap_or_else(|_| "error".to_string());
        assert_eq!(&ours, answer, "input {input}");
    }
}
