//! A small strict JSON scanner over borrowed bytes, with no heap: the base of the response
//! readers.
//!
//! It accepts exactly RFC 8259 JSON (no trailing commas, no comments, no leading zeros, no lone
//! surrogates in `\u` escapes, no raw control characters in strings, valid UTF-8), limits nesting
//! depth (objects and arrays, default [`DEFAULT_MAX_DEPTH`]), and reports every problem as a
//! [`ScanError`] naming the byte offset. Strings come back as [`JsonStr`], a validated view that
//! borrows the input and decodes escapes only when asked.
//!
//! ```
//! use kinesis_codec::producer::scan::{Scanner, Value};
//! let mut sc = Scanner::new(br#"{"a":[1,true],"b":"x\n"}"#);
//! sc.begin_object()?;
//! let mut first = true;
//! while let Some(key) = sc.next_member(&mut first)? {
//!     if key == "b" {
//!         let s = sc.string()?;
//!         let mut buf = [0u8; 8];
//!         assert_eq!(s.unescape_into(&mut buf).unwrap(), "x\n");
//!     } else {
//!         sc.skip_value()?;
//!     }
//! }
//! sc.end()?;
//! # Ok::<(), kinesis_codec::producer::ScanError>(())
//! ```
use core::fmt;

use super::sink::BufferFull;

/// The default nesting limit of objects and arrays.
pub const DEFAULT_MAX_DEPTH: u32 = 32;
/// The largest nesting limit a scanner accepts.
pub const MAX_DEPTH_LIMIT: u32 = 128;

/// What went wrong, in a [`ScanError`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanErrorKind {
    /// The input ended inside a value.
    UnexpectedEnd,
    /// A byte that cannot start or continue what was expected.
    UnexpectedByte {
        /// The byte found.
        found: u8,
        /// What was expected there.
        expected: &'static str,
    },
    /// A backslash escape that JSON does not have, or a `\u` without four hex digits.
    InvalidEscape,
    /// A `\u` escape of a UTF-16 surrogate without its pair.
    LoneSurrogate,
    /// A raw control character (below U+0020) inside a string.
    ControlCharacter,
    /// A string that is not valid UTF-8.
    InvalidUtf8,
    /// A number that does not follow the JSON grammar.
    InvalidNumber,
    /// Objects and arrays nested deeper than the limit.
    TooDeep {
        /// The limit.
        limit: u32,
    },
    /// Something other than whitespace after the value.
    TrailingData,
}

/// A JSON syntax error and the byte offset where it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanError {
    /// What went wrong.
    pub kind: ScanErrorKind,
    /// Byte offset in the input.
    pub offset: usize,
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.offset;
        match self.kind {
            ScanErrorKind::UnexpectedEnd => write!(f, "JSON ends early at byte {at}"),
            ScanErrorKind::UnexpectedByte { found, expected } => write!(
                f,
                "unexpected byte 0x{found:02x} at byte {at}: expected {expected}"
            ),
            ScanErrorKind::InvalidEscape => write!(f, "invalid string escape at byte {at}"),
            ScanErrorKind::LoneSurrogate => write!(f, "lone UTF-16 surrogate escape at byte {at}"),
            ScanErrorKind::ControlCharacter => {
                write!(f, "raw control character in a string at byte {at}")
            }
            ScanErrorKind::InvalidUtf8 => write!(f, "invalid UTF-8 at byte {at}"),
            ScanErrorKind::InvalidNumber => write!(f, "invalid number at byte {at}"),
            ScanErrorKind::TooDeep { limit } => {
                write!(f, "nesting deeper than {limit} at byte {at}")
            }
            ScanErrorKind::TrailingData => write!(f, "data after the JSON value at byte {at}"),
        }
    }
}

impl core::error::Error for ScanError {}

/// The kind of the next value, from its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// `{`
    Object,
    /// `[`
    Array,
    /// `"`
    String,
    /// `-` or a digit
    Number,
    /// `true` or `false`
    Bool,
    /// `null`
    Null,
}

/// A validated JSON string, borrowed from the input without its quotes. Text without escapes is
/// available as `&str` directly ([`as_str`](Self::as_str)); text with escapes is decoded on
/// demand, into a caller buffer ([`unescape_into`](Self::unescape_into)) or char by char
/// ([`chars`](Self::chars)). Comparing with `==` against a `&str` compares the decoded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonStr<'a> {
    raw: &'a str,
    escaped: bool,
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
            rest: self.raw.as_bytes(),
            text: self.raw,
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
    rest: &'a [u8],
    text: &'a str,
}

fn hex4(b: &[u8]) -> Option<u16> {
    let mut v: u16 = 0;
    for &c in b.get(..4)? {
        let d = u16::try_from(char::from(c).to_digit(16)?).ok()?;
        v = (v << 4) | d;
    }
    Some(v)
}

impl Iterator for Chars<'_> {
    type Item = char;
    fn next(&mut self) -> Option<char> {
        let (&b, tail) = self.rest.split_first()?;
        if b != b'\\' {
            // Decode one UTF-8 char from the validated text.
            // `rest` is a suffix of `text`'s bytes.
            let start = self.text.len().checked_sub(self.rest.len())?;
            let c = self.text.get(start..)?.chars().next()?;
            self.rest = self.rest.get(c.len_utf8()..).unwrap_or_default();
            return Some(c);
        }
        let (&e, tail) = tail.split_first()?;
        let simple = match e {
            b'"' => Some('"'),
            b'\\' => Some('\\'),
            b'/' => Some('/'),
            b'b' => Some('\u{8}'),
            b'f' => Some('\u{c}'),
            b'n' => Some('\n'),
            b'r' => Some('\r'),
            b't' => Some('\t'),
            _ => None,
        };
        if let Some(c) = simple {
            self.rest = tail;
            return Some(c);
        }
        // \uXXXX, possibly a surrogate pair (validated when scanned).
        let hi = hex4(tail)?;
        let after = tail.get(4..)?;
        if (0xD800..0xDC00).contains(&hi) {
            let lo = hex4(after.get(2..)?)?;
            self.rest = after.get(6..)?;
            // hi in D800..DC00, lo in DC00..E000 (checked when scanned): 10 bits each.
            let c = ((u32::from(hi) & 0x3ff) << 10 | (u32::from(lo) & 0x3ff)).checked_add(0x10000);
            return Some(c.and_then(char::from_u32).unwrap_or('\u{fffd}'));
        }
        self.rest = after;
        Some(char::from_u32(u32::from(hi)).unwrap_or('\u{fffd}'))
    }
}

/// A cursor over JSON text. Methods consume one syntactic piece each; the caller drives the
/// structure (see the module example). After any error the scanner should be dropped.
#[derive(Debug, Clone)]
pub struct Scanner<'a> {
    input: &'a [u8],
    pos: usize,
    depth: u32,
    max_depth: u32,
}

impl<'a> Scanner<'a> {
    /// A scanner at the start of `input`, with the default depth limit.
    pub fn new(input: &'a [u8]) -> Self {
        Scanner {
            input,
            pos: 0,
            depth: 0,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }

    /// The same scanner with nesting limited to `max_depth` (at most [`MAX_DEPTH_LIMIT`]).
    pub fn with_max_depth(mut self, max_depth: u32) -> Self {
        self.max_depth = max_depth.min(MAX_DEPTH_LIMIT);
        self
    }

    /// A scanner positioned at byte `pos`, inside `depth` open containers (for readers that
    /// come back to a part they validated before).
    pub(crate) fn at(input: &'a [u8], pos: usize, depth: u32) -> Self {
        Scanner {
            input,
            pos,
            depth,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }

    /// The current byte offset.
    pub fn offset(&self) -> usize {
        self.pos
    }

    fn err(&self, kind: ScanErrorKind) -> ScanError {
        ScanError {
            kind,
            offset: self.pos,
        }
    }

    /// Moves `n` bytes on. Each caller has just seen the bytes it steps over (or a `\u`
    /// escape's), so `pos` stays near `input.len()` and this never saturates.
    #[inline]
    fn bump(&mut self, n: usize) {
        self.pos = self.pos.saturating_add(n);
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.input.get(self.pos) {
            self.bump(1);
        }
    }

    fn peek_byte(&mut self) -> Result<u8, ScanError> {
        self.skip_ws();
        self.input
            .get(self.pos)
            .copied()
            .ok_or_else(|| self.err(ScanErrorKind::UnexpectedEnd))
    }

    fn expect(&mut self, want: u8, expected: &'static str) -> Result<(), ScanError> {
        let b = self.peek_byte()?;
        if b != want {
            return Err(self.err(ScanErrorKind::UnexpectedByte { found: b, expected }));
        }
        self.bump(1);
        Ok(())
    }

    /// Whether only whitespace is left.
    pub fn at_end(&mut self) -> bool {
        self.skip_ws();
        self.pos >= self.input.len()
    }

    /// Checks that only whitespace follows.
    pub fn end(&mut self) -> Result<(), ScanError> {
        if self.at_end() {
            Ok(())
        } else {
            Err(self.err(ScanErrorKind::TrailingData))
        }
    }

    /// The kind of the next value, without consuming it.
    pub fn peek(&mut self) -> Result<Value, ScanError> {
        Ok(match self.peek_byte()? {
            b'{' => Value::Object,
            b'[' => Value::Array,
            b'"' => Value::String,
            b'-' | b'0'..=b'9' => Value::Number,
            b't' | b'f' => Value::Bool,
            b'n' => Value::Null,
            found => {
                return Err(self.err(ScanErrorKind::UnexpectedByte {
                    found,
                    expected: "a JSON value",
                }))
            }
        })
    }

    fn open(&mut self, byte: u8, expected: &'static str) -> Result<(), ScanError> {
        self.expect(byte, expected)?;
        if self.depth >= self.max_depth {
            return Err(ScanError {
                kind: ScanErrorKind::TooDeep {
                    limit: self.max_depth,
                },
                offset: self.pos.saturating_sub(1),
            });
        }
        self.depth = self.depth.saturating_add(1); // below max_depth
        Ok(())
    }

    /// Consumes `{`. Then call [`next_member`](Self::next_member) until it returns `None`.
    pub fn begin_object(&mut self) -> Result<(), ScanError> {
        self.open(b'{', "'{'")
    }

    /// Consumes `[`. Then call [`next_element`](Self::next_element) until it returns `false`.
    pub fn begin_array(&mut self) -> Result<(), ScanError> {
        self.open(b'[', "'['")
    }

    /// The next member's key (with its `:` consumed; its value comes next), or `None` at the
    /// closing `}` (consumed). `first` must start `true` for each object; it is updated here.
    pub fn next_member(&mut self, first: &mut bool) -> Result<Option<JsonStr<'a>>, ScanError> {
        let b = self.peek_byte()?;
        if b == b'}' {
            self.bump(1);
            self.depth = self.depth.saturating_sub(1);
            return Ok(None);
        }
        let was_first = *first;
        if !was_first {
            self.expect(b',', "',' or '}'")?;
        }
        *first = false;
        let b = self.peek_byte()?;
        if b != b'"' {
            return Err(self.err(ScanErrorKind::UnexpectedByte {
                found: b,
                expected: if was_first {
                    "a member name or '}'"
                } else {
                    "a member name"
                },
            }));
        }
        let key = self.string()?;
        self.expect(b':', "':'")?;
        Ok(Some(key))
    }

    /// Whether another element follows (then read it), or `false` at the closing `]`
    /// (consumed). `first` must start `true` for each array.
    pub fn next_element(&mut self, first: &mut bool) -> Result<bool, ScanError> {
        let b = self.peek_byte()?;
        if b == b']' {
            self.bump(1);
            self.depth = self.depth.saturating_sub(1);
            return Ok(false);
        }
        if !*first {
            self.expect(b',', "',' or ']'")?;
        }
        *first = false;
        Ok(true)
    }

    /// Reads a string value.
    pub fn string(&mut self) -> Result<JsonStr<'a>, ScanError> {
        self.expect(b'"', "a string")?;
        let start = self.pos;
        let mut escaped = false;
        loop {
            let Some(&b) = self.input.get(self.pos) else {
                return Err(self.err(ScanErrorKind::UnexpectedEnd));
            };
            match b {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    self.escape()?;
                }
                0x00..=0x1f => return Err(self.err(ScanErrorKind::ControlCharacter)),
                _ => self.bump(1),
            }
        }
        let bytes = self.input.get(start..self.pos).unwrap_or_default();
        let raw = core::str::from_utf8(bytes).map_err(|e| ScanError {
            kind: ScanErrorKind::InvalidUtf8,
            offset: start.saturating_add(e.valid_up_to()),
        })?;
        self.bump(1); // the closing quote
        Ok(JsonStr { raw, escaped })
    }

    /// Validates one escape at `pos` (a backslash) and moves past it.
    fn escape(&mut self) -> Result<(), ScanError> {
        let at = self.pos;
        let bad = |kind| ScanError { kind, offset: at };
        match self.input.get(at.saturating_add(1)) {
            None => Err(self.err(ScanErrorKind::UnexpectedEnd)),
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                self.bump(2);
                Ok(())
            }
            Some(b'u') => {
                let hex = self.input.get(at.saturating_add(2)..).unwrap_or_default();
                if hex.len() < 4 {
                    return Err(self.err_end_or(hex, ScanErrorKind::InvalidEscape, at));
                }
                let v = hex4(hex).ok_or(bad(ScanErrorKind::InvalidEscape))?;
                self.pos = at.saturating_add(6);
                if (0xDC00..0xE000).contains(&v) {
                    return Err(bad(ScanErrorKind::LoneSurrogate));
                }
                if (0xD800..0xDC00).contains(&v) {
                    let next = self.input.get(self.pos..).unwrap_or_default();
                    match next {
                        [b'\\', b'u', rest @ ..] => match hex4(rest) {
                            Some(lo) if (0xDC00..0xE000).contains(&lo) => self.bump(6),
                            Some(_) => return Err(bad(ScanErrorKind::LoneSurrogate)),
                            None if rest.len() < 4 => {
                                return Err(self.err_end_or(rest, ScanErrorKind::InvalidEscape, at))
                            }
                            None => {
                                return Err(ScanError {
                                    kind: ScanErrorKind::InvalidEscape,
                                    offset: self.pos,
                                })
                            }
                        },
                        [] | [b'\\'] => return Err(self.err_at_end()),
                        _ => return Err(bad(ScanErrorKind::LoneSurrogate)),
                    }
                }
                Ok(())
            }
            Some(_) => Err(bad(ScanErrorKind::InvalidEscape)),
        }
    }

    /// `UnexpectedEnd` when a short `\u` run is cut off by the end of input and all its digits
    /// so far are hex, else `kind` at `at`.
    fn err_end_or(&self, partial: &[u8], kind: ScanErrorKind, at: usize) -> ScanError {
        if partial.iter().all(u8::is_ascii_hexdigit) {
            self.err_at_end()
        } else {
            ScanError { kind, offset: at }
        }
    }

    fn err_at_end(&self) -> ScanError {
        ScanError {
            kind: ScanErrorKind::UnexpectedEnd,
            offset: self.input.len(),
        }
    }

    /// Reads a number and returns its text (validated against the JSON grammar).
    pub fn number(&mut self) -> Result<&'a str, ScanError> {
        self.skip_ws();
        let start = self.pos;
        let digit = |s: &Self| matches!(s.input.get(s.pos), Some(b'0'..=b'9'));
        let digits = |s: &mut Self| {
            let from = s.pos;
            while digit(s) {
                s.bump(1);
            }
            s.pos > from
        };
        let invalid = |s: &Self| {
            if s.pos >= s.input.len() {
                s.err(ScanErrorKind::UnexpectedEnd)
            } else {
                s.err(ScanErrorKind::InvalidNumber)
            }
        };
        if self.input.get(self.pos) == Some(&b'-') {
            self.bump(1);
        }
        match self.input.get(self.pos) {
            Some(b'0') => self.bump(1),
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(invalid(self)),
        }
        if self.input.get(self.pos) == Some(&b'.') {
            self.bump(1);
            if !digits(self) {
                return Err(invalid(self));
            }
        }
        if let Some(b'e' | b'E') = self.input.get(self.pos) {
            self.bump(1);
            if let Some(b'+' | b'-') = self.input.get(self.pos) {
                self.bump(1);
            }
            if !digits(self) {
                return Err(invalid(self));
            }
        }
        let text = self.input.get(start..self.pos).unwrap_or_default();
        // ASCII by construction.
        core::str::from_utf8(text).map_err(|_| ScanError {
            kind: ScanErrorKind::InvalidNumber,
            offset: start,
        })
    }

    fn literal(&mut self, word: &'static [u8]) -> Result<(), ScanError> {
        let got = self.input.get(self.pos..).unwrap_or_default();
        if got.starts_with(word) {
            self.bump(word.len());
            return Ok(());
        }
        if word.starts_with(got) {
            return Err(self.err_at_end());
        }
        // Offset of the first wrong byte.
        let wrong = got.iter().zip(word).take_while(|(a, b)| a == b).count();
        Err(ScanError {
            kind: ScanErrorKind::UnexpectedByte {
                found: got.get(wrong).copied().unwrap_or(0),
                expected: "true, false or null",
            },
            offset: self.pos.saturating_add(wrong),
        })
    }

    /// Reads `true` or `false`.
    pub fn boolean(&mut self) -> Result<bool, ScanError> {
        match self.peek_byte()? {
            b't' => self.literal(b"true").map(|()| true),
            b'f' => self.literal(b"false").map(|()| false),
            found => Err(self.err(ScanErrorKind::UnexpectedByte {
                found,
                expected: "true or false",
            })),
        }
    }

    /// Consumes `null` if it comes next and says whether it did.
    pub fn null(&mut self) -> Result<bool, ScanError> {
        if self.peek_byte()? == b'n' {
            self.literal(b"null")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Skips one whole value of any kind, checking its syntax (iteratively: no recursion).
    pub fn skip_value(&mut self) -> Result<(), ScanError> {
        // One bit per container opened here: 1 = object, 0 = array.
        let mut stack: u128 = 0;
        let mut open: u32 = 0;
        'value: loop {
            match self.peek()? {
                Value::Object | Value::Array => {
                    let is_obj = self.peek_byte()? == b'{';
                    if is_obj {
                        self.begin_object()?;
                    } else {
                        self.begin_array()?;
                    }
                    stack = (stack << 1) | u128::from(is_obj);
                    open = open.saturating_add(1); // at most max_depth
                    let mut first = true;
                    let more = if is_obj {
                        self.next_member(&mut first)?.is_some()
                    } else {
                        self.next_element(&mut first)?
                    };
                    if more {
                        continue 'value;
                    }
                    stack >>= 1;
                    open = open.saturating_sub(1);
                }
                Value::String => {
                    self.string()?;
                }
                Value::Number => {
                    self.number()?;
                }
                Value::Bool => {
                    self.boolean()?;
                }
                Value::Null => {
                    self.null()?;
                }
            }
            // After a value: close containers until one continues.
            while open > 0 {
                let mut first = false;
                let more = if stack & 1 == 1 {
                    self.next_member(&mut first)?.is_some()
                } else {
                    self.next_element(&mut first)?
                };
                if more {
                    continue 'value;
                }
                stack >>= 1;
                open = open.saturating_sub(1);
            }
            return Ok(());
        }
    }
}

/// Parses a JSON number text as a `u32` when it is a plain non-negative integer
/// (no sign, fraction or exponent) in range.
pub fn number_as_u32(text: &str) -> Option<u32> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}
