//! Reading a blob with serde.
//!
//! A blob asks its deserializer for a newtype struct with a private name
//! ([`BLOB_TOKEN`](crate::blob::BLOB_TOKEN), the name it also serializes under). serde_json,
//! and every deserializer that does not know the name, answers with the newtype's content: the
//! string, whose whole text is then checked here ([`validate`](super::text::validate)). The
//! crate's own JSON reader knows the name: it checks the alphabet while it scans the string for
//! its closing quote, and hands the text over with `visit_borrowed_bytes` directly, so the text is
//! read once; what it cannot check that way (escapes) it leaves to serde_json.
//!
//! A deserializer that answered the newtype request with bytes directly without checking them
//! could hand over text outside the alphabet: decoding it still fails with a typed error.
//!
//! A deserializer that is not human-readable (a binary format, or the crate's reader decoding
//! blobs into a caller's buffer) answers with the raw bytes inside the newtype: the blob holds
//! them as bytes.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::de::{Deserializer, Error, Visitor};

use super::{Blob, BlobError};
use crate::json::base64::tail_ok;

/// The newtype request: checked text straight from the crate's reader, or a deserializer to read
/// the text from.
struct BlobVisitor;

impl<'de> Visitor<'de> for BlobVisitor {
    type Value = Blob<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("base64 text")
    }

    /// A human-readable format (JSON) carries base64 text; the others carry the bytes (serde's
    /// convention, which the crate's reader follows when it decodes blobs as it reads).
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Blob<'de>, D::Error> {
        if d.is_human_readable() {
            d.deserialize_bytes(TextVisitor)
        } else {
            d.deserialize_bytes(RawVisitor)
        }
    }

    /// The crate's reader: the alphabet is checked, the rest is O(1).
    fn visit_borrowed_bytes<E: Error>(self, v: &'de [u8]) -> Result<Blob<'de>, E> {
        if tail_ok(v) {
            Ok(Blob::checked_text(Cow::Borrowed(v)))
        } else {
            TextVisitor.visit_borrowed_bytes(v)
        }
    }

    // Deserializers that skip newtype structs: the text, checked whole.
    fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Blob<'de>, E> {
        TextVisitor.visit_bytes(v)
    }

    fn visit_byte_buf<E: Error>(self, v: Vec<u8>) -> Result<Blob<'de>, E> {
        TextVisitor.visit_byte_buf(v)
    }

    fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Blob<'de>, E> {
        TextVisitor.visit_borrowed_str(v)
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<Blob<'de>, E> {
        TextVisitor.visit_str(v)
    }

    fn visit_string<E: Error>(self, v: String) -> Result<Blob<'de>, E> {
        TextVisitor.visit_string(v)
    }
}

/// Reads the base64 text as bytes: a JSON deserializer hands a string's bytes over without a
/// UTF-8 pass, and the check (which admits ASCII only) is the one the text needs.
struct TextVisitor;

fn checked<'de, E: Error>(text: Cow<'de, [u8]>) -> Result<Blob<'de>, E> {
    super::text::validate(&text).map_err(|e: BlobError| E::custom(e))?;
    Ok(Blob::checked_text(text))
}

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Blob<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("base64 text")
    }

    fn visit_borrowed_bytes<E: Error>(self, v: &'de [u8]) -> Result<Blob<'de>, E> {
        checked(Cow::Borrowed(v))
    }

    fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Blob<'de>, E> {
        checked(Cow::Owned(v.to_vec()))
    }

    fn visit_byte_buf<E: Error>(self, v: Vec<u8>) -> Result<Blob<'de>, E> {
        checked(Cow::Owned(v))
    }

    fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Blob<'de>, E> {
        checked(Cow::Borrowed(v.as_bytes()))
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<Blob<'de>, E> {
        checked(Cow::Owned(v.as_bytes().to_vec()))
    }

    fn visit_string<E: Error>(self, v: String) -> Result<Blob<'de>, E> {
        checked(Cow::Owned(v.into_bytes()))
    }
}

/// Raw bytes, from a format that carries bytes as bytes.
struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Blob<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("bytes")
    }

    fn visit_borrowed_bytes<E: Error>(self, v: &'de [u8]) -> Result<Blob<'de>, E> {
        Ok(Blob::from_bytes(v))
    }

    fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Blob<'de>, E> {
        Ok(Blob::from_vec(v.to_vec()))
    }

    fn visit_byte_buf<E: Error>(self, v: Vec<u8>) -> Result<Blob<'de>, E> {
        Ok(Blob::from_vec(v))
    }
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for Blob<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(crate::blob::BLOB_TOKEN, BlobVisitor)
    }
}
