//! A small strict JSON scanner over borrowed bytes, with no heap: the base of every JSON reader
//! of the crate (the producer's answer readers, the serde reader of `wire`).
//!
//! It accepts exactly RFC 8259 JSON (no trailing commas, no comments, no leading zeros, no lone
//! surrogates in `\u` escapes, no raw control characters in strings, valid UTF-8), limits nesting
//! depth (objects and arrays, default [`DEFAULT_MAX_DEPTH`]), and reports every problem as a
//! [`ScanError`] naming the byte offset. Strings come back as [`JsonStr`], a validated view that
//! borrows the input and decodes escapes only when asked.
//!
//! ```
//! use kinesis_codec::json::{Scanner, Value};
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
//! # Ok::<(), kinesis_codec::json::ScanError>(())
//! ```
use super::error::{ScanError, ScanErrorKind};
use super::number::read_number;
use super::text::{escape_at, plain_run_end, JsonStr};

/// The default nesting limit of objects and arrays.
pub const DEFAULT_MAX_DEPTH: u32 = 32;
/// The largest nesting limit a scanner accepts.
pub const MAX_DEPTH_LIMIT: u32 = 128;

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
/// A cursor over JSON text. Methods consume one syntactic piece each; the caller drives the
/// structure (see the module example). After any error the scanner should be dropped.
#[derive(Debug, Clone)]
pub struct Scanner<'a> {
    pub(crate) input: &'a [u8],
    pub(crate) pos: usize,
    pub(crate) depth: u32,
    pub(crate) max_depth: u32,
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

    /// The offset of the next byte that is not whitespace (where the next token starts),
    /// without moving.
    pub fn next_offset(&self) -> usize {
        let rest = self.input.get(self.pos..).unwrap_or_default();
        let ws = rest
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .count();
        self.pos.saturating_add(ws)
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
            self.pos = plain_run_end(self.input, self.pos);
            match self.input.get(self.pos) {
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    self.pos = escape_at(self.input, self.pos)?.1;
                }
                Some(_) => return Err(self.err(ScanErrorKind::ControlCharacter)),
                None => return Err(self.err(ScanErrorKind::UnexpectedEnd)),
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
        self.pos = read_number(self.input, start)?.end;
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
