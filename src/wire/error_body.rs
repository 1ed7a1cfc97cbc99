//! Error bodies of the JSON 1.1 protocol: reading the code and message, writing a body as a
//! server sends it. Used by the generated `Error` enums of both services.

use alloc::borrow::Cow;
use alloc::string::ToString;
use alloc::vec::Vec;
use core::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::{error_code, parse_body, WireError};

/// The code and message of an error body, read leniently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorEnvelope<'a> {
    /// The error code: `__type` after the `__type` rule, else the HTTP status as text, else "".
    pub code: Cow<'a, str>,
    /// `message`, else `Message`, else (for a body that is not JSON) the body text.
    pub message: Option<Cow<'a, str>>,
}

/// The members botocore looks at; anything else, including values of other types, is skipped.
#[derive(Default)]
struct Fields<'a> {
    type_field: Option<Cow<'a, str>>,
    message_lower: Option<Cow<'a, str>>,
    message_upper: Option<Cow<'a, str>>,
}

struct FieldsVisitor;

/// A string, or `None` for a value of any other type.
struct MaybeStr<'a>(Option<Cow<'a, str>>);

struct MaybeStrVisitor;

impl<'de> Visitor<'de> for MaybeStrVisitor {
    type Value = MaybeStr<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(MaybeStr(Some(Cow::Borrowed(v))))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(MaybeStr(Some(Cow::Owned(v.to_string()))))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(MaybeStr(None))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(MaybeStr(None))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(MaybeStr(None))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(MaybeStr(None))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(MaybeStr(None))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(MaybeStr(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(MaybeStr(None))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for MaybeStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MaybeStrVisitor)
    }
}

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = Fields::default();
        while let Some(key) = map.next_key::<super::de::BorrowStr<'de>>()? {
            let slot = match &*key.0 {
                "__type" => &mut fields.type_field,
                "message" => &mut fields.message_lower,
                "Message" => &mut fields.message_upper,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = map.next_value::<MaybeStr<'de>>()?.0;
        }
        Ok(fields)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Fields<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(FieldsVisitor)
    }
}

impl<'a> ErrorEnvelope<'a> {
    /// Reads the code and message of an error body; never fails (botocore's rules).
    ///
    /// - A JSON object: code from `__type` (the `__type` rule), message from `message`, else
    ///   `Message`.
    /// - No `__type`: the code is `http_status` as decimal text (`"400"`), or `""` without one.
    /// - Not a JSON object (empty, HTML, truncated): code as above, message = the body text if
    ///   it is non-empty UTF-8.
    pub fn parse(body: &'a [u8], http_status: Option<u16>) -> Self {
        let status_code = || match http_status {
            Some(status) => Cow::Owned(status.to_string()),
            None => Cow::Borrowed(""),
        };
        let mut de = serde_json::Deserializer::from_slice(body);
        let parsed = Fields::deserialize(&mut de).and_then(|f| de.end().map(|()| f));
        match parsed {
            Ok(fields) => ErrorEnvelope {
                code: match fields.type_field {
                    Some(Cow::Borrowed(t)) => Cow::Borrowed(error_code(t)),
                    Some(Cow::Owned(t)) => Cow::Owned(error_code(&t).to_string()),
                    None => status_code(),
                },
                message: fields.message_lower.or(fields.message_upper),
            },
            Err(_) => ErrorEnvelope {
                code: status_code(),
                message: core::str::from_utf8(body)
                    .ok()
                    .filter(|text| !text.is_empty())
                    .map(Cow::Borrowed),
            },
        }
    }
}

/// Parses the members of a modeled exception (an empty body reads as `{}`).
pub fn parse_members<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, WireError> {
    parse_body(body)
}

/// Appends `{"message": ...}` or `{}` to `out`.
pub fn message_only(message: Option<&str>, out: &mut Vec<u8>) {
    #[derive(serde::Serialize)]
    struct Only<'m> {
        #[serde(skip_serializing_if = "Option::is_none")]
        message: Option<&'m str>,
    }
    super::to_writer(&Only { message }, out)
}

/// Puts `"__type": code` first into a JSON object holding the other members.
///
/// An empty `code` means the body had no `__type` (and no status was given to stand in for
/// it): no `__type` is written then, so that a reader takes the HTTP status as the code, as it
/// did for the original body (the spec: "No `__type`: the HTTP status decides").
pub fn with_type(code: &str, members: &[u8]) -> Vec<u8> {
    if code.is_empty() {
        return if members.starts_with(b"{") {
            members.to_vec()
        } else {
            b"{}".to_vec()
        };
    }
    let mut out = Vec::with_capacity(members.len().saturating_add(code.len()).saturating_add(16));
    out.extend_from_slice(b"{\"__type\":");
    super::to_writer(code, &mut out);
    match members.strip_prefix(b"{") {
        Some(rest) if rest.starts_with(b"}") => out.push(b'}'),
        Some(rest) => {
            out.push(b',');
            out.extend_from_slice(rest);
        }
        None => out.push(b'}'),
    }
    out
}
