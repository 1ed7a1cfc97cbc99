//! The crate's JSON reader: a `serde::Deserializer` over a byte slice, tuned for the shapes of
//! the two services, that reads every body first.
//!
//! It accepts a subset of what `serde_json` accepts and, on that subset, gives the visitors the
//! same values: strings without escapes are handed over borrowed, numbers are classified and
//! converted as `serde_json` does (`u64` for non-negative integers, `i64` for negative ones,
//! `f64` rounded once from an exact significand and power of ten). Two differences in form, not
//! in value: a string read with `deserialize_bytes` (a blob) is handed over as bytes without a
//! UTF-8 pass, as `serde_json` does too, and a plain ASCII struct member name is handed over
//! as bytes, which serde's derived field visitors map exactly as the same text.
//!
//! Anything outside the subset, malformed input, or a visitor's error makes it give up with
//! [`Bail`]: [`crate::wire::parse_json`] then reads the same body with `serde_json`, whose value
//! or error is the answer. Errors therefore keep `serde_json`'s message, line and column, plus
//! the JSON path. `tests/wire_reader.rs` checks the agreement on every corpus body and on tens
//! of thousands of mutations of them, and the `wire_body` fuzz target on arbitrary bytes.
//!
//! What it gains over `serde_json` behind the path-tracking wrapper: strings are scanned
//! 32 bytes at a time with vector compares, record data (base64) is scanned once and
//! validated once with no UTF-8 pass, member names skip the UTF-8 pass, and the success path
//! keeps no error bookkeeping.
//!
//! Given up on (left to `serde_json`): `-0` and integers beyond `u64`/`i64`, floats whose
//! digits exceed 2^53 or whose exponent leaves the exact powers of ten (±22), `f32`, escapes in a
//! string read as bytes, surrogate escapes that do not form a pair, structs written as
//! arrays, enums, 128-bit integers, non-string map keys, and nesting deeper than
//! the JSON core's nesting limit ([`crate::json::scan::DEFAULT_MAX_DEPTH`]).

use alloc::string::String;
use core::fmt;

use serde::de::{self, DeserializeSeed, Visitor};

use crate::json::text::{escape_at, plain_run_end};
use crate::json::Scanner;

/// Why the reader gave up; the caller falls back to `serde_json` for the verdict.
#[derive(Debug)]
pub(crate) struct Bail;

impl fmt::Display for Bail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not read by the fast JSON reader")
    }
}

impl core::error::Error for Bail {}

impl de::Error for Bail {
    #[cold]
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Bail
    }
}

type Result<T> = core::result::Result<T, Bail>;

mod blob;
mod number;

/// Reads one `T` from the whole of `body` (JSON whitespace around it allowed).
pub(crate) fn from_slice<'de, T: de::Deserialize<'de>>(
    body: &'de [u8],
    options: &super::ParseOptions,
) -> Result<T> {
    read(body, None, options)
}

/// [`from_slice`], decoding every blob into `out`, back to back, as it is read (see
/// [`blob`](self::blob)); a blob that does not fit makes the reader give up.
pub(crate) fn from_slice_decoding<'de, T: de::Deserialize<'de>>(
    body: &'de [u8],
    out: &'de mut [u8],
    options: &super::ParseOptions,
) -> Result<T> {
    read(body, Some(out), options)
}

fn read<'de, T: de::Deserialize<'de>>(
    body: &'de [u8],
    out: Option<&'de mut [u8]>,
    options: &super::ParseOptions,
) -> Result<T> {
    let mut reader = Reader {
        sc: Scanner::new(body),
        elements_left: options.max_elements,
        out,
    };
    let value = T::deserialize(&mut reader)?;
    reader.sc.end().map_err(|_| Bail)?;
    Ok(value)
}

/// A string value: borrowed from the body, or unescaped into a new `String`.
enum Text<'de> {
    Borrowed(&'de str),
    Owned(String),
}

/// The reader's state: the JSON core's scanner (the body, the position of the next unread
/// byte, the nesting depth and its limit) and what serde reading adds to it.
pub(crate) struct Reader<'de> {
    sc: Scanner<'de>,
    /// List elements and map entries the body may still hold ([`super::ParseOptions`]).
    elements_left: usize,
    /// Where blobs are decoded to, when the caller asked for it: the part not used yet.
    out: Option<&'de mut [u8]>,
}

impl<'de> Reader<'de> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.sc.input.get(self.sc.pos).copied()
    }

    #[inline(always)]
    fn bump(&mut self, n: usize) {
        self.sc.pos = self.sc.pos.saturating_add(n);
    }

    #[inline(always)]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.bump(1);
        }
    }

    /// The next byte after whitespace, not consumed.
    #[inline(always)]
    fn peek_token(&mut self) -> Result<u8> {
        self.skip_ws();
        self.peek().ok_or(Bail)
    }

    #[inline(always)]
    fn expect(&mut self, byte: u8) -> Result<()> {
        if self.peek_token()? == byte {
            self.bump(1);
            Ok(())
        } else {
            Err(Bail)
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<()> {
        let end = self.sc.pos.checked_add(word.len()).ok_or(Bail)?;
        if self.sc.input.get(self.sc.pos..end) == Some(word) {
            self.sc.pos = end;
            Ok(())
        } else {
            Err(Bail)
        }
    }

    /// One more list element or map entry: past the budget, the reader gives up and
    /// `serde_json`'s pass reports `TooManyElements` with the path.
    #[inline(always)]
    fn spend_element(&mut self) -> Result<()> {
        self.elements_left = self.elements_left.checked_sub(1).ok_or(Bail)?;
        Ok(())
    }

    /// Steps into the array or object whose opening byte is next, within the scanner's
    /// nesting limit (deeper bodies are left to `serde_json`).
    #[inline(always)]
    fn enter(&mut self) -> Result<()> {
        if self.sc.depth >= self.sc.max_depth {
            return Err(Bail);
        }
        self.sc.depth = self.sc.depth.saturating_add(1); // below max_depth
        self.bump(1);
        Ok(())
    }

    #[inline(always)]
    fn leave(&mut self) {
        self.sc.depth = self.sc.depth.saturating_sub(1);
    }

    /// Reads a string whose opening quote is at the position.
    fn text(&mut self) -> Result<Text<'de>> {
        let start = self.sc.pos.saturating_add(1);
        let end = plain_run_end(self.sc.input, start);
        let run = self.sc.input.get(start..end).ok_or(Bail)?;
        match self.sc.input.get(end) {
            Some(b'"') => {
                self.sc.pos = end.saturating_add(1);
                Ok(Text::Borrowed(core::str::from_utf8(run).map_err(|_| Bail)?))
            }
            Some(b'\\') => {
                let mut out = String::with_capacity(run.len().saturating_add(16));
                out.push_str(core::str::from_utf8(run).map_err(|_| Bail)?);
                self.sc.pos = end;
                self.unescape_rest(&mut out)?;
                Ok(Text::Owned(out))
            }
            _ => Err(Bail),
        }
    }

    /// Continues a string at the backslash at the position, appending to `out`, through the
    /// closing quote; escapes are read by the JSON core's [`escape_at`].
    fn unescape_rest(&mut self, out: &mut String) -> Result<()> {
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.bump(1);
                    return Ok(());
                }
                Some(b'\\') => {
                    let (c, next) = escape_at(self.sc.input, self.sc.pos).map_err(|_| Bail)?;
                    out.push(c);
                    self.sc.pos = next;
                }
                _ => return Err(Bail),
            }
            let end = plain_run_end(self.sc.input, self.sc.pos);
            let run = self.sc.input.get(self.sc.pos..end).ok_or(Bail)?;
            out.push_str(core::str::from_utf8(run).map_err(|_| Bail)?);
            self.sc.pos = end;
        }
    }

    /// Reads a string as raw bytes, for `deserialize_bytes`: no UTF-8 pass and control bytes
    /// kept, as `serde_json` does; a string with escapes is left to `serde_json`.
    fn raw_bytes(&mut self) -> Result<&'de [u8]> {
        let start = self.sc.pos.saturating_add(1);
        let rest = self.sc.input.get(start..).unwrap_or_default();
        let end = start.saturating_add(memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len()));
        let run = self.sc.input.get(start..end).ok_or(Bail)?;
        if self.sc.input.get(end) != Some(&b'"') {
            return Err(Bail);
        }
        self.sc.pos = end.saturating_add(1);
        Ok(run)
    }

    /// Skips one value with the JSON core's scanner (strict RFC 8259, as `serde_json` is).
    fn skip_value(&mut self) -> Result<()> {
        self.sc.skip_value().map_err(|_| Bail)
    }

    fn visit_text<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        match self.text()? {
            Text::Borrowed(s) => visitor.visit_borrowed_str(s),
            Text::Owned(s) => visitor.visit_string(s),
        }
    }

    /// An array: the visitor reads the elements, then the closing bracket must follow.
    fn visit_array<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        self.enter()?;
        let value = visitor.visit_seq(Elements {
            reader: self,
            first: true,
        })?;
        self.expect(b']')?;
        self.leave();
        Ok(value)
    }

    /// An object: the visitor reads the members, then the closing brace must follow. The
    /// entries of a map (`counted`) spend the element budget; the members of a struct do not.
    fn visit_object<V: Visitor<'de>>(&mut self, visitor: V, counted: bool) -> Result<V::Value> {
        self.enter()?;
        let value = visitor.visit_map(Members {
            reader: self,
            first: true,
            counted,
        })?;
        self.expect(b'}')?;
        self.leave();
        Ok(value)
    }
}

macro_rules! numbers_only {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            match self.peek_token()? {
                b'-' | b'0'..=b'9' => self.number()?.visit(visitor),
                _ => Err(Bail),
            }
        }
    )*};
}

macro_rules! bail {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
            Err(Bail)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.peek_token()? {
            b'"' => self.visit_text(visitor),
            b'-' | b'0'..=b'9' => self.number()?.visit(visitor),
            b'{' => self.visit_object(visitor, true),
            b'[' => self.visit_array(visitor),
            b't' => {
                self.literal(b"true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                visitor.visit_bool(false)
            }
            b'n' => {
                self.literal(b"null")?;
                visitor.visit_unit()
            }
            _ => Err(Bail),
        }
    }

    numbers_only! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_f64
    }

    // serde_json's `float_roundtrip` feature reads f32 with a rounding of its own.
    bail! { deserialize_i128 deserialize_u128 deserialize_f32 }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.peek_token()? {
            b't' | b'f' => self.deserialize_any(visitor),
            _ => Err(Bail),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.peek_token()? {
            b'"' => self.visit_text(visitor),
            _ => Err(Bail),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.peek_token()? {
            b'"' => visitor.visit_borrowed_bytes(self.raw_bytes()?),
            _ => Err(Bail),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.peek_token()? == b'n' {
            self.literal(b"null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.peek_token()? {
            b'n' => self.deserialize_any(visitor),
            _ => Err(Bail),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        // serde_json gives names of its own (raw values) a meaning of their own.
        if name.starts_with("$serde_json") {
            return Err(Bail);
        }
        if name == crate::blob::BLOB_TOKEN {
            return self.blob(visitor);
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.peek_token()? {
            b'[' => self.visit_array(visitor),
            _ => Err(Bail),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.peek_token()? {
            b'{' => self.visit_object(visitor, true),
            _ => Err(Bail),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        // A struct written as an array (which serde_json accepts) is left to serde_json.
        match self.peek_token()? {
            b'{' => self.visit_object(visitor, false),
            _ => Err(Bail),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value> {
        Err(Bail)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip_value()?;
        visitor.visit_unit()
    }
}

/// The elements of an array, for `visit_seq`.
struct Elements<'r, 'de> {
    reader: &'r mut Reader<'de>,
    first: bool,
}

impl<'de> de::SeqAccess<'de> for Elements<'_, 'de> {
    type Error = Bail;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        match self.reader.peek_token()? {
            b']' => return Ok(None),
            b',' if !self.first => self.reader.bump(1),
            _ if self.first => {}
            _ => return Err(Bail),
        }
        self.first = false;
        self.reader.spend_element()?;
        seed.deserialize(&mut *self.reader).map(Some)
    }
}

/// The members of an object, for `visit_map`.
struct Members<'r, 'de> {
    reader: &'r mut Reader<'de>,
    first: bool,
    /// Whether the entries spend the element budget (a map's do, a struct's do not).
    counted: bool,
}

impl<'de> de::MapAccess<'de> for Members<'_, 'de> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        match self.reader.peek_token()? {
            b'}' => return Ok(None),
            b',' if !self.first => {
                self.reader.bump(1);
                if self.reader.peek_token()? != b'"' {
                    return Err(Bail);
                }
            }
            b'"' if self.first => {}
            _ => return Err(Bail),
        }
        self.first = false;
        if self.counted {
            self.reader.spend_element()?;
        }
        seed.deserialize(Key {
            reader: &mut *self.reader,
        })
        .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        self.reader.expect(b':')?;
        seed.deserialize(&mut *self.reader)
    }
}

/// An object key (the reader stands on its opening quote): a string, and only a string.
struct Key<'r, 'de> {
    reader: &'r mut Reader<'de>,
}

macro_rules! key_as_string {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            self.reader.visit_text(visitor)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Key<'_, 'de> {
    type Error = Bail;

    key_as_string! { deserialize_str deserialize_string }

    /// A member name of a struct: handed over as bytes when it is plain ASCII, which skips the
    /// UTF-8 pass; serde's derived field visitors map bytes exactly as they map the same text.
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let reader = self.reader;
        let start = reader.sc.pos.saturating_add(1);
        let end = plain_run_end(reader.sc.input, start);
        match (reader.sc.input.get(start..end), reader.sc.input.get(end)) {
            (Some(name), Some(b'"')) if name.is_ascii() => {
                reader.sc.pos = end.saturating_add(1);
                visitor.visit_borrowed_bytes(name)
            }
            _ => reader.visit_text(visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.reader.text()?;
        visitor.visit_unit()
    }

    // Keys read any other way (as numbers, bytes, options, enums...) follow rules of
    // serde_json's own, which the shapes never need: left to serde_json.
    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(Bail)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum
    }
}
