//! Emits, into `validate.rs`, the JSON type of every operation input (`crate::validate::Type`):
//! a static per structure, list and map reachable from an input, and `input_type`, for the
//! `SerializationException` checks of `Request::check_body`.

use std::collections::BTreeSet;

use super::model::{snake_case, Kind, Model};
use super::text::lines;

/// The statics and `input_type`.
pub fn emit_types(model: &Model) -> String {
    let mut shapes = BTreeSet::new();
    let mut todo: Vec<String> = model
        .operations
        .iter()
        .filter_map(|op| op.input.clone())
        .collect();
    while let Some(name) = todo.pop() {
        let shape = model.shape(&name);
        if !matches!(shape.kind, Kind::Struct | Kind::List(_) | Kind::Map(..))
            || !shapes.insert(name.clone())
        {
            continue;
        }
        match &shape.kind {
            Kind::Struct => todo.extend(shape.members.iter().map(|m| m.shape.clone())),
            Kind::List(entry) => todo.push(entry.clone()),
            Kind::Map(_, value) => todo.push(value.clone()),
            _ => {}
        }
    }
    let statics = lines(&shapes, |name| {
        let konst = type_static(name);
        let ty = definition(model, name);
        format!("/// The JSON type of `{name}`.\nstatic {konst}: Type = {ty};")
    });
    let arms = lines(&model.operations, |op| {
        let input = op.input.as_ref().expect("input");
        let konst = type_static(input);
        format!("Operation::{} => &{konst},", op.name)
    });
    format!(
        "\
/// The JSON type of `operation`'s input.
fn input_type(operation: Operation) -> &'static Type {{
    match operation {{
        {arms}
    }}
}}

{statics}"
    )
}

fn type_static(name: &str) -> String {
    format!(
        "TYPE_{}",
        snake_case(name).trim_start_matches("r#").to_uppercase()
    )
}

/// The definition of a structure, list or map's `Type`.
fn definition(model: &Model, name: &str) -> String {
    let shape = model.shape(name);
    match &shape.kind {
        Kind::List(entry) => format!("Type::List({})", reference(model, entry)),
        Kind::Map(_, value) => format!("Type::Map({})", reference(model, value)),
        Kind::Struct => {
            let members = shape
                .members
                .iter()
                .filter(|m| !model.shape(&m.shape).eventstream)
                .map(|m| format!("({:?}, {})", m.name, reference(model, &m.shape)))
                .collect::<Vec<_>>()
                .join(", ");
            format!("Type::Struct(&[{members}])")
        }
        _ => unreachable!("{name} has a static only if it is a structure, list or map"),
    }
}

/// `&'static Type` of a shape: its static, or the scalar.
fn reference(model: &Model, name: &str) -> String {
    match &model.shape(name).kind {
        Kind::Struct | Kind::List(_) | Kind::Map(..) => format!("&{}", type_static(name)),
        Kind::Str | Kind::Enum(_) => "&Type::Str".to_string(),
        Kind::Bool => "&Type::Bool".to_string(),
        Kind::Int => "&Type::Whole(\"Integer\")".to_string(),
        Kind::Long => "&Type::Whole(\"Long\")".to_string(),
        Kind::Double => "&Type::Double".to_string(),
        Kind::Blob => "&Type::Blob".to_string(),
        Kind::Timestamp => "&Type::Timestamp".to_string(),
        Kind::Union => panic!("union {name} in an input: not supported by validation"),
    }
}
