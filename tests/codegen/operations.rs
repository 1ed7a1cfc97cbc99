//! Emits `src/<service>/generated/operations.rs` (Operation, Request, Response) and
//! `src/<service>/generated/errors.rs` (Error).

use std::fmt::Write as _;

use super::model::{Model, Service};
use super::shapes::type_of;
use super::HEADER;

pub fn emit_operations(model: &Model, service: &Service) -> String {
    let title = service.title;
    let prefix = &model.target_prefix;
    let ops = &model.operations;
    let mut out = String::new();
    writeln!(out, "{HEADER}").unwrap();
    writeln!(
        out,
        "//! The operations of the {title} API ({}): names, `X-Amz-Target` values, and typed\n//! request and response bodies.\n",
        model.api_version
    )
    .unwrap();
    out.push_str("use alloc::vec::Vec;\n\nuse super::shapes;\nuse crate::wire::WireError;\n\n");

    // Operation
    writeln!(
        out,
        "/// Every operation of the {title} API.\n#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]\n#[cfg_attr(feature = \"arbitrary\", derive(arbitrary::Arbitrary))]\n#[non_exhaustive]\npub enum Operation {{"
    )
    .unwrap();
    for op in ops {
        writeln!(
            out,
            "/// `{}` (`{prefix}.{}`).\n{},",
            op.name, op.name, op.name
        )
        .unwrap();
    }
    out.push_str("}\n\nimpl Operation {\n");
    writeln!(
        out,
        "/// Every operation, in model order.\npub const ALL: &'static [Operation] = &[{}];\n",
        ops.iter()
            .map(|o| format!("Operation::{}", o.name))
            .collect::<Vec<_>>()
            .join(", ")
    )
    .unwrap();
    writeln!(
        out,
        "/// The `X-Amz-Target` prefix of the service (before the `.`).\npub const TARGET_PREFIX: &'static str = {prefix:?};\n"
    )
    .unwrap();
    out.push_str("/// The operation's name in the model, e.g. `PutRecords`.\npub const fn name(self) -> &'static str {\nmatch self {\n");
    for op in ops {
        writeln!(out, "Operation::{} => {:?},", op.name, op.name).unwrap();
    }
    out.push_str("}\n}\n\n/// The operation with this model name.\npub fn from_name(name: &str) -> Option<Operation> {\nSome(match name {\n");
    for op in ops {
        writeln!(out, "{:?} => Operation::{},", op.name, op.name).unwrap();
    }
    out.push_str("_ => return None,\n})\n}\n\n");
    out.push_str("/// The `X-Amz-Target` header value, e.g. `");
    write!(out, "{prefix}.{}", ops[0].name).unwrap();
    out.push_str("`.\npub const fn target(self) -> &'static str {\nmatch self {\n");
    for op in ops {
        writeln!(out, "Operation::{} => \"{prefix}.{}\",", op.name, op.name).unwrap();
    }
    out.push_str("}\n}\n\n");
    out.push_str("/// The operation an `X-Amz-Target` header value names (exact match, as the service does).\npub fn from_target(target: &str) -> Option<Operation> {\ntarget\n.strip_prefix(Self::TARGET_PREFIX)\n.and_then(|rest| rest.strip_prefix('.'))\n.and_then(Self::from_name)\n}\n\n");
    out.push_str("/// True if the model gives the operation an output shape (otherwise it answers `{}`).\npub const fn has_output(self) -> bool {\nmatch self {\n");
    let (with, without): (Vec<_>, Vec<_>) = ops.iter().partition(|o| o.output.is_some());
    if !without.is_empty() {
        writeln!(
            out,
            "{} => false,",
            without
                .iter()
                .map(|o| format!("Operation::{}", o.name))
                .collect::<Vec<_>>()
                .join(" | ")
        )
        .unwrap();
    }
    if !with.is_empty() {
        writeln!(
            out,
            "{} => true,",
            with.iter()
                .map(|o| format!("Operation::{}", o.name))
                .collect::<Vec<_>>()
                .join(" | ")
        )
        .unwrap();
    }
    out.push_str("}\n}\n}\n\n");
    out.push_str("impl core::fmt::Display for Operation {\nfn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {\nf.write_str(self.name())\n}\n}\n\n");

    // Request
    writeln!(
        out,
        "/// A request body of the {title} API, typed by operation (what an emulator receives).\n///\n/// Not boxed: a body is parsed once and matched, and boxing would cost an allocation each.\n#[allow(clippy::large_enum_variant)]\n#[derive(Clone, Debug, PartialEq)]\n#[cfg_attr(feature = \"arbitrary\", derive(arbitrary::Arbitrary))]\n#[non_exhaustive]\npub enum Request<'a> {{"
    )
    .unwrap();
    for op in ops {
        let input = op.input.as_ref().expect("every operation has an input");
        writeln!(
            out,
            "/// The body of `{}`.\n{}(shapes::{}),",
            op.name,
            op.name,
            type_of(model, input)
        )
        .unwrap();
    }
    out.push_str("}\n\nimpl<'a> Request<'a> {\n");
    out.push_str("/// Parses the body of a request for `operation` (an empty body reads as `{}`).\n///\n/// Required members of the input must be present; unknown members are ignored.\npub fn parse(operation: Operation, body: &'a [u8]) -> Result<Self, WireError> {\nSelf::parse_with::<crate::wire::Json>(operation, body)\n}\n\n/// [`parse`](Self::parse) within the limits of `options` (see [`ParseOptions`](crate::wire::ParseOptions)).\npub fn parse_with_options(operation: Operation, body: &'a [u8], options: &crate::wire::ParseOptions) -> Result<Self, WireError> {\nSelf::parse_with_options_and::<crate::wire::Json>(operation, body, options)\n}\n\n/// [`parse`](Self::parse) with a chosen body parser (to check the crate's reader against\n/// `serde_json`).\n#[doc(hidden)]\npub fn parse_with<P: crate::wire::BodyParser>(operation: Operation, body: &'a [u8]) -> Result<Self, WireError> {\nSelf::parse_with_options_and::<P>(operation, body, &crate::wire::ParseOptions::new())\n}\n\n/// [`parse_with`](Self::parse_with) within the limits of `options`.\n#[doc(hidden)]\npub fn parse_with_options_and<P: crate::wire::BodyParser>(operation: Operation, body: &'a [u8], options: &crate::wire::ParseOptions) -> Result<Self, WireError> {\nOk(match operation {\n");
    for op in ops {
        writeln!(
            out,
            "Operation::{} => Request::{}(crate::wire::parse_body_with_options::<P, _>(body, options)?),",
            op.name, op.name
        )
        .unwrap();
    }
    out.push_str("})\n}\n\n/// The operation this body belongs to.\npub fn operation(&self) -> Operation {\nmatch self {\n");
    for op in ops {
        writeln!(out, "Request::{}(_) => Operation::{},", op.name, op.name).unwrap();
    }
    out.push_str("}\n}\n\n/// The JSON body as a client sends it.\npub fn to_vec(&self) -> Vec<u8> {\nmatch self {\n");
    for op in ops {
        writeln!(
            out,
            "Request::{}(input) => crate::wire::to_vec(input),",
            op.name
        )
        .unwrap();
    }
    out.push_str("}\n}\n}\n\n");

    // Response
    writeln!(
        out,
        "/// A response body of the {title} API, typed by operation (what an SDK receives).\n///\n/// Not boxed: a body is parsed once and matched, and boxing would cost an allocation each.\n#[allow(clippy::large_enum_variant)]\n#[derive(Clone, Debug, PartialEq)]\n#[non_exhaustive]\npub enum Response<'a> {{"
    )
    .unwrap();
    for op in ops {
        if let Some(output) = &op.output {
            writeln!(
                out,
                "/// The body of a `{}` response.\n{}(shapes::{}),",
                op.name,
                op.name,
                type_of(model, output)
            )
            .unwrap();
        }
    }
    if !without.is_empty() {
        out.push_str("/// The response of an operation without an output shape (`{}` on the wire).\nEmpty(Operation),\n");
    }
    out.push_str("}\n\nimpl<'a> Response<'a> {\n");
    out.push_str("/// Parses the body of a response to `operation`, leniently (see the `shapes` docs).\n///\n/// An empty body reads as `{}`. For an operation without an output shape the body is not\n/// looked at, as botocore does, and the result is `Response::Empty`.\npub fn parse(operation: Operation, body: &'a [u8]) -> Result<Self, WireError> {\nSelf::parse_with::<crate::wire::Json>(operation, body)\n}\n\n/// [`parse`](Self::parse) within the limits of `options` (see [`ParseOptions`](crate::wire::ParseOptions)).\npub fn parse_with_options(operation: Operation, body: &'a [u8], options: &crate::wire::ParseOptions) -> Result<Self, WireError> {\nSelf::parse_with_options_and::<crate::wire::Json>(operation, body, options)\n}\n\n/// [`parse`](Self::parse) with a chosen body parser (to check the crate's reader against\n/// `serde_json`).\n#[doc(hidden)]\npub fn parse_with<P: crate::wire::BodyParser>(operation: Operation, body: &'a [u8]) -> Result<Self, WireError> {\nSelf::parse_with_options_and::<P>(operation, body, &crate::wire::ParseOptions::new())\n}\n\n/// [`parse_with`](Self::parse_with) within the limits of `options`.\n#[doc(hidden)]\npub fn parse_with_options_and<P: crate::wire::BodyParser>(operation: Operation, body: &'a [u8], options: &crate::wire::ParseOptions) -> Result<Self, WireError> {\nOk(match operation {\n");
    for op in ops {
        if op.output.is_some() {
            writeln!(
                out,
                "Operation::{} => Response::{}(crate::wire::parse_body_with_options::<P, _>(body, options)?),",
                op.name, op.name
            )
            .unwrap();
        }
    }
    if !without.is_empty() {
        writeln!(
            out,
            "{} => {{\nlet _ = body;\nResponse::Empty(operation)\n}}",
            without
                .iter()
                .map(|o| format!("Operation::{}", o.name))
                .collect::<Vec<_>>()
                .join(" | ")
        )
        .unwrap();
    }
    out.push_str("})\n}\n\n/// The operation this body answers.\npub fn operation(&self) -> Operation {\nmatch self {\n");
    for op in ops.iter().filter(|o| o.output.is_some()) {
        writeln!(out, "Response::{}(_) => Operation::{},", op.name, op.name).unwrap();
    }
    if !without.is_empty() {
        out.push_str("Response::Empty(operation) => *operation,\n");
    }
    out.push_str("}\n}\n\n/// The JSON body as the service sends it.\npub fn to_vec(&self) -> Vec<u8> {\nmatch self {\n");
    for op in ops.iter().filter(|o| o.output.is_some()) {
        writeln!(
            out,
            "Response::{}(output) => crate::wire::to_vec(output),",
            op.name
        )
        .unwrap();
    }
    if !without.is_empty() {
        out.push_str("Response::Empty(_) => Vec::from(*b\"{}\"),\n");
    }
    out.push_str("}\n}\n}\n\n");
    out.push_str("/// Only the variant that [`Response::parse`] gives for each operation: `Empty` exactly for the\n/// operations without an output shape.\n#[cfg(feature = \"arbitrary\")]\nimpl<'a> arbitrary::Arbitrary<'a> for Response<'a> {\nfn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {\nlet operation = *u.choose(Operation::ALL)?;\nOk(match operation {\n");
    for op in ops.iter().filter(|o| o.output.is_some()) {
        writeln!(
            out,
            "Operation::{} => Response::{}(arbitrary::Arbitrary::arbitrary(u)?),",
            op.name, op.name
        )
        .unwrap();
    }
    if !without.is_empty() {
        writeln!(
            out,
            "{} => Response::Empty(operation),",
            without
                .iter()
                .map(|o| format!("Operation::{}", o.name))
                .collect::<Vec<_>>()
                .join(" | ")
        )
        .unwrap();
    }
    out.push_str("})\n}\n}\n");
    out
}

pub fn emit_errors(model: &Model, service: &Service) -> String {
    let title = service.title;
    let exceptions = model.exceptions();
    let mut out = String::new();
    writeln!(out, "{HEADER}").unwrap();
    writeln!(
        out,
        "//! The error responses of the {title} API: every exception shape of the model.\n"
    )
    .unwrap();
    out.push_str("use alloc::borrow::Cow;\nuse alloc::vec::Vec;\n\nuse super::shapes;\nuse crate::wire::error_body::{self, ErrorEnvelope};\nuse crate::wire::WireError;\n\n");
    assert!(
        !exceptions.iter().any(|e| e.name == "Unknown"),
        "an exception is named Unknown"
    );
    writeln!(
        out,
        "/// An error response of the {title} API: a modeled exception, or a code the model does not\n/// name (kept with its message).\n#[derive(Clone, Debug, PartialEq)]\n#[cfg_attr(feature = \"arbitrary\", derive(arbitrary::Arbitrary))]\n#[non_exhaustive]\npub enum Error<'a> {{"
    )
    .unwrap();
    for e in &exceptions {
        let fault = if e.fault { "server" } else { "client" };
        writeln!(
            out,
            "/// `{}` ({fault} fault).\n{}(shapes::{}),",
            e.name,
            e.name,
            type_of(model, &e.name)
        )
        .unwrap();
    }
    out.push_str("/// An error code the model does not name: another service's, a newer model's, or (with no\n/// `__type`) the HTTP status code as text, as botocore reports it.\nUnknown {\n/// The error code.\n#[cfg_attr(feature = \"arbitrary\", arbitrary(with = crate::wire::arb::unknown_code))]\ncode: Cow<'a, str>,\n/// The error message (`message` or `Message`), if any.\n#[cfg_attr(feature = \"arbitrary\", arbitrary(with = crate::wire::arb::opt_cow_str))]\nmessage: Option<Cow<'a, str>>,\n},\n}\n\n");
    out.push_str("impl<'a> Error<'a> {\n");
    writeln!(
        out,
        "/// The code of every modeled exception.\npub const CODES: &'static [&'static str] = &[{}];\n",
        exceptions
            .iter()
            .map(|e| format!("{:?}", e.name))
            .collect::<Vec<_>>()
            .join(", ")
    )
    .unwrap();
    out.push_str(
        "/// Parses an error response body.\n///\n/// The code comes from `__type` (see [`error_code`](crate::wire::error_code)); without one, from\n/// `http_status` as text (`\"503\"`), as botocore does. A body that is not a JSON object (empty,\n/// HTML) is still an error: its text becomes the message. A modeled exception whose members do\n/// not fit its shape is a [`WireError`].\npub fn parse(body: &'a [u8], http_status: Option<u16>) -> Result<Self, WireError> {\nSelf::parse_with::<crate::wire::Json>(body, http_status)\n}\n\n/// [`parse`](Self::parse) with a chosen body parser (to check the crate's reader against\n/// `serde_json`).\n#[doc(hidden)]\npub fn parse_with<P: crate::wire::BodyParser>(body: &'a [u8], http_status: Option<u16>) -> Result<Self, WireError> {\nlet envelope = ErrorEnvelope::parse(body, http_status);\nSelf::from_envelope::<P>(envelope, body)\n}\n\n",
    );
    out.push_str("/// Builds the error named `code` from a JSON body holding its members (an event-stream\n/// exception payload, or an error body whose code is known).\npub fn from_code(code: Cow<'a, str>, body: &'a [u8]) -> Result<Self, WireError> {\nlet envelope = ErrorEnvelope::parse(body, None);\nSelf::from_envelope::<crate::wire::Json>(ErrorEnvelope { code, ..envelope }, body)\n}\n\n");
    out.push_str("fn from_envelope<P: crate::wire::BodyParser>(envelope: ErrorEnvelope<'a>, body: &'a [u8]) -> Result<Self, WireError> {\nOk(match &*envelope.code {\n");
    for e in &exceptions {
        let has_message = e.members.iter().any(|m| m.name == "message");
        assert!(has_message, "exception {} has no `message` member", e.name);
        writeln!(
            out,
            "{:?} => {{\nlet mut shape: shapes::{} = crate::wire::parse_body_with::<P, _>(body)?;\nif shape.message.is_none() {{\nshape.message = envelope.message;\n}}\nError::{}(shape)\n}}",
            e.name,
            type_of(model, &e.name),
            e.name
        )
        .unwrap();
    }
    out.push_str(
        "_ => Error::Unknown {\ncode: envelope.code,\nmessage: envelope.message,\n},\n})\n}\n\n",
    );
    out.push_str("/// The error code, e.g. `ResourceNotFoundException`.\npub fn code(&self) -> &str {\nmatch self {\n");
    for e in &exceptions {
        writeln!(out, "Error::{}(_) => {:?},", e.name, e.name).unwrap();
    }
    out.push_str("Error::Unknown { code, .. } => code,\n}\n}\n\n/// The error message, if any.\npub fn message(&self) -> Option<&str> {\nmatch self {\n");
    for e in &exceptions {
        writeln!(out, "Error::{}(e) => e.message.as_deref(),", e.name).unwrap();
    }
    out.push_str("Error::Unknown { message, .. } => message.as_deref(),\n}\n}\n\n/// True for an exception the model marks as a server fault (retrying may help).\npub fn is_server_fault(&self) -> bool {\n");
    let faults: Vec<String> = exceptions
        .iter()
        .filter(|e| e.fault)
        .map(|e| format!("Error::{}(_)", e.name))
        .collect();
    if faults.is_empty() {
        out.push_str("false\n}\n\n");
    } else {
        writeln!(out, "matches!(self, {})\n}}\n", faults.join(" | ")).unwrap();
    }
    out.push_str("/// The members as JSON, without `__type` (an event-stream exception payload).\npub fn members_to_vec(&self) -> Vec<u8> {\nlet mut out = Vec::new();\nself.members_to_writer(&mut out);\nout\n}\n\n/// Appends the members as JSON, without `__type`, to `out`.\npub fn members_to_writer(&self, out: &mut Vec<u8>) {\nmatch self {\n");
    for e in &exceptions {
        writeln!(
            out,
            "Error::{}(e) => crate::wire::to_writer(e, out),",
            e.name
        )
        .unwrap();
    }
    out.push_str("Error::Unknown { message, .. } => error_body::message_only(message.as_deref(), out),\n}\n}\n\n/// The body as a server sends it: `{\"__type\": \"<Code>\", \"message\": ...}` and any other\n/// modeled members.\npub fn to_vec(&self) -> Vec<u8> {\nerror_body::with_type(self.code(), &self.members_to_vec())\n}\n}\n");
    out
}
