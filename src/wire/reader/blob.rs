//! Blobs in the crate's reader (the other half of `crate::blob::de`).
//!
//! A blob asks for a newtype struct named [`BLOB_TOKEN`](crate::blob::BLOB_TOKEN). The
//! reader answers in one of two ways, reading the text once either way:
//!
//! - Text (the normal parse): the base64 alphabet is checked block by block in the same pass that
//!   looks for the closing quote (a block of alphabet bytes holds no quote), then the padding and
//!   the O(1) rest of the rule; the checked text is handed over with `visit_borrowed_bytes`.
//! - Decoded (the caller gave a buffer, [`super::from_slice_decoding`]): the closing quote is
//!   found, then the text is decoded with base64's SIMD engine (which refuses any byte outside
//!   the alphabet, bad padding and trailing bits) into the next part of the buffer while it is
//!   still in cache; the raw bytes are handed over through a
//!   newtype whose deserializer is not human-readable, serde's convention for formats that carry
//!   bytes as bytes.
//!
//! Anything else (escapes, invalid text, a full buffer) makes the reader give up, and serde_json
//! gives the verdict: the precise error, or blobs read as text.

use serde::de::{self, Visitor};

use super::{Bail, Reader, Result};
use crate::json::base64::{all_base64, decoded_len, in_alphabet, tail_ok};

impl<'de> Reader<'de> {
    /// Reads a blob's value for `visitor` (see the module).
    pub(super) fn blob<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        if self.peek_token()? != b'"' {
            return Err(Bail);
        }
        match self.out.take() {
            None => visitor.visit_borrowed_bytes(self.base64_text()?),
            Some(out) => {
                // The decoder checks every byte itself: only the closing quote is looked for.
                let text = self.raw_bytes()?;
                let needed = decoded_len(text);
                let (head, rest) = out.split_at_mut_checked(needed).ok_or(Bail)?;
                self.out = Some(rest);
                crate::blob::decode_text(text, head).map_err(|_| Bail)?;
                let bytes: &'de [u8] = head;
                visitor.visit_newtype_struct(RawBytes { bytes })
            }
        }
    }

    /// Reads a blob's string whose opening quote is at the position: base64 text, its alphabet
    /// checked as it is scanned for the closing quote, its padding and trailing bits checked.
    fn base64_text(&mut self) -> Result<&'de [u8]> {
        /// Bytes per alphabet check: a block the compiler checks with vector compares.
        const BLOCK: usize = 32;
        let start = self.sc.pos.saturating_add(1);
        let rest = self.sc.input.get(start..).unwrap_or_default();
        let mut len = 0usize;
        for block in rest.chunks_exact(BLOCK) {
            if !all_base64(block) {
                break;
            }
            len = len.saturating_add(BLOCK);
        }
        let tail = rest.get(len..).unwrap_or_default();
        len = len.saturating_add(tail.iter().take_while(|&&b| in_alphabet(b)).count());
        let mut end = len;
        while end < len.saturating_add(2) && rest.get(end) == Some(&b'=') {
            end = end.saturating_add(1);
        }
        if rest.get(end) != Some(&b'"') {
            return Err(Bail);
        }
        let text = rest.get(..end).ok_or(Bail)?;
        if !tail_ok(text) {
            return Err(Bail);
        }
        self.sc.pos = start.saturating_add(end).saturating_add(1);
        Ok(text)
    }
}

/// Decoded blob bytes, as a binary format would hand them over.
struct RawBytes<'de> {
    bytes: &'de [u8],
}

impl<'de> de::Deserializer<'de> for RawBytes<'de> {
    type Error = Bail;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_borrowed_bytes(self.bytes)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}
