//! `frames encode`: JSON objects in (either form, JSON lines or pretty-printed), event-stream
//! frames out, each checked against what the vector form states of it.

use std::cell::Cell;
use std::io::{self, BufReader, Read, Write};
use std::rc::Rc;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use kinesis_codec::eventstream::{decode_exact, encode_to_vec, Header, OwnedHeaderValue as Owned};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::frames::Failure;

/// A JSON value on `frames encode` input larger than this is refused (a 24 MiB payload as
/// escaped text fits).
const MAX_JSON_VALUE_LEN: u64 = 256 * 1024 * 1024;

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
        // n <= buf.len(); the count stops growing once over the limit (checked above).
        self.count.set(
            self.count
                .get()
                .saturating_add(u64::try_from(n).unwrap_or(u64::MAX)),
        );
        Ok(n)
    }
}

pub fn encode_stream(input: BufReader<Box<dyn Read>>, out: &mut dyn Write) -> Result<(), Failure> {
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
            value: v.as_value(),
        })
        .collect();
    encode_to_vec(&headers, &payload, frame).map_err(|e| e.to_string())?;
    if vector {
        check_vector_fields(value, frame)?;
    }
    Ok(())
}

/// The vector form states the frame's lengths and CRCs: they must be the ones encoded.
fn check_vector_fields(value: &FrameIn, frame: &[u8]) -> Result<(), String> {
    // encode_to_vec writes only frames the default decoder takes back.
    let frame = decode_exact(frame).map_err(|e| {
        debug_assert!(false, "an encoded frame that does not decode: {e}");
        format!("internal error: an encoded frame that does not decode: {e}")
    })?;
    let actual = [
        ("total_length", frame.total_len()),
        ("headers_length", frame.headers_len()),
        ("prelude_crc", frame.prelude_crc()),
        ("message_crc", frame.message_crc()),
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
        6 => Owned::ByteArray(b64_in(value)?),
        7 => Owned::String(
            String::from_utf8(b64_in(value)?).map_err(|_| "string value is not UTF-8")?,
        ),
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
        "bytes" => Owned::ByteArray(
            unhex(str_in(value, "hex")?).ok_or("`value` must be hex digits, two per byte")?,
        ),
        "string" => Owned::String(str_in(value, "text")?.to_owned()),
        "timestamp" => Owned::Timestamp(int_in(value, "i64 milliseconds")?),
        "uuid" => Owned::Uuid(
            uuid_parse(str_in(value, "UUID")?)
                .ok_or("`value` must be a UUID: 32 hex digits, hyphenated 8-4-4-4-12 or not")?,
        ),
        other => return Err(format!("unknown header type `{other}`")),
    })
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    text.as_bytes()
        .chunks_exact(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|d| u8::from_str_radix(d, 16).ok())
        })
        .collect()
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
