//! `frames decode`: event-stream bytes in, one JSON object per frame out, in the human or the
//! vector form (see the `frames` module doc for both).

use std::fmt;
use std::io::{self, BufReader, Read, Write};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use kinesis_codec::eventstream::{
    Frame, FrameReader, HeaderValue, Prelude, ReadError, PRELUDE_LEN,
};
use kinesis_codec::kinesis::subscribe;
use serde::Serialize;
use serde_json::value::RawValue;

use crate::frames::{Failure, Format};

/// Prints the frames of `input` as [`FrameReader`] reads them: it holds only the frame being
/// read, checks each prelude as soon as its 12 bytes are in, and grows with the bytes that
/// arrive, within its limits (24 MiB payload by default). The SubscribeToShard header values
/// are known to it ([`subscribe::DECODE_OPTIONS`]); any other stream decodes the same.
pub fn decode_stream(
    input: Box<dyn Read>,
    out: &mut dyn Write,
    format: Format,
) -> Result<(), Failure> {
    let mut reader = FrameReader::with_options(BufReader::new(input), subscribe::DECODE_OPTIONS);
    let mut number: u64 = 1;
    loop {
        let offset = reader.offset();
        let why = match reader.next_frame() {
            Ok(Some(frame)) => {
                write_frame(out, &frame, offset, format).map_err(Failure::Output)?;
                number = number.saturating_add(1);
                continue;
            }
            Ok(None) => return Ok(()),
            Err(ReadError::Io(e)) => return Err(Failure::Input(e)),
            Err(ReadError::UnexpectedEof { .. }) => truncated(reader.buffered()),
            Err(ReadError::Decode(e)) => e.to_string(),
            // `ReadError` may grow: its own text.
            Err(e) => e.to_string(),
        };
        return Err(Failure::Frame {
            number,
            offset: Some(offset),
            why,
        });
    }
}

/// Why the input ended inside a frame, from the bytes of it that are present.
fn truncated(buf: &[u8]) -> String {
    match Prelude::parse(buf) {
        Some(prelude) => format!(
            "input ends inside the frame: {} of its {} bytes present",
            buf.len(),
            prelude.total_len
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
    let mut s = String::with_capacity(bytes.len().saturating_mul(2));
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// A UUID as hyphenated lowercase hex, 8-4-4-4-12.
fn uuid_text(u: &[u8; 16]) -> String {
    use fmt::Write as _;
    let mut s = String::with_capacity(36);
    for (i, b) in u.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Milliseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`, for years 0..=9999.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "for any i64 `ms`, |days| < 1.1e11, so no sum or product below passes 2^40; \
              the divisors are non-zero constants"
)]
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
