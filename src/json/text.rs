//! String text: the one place that knows where a run of plain string bytes ends, what a
//! backslash escape stands for (RFC 8259 §7), and [`JsonStr`], the validated view of a string
//! that decodes its escapes only when asked.
//!
//! The scanner validates strings with `plain_run_end` and `escape_at`; the serde reader
//! (`wire`) decodes with the same two functions into its owned strings; [`Chars`] decodes a
//! validated string with `escape_at` too. So one escape grammar serves every reader.

use core::fmt;

use super::error::{ScanError, ScanErrorKind};
use super::sink::BufferFull;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// A mask with the high bit set in the lowest byte of `w` equal to `b` (bytes above the first
/// match may be flagged too; only the lowest flag is used).
#[inline(always)]
fn has_byte(w: u64, b: u8) -> u64 {
    let x = w ^ (ONES * u64::from(b));
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// A mask flagging the bytes of `w` below 0x20 (lowest flag exact, as [`has_byte`]).
#[inline(always)]
fn has_control(w: u64) -> u64 {
    w.wrapping_sub(ONES * 0x20) & !w & HIGHS
}

/// Bytes per block in [`plain_run_end`]'s vectorized loop.
const BLOCK: usize = 32;

/// Whether any byte of `block` ends a plain run: flags are OR-ed as bytes, without branching,
/// so the loop compiles to vector compares.
#[inline(always)]
fn block_hits(block: &[u8]) -> bool {
    let mut acc = 0u8;
    for &b in block {
        acc |= u8::from(b == b'"') | u8::from(b == b'\\') | u8::from(b < 0x20);
    }
    acc != 0
}

/// The offset of the first byte at or after `from` that ends a plain run of string text — `"`,
/// `\` or a control byte (RFC 8259 §7: the bytes a string may not hold raw) — or
/// `input.len()` if none does.
///
/// 32 bytes at a time with a branch-free test the compiler vectorizes, then 8 bytes at a time
/// as a word (keys and short values), then byte by byte.
#[inline(always)]
pub(crate) fn plain_run_end(input: &[u8], from: usize) -> usize {
    let rest = input.get(from..).unwrap_or_default();
    let mut at = from;
    let mut blocks = rest.chunks_exact(BLOCK);
    for block in &mut blocks {
        if block_hits(block) {
            break;
        }
        at = at.saturating_add(BLOCK);
    }
    let rest = input.get(at..).unwrap_or_default();
    let mut words = rest.chunks_exact(8);
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().unwrap_or([b'"'; 8]));
        let mask = has_byte(w, b'"') | has_byte(w, b'\\') | has_control(w);
        if mask != 0 {
            return at.saturating_add((mask.trailing_zeros() / 8) as usize);
        }
        at = at.saturating_add(8);
    }
    for &b in words.remainder() {
        if b == b'"' || b == b'\\' || b < 0x20 {
            return at;
        }
        at = at.saturating_add(1);
    }
    at
}

/// The value of four hex digits at the start of `b` (either case), or `None`.
pub(crate) fn hex4(b: &[u8]) -> Option<u16> {
    let mut v: u16 = 0;
    for &c in b.get(..4)? {
        let d = u16::try_from(char::from(c).to_digit(16)?).ok()?;
        v = (v << 4) | d;
    }
    Some(v)
}

/// `UnexpectedEnd` (at the end of `input`) when a short `\u` run is cut off by the end of
/// input and all its digits so far are hex, else `kind` at `at`.
fn end_or(input: &[u8], partial: &[u8], kind: ScanErrorKind, at: usize) -> ScanError {
    if partial.iter().all(u8::is_ascii_hexdigit) {
        ScanError {
            kind: ScanErrorKind::UnexpectedEnd,
            offset: input.len(),
        }
    } else {
        ScanError { kind, offset: at }
    }
}

/// Reads the escape whose backslash is at `at` (RFC 8259 §7): the character it stands for and
/// the offset just after it. A `\u` escape of a high surrogate must be followed by the `\u`
/// escape of a low one, and the pair is one character; a lone surrogate is an error.
///
/// Errors name the escape's backslash, except an input that ends inside the escape
/// (`UnexpectedEnd`) and a pair whose second escape has no four hex digits (`InvalidEscape` at
/// that escape).
pub(crate) fn escape_at(input: &[u8], at: usize) -> Result<(char, usize), ScanError> {
    let bad = |kind| ScanError { kind, offset: at };
    let after = |n: usize| at.saturating_add(n);
    let simple = match input.get(after(1)) {
        None => return Err(bad(ScanErrorKind::UnexpectedEnd)),
        Some(b'"') => '"',
        Some(b'\\') => '\\',
        Some(b'/') => '/',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'u') => return unicode_escape(input, at),
        Some(_) => return Err(bad(ScanErrorKind::InvalidEscape)),
    };
    Ok((simple, after(2)))
}

/// [`escape_at`] for a `\u` escape.
fn unicode_escape(input: &[u8], at: usize) -> Result<(char, usize), ScanError> {
    let bad = |kind| ScanError { kind, offset: at };
    let hex = input.get(at.saturating_add(2)..).unwrap_or_default();
    if hex.len() < 4 {
        return Err(end_or(input, hex, ScanErrorKind::InvalidEscape, at));
    }
    let unit = hex4(hex).ok_or(bad(ScanErrorKind::InvalidEscape))?;
    let next = at.saturating_add(6);
    if (0xDC00..0xE000).contains(&unit) {
        return Err(bad(ScanErrorKind::LoneSurrogate));
    }
    if !(0xD800..0xDC00).contains(&unit) {
        // Not a surrogate: every other unit is a scalar value.
        let c = char::from_u32(u32::from(unit)).ok_or(bad(ScanErrorKind::LoneSurrogate))?;
        return Ok((c, next));
    }
    let low = match input.get(next..).unwrap_or_default() {
        [b'\\', b'u', rest @ ..] => match hex4(rest) {
            Some(low) if (0xDC00..0xE000).contains(&low) => low,
            Some(_) => return Err(bad(ScanErrorKind::LoneSurrogate)),
            None if rest.len() < 4 => {
                return Err(end_or(input, rest, ScanErrorKind::InvalidEscape, at))
            }
            None => {
                return Err(ScanError {
                    kind: ScanErrorKind::InvalidEscape,
                    offset: next,
                })
            }
        },
        [] | [b'\\'] => {
            return Err(ScanError {
                kind: ScanErrorKind::UnexpectedEnd,
                offset: input.len(),
            })
        }
        _ => return Err(bad(ScanErrorKind::LoneSurrogate)),
    };
    // A high and a low surrogate: ten bits each above 0x10000, at most 0x10FFFF.
    let code = ((u32::from(unit) & 0x3ff) << 10 | (u32::from(low) & 0x3ff)).wrapping_add(0x10000);
    let c = char::from_u32(code).ok_or(bad(ScanErrorKind::LoneSurrogate))?;
    Ok((c, next.saturating_add(6)))
}

/// A validated JSON string, borrowed from the input without its quotes. Text without escapes is
/// available as `&str` directly ([`as_str`](Self::as_str)); text with escapes is decoded on
/// demand, into a caller buffer ([`unescape_into`](Self::unescape_into)) or char by char
/// ([`chars`](Self::chars)). Comparing with `==` against a `&str` compares the decoded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonStr<'a> {
    pub(crate) raw: &'a str,
    pub(crate) escaped: bool,
}

impl<'a> JsonStr<'a> {
    /// The text between the quotes as it is on the wire (escapes not decoded).
    pub fn raw(&self) -> &'a str {
        self.raw
    }
    /// Whether the text holds backslash escapes.
    pub fn has_escapes(&self) -> bool {
        self.escaped
    }
    /// The text itself when it has no escapes (the common case), else `None`.
    pub fn as_str(&self) -> Option<&'a str> {
        (!self.escaped).then_some(self.raw)
    }
    /// The decoded characters.
    pub fn chars(&self) -> Chars<'a> {
        Chars {
            text: self.raw,
            pos: 0,
        }
    }
    /// The UTF-8 length of the decoded text.
    pub fn unescaped_len(&self) -> usize {
        if self.escaped {
            self.chars().map(char::len_utf8).sum()
        } else {
            self.raw.len()
        }
    }
    /// Decodes the text into `buf` and returns it; fails when `buf` is shorter than
    /// [`unescaped_len`](Self::unescaped_len).
    pub fn unescape_into<'b>(&self, buf: &'b mut [u8]) -> Result<&'b str, BufferFull> {
        let needed = self.unescaped_len();
        let available = buf.len();
        let full = BufferFull { needed, available };
        let mut rest = buf.get_mut(..needed).ok_or(full)?;
        for c in self.chars() {
            let (dst, tail) = core::mem::take(&mut rest)
                .split_at_mut_checked(c.len_utf8())
                .ok_or(full)?;
            c.encode_utf8(dst);
            rest = tail;
        }
        debug_assert!(rest.is_empty(), "unescaped_len counted every char");
        let written = buf.get(..needed).ok_or(full)?;
        core::str::from_utf8(written).map_err(|_| full)
    }
}

impl PartialEq<str> for JsonStr<'_> {
    fn eq(&self, other: &str) -> bool {
        if !self.escaped {
            return self.raw == other;
        }
        self.chars().eq(other.chars())
    }
}

impl PartialEq<&str> for JsonStr<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl fmt::Display for JsonStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.escaped {
            return f.write_str(self.raw);
        }
        for c in self.chars() {
            fmt::Write::write_char(f, c)?;
        }
        Ok(())
    }
}

/// The decoded characters of a [`JsonStr`] (from [`JsonStr::chars`]).
#[derive(Debug, Clone)]
pub struct Chars<'a> {
    text: &'a str,
    pos: usize,
}

impl Iterator for Chars<'_> {
    type Item = char;
    fn next(&mut self) -> Option<char> {
        let rest = self.text.get(self.pos..)?;
        if !rest.starts_with('\\') {
            let c = rest.chars().next()?;
            self.pos = self.pos.saturating_add(c.len_utf8());
            return Some(c);
        }
        // The text was validated when scanned: the escape reads (an error ends the iteration).
        let (c, next) = escape_at(self.text.as_bytes(), self.pos).ok()?;
        self.pos = next;
        Some(c)
    }
}
