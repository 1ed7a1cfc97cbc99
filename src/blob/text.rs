//! Checking and decoding the base64 text of a blob, with the error that names the fault. The
//! rule itself (standard alphabet, padded, canonical trailing bits: RFC 4648 sections 4 and
//! 3.5) and the engine are the JSON core's ([`crate::json::base64`]).
//!
//! Two ways in, the same rule: [`validate`] checks a whole text (the `Blob` constructors and
//! every deserializer but the crate's own reader); the crate's JSON reader checks the alphabet
//! while it scans the string for its closing quote ([`all_base64`] on each block it reads anyway)
//! and then asks [`tail_ok`] for the O(1) rest, so the text is read once when a body is parsed.
//! Decoding ([`decode`]) uses the core's engine, which refuses any byte outside the alphabet on
//! its own.

use base64::Engine as _;

use super::BlobError;
use crate::json::base64::{all_base64, decoded_len, padding, sextet, tail_ok};

/// Checks padded, standard-alphabet, canonical base64; returns the number of padding bytes.
pub(crate) fn validate(text: &[u8]) -> Result<usize, BlobError> {
    let len = text.len();
    if !len.is_multiple_of(4) {
        return Err(BlobError::InvalidLength { len });
    }
    let padding = padding(text);
    // `len` is a non-zero multiple of 4 here, and `padding` at most 2.
    let data_len = len.saturating_sub(padding);
    let data = text.get(..data_len).unwrap_or_default();
    // Fast path: a branch-free check that the compiler vectorizes; the byte-by-byte loop below
    // runs only to name the first bad byte.
    if !data.chunks(64).all(all_base64) {
        for (offset, &byte) in data.iter().enumerate() {
            if sextet(byte).is_some() {
                continue;
            }
            return Err(if byte == b'=' {
                BlobError::InvalidPadding { offset }
            } else {
                BlobError::InvalidByte { offset, byte }
            });
        }
    }
    if !tail_ok(text) {
        return Err(BlobError::NonCanonical {
            offset: data_len.saturating_sub(1),
        });
    }
    Ok(padding)
}

/// Decodes `text` into `out` (exactly [`decoded_len`] bytes). Text the engine refuses is checked
/// by [`validate`] to name the fault.
pub(crate) fn decode(text: &[u8], out: &mut [u8]) -> Result<usize, BlobError> {
    let needed = decoded_len(text);
    let available = out.len();
    let Some(target) = out.get_mut(..needed) else {
        return Err(BlobError::OutputTooSmall { needed, available });
    };
    crate::json::base64::engine()
        .decode_slice(text, target)
        .map_err(|_| match validate(text) {
            Err(e) => e,
            // The engine and `validate` apply the same rule; should they ever differ, the
            // caller still gets an error rather than wrong bytes.
            Ok(_) => BlobError::InvalidLength { len: text.len() },
        })
}
