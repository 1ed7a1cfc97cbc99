//! The crate's JSON writer: a [`serde::Serializer`] appending compact JSON to a `Vec<u8>`,
//! byte for byte what `serde_json::to_vec` writes, without `std`.
//!
//! It differs from serde_json in one place only, where the output is the same but the work is
//! not: a [`Blob`](crate::blob::Blob) announces itself with a private newtype-struct name
//! ([`BLOB_TOKEN`]), and its base64 is then written straight into the output (encoded in place
//! from raw bytes, or copied from already validated base64 text) with no escaping pass and no
//! intermediate `String`. serde_json sees a newtype struct around the same string and writes the
//! string.
//!
//! Strings are escaped as serde_json escapes them: `"` and `\` with a backslash, control bytes
//! below 0x20 as `\b \t \n \f \r` or `\u00XX` (lowercase hex), nothing else — the JSON core's
//! escaping loop ([`crate::json::escape`]). Integers are written by the core's decimal writers,
//! floats by `zmij` (what serde_json uses), non-finite floats as `null`.
//!
//! *Requires feature* `alloc`.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde::ser::{self, Impossible, Serialize};

use crate::blob::BLOB_TOKEN;
use crate::json::base64 as json_base64;
use crate::json::escape::escape_pieces;
use crate::json::number::{u128_decimal, u64_decimal, U128_DECIMAL_LEN, U64_DECIMAL_LEN};

/// Why a value could not be written as JSON.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SerError {
    /// A map key is not a string, an integer, a boolean, a char or a finite float.
    KeyMustBeAString,
    /// A map key is a NaN or infinite float.
    FloatKeyMustBeFinite,
    /// A blob is too large for its base64 text to fit in memory.
    TooLarge {
        /// The number of raw bytes.
        len: usize,
    },
    /// A `Serialize` implementation reported an error.
    Custom(String),
}

impl fmt::Display for SerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SerError::KeyMustBeAString => f.write_str("key must be a string"),
            SerError::FloatKeyMustBeFinite => {
                f.write_str("float key must be finite (got NaN or +/-inf)")
            }
            SerError::TooLarge { len } => {
                write!(f, "a blob of {len} bytes is too large to encode as base64")
            }
            SerError::Custom(msg) => f.write_str(msg),
        }
    }
}

impl core::error::Error for SerError {}

impl ser::Error for SerError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        SerError::Custom(msg.to_string())
    }
}

/// Appends `value` as compact JSON to `out`. On error, `out` may hold part of the value.
pub fn to_writer<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), SerError> {
    value.serialize(Serializer { out })
}

/// Writes JSON into a `Vec<u8>`: the serializer behind [`to_writer`].
pub struct Serializer<'a> {
    out: &'a mut Vec<u8>,
}

// ---- scalars --------------------------------------------------------------------------------

/// Writes `n` in decimal.
fn write_u64(out: &mut Vec<u8>, n: u64) {
    let mut buf = [0u8; U64_DECIMAL_LEN];
    out.extend_from_slice(u64_decimal(n, &mut buf).as_bytes());
}

/// Writes `n` in decimal.
fn write_u128(out: &mut Vec<u8>, n: u128) {
    if let Ok(small) = u64::try_from(n) {
        return write_u64(out, small);
    }
    let mut buf = [0u8; U128_DECIMAL_LEN];
    out.extend_from_slice(u128_decimal(n, &mut buf).as_bytes());
}

fn write_i64(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    write_u64(out, n.unsigned_abs());
}

fn write_i128(out: &mut Vec<u8>, n: i128) {
    if n < 0 {
        out.push(b'-');
    }
    write_u128(out, n.unsigned_abs());
}

/// Finite floats as serde_json writes them (the shortest form that reads back, by `zmij`, which
/// serde_json uses); NaN and the infinities as `null`.
fn write_float<F: zmij::Float>(out: &mut Vec<u8>, v: F, finite: bool) {
    if finite {
        out.extend_from_slice(zmij::Buffer::new().format_finite(v).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

fn write_f64(out: &mut Vec<u8>, v: f64) {
    write_float(out, v, v.is_finite());
}

fn write_f32(out: &mut Vec<u8>, v: f32) {
    write_float(out, v, v.is_finite());
}

// ---- strings --------------------------------------------------------------------------------

/// Appends the contents of a JSON string (no quotes), escaped by the JSON core's one loop.
#[inline]
fn write_str_contents(out: &mut Vec<u8>, s: &str) {
    escape_pieces(s, |piece| out.extend_from_slice(piece));
}

fn write_str(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len().saturating_add(2));
    out.push(b'"');
    write_str_contents(out, s);
    out.push(b'"');
}

/// `{"Variant":`, before a variant's value.
fn open_variant(out: &mut Vec<u8>, variant: &str) {
    out.push(b'{');
    write_str(out, variant);
    out.push(b':');
}

/// `fmt::Write` into a JSON string's contents (for `collect_str`).
struct Escaping<'a>(&'a mut Vec<u8>);

impl fmt::Write for Escaping<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        write_str_contents(self.0, s);
        Ok(())
    }
}

fn collect_str<T: fmt::Display + ?Sized>(out: &mut Vec<u8>, value: &T) -> Result<(), SerError> {
    use fmt::Write as _;
    out.push(b'"');
    write!(Escaping(out), "{value}")
        .map_err(|_| SerError::Custom("a Display implementation returned an error".into()))?;
    out.push(b'"');
    Ok(())
}

/// Appends `bytes` as standard padded base64 between quotes, encoded in place in the output.
fn write_base64(out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), SerError> {
    let too_large = || SerError::TooLarge { len: bytes.len() };
    // Reserved whole first, so that a blob too large leaves the output as it was.
    let quoted = json_base64::base64_len(bytes.len()).saturating_add(2);
    out.try_reserve(quoted).map_err(|_| too_large())?;
    out.push(b'"');
    json_base64::write_base64(out, bytes).map_err(|_| too_large())?;
    out.push(b'"');
    Ok(())
}

/// `Serializer` methods writing a number with `$write` (widening it losslessly first).
macro_rules! numbers {
    ($($method:ident($ty:ty) => $write:ident,)*) => {
        $(fn $method(self, v: $ty) -> Result<(), SerError> {
            $write(self.out, v.into());
            Ok(())
        })*
    };
}

/// `Serializer` methods writing an integer key with `$write`, between quotes.
macro_rules! quoted_integers {
    ($($method:ident($ty:ty) => $write:ident,)*) => {
        $(fn $method(self, v: $ty) -> Result<(), SerError> {
            self.quoted(|out| $write(out, v.into()))
        })*
    };
}

// ---- the serializer -------------------------------------------------------------------------

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

    fn serialize_bool(self, v: bool) -> Result<(), SerError> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    numbers! {
        serialize_i8(i8) => write_i64,
        serialize_i16(i16) => write_i64,
        serialize_i32(i32) => write_i64,
        serialize_i64(i64) => write_i64,
        serialize_i128(i128) => write_i128,
        serialize_u8(u8) => write_u64,
        serialize_u16(u16) => write_u64,
        serialize_u32(u32) => write_u64,
        serialize_u64(u64) => write_u64,
        serialize_u128(u128) => write_u128,
        serialize_f32(f32) => write_f32,
        serialize_f64(f64) => write_f64,
    }

    fn serialize_char(self, v: char) -> Result<(), SerError> {
        write_str(self.out, v.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), SerError> {
        write_str(self.out, v);
        Ok(())
    }

    /// An array of numbers, as serde_json writes bytes.
    fn serialize_bytes(self, v: &[u8]) -> Result<(), SerError> {
        self.out.push(b'[');
        for (i, &b) in v.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            write_u64(self.out, b.into());
        }
        self.out.push(b']');
        Ok(())
    }

    fn serialize_none(self) -> Result<(), SerError> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), SerError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), SerError> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), SerError> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), SerError> {
        self.serialize_str(variant)
    }

    /// The inner value, as serde_json does; a blob's base64 goes straight to the output.
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        if name == BLOB_TOKEN {
            value.serialize(BlobWriter { out: self.out })
        } else {
            value.serialize(self)
        }
    }

    /// `{"Variant":value}`.
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        open_variant(self.out, variant);
        value.serialize(Serializer { out: self.out })?;
        self.out.push(b'}');
        Ok(())
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a>, SerError> {
        Ok(Compound::open(self.out, b'[', b']', len))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, SerError> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, SerError> {
        self.serialize_seq(Some(len))
    }

    /// `{"Variant":[...]}`.
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, SerError> {
        open_variant(self.out, variant);
        self.serialize_seq(Some(len))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a>, SerError> {
        Ok(Compound::open(self.out, b'{', b'}', len))
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>, SerError> {
        self.serialize_map(Some(len))
    }

    /// `{"Variant":{...}}`.
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, SerError> {
        open_variant(self.out, variant);
        self.serialize_map(Some(len))
    }

    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<(), SerError> {
        collect_str(self.out, value)
    }
}

/// Where a compound value is: serde_json's three states, kept so that even a `Serialize` impl
/// announcing a wrong length gets serde_json's bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Announced empty: already closed.
    Empty,
    /// No element written yet.
    First,
    /// At least one element written.
    Rest,
}

/// An array or object being written.
pub struct Compound<'a> {
    out: &'a mut Vec<u8>,
    state: State,
    close: u8,
}

impl<'a> Compound<'a> {
    fn open(out: &'a mut Vec<u8>, open: u8, close: u8, len: Option<usize>) -> Self {
        out.push(open);
        let state = if len == Some(0) {
            out.push(close);
            State::Empty
        } else {
            State::First
        };
        Compound { out, state, close }
    }

    /// The separator before an element or key.
    fn next(&mut self) {
        if self.state != State::First {
            self.out.push(b',');
        }
        self.state = State::Rest;
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        self.next();
        value.serialize(Serializer { out: self.out })
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), SerError> {
        self.next();
        write_str(self.out, key);
        self.out.push(b':');
        value.serialize(Serializer { out: self.out })
    }

    fn close(self) -> Result<(), SerError> {
        if self.state != State::Empty {
            self.out.push(self.close);
        }
        Ok(())
    }

    /// Closes the array or object, then the `{"Variant":` around it.
    fn close_variant(self) -> Result<(), SerError> {
        let out = &mut *self.out;
        if self.state != State::Empty {
            out.push(self.close);
        }
        out.push(b'}');
        Ok(())
    }
}

/// The sequence-like traits: elements separated by commas, closed by `end`.
macro_rules! elements {
    ($($trait:ident::$method:ident => $end:ident,)*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = SerError;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
                self.element(value)
            }

            fn end(self) -> Result<(), SerError> {
                self.$end()
            }
        }
    )*};
}

elements! {
    SerializeSeq::serialize_element => close,
    SerializeTuple::serialize_element => close,
    SerializeTupleStruct::serialize_field => close,
    SerializeTupleVariant::serialize_field => close_variant,
}

/// The struct-like traits: `"key":value` members, closed by `end`.
macro_rules! fields {
    ($($trait:ident => $end:ident,)*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = SerError;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), SerError> {
                self.field(key, value)
            }

            fn end(self) -> Result<(), SerError> {
                self.$end()
            }
        }
    )*};
}

fields! {
    SerializeStruct => close,
    SerializeStructVariant => close_variant,
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = SerError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), SerError> {
        self.next();
        key.serialize(KeySerializer { out: self.out })
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        self.out.push(b':');
        value.serialize(Serializer { out: self.out })
    }

    fn end(self) -> Result<(), SerError> {
        self.close()
    }
}

// ---- map keys and blobs: serializers that take a few forms only ---------------------------

/// The `Serializer` methods of the forms a key or blob serializer refuses, each returning
/// `$err`; then the seven `Impossible` compound types.
macro_rules! refuse {
    ($err:expr; $($method:ident($($arg:ident: $ty:ty),*) $(-> $compound:ident)?;)*) => {
        type SerializeSeq = Impossible<(), SerError>;
        type SerializeTuple = Impossible<(), SerError>;
        type SerializeTupleStruct = Impossible<(), SerError>;
        type SerializeTupleVariant = Impossible<(), SerError>;
        type SerializeMap = Impossible<(), SerError>;
        type SerializeStruct = Impossible<(), SerError>;
        type SerializeStructVariant = Impossible<(), SerError>;

        $(fn $method(self, $($arg: $ty),*) -> Result<refuse!(@ok $($compound)?), SerError> {
            Err($err)
        })*

        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _name: &'static str,
            _index: u32,
            _variant: &'static str,
            _value: &T,
        ) -> Result<(), SerError> {
            Err($err)
        }
    };
    (@ok) => { () };
    (@ok $compound:ident) => { Self::$compound };
}

/// The compound forms (and `()`, `None`, bytes...) that are refused by both.
macro_rules! refuse_compounds {
    ($err:expr; $($method:ident($($arg:ident: $ty:ty),*);)*) => {
        refuse! {
            $err;
            $($method($($arg: $ty),*);)*
            serialize_unit();
            serialize_none();
            serialize_unit_struct(_name: &'static str);
            serialize_seq(_len: Option<usize>) -> SerializeSeq;
            serialize_tuple(_len: usize) -> SerializeTuple;
            serialize_tuple_struct(_name: &'static str, _len: usize) -> SerializeTupleStruct;
            serialize_tuple_variant(
                _name: &'static str, _index: u32, _variant: &'static str, _len: usize
            ) -> SerializeTupleVariant;
            serialize_map(_len: Option<usize>) -> SerializeMap;
            serialize_struct(_name: &'static str, _len: usize) -> SerializeStruct;
            serialize_struct_variant(
                _name: &'static str, _index: u32, _variant: &'static str, _len: usize
            ) -> SerializeStructVariant;
        }
    };
}

/// A map key: strings as they are; integers, booleans and finite floats quoted (as serde_json
/// does); anything else is [`SerError::KeyMustBeAString`].
struct KeySerializer<'a> {
    out: &'a mut Vec<u8>,
}

impl KeySerializer<'_> {
    fn quoted(self, write: impl FnOnce(&mut Vec<u8>)) -> Result<(), SerError> {
        self.out.push(b'"');
        write(self.out);
        self.out.push(b'"');
        Ok(())
    }
}

impl ser::Serializer for KeySerializer<'_> {
    type Ok = ();
    type Error = SerError;

    refuse_compounds! {
        SerError::KeyMustBeAString;
        serialize_bytes(_v: &[u8]);
    }

    fn serialize_bool(self, v: bool) -> Result<(), SerError> {
        self.quoted(|out| out.extend_from_slice(if v { b"true" } else { b"false" }))
    }

    quoted_integers! {
        serialize_i8(i8) => write_i64,
        serialize_i16(i16) => write_i64,
        serialize_i32(i32) => write_i64,
        serialize_i64(i64) => write_i64,
        serialize_i128(i128) => write_i128,
        serialize_u8(u8) => write_u64,
        serialize_u16(u16) => write_u64,
        serialize_u32(u32) => write_u64,
        serialize_u64(u64) => write_u64,
        serialize_u128(u128) => write_u128,
    }

    fn serialize_f32(self, v: f32) -> Result<(), SerError> {
        if !v.is_finite() {
            return Err(SerError::FloatKeyMustBeFinite);
        }
        self.quoted(|out| write_f32(out, v))
    }

    fn serialize_f64(self, v: f64) -> Result<(), SerError> {
        if !v.is_finite() {
            return Err(SerError::FloatKeyMustBeFinite);
        }
        self.quoted(|out| write_f64(out, v))
    }

    fn serialize_char(self, v: char) -> Result<(), SerError> {
        write_str(self.out, v.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), SerError> {
        write_str(self.out, v);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), SerError> {
        value.serialize(self)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), SerError> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        value.serialize(self)
    }

    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<(), SerError> {
        collect_str(self.out, value)
    }
}

/// What a blob's inner value is written with: raw bytes are encoded in place, base64 text (a
/// blob's own, validated when the blob was built) is copied without the escaping scan.
///
/// It says it is not human-readable: that is how the blob's inner value knows to hand over its
/// raw bytes (`serialize_bytes`) rather than base64 text, which it gives every human-readable
/// serializer (serde_json among them).
struct BlobWriter<'a> {
    out: &'a mut Vec<u8>,
}

/// What the blob writer answers to anything but bytes and text.
fn not_a_blob() -> SerError {
    SerError::Custom("a blob's inner value must be bytes or base64 text".into())
}

impl ser::Serializer for BlobWriter<'_> {
    type Ok = ();
    type Error = SerError;

    refuse_compounds! {
        not_a_blob();
        serialize_bool(_v: bool);
        serialize_i8(_v: i8);
        serialize_i16(_v: i16);
        serialize_i32(_v: i32);
        serialize_i64(_v: i64);
        serialize_u8(_v: u8);
        serialize_u16(_v: u16);
        serialize_u32(_v: u32);
        serialize_u64(_v: u64);
        serialize_f32(_v: f32);
        serialize_f64(_v: f64);
        serialize_char(_v: char);
        serialize_unit_variant(_name: &'static str, _index: u32, _variant: &'static str);
    }

    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), SerError> {
        write_base64(self.out, v)
    }

    /// Base64 text: only the standard alphabet and `=`, so nothing to escape.
    fn serialize_str(self, v: &str) -> Result<(), SerError> {
        debug_assert!(crate::json::escape::escaped_len(v) == v.len());
        self.out.reserve(v.len().saturating_add(2));
        self.out.push(b'"');
        self.out.extend_from_slice(v.as_bytes());
        self.out.push(b'"');
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), SerError> {
        Err(not_a_blob())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _value: &T,
    ) -> Result<(), SerError> {
        Err(not_a_blob())
    }

    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<(), SerError> {
        collect_str(self.out, value)
    }
}
