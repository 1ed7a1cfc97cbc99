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
