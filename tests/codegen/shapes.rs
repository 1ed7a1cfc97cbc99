//! Emits `src/<service>/generated/shapes/{mod,structures,enums}.rs`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::model::{snake_case, variant_name, Kind, Member, Model, Service, Shape};
use super::HEADER;

/// The Rust type naming shape `name`: its own name, with `<'a>` when it borrows.
pub fn type_of(model: &Model, name: &str) -> String {
    if model.borrows(name) {
        format!("{name}<'a>")
    } else {
        name.to_string()
    }
}

fn kind_word(kind: &Kind) -> &'static str {
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

pub fn emit_mod(model: &Model, service: &Service) -> String {
    let title = service.title;
    let mut out = String::new();
    writeln!(out, "{HEADER}").unwrap();
    writeln!(
        out,
        "//! Every shape of the {title} model (API {}), generated from `{}`.",
        model.api_version, service.model_path
    )
    .unwrap();
    out.push_str(
        r#"//!
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
"#,
    );
    out.push_str("\nuse alloc::borrow::Cow;\nuse alloc::vec::Vec;\n\n");
    out.push_str("mod enums;\nmod structures;\n\npub use enums::*;\npub use structures::*;\n\n");
    for shape in model.shapes.values() {
        let doc = format!(
            "/// The `{}` shape of the {title} model ({}).",
            shape.name,
            kind_word(&shape.kind)
        );
        let lt = if model.borrows(&shape.name) {
            "<'a>"
        } else {
            ""
        };
        let target = match &shape.kind {
            Kind::Str => "Cow<'a, str>".to_string(),
            Kind::Blob => "crate::blob::Blob<'a>".to_string(),
            Kind::Timestamp => "crate::timestamp::Timestamp".to_string(),
            Kind::Bool => "bool".to_string(),
            Kind::Int => "i32".to_string(),
            Kind::Long => "i64".to_string(),
            Kind::Double => "f64".to_string(),
            Kind::List(m) => format!("Vec<{}>", type_of(model, m)),
            Kind::Map(k, v) => {
                assert_eq!(model.shape(k).kind, Kind::Str, "map {} key", shape.name);
                assert_eq!(model.shape(v).kind, Kind::Str, "map {} value", shape.name);
                "crate::wire::de::StrMap<'a>".to_string()
            }
            Kind::Enum(_) | Kind::Struct | Kind::Union => continue,
        };
        writeln!(out, "{doc}\npub type {}{lt} = {target};", shape.name).unwrap();
    }
    out
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

fn emit_member(model: &Model, owner: &Shape, member: &Member, optional: bool, out: &mut String) {
    let shape = model.shape(&member.shape);
    let field = snake_case(&member.name);
    let ty = type_of(model, &member.shape);
    let mut doc = format!(
        "/// `{}`: `{}` ({})",
        member.name,
        member.shape,
        kind_word(&shape.kind)
    );
    if member.required {
        doc.push_str(if optional {
            ", required by the model (lenient here: a response)"
        } else {
            ", required"
        });
    }
    if member.deprecated {
        doc.push_str(", deprecated but still on the wire");
    }
    doc.push('.');
    writeln!(out, "{doc}").unwrap();
    let mut serde: Vec<String> = Vec::new();
    if field.trim_start_matches("r#") != member.name {
        serde.push(format!("rename = \"{}\"", member.name));
    }
    let strict = !model.lenient.contains(&owner.name);
    let helper = member_helper(model, member, strict);
    if optional {
        if helper.is_some() {
            serde.push("default".into());
        }
        serde.push("skip_serializing_if = \"Option::is_none\"".into());
    }
    if model.borrows(&member.shape) {
        serde.push("borrow".into());
    }
    if let Some(h) = helper {
        let h = if optional {
            format!("opt_{h}")
        } else {
            h.to_string()
        };
        serde.push(format!("deserialize_with = \"crate::wire::de::{h}\""));
        // A timestamp's own `Arbitrary` impl already stays in the exact range.
        if shape.kind != Kind::Timestamp {
            writeln!(
                out,
                "#[cfg_attr(feature = \"arbitrary\", arbitrary(with = crate::wire::arb::{h}))]"
            )
            .unwrap();
        }
    } else if shape.kind == Kind::Double {
        let h = if optional {
            "opt_f64_short"
        } else {
            "f64_short"
        };
        writeln!(
            out,
            "#[cfg_attr(feature = \"arbitrary\", arbitrary(with = crate::wire::arb::{h}))]"
        )
        .unwrap();
    }
    if !serde.is_empty() {
        writeln!(out, "#[serde({})]", serde.join(", ")).unwrap();
    }
    if optional {
        writeln!(out, "pub {field}: Option<{ty}>,").unwrap();
    } else {
        writeln!(out, "pub {field}: {ty},").unwrap();
    }
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

fn emit_struct(model: &Model, service: &Service, shape: &Shape, out: &mut String) {
    let lenient = model.lenient.contains(&shape.name);
    let mut doc = format!(
        "/// The `{}` shape of the {} model",
        shape.name, service.title
    );
    let uses = model.uses(&shape.name);
    if !uses.is_empty() {
        write!(doc, ": {}", uses.join(", ")).unwrap();
    }
    if shape.exception {
        doc.push_str(if shape.fault {
            ": an exception (server fault)"
        } else {
            ": an exception (client fault)"
        });
    }
    if shape.event {
        doc.push_str(": an event of the event stream");
    }
    doc.push('.');
    writeln!(out, "{doc}").unwrap();
    if lenient {
        writeln!(
            out,
            "///\n/// Part of a response: every member is optional (see the module docs)."
        )
        .unwrap();
    }
    let event_members: Vec<&Member> = shape
        .members
        .iter()
        .filter(|m| model.shape(&m.shape).eventstream)
        .collect();
    for m in &event_members {
        writeln!(
            out,
            "///\n/// The member `{}` is an event stream, not part of the JSON body: see `{}`.",
            m.name, m.shape
        )
        .unwrap();
    }
    let mut derives = vec!["Clone", "Debug", "PartialEq"];
    if defaultable(model, shape, lenient, &mut BTreeSet::new()) {
        derives.push("Default");
    }
    derives.push("serde::Serialize");
    derives.push("serde::Deserialize");
    writeln!(out, "#[derive({})]", derives.join(", ")).unwrap();
    out.push_str("#[cfg_attr(feature = \"arbitrary\", derive(arbitrary::Arbitrary))]\n");
    writeln!(out, "pub struct {} {{", type_of(model, &shape.name)).unwrap();
    for member in &shape.members {
        if model.shape(&member.shape).eventstream {
            continue;
        }
        emit_member(model, shape, member, lenient || !member.required, out);
    }
    out.push_str("}\n\n");
}

fn emit_union(model: &Model, service: &Service, shape: &Shape, out: &mut String) {
    if shape.eventstream {
        writeln!(
            out,
            "/// The `{}` event stream of the {} model: one variant per event or exception.\n///\n/// On the wire these arrive as event-stream frames, not JSON; the serde form is the\n/// model's union form `{{\"Member\": value}}`.",
            shape.name, service.title
        )
        .unwrap();
    } else {
        writeln!(
            out,
            "/// The `{}` union of the {} model: exactly one member, `{{\"Member\": value}}` on the wire.",
            shape.name, service.title
        )
        .unwrap();
    }
    out.push_str("#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]\n");
    out.push_str("#[cfg_attr(feature = \"arbitrary\", derive(arbitrary::Arbitrary))]\n");
    writeln!(out, "pub enum {} {{", type_of(model, &shape.name)).unwrap();
    for member in &shape.members {
        let inner = model.shape(&member.shape);
        assert!(
            matches!(inner.kind, Kind::Struct),
            "union member {}.{} must be a structure",
            shape.name,
            member.name
        );
        writeln!(out, "/// `{}`: `{}`.", member.name, member.shape).unwrap();
        if variant_ident(&member.name) != member.name {
            writeln!(out, "#[serde(rename = \"{}\")]", member.name).unwrap();
        }
        let borrow = if model.borrows(&member.shape) {
            "#[serde(borrow)] "
        } else {
            ""
        };
        writeln!(
            out,
            "{}({borrow}{}),",
            variant_ident(&member.name),
            type_of(model, &member.shape)
        )
        .unwrap();
    }
    out.push_str("}\n\n");
}

fn variant_ident(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

pub fn emit_structures(model: &Model, service: &Service) -> String {
    let mut out = String::new();
    writeln!(out, "{HEADER}").unwrap();
    writeln!(
        out,
        "//! The structures and unions of the {} model (see the parent module).\n",
        service.title
    )
    .unwrap();
    out.push_str("#[allow(unused_imports)]\nuse alloc::borrow::Cow;\n#[allow(unused_imports)]\nuse alloc::vec::Vec;\n\n#[allow(unused_imports)]\nuse super::*;\n\n");
    for shape in model.shapes.values() {
        match shape.kind {
            Kind::Struct => emit_struct(model, service, shape, &mut out),
            Kind::Union => emit_union(model, service, shape, &mut out),
            _ => {}
        }
    }
    out
}

pub fn emit_enums(model: &Model, service: &Service) -> String {
    let mut out = String::new();
    writeln!(out, "{HEADER}").unwrap();
    writeln!(
        out,
        "//! The open enums of the {} model (see the parent module).\n",
        service.title
    )
    .unwrap();
    out.push_str("use alloc::borrow::Cow;\n\n");
    for shape in model.shapes.values() {
        let Kind::Enum(values) = &shape.kind else {
            continue;
        };
        let name = &shape.name;
        let variants: Vec<String> = values.iter().map(|v| variant_name(v)).collect();
        let unique: BTreeSet<&String> = variants.iter().collect();
        assert_eq!(
            unique.len(),
            variants.len(),
            "enum {name}: variant names collide"
        );
        assert!(
            !variants.iter().any(|v| v == "Unknown"),
            "enum {name}: a value is named Unknown"
        );
        writeln!(
            out,
            "/// The `{name}` enum of the {} model.\n///\n/// Open: a value the model does not know is kept in `Unknown` and written back unchanged.\n/// Build values with [`{name}::from_cow`] (or `From<&str>`) so that a known value never ends up\n/// in `Unknown`.",
            service.title
        )
        .unwrap();
        out.push_str(
            "#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]\n#[non_exhaustive]\n",
        );
        writeln!(out, "pub enum {name}<'a> {{").unwrap();
        for (v, value) in variants.iter().zip(values) {
            writeln!(out, "/// `{value}`\n{v},").unwrap();
        }
        out.push_str(
            "/// A value this version of the model does not know.\nUnknown(Cow<'a, str>),\n}\n\n",
        );
        writeln!(out, "impl<'a> {name}<'a> {{").unwrap();
        let list: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
        writeln!(
            out,
            "/// Every value the model knows, in model order.\npub const VALUES: &'static [&'static str] = &[{}];\n",
            list.join(", ")
        )
        .unwrap();
        out.push_str(
            "/// The value as written on the wire.\npub fn as_str(&self) -> &str {\nmatch self {\n",
        );
        for (v, value) in variants.iter().zip(values) {
            writeln!(out, "Self::{v} => {value:?},").unwrap();
        }
        out.push_str("Self::Unknown(value) => value,\n}\n}\n\n");
        out.push_str("/// The variant for a wire value; `Unknown` only if the model does not know it.\npub fn from_cow(value: Cow<'a, str>) -> Self {\nmatch &*value {\n");
        for (v, value) in variants.iter().zip(values) {
            writeln!(out, "{value:?} => Self::{v},").unwrap();
        }
        out.push_str("_ => Self::Unknown(value),\n}\n}\n\n");
        writeln!(
            out,
            "/// A copy that borrows nothing.\npub fn into_owned(self) -> {name}<'static> {{\nmatch self {{"
        )
        .unwrap();
        for v in &variants {
            writeln!(out, "Self::{v} => {name}::{v},").unwrap();
        }
        writeln!(
            out,
            "Self::Unknown(value) => {name}::Unknown(Cow::Owned(value.into_owned())),\n}}\n}}\n}}\n"
        )
        .unwrap();
        writeln!(
            out,
            "impl<'a> From<&'a str> for {name}<'a> {{\nfn from(value: &'a str) -> Self {{\nSelf::from_cow(Cow::Borrowed(value))\n}}\n}}\n"
        )
        .unwrap();
        writeln!(
            out,
            "impl core::fmt::Display for {name}<'_> {{\nfn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {{\nf.write_str(self.as_str())\n}}\n}}\n"
        )
        .unwrap();
        writeln!(
            out,
            "impl serde::Serialize for {name}<'_> {{\nfn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {{\nserializer.serialize_str(self.as_str())\n}}\n}}\n"
        )
        .unwrap();
        writeln!(
            out,
            "impl<'de: 'a, 'a> serde::Deserialize<'de> for {name}<'a> {{\nfn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {{\ncrate::wire::de::cow_str(deserializer).map(Self::from_cow)\n}}\n}}\n"
        )
        .unwrap();
        writeln!(
            out,
            "#[cfg(feature = \"arbitrary\")]\nimpl<'x, 'a> arbitrary::Arbitrary<'x> for {name}<'a> {{\nfn arbitrary(u: &mut arbitrary::Unstructured<'x>) -> arbitrary::Result<Self> {{\nlet index = u.choose_index(Self::VALUES.len().saturating_add(1))?;\nOk(match Self::VALUES.get(index) {{\nSome(value) => Self::from_cow(Cow::Borrowed(value)),\nNone => Self::from_cow(crate::wire::arb::cow_str(u)?),\n}})\n}}\n}}\n"
        )
        .unwrap();
    }
    out
}
