//! Checking and decoding the base64 text of a blob: the standard alphabet, padded, canonical
//! trailing bits (RFC 4648 sections 4 and 3.5), as the services write it.
//!
//! Two ways in, the same rule: [`validate`] checks a whole text (the `Blob` constructors and
//! every deserializer but the crate's own reader); the crate's JSON reader checks the alphabet
//! while it scans the string for its closing quote ([`all_base64`] on each block it reads anyway)
//! and then asks [`tail_ok`] for the O(1) rest, so the text is read once when a body is parsed.
//! Decoding ([`decode`]) uses base64's SIMD engine with `std` on x86_64 and aarch64 (AVX2 / NEON,
//! detected once), which refuses any byte outside the alphabet on its own.

use super::BlobError;
use base64::Engine as _;

/// The value of a standard-alphabet base64 character.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "each arm's byte range bounds its result to 0..64"
)]
pub(crate) fn sextet(byte: u8) -> Option<u8> {
    match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// 1 if `b` is outside the standard base64 alphabet (`=` included), else 0: comparisons only,
/// so that a loop over a slice vectorizes. `b | 0x20` folds the two letter ranges into one
/// (only `A-Z` and `a-z` land in `a-z`).
#[inline(always)]
fn not_base64_byte(b: u8) -> u8 {
    let letter = (b | 0x20).wrapping_sub(b'a') < 26;
    let digit = b.wrapping_sub(b'0') < 10;
    u8::from(!(letter | digit | (b == b'+') | (b == b'/')))
}

/// Whether `b` is in the standard alphabet (`=` is not).
#[inline(always)]
pub(crate) fn in_alphabet(b: u8) -> bool {
    not_base64_byte(b) == 0
}

/// Whether every byte of `chunk` is in the alphabet, without branching per byte.
#[inline(always)]
pub(crate) fn all_base64(chunk: &[u8]) -> bool {
    let mut bad = 0u8;
    for &b in chunk {
        bad |= not_base64_byte(b);
    }
    bad == 0
}

/// The number of `=` at the end of `text` (at most two are looked at).
fn padding(text: &[u8]) -> usize {
    match text {
        [.., b'=', b'='] => 2,
        [.., b'='] => 1,
        _ => 0,
    }
}

/// Checks what the alphabet scan does not: a length that is a multiple of 4, and canonical
/// trailing bits in the last character before the padding. For text whose bytes before the
/// padding are all in the alphabet and whose padding is at most two `=` at the end.
pub(crate) fn tail_ok(text: &[u8]) -> bool {
    if !text.len().is_multiple_of(4) {
        return false;
    }
    let padding = padding(text);
    if padding == 0 {
        return true;
    }
    let last = text
        .len()
        .checked_sub(padding.saturating_add(1))
        .and_then(|i| text.get(i))
        .copied()
        .and_then(sextet);
    let unused_bits = if padding == 1 { 0b11 } else { 0b1111 };
    last.is_some_and(|v| v & unused_bits == 0)
}

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

/// The number of bytes `text` (valid base64) decodes to.
pub(crate) fn decoded_len(text: &[u8]) -> usize {
    (text.len() / 4)
        .saturating_mul(3)
        .saturating_sub(padding(text))
}

/// Decodes `text` into `out` (exactly [`decoded_len`] bytes). Text the engine refuses is checked
/// by [`validate`] to name the fault.
pub(crate) fn decode(text: &[u8], out: &mut [u8]) -> Result<usize, BlobError> {
    let needed = decoded_len(text);
    let available = out.len();
    let Some(target) = out.get_mut(..needed) else {
        return Err(BlobError::OutputTooSmall { needed, available });
    };
    crate::producer::json::base64_engine()
        .decode_slice(text, target)
        .map_err(|_| match validate(text) {
            Err(e) => e,
            // The engine and `validate` apply the same rule; should they ever differ, the
            // caller still gets an error rather than wrong bytes.
            Ok(_) => BlobError::InvalidLength { len: text.len() },
        })
}
