//! JSON string escaping and base64 encoding straight into a [`Sink`], with their exact and
//! worst-case lengths (the worst cases as `const fn`, to size buffers up front).
//!
//! Escaping follows RFC 8259: `"` and `\` get a backslash, the control characters U+0000..U+001F
//! get their short form (`\b \t \n \f \r`) or `\u00XX`, and everything else, all non-ASCII text
//! included, is copied as UTF-8. U+2028 and U+2029 are legal raw in JSON and stay raw.
//!
//! ```
//! use kinesis_codec::producer::json::{escaped_len, write_json_string};
//! use kinesis_codec::producer::{SliceBuf, Sink};
//! let mut storage = [0u8; 32];
//! let mut out = SliceBuf::new(&mut storage);
//! write_json_string(&mut out, "a\"b\\c\n\u{1}é").unwrap();
//! assert_eq!(out.written(), "\"a\\\"b\\\\c\\n\\u0001é\"".as_bytes());
//! assert_eq!(escaped_len("a\"b\\c\n\u{1}é") + 2, out.len());
//! ```

use base64::Engine as _;

use super::sink::{BufferFull, Sink};

/// The escape written for each byte below 0x20, `"` and `\`; `0` means "copy the byte as is",
/// `u` means `\u00XX`. The one JSON escaping rule of the crate (`wire::ser` writes with it too).
pub(crate) const fn escape_class(b: u8) -> u8 {
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
pub(crate) const HEX: &[u8; 16] = b"0123456789abcdef";

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

/// The exact length of the padded standard base64 text of `len` bytes: `4 * ceil(len / 3)`.
/// Saturates at `usize::MAX`.
pub const fn base64_len(len: usize) -> usize {
    let groups = (len / 3).saturating_add(if len.is_multiple_of(3) { 0 } else { 1 });
    groups.saturating_mul(4)
}

/// Writes `s` escaped, without quotes. Fails, writing nothing, when the sink has no room for
/// all of it.
pub fn write_escaped<S: Sink + ?Sized>(out: &mut S, s: &str) -> Result<(), BufferFull> {
    let mut dst = out.grow(escaped_len(s))?;
    let mut rest = s.as_bytes();
    let class = |b: u8| ESCAPE.get(usize::from(b)).copied().unwrap_or(0);
    while let Some(at) = rest.iter().position(|&b| class(b) != 0) {
        // Copy the run of plain bytes before the byte to escape, then its escape.
        let Some((run, tail)) = rest.split_at_checked(at) else {
            break;
        };
        let Some((&b, after)) = tail.split_first() else {
            break;
        };
        put(&mut dst, run);
        let c = class(b);
        if c == b'u' {
            put(
                &mut dst,
                &[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
                    HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0'),
                ],
            );
        } else {
            put(&mut dst, &[b'\\', c]);
        }
        rest = after;
    }
    put(&mut dst, rest);
    debug_assert!(dst.is_empty(), "escaped_len sized the space exactly");
    Ok(())
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

/// The base64 encoder, for this writer and the serde one (`wire::ser`): with `std` on x86_64
/// and aarch64, base64's SIMD engine (AVX2 / NEON when the CPU has them, detected once; scalar
/// otherwise).
#[cfg(all(
    feature = "std",
    any(
        target_arch = "x86_64",
        all(target_arch = "aarch64", target_feature = "neon")
    )
))]
pub(crate) fn base64_engine() -> &'static impl base64::Engine {
    static ENGINE: std::sync::OnceLock<base64::engine::Simd> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| base64::engine::Simd::standard(base64::engine::general_purpose::PAD))
}

/// The base64 encoder: base64's portable scalar engine.
#[cfg(not(all(
    feature = "std",
    any(
        target_arch = "x86_64",
        all(target_arch = "aarch64", target_feature = "neon")
    )
)))]
pub(crate) fn base64_engine() -> &'static impl base64::Engine {
    &base64::engine::general_purpose::STANDARD
}

/// Writes `data` as padded standard base64 text (no quotes), encoding in place in the sink.
/// Fails, writing nothing, when it does not fit.
pub fn write_base64<S: Sink + ?Sized>(out: &mut S, data: &[u8]) -> Result<(), BufferFull> {
    let need = base64_len(data.len());
    let available = out.remaining();
    let dst = out.grow(need)?;
    base64_engine()
        .encode_slice(data, dst)
        .map(|_| ())
        .map_err(|_| BufferFull {
            needed: need,
            available,
        })
}
