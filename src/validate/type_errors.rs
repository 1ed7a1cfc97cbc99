//! The type errors the service reports as `SerializationException`, with its texts, found by
//! walking a JSON body against the operation's [`Type`].
//!
//! spec/validation.md: "Type errors (a string where an integer belongs, a malformed blob, an
//! object where a list belongs) are `SerializationException`, status 400, decided before any
//! constraint"; the texts are those seen from the service (through kinesalite, whose texts were
//! checked against it). A `null` is an absent member; unknown members are ignored; members are
//! visited in model order, list entries in order, map values in key order.

use alloc::format;
use alloc::string::{String, ToString};

use serde_json::Value;

use super::types::Type;

const LIST: &str = "Start of list found where not expected";
const OBJECT: &str = "Start of structure or map found where not expected.";
const NUMBER: &str = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber";

/// The first type error of `value` against `ty`, as the service words it.
pub fn first(value: &Value, ty: &Type) -> Option<String> {
    match (ty, value) {
        (_, Value::Null) => None,
        (Type::Struct(members), Value::Object(object)) => members
            .iter()
            .find_map(|(name, ty)| object.get(*name).and_then(|v| first(v, ty))),
        (Type::List(entry), Value::Array(entries)) => entries.iter().find_map(|v| first(v, entry)),
        (Type::Map(entry), Value::Object(object)) => object.values().find_map(|v| first(v, entry)),
        (Type::Struct(_) | Type::Map(_), Value::Array(_)) => Some(LIST.to_string()),
        (Type::List(_), Value::Object(_)) => Some(OBJECT.to_string()),
        (Type::Struct(_), _) => Some("Expected null".to_string()),
        (Type::List(_), _) => Some("Expected list or null".to_string()),
        (Type::Map(_), _) => Some("Expected map or null".to_string()),
        (_, Value::Array(_)) => Some(LIST.to_string()),
        (_, Value::Object(_)) => Some(OBJECT.to_string()),
        (Type::Str, Value::String(_)) | (Type::Bool, Value::Bool(_)) => None,
        (Type::Str, Value::Bool(_)) => Some(boolean("an String")),
        (Type::Str, Value::Number(_)) => {
            Some(format!("{NUMBER} can not be converted to an String"))
        }
        (Type::Bool, Value::Number(_)) => {
            Some(format!("{NUMBER} can not be converted to an Boolean"))
        }
        (Type::Bool, Value::String(text)) => Some(format!(
            "'{}' can not be converted to an Boolean",
            text.to_uppercase()
        )),
        (Type::Whole(_) | Type::Double | Type::Timestamp, Value::Number(_)) => None,
        (Type::Whole(name), Value::Bool(_)) => Some(boolean(&format!("an {name}"))),
        (Type::Whole(name), Value::String(_)) => Some(string(&format!("an {name}"))),
        (Type::Double, Value::Bool(_)) => Some(boolean("an Double")),
        (Type::Double, Value::String(_)) => Some(string("an Double")),
        (Type::Timestamp, Value::Bool(_)) => Some(boolean("milliseconds since epoch")),
        (Type::Timestamp, Value::String(_)) => Some(string("milliseconds since epoch")),
        (Type::Blob, Value::Bool(_)) => Some(boolean("a Blob")),
        (Type::Blob, Value::Number(_)) => Some(format!("{NUMBER} can not be converted to a Blob")),
        (Type::Blob, Value::String(text)) => blob(text),
    }
}

fn boolean(to: &str) -> String {
    format!("class java.lang.Boolean can not be converted to {to}")
}

fn string(to: &str) -> String {
    format!("class java.lang.String can not be converted to {to}")
}

/// A base64 text the service does not take: a length not a multiple of 4 (in UTF-16 units), a
/// character outside the alphabet (or after `=`), or pad bits that are not zero.
fn blob(text: &str) -> Option<String> {
    let len = super::check::utf16_len(text);
    let refuse = |why: &str| Some(format!("'{text}' can not be converted to a Blob: {why}"));
    if !len.is_multiple_of(4) {
        return refuse(&format!(
            "Base64 encoded length is expected a multiple of 4 bytes but found: {len}"
        ));
    }
    let mut after_pad = false;
    for c in text.chars() {
        let alphabet = c.is_ascii_alphanumeric() || c == '+' || c == '/';
        if c != '=' && (after_pad || !alphabet) {
            let shown = if after_pad { '=' } else { c };
            return refuse(&format!("Invalid Base64 character: '{shown}'"));
        }
        after_pad |= c == '=';
    }
    // The bits the last character carries beyond the data must be zero. (sic: "dectected")
    if !canonical(text) {
        return refuse("Invalid last non-pad Base64 character dectected");
    }
    None
}

/// Whether the unused low bits of the last data character are zero.
fn canonical(text: &str) -> bool {
    let pad = text.bytes().rev().take_while(|&b| b == b'=').count();
    let Some(last) = text.trim_end_matches('=').bytes().last() else {
        return true;
    };
    let value = match last {
        b'A'..=b'Z' => last.wrapping_sub(b'A'),
        b'a'..=b'z' => last.wrapping_sub(b'a').wrapping_add(26),
        b'0'..=b'9' => last.wrapping_sub(b'0').wrapping_add(52),
        b'+' => 62,
        _ => 63,
    };
    match pad {
        1 => value & 0b11 == 0,
        2 => value & 0b1111 == 0,
        _ => true,
    }
}
