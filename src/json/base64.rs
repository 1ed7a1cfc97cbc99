//! Base64 text (RFC 4648 §4, the standard alphabet, padded), both ways: the engine (SIMD with
//! `std` on x86_64 and aarch64), the exact length of a text, writing one into a [`Sink`], and
//! the byte tests the readers check text with as they scan it (canonical trailing bits: RFC
//! 4648 §3.5). Blobs are base64 text in JSON; a binary body format (CBOR) carries raw bytes
//! and needs none of this.

use base64::Engine as _;

use super::sink::{BufferFull, Sink};

/// The exact length of the padded standard base64 text of `len` bytes: `4 * ceil(len / 3)`.
/// Saturates at `usize::MAX`.
pub const fn base64_len(len: usize) -> usize {
    let groups = (len / 3).saturating_add(if len.is_multiple_of(3) { 0 } else { 1 });
    groups.saturating_mul(4)
}

/// The base64 encoder, for this writer and the serde one (`wire::ser`): with `std` on x86_64
/// and aarch64, base64's SIMD engine (AVX2 / NEON when the CPU has them, detected once; scalar
/// otherwise).
#[cfg(all(
    feature = "std",
    any(
        target_arch = "x86_64",
        all(target_arch = "aarch64", target_feature = "neon")
    )
))]
pub(crate) fn engine() -> &'static impl base64::Engine {
    static ENGINE: std::sync::OnceLock<base64::engine::Simd> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| base64::engine::Simd::standard(base64::engine::general_purpose::PAD))
}

/// The base64 encoder: base64's portable scalar engine.
#[cfg(not(all(
    feature = "std",
    any(
        target_arch = "x86_64",
        all(target_arch = "aarch64", target_feature = "neon")
    )
)))]
pub(crate) fn engine() -> &'static impl base64::Engine {
    &base64::engine::general_purpose::STANDARD
}

/// Writes `data` as padded standard base64 text (no quotes), encoding in place in the sink.
/// Fails, writing nothing, when it does not fit.
pub fn write_base64<S: Sink + ?Sized>(out: &mut S, data: &[u8]) -> Result<(), BufferFull> {
    let need = base64_len(data.len());
    let available = out.remaining();
    let dst = out.grow(need)?;
    engine()
        .encode_slice(data, dst)
        .map(|_| ())
        .map_err(|_| BufferFull {
            needed: need,
            available,
        })
}

// ---- reading: the byte tests of the serde readers (`alloc`) --------------------------------

/// The value of a standard-alphabet base64 character.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "each arm's byte range bounds its result to 0..64"
)]
#[cfg_attr(not(feature = "alloc"), allow(dead_code))]
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
#[cfg_attr(not(feature = "alloc"), allow(dead_code))]
fn not_base64_byte(b: u8) -> u8 {
    let letter = (b | 0x20).wrapping_sub(b'a') < 26;
    let digit = b.wrapping_sub(b'0') < 10;
    u8::from(!(letter | digit | (b == b'+') | (b == b'/')))
}

/// Whether `b` is in the standard alphabet (`=` is not).
#[inline(always)]
#[cfg_attr(not(feature = "alloc"), allow(dead_code))]
pub(crate) fn in_alphabet(b: u8) -> bool {
    not_base64_byte(b) == 0
}

/// Whether every byte of `chunk` is in the alphabet, without branching per byte.
#[inline(always)]
#[cfg_attr(not(feature = "alloc"), allow(dead_code))]
pub(crate) fn all_base64(chunk: &[u8]) -> bool {
    let mut bad = 0u8;
    for &b in chunk {
        bad |= not_base64_byte(b);
    }
    bad == 0
}

/// The number of `=` at the end of `text` (at most two are looked at).
#[cfg_attr(not(feature = "alloc"), allow(dead_code))]
pub(crate) fn padding(text: &[u8]) -> usize {
    match text {
        [.., b'=', b'='] => 2,
        [.., b'='] => 1,
        _ => 0,
    }
}

/// Checks what the alphabet scan does not: a length that is a multiple of 4, and canonical
/// trailing bits in the last character before the padding. For text whose bytes before the
/// padding are all in the alphabet and whose padding is at most two `=` at the end.
#[cfg_attr(not(feature = "alloc"), allow(dead_code))]
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

/// The number of bytes `text` (valid base64) decodes to.
#[cfg_attr(not(feature = "alloc"), allow(dead_code))]
pub(crate) fn decoded_len(text: &[u8]) -> usize {
    (text.len() / 4)
        .saturating_mul(3)
        .saturating_sub(padding(text))
}
