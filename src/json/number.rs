//! Numbers: the one JSON number grammar of the crate (RFC 8259 §6), read once into the parts a
//! reader needs, and integers written in decimal.
//!
//! The scanner checks the grammar with `read_number` and hands out the text; the serde reader
//! (`wire`) classifies the same parts as `serde_json` does. The writers ([`u64_decimal`],
//! [`u128_decimal`]) serve the serde writer, the hash keys and the producer's HTTP head.

use super::error::{ScanError, ScanErrorKind};

/// The largest decimal exponent `read_number` keeps exactly; beyond it the exponent reads as
/// `None` (no `f64` has one that large, and the serde reader leaves such numbers to
/// `serde_json`).
const MAX_EXPONENT: i32 = 1000;

/// A JSON number read by `read_number`: its sign, whether it has a fraction or an exponent,
/// and its value as an integer significand times a power of ten, where both fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NumberParts {
    /// A leading `-`.
    pub negative: bool,
    /// A fraction or an exponent was written (JSON's integers have neither).
    pub float: bool,
    /// Every digit before the exponent, as one integer; `None` past `u64::MAX`.
    pub significand: Option<u64>,
    /// The power of ten the significand is scaled by (the exponent less the fraction's
    /// digits); `None` when the written exponent is beyond ±[`MAX_EXPONENT`].
    pub exponent: Option<i32>,
    /// Where the number ends (the offset after its last byte).
    pub end: usize,
}

/// The digits at `at`: their value folded into `acc` (`None` once past `u64::MAX`), their
/// count, and the offset after them.
#[inline(always)]
fn digits(input: &[u8], mut at: usize, mut acc: Option<u64>) -> (Option<u64>, usize, usize) {
    let from = at;
    while let Some(&d @ b'0'..=b'9') = input.get(at) {
        acc = acc
            .and_then(|v| v.checked_mul(10))
            .and_then(|v| v.checked_add(u64::from(d.wrapping_sub(b'0'))));
        at = at.saturating_add(1);
    }
    (acc, at.saturating_sub(from), at)
}

/// Reads the number that starts at `at` (a `-` or a digit, by RFC 8259 §6:
/// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`). A leading zero ends the integer
/// part: what follows it is the caller's to refuse.
///
/// Errors: `UnexpectedEnd` when the input ends where a digit must come, `InvalidNumber` at
/// the byte that should have been one.
#[inline]
pub(crate) fn read_number(input: &[u8], at: usize) -> Result<NumberParts, ScanError> {
    let fail = |at: usize| ScanError {
        kind: if at >= input.len() {
            ScanErrorKind::UnexpectedEnd
        } else {
            ScanErrorKind::InvalidNumber
        },
        offset: at,
    };
    let negative = input.get(at) == Some(&b'-');
    let mut pos = if negative { at.saturating_add(1) } else { at };
    let mut significand = Some(0u64);
    match input.get(pos) {
        Some(b'0') => pos = pos.saturating_add(1),
        Some(b'1'..=b'9') => (significand, _, pos) = digits(input, pos, significand),
        _ => return Err(fail(pos)),
    }
    let mut float = false;
    let mut fraction_digits = 0usize;
    if input.get(pos) == Some(&b'.') {
        float = true;
        (significand, fraction_digits, pos) = digits(input, pos.saturating_add(1), significand);
        if fraction_digits == 0 {
            return Err(fail(pos));
        }
    }
    let mut written_exponent = Some(0i32);
    if let Some(b'e' | b'E') = input.get(pos) {
        float = true;
        pos = pos.saturating_add(1);
        let minus = input.get(pos) == Some(&b'-');
        if let Some(b'+' | b'-') = input.get(pos) {
            pos = pos.saturating_add(1);
        }
        let (value, count, end) = digits(input, pos, Some(0));
        if count == 0 {
            return Err(fail(end));
        }
        pos = end;
        written_exponent = value
            .and_then(|v| i32::try_from(v).ok())
            .filter(|&v| v <= MAX_EXPONENT)
            .map(|v| if minus { v.wrapping_neg() } else { v });
    }
    let exponent = written_exponent.and_then(|e| {
        let fraction = i32::try_from(fraction_digits).ok()?;
        e.checked_sub(fraction)
    });
    Ok(NumberParts {
        negative,
        float,
        significand,
        exponent,
        end: pos,
    })
}

/// Parses a JSON number text as a `u32` when it is a plain non-negative integer
/// (no sign, fraction or exponent) in range.
pub fn number_as_u32(text: &str) -> Option<u32> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

/// The most decimal digits a `u64` takes (`u64::MAX` has 20).
pub const U64_DECIMAL_LEN: usize = 20;
/// The most decimal digits a `u128` takes (`u128::MAX` has 39).
pub const U128_DECIMAL_LEN: usize = 39;

/// `n` in decimal, written at the end of `buf`; the digits are returned.
///
/// ```
/// let mut buf = [0u8; kinesis_codec::json::number::U64_DECIMAL_LEN];
/// assert_eq!(kinesis_codec::json::number::u64_decimal(1_000_007, &mut buf), "1000007");
/// ```
pub fn u64_decimal(mut n: u64, buf: &mut [u8; U64_DECIMAL_LEN]) -> &str {
    let mut pos = U64_DECIMAL_LEN;
    for slot in buf.iter_mut().rev() {
        // A digit 0..=9 fits in the low four bits of b'0' (0x30).
        *slot = b'0' | (n % 10) as u8;
        n /= 10;
        pos = pos.saturating_sub(1);
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    core::str::from_utf8(buf.get(pos..).unwrap_or_default()).unwrap_or_default()
}

/// 10^19, the largest power of ten below 2^64: a `u128` is written as up to three chunks of
/// at most 19 digits, each formatted with 64-bit division.
const TEN_POW_19: u128 = 10_000_000_000_000_000_000;

/// `n` in decimal, written at the end of `buf`; the digits are returned. 128-bit division
/// happens once per 19 digits, not once per digit.
///
/// ```
/// let mut buf = [0u8; kinesis_codec::json::number::U128_DECIMAL_LEN];
/// assert_eq!(
///     kinesis_codec::json::number::u128_decimal(u128::MAX, &mut buf),
///     "340282366920938463463374607431768211455"
/// );
/// ```
pub fn u128_decimal(n: u128, buf: &mut [u8; U128_DECIMAL_LEN]) -> &str {
    let mut pos = U128_DECIMAL_LEN;
    let mut rest = n;
    loop {
        let (high, low) = if rest >= TEN_POW_19 {
            (rest / TEN_POW_19, rest % TEN_POW_19)
        } else {
            (0, rest)
        };
        // `low` is below 10^19 < 2^64: the conversion always succeeds.
        let mut chunk = u64::try_from(low).unwrap_or(0);
        // Lower chunks are written with all 19 digits, the top one without leading zeros
        // (but with at least one digit, for 0).
        let mut written = 0u32;
        loop {
            pos = pos.saturating_sub(1);
            if let Some(slot) = buf.get_mut(pos) {
                *slot = b'0' | (chunk % 10) as u8;
            }
            chunk /= 10;
            // At most 19 (or 39 in all): cannot saturate.
            written = written.saturating_add(1);
            let done = if high == 0 { chunk == 0 } else { written == 19 };
            if done {
                break;
            }
        }
        if high == 0 {
            break;
        }
        rest = high;
    }
    // Only ASCII digits were written.
    core::str::from_utf8(buf.get(pos..).unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_agree_with_core_formatting() {
        let mut small = [0u8; U64_DECIMAL_LEN];
        let mut wide = [0u8; U128_DECIMAL_LEN];
        let mut n: u128 = 1;
        for _ in 0..130 {
            for v in [n - 1, n, n.saturating_add(1)] {
                assert_eq!(u128_decimal(v, &mut wide), alloc_free(v));
                if let Ok(v) = u64::try_from(v) {
                    assert_eq!(u64_decimal(v, &mut small), alloc_free(u128::from(v)));
                }
            }
            n = n.saturating_mul(2).saturating_add(n / 3);
        }
    }

    /// `core`'s own formatting, into a fixed buffer.
    fn alloc_free(v: u128) -> heapless::String<40> {
        use core::fmt::Write as _;
        let mut s = heapless::String::new();
        write!(s, "{v}").unwrap();
        s
    }

    #[test]
    fn number_parts() {
        let p = read_number(b"-12.50e+3,", 0).unwrap();
        assert_eq!(
            (p.negative, p.float, p.significand, p.exponent, p.end),
            (true, true, Some(1250), Some(1), 9)
        );
        let p = read_number(b"18446744073709551616", 0).unwrap();
        assert_eq!((p.significand, p.float), (None, false));
        assert_eq!(read_number(b"1e1001", 0).unwrap().exponent, None);
        assert_eq!(read_number(b"01", 0).unwrap().end, 1);
        let e = read_number(b"1.", 0).unwrap_err();
        assert_eq!((e.kind, e.offset), (ScanErrorKind::UnexpectedEnd, 2));
        let e = read_number(b"1.e", 0).unwrap_err();
        assert_eq!((e.kind, e.offset), (ScanErrorKind::InvalidNumber, 2));
        let e = read_number(b"-x", 0).unwrap_err();
        assert_eq!((e.kind, e.offset), (ScanErrorKind::InvalidNumber, 1));
    }
}
