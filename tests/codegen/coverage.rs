//! Emits `tests/generated/coverage.rs`: every shape of every model named by its Rust type, with
//! a sample value that sets every member, for `tests/wire_coverage.rs` to check against the
//! model. A shape, member, enum value or union member without its Rust counterpart is a compile
//! error there.

use std::collections::BTreeSet;

use super::model::{snake_case, variant_name, Kind, Model, Service, Shape};
use super::shapes::{is_field, is_optional, variant_ident};
use super::text::{lines, list};
use super::HEADER;

/// The file, for every model.
pub fn emit_coverage(models: &[(&Model, &Service)]) -> String {
    let modules = lines(models, |(model, service)| emit_module(model, service));
    format!(
        "\
{HEADER}
//! Every shape of both models named by its Rust type, with a sample value that sets every
//! member: a shape, member, enum value or union member without its Rust counterpart does not
//! compile. `tests/wire_coverage.rs` includes this file and checks each sample against the model.

{modules}"
    )
}

/// `pub mod kinesis`: `visit`, then a sample function per shape.
fn emit_module(model: &Model, service: &Service) -> String {
    let Service { module, title, .. } = service;
    let names: BTreeSet<String> = model.shapes.keys().map(|name| sample_fn(name)).collect();
    assert_eq!(
        names.len(),
        model.shapes.len(),
        "{module}: sample names collide"
    );
    let visits = lines(model.shapes.values(), emit_visit);
    let used = used_samples(model);
    let samples = lines(
        model
            .shapes
            .values()
            .filter(|shape| used.contains(&shape.name)),
        |shape| emit_sample(model, shape),
    );
    format!(
        "\
/// The shapes of the {title} model.
pub mod {module} {{
    use kinesis_codec::{module}::shapes as s;

    /// Hands every shape of the model to `check` with its samples, in model order.
    pub fn visit(check: &mut crate::ShapeCheck) {{
        {visits}
    }}

    {samples}
}}
"
    )
}

/// The shapes whose sample function is called: structures and aliases by `visit`, and every
/// shape that is a field or list element of another (enums and unions are visited by variants).
fn used_samples(model: &Model) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for shape in model.shapes.values() {
        match &shape.kind {
            Kind::Enum(_) => {}
            Kind::Union => used.extend(shape.members.iter().map(|m| m.shape.clone())),
            Kind::Struct => {
                used.insert(shape.name.clone());
                let fields = shape.members.iter().filter(|m| is_field(model, m));
                used.extend(fields.map(|m| m.shape.clone()));
            }
            Kind::List(member) => {
                used.insert(shape.name.clone());
                used.insert(member.clone());
            }
            _ => {
                used.insert(shape.name.clone());
            }
        }
    }
    used
}

/// `sample_stream_name`: the function giving the sample of a shape.
fn sample_fn(name: &str) -> String {
    format!("sample_{}", snake_case(name).trim_start_matches("r#"))
}

/// `s::StreamName<'static>`: the Rust type of a shape's sample.
fn sample_type(model: &Model, name: &str) -> String {
    if model.borrows(name) {
        format!("s::{name}<'static>")
    } else {
        format!("s::{name}")
    }
}

/// The call handing one shape to the check: by kind, with its sample, or every variant of an
/// enum or union.
fn emit_visit(shape: &Shape) -> String {
    let name = &shape.name;
    let sample = sample_fn(name);
    match &shape.kind {
        Kind::Struct => format!("check.structure({name:?}, &{sample}());"),
        Kind::Enum(values) => {
            let variants = list(values, |value| {
                format!("s::{name}::{}", variant_name(value))
            });
            format!("check.enumeration({name:?}, &[{variants}]);")
        }
        Kind::Union => {
            let variants = list(&shape.members, |member| union_variant(shape, member));
            format!("check.union({name:?}, &[{variants}]);")
        }
        _ => format!("check.alias({name:?}, &{sample}());"),
    }
}

/// `s::Union::Member(sample_member())`.
fn union_variant(union: &Shape, member: &super::model::Member) -> String {
    let variant = variant_ident(&member.name);
    let sample = sample_fn(&member.shape);
    format!("s::{}::{variant}({sample}())", union.name)
}

/// `fn sample_x() -> s::X { ... }`: a value of the shape with every member set.
fn emit_sample(model: &Model, shape: &Shape) -> String {
    let name = &shape.name;
    let sample = sample_fn(name);
    let ty = sample_type(model, name);
    let value = match &shape.kind {
        Kind::Str => format!("{name:?}.into()"),
        Kind::Enum(values) => {
            let first = values.first().expect("an enum has values");
            format!("s::{name}::{}", variant_name(first))
        }
        Kind::Blob => "kinesis_codec::blob::Blob::from_bytes(b\"blob\")".to_string(),
        Kind::Timestamp => {
            "kinesis_codec::timestamp::Timestamp::from_millis(1_441_215_410_867)".to_string()
        }
        Kind::Bool => "true".to_string(),
        Kind::Int | Kind::Long => "1".to_string(),
        Kind::Double => "1.5".to_string(),
        Kind::List(member) => format!("vec![{}()]", sample_fn(member)),
        Kind::Map(_, _) => r#"[("key".into(), "value".into())].into_iter().collect()"#.to_string(),
        Kind::Struct => emit_struct_value(model, shape),
        Kind::Union => {
            let first = shape.members.first().expect("a union has members");
            union_variant(shape, first)
        }
    };
    format!(
        "\
fn {sample}() -> {ty} {{
    {value}
}}
"
    )
}

/// `s::X { member: Some(sample_member()), ... }`: every field set.
fn emit_struct_value(model: &Model, shape: &Shape) -> String {
    let name = &shape.name;
    let fields = lines(
        shape.members.iter().filter(|m| is_field(model, m)),
        |member| {
            let field = snake_case(&member.name);
            let sample = sample_fn(&member.shape);
            if is_optional(model, shape, member) {
                format!("{field}: Some({sample}()),")
            } else {
                format!("{field}: {sample}(),")
            }
        },
    );
    format!(
        "\
s::{name} {{
    {fields}
}}"
    )
}
