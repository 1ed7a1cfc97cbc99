//! [`Reader`]: CBOR items one at a time over borrowed bytes (RFC 8949 §3), with byte offsets in
//! its errors and one nesting limit.

use super::error::{CborError, CborErrorKind};
use super::head::{read_head, Arg, Major};

/// The default nesting limit of [`Reader`] (arrays, maps and tags inside each other), the same
/// as the JSON scanner's ([`crate::json::scan::DEFAULT_MAX_DEPTH`]).
pub const DEFAULT_MAX_DEPTH: usize = 32;

/// One data item's start, as [`Reader::next_item`] reads it.
///
/// Definite strings come whole, borrowed from the input (text checked as UTF-8); indefinite
/// ones come as [`Item::BytesChunked`] / [`Item::TextChunked`], whose chunks
/// [`Reader::next_chunk`] then hands out. Arrays and maps give their length (`None`:
/// indefinite, ended by [`Item::Break`]); their elements are the items that follow.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Item<'a> {
    /// Major type 0: an unsigned integer.
    Unsigned(u64),
    /// Major type 1: the integer `-1 - n`.
    Negative(u64),
    /// Major type 2, definite length.
    Bytes(&'a [u8]),
    /// Major type 2, indefinite length: chunks follow.
    BytesChunked,
    /// Major type 3, definite length.
    Text(&'a str),
    /// Major type 3, indefinite length: chunks follow.
    TextChunked,
    /// Major type 4, with its length if definite.
    Array(Option<u64>),
    /// Major type 5, with its number of pairs if definite.
    Map(Option<u64>),
    /// Major type 6: a tag; the tagged item follows.
    Tag(u64),
    /// `false` / `true` (simple values 20, 21).
    Bool(bool),
    /// `null` (simple value 22).
    Null,
    /// `undefined` (simple value 23).
    Undefined,
    /// A half, single or double float, widened to `f64` (exactly: every half and single value
    /// is an `f64` value).
    Float(f64),
    /// The "break" that ends an indefinite-length item.
    Break,
}

impl Item<'_> {
    /// An integer item's value as an `i64`; `None` for any other item, and for an integer outside
    /// `i64` (CBOR's integers reach -2^64 and 2^64 - 1; the protocol's longs are `i64`).
    ///
    /// ```
    /// use kinesis_codec::cbor::Item;
    ///
    /// assert_eq!(Item::Unsigned(7).as_i64(), Some(7));
    /// assert_eq!(Item::Negative(0).as_i64(), Some(-1));
    /// assert_eq!(Item::Negative(u64::MAX >> 1).as_i64(), Some(i64::MIN));
    /// assert_eq!(Item::Unsigned(1 << 63).as_i64(), None);
    /// assert_eq!(Item::Float(7.0).as_i64(), None);
    /// ```
    #[must_use]
    #[inline]
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Item::Unsigned(n) => i64::try_from(n).ok(),
            // -1 - n is !n in two's complement; in i64 when n < 2^63.
            Item::Negative(n) => i64::try_from(n).ok().map(|n| !n),
            _ => None,
        }
    }
}

/// A reader of CBOR items over borrowed bytes.
///
/// ```
/// use kinesis_codec::cbor::{Item, Reader};
///
/// // {"ShardId": "shardId-000000000000", "Data": h'68656c6c6f'}
/// let mut bytes = vec![0xa2, 0x67];
/// bytes.extend_from_slice(b"ShardId");
/// bytes.push(0x74);
/// bytes.extend_from_slice(b"shardId-000000000000");
/// bytes.push(0x64);
/// bytes.extend_from_slice(b"Data");
/// bytes.push(0x45);
/// bytes.extend_from_slice(b"hello");
///
/// let mut r = Reader::new(&bytes);
/// assert_eq!(r.next_item()?, Item::Map(Some(2)));
/// assert_eq!(r.next_item()?, Item::Text("ShardId"));
/// assert_eq!(r.next_item()?, Item::Text("shardId-000000000000"));
/// assert_eq!(r.next_item()?, Item::Text("Data"));
/// assert_eq!(r.next_item()?, Item::Bytes(b"hello"));
/// assert!(r.is_at_end());
/// # Ok::<(), kinesis_codec::cbor::CborError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    max_depth: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`, nesting limit [`DEFAULT_MAX_DEPTH`].
    pub const fn new(buf: &'a [u8]) -> Self {
        Reader {
            buf,
            pos: 0,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }

    /// This reader with nesting limit `max_depth` (arrays, maps and tags inside each other).
    pub const fn with_max_depth(self, max_depth: usize) -> Self {
        Reader { max_depth, ..self }
    }

    /// The nesting limit.
    pub const fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// The offset of the next byte to read.
    pub const fn offset(&self) -> usize {
        self.pos
    }

    /// Whether every byte has been read.
    pub const fn is_at_end(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// The bytes not yet read.
    pub fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    /// An error of `kind` at `offset`.
    pub const fn error(&self, kind: CborErrorKind, offset: usize) -> CborError {
        CborError::new(kind, offset)
    }

    /// The major type of the next item, without reading it (`None` at the end; the break byte
    /// reads as [`Major::Simple`]).
    pub fn peek_major(&self) -> Option<Major> {
        self.buf.get(self.pos).map(|b| Major::of(*b))
    }

    /// Whether the next byte is a break (0xff).
    pub fn at_break(&self) -> bool {
        self.buf.get(self.pos) == Some(&0xff)
    }

    /// Reads the start of the next item (see [`Item`]).
    pub fn next_item(&mut self) -> Result<Item<'a>, CborError> {
        let start = self.pos;
        let (head, used) = read_head(self.rest()).map_err(|kind| match kind {
            CborErrorKind::Eof => CborError::new(kind, self.buf.len()),
            kind => CborError::new(kind, start),
        })?;
        self.pos = start.saturating_add(used);
        let definite = |arg: Arg| match arg {
            Arg::Value(v) => Ok(v),
            Arg::Indefinite => Err(CborError::new(CborErrorKind::IndefiniteNotAllowed, start)),
        };
        Ok(match head.major {
            Major::Unsigned => Item::Unsigned(definite(head.arg)?),
            Major::Negative => Item::Negative(definite(head.arg)?),
            Major::Bytes => match head.arg {
                Arg::Value(len) => Item::Bytes(self.take(len, start)?),
                Arg::Indefinite => Item::BytesChunked,
            },
            Major::Text => match head.arg {
                Arg::Value(len) => Item::Text(self.take_text(len, start)?),
                Arg::Indefinite => Item::TextChunked,
            },
            Major::Array => Item::Array(self.container_len(head.arg, 1, start)?),
            Major::Map => Item::Map(self.container_len(head.arg, 2, start)?),
            Major::Tag => Item::Tag(definite(head.arg)?),
            Major::Simple => simple(head.info, head.arg, start)?,
        })
    }

    /// The next item's bytes if it is a definite-length text string of ASCII characters, which
    /// are UTF-8 without a UTF-8 pass (one `is_ascii` test instead); otherwise `None`, and
    /// nothing is read. For names matched as bytes (structure members: every one in the models
    /// is ASCII), where the text itself is not needed.
    pub fn next_ascii_text(&mut self) -> Option<&'a [u8]> {
        let (text, end) = self.definite(Major::Text)?;
        if !text.is_ascii() {
            return None;
        }
        self.pos = end;
        Some(text)
    }

    /// The next item if it is a definite-length text string, checked as UTF-8; otherwise
    /// `None` (also for text that is not UTF-8, which [`Reader::next_item`] reports), and
    /// nothing is read. For readers that know which item comes and take any other through
    /// `next_item`: the answer is a slice, not an [`Item`] (which the direct records reader
    /// measured 4% slower at 10,000 records, `benches/cbor.rs`).
    ///
    /// ```
    /// use kinesis_codec::cbor::Reader;
    ///
    /// // "key", then the byte string 01 02, then the text string FF (not UTF-8).
    /// let mut r = Reader::new(&[0x63, b'k', b'e', b'y', 0x42, 1, 2, 0x61, 0xff]);
    /// assert_eq!(r.next_text(), Some("key"));
    /// assert_eq!(r.next_text(), None); // bytes: nothing read
    /// assert_eq!(r.next_bytes(), Some(&[1u8, 2][..]));
    /// assert_eq!(r.next_text(), None); // not UTF-8: nothing read ...
    /// assert!(r.next_item().is_err()); // ... and next_item says why
    /// ```
    pub fn next_text(&mut self) -> Option<&'a str> {
        let (text, end) = self.definite(Major::Text)?;
        let text = core::str::from_utf8(text).ok()?;
        self.pos = end;
        Some(text)
    }

    /// [`Reader::next_text`] for a definite-length byte string.
    pub fn next_bytes(&mut self) -> Option<&'a [u8]> {
        let (bytes, end) = self.definite(Major::Bytes)?;
        self.pos = end;
        Some(bytes)
    }

    /// The content of the next item if it is a definite-length string of `major`, and where it
    /// ends; nothing is read.
    fn definite(&self, major: Major) -> Option<(&'a [u8], usize)> {
        let (head, used) = read_head(self.rest()).ok()?;
        let Arg::Value(len) = head.arg else {
            return None;
        };
        if head.major != major {
            return None;
        }
        let from = self.pos.checked_add(used)?;
        let end = from.checked_add(usize::try_from(len).ok()?)?;
        Some((self.buf.get(from..end)?, end))
    }

    /// The next chunk of an indefinite-length string of `major` ([`Major::Bytes`] or
    /// [`Major::Text`]), or `None` at its break. A text chunk is checked as UTF-8 on its own
    /// (RFC 8949 §3.2.3: chunks never split a character).
    pub fn next_chunk(&mut self, major: Major) -> Result<Option<&'a [u8]>, CborError> {
        let start = self.pos;
        match self.next_item()? {
            Item::Break => Ok(None),
            Item::Bytes(b) if major == Major::Bytes => Ok(Some(b)),
            Item::Text(t) if major == Major::Text => Ok(Some(t.as_bytes())),
            _ => Err(CborError::new(CborErrorKind::BadChunk, start)),
        }
    }

    /// Skips one whole item (and everything inside it) at nesting `depth` (0 for an item at
    /// the top).
    pub fn skip_value(&mut self, depth: usize) -> Result<(), CborError> {
        let start = self.pos;
        match self.next_item()? {
            Item::BytesChunked => while self.next_chunk(Major::Bytes)?.is_some() {},
            Item::TextChunked => while self.next_chunk(Major::Text)?.is_some() {},
            Item::Array(len) => self.skip_items(len, 1, depth, start)?,
            Item::Map(len) => self.skip_items(len, 2, depth, start)?,
            Item::Tag(_) => {
                let inner = self.deeper(depth, start)?;
                self.skip_value(inner)?;
            }
            Item::Break => return Err(CborError::new(CborErrorKind::UnexpectedBreak, start)),
            _ => {}
        }
        Ok(())
    }

    /// The nesting one level inside `depth`, or [`CborErrorKind::TooDeep`] past the limit.
    pub fn deeper(&self, depth: usize, start: usize) -> Result<usize, CborError> {
        match depth.checked_add(1) {
            Some(inner) if inner <= self.max_depth => Ok(inner),
            _ => Err(CborError::new(CborErrorKind::TooDeep, start)),
        }
    }

    /// The error if bytes follow the one item of a body.
    pub fn end(&self) -> Result<(), CborError> {
        if self.is_at_end() {
            Ok(())
        } else {
            Err(CborError::new(CborErrorKind::TrailingBytes, self.pos))
        }
    }

    fn skip_items(
        &mut self,
        len: Option<u64>,
        per_entry: u64,
        depth: usize,
        start: usize,
    ) -> Result<(), CborError> {
        let inner = self.deeper(depth, start)?;
        match len {
            Some(n) => {
                // `container_len` bounded n × per_entry by the bytes left.
                let items = n.saturating_mul(per_entry);
                let mut i = 0;
                while i < items {
                    self.skip_value(inner)?;
                    i = i.saturating_add(1);
                }
            }
            None => {
                let mut items: u64 = 0;
                while !self.at_break() {
                    self.skip_value(inner)?;
                    items = items.saturating_add(1);
                }
                if !items.is_multiple_of(per_entry) {
                    // A map's break after a key with no value.
                    return Err(CborError::new(CborErrorKind::UnexpectedBreak, self.pos));
                }
                self.pos = self.pos.saturating_add(1);
            }
        }
        Ok(())
    }

    /// A definite container's length, refused when its items (at least one byte each) cannot
    /// fit in the bytes left: no caller sizes anything from a length the input cannot hold.
    fn container_len(
        &self,
        arg: Arg,
        per_entry: u64,
        start: usize,
    ) -> Result<Option<u64>, CborError> {
        match arg {
            Arg::Indefinite => Ok(None),
            Arg::Value(n) => {
                let left = u64::try_from(self.rest().len()).unwrap_or(u64::MAX);
                match n.checked_mul(per_entry) {
                    Some(bytes) if bytes <= left => Ok(Some(n)),
                    _ => Err(CborError::new(CborErrorKind::LengthTooLarge, start)),
                }
            }
        }
    }

    fn take(&mut self, len: u64, start: usize) -> Result<&'a [u8], CborError> {
        let too_large = CborError::new(CborErrorKind::LengthTooLarge, start);
        let len = usize::try_from(len).map_err(|_| too_large)?;
        let end = self.pos.checked_add(len).ok_or(too_large)?;
        let bytes = self.buf.get(self.pos..end).ok_or(too_large)?;
        self.pos = end;
        Ok(bytes)
    }

    fn take_text(&mut self, len: u64, start: usize) -> Result<&'a str, CborError> {
        let bytes = self.take(len, start)?;
        core::str::from_utf8(bytes).map_err(|_| CborError::new(CborErrorKind::InvalidUtf8, start))
    }
}

/// Major type 7: the simple values this protocol uses, and floats.
fn simple<'a>(info: u8, arg: Arg, start: usize) -> Result<Item<'a>, CborError> {
    let bad = CborError::new(CborErrorKind::BadSimple, start);
    let Arg::Value(v) = arg else {
        return Ok(Item::Break);
    };
    Ok(match info {
        20 => Item::Bool(false),
        21 => Item::Bool(true),
        22 => Item::Null,
        23 => Item::Undefined,
        25 => Item::Float(half_to_f64(u16::try_from(v).map_err(|_| bad)?)),
        26 => Item::Float(f64::from(f32::from_bits(
            u32::try_from(v).map_err(|_| bad)?,
        ))),
        27 => Item::Float(f64::from_bits(v)),
        // Unassigned simple values (0..19, and 32..255 in a second byte) and the two-byte
        // form below 32, which RFC 8949 §3.3 forbids: none carries a Kinesis value.
        _ => return Err(bad),
    })
}

/// An IEEE 754 half (binary16) as the `f64` of the same value (RFC 8949 Appendix D).
pub fn half_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = i32::from((h >> 10) & 0x1f);
    let mant = f64::from(h & 0x3ff);
    let magnitude = match exp {
        0 => mant * pow2(-24),
        31 if mant == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        e => (mant + 1024.0) * pow2(e.saturating_sub(25)),
    };
    sign * magnitude
}

/// 2^e for the small exponents of a half (exact).
fn pow2(e: i32) -> f64 {
    let bits = u64::try_from(e.saturating_add(1023)).unwrap_or(0) << 52;
    f64::from_bits(bits)
}
