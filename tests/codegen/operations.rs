//! Emits `src/<service>/generated/operations.rs`: `Operation` (names and `X-Amz-Target`
//! values), and the bodies typed by operation, `Request` and `Response`.

use super::model::{Model, Operation, Service};
use super::shapes::type_of;
use super::text::{alternatives, lines, list};
use super::HEADER;

pub fn emit_operations(model: &Model, service: &Service) -> String {
    let title = service.title;
    let api_version = &model.api_version;
    let operation = emit_operation(model, service);
    let request = emit_request(model, service);
    let response = emit_response(model, service);
    format!(
        "\
{HEADER}
//! The operations of the {title} API ({api_version}): names, `X-Amz-Target` values, and typed
//! request and response bodies.

use alloc::vec::Vec;

use super::shapes;
use crate::wire::WireError;

{operation}
{request}
{response}"
    )
}

/// `Operation::A | Operation::B`, or `None` for no operations.
fn either_operation<'a>(ops: impl IntoIterator<Item = &'a Operation>) -> Option<String> {
    let pattern = alternatives(ops, |op| format!("Operation::{}", op.name));
    (!pattern.is_empty()).then_some(pattern)
}

/// The operations without an output shape: their response is `{}`, read as `Response::Empty`.
fn without_output(model: &Model) -> Vec<&Operation> {
    model
        .operations
        .iter()
        .filter(|op| op.output.is_none())
        .collect()
}

/// `Operation`: the enum, its names and targets both ways, `has_output`, `Display`.
fn emit_operation(model: &Model, service: &Service) -> String {
    let title = service.title;
    let prefix = &model.target_prefix;
    let ops = &model.operations;
    let variants = lines(ops, |op| {
        let name = &op.name;
        format!("/// `{name}` (`{prefix}.{name}`).\n{name},")
    });
    let all = list(ops, |op| format!("Operation::{}", op.name));
    let name_arms = lines(ops, |op| format!("Operation::{0} => {0:?},", op.name));
    let from_name_arms = lines(ops, |op| format!("{0:?} => Operation::{0},", op.name));
    let example = &ops.first().expect("a model has operations").name;
    let target_arms = lines(ops, |op| {
        format!("Operation::{0} => \"{prefix}.{0}\",", op.name)
    });
    let (with, without): (Vec<_>, Vec<_>) = ops.iter().partition(|op| op.output.is_some());
    let has_output_arms = [(without, false), (with, true)]
        .into_iter()
        .filter_map(|(ops, answer)| Some(format!("{} => {answer},", either_operation(ops)?)))
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        r#"/// Every operation of the {title} API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub enum Operation {{
    {variants}
}}

impl Operation {{
    /// Every operation, in model order.
    pub const ALL: &'static [Operation] = &[{all}];

    /// The `X-Amz-Target` prefix of the service (before the `.`).
    pub const TARGET_PREFIX: &'static str = {prefix:?};

    /// The operation's name in the model, e.g. `PutRecords`.
    pub const fn name(self) -> &'static str {{
        match self {{
            {name_arms}
        }}
    }}

    /// The operation with this model name.
    pub fn from_name(name: &str) -> Option<Operation> {{
        Some(match name {{
            {from_name_arms}
            _ => return None,
        }})
    }}

    /// The `X-Amz-Target` header value, e.g. `{prefix}.{example}`.
    pub const fn target(self) -> &'static str {{
        match self {{
            {target_arms}
        }}
    }}

    /// The operation an `X-Amz-Target` header value names (exact match, as the service does).
    pub fn from_target(target: &str) -> Option<Operation> {{
        target
            .strip_prefix(Self::TARGET_PREFIX)
            .and_then(|rest| rest.strip_prefix('.'))
            .and_then(Self::from_name)
    }}

    /// True if the model gives the operation an output shape (otherwise it answers `{{}}`).
    pub const fn has_output(self) -> bool {{
        match self {{
            {has_output_arms}
        }}
    }}
}}

impl core::fmt::Display for Operation {{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {{
        f.write_str(self.name())
    }}
}}
"#
    )
}

/// `Request`: a variant per operation holding its input.
fn emit_request(model: &Model, service: &Service) -> String {
    let title = service.title;
    let ops = &model.operations;
    let variants = lines(ops, |op| {
        let name = &op.name;
        let input = op.input.as_ref().expect("every operation has an input");
        let input = type_of(model, input);
        format!("/// The body of `{name}`.\n{name}(shapes::{input}),")
    });
    let parse = parse_methods(
        "\
/// Parses the body of a request for `operation` (an empty body reads as `{}`).
///
/// Required members of the input must be present; unknown members are ignored.",
        &lines(ops, |op| {
            format!(
                "Operation::{0} => \
                 Request::{0}(crate::wire::parse_body_with_options::<P, _>(body, options)?),",
                op.name
            )
        }),
        "",
    );
    let operation_arms = lines(ops, |op| {
        format!("Request::{0}(_) => Operation::{0},", op.name)
    });
    let to_vec_arms = lines(ops, |op| {
        format!(
            "Request::{}(input) => crate::wire::to_vec_in(protocol, input),",
            op.name
        )
    });
    format!(
        r#"/// A request body of the {title} API, typed by operation (what an emulator receives).
///
/// Not boxed: a body is parsed once and matched, and boxing would cost an allocation each.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub enum Request<'a> {{
    {variants}
}}

impl<'a> Request<'a> {{
    {parse}

    /// The operation this body belongs to.
    pub fn operation(&self) -> Operation {{
        match self {{
            {operation_arms}
        }}
    }}

    /// The JSON body as a client sends it.
    pub fn to_vec(&self) -> Vec<u8> {{
        self.to_vec_in(crate::wire::Protocol::Json)
    }}

    /// The body in `protocol` as a client sends it (CBOR: as the AWS SDK for Java writes it).
    pub fn to_vec_in(&self, protocol: crate::wire::Protocol) -> Vec<u8> {{
        match self {{
            {to_vec_arms}
        }}
    }}
}}
"#
    )
}

/// `Response`: a variant per operation with an output shape holding it, and `Empty` for the
/// others; an `Arbitrary` impl that gives only what `parse` can.
fn emit_response(model: &Model, service: &Service) -> String {
    let title = service.title;
    let with: Vec<&Operation> = model
        .operations
        .iter()
        .filter(|op| op.output.is_some())
        .collect();
    let without = either_operation(without_output(model));
    // The pieces about `Empty`, each with what follows it, or nothing.
    let when_empty = |text: &str| without.as_ref().map_or(String::new(), |_| text.to_string());
    let variants = lines(&with, |op| {
        let name = &op.name;
        let output = type_of(model, op.output.as_ref().expect("an output"));
        format!("/// The body of a `{name}` response.\n{name}(shapes::{output}),")
    });
    let empty_variant = when_empty(
        "\n/// The response of an operation without an output shape (`{}` on the wire).\n\
         Empty(Operation),",
    );
    let mut parse_arms = lines(&with, |op| {
        format!(
            "Operation::{0} => \
             Response::{0}(crate::wire::parse_body_with_options::<P, _>(body, options)?),",
            op.name
        )
    });
    if let Some(without) = &without {
        parse_arms.push_str(&format!(
            "\n{without} => {{\nlet _ = body;\nResponse::Empty(operation)\n}}"
        ));
    }
    let parse = parse_methods(
        "\
/// Parses the body of a response to `operation`, leniently (see the `shapes` docs).
///
/// An empty body reads as `{}`. For an operation without an output shape the body is not
/// looked at, as botocore does, and the result is `Response::Empty`.",
        &parse_arms,
        &cbor_first(service),
    );
    let operation_arms = lines(&with, |op| {
        format!("Response::{0}(_) => Operation::{0},", op.name)
    });
    let operation_empty = when_empty("\nResponse::Empty(operation) => *operation,");
    let to_vec_arms = lines(&with, |op| {
        format!(
            "Response::{}(output) => crate::wire::to_vec_in(protocol, output),",
            op.name
        )
    });
    let to_vec_empty =
        when_empty("\nResponse::Empty(_) => Vec::from(crate::wire::empty_body(protocol)),");
    let arbitrary = emit_response_arbitrary(&with, without.as_deref());
    format!(
        r#"/// A response body of the {title} API, typed by operation (what an SDK receives).
///
/// Not boxed: a body is parsed once and matched, and boxing would cost an allocation each.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Response<'a> {{
    {variants}{empty_variant}
}}

impl<'a> Response<'a> {{
    {parse}

    /// The operation this body answers.
    pub fn operation(&self) -> Operation {{
        match self {{
            {operation_arms}{operation_empty}
        }}
    }}

    /// The JSON body as the service sends it.
    pub fn to_vec(&self) -> Vec<u8> {{
        self.to_vec_in(crate::wire::Protocol::Json)
    }}

    /// The body in `protocol` as the service sends it.
    pub fn to_vec_in(&self, protocol: crate::wire::Protocol) -> Vec<u8> {{
        match self {{
            {to_vec_arms}{to_vec_empty}
        }}
    }}
}}

{arbitrary}"#
    )
}

/// `Arbitrary` for `Response`: a random operation, then what `parse` gives for it.
fn emit_response_arbitrary(with: &[&Operation], without: Option<&str>) -> String {
    let mut arms = lines(with, |op| {
        format!(
            "Operation::{0} => Response::{0}(arbitrary::Arbitrary::arbitrary(u)?),",
            op.name
        )
    });
    if let Some(without) = without {
        arms.push_str(&format!("\n{without} => Response::Empty(operation),"));
    }
    format!(
        "\
/// Only the variant that [`Response::parse`] gives for each operation: `Empty` exactly for the
/// operations without an output shape.
#[cfg(feature = \"arbitrary\")]
impl<'a> arbitrary::Arbitrary<'a> for Response<'a> {{
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {{
        let operation = *u.choose(Operation::ALL)?;
        Ok(match operation {{
            {arms}
        }})
    }}
}}
"
    )
}

/// The service's hand-written CBOR response readers (`Service::cbor_responses`), each tried
/// before the serde reader for its operation.
fn cbor_first(service: &Service) -> String {
    service
        .cbor_responses
        .iter()
        .map(|(operation, reader)| {
            format!(
                "
if operation == Operation::{operation} {{
    if let Some(output) = {reader}(body, options) {{
        return Ok(Response::{operation}(output));
    }}
}}"
            )
        })
        .collect()
}

/// `parse` and its variants (within limits, with a chosen body parser), the same for requests
/// and responses: `parse_doc` says what `parse` accepts, `arms` read the body by operation.
fn parse_methods(parse_doc: &str, arms: &str, cbor_first: &str) -> String {
    format!(
        "\
{parse_doc}
pub fn parse(operation: Operation, body: &'a [u8]) -> Result<Self, WireError> {{
    Self::parse_with::<crate::wire::Json>(operation, body)
}}

/// [`parse`](Self::parse) within the limits of `options` \
    (see [`ParseOptions`](crate::wire::ParseOptions)).
pub fn parse_with_options(
    operation: Operation,
    body: &'a [u8],
    options: &crate::wire::ParseOptions,
) -> Result<Self, WireError> {{
    Self::parse_with_options_and::<crate::wire::Json>(operation, body, options)
}}

/// [`parse`](Self::parse) for a body in `protocol` (CBOR: `spec/cbor.md`).
pub fn parse_in(
    protocol: crate::wire::Protocol,
    operation: Operation,
    body: &'a [u8],
) -> Result<Self, WireError> {{
    Self::parse_in_with_options(protocol, operation, body, &crate::wire::ParseOptions::new())
}}

/// [`parse_in`](Self::parse_in) within the limits of `options`.
pub fn parse_in_with_options(
    protocol: crate::wire::Protocol,
    operation: Operation,
    body: &'a [u8],
    options: &crate::wire::ParseOptions,
) -> Result<Self, WireError> {{
    match protocol {{
        crate::wire::Protocol::Json => {{
            Self::parse_with_options_and::<crate::wire::Json>(operation, body, options)
        }}
        crate::wire::Protocol::Cbor => {{{cbor_first}
            Self::parse_with_options_and::<crate::wire::Cbor>(operation, body, options)
        }}
    }}
}}

/// [`parse`](Self::parse) with a chosen body parser (to check the crate's reader against
/// `serde_json`).
#[doc(hidden)]
pub fn parse_with<P: crate::wire::BodyParser>(
    operation: Operation,
    body: &'a [u8],
) -> Result<Self, WireError> {{
    Self::parse_with_options_and::<P>(operation, body, &crate::wire::ParseOptions::new())
}}

/// [`parse_with`](Self::parse_with) within the limits of `options`.
#[doc(hidden)]
pub fn parse_with_options_and<P: crate::wire::BodyParser>(
    operation: Operation,
    body: &'a [u8],
    options: &crate::wire::ParseOptions,
) -> Result<Self, WireError> {{
    Ok(match operation {{
        {arms}
    }})
}}"
    )
}
