//! Emits `src/<service>/generated/validate.rs`: `Request::validate`, the model's constraints on
//! every operation input (`required`, `min`/`max`, `pattern`, `enum`) as checks that report
//! what the service reports (`spec/validation.md`), through `crate::validate`.
//!
//! A check function per input structure that has anything to check, walking its members in
//! model order: for each, `null` when required and absent, then pattern, enum, length and value
//! range, then the entries of a list or map, then nested structures.

use std::collections::{BTreeMap, BTreeSet};

use super::model::{snake_case, Kind, Member, Model, Service, Shape};
use super::patterns::emit_patterns;
use super::shapes::is_optional;
use super::text::lines;
use super::HEADER;

/// Enum value sets the service prints in an order of its own, not the model's.
///
/// spec/validation.md: "Enum value sets are printed in the service's own order, not the
/// model's, e.g. ShardIteratorType `[AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP,
/// AT_SEQUENCE_NUMBER, TRIM_HORIZON]`: keep a table." Every other set is printed in model order.
const ENUM_ORDER: &[(&str, &str, &[&str])] = &[(
    "kinesis",
    "ShardIteratorType",
    &[
        "AFTER_SEQUENCE_NUMBER",
        "LATEST",
        "AT_TIMESTAMP",
        "AT_SEQUENCE_NUMBER",
        "TRIM_HORIZON",
    ],
)];

/// `crate::validate::MAX_DEPTH`: the deepest path a check may build.
const MAX_DEPTH: usize = 16;

pub fn emit_validate(model: &Model, service: &Service) -> String {
    let title = service.title;
    let inputs = input_structures(model);
    let checked: BTreeSet<&String> = inputs
        .iter()
        .filter(|name| has_checks(model, name, &mut BTreeSet::new()))
        .collect();
    for op in &model.operations {
        let input = op.input.as_ref().expect("every operation has an input");
        let depth = depth(model, input, &mut Vec::new());
        assert!(
            depth <= MAX_DEPTH,
            "{}: a path of {depth} segments is deeper than {MAX_DEPTH}",
            op.name
        );
    }
    let strings = constrained_strings(model, &inputs);
    let patterns: Vec<String> = strings
        .iter()
        .filter_map(|name| model.shape(name).pattern.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let pattern_index: BTreeMap<&String, usize> =
        patterns.iter().enumerate().map(|(i, p)| (p, i)).collect();
    let rules = lines(&strings, |name| {
        emit_str_rules(model.shape(name), &pattern_index)
    });
    let enums = lines(enum_shapes(model, &inputs), |shape| {
        emit_enum_set(service, shape)
    });
    let texts = lines(list_entry_enums(model, &inputs), |name| {
        format!(
            "impl crate::validate::Text for shapes::{name}<'_> {{
    fn text(&self) -> &str {{
        self.as_str()
    }}
}}"
        )
    });
    let arms = lines(&model.operations, |op| {
        let name = &op.name;
        let input = op.input.as_ref().expect("input");
        if checked.contains(input) {
            let check = check_fn(input);
            format!("Request::{name}(input) => {check}(input, &mut path, &mut out),")
        } else {
            format!("Request::{name}(_) => {{}}")
        }
    });
    let checks = lines(&checked, |name| {
        emit_check_fn(model, service, model.shape(name), &checked)
    });
    let pattern_list = super::text::list(0..patterns.len(), |i| format!("&PATTERN_{i}"));
    let patterns = emit_patterns(&patterns);
    let answer = emit_error_answer(model);
    let types = super::types::emit_types(model);
    format!(
        "\
{HEADER}
//! The constraints of the {title} model on every operation input, checked as the service
//! checks them (`spec/validation.md`); the shared pieces are in [`crate::validate`].

#[allow(unused_imports)]
use crate::validate::check;
#[allow(unused_imports)]
use crate::validate::pattern::{{ClassItem, Pattern, State}};
#[allow(unused_imports)]
use crate::validate::{{Path, Refusal, Segment, Type, ValidationError, Value, Violations}};

use super::operations::{{Operation, Request}};
use super::shapes;

impl Request<'_> {{
    /// The constraint violations of the request as the service reports them: `Err` with the
    /// `ValidationException` it sends (its `Display` is the message) when any member breaks a
    /// constraint of the model (`required`, `min`/`max`, `pattern`, `enum`). Allocates nothing.
    ///
    /// A member the model requires is a plain field of a parsed request (a body without it does
    /// not parse), so `null` is reported here only inside structures parsed leniently.
    #[allow(clippy::result_large_err)] // no heap: the ten items travel by value, once per request
    pub fn validate(&self) -> Result<(), ValidationError<'_>> {{
        let mut out = Violations::new();
        let mut path = Path::new();
        match self {{
            {arms}
        }}
        out.into_result()
    }}
}}

{answer}

{texts}

{checks}

{enums}

{rules}

/// Every pattern of the model's inputs, compiled (for the tests that hold the automata to a
/// regex engine).
#[doc(hidden)]
pub static PATTERNS: &[&Pattern] = &[{pattern_list}];

{patterns}

{types}
"
    )
}

/// Every structure reachable from an operation input.
fn input_structures(model: &Model) -> BTreeSet<String> {
    let mut todo: Vec<String> = model
        .operations
        .iter()
        .filter_map(|op| op.input.clone())
        .collect();
    let mut seen = BTreeSet::new();
    let mut structures = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let shape = model.shape(&name);
        match &shape.kind {
            Kind::Struct => {
                structures.insert(name.clone());
                todo.extend(fields(model, shape).map(|m| m.shape.clone()));
            }
            Kind::List(member) => todo.push(member.clone()),
            Kind::Map(key, value) => todo.extend([key.clone(), value.clone()]),
            Kind::Union => panic!("union {name} in an input: not supported by validation"),
            _ => {}
        }
    }
    structures
}

fn fields<'m>(model: &'m Model, shape: &'m Shape) -> impl Iterator<Item = &'m Member> {
    shape
        .members
        .iter()
        .filter(|m| !model.shape(&m.shape).eventstream)
}

/// The deepest path below `name`: a segment per member, one per list entry.
fn depth(model: &Model, name: &str, stack: &mut Vec<String>) -> usize {
    if stack.iter().any(|s| s == name) {
        panic!("recursive shape {name}: validation paths would have no bound");
    }
    stack.push(name.to_string());
    let shape = model.shape(name);
    let d = match &shape.kind {
        Kind::Struct => fields(model, shape)
            .map(|m| 1 + depth(model, &m.shape, stack))
            .max()
            .unwrap_or(0),
        Kind::List(member) => 1 + depth(model, member, stack),
        _ => 0,
    };
    stack.pop();
    d
}

fn has_range(shape: &Shape) -> bool {
    shape.min.is_some() || shape.max.is_some()
}

/// Does a value of shape `name` have anything to check?
fn has_checks(model: &Model, name: &str, seen: &mut BTreeSet<String>) -> bool {
    let shape = model.shape(name);
    match &shape.kind {
        Kind::Str => has_range(shape) || shape.pattern.is_some(),
        Kind::Enum(_) => true,
        Kind::Blob | Kind::Int | Kind::Long | Kind::Double => has_range(shape),
        Kind::Bool | Kind::Timestamp | Kind::Union => false,
        Kind::List(member) => has_range(shape) || has_checks(model, member, seen),
        Kind::Map(key, value) => {
            has_range(shape) || has_checks(model, key, seen) || has_checks(model, value, seen)
        }
        Kind::Struct => {
            if !seen.insert(name.to_string()) {
                return false;
            }
            fields(model, shape).any(|m| {
                (m.required && is_optional(model, shape, m)) || has_checks(model, &m.shape, seen)
            })
        }
    }
}

/// The string shapes with constraints reachable from inputs (members, list entries, map keys
/// and values).
fn constrained_strings(model: &Model, inputs: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut add = |name: &String| {
        let shape = model.shape(name);
        if shape.kind == Kind::Str && (has_range(shape) || shape.pattern.is_some()) {
            out.insert(name.clone());
        }
    };
    for structure in inputs {
        for member in fields(model, model.shape(structure)) {
            add(&member.shape);
            match &model.shape(&member.shape).kind {
                Kind::List(entry) => add(entry),
                Kind::Map(key, value) => {
                    add(key);
                    add(value);
                }
                _ => {}
            }
        }
    }
    out
}

/// The enum shapes of input members (a list's entries quote their set in the list's text).
fn enum_shapes<'m>(model: &'m Model, inputs: &BTreeSet<String>) -> Vec<&'m Shape> {
    let mut names = BTreeSet::new();
    for structure in inputs {
        for member in fields(model, model.shape(structure)) {
            let name = &member.shape;
            if matches!(model.shape(name).kind, Kind::Enum(_)) {
                names.insert(name.clone());
            }
        }
    }
    names.iter().map(|n| model.shape(n)).collect()
}

fn list_entry_enums(model: &Model, inputs: &BTreeSet<String>) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for structure in inputs {
        for member in fields(model, model.shape(structure)) {
            if let Kind::List(entry) = &model.shape(&member.shape).kind {
                if matches!(model.shape(entry).kind, Kind::Enum(_)) {
                    names.insert(entry.clone());
                }
            }
        }
    }
    names
}

/// The values of an enum as the service lists them, with the brackets.
fn enum_set(service: &Service, shape: &Shape) -> String {
    let Kind::Enum(values) = &shape.kind else {
        unreachable!("an enum")
    };
    let ordered = ENUM_ORDER
        .iter()
        .find(|(module, name, _)| *module == service.module && *name == shape.name);
    let values: Vec<String> = match ordered {
        Some((_, name, order)) => {
            let mut sorted: Vec<&str> = order.to_vec();
            sorted.sort_unstable();
            let mut model_sorted: Vec<&str> = values.iter().map(String::as_str).collect();
            model_sorted.sort_unstable();
            assert_eq!(
                sorted, model_sorted,
                "ENUM_ORDER of {name} no longer lists the model's values"
            );
            order.iter().map(|v| v.to_string()).collect()
        }
        None => values.clone(),
    };
    format!("[{}]", values.join(", "))
}

fn enum_set_const(name: &str) -> String {
    format!("ENUM_{}", snake_case(name).to_uppercase())
}

fn emit_enum_set(service: &Service, shape: &Shape) -> String {
    let name = &shape.name;
    let konst = enum_set_const(name);
    let set = enum_set(service, shape);
    format!(
        "/// The values of `{name}` as the service lists them.
const {konst}: &str = {set:?};"
    )
}

fn rules_static(name: &str) -> String {
    format!("RULES_{}", snake_case(name).to_uppercase())
}

fn emit_str_rules(shape: &Shape, patterns: &BTreeMap<&String, usize>) -> String {
    let name = &shape.name;
    let konst = rules_static(name);
    let pattern = match &shape.pattern {
        Some(p) => format!("Some(&PATTERN_{})", patterns[p]),
        None => "None".to_string(),
    };
    let min = opt_u64(&shape.min);
    let max = opt_u64(&shape.max);
    format!(
        "/// The constraints of `{name}`.
static {konst}: check::StrRules = check::StrRules {{ pattern: {pattern}, min: {min}, max: {max} }};"
    )
}

fn opt_u64(n: &Option<serde_json::Number>) -> String {
    match n {
        Some(n) => format!("Some({})", n.as_u64().expect("a length is a whole number")),
        None => "None".to_string(),
    }
}

fn check_fn(name: &str) -> String {
    format!("check_{}", snake_case(name).trim_start_matches("r#"))
}

/// The Rust type of a shape as a check function names it.
fn shape_type(model: &Model, name: &str) -> String {
    if model.borrows(name) {
        format!("shapes::{name}<'_>")
    } else {
        format!("shapes::{name}")
    }
}

/// `com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@<hash>`: how the service writes a
/// structure value (spec/validation.md: "an emulator may choose any stable hash"); here the
/// 32-bit FNV-1a hash of the shape name.
fn java_object(model: &Model, service: &Service, name: &str) -> String {
    let version = model.api_version.replace('-', "");
    let hash = name.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    format!(
        "com.amazonaws.{}.v{version}.{name}@{hash:08x}",
        service.module
    )
}

fn emit_check_fn(
    model: &Model,
    service: &Service,
    shape: &Shape,
    checked: &BTreeSet<&String>,
) -> String {
    let name = &shape.name;
    let check = check_fn(name);
    let ty = shape_type(model, name);
    let members = lines(fields(model, shape), |m| {
        emit_member(model, service, shape, m, checked)
    });
    format!(
        "/// The constraints of `{name}`.
fn {check}<'r>(v: &'r {ty}, p: &mut Path, out: &mut Violations<'r>) {{
    {members}
}}"
    )
}

/// `lowerCamel`: the member name with its first letter lowered, as the service's paths write it.
fn lower_camel(name: &str) -> String {
    let mut chars = name.chars();
    let first = chars.next().expect("a member name");
    format!("{}{}", first.to_ascii_lowercase(), chars.as_str())
}

fn emit_member(
    model: &Model,
    service: &Service,
    owner: &Shape,
    member: &Member,
    checked: &BTreeSet<&String>,
) -> String {
    let optional = is_optional(model, owner, member);
    let null = member.required && optional;
    let checks = value_checks(model, service, &member.shape, checked);
    if checks.is_empty() && !null {
        return String::new();
    }
    let field = snake_case(&member.name);
    let path = lower_camel(&member.name);
    let body = match (optional, null) {
        (true, true) if checks.is_empty() => {
            format!("if v.{field}.is_none() {{\n    check::not_null(out, p);\n}}")
        }
        (false, _) => format!("let value = &v.{field};\n{checks}"),
        (true, false) => format!("if let Some(value) = &v.{field} {{\n{checks}\n}}"),
        (true, true) => format!(
            "match &v.{field} {{
    Some(value) => {{
        {checks}
    }}
    None => check::not_null(out, p),
}}"
        ),
    };
    format!(
        "p.push(Segment::Member({path:?}));
{body}
p.pop();"
    )
}

/// The checks on `value: &'r <shape>`, in the service's order.
fn value_checks(
    model: &Model,
    service: &Service,
    name: &str,
    checked: &BTreeSet<&String>,
) -> String {
    let shape = model.shape(name);
    let (min, max) = (opt_u64_any(&shape.min), opt_u64_any(&shape.max));
    match &shape.kind {
        Kind::Str if has_range(shape) || shape.pattern.is_some() => {
            let rules = rules_static(name);
            format!("check::string(out, p, value, &{rules});")
        }
        Kind::Enum(_) => {
            let set = enum_set_const(name);
            format!(
                "check::enumeration(out, p, value.as_str(), !matches!(value, shapes::{name}::Unknown(_)), {set});"
            )
        }
        Kind::Blob if has_range(shape) => format!(
            "check::length(out, p, check::len(value.decoded_len()), Value::Blob(value.decoded_len()), {min}, {max});"
        ),
        Kind::Int | Kind::Long if has_range(shape) => {
            let (min, max) = (bound_i64(&shape.min), bound_i64(&shape.max));
            format!("check::integer(out, p, i64::from(*value), {min}, {max});")
        }
        Kind::Double if has_range(shape) => {
            let (min, max) = (bound_f64(&shape.min), bound_f64(&shape.max));
            format!("check::double(out, p, *value, {min}, {max});")
        }
        Kind::List(entry) => {
            let whole = list_value(model, service, name, entry);
            let own = if has_range(shape) {
                format!("check::length(out, p, check::len(value.len()), {whole}, {min}, {max});")
            } else {
                String::new()
            };
            let entries = match &model.shape(entry).kind {
                Kind::Struct if checked.contains(entry) => {
                    let check = check_fn(entry);
                    format!(
                        "for (i, entry) in value.iter().enumerate() {{
    p.push(Segment::Index(i));
    {check}(entry, p, out);
    p.pop();
}}"
                    )
                }
                Kind::Str if has_checks(model, entry, &mut BTreeSet::new()) => {
                    let rules = rules_static(entry);
                    let text = entries_text("Member", model, service, entry);
                    format!(
                        "check::entries(out, p, value.iter().all(|e| check::str_ok(e, &{rules})), {whole}, {text:?});"
                    )
                }
                Kind::Enum(_) => {
                    let text = entries_text("Member", model, service, entry);
                    format!(
                        "check::entries(out, p, value.iter().all(|e| !matches!(e, shapes::{entry}::Unknown(_))), {whole}, {text:?});"
                    )
                }
                _ if has_checks(model, entry, &mut BTreeSet::new()) => {
                    panic!("list {name}: constraints on entries of this kind are not supported")
                }
                _ => String::new(),
            };
            format!("{own}\n{entries}")
        }
        Kind::Map(key, entry) => {
            let own = if has_range(shape) {
                format!("check::length(out, p, check::len(value.len()), Value::Other(value), {min}, {max});")
            } else {
                String::new()
            };
            let mut parts = vec![own];
            for (which, of, shape_name) in [("Map keys", "keys", key), ("Map value", "values", entry)] {
                if has_checks(model, shape_name, &mut BTreeSet::new()) {
                    let rules = rules_static(shape_name);
                    let text = entries_text(which, model, service, shape_name);
                    parts.push(format!(
                        "check::entries(out, p, value.{of}().all(|e| check::str_ok(e, &{rules})), Value::Other(value), {text:?});"
                    ));
                }
            }
            parts.join("\n")
        }
        Kind::Struct if checked.contains(&name.to_string()) => {
            let check = check_fn(name);
            format!("{check}(value, p, out);")
        }
        _ => String::new(),
    }
}

/// How a whole list is quoted: structures by class, strings and enums by text.
fn list_value(model: &Model, service: &Service, name: &str, entry: &str) -> String {
    match &model.shape(entry).kind {
        Kind::Struct => {
            let object = java_object(model, service, entry);
            format!("Value::Objects({object:?}, value.len())")
        }
        Kind::Str | Kind::Enum(_) => "Value::Other(value)".to_string(),
        _ => format!("unreachable!(\"list {name} of {entry}\")"),
    }
}

/// The constraints of the entries, one item for the container (kinesalite's wording, checked
/// against the service): `Member must satisfy constraint: [Member must have length less than or
/// equal to 128, Member must have length greater than or equal to 1]`.
fn entries_text(which: &str, model: &Model, service: &Service, entry: &str) -> String {
    let shape = model.shape(entry);
    let mut parts = Vec::new();
    if let Some(p) = &shape.pattern {
        parts.push(format!(
            "Member must satisfy regular expression pattern: {p}"
        ));
    }
    if matches!(shape.kind, Kind::Enum(_)) {
        parts.push(format!(
            "Member must satisfy enum value set: {}",
            enum_set(service, shape)
        ));
    }
    if let Some(max) = &shape.max {
        parts.push(format!(
            "Member must have length less than or equal to {max}"
        ));
    }
    if let Some(min) = &shape.min {
        parts.push(format!(
            "Member must have length greater than or equal to {min}"
        ));
    }
    format!("{which} must satisfy constraint: [{}]", parts.join(", "))
}

fn opt_u64_any(n: &Option<serde_json::Number>) -> String {
    opt_u64(n)
}

fn bound_i64(n: &Option<serde_json::Number>) -> String {
    match n {
        Some(n) => format!(
            "Some(({}, {:?}))",
            n.as_i64().expect("a whole bound"),
            n.to_string()
        ),
        None => "None".to_string(),
    }
}

fn bound_f64(n: &Option<serde_json::Number>) -> String {
    match n {
        Some(n) => format!(
            "Some(({:?}, {:?}))",
            n.as_f64().expect("a bound"),
            n.to_string()
        ),
        None => "None".to_string(),
    }
}

/// `From<&ValidationError>` for the service's `Error`: the modeled `ValidationException`, or
/// (Firehose's model has none) the code kept as an unknown one; either serializes with
/// `to_vec_in` as the service sends it.
fn emit_error_answer(model: &Model) -> String {
    let unknown = "super::errors::Error::Unknown {
        code: Cow::Borrowed(refusal.code()),
        message: Some(Cow::Owned(refusal.message().to_string())),
    }";
    let refused = if model.shapes.contains_key("ValidationException") {
        format!(
            "if refusal.code() == \"ValidationException\" {{
        super::errors::Error::ValidationException(shapes::ValidationException {{
            message: Some(Cow::Owned(refusal.message().to_string())),
        }})
    }} else {{
        {unknown}
    }}"
        )
    } else {
        unknown.to_string()
    };
    let modeled = model
        .shapes
        .get("ValidationException")
        .is_some_and(|s| s.exception && s.members.len() == 1 && s.members[0].name == "message");
    let value = if modeled {
        "super::errors::Error::ValidationException(shapes::ValidationException {
            message: Some(Cow::Owned(error.to_string())),
        })"
    } else {
        "super::errors::Error::Unknown {
            code: Cow::Borrowed(error.code()),
            message: Some(Cow::Owned(error.to_string())),
        }"
    };
    format!(
        "impl From<&ValidationError<'_>> for super::errors::Error<'static> {{
    /// The error response the service sends for the violations: serialize it with
    /// `to_vec_in` (JSON or CBOR).
    fn from(error: &ValidationError<'_>) -> Self {{
        use alloc::borrow::Cow;
        use alloc::string::ToString as _;
        {value}
    }}
}}

impl From<&Refusal> for super::errors::Error<'static> {{
    /// The error response the service sends for a refused body: serialize it with
    /// `to_vec_in` (JSON or CBOR).
    fn from(refusal: &Refusal) -> Self {{
        use alloc::borrow::Cow;
        use alloc::string::ToString as _;
        {refused}
    }}
}}

impl Request<'_> {{
    /// Checks a request body as the service does, for a server to answer with: `Err` with the
    /// error it would send (`SerializationException` for a body that does not fit the
    /// operation's shape, with the service's texts for members of the wrong JSON type and
    /// malformed base64; `ValidationException` for the model's constraints, required members
    /// included).
    ///
    /// A body missing required members gets every such member as a `null` item beside the
    /// other violations. A CBOR body is checked as its JSON counterpart (blobs as base64 text).
    pub fn check_body(
        protocol: crate::wire::Protocol,
        operation: Operation,
        body: &[u8],
    ) -> Result<(), Refusal> {{
        crate::validate::body::check(protocol, body, input_type(operation), |protocol, body| {{
            let request = Request::parse_in(protocol, operation, body)?;
            Ok(crate::validate::body::Found::of(request.validate()))
        }})
    }}
}}"
    )
}
