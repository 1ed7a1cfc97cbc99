//! The constraint checks the generated validators call, one per kind of constraint, in the
//! service's order within a member.

use super::path::Path;
use super::pattern::Pattern;
use super::report::{Rule, Value, Violations};

/// The constraints of a string shape.
#[derive(Debug)]
pub struct StrRules {
    /// `pattern`.
    pub pattern: Option<&'static Pattern>,
    /// `min` (UTF-16 code units).
    pub min: Option<u64>,
    /// `max` (UTF-16 code units).
    pub max: Option<u64>,
}

/// The length of `text` as Java counts it: UTF-16 code units.
///
/// spec/validation.md: "Lengths count UTF-16 code units (Java strings): 256 × `é` is a valid
/// partition key, 257 × `é` is not; characters outside the BMP count 2."
pub fn utf16_len(text: &str) -> u64 {
    text.chars()
        .fold(0u64, |n, c| n.saturating_add(c.len_utf16() as u64))
}

/// A count (of bytes, entries) as a length.
pub fn len(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Whether a string meets every constraint (for the entries of a list or a map).
pub fn str_ok(text: &str, rules: &StrRules) -> bool {
    let len = utf16_len(text);
    rules.pattern.is_none_or(|p| p.matches(text))
        && rules.min.is_none_or(|min| len >= min)
        && rules.max.is_none_or(|max| len <= max)
}

/// A string member: pattern, then length.
///
/// spec/validation.md: "Within one member, a pattern violation is listed before a length
/// violation."
pub fn string<'r>(out: &mut Violations<'r>, path: &Path, text: &'r str, rules: &StrRules) {
    if let Some(pattern) = rules.pattern {
        if !pattern.matches(text) {
            out.push(path, Value::Str(text), Rule::Pattern(pattern.source));
        }
    }
    length(
        out,
        path,
        utf16_len(text),
        Value::Str(text),
        rules.min,
        rules.max,
    );
}

/// An enum member: a value outside the model's set.
///
/// spec/validation.md: "`satisfy enum value set: [<values, as the service lists them>]`".
pub fn enumeration<'r>(
    out: &mut Violations<'r>,
    path: &Path,
    text: &'r str,
    known: bool,
    set: &'static str,
) {
    if !known {
        out.push(path, Value::Str(text), Rule::Enum(set));
    }
}

/// A length limit: strings (UTF-16 units), blobs (bytes), lists and maps (entries). A list or
/// map gets one item for itself, not one per entry.
///
/// spec/validation.md: "`have length greater than or equal to <min>`, `have length less than or
/// equal to <max>`"; "A limit on a list or map gives one item for the container".
pub fn length<'r>(
    out: &mut Violations<'r>,
    path: &Path,
    len: u64,
    value: Value<'r>,
    min: Option<u64>,
    max: Option<u64>,
) {
    if let Some(min) = min.filter(|&min| len < min) {
        out.push(path, value, Rule::MinLength(min));
    }
    if let Some(max) = max.filter(|&max| len > max) {
        out.push(path, value, Rule::MaxLength(max));
    }
}

/// The range of an integer or long member; the bounds as the model writes them.
///
/// spec/validation.md: "`have value greater than or equal to <min>`, `have value less than or
/// equal to <max>`".
pub fn integer(
    out: &mut Violations<'_>,
    path: &Path,
    value: i64,
    min: Option<(i64, &'static str)>,
    max: Option<(i64, &'static str)>,
) {
    if let Some((_, text)) = min.filter(|&(min, _)| value < min) {
        out.push(path, Value::Int(value), Rule::MinValue(text));
    }
    if let Some((_, text)) = max.filter(|&(max, _)| value > max) {
        out.push(path, Value::Int(value), Rule::MaxValue(text));
    }
}

/// The range of a double member.
pub fn double(
    out: &mut Violations<'_>,
    path: &Path,
    value: f64,
    min: Option<(f64, &'static str)>,
    max: Option<(f64, &'static str)>,
) {
    if let Some((_, text)) = min.filter(|&(min, _)| value < min) {
        out.push(path, Value::Double(value), Rule::MinValue(text));
    }
    if let Some((_, text)) = max.filter(|&(max, _)| value > max) {
        out.push(path, Value::Double(value), Rule::MaxValue(text));
    }
}

/// The entries of a list of strings or enums, or the keys or values of a map, taken together:
/// one item for the container when any entry fails, with the generated `text`
/// (`Member must satisfy constraint: [...]`).
pub fn entries<'r>(
    out: &mut Violations<'r>,
    path: &Path,
    all_ok: bool,
    value: Value<'r>,
    text: &'static str,
) {
    if !all_ok {
        out.push(path, value, Rule::Text(text));
    }
}

/// A required member that is absent.
///
/// spec/validation.md: "A missing required member renders as `Value null at 'streamName' failed
/// to satisfy constraint: Member must not be null`."
pub fn not_null(out: &mut Violations<'_>, path: &Path) {
    out.push(path, Value::Null, Rule::NotNull);
}
