//! The serde reader of CBOR bodies (`spec/cbor.md`): every generated shape, borrowing text and
//! byte strings from the body.
//!
//! - Maps and arrays of definite or indefinite length; map keys must be text.
//! - Text borrows (a chunked string is joined into an owned one); a blob is a byte string,
//!   borrowed as raw bytes, or base64 text (as kinesis-mock answers), checked as in JSON.
//! - `null` and `undefined` read as an absent member.
//! - Integers of any width that fit the member (a `long` is exact up to 2^63); a double member
//!   takes integers and half, single and double floats.
//! - Timestamps: see [`read_timestamp`].
//! - Unknown members are skipped whole; tags on other values are read through.

use alloc::string::String;
use alloc::vec::Vec;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::error::{DeError, Result};
use crate::cbor::{Item, Major, Reader};
use crate::wire::WireErrorKind;

/// The nesting limit of a CBOR body: the JSON path's (serde_json's recursion limit), so the
/// same shapes nest as deep in both protocols.
pub(crate) const MAX_DEPTH: usize = 128;

/// The CBOR deserializer over one body.
pub(crate) struct Deserializer<'de> {
    r: Reader<'de>,
    depth: usize,
    elements_left: usize,
    max_elements: usize,
}

impl<'de> Deserializer<'de> {
    pub(crate) fn new(body: &'de [u8], max_elements: usize) -> Self {
        Deserializer {
            r: Reader::new(body).with_max_depth(MAX_DEPTH),
            depth: 0,
            elements_left: max_elements,
            max_elements,
        }
    }

    pub(crate) fn offset(&self) -> usize {
        self.r.offset()
    }

    pub(crate) fn end(&self) -> Result<()> {
        self.r.end().map_err(DeError::from)
    }

    fn spend_element(&mut self) -> Result<()> {
        match self.elements_left.checked_sub(1) {
            Some(left) => {
                self.elements_left = left;
                Ok(())
            }
            None => Err(DeError::new(
                WireErrorKind::TooManyElements,
                alloc::format!(
                    "more than {} list elements and map entries in the body \
                     (ParseOptions::max_elements)",
                    self.max_elements
                ),
            )),
        }
    }

    /// Whether a container whose definite count of entries still to read is `left` (`None`:
    /// indefinite, up to its break) has another entry; one is taken from the count and the
    /// element budget.
    fn next_entry(&mut self, left: &mut Option<u64>) -> Result<bool> {
        match left {
            Some(0) => return Ok(false),
            Some(n) => *n = n.saturating_sub(1),
            None if self.r.at_break() => return Ok(false),
            None => {}
        }
        self.spend_element()?;
        Ok(true)
    }

    /// Runs `f` one nesting level deeper (arrays, maps, tags).
    fn nested<T>(&mut self, start: usize, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let outer = self.depth;
        self.depth = self.r.deeper(outer, start)?;
        let out = f(self);
        self.depth = outer;
        out
    }

    /// The chunks of an indefinite-length string, joined.
    fn chunks(&mut self, major: Major) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        while let Some(chunk) = self.r.next_chunk(major)? {
            out.extend_from_slice(chunk);
        }
        Ok(out)
    }

    fn chunked_text(&mut self) -> Result<String> {
        let start = self.r.offset();
        // Every chunk was checked as UTF-8 on its own, so the join is UTF-8.
        String::from_utf8(self.chunks(Major::Text)?).map_err(|_| {
            crate::cbor::CborError::new(crate::cbor::CborErrorKind::InvalidUtf8, start).into()
        })
    }

    fn any<V: Visitor<'de>>(
        &mut self,
        item: Item<'de>,
        start: usize,
        visitor: V,
    ) -> Result<V::Value> {
        match item {
            Item::Unsigned(n) => visitor.visit_u64(n),
            Item::Negative(n) => match item.as_i64() {
                Some(v) => visitor.visit_i64(v),
                None => visitor.visit_i128(!i128::from(n)),
            },
            Item::Bytes(b) => visitor.visit_borrowed_bytes(b),
            Item::BytesChunked => visitor.visit_byte_buf(self.chunks(Major::Bytes)?),
            Item::Text(t) => visitor.visit_borrowed_str(t),
            Item::TextChunked => visitor.visit_string(self.chunked_text()?),
            Item::Array(len) => self.nested(start, |de| {
                let mut seq = Seq {
                    de: &mut *de,
                    left: len,
                };
                let value = visitor.visit_seq(&mut seq)?;
                let left = seq.left;
                de.close(left)?;
                Ok(value)
            }),
            Item::Map(len) => self.nested(start, |de| {
                let mut map = Map {
                    de: &mut *de,
                    left: len,
                };
                let value = visitor.visit_map(&mut map)?;
                let left = map.left;
                de.close(left)?;
                Ok(value)
            }),
            Item::Tag(_) => self.nested(start, |de| {
                let (inner, at) = de.next_item()?;
                de.any(inner, at, visitor)
            }),
            Item::Bool(b) => visitor.visit_bool(b),
            Item::Null | Item::Undefined => visitor.visit_unit(),
            Item::Float(f) => visitor.visit_f64(f),
            Item::Break => Err(crate::cbor::CborError::new(
                crate::cbor::CborErrorKind::UnexpectedBreak,
                start,
            )
            .into()),
        }
    }

    /// After a visitor has taken a container's elements: an indefinite one must end with its
    /// break now (a visitor that stopped early leaves elements, which are an error for a
    /// definite one too).
    fn close(&mut self, len: Option<u64>) -> Result<()> {
        match len {
            Some(0) => Ok(()),
            Some(_) => Err(DeError::data(String::from(
                "trailing elements in a list or map",
            ))),
            None if self.r.at_break() => {
                let _ = self.r.next_item()?;
                Ok(())
            }
            None => Err(DeError::data(String::from(
                "trailing elements in a list or map",
            ))),
        }
    }

    fn next_item(&mut self) -> Result<(Item<'de>, usize)> {
        let start = self.r.offset();
        Ok((self.r.next_item()?, start))
    }

    fn peek_is_null(&self) -> bool {
        matches!(self.r.rest().first(), Some(0xf6 | 0xf7))
    }

    /// A blob: a byte string (raw bytes, borrowed when definite), or base64 text.
    fn blob<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let (item, start) = self.next_item()?;
        match item {
            Item::Bytes(b) => visitor.visit_newtype_struct(super::content::Raw(b.into())),
            Item::BytesChunked => {
                let bytes = self.chunks(Major::Bytes)?;
                visitor.visit_newtype_struct(super::content::Raw(bytes.into()))
            }
            Item::Text(t) => visitor.visit_newtype_struct(super::content::Text(t.into())),
            Item::TextChunked => {
                let text = self.chunked_text()?;
                visitor.visit_newtype_struct(super::content::Text(text.into()))
            }
            Item::Tag(_) => self.nested(start, |de| de.blob(visitor)),
            other => Err(unexpected(&other, "a blob (a byte string)")),
        }
    }

    /// A timestamp, as epoch milliseconds (see [`read_timestamp`]).
    fn timestamp<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let (item, start) = self.next_item()?;
        let millis = match item {
            Item::Tag(1) => {
                let (inner, at) = self.nested(start, |de| de.next_item())?;
                read_timestamp(true, &inner).ok_or_else(|| timestamp_error(&inner, at))?
            }
            other => read_timestamp(false, &other).ok_or_else(|| timestamp_error(&other, start))?,
        };
        visitor.visit_newtype_struct(super::content::Millis(millis))
    }
}

/// The milliseconds of a timestamp item (`tagged`: it came after tag 1), or `None` if it is no
/// timestamp:
///
/// - tag 1 + an integer: epoch **milliseconds**, exactly (the protocol's form: what the Java SDK
///   and the service write; RFC 8949's seconds do not apply, `spec/cbor.md`);
/// - any other number (tag 1 + a float, an untagged integer or float) is decided by its
///   magnitude: `|v| ≥ 10^11` is milliseconds, below is seconds. 10^11 ms is 1973-03-03 and
///   10^11 s is the year 5138, so no date between the two is read 1000× off. Seconds keep a
///   millisecond fraction (rounded to the nearest millisecond), as in JSON.
#[inline]
pub fn read_timestamp(tagged: bool, item: &Item<'_>) -> Option<i64> {
    const MILLIS_FROM: f64 = 1e11;
    let by_magnitude = |v: f64| -> Option<i64> {
        if v.abs() >= MILLIS_FROM {
            crate::timestamp::Timestamp::from_secs_f64(v / 1000.0).map(|t| t.as_millis())
        } else {
            crate::timestamp::Timestamp::from_secs_f64(v).map(|t| t.as_millis())
        }
    };
    match *item {
        Item::Unsigned(_) | Item::Negative(_) if tagged => item.as_i64(),
        Item::Unsigned(_) | Item::Negative(_) => int_by_magnitude(item.as_i64()?),
        Item::Float(f) => by_magnitude(f),
        _ => None,
    }
}

/// An untagged integer: milliseconds from 10^11 on, seconds below (exact either way).
fn int_by_magnitude(v: i64) -> Option<i64> {
    if v.unsigned_abs() >= 100_000_000_000 {
        Some(v)
    } else {
        v.checked_mul(1000)
    }
}

fn timestamp_error(item: &Item<'_>, at: usize) -> DeError {
    match item {
        Item::Unsigned(_) | Item::Negative(_) | Item::Float(_) => {
            DeError::data(alloc::format!("timestamp out of range (byte {at})"))
        }
        other => unexpected(other, "a timestamp (tag 1 + epoch milliseconds)"),
    }
}

fn unexpected(item: &Item<'_>, expected: &str) -> DeError {
    let found = match item {
        Item::Unsigned(_) | Item::Negative(_) => "an integer",
        Item::Bytes(_) | Item::BytesChunked => "a byte string",
        Item::Text(_) | Item::TextChunked => "a text string",
        Item::Array(_) => "an array",
        Item::Map(_) => "a map",
        Item::Tag(_) => "a tag",
        Item::Bool(_) => "a boolean",
        Item::Null | Item::Undefined => "null",
        Item::Float(_) => "a float",
        Item::Break => "a break",
    };
    DeError::data(alloc::format!("invalid type: {found}, expected {expected}"))
}

impl<'de> de::Deserializer<'de> for &mut Deserializer<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let (item, start) = self.next_item()?;
        self.any(item, start, visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.peek_is_null() {
            let _ = self.r.next_item()?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        if name == crate::blob::BLOB_TOKEN {
            self.blob(visitor)
        } else if name == crate::timestamp::TIMESTAMP_TOKEN {
            self.timestamp(visitor)
        } else {
            visitor.visit_newtype_struct(self)
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let (item, start) = self.next_item()?;
        match item {
            // A union: a map of exactly one member.
            Item::Map(len @ (Some(1) | None)) => self.nested(start, |de| {
                de.spend_element()?;
                let value = visitor.visit_enum(Enum { de: &mut *de })?;
                de.close(len.map(|_| 0))?;
                Ok(value)
            }),
            Item::Text(t) => visitor.visit_enum(IntoDeserializer::<DeError>::into_deserializer(t)),
            other => Err(unexpected(&other, "a union (a map of one member)")),
        }
    }

    /// A structure is a map; an array is a type error (serde's derived structs would take the
    /// members by position, which no Kinesis body means; the JSON path refuses it too).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        if self.r.peek_major() == Some(Major::Array) {
            return Err(DeError::data(String::from(
                "invalid type: sequence, expected a structure (an object)",
            )));
        }
        de::Deserializer::deserialize_any(self, visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.r.skip_value(self.depth)?;
        visitor.visit_unit()
    }

    fn is_human_readable(&self) -> bool {
        // Text is text and bytes are bytes; a blob and a timestamp are told apart by their
        // private names, not by this.
        true
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map identifier
    }
}

/// The elements of an array.
struct Seq<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    left: Option<u64>,
}

impl<'de> de::SeqAccess<'de> for Seq<'_, 'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if !self.de.next_entry(&mut self.left)? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.de).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        // The reader bounded a definite length by the bytes left; serde caps it again.
        self.left.and_then(|n| usize::try_from(n).ok())
    }
}

/// The pairs of a map (keys must be text).
struct Map<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    left: Option<u64>,
}

impl<'de> de::MapAccess<'de> for Map<'_, 'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !self.de.next_entry(&mut self.left)? {
            return Ok(None);
        }
        seed.deserialize(Key { de: &mut *self.de }).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        seed.deserialize(&mut *self.de)
    }

    fn size_hint(&self) -> Option<usize> {
        self.left.and_then(|n| usize::try_from(n).ok())
    }
}

/// A union's one member.
struct Enum<'a, 'de> {
    de: &'a mut Deserializer<'de>,
}

impl<'de> de::EnumAccess<'de> for Enum<'_, 'de> {
    type Error = DeError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let variant = seed.deserialize(Key { de: &mut *self.de })?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for Enum<'_, 'de> {
    type Error = DeError;

    fn unit_variant(self) -> Result<()> {
        de::Deserialize::deserialize(&mut *self.de)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(&mut *self.de)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_seq(&mut *self.de, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_map(&mut *self.de, visitor)
    }
}

/// A map key: text only (definite or chunked).
struct Key<'a, 'de> {
    de: &'a mut Deserializer<'de>,
}

impl<'de> de::Deserializer<'de> for Key<'_, 'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let (item, _) = self.de.next_item()?;
        match item {
            Item::Text(t) => visitor.visit_borrowed_str(t),
            Item::TextChunked => visitor.visit_string(self.de.chunked_text()?),
            other => Err(unexpected(&other, "a text string as the map key")),
        }
    }

    /// A member name of a structure (or a union's member): handed over as bytes when it is a
    /// definite ASCII text string, which skips the UTF-8 pass; serde's derived field visitors
    /// map bytes exactly as they map the same text (the JSON reader's keys do the same).
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.de.r.next_ascii_text() {
            Some(name) => visitor.visit_borrowed_bytes(name),
            None => self.deserialize_any(visitor),
        }
    }

    fn is_human_readable(&self) -> bool {
        true
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        ignored_any
    }
}
