//! Bounded quoting of input in error messages: an error names the offending value by a short
//! prefix and its length, never by a copy of the whole of it (a 10 MB bad string must not make a
//! 10 MB error).
//!
//! ```text
//! "2015-09-02T17:36:50+99:99"                       (short: quoted whole)
//! "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…" (10485760 bytes)
//! ```

use alloc::string::String;
use core::fmt::{self, Write};

/// The most characters of an input value quoted in an error.
pub(crate) const QUOTE_CHARS: usize = 64;

/// The longest prefix of `text` of at most `max_bytes` bytes that ends on a char boundary.
pub(crate) fn prefix(text: &str, max_bytes: usize) -> &str {
    let mut end = max_bytes.min(text.len());
    while !text.is_char_boundary(end) {
        // `end` > 0 here: 0 is always a char boundary.
        end = end.saturating_sub(1);
    }
    text.get(..end).unwrap_or_default()
}

/// `"text"` (escaped as Rust's `Debug` does), cut after [`QUOTE_CHARS`] characters with the
/// length in bytes appended: `"aaaa…" (10485760 bytes)`.
pub(crate) struct Quoted<'a>(pub(crate) &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        match text.char_indices().nth(QUOTE_CHARS) {
            None => write!(f, "{text:?}"),
            Some((cut, _)) => {
                let head = text.get(..cut).unwrap_or_default();
                let head = format_args!("{head:?}");
                // `head:?` ends with the closing quote: put the ellipsis inside it.
                let mut quoted = String::new();
                quoted.write_fmt(head)?;
                quoted.pop();
                write!(f, "{quoted}…\" ({} bytes)", text.len())
            }
        }
    }
}

/// Rewrites `message` so that every `"..."` (Debug-escaped) or `` `...` `` span in it longer
/// than [`QUOTE_CHARS`] characters is cut as [`Quoted`] cuts it: `serde`'s own messages
/// (``invalid type: string "...", expected u64``, ``unknown variant `...` ``) quote the whole
/// value.
pub(crate) fn bound_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(512));
    let mut rest = message;
    while let Some(open) = rest.find(['"', '`']) {
        let (before, from_quote) = rest.split_at(open);
        out.push_str(before);
        let Some((delim, inner_and_after)) = split_first_char(from_quote) else {
            break;
        };
        let close = span_end(inner_and_after, delim);
        let (inner, after) = inner_and_after.split_at(close.min(inner_and_after.len()));
        out.push(delim);
        match inner.char_indices().nth(QUOTE_CHARS) {
            None => out.push_str(inner),
            Some((cut, _)) => {
                out.push_str(prefix(inner, cut));
                out.push('…');
                let _ = write!(out, "{delim} ({} bytes)", inner.len());
                // Skip the closing delimiter: it was written above.
                rest = after.strip_prefix(delim).unwrap_or(after);
                continue;
            }
        }
        match after.strip_prefix(delim) {
            Some(tail) => {
                out.push(delim);
                rest = tail;
            }
            None => {
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A map key or member name for a path: as is when short, else [`Quoted`] (bounded).
pub(crate) fn bounded_key(key: &str) -> String {
    if key.chars().nth(QUOTE_CHARS).is_none() {
        String::from(key)
    } else {
        alloc::format!("{}", Quoted(key))
    }
}

fn split_first_char(text: &str) -> Option<(char, &str)> {
    let mut chars = text.chars();
    let first = chars.next()?;
    Some((first, chars.as_str()))
}

/// The byte offset of the closing `delim` in `text` (a `\` escapes the next character inside
/// double quotes), or the length of `text` if it is not closed.
fn span_end(text: &str, delim: char) -> usize {
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' && delim == '"' {
            escaped = true;
        } else if c == delim {
            return at;
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::ToString;

    #[test]
    fn short_spans_are_kept_long_ones_cut_on_a_char_boundary() {
        let short = r#"invalid type: string "a\"b", expected u64"#;
        assert_eq!(bound_message(short), short);
        let long = format!("invalid type: string {:?}, expected u64", "é".repeat(100));
        let bounded = bound_message(&long);
        assert_eq!(
            bounded,
            format!(
                "invalid type: string \"{}…\" (200 bytes), expected u64",
                "é".repeat(64)
            )
        );
        let key = format!("unknown variant `{}`", "k".repeat(65));
        assert!(bound_message(&key).ends_with("…` (65 bytes)"));
        assert_eq!(Quoted("ab").to_string(), "\"ab\"");
        assert_eq!(
            Quoted(&"x".repeat(70)).to_string(),
            format!("\"{}…\" (70 bytes)", "x".repeat(64))
        );
        assert_eq!(prefix("aé", 2), "a");
    }
}
