//! Emits `src/<service>/generated/errors.rs`: `Error`, a variant per exception shape of the model
//! and `Unknown` for the codes it does not name.

use super::model::{Model, Service, Shape};
use super::shapes::type_of;
use super::text::{alternatives, lines, quoted};
use super::HEADER;

pub fn emit_errors(model: &Model, service: &Service) -> String {
    let title = service.title;
    let exceptions = model.exceptions();
    assert!(
        !exceptions.iter().any(|e| e.name == "Unknown"),
        "an exception is named Unknown"
    );
    let variants = lines(&exceptions, |e| {
        let name = &e.name;
        let fault = if e.fault { "server" } else { "client" };
        let ty = type_of(model, name);
        format!("/// `{name}` ({fault} fault).\n{name}(shapes::{ty}),")
    });
    let methods = emit_methods(model, &exceptions);
    format!(
        r#"{HEADER}
//! The error responses of the {title} API: every exception shape of the model.

use alloc::borrow::Cow;
use alloc::vec::Vec;

use super::shapes;
use crate::wire::error_body::{{self, ErrorEnvelope}};
use crate::wire::WireError;

/// An error response of the {title} API: a modeled exception, or a code the model does not
/// name (kept with its message).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub enum Error<'a> {{
    {variants}
    /// An error code the model does not name: another service's, a newer model's, or (with no
    /// `__type`) the HTTP status code as text, as botocore reports it.
    Unknown {{
        /// The error code.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::unknown_code))]
        code: Cow<'a, str>,
        /// The error message (`message` or `Message`), if any.
        #[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::opt_cow_str))]
        message: Option<Cow<'a, str>>,
    }},
}}

impl<'a> Error<'a> {{
    {methods}
}}
"#
    )
}

/// The methods of `Error`: `CODES`, reading a body, the code, message and fault, writing.
fn emit_methods(model: &Model, exceptions: &[&Shape]) -> String {
    let codes = quoted(exceptions.iter().map(|e| &e.name));
    let from_envelope_arms = lines(exceptions, |e| from_envelope_arm(model, e));
    let code_arms = lines(exceptions, |e| format!("Error::{0}(_) => {0:?},", e.name));
    let message_arms = lines(exceptions, |e| {
        format!("Error::{}(e) => e.message.as_deref(),", e.name)
    });
    let faults = alternatives(exceptions.iter().filter(|e| e.fault), |e| {
        format!("Error::{}(_)", e.name)
    });
    let is_server_fault = if faults.is_empty() {
        "false".to_string()
    } else {
        format!("matches!(self, {faults})")
    };
    let members_arms = lines(exceptions, |e| {
        format!(
            "Error::{}(e) => crate::wire::to_writer_in(protocol, e, out),",
            e.name
        )
    });
    format!(
        r#"/// The code of every modeled exception.
pub const CODES: &'static [&'static str] = &[{codes}];

/// Parses an error response body.
///
/// The code comes from `__type` (see [`error_code`](crate::wire::error_code)); without one, from
/// `http_status` as text (`"503"`), as botocore does. A body that is not a JSON object (empty,
/// HTML) is still an error: its text becomes the message. A modeled exception whose members do
/// not fit its shape is a [`WireError`].
pub fn parse(body: &'a [u8], http_status: Option<u16>) -> Result<Self, WireError> {{
    Self::parse_with::<crate::wire::Json>(body, http_status)
}}

/// [`parse`](Self::parse) with a chosen body parser (to check the crate's reader against
/// `serde_json`).
#[doc(hidden)]
pub fn parse_with<P: crate::wire::BodyParser>(
    body: &'a [u8],
    http_status: Option<u16>,
) -> Result<Self, WireError> {{
    let envelope = ErrorEnvelope::parse(body, http_status);
    Self::from_envelope::<P>(envelope, body)
}}

/// [`parse`](Self::parse) for a body in `protocol` (a CBOR error body is a map with the same
/// members, `spec/cbor.md`).
pub fn parse_in(
    protocol: crate::wire::Protocol,
    body: &'a [u8],
    http_status: Option<u16>,
) -> Result<Self, WireError> {{
    match protocol {{
        crate::wire::Protocol::Json => Self::parse(body, http_status),
        crate::wire::Protocol::Cbor => {{
            let envelope = ErrorEnvelope::parse_cbor(body, http_status);
            Self::from_envelope::<crate::wire::Cbor>(envelope, body)
        }}
    }}
}}

/// [`from_code`](Self::from_code) for members in `protocol` (a CBOR event-stream exception
/// payload).
pub fn from_code_in(
    protocol: crate::wire::Protocol,
    code: Cow<'a, str>,
    body: &'a [u8],
) -> Result<Self, WireError> {{
    match protocol {{
        crate::wire::Protocol::Json => Self::from_code(code, body),
        crate::wire::Protocol::Cbor => {{
            let envelope = ErrorEnvelope::parse_cbor(body, None);
            Self::from_envelope::<crate::wire::Cbor>(ErrorEnvelope {{ code, ..envelope }}, body)
        }}
    }}
}}

/// Builds the error named `code` from a JSON body holding its members (an event-stream
/// exception payload, or an error body whose code is known).
pub fn from_code(code: Cow<'a, str>, body: &'a [u8]) -> Result<Self, WireError> {{
    let envelope = ErrorEnvelope::parse(body, None);
    Self::from_envelope::<crate::wire::Json>(ErrorEnvelope {{ code, ..envelope }}, body)
}}

fn from_envelope<P: crate::wire::BodyParser>(
    envelope: ErrorEnvelope<'a>,
    body: &'a [u8],
) -> Result<Self, WireError> {{
    Ok(match &*envelope.code {{
        {from_envelope_arms}
        _ => Error::Unknown {{
            code: envelope.code,
            message: envelope.message,
        }},
    }})
}}

/// The error code, e.g. `ResourceNotFoundException`.
pub fn code(&self) -> &str {{
    match self {{
        {code_arms}
        Error::Unknown {{ code, .. }} => code,
    }}
}}

/// The error message, if any.
pub fn message(&self) -> Option<&str> {{
    match self {{
        {message_arms}
        Error::Unknown {{ message, .. }} => message.as_deref(),
    }}
}}

/// True for an exception the model marks as a server fault (retrying may help).
pub fn is_server_fault(&self) -> bool {{
    {is_server_fault}
}}

/// The members as JSON, without `__type` (an event-stream exception payload).
pub fn members_to_vec(&self) -> Vec<u8> {{
    self.members_to_vec_in(crate::wire::Protocol::Json)
}}

/// The members in `protocol`, without `__type`.
pub fn members_to_vec_in(&self, protocol: crate::wire::Protocol) -> Vec<u8> {{
    let mut out = Vec::new();
    self.members_to_writer_in(protocol, &mut out);
    out
}}

/// Appends the members as JSON, without `__type`, to `out`.
pub fn members_to_writer(&self, out: &mut Vec<u8>) {{
    self.members_to_writer_in(crate::wire::Protocol::Json, out)
}}

/// Appends the members in `protocol`, without `__type`, to `out`.
pub fn members_to_writer_in(&self, protocol: crate::wire::Protocol, out: &mut Vec<u8>) {{
    match self {{
        {members_arms}
        Error::Unknown {{ code, message }} => {{
            error_body::unknown_members_in(protocol, code, message.as_deref(), out)
        }}
    }}
}}

/// The body as a server sends it: `{{"__type": "<Code>", "message": ...}}` and any other
/// modeled members.
pub fn to_vec(&self) -> Vec<u8> {{
    error_body::with_type(self.code(), &self.members_to_vec())
}}

/// The body in `protocol` as a server sends it (CBOR: a map with `__type` first).
pub fn to_vec_in(&self, protocol: crate::wire::Protocol) -> Vec<u8> {{
    match protocol {{
        crate::wire::Protocol::Json => self.to_vec(),
        crate::wire::Protocol::Cbor => error_body::with_type_cbor(
            self.code(),
            &self.members_to_vec_in(crate::wire::Protocol::Cbor),
        ),
    }}
}}"#
    )
}

/// The arm of `from_envelope` for one exception: its members from the body, the envelope's
/// message if the body's own is absent.
fn from_envelope_arm(model: &Model, exception: &Shape) -> String {
    let name = &exception.name;
    assert!(
        exception.members.iter().any(|m| m.name == "message"),
        "exception {name} has no `message` member"
    );
    let ty = type_of(model, name);
    format!(
        "{name:?} => {{
    let mut shape: shapes::{ty} = crate::wire::parse_body_with::<P, _>(body)?;
    if shape.message.is_none() {{
        shape.message = envelope.message;
    }}
    Error::{name}(shape)
}}"
    )
}
