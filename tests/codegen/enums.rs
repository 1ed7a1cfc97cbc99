//! Emits `src/<service>/generated/shapes/enums.rs`: an open enum for every string shape with
//! an `enum` list.

use std::collections::BTreeSet;

use super::model::{variant_name, Kind, Model, Service};
use super::text::{lines, quoted};
use super::HEADER;

pub fn emit_enums(model: &Model, service: &Service) -> String {
    let title = service.title;
    let enums = lines(
        model.shapes.values().filter_map(|shape| match &shape.kind {
            Kind::Enum(values) => Some((&shape.name, values)),
            _ => None,
        }),
        |(name, values)| emit_enum(service, name, values),
    );
    format!(
        "\
{HEADER}
//! The open enums of the {title} model (see the parent module).

use alloc::borrow::Cow;

{enums}
"
    )
}

/// The variant of each value, checked to be distinct and apart from `Unknown`.
fn variants(name: &str, values: &[String]) -> Vec<String> {
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
    variants
}

/// One enum: the type, its methods, and its conversions, serde and `Arbitrary` impls.
fn emit_enum(service: &Service, name: &str, values: &[String]) -> String {
    let title = service.title;
    let variants = variants(name, values);
    let pairs = || variants.iter().zip(values);
    let declarations = lines(pairs(), |(variant, value)| {
        format!("/// `{value}`\n{variant},")
    });
    let value_list = quoted(values);
    let as_str_arms = lines(pairs(), |(variant, value)| {
        format!("Self::{variant} => {value:?},")
    });
    let from_cow_arms = lines(pairs(), |(variant, value)| {
        format!("{value:?} => Self::{variant},")
    });
    let into_owned_arms = lines(&variants, |variant| {
        format!("Self::{variant} => {name}::{variant},")
    });
    format!(
        r#"/// The `{name}` enum of the {title} model.
///
/// Open: a value the model does not know is kept in `Unknown` and written back unchanged.
/// Build values with [`{name}::from_cow`] (or `From<&str>`) so that a known value never ends up
/// in `Unknown`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum {name}<'a> {{
    {declarations}
    /// A value this version of the model does not know.
    Unknown(Cow<'a, str>),
}}

impl<'a> {name}<'a> {{
    /// Every value the model knows, in model order.
    pub const VALUES: &'static [&'static str] = &[{value_list}];

    /// The value as written on the wire.
    pub fn as_str(&self) -> &str {{
        match self {{
            {as_str_arms}
            Self::Unknown(value) => value,
        }}
    }}

    /// The variant for a wire value; `Unknown` only if the model does not know it.
    pub fn from_cow(value: Cow<'a, str>) -> Self {{
        match &*value {{
            {from_cow_arms}
            _ => Self::Unknown(value),
        }}
    }}

    /// A copy that borrows nothing.
    pub fn into_owned(self) -> {name}<'static> {{
        match self {{
            {into_owned_arms}
            Self::Unknown(value) => {name}::Unknown(Cow::Owned(value.into_owned())),
        }}
    }}
}}

impl<'a> From<&'a str> for {name}<'a> {{
    fn from(value: &'a str) -> Self {{
        Self::from_cow(Cow::Borrowed(value))
    }}
}}

impl core::fmt::Display for {name}<'_> {{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {{
        f.write_str(self.as_str())
    }}
}}

impl serde::Serialize for {name}<'_> {{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {{
        serializer.serialize_str(self.as_str())
    }}
}}

impl<'de: 'a, 'a> serde::Deserialize<'de> for {name}<'a> {{
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {{
        crate::wire::de::cow_str(deserializer).map(Self::from_cow)
    }}
}}

#[cfg(feature = "arbitrary")]
impl<'x, 'a> arbitrary::Arbitrary<'x> for {name}<'a> {{
    fn arbitrary(u: &mut arbitrary::Unstructured<'x>) -> arbitrary::Result<Self> {{
        let index = u.choose_index(Self::VALUES.len().saturating_add(1))?;
        Ok(match Self::VALUES.get(index) {{
            Some(value) => Self::from_cow(Cow::Borrowed(value)),
            None => Self::from_cow(crate::wire::arb::cow_str(u)?),
        }})
    }}
}}
"#
    )
}
