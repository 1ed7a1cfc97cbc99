//! The serde writer of CBOR bodies, in the form the AWS SDK for Java writes them
//! (`spec/cbor.md`): definite-length maps and arrays, the shortest integers, 64-bit doubles,
//! blobs as byte strings, timestamps as tag 1 + integer epoch milliseconds.

use alloc::string::ToString;
use alloc::vec::Vec;
use core::fmt;

use serde::ser::{self, Serialize};

use super::error::DeError as SerError;
use crate::blob::{Blob, BLOB_TOKEN};
use crate::cbor::write;
use crate::cbor::Major;
use crate::timestamp::TIMESTAMP_TOKEN;

type Result<T> = core::result::Result<T, SerError>;

/// What the value being written is: an ordinary value, a blob's inner value, or a timestamp's.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Value,
    Blob,
    Timestamp,
}

/// Writes `value` as CBOR, appending to `out`.
pub(crate) fn to_writer<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<()> {
    value.serialize(Serializer {
        out,
        mode: Mode::Value,
    })
}

pub(crate) struct Serializer<'a> {
    out: &'a mut Vec<u8>,
    mode: Mode,
}

impl<'a> Serializer<'a> {
    fn int(self, v: i64) -> Result<()> {
        if self.mode == Mode::Timestamp {
            write::write_timestamp_millis(self.out, v)
        } else {
            write::write_i64(self.out, v)
        }
        .map_err(full)
    }

    fn open(self, major: Major, len: Option<usize>) -> Compound<'a> {
        let head_at = self.out.len();
        let declared = len.unwrap_or(0);
        // Infallible into a Vec.
        let _ = crate::cbor::head::write_head(self.out, major, len64(declared));
        Compound {
            out: self.out,
            major,
            head_at,
            declared,
            count: 0,
        }
    }
}

/// A `Vec` never fills up; the error type needs a value all the same.
fn full(_: crate::json::BufferFull) -> SerError {
    SerError::data("output buffer full".to_string())
}

fn len64(len: usize) -> u64 {
    u64::try_from(len).unwrap_or(u64::MAX)
}

impl<'a> ser::Serializer for Serializer<'a> {
    type Ok = ();
    type Error = SerError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        write::write_bool(self.out, v).map_err(full)
    }

    fn serialize_i8(self, v: i8) -> Result<()> {
        self.int(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<()> {
        self.int(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result<()> {
        self.int(v.into())
    }

    fn serialize_i64(self, v: i64) -> Result<()> {
        self.int(v)
    }

    fn serialize_u8(self, v: u8) -> Result<()> {
        self.int(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<()> {
        self.int(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<()> {
        self.int(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result<()> {
        write::write_u64(self.out, v).map_err(full)
    }

    fn serialize_f32(self, v: f32) -> Result<()> {
        write::write_f64(self.out, v.into()).map_err(full)
    }

    fn serialize_f64(self, v: f64) -> Result<()> {
        write::write_f64(self.out, v).map_err(full)
    }

    fn serialize_char(self, v: char) -> Result<()> {
        write::write_text(self.out, v.encode_utf8(&mut [0u8; 4])).map_err(full)
    }

    /// Text; inside a blob, its base64 text written as the bytes it stands for.
    fn serialize_str(self, v: &str) -> Result<()> {
        if self.mode == Mode::Blob {
            let blob = Blob::from_base64(v).map_err(|e| SerError::data(e.to_string()))?;
            let len = blob.decoded_len();
            crate::cbor::head::write_head(self.out, Major::Bytes, len64(len)).map_err(full)?;
            let at = self.out.len();
            self.out.resize(at.saturating_add(len), 0);
            let tail = self.out.get_mut(at..).unwrap_or_default();
            blob.decode_into(tail)
                .map_err(|e| SerError::data(e.to_string()))?;
            return Ok(());
        }
        write::write_text(self.out, v).map_err(full)
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        write::write_bytes(self.out, v).map_err(full)
    }

    fn serialize_none(self) -> Result<()> {
        write::write_null(self.out).map_err(full)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<()> {
        write::write_null(self.out).map_err(full)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<()> {
        write::write_text(self.out, variant).map_err(full)
    }

    /// A blob or a timestamp by its private name; any other newtype is its inner value.
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<()> {
        let mode = if name == BLOB_TOKEN {
            Mode::Blob
        } else if name == TIMESTAMP_TOKEN {
            Mode::Timestamp
        } else {
            self.mode
        };
        value.serialize(Serializer {
            out: self.out,
            mode,
        })
    }

    /// A union: a map of one member.
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        write::write_map_head(self.out, 1).map_err(full)?;
        write::write_text(self.out, variant).map_err(full)?;
        value.serialize(Serializer {
            out: self.out,
            mode: Mode::Value,
        })
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a>> {
        Ok(self.open(Major::Array, len))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>> {
        Ok(self.open(Major::Array, Some(len)))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>> {
        Ok(self.open(Major::Array, Some(len)))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a>> {
        write::write_map_head(self.out, 1).map_err(full)?;
        write::write_text(self.out, variant).map_err(full)?;
        Ok(self.open(Major::Array, Some(len)))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a>> {
        Ok(self.open(Major::Map, len))
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>> {
        Ok(self.open(Major::Map, Some(len)))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a>> {
        write::write_map_head(self.out, 1).map_err(full)?;
        write::write_text(self.out, variant).map_err(full)?;
        Ok(self.open(Major::Map, Some(len)))
    }

    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<()> {
        self.serialize_str(&value.to_string())
    }

    /// True, so that a blob and a timestamp announce themselves by their private names; their
    /// inner values then see a writer that is not human-readable (bytes, milliseconds).
    fn is_human_readable(&self) -> bool {
        self.mode == Mode::Value
    }
}

/// An array or a map being written. Its head was written with the length serde announced
/// (0 if none); should the elements written differ, the head is rewritten at the end, so the
/// length is always definite and right.
pub(crate) struct Compound<'a> {
    out: &'a mut Vec<u8>,
    major: Major,
    head_at: usize,
    declared: usize,
    count: usize,
}

impl Compound<'_> {
    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        value.serialize(Serializer {
            out: self.out,
            mode: Mode::Value,
        })
    }

    fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<()> {
        self.count = self.count.saturating_add(1);
        write::write_text(self.out, key).map_err(full)?;
        self.value(value)
    }

    fn finish(self) -> Result<()> {
        if self.count == self.declared {
            return Ok(());
        }
        let mut head = Vec::with_capacity(9);
        let _ = crate::cbor::head::write_head(&mut head, self.major, len64(self.count));
        let mut old = Vec::with_capacity(9);
        let _ = crate::cbor::head::write_head(&mut old, self.major, len64(self.declared));
        let end = self.head_at.saturating_add(old.len());
        self.out.splice(self.head_at..end, head);
        Ok(())
    }
}

/// The element-taking traits: each element is counted, then written.
macro_rules! elements {
    ($($trait:ident::$method:ident,)*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = SerError;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
                self.count = self.count.saturating_add(1);
                self.value(value)
            }

            fn end(self) -> Result<()> {
                self.finish()
            }
        }
    )*};
}

elements! {
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = SerError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.count = self.count.saturating_add(1);
        self.value(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.value(value)
    }

    fn end(self) -> Result<()> {
        self.finish()
    }
}

/// The member-taking traits: each member is a text key and its value.
macro_rules! members {
    ($($trait:ident,)*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = SerError;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<()> {
                self.entry(key, value)
            }

            fn end(self) -> Result<()> {
                self.finish()
            }
        }
    )*};
}

members! {
    SerializeStruct,
    SerializeStructVariant,
}
