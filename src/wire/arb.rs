//! `arbitrary` helpers called by the generated shapes (`#[arbitrary(with = ...)]`).
//!
//! *Requires feature* `arbitrary`. Every value produced survives a JSON round trip unchanged:
//! strings are owned (any Unicode), doubles are finite with a short decimal form.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use arbitrary::{Arbitrary, Result, Unstructured};

use super::de::StrMap;

/// Any string, owned.
pub fn cow_str<'a>(u: &mut Unstructured<'_>) -> Result<Cow<'a, str>> {
    String::arbitrary(u).map(Cow::Owned)
}

/// An error code no model defines (`X-` and any text without `:` or `#`), so that it reads
/// back as `Error::Unknown` with the same code.
pub fn unknown_code<'a>(u: &mut Unstructured<'_>) -> Result<Cow<'a, str>> {
    let text = String::arbitrary(u)?;
    let mut code = String::from("X-");
    code.extend(text.chars().filter(|c| *c != ':' && *c != '#'));
    Ok(Cow::Owned(code))
}

/// An optional string.
pub fn opt_cow_str<'a>(u: &mut Unstructured<'_>) -> Result<Option<Cow<'a, str>>> {
    Ok(if bool::arbitrary(u)? {
        Some(cow_str(u)?)
    } else {
        None
    })
}

/// A list of strings.
pub fn vec_cow_str<'a>(u: &mut Unstructured<'_>) -> Result<Vec<Cow<'a, str>>> {
    u.arbitrary_iter::<String>()?
        .map(|s| s.map(Cow::Owned))
        .collect()
}

/// An optional list of strings.
pub fn opt_vec_cow_str<'a>(u: &mut Unstructured<'_>) -> Result<Option<Vec<Cow<'a, str>>>> {
    Ok(if bool::arbitrary(u)? {
        Some(vec_cow_str(u)?)
    } else {
        None
    })
}

/// A string map.
pub fn map_cow_str<'a>(u: &mut Unstructured<'_>) -> Result<StrMap<'a>> {
    u.arbitrary_iter::<(String, String)>()?
        .map(|kv| kv.map(|(k, v)| (Cow::Owned(k), Cow::Owned(v))))
        .collect()
}

/// An optional string map.
pub fn opt_map_cow_str<'a>(u: &mut Unstructured<'_>) -> Result<Option<StrMap<'a>>> {
    Ok(if bool::arbitrary(u)? {
        Some(map_cow_str(u)?)
    } else {
        None
    })
}

/// A finite double with at most three decimals in `[-1000, 1000]`: it prints and parses back
/// to the same `f64` (serde_json's default float parser is exact for such short forms).
pub fn f64_short(u: &mut Unstructured<'_>) -> Result<f64> {
    let thousandths = u.int_in_range(-1_000_000i32..=1_000_000)?;
    Ok(f64::from(thousandths) / 1000.0)
}

/// An optional [`f64_short`].
pub fn opt_f64_short(u: &mut Unstructured<'_>) -> Result<Option<f64>> {
    Ok(if bool::arbitrary(u)? {
        Some(f64_short(u)?)
    } else {
        None
    })
}
