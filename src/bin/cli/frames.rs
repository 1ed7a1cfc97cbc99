//! `kinesis-codec frames decode|encode`: event-stream frames to JSON lines and back.
//!
//! `frames decode` reads event-stream bytes and prints one JSON object per frame, one per line,
//! in one of two forms; `frames encode` reads such objects (either form, one per line or
//! pretty-printed, separated by whitespace) and writes the frames. `decode | encode` gives back
//! the input bytes exactly.
//!
//! # The vector form (`--format vector`)
//!
//! Exactly the decoded form of the cross-SDK test vectors (aws-sdk-go `testdata/decoded`):
//!
//! ```text
//! {"total_length":61,"headers_length":32,"prelude_crc":134054806,
//!  "headers":[{"name":"content-type","type":7,"value":"YXBwbGljYXRpb24vanNvbg=="}],
//!  "payload":"eydmb28nOidiYXInfQ==","message_crc":-1919153999}
//! ```
//!
//! CRCs are signed 32-bit integers; `type` is the wire type id 0..=9; byte array, string and UUID
//! values are base64; timestamps are milliseconds; bools and integers are JSON values. On encode
//! the four numbers are checked against the frame that the headers and payload produce (CRCs
//! signed or unsigned).
//!
//! # The human form (default)
//!
//! ```text
//! {"offset":0,"length":114,"headers":[{"name":":message-type","type":"string","value":"event"},
//!  {"name":"at","type":"timestamp","value":1732226112345,"utc":"2024-11-21T21:55:12.345Z"}],
//!  "payload":{}}
//! ```
//!
//! - `offset` (byte offset of the frame in the stream) and `length` (`total_len`) are for
//!   reading; encode ignores them.
//! - Header `type` is a name: `bool`, `byte`, `int16`, `int32`, `int64` (JSON numbers or
//!   `true`/`false`), `bytes` (lowercase hex), `string` (the text), `timestamp` (milliseconds
//!   since the epoch; `utc` is an ISO 8601 rendering for reading, ignored by encode) or `uuid`
//!   (hyphenated lowercase hex).
//! - The payload is exactly one of: `payload`, the payload's own JSON text embedded verbatim
//!   (used when the payload is valid JSON with no surrounding whitespace and no line breaks, so
//!   encode gets back the same bytes); `payload_text`, a JSON string (UTF-8 that is not such JSON,
//!   and the empty payload); `payload_base64`, base64 of any other bytes.
//!
//! # Errors
//!
//! A bad frame stops `decode`: the frames before it are printed, then one line on standard error
//! names the frame (counted from 1), its byte offset and the error, and the exit status is 1.
//! A bad input object stops `encode` the same way. Usage errors exit with status 2; a FILE that
//! cannot be opened exits with status 1, naming it (see the `stdio` module).

use std::fmt;
use std::io::{self, BufReader, BufWriter};
use std::process::ExitCode;

use crate::frames_decode::decode_stream;
use crate::frames_encode::encode_stream;
use crate::stdio;

const USAGE: &str = "\
USAGE:
    kinesis-codec frames decode [--format human|vector] [FILE|-]
    kinesis-codec frames encode [FILE|-]

decode: event-stream bytes in, one JSON object per frame out (JSON lines).
  --format human   (default) strings as text, JSON payloads inline:
                   {\"offset\",\"length\",\"headers\":[{\"name\",\"type\":\"string\",\"value\"}],
                    \"payload\" (JSON text) | \"payload_text\" (string) | \"payload_base64\"}
                   header types: bool byte int16 int32 int64 bytes(hex) string
                   timestamp(ms, with \"utc\") uuid(hyphenated)
  --format vector  the cross-SDK test-vector form: total_length, headers_length,
                   prelude_crc, message_crc (signed 32-bit), headers {name, type 0..9,
                   value; strings/bytes/uuid in base64, timestamps in ms}, payload base64
encode: JSON objects in either form (JSON lines or pretty-printed), frames out.

Input is read from FILE, or from standard input when FILE is `-` or absent.
A bad frame (decode) or a bad object (encode) stops the run after the ones before it.
";

/// How `frames decode` prints a frame.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Vector,
}

fn unusable(message: &str) -> ExitCode {
    say_part!("kinesis-codec frames: {message}\n\n{USAGE}");
    ExitCode::from(stdio::UNUSABLE)
}

/// Runs `frames ARGS...`.
pub fn run(args: &[String]) -> ExitCode {
    let Some((cmd, rest)) = args.split_first() else {
        return unusable("missing `decode` or `encode`");
    };
    match cmd.as_str() {
        "decode" | "encode" => {}
        "-h" | "--help" | "help" => return help(),
        other => return unusable(&format!("unknown subcommand `{other}`")),
    }
    let mut format = Format::Human;
    let mut path: Option<&str> = None;
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        let value = match arg.as_str() {
            "-h" | "--help" => return help(),
            "--format" if cmd == "decode" => it.next().map(String::as_str),
            a if cmd == "decode" && a.starts_with("--format=") => a.strip_prefix("--format="),
            a if a.starts_with('-') && a != "-" => {
                return unusable(&format!("{cmd}: unknown option `{a}`"));
            }
            a => {
                if path.replace(a).is_some() {
                    return unusable(&format!("{cmd}: more than one input"));
                }
                continue;
            }
        };
        format = match value {
            Some("human") => Format::Human,
            Some("vector") => Format::Vector,
            other => {
                return unusable(&format!(
                    "decode: --format takes `human` or `vector`, not {}",
                    other.map_or("nothing".to_owned(), |v| format!("`{v}`"))
                ));
            }
        };
    }
    let input = match stdio::open_input(&format!("frames {cmd}"), path) {
        Ok(input) => input,
        Err(code) => return code,
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let result = if cmd == "decode" {
        decode_stream(input, &mut out, format)
    } else {
        encode_stream(BufReader::new(input), &mut out)
    };
    match result {
        Ok(()) => stdio::finish(Ok(()), &mut out),
        Err(Failure::Output(e)) => stdio::output_failed(&e),
        Err(failure) => {
            // What was decoded before the bad frame goes out first.
            let _ = io::Write::flush(&mut out);
            match failure {
                Failure::Input(e) => say!(
                    "kinesis-codec frames {cmd}: cannot read {}: {e}",
                    stdio::input_name(path)
                ),
                other => say!("kinesis-codec: {other}"),
            }
            ExitCode::from(stdio::BAD_INPUT)
        }
    }
}

fn help() -> ExitCode {
    stdio::print_stdout(&format!("{USAGE}\n{}\n", stdio::EXIT_STATUS))
}

/// Why `frames decode` or `frames encode` stopped.
pub enum Failure {
    /// A bad frame (decode) or a bad input object (encode), counted from 1.
    Frame {
        number: u64,
        offset: Option<u64>,
        why: String,
    },
    Input(io::Error),
    Output(io::Error),
}
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Frame {
                number,
                offset: Some(offset),
                why,
            } => write!(f, "frame {number} at byte {offset}: {why}"),
            Failure::Frame {
                number,
                offset: None,
                why,
            } => write!(f, "frame {number}: {why}"),
            Failure::Input(e) => write!(f, "reading input: {e}"),
            Failure::Output(e) => write!(f, "writing output: {e}"),
        }
    }
}
