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
//! A bad input object stops `encode` the same way. Usage errors exit with status 2.

use std::cell::Cell;
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::process::ExitCode;
use std::rc::Rc;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use kinesis_codec::eventstream::{
    decode, encode_to_vec, Decoded, Frame, Header, HeaderValue, PRELUDE_LEN,
};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

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
Exit status: 0 ok, 1 bad frame or bad input (one line on stderr), 2 usage.
";

/// A JSON value on `frames encode` input larger than this is refused (a 24 MiB payload as
/// escaped text fits).
const MAX_JSON_VALUE_LEN: u64 = 256 * 1024 * 1024;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Human,
    Vector,
}

/// Runs `frames ARGS...`.
pub fn run(args: &[String]) -> ExitCode {
    let Some((cmd, rest)) = args.split_first() else {
        eprint!("kinesis-codec frames: missing `decode` or `encode`\n\n{USAGE}");
        return ExitCode::from(2);
    };
    let mut format = Format::Human;
    let mut path: Option<&str> = None;
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        let value = match arg.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "--format" if cmd == "decode" => it.next().map(String::as_str),
            a if cmd == "decode" && a.starts_with("--format=") => a.strip_prefix("--format="),
            a if a.starts_with('-') && a != "-" => {
                eprint!("kinesis-codec frames {cmd}: unknown option `{a}`\n\n{USAGE}");
                return ExitCode::from(2);
            }
            a => {
                if path.replace(a).is_some() {
                    eprint!("kinesis-codec frames {cmd}: more than one input\n\n{USAGE}");
                    return ExitCode::from(2);
                }
                continue;
            }
        };
        format = match value {
            Some("human") => Format::Human,
            Some("vector") => Format::Vector,
            other => {
                eprint!(
                    "kinesis-codec frames decode: --format takes `human` or `vector`, not {}\n\n{USAGE}",
                    other.map_or("nothing".to_owned(), |v| format!("`{v}`"))
                );
                return ExitCode::from(2);
            }
        };
    }
    let input: Box<dyn Read> = match path {
        None | Some("-") => Box::new(io::stdin().lock()),
        Some(p) => match File::open(p) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("kinesis-codec: {p}: {e}");
                return ExitCode::from(1);
            }
        },
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let result = match cmd.as_str() {
        "decode" => decode_stream(input, &mut out, format),
        "encode" => encode_stream(BufReader::new(input), &mut out),
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => {
            eprint!("kinesis-codec frames: unknown subcommand `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let flushed = out.flush();
    match result.and(flushed.map_err(Failure::Output)) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that went away (`| head`) is not an error of ours.
        Err(Failure::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("kinesis-codec: {failure}");
            ExitCode::from(1)
        }
    }
}

/// Why `frames decode` or `frames encode` stopped.
enum Failure {
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

// ---------------------------------------------------------------------------------------------
// decode

/// Reads frames incrementally: the buffer only ever holds the frame being read, and it grows
/// only by what [`decode`] says is missing, which its limits bound (24 MiB payload by default).
fn decode_stream(
    mut input: Box<dyn Read>,
    out: &mut dyn Write,
    format: Format,
) -> Result<(), Failure> {
    let mut buf: Vec<u8> = Vec::new();
    let mut offset: u64 = 0;
    let mut number: u64 = 1;
    loop {
        match decode(&buf) {
            Ok(Decoded::Frame { frame, used }) => {
                write_frame(out, &frame, offset, format).map_err(Failure::Output)?;
                offset += used as u64;
                number += 1;
                buf.drain(..used);
            }
            Ok(Decoded::NeedMore { needed }) => {
                let before = buf.len();
                (&mut input)
                    .take(needed as u64)
                    .read_to_end(&mut buf)
                    .map_err(Failure::Input)?;
                let got = buf.len() - before;
                if got < needed {
                    if buf.is_empty() {
                        return Ok(());
                    }
                    return Err(Failure::Frame {
                        number,
                        offset: Some(offset),
                        why: truncated(&buf),
                    });
                }
            }
            Err(e) => {
                return Err(Failure::Frame {
                    number,
                    offset: Some(offset),
                    why: e.to_string(),
                })
            }
        }
    }
}

fn truncated(buf: &[u8]) -> String {
    match buf.get(..4).and_then(|b| <[u8; 4]>::try_from(b).ok()) {
        Some(len) if buf.len() >= PRELUDE_LEN => format!(
            "input ends inside the frame: {} of its {} bytes present",
            buf.len(),
            u32::from_be_bytes(len)
        ),
        _ => format!(
            "input ends inside the prelude: {} of its {PRELUDE_LEN} bytes present",
            buf.len()
        ),
    }
}

/// A header value as JSON; untagged, so each variant is written as the bare JSON value.
#[derive(Serialize)]
#[serde(untagged)]
enum JsonValue<'a> {
    Bool(bool),
    Int(i64),
    Str(&'a str),
    Owned(String),
}

#[derive(Serialize)]
struct VectorHeader<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    type_id: u8,
    value: JsonValue<'a>,
}

/// Field order as in the cross-SDK vector files.
#[derive(Serialize)]
struct VectorFrame<'a> {
    total_length: u32,
    headers_length: u32,
    prelude_crc: i32,
    headers: Vec<VectorHeader<'a>>,
    payload: String,
    message_crc: i32,
}

#[derive(Serialize)]
struct HumanHeader<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    type_name: &'static str,
    value: JsonValue<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    utc: Option<String>,
}

#[derive(Serialize)]
struct HumanFrame<'a> {
    offset: u64,
    length: u32,
    headers: Vec<HumanHeader<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payload: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payload_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payload_base64: Option<String>,
}

const TYPE_NAMES: [&str; 10] = [
    "bool",
    "bool",
    "byte",
    "int16",
    "int32",
    "int64",
    "bytes",
    "string",
    "timestamp",
    "uuid",
];

fn write_frame(
    out: &mut dyn Write,
    frame: &Frame<'_>,
    offset: u64,
    format: Format,
) -> io::Result<()> {
    match format {
        Format::Vector => {
            let headers = frame
                .headers()
                .map(|h| VectorHeader {
                    name: h.name,
                    type_id: h.value.type_id(),
                    value: match h.value {
                        HeaderValue::ByteArray(b) => JsonValue::Owned(B64.encode(b)),
                        HeaderValue::String(s) => JsonValue::Owned(B64.encode(s)),
                        HeaderValue::Uuid(u) => JsonValue::Owned(B64.encode(u)),
                        other => scalar(other),
                    },
                })
                .collect();
            serde_json::to_writer(
                &mut *out,
                &VectorFrame {
                    total_length: frame.total_len(),
                    headers_length: frame.headers_len(),
                    prelude_crc: frame.prelude_crc() as i32,
                    headers,
                    payload: B64.encode(frame.payload()),
                    message_crc: frame.message_crc() as i32,
                },
            )?;
        }
        Format::Human => {
            let headers = frame
                .headers()
                .map(|h| HumanHeader {
                    name: h.name,
                    type_name: TYPE_NAMES
                        .get(usize::from(h.value.type_id()))
                        .copied()
                        .unwrap_or("unknown"),
                    value: match h.value {
                        HeaderValue::ByteArray(b) => JsonValue::Owned(hex(b)),
                        HeaderValue::String(s) => JsonValue::Str(s),
                        HeaderValue::Uuid(u) => JsonValue::Owned(uuid_text(&u)),
                        other => scalar(other),
                    },
                    utc: match h.value {
                        HeaderValue::Timestamp(ms) => utc_text(ms),
                        _ => None,
                    },
                })
                .collect();
            let payload = frame.payload();
            let mut human = HumanFrame {
                offset,
                length: frame.total_len(),
                headers,
                payload: None,
                payload_text: None,
                payload_base64: None,
            };
            if let Some(json) = verbatim_json(payload) {
                human.payload = Some(json);
            } else if let Ok(text) = std::str::from_utf8(payload) {
                human.payload_text = Some(text);
            } else {
                human.payload_base64 = Some(B64.encode(payload));
            }
            serde_json::to_writer(&mut *out, &human)?;
        }
    }
    out.write_all(b"\n")
}

fn scalar(value: HeaderValue<'_>) -> JsonValue<'_> {
    match value {
        HeaderValue::Bool(b) => JsonValue::Bool(b),
        HeaderValue::Byte(v) => JsonValue::Int(v.into()),
        HeaderValue::Int16(v) => JsonValue::Int(v.into()),
        HeaderValue::Int32(v) => JsonValue::Int(v.into()),
        HeaderValue::Int64(v) | HeaderValue::Timestamp(v) => JsonValue::Int(v),
        HeaderValue::ByteArray(b) => JsonValue::Owned(hex(b)),
        HeaderValue::String(s) => JsonValue::Str(s),
        HeaderValue::Uuid(u) => JsonValue::Owned(uuid_text(&u)),
    }
}

/// The payload as a JSON value to embed verbatim, when that gives back exactly its bytes: valid
/// JSON, no whitespace around it (a parser drops it) and no line break in it (JSON lines).
fn verbatim_json(payload: &[u8]) -> Option<&RawValue> {
    if payload.iter().any(|&b| b == b'\n' || b == b'\r') {
        return None;
    }
    let raw: &RawValue = serde_json::from_slice(payload).ok()?;
    (raw.get().len() == payload.len()).then_some(raw)
}

fn hex(bytes: &[u8]) -> String {
    use fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|d| u8::from_str_radix(d, 16).ok())
        })
        .collect()
}

fn uuid_text(u: &[u8; 16]) -> String {
    let h = hex(u);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn uuid_parse(text: &str) -> Option<[u8; 16]> {
    let compact: String = match text.len() {
        32 => text.to_owned(),
        36 if [8, 13, 18, 23]
            .iter()
            .all(|&i| text.get(i..=i) == Some("-")) =>
        {
            text.split('-').collect()
        }
        _ => return None,
    };
    unhex(&compact)?.try_into().ok()
}

/// Milliseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`, for years 0..=9999.
fn utc_text(ms: i64) -> Option<String> {
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    // Civil date from days since 1970-01-01 (proleptic Gregorian, 400-year eras).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    if !(0..=9999).contains(&year) {
        return None;
    }
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    ))
}

// ---------------------------------------------------------------------------------------------
// encode

/// One input object, either form. Which fields are present decides the form.
#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a frame object: {\"headers\": [...], \"payload\" | \"payload_text\" | \"payload_base64\": ...} or the vector form"
)]
struct FrameIn {
    // vector form
    total_length: Option<i64>,
    headers_length: Option<i64>,
    prelude_crc: Option<i64>,
    message_crc: Option<i64>,
    // human form (informational)
    #[allow(dead_code)]
    offset: Option<u64>,
    #[allow(dead_code)]
    length: Option<u64>,
    #[serde(default)]
    headers: Vec<HeaderIn>,
    /// Verbatim JSON (human) or base64 (vector); `null` is the payload `null`, not absence.
    #[serde(default, deserialize_with = "present_raw")]
    payload: Option<Box<RawValue>>,
    payload_text: Option<String>,
    payload_base64: Option<String>,
}

fn present_raw<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Box<RawValue>>, D::Error> {
    Box::<RawValue>::deserialize(d).map(Some)
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a header object: {\"name\", \"type\", \"value\"}"
)]
struct HeaderIn {
    name: String,
    #[serde(rename = "type")]
    type_: serde_json::Value,
    value: Option<serde_json::Value>,
    #[allow(dead_code)]
    utc: Option<serde_json::Value>,
}

/// An owned header value, the input of [`HeaderValue`].
enum Owned {
    Bool(bool),
    Byte(i8),
    Int16(i16),
    Int32(i32),
    Int64(i64),
    Bytes(Vec<u8>),
    Str(String),
    Timestamp(i64),
    Uuid([u8; 16]),
}

impl Owned {
    fn borrow(&self) -> HeaderValue<'_> {
        match self {
            Owned::Bool(v) => HeaderValue::Bool(*v),
            Owned::Byte(v) => HeaderValue::Byte(*v),
            Owned::Int16(v) => HeaderValue::Int16(*v),
            Owned::Int32(v) => HeaderValue::Int32(*v),
            Owned::Int64(v) => HeaderValue::Int64(*v),
            Owned::Bytes(v) => HeaderValue::ByteArray(v),
            Owned::Str(v) => HeaderValue::String(v),
            Owned::Timestamp(v) => HeaderValue::Timestamp(*v),
            Owned::Uuid(v) => HeaderValue::Uuid(*v),
        }
    }
}

/// Counts the bytes read since the last reset, so one JSON value cannot grow without bound.
struct Limited<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.count.get() > MAX_JSON_VALUE_LEN {
            return Err(io::Error::other(format!(
                "a JSON value over {MAX_JSON_VALUE_LEN} bytes"
            )));
        }
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

fn encode_stream(input: BufReader<Box<dyn Read>>, out: &mut dyn Write) -> Result<(), Failure> {
    let count = Rc::new(Cell::new(0));
    let reader = Limited {
        inner: input,
        count: Rc::clone(&count),
    };
    let values = serde_json::Deserializer::from_reader(reader).into_iter::<FrameIn>();
    let mut frame = Vec::new();
    for (number, value) in (1u64..).zip(values) {
        let fail = |why: String| Failure::Frame {
            number,
            offset: None,
            why,
        };
        let value = value.map_err(|e| match e.io_error_kind() {
            Some(_) if count.get() <= MAX_JSON_VALUE_LEN => Failure::Input(e.into()),
            _ => fail(e.to_string()),
        })?;
        count.set(0);
        frame.clear();
        encode_one(&value, &mut frame).map_err(fail)?;
        out.write_all(&frame).map_err(Failure::Output)?;
    }
    Ok(())
}

fn encode_one(value: &FrameIn, frame: &mut Vec<u8>) -> Result<(), String> {
    let vector = value.total_length.is_some()
        || value.headers_length.is_some()
        || value.prelude_crc.is_some()
        || value.message_crc.is_some();
    let mut owned = Vec::with_capacity(value.headers.len());
    for (i, h) in value.headers.iter().enumerate() {
        let v = if vector {
            vector_header(h)
        } else {
            human_header(h)
        };
        owned.push(v.map_err(|why| format!("headers[{i}] ({:?}): {why}", h.name))?);
    }
    let payload = if vector {
        if value.payload_text.is_some() || value.payload_base64.is_some() {
            return Err("the vector form takes `payload` (base64) only".into());
        }
        match &value.payload {
            None => Vec::new(),
            Some(raw) => {
                let text: String = serde_json::from_str(raw.get())
                    .map_err(|_| "`payload` must be a base64 string in the vector form")?;
                B64.decode(text)
                    .map_err(|e| format!("`payload` is not base64: {e}"))?
            }
        }
    } else {
        match (&value.payload, &value.payload_text, &value.payload_base64) {
            (Some(raw), None, None) => raw.get().as_bytes().to_vec(),
            (None, Some(text), None) => text.as_bytes().to_vec(),
            (None, None, Some(b64)) => B64
                .decode(b64)
                .map_err(|e| format!("`payload_base64` is not base64: {e}"))?,
            (None, None, None) => Vec::new(),
            _ => {
                return Err(
                    "give at most one of `payload`, `payload_text`, `payload_base64`".into(),
                )
            }
        }
    };
    let headers: Vec<Header<'_>> = value
        .headers
        .iter()
        .zip(&owned)
        .map(|(h, v)| Header {
            name: &h.name,
            value: v.borrow(),
        })
        .collect();
    encode_to_vec(&headers, &payload, frame).map_err(|e| e.to_string())?;
    if vector {
        check_vector_fields(value, frame)?;
    }
    Ok(())
}

fn be32(frame: &[u8], at: usize) -> u32 {
    frame
        .get(at..at + 4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map_or(0, u32::from_be_bytes)
}

/// The vector form states the frame's lengths and CRCs: they must be the ones encoded.
fn check_vector_fields(value: &FrameIn, frame: &[u8]) -> Result<(), String> {
    let actual = [
        ("total_length", be32(frame, 0)),
        ("headers_length", be32(frame, 4)),
        ("prelude_crc", be32(frame, 8)),
        ("message_crc", be32(frame, frame.len().saturating_sub(4))),
    ];
    let given = [
        value.total_length,
        value.headers_length,
        value.prelude_crc,
        value.message_crc,
    ];
    for ((field, actual), given) in actual.into_iter().zip(given) {
        if let Some(given) = given {
            // Accept the signed (vector files) and the unsigned spelling of the same 32 bits.
            let same = given == i64::from(actual) || given == i64::from(actual as i32);
            if !same {
                return Err(format!(
                    "{field} is {given} but the frame built from the headers and payload has \
                     {actual} ({actual:#010x})"
                ));
            }
        }
    }
    Ok(())
}

fn int_in<T: TryFrom<i64>>(value: Option<&serde_json::Value>, what: &str) -> Result<T, String> {
    value
        .and_then(serde_json::Value::as_i64)
        .and_then(|v| T::try_from(v).ok())
        .ok_or_else(|| format!("`value` must be an integer in the range of {what}"))
}

fn str_in<'v>(value: Option<&'v serde_json::Value>, what: &str) -> Result<&'v str, String> {
    value
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| format!("`value` must be a string ({what})"))
}

fn b64_in(value: Option<&serde_json::Value>) -> Result<Vec<u8>, String> {
    B64.decode(str_in(value, "base64")?)
        .map_err(|e| format!("`value` is not base64: {e}"))
}

fn vector_header(h: &HeaderIn) -> Result<Owned, String> {
    let type_id = h
        .type_
        .as_u64()
        .ok_or("the vector form gives `type` as a number 0..=9")?;
    let value = h.value.as_ref();
    Ok(match type_id {
        0 | 1 => {
            let b = type_id == 0;
            if value.is_some_and(|v| v.as_bool() != Some(b)) {
                return Err(format!("type {type_id} is bool {b}, `value` disagrees"));
            }
            Owned::Bool(b)
        }
        2 => Owned::Byte(int_in(value, "i8")?),
        3 => Owned::Int16(int_in(value, "i16")?),
        4 => Owned::Int32(int_in(value, "i32")?),
        5 => Owned::Int64(int_in(value, "i64")?),
        6 => Owned::Bytes(b64_in(value)?),
        7 => {
            Owned::Str(String::from_utf8(b64_in(value)?).map_err(|_| "string value is not UTF-8")?)
        }
        8 => Owned::Timestamp(int_in(value, "i64 milliseconds")?),
        9 => Owned::Uuid(
            b64_in(value)?
                .try_into()
                .map_err(|_| "a UUID value is 16 bytes")?,
        ),
        other => return Err(format!("unknown header type {other}")),
    })
}

fn human_header(h: &HeaderIn) -> Result<Owned, String> {
    let type_name = h
        .type_
        .as_str()
        .ok_or("the human form gives `type` as a name (bool, byte, int16, int32, int64, bytes, string, timestamp, uuid)")?;
    let value = h.value.as_ref();
    Ok(match type_name {
        "bool" => Owned::Bool(
            value
                .and_then(serde_json::Value::as_bool)
                .ok_or("`value` must be true or false")?,
        ),
        "byte" => Owned::Byte(int_in(value, "i8")?),
        "int16" => Owned::Int16(int_in(value, "i16")?),
        "int32" => Owned::Int32(int_in(value, "i32")?),
        "int64" => Owned::Int64(int_in(value, "i64")?),
        "bytes" => Owned::Bytes(
            unhex(str_in(value, "hex")?).ok_or("`value` must be hex digits, two per byte")?,
        ),
        "string" => Owned::Str(str_in(value, "text")?.to_owned()),
        "timestamp" => Owned::Timestamp(int_in(value, "i64 milliseconds")?),
        "uuid" => Owned::Uuid(
            uuid_parse(str_in(value, "UUID")?)
                .ok_or("`value` must be a UUID: 32 hex digits, hyphenated 8-4-4-4-12 or not")?,
        ),
        other => return Err(format!("unknown header type `{other}`")),
    })
}
