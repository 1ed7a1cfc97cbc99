//! Emits `src/<service>/generated/shapes/mod.rs` (the module docs and a type alias for every
//! string, number, list and map shape) and `shapes/structures.rs` (structures and unions).

use std::collections::BTreeSet;

use super::model::{snake_case, Kind, Member, Model, Service, Shape};
use super::text::lines;
use super::HEADER;

/// The Rust type naming shape `name`: its own name, with `<'a>` when it borrows.
pub fn type_of(model: &Model, name: &str) -> String {
    if model.borrows(name) {
        format!("{name}<'a>")
    } else {
        name.to_string()
    }
}

/// The model's word for a kind of shape, as the docs name it.
pub fn kind_word(kind: &Kind) -> &'static str {
    match kind {
        Kind::Str => "string",
        Kind::Enum(_) => "enum",
        Kind::Blob => "blob",
        Kind::Timestamp => "timestamp",
        Kind::Bool => "boolean",
        Kind::Int => "integer",
        Kind::Long => "long",
        Kind::Double => "double",
        Kind::List(_) => "list",
        Kind::Map(_, _) => "map",
        Kind::Struct => "structure",
        Kind::Union => "union",
    }
}

/// `shapes/mod.rs`: the rules every shape follows, then the aliases.
pub fn emit_mod(model: &Model, service: &Service) -> String {
    let Service {
        title, model_path, ..
    } = service;
    let api_version = &model.api_version;
    let aliases = lines(
        model
            .shapes
            .values()
            .filter_map(|shape| alias_target(model, shape).map(|t| (shape, t))),
        |(shape, target)| emit_alias(model, service, shape, &target),
    );
    format!(
        "\
{HEADER}
//! Every shape of the {title} model (API {api_version}), generated from `{model_path}`.
//!
//! Structures are in this module under their model names; strings, numbers, lists and maps are
//! type aliases so that every model shape has a Rust name.
//!
//! - Strings are `Cow<'a, str>`: borrowed from the JSON body when they contain no escape.
//! - `blob` is [`Blob`](crate::blob::Blob), `timestamp` is
//!   [`Timestamp`](crate::timestamp::Timestamp), `long` is `i64` (never through a float),
//!   `integer` is `i32`, `double` is `f64`. A timestamp in a request must be a JSON number;
//!   in a response botocore's string forms are accepted too.
//! - Enums are open: each has a variant per model value and `Unknown(Cow<'a, str>)`, so values
//!   added by the service later survive a parse and a re-serialization.
//! - A member that is absent or `null` is `None`; unknown members are ignored.
//!
//! # Required members
//!
//! A structure reachable from an operation output, an exception or the event stream is parsed
//! leniently: every member is an `Option`, whatever the model says, because clients do not
//! enforce `required` on responses and real services and emulators break it (moto omits
//! required members of Firehose descriptions). Every other structure is only ever a request
//! (or part of one); there a member the model marks `required` is a plain field, so a request
//! without it is refused with an error naming the member. The model's other constraints
//! (`min`, `max`, `pattern`) are not checked here.

use alloc::borrow::Cow;
use alloc::vec::Vec;

mod enums;
mod structures;

pub use enums::*;
pub use structures::*;

{aliases}
"
    )
}

/// What the alias of a shape stands for; `None` for the shapes that are types of their own.
fn alias_target(model: &Model, shape: &Shape) -> Option<String> {
    Some(match &shape.kind {
        Kind::Str => "Cow<'a, str>".to_string(),
        Kind::Blob => "crate::blob::Blob<'a>".to_string(),
        Kind::Timestamp => "crate::timestamp::Timestamp".to_string(),
        Kind::Bool => "bool".to_string(),
        Kind::Int => "i32".to_string(),
        Kind::Long => "i64".to_string(),
        Kind::Double => "f64".to_string(),
        Kind::List(member) => format!("Vec<{}>", type_of(model, member)),
        Kind::Map(key, value) => {
            assert_eq!(model.shape(key).kind, Kind::Str, "map {} key", shape.name);
            assert_eq!(
                model.shape(value).kind,
                Kind::Str,
                "map {} value",
                shape.name
            );
            "crate::wire::de::StrMap<'a>".to_string()
        }
        Kind::Enum(_) | Kind::Struct | Kind::Union => return None,
    })
}

fn emit_alias(model: &Model, service: &Service, shape: &Shape, target: &str) -> String {
    let name = &shape.name;
    let title = service.title;
    let kind = kind_word(&shape.kind);
    let lifetime = if model.borrows(name) { "<'a>" } else { "" };
    format!(
        "\
/// The `{name}` shape of the {title} model ({kind}).
pub type {name}{lifetime} = {target};"
    )
}

/// `shapes/structures.rs`: every structure and union.
pub fn emit_structures(model: &Model, service: &Service) -> String {
    let title = service.title;
    let items = lines(
        model
            .shapes
            .values()
            .filter(|shape| matches!(shape.kind, Kind::Struct | Kind::Union)),
        |shape| match shape.kind {
            Kind::Struct => emit_struct(model, service, shape),
            _ => emit_union(model, service, shape),
        },
    );
    format!(
        "\
{HEADER}
//! The structures and unions of the {title} model (see the parent module).

#[allow(unused_imports)]
use alloc::borrow::Cow;
#[allow(unused_imports)]
use alloc::vec::Vec;

#[allow(unused_imports)]
use super::*;

{items}
"
    )
}

fn emit_struct(model: &Model, service: &Service, shape: &Shape) -> String {
    let lenient = model.lenient.contains(&shape.name);
    let docs = struct_docs(model, service, shape, lenient);
    let mut derives = vec!["Clone", "Debug", "PartialEq"];
    if defaultable(model, shape, lenient, &mut BTreeSet::new()) {
        derives.push("Default");
    }
    derives.extend(["serde::Serialize", "serde::Deserialize"]);
    let derives = derives.join(", ");
    let ty = type_of(model, &shape.name);
    let members = lines(
        shape.members.iter().filter(|m| is_field(model, m)),
        |member| emit_member(model, shape, member, is_optional(model, shape, member)),
    );
    format!(
        r#"{docs}
#[derive({derives})]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct {ty} {{
    {members}
}}
"#
    )
}

/// What the structure is for, whether it is lenient, and where its event stream went.
fn struct_docs(model: &Model, service: &Service, shape: &Shape, lenient: bool) -> String {
    let name = &shape.name;
    let title = service.title;
    let uses = model.uses(name);
    let uses = if uses.is_empty() {
        String::new()
    } else {
        format!(": {}", uses.join(", "))
    };
    let exception = match (shape.exception, shape.fault) {
        (false, _) => "",
        (true, false) => ": an exception (client fault)",
        (true, true) => ": an exception (server fault)",
    };
    let event = if shape.event {
        ": an event of the event stream"
    } else {
        ""
    };
    let mut docs = vec![format!(
        "/// The `{name}` shape of the {title} model{uses}{exception}{event}."
    )];
    if lenient {
        docs.push(
            "\
///
/// Part of a response: every member is optional (see the module docs)."
                .to_string(),
        );
    }
    for member in shape
        .members
        .iter()
        .filter(|m| model.shape(&m.shape).eventstream)
    {
        let Member { name, shape, .. } = member;
        docs.push(format!(
            "\
///
/// The member `{name}` is an event stream, not part of the JSON body: see `{shape}`."
        ));
    }
    docs.join("\n")
}

/// Is the member's field an `Option`: in a structure parsed leniently, or not required?
pub fn is_optional(model: &Model, owner: &Shape, member: &Member) -> bool {
    model.lenient.contains(&owner.name) || !member.required
}

/// Is the member part of the structure's Rust type (an event stream is not: it is not JSON)?
pub fn is_field(model: &Model, member: &Member) -> bool {
    !model.shape(&member.shape).eventstream
}

/// Can `Default` be derived (no required enum or union member, transitively)?
fn defaultable(
    model: &Model,
    shape: &Shape,
    optional_all: bool,
    seen: &mut BTreeSet<String>,
) -> bool {
    if !seen.insert(shape.name.clone()) {
        return true;
    }
    shape.members.iter().all(|m| {
        if optional_all || !m.required {
            return true;
        }
        let s = model.shape(&m.shape);
        match &s.kind {
            Kind::Enum(_) | Kind::Union => false,
            Kind::Struct => defaultable(model, s, model.lenient.contains(&s.name), seen),
            _ => true,
        }
    })
}

/// One field: its docs, its `arbitrary` and `serde` attributes, its declaration.
fn emit_member(model: &Model, owner: &Shape, member: &Member, optional: bool) -> String {
    let strict = !model.lenient.contains(&owner.name);
    let helper = member_helper(model, member, strict).map(|h| {
        if optional {
            format!("opt_{h}")
        } else {
            h.to_string()
        }
    });
    let field = snake_case(&member.name);
    let ty = type_of(model, &member.shape);
    let ty = if optional {
        format!("Option<{ty}>")
    } else {
        ty
    };
    let mut out = vec![member_doc(model, member, optional)];
    out.extend(arbitrary_attr(model, member, helper.as_deref(), optional));
    out.extend(serde_attr(model, member, helper.as_deref(), optional));
    out.push(format!("pub {field}: {ty},"));
    out.join("\n")
}

/// How a member is read and generated, by what its shape resolves to.
fn member_helper(model: &Model, member: &Member, strict: bool) -> Option<&'static str> {
    match &model.shape(&member.shape).kind {
        // Requests carry timestamps as numbers; responses may use botocore's string forms.
        Kind::Timestamp if strict => Some("timestamp_number"),
        Kind::Str => Some("cow_str"),
        Kind::List(m) if model.shape(m).kind == Kind::Str => Some("vec_cow_str"),
        Kind::Map(_, _) => Some("map_cow_str"),
        _ => None,
    }
}

/// `` /// `Name`: `Shape` (kind), required. ``
fn member_doc(model: &Model, member: &Member, optional: bool) -> String {
    let Member {
        name,
        shape,
        required,
        deprecated,
    } = member;
    let kind = kind_word(&model.shape(shape).kind);
    let required = match (required, optional) {
        (false, _) => "",
        (true, true) => ", required by the model (lenient here: a response)",
        (true, false) => ", required",
    };
    let deprecated = if *deprecated {
        ", deprecated but still on the wire"
    } else {
        ""
    };
    format!("/// `{name}`: `{shape}` ({kind}){required}{deprecated}.")
}

/// The `arbitrary(with = ...)` attribute of a member whose values need a generator of the
/// crate's: strings and maps (borrowed), doubles (short enough to print exactly).
fn arbitrary_attr(
    model: &Model,
    member: &Member,
    helper: Option<&str>,
    optional: bool,
) -> Option<String> {
    let with = match (helper, &model.shape(&member.shape).kind) {
        // A timestamp's own `Arbitrary` impl already stays in the exact range.
        (Some(_), Kind::Timestamp) => return None,
        (Some(helper), _) => helper,
        (None, Kind::Double) if optional => "opt_f64_short",
        (None, Kind::Double) => "f64_short",
        (None, _) => return None,
    };
    Some(format!(
        r#"#[cfg_attr(feature = "arbitrary", arbitrary(with = crate::wire::arb::{with}))]"#
    ))
}

/// The `serde` attribute of a member: its wire name, absence, borrowing, reader.
fn serde_attr(
    model: &Model,
    member: &Member,
    helper: Option<&str>,
    optional: bool,
) -> Option<String> {
    let mut args = Vec::new();
    if snake_case(&member.name).trim_start_matches("r#") != member.name {
        args.push(format!("rename = {:?}", member.name));
    }
    if optional && helper.is_some() {
        args.push("default".to_string());
    }
    if optional {
        args.push(r#"skip_serializing_if = "Option::is_none""#.to_string());
    }
    if model.borrows(&member.shape) {
        args.push("borrow".to_string());
    }
    if let Some(helper) = helper {
        args.push(format!(r#"deserialize_with = "crate::wire::de::{helper}""#));
    }
    (!args.is_empty()).then(|| format!("#[serde({})]", args.join(", ")))
}

fn emit_union(model: &Model, service: &Service, shape: &Shape) -> String {
    let name = &shape.name;
    let title = service.title;
    let docs = if shape.eventstream {
        format!(
            "\
/// The `{name}` event stream of the {title} model: one variant per event or exception.
///
/// On the wire these arrive as event-stream frames, not JSON; the serde form is the
/// model's union form `{{\"Member\": value}}`."
        )
    } else {
        format!(
            "/// The `{name}` union of the {title} model: exactly one member, \
             `{{\"Member\": value}}` on the wire."
        )
    };
    let ty = type_of(model, name);
    let variants = lines(&shape.members, |member| emit_variant(model, shape, member));
    format!(
        r#"{docs}
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum {ty} {{
    {variants}
}}
"#
    )
}

/// A union member: a variant holding the member's structure.
fn emit_variant(model: &Model, union: &Shape, member: &Member) -> String {
    let Member { name, shape, .. } = member;
    assert!(
        matches!(model.shape(shape).kind, Kind::Struct),
        "union member {}.{name} must be a structure",
        union.name,
    );
    let variant = variant_ident(name);
    let rename = if variant != *name {
        format!("#[serde(rename = \"{name}\")]\n")
    } else {
        String::new()
    };
    let borrow = if model.borrows(shape) {
        "#[serde(borrow)] "
    } else {
        ""
    };
    let ty = type_of(model, shape);
    format!(
        "\
/// `{name}`: `{shape}`.
{rename}{variant}({borrow}{ty}),"
    )
}

/// A union member's variant: its name, capitalized.
pub fn variant_ident(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}
