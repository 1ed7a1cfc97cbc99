//! Error bodies of the JSON 1.1 and CBOR protocols: reading the code and message, writing a body as a
//! server sends it. Used by the generated `Error` enums of both services.

use alloc::borrow::Cow;
use alloc::string::ToString;
use alloc::vec::Vec;

use serde::de::Deserialize;

use super::{error_code, parse_body, WireError};
use crate::json::error_body::{ErrorMembers, Strictness};
use crate::json::JsonStr;

/// The code and message of an error body, read leniently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorEnvelope<'a> {
    /// The error code: `__type` after the `__type` rule, else the HTTP status as text, else "".
    pub code: Cow<'a, str>,
    /// `message`, else `Message`, else (for a body that is not JSON) the body text.
    pub message: Option<Cow<'a, str>>,
}

/// A member's text: borrowed when it holds no escapes, else decoded into a `String`.
fn text(s: JsonStr<'_>) -> Cow<'_, str> {
    match s.as_str() {
        Some(text) => Cow::Borrowed(text),
        None => Cow::Owned(s.chars().collect()),
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
        match ErrorMembers::read(body, Strictness::Lenient) {
            Ok(members) => ErrorEnvelope {
                code: match members.error_type.map(text) {
                    Some(Cow::Borrowed(t)) => Cow::Borrowed(error_code(t)),
                    Some(Cow::Owned(t)) => Cow::Owned(error_code(&t).to_string()),
                    None => status_code(),
                },
                message: members.message().map(text),
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

/// Appends the members of an error the model does not name, `{"message": ...}` or `{}`, to
/// `out` in `protocol`.
///
/// `SerializationException` spells its member `Message`, as the service sends it
/// (`spec/validation.md`: "Type errors (`SerializationException`, member `Message` with a
/// capital M)"); readers take either spelling ([`ErrorEnvelope::parse`]).
pub fn unknown_members_in(
    protocol: super::Protocol,
    code: &str,
    message: Option<&str>,
    out: &mut Vec<u8>,
) {
    #[derive(serde::Serialize)]
    struct Lower<'m> {
        #[serde(skip_serializing_if = "Option::is_none")]
        message: Option<&'m str>,
    }
    #[derive(serde::Serialize)]
    struct Upper<'m> {
        #[serde(rename = "Message", skip_serializing_if = "Option::is_none")]
        message: Option<&'m str>,
    }
    if code == "SerializationException" {
        super::to_writer_in(protocol, &Upper { message }, out)
    } else {
        super::to_writer_in(protocol, &Lower { message }, out)
    }
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

impl<'a> ErrorEnvelope<'a> {
    /// [`parse`](Self::parse) for a CBOR error body: a map `{"__type": T, "message": M, ...}`
    /// (`spec/cbor.md`; the `__type` rule is JSON's). A body that is not a CBOR map gives the
    /// code from `http_status` and no message (its bytes are not text).
    pub fn parse_cbor(body: &'a [u8], http_status: Option<u16>) -> Self {
        let status_code = || match http_status {
            Some(status) => Cow::Owned(status.to_string()),
            None => Cow::Borrowed(""),
        };
        let (error_type, message) = cbor_members(body).unwrap_or((None, None));
        ErrorEnvelope {
            code: match error_type {
                Some(Cow::Borrowed(t)) => Cow::Borrowed(error_code(t)),
                Some(Cow::Owned(t)) => Cow::Owned(error_code(&t).to_string()),
                None => status_code(),
            },
            message,
        }
    }
}

type Members<'a> = (Option<Cow<'a, str>>, Option<Cow<'a, str>>);

/// `__type` and `message` (else `Message`) of a CBOR map; `None` if the body is no CBOR map.
fn cbor_members(body: &[u8]) -> Option<Members<'_>> {
    use crate::cbor::{Item, Reader};
    let mut r = Reader::new(body);
    let len = match r.next_item().ok()? {
        Item::Map(len) => len,
        _ => return None,
    };
    let mut error_type = None;
    let mut lower = None;
    let mut upper = None;
    let mut left = len;
    loop {
        match &mut left {
            Some(0) => break,
            Some(n) => *n = n.saturating_sub(1),
            None if r.at_break() => break,
            None => {}
        }
        let key = cbor_text(&mut r)?;
        let slot = match &*key {
            "__type" => &mut error_type,
            "message" => &mut lower,
            "Message" => &mut upper,
            _ => {
                r.skip_value(1).ok()?;
                continue;
            }
        };
        if matches!(r.rest().first(), Some(0xf6 | 0xf7)) {
            let _ = r.next_item();
            continue;
        }
        *slot = Some(cbor_text(&mut r)?);
    }
    Some((error_type, lower.or(upper)))
}

/// A text string (definite: borrowed; chunked: joined), or `None` for anything else.
fn cbor_text<'a>(r: &mut crate::cbor::Reader<'a>) -> Option<Cow<'a, str>> {
    use crate::cbor::{Item, Major};
    match r.next_item().ok()? {
        Item::Text(t) => Some(Cow::Borrowed(t)),
        Item::TextChunked => {
            let mut out = alloc::string::String::new();
            while let Some(chunk) = r.next_chunk(Major::Text).ok()? {
                out.push_str(core::str::from_utf8(chunk).ok()?);
            }
            Some(Cow::Owned(out))
        }
        _ => None,
    }
}

/// [`with_type`] for CBOR: `"__type": code` first in a CBOR map holding the other members
/// (as [`to_cbor_vec`](super::to_cbor_vec) writes them).
pub fn with_type_cbor(code: &str, members: &[u8]) -> Vec<u8> {
    use crate::cbor::{head, write, Item, Reader};
    let mut r = Reader::new(members);
    let (pairs, rest) = match r.next_item() {
        Ok(Item::Map(Some(n))) => (n, r.rest()),
        _ => (0, &[][..]),
    };
    let mut out = Vec::with_capacity(members.len().saturating_add(code.len()).saturating_add(16));
    if code.is_empty() {
        let _ = head::write_head(&mut out, crate::cbor::Major::Map, pairs);
    } else {
        let _ = head::write_head(&mut out, crate::cbor::Major::Map, pairs.saturating_add(1));
        let _ = write::write_text(&mut out, "__type");
        let _ = write::write_text(&mut out, code);
    }
    out.extend_from_slice(rest);
    out
}
