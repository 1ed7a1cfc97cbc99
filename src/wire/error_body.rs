//! Error bodies of the JSON 1.1 protocol: reading the code and message, writing a body as a
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
