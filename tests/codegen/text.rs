//! Joining the pieces of a template: a line per item, alternatives, lists.
//!
//! The templates need not be laid out: every generated file goes through `rustfmt`, which sets
//! indentation and line breaks. Blank lines are kept, so a template has one exactly where the
//! generated code does.

/// One line per item, each made by `line`: the arms of a `match`, the variants of an enum.
pub fn lines<T>(items: impl IntoIterator<Item = T>, line: impl FnMut(T) -> String) -> String {
    joined(items, line, "\n")
}

/// `A | B | C`: the alternatives of a pattern.
pub fn alternatives<T>(
    items: impl IntoIterator<Item = T>,
    item: impl FnMut(T) -> String,
) -> String {
    joined(items, item, " | ")
}

/// `A, B, C`: the elements of an array or an argument list.
pub fn list<T>(items: impl IntoIterator<Item = T>, item: impl FnMut(T) -> String) -> String {
    joined(items, item, ", ")
}

/// `"A", "B", "C"`: names as string literals.
pub fn quoted<'a>(names: impl IntoIterator<Item = &'a String>) -> String {
    list(names, |name| format!("{name:?}"))
}

fn joined<T>(
    items: impl IntoIterator<Item = T>,
    item: impl FnMut(T) -> String,
    sep: &str,
) -> String {
    items.into_iter().map(item).collect::<Vec<_>>().join(sep)
}
