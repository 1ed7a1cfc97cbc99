//! JSON string escaping straight into a [`Sink`], with the exact and worst-case lengths (the
//! worst case as a `const fn`, to size buffers up front).
//!
//! Escaping follows RFC 8259: `"` and `\` get a backslash, the control characters U+0000..U+001F
//! get their short form (`\b \t \n \f \r`) or `\u00XX`, and everything else, all non-ASCII text
//! included, is copied as UTF-8. U+2028 and U+2029 are legal raw in JSON and stay raw.
//!
//! ```
//! use kinesis_codec::json::escape::{escaped_len, write_json_string};
//! use kinesis_codec::json::{SliceBuf, Sink};
//! let mut storage = [0u8; 32];
//! let mut out = SliceBuf::new(&mut storage);
//! write_json_string(&mut out, "a\"b\\c\n\u{1}é").unwrap();
//! assert_eq!(out.written(), "\"a\\\"b\\\\c\\n\\u0001é\"".as_bytes());
//! assert_eq!(escaped_len("a\"b\\c\n\u{1}é") + 2, out.len());
//! ```

use super::sink::{BufferFull, Sink};

/// The escape written for each byte below 0x20, `"` and `\`; `0` means "copy the byte as is",
/// `u` means `\u00XX`. The one JSON escaping rule of the crate.
const fn escape_class(b: u8) -> u8 {
    match b {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x09 => b't',
        0x0a => b'n',
        0x0c => b'f',
        0x0d => b'r',
        0x00..=0x1f => b'u',
        _ => 0,
    }
}

#[allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    reason = "evaluated at compile time: i < 256 indexes the table and fits a u8; a slip here \
              fails the build, it cannot panic at run time"
)]
static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = escape_class(i as u8);
        i += 1;
    }
    table
};

/// Lowercase hex digits, as serde_json writes `\u00XX`.
const HEX: &[u8; 16] = b"0123456789abcdef";

/// The largest number of bytes one input byte can become when escaped (`\u00XX`).
pub const MAX_ESCAPE_EXPANSION: usize = 6;

/// The exact number of bytes `s` takes once escaped, without the surrounding quotes.
pub fn escaped_len(s: &str) -> usize {
    s.bytes()
        .map(|b| match ESCAPE.get(usize::from(b)).copied().unwrap_or(0) {
            0 => 1,
            b'u' => MAX_ESCAPE_EXPANSION,
            _ => 2,
        })
        .sum()
}

/// The most bytes a string of `len` UTF-8 bytes can take once escaped, quotes excluded
/// (every byte a control character: `6 * len`). Saturates at `usize::MAX`.
pub const fn escaped_len_max(len: usize) -> usize {
    len.saturating_mul(MAX_ESCAPE_EXPANSION)
}

/// True for the bytes JSON requires escaped (RFC 8259 §7): control bytes, `"` and `\`.
#[inline(always)]
fn needs_escape(b: u8) -> bool {
    (b < 0x20) | (b == b'"') | (b == b'\\')
}

/// The offset of the first byte of `bytes` that needs escaping. Branch-free over 16-byte
/// chunks (the compiler vectorizes the fold); byte by byte only inside the chunk that has one.
#[inline]
fn first_escape(bytes: &[u8]) -> Option<usize> {
    const CHUNK: usize = 16;
    let mut chunks = bytes.chunks_exact(CHUNK);
    let mut offset: usize = 0;
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |any, &b| any | needs_escape(b)) {
            return chunk
                .iter()
                .position(|&b| needs_escape(b))
                .map(|p| offset.saturating_add(p));
        }
        offset = offset.saturating_add(CHUNK);
    }
    let rest = chunks.remainder();
    rest.iter()
        .position(|&b| needs_escape(b))
        .map(|p| offset.saturating_add(p))
}

/// The escape sequence of a byte that needs one: `\X` or `\u00XX`, in the first
/// `len` bytes of the array.
#[inline]
fn escape_sequence(b: u8) -> ([u8; MAX_ESCAPE_EXPANSION], usize) {
    match escape_class(b) {
        b'u' => {
            let hex = |nibble: u8| HEX.get(usize::from(nibble)).copied().unwrap_or(b'0');
            ([b'\\', b'u', b'0', b'0', hex(b >> 4), hex(b & 0xf)], 6)
        }
        short => ([b'\\', short, 0, 0, 0, 0], 2),
    }
}

/// The escaping loop of the crate: hands `put` the escaped text of `s`, without quotes, piece
/// by piece — runs without escapes whole, then one escape sequence. Both writers (this
/// module's into a [`Sink`], the serde writer's into a `Vec`) are this loop.
#[inline]
pub(crate) fn escape_pieces(s: &str, mut put: impl FnMut(&[u8])) {
    let mut rest = s.as_bytes();
    while let Some(at) = first_escape(rest) {
        let Some((run, tail)) = rest.split_at_checked(at) else {
            break;
        };
        let Some((&b, after)) = tail.split_first() else {
            break;
        };
        put(run);
        let (sequence, len) = escape_sequence(b);
        put(sequence.get(..len).unwrap_or_default());
        rest = after;
    }
    put(rest);
}

/// Writes `s` escaped, without quotes. Fails, writing nothing, when the sink has no room for
/// all of it.
pub fn write_escaped<S: Sink + ?Sized>(out: &mut S, s: &str) -> Result<(), BufferFull> {
    escape_into(out.grow(escaped_len(s))?, s);
    Ok(())
}

/// Writes `s` escaped, without quotes, into `dst`, which is exactly [`escaped_len`]`(s)` bytes
/// long: for a writer that measured `s` already and made room for it.
pub(crate) fn escape_into(mut dst: &mut [u8], s: &str) {
    escape_pieces(s, |piece| put(&mut dst, piece));
    debug_assert!(dst.is_empty(), "escaped_len sized the space exactly");
}

/// Copies `bytes` to the front of `dst` and moves `dst` past them.
#[inline]
fn put(dst: &mut &mut [u8], bytes: &[u8]) {
    match core::mem::take(dst).split_at_mut_checked(bytes.len()) {
        Some((head, tail)) => {
            head.copy_from_slice(bytes);
            *dst = tail;
        }
        // escaped_len counted every byte written here: this cannot happen.
        None => debug_assert!(false, "write_escaped: escaped_len was too small"),
    }
}

/// Writes `s` as a JSON string: quotes and escaped content. Fails, writing nothing, when it does
/// not fit.
pub fn write_json_string<S: Sink + ?Sized>(out: &mut S, s: &str) -> Result<(), BufferFull> {
    let need = escaped_len(s).saturating_add(2);
    if out.remaining() < need {
        return Err(BufferFull {
            needed: need,
            available: out.remaining(),
        });
    }
    out.extend(b"\"")?;
    write_escaped(out, s)?;
    out.extend(b"\"")
}
