//! How list, map and number values are written in a message.

use core::fmt;

/// A value written by its own rule: a list of strings, a map.
pub trait Render {
    /// Writes the value as the service quotes it.
    fn render(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

/// A list entry that is text: a string or an enum value.
pub trait Text {
    /// The text of the entry.
    fn text(&self) -> &str;
}

impl Text for str {
    fn text(&self) -> &str {
        self
    }
}

impl Text for &str {
    fn text(&self) -> &str {
        self
    }
}

#[cfg(feature = "alloc")]
impl Text for alloc::borrow::Cow<'_, str> {
    fn text(&self) -> &str {
        self
    }
}

/// spec/validation.md: "lists of strings as `[a, , b]` (no quotes)".
#[cfg(feature = "alloc")]
impl<T: Text> Render for alloc::vec::Vec<T> {
    fn render(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, entry) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(entry.text())?;
        }
        f.write_str("]")
    }
}

/// spec/validation.md: "Maps render as `{k=v, k2=v2}`" (here in key order: the parsed map is
/// sorted).
#[cfg(feature = "alloc")]
impl<K: Text, V: Text> Render for alloc::collections::BTreeMap<K, V> {
    fn render(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, (key, value)) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}={}", key.text(), value.text())?;
        }
        f.write_str("}")
    }
}

/// A double as Java's `Double.toString` writes the common cases: `0.5`, and a whole number
/// with `.0` (`2.0`) below 10^7; beyond that Rust's shortest form (Java would switch to
/// `1.0E7`; no model bound on a double comes near).
pub fn double(x: f64, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    if x.is_finite() && x == libm_trunc(x) && x.abs() < 1e7 {
        write!(f, "{x:.1}")
    } else {
        write!(f, "{x}")
    }
}

/// `x` without its fraction (core has no `f64::trunc` without `std`).
fn libm_trunc(x: f64) -> f64 {
    if x.abs() >= 4_503_599_627_370_496.0 {
        // 2^52: every such double is whole.
        return x;
    }
    #[allow(clippy::cast_possible_truncation)] // |x| < 2^52 fits an i64 exactly
    let whole = x as i64;
    #[allow(clippy::cast_precision_loss)] // |whole| < 2^52 is exact in a double
    let back = whole as f64;
    back
}
