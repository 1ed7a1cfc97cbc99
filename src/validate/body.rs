//! Checking a request body as the service does: the error it answers with, owned.
//!
//! Type errors come first (`SerializationException`, with the service's texts: see
//! `type_errors.rs`). A parsed request always holds its required members (a body without one does not parse), so
//! the service's `Value null ... Member must not be null` items come from here: when the JSON
//! body lacks required members, each is filled with a stand-in value (the first of `""`, `0`,
//! `false`, `[]`, `{}` its type takes) until the body parses; the parsed request is validated,
//! and the items about the stand-ins and anything inside them are replaced by the `null` items.
//!
//! *Requires feature* `alloc`.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::{self, Write as _};

use crate::wire::{Protocol, WireError, WireErrorKind};

use super::cbor_value::JsonOfCbor;
use super::report::{ValidationError, MAX_ITEMS};
use super::types::Type;

/// The most members [`check`] fills in before it gives up.
const MAX_ROUNDS: usize = 10_000;

/// Why the service refuses a request body: its error type and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    code: &'static str,
    message: String,
}

impl Refusal {
    /// `ValidationException` or `SerializationException`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message, as the service writes it: for constraint violations, and for type errors
    /// (a member of the wrong type, malformed base64). A whole-number member given as a
    /// fraction or past an `Integer`'s range is judged at the value the service reads from it
    /// (`0.5` for a minimum of 1 is `Value '0'`). For a body that is not JSON (or CBOR), or
    /// one the service takes and this crate's parser does not (such a number in a body that
    /// is valid once it is read so; a `Long` past 2^63), the crate's description of the
    /// problem with its path instead.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// A body that is not JSON (CBOR) or does not fit the operation's shape.
    ///
    /// spec/validation.md: "Type errors ... are `SerializationException`, status 400, decided
    /// before any constraint."
    pub fn serialization(error: &WireError) -> Self {
        Refusal {
            code: "SerializationException",
            message: error.to_string(),
        }
    }
}

impl From<&ValidationError<'_>> for Refusal {
    fn from(error: &ValidationError<'_>) -> Self {
        Refusal {
            code: error.code(),
            message: error.to_string(),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// What one parse-and-validate of a body found: every violation's path and text (at most
/// [`MAX_ITEMS`] of them kept, `found` counts all).
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Found {
    /// How many violations, all of them.
    pub found: usize,
    /// `(path, item text)` of the first ones.
    pub items: Vec<(String, String)>,
}

impl Found {
    /// The owned form of a validation result.
    pub fn of(result: Result<(), ValidationError<'_>>) -> Self {
        let Err(error) = result else {
            return Found::default();
        };
        Found {
            found: error.found(),
            items: error
                .items()
                .map(|item| (item.path.to_string(), item.to_string()))
                .collect(),
        }
    }
}

/// The body check behind each service's `Request::check_body`: `parse_and_validate` parses a
/// body (in `protocol`) and validates it; `ty` is the operation's input type.
#[doc(hidden)]
pub fn check(
    protocol: Protocol,
    body: &[u8],
    ty: &Type,
    parse_and_validate: impl Fn(Protocol, &[u8]) -> Result<Found, WireError>,
) -> Result<(), Refusal> {
    let mut first = match parse_and_validate(protocol, body) {
        Ok(found) => return refusal(&[], found),
        Err(error) => error,
    };
    // The body as a JSON value (a CBOR body: its JSON counterpart, blobs as base64 text); an
    // empty body reads as `{}`, as the parsers read it.
    let empty = match protocol {
        Protocol::Json => body.iter().all(u8::is_ascii_whitespace),
        Protocol::Cbor => body.is_empty(),
    };
    let parsed = if empty {
        Some(serde_json::Value::Object(serde_json::Map::new()))
    } else {
        match protocol {
            Protocol::Json => serde_json::from_slice::<serde_json::Value>(body).ok(),
            Protocol::Cbor => crate::wire::parse_cbor::<JsonOfCbor>(body)
                .ok()
                .map(|value| value.0),
        }
    };
    let Some(mut value) = parsed else {
        return Err(missing_or_serialization(&first));
    };
    // spec/validation.md: type errors are decided before any constraint.
    if let Some(message) = super::type_errors::first(&value, ty) {
        return Err(Refusal {
            code: "SerializationException",
            message,
        });
    }
    if whole_numbers_as_read(&mut value, ty) {
        let bytes = serde_json::to_vec(&value).unwrap_or_default();
        match parse_and_validate(Protocol::Json, &bytes) {
            // The service takes such a body; this crate's parser does not (it reads whole
            // numbers strictly), so a body that `check_body` passes always parses.
            Ok(found) if found.found == 0 => return Err(Refusal::serialization(&first)),
            Ok(found) => return refusal(&[], found),
            Err(error) => first = error,
        }
    }
    if missing_member(&first).is_none() {
        return Err(missing_or_serialization(&first));
    }
    let mut nulls: Vec<String> = Vec::new();
    let mut error = first;
    // Each round fills one missing member; no model input has this many.
    for _ in 0..MAX_ROUNDS {
        let Some((parent, member)) = missing_member(&error) else {
            return Err(Refusal::serialization(&error));
        };
        let mut filled = None;
        for stand_in in stand_ins() {
            let Some(serde_json::Value::Object(object)) = locate(&mut value, &parent) else {
                return Err(Refusal::serialization(&error));
            };
            object.insert(member.clone(), stand_in);
            let bytes = serde_json::to_vec(&value).unwrap_or_default();
            match parse_and_validate(Protocol::Json, &bytes) {
                // The stand-in is of the wrong type: try the next.
                Err(next)
                    if next.path() == member_path(&parent, &member)
                        && missing_member(&next).is_none() =>
                {
                    continue
                }
                outcome => {
                    filled = Some(outcome);
                    break;
                }
            }
        }
        // A member missing inside a stand-in is not the request's: the service reports the
        // outer member only.
        let path = service_path(&parent, &member);
        if !under(&nulls, &path) {
            nulls.push(path);
        }
        match filled {
            Some(Ok(found)) => return refusal(&nulls, found),
            Some(Err(next)) => error = next,
            None => return Err(missing_or_serialization(&error)),
        }
    }
    Err(missing_or_serialization(&error))
}

/// Brings each whole-number member of `value` to the number the service reads from it, and says
/// whether any changed: a fraction is dropped (towards minus infinity, `1.5` is `1`, `-1.5` is
/// `-2`), and an `Integer` above 2^31 − 1 reads as 2^31 − 1 (the constraints then judge that
/// value). kinesalite reads numbers so, its texts checked against the service: `ShardCount: 1.5`
/// creates one shard, `Limit: 1e10` is refused as `Value '2147483647' at 'limit'`.
fn whole_numbers_as_read(value: &mut serde_json::Value, ty: &Type) -> bool {
    use serde_json::Value as V;
    match (ty, value) {
        (Type::Whole(name), V::Number(n)) => {
            let integer = *name == "Integer";
            let read = match (n.as_i64(), n.as_f64()) {
                (Some(i), _) if integer && i > i64::from(i32::MAX) => i64::from(i32::MAX),
                (Some(_), _) => return false,
                (None, _) if n.is_u64() && integer => i64::from(i32::MAX),
                (None, Some(x)) if integer && x >= f64::from(i32::MAX) => i64::from(i32::MAX),
                (None, Some(x)) => match floor(x) {
                    Some(i) if integer => i.min(i64::from(i32::MAX)),
                    Some(i) => i,
                    None => return false,
                },
                (None, None) => return false,
            };
            *n = read.into();
            true
        }
        (Type::List(entry), V::Array(items)) => items.iter_mut().fold(false, |changed, item| {
            whole_numbers_as_read(item, entry) | changed
        }),
        (Type::Map(entry), V::Object(members)) => {
            members.values_mut().fold(false, |changed, item| {
                whole_numbers_as_read(item, entry) | changed
            })
        }
        (Type::Struct(fields), V::Object(members)) => {
            fields.iter().fold(false, |changed, (name, field)| {
                members
                    .get_mut(*name)
                    .is_some_and(|item| whole_numbers_as_read(item, field))
                    | changed
            })
        }
        _ => false,
    }
}

/// The largest whole number at most `x`, when it fits an `i64` (core has no `f64::floor`
/// without `std`).
fn floor(x: f64) -> Option<i64> {
    // 2^63: the first double past i64::MAX; below -2^63 nothing fits either.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if !(-LIMIT..LIMIT).contains(&x) {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)] // in range (checked above): truncates to zero
    let whole = x as i64;
    #[allow(clippy::cast_precision_loss)] // compared only: a rounded `back` errs the same way
    let back = whole as f64;
    Some(if back > x {
        whole.saturating_sub(1)
    } else {
        whole
    })
}

/// The stand-ins for a missing member, one of which each model type takes.
fn stand_ins() -> [serde_json::Value; 5] {
    [
        serde_json::Value::String(String::new()),
        serde_json::Value::from(0),
        serde_json::Value::Bool(false),
        serde_json::Value::Array(Vec::new()),
        serde_json::Value::Object(serde_json::Map::new()),
    ]
}

/// The answer for `nulls` and the violations found in the filled body, those at or under a
/// null path left out.
fn refusal(nulls: &[String], found: Found) -> Result<(), Refusal> {
    let under = |path: &str| under(nulls, path);
    let dropped = found.items.iter().filter(|(path, _)| under(path)).count();
    let kept = found.items.iter().filter(|(path, _)| !under(path));
    let null_items = nulls.iter().map(|path| null_item(path));
    let items: Vec<String> = null_items
        .chain(kept.map(|(_, text)| text.clone()))
        .take(MAX_ITEMS)
        .collect();
    let total = nulls
        .len()
        .saturating_add(found.found.saturating_sub(dropped));
    if total == 0 {
        return Ok(());
    }
    // spec/validation.md: the count wording, capped at 10, items joined with `; `.
    let count = total.min(MAX_ITEMS);
    let noun = if count == 1 { "error" } else { "errors" };
    let mut message = String::new();
    let _ = write!(
        message,
        "{count} validation {noun} detected: {}",
        items.join("; ")
    );
    Err(Refusal {
        code: "ValidationException",
        message,
    })
}

/// Whether `path` is one of `nulls` or inside one.
fn under(nulls: &[String], path: &str) -> bool {
    nulls.iter().any(|null| {
        path.strip_prefix(null.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    })
}

fn null_item(path: &str) -> String {
    alloc::format!("Value null at '{path}' failed to satisfy constraint: Member must not be null")
}

/// A parse error that could not be filled in: a missing member alone is still the service's
/// `null` item; anything else is a type error.
fn missing_or_serialization(error: &WireError) -> Refusal {
    match missing_member(error) {
        Some((parent, member)) => Refusal {
            code: "ValidationException",
            message: alloc::format!(
                "1 validation error detected: {}",
                null_item(&service_path(&parent, &member))
            ),
        },
        None => Refusal::serialization(error),
    }
}

/// `($.Records[0], PartitionKey)` of ``missing field `PartitionKey` `` at `$.Records[0]`.
fn missing_member(error: &WireError) -> Option<(String, String)> {
    if error.kind() != WireErrorKind::Data || !error.message().starts_with("missing field `") {
        return None;
    }
    Some((error.path().to_string(), error.member()?.to_string()))
}

fn member_path(parent: &str, member: &str) -> String {
    alloc::format!("{parent}.{member}")
}

/// The JSON path segments of `$.Records[0].Data`: keys and indexes.
fn segments(path: &str) -> impl Iterator<Item = Result<&str, usize>> {
    let rest = path.strip_prefix('$').unwrap_or(path);
    rest.split('.').filter(|s| !s.is_empty()).flat_map(|part| {
        let mut pieces = part.split('[');
        let key = pieces.next().filter(|k| !k.is_empty()).map(Ok);
        let indexes = pieces.map(|p| Err(p.trim_end_matches(']').parse().unwrap_or(usize::MAX)));
        key.into_iter().chain(indexes)
    })
}

/// The value at a JSON path.
fn locate<'v>(value: &'v mut serde_json::Value, path: &str) -> Option<&'v mut serde_json::Value> {
    segments(path).try_fold(value, |v, segment| match segment {
        Ok(key) => v.get_mut(key),
        Err(index) => v.get_mut(index),
    })
}

/// `records.1.member.partitionKey` for `$.Records[0]` and `PartitionKey`.
///
/// spec/validation.md: "Paths are the member names in lower camel case (`streamName`), list
/// members 1-based as `records.1.member.partitionKey`."
fn service_path(parent: &str, member: &str) -> String {
    let mut out = String::new();
    let mut step = |text: &str| {
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(text);
    };
    for segment in segments(parent) {
        match segment {
            Ok(key) => step(&lower_first(key)),
            Err(index) => step(&alloc::format!("{}.member", index.saturating_add(1))),
        }
    }
    step(&lower_first(member));
    out
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| {
        let mut out: String = first.to_lowercase().collect();
        out.push_str(chars.as_str());
        out
    })
}
