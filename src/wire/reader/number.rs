//! Numbers: read and classified exactly as `serde_json` does (`u64` for non-negative
//! integers, `i64` for negative ones, `f64` rounded once from an exact significand and power of
//! ten), or left to `serde_json` with [`Bail`].

use serde::de::Visitor;

use super::{Bail, Reader, Result};
use crate::json::number::read_number;

/// Exact powers of ten as `f64` (10^22 is the largest one a `f64` holds exactly; beyond it
/// `serde_json`'s table is rounded and the reader leaves such numbers to it).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A number as `serde_json` classifies it.
pub(super) enum Number {
    U64(u64),
    I64(i64),
    F64(f64),
}

impl Number {
    pub(super) fn visit<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Number::U64(v) => visitor.visit_u64(v),
            Number::I64(v) => visitor.visit_i64(v),
            Number::F64(v) => visitor.visit_f64(v),
        }
    }
}

impl Reader<'_> {
    /// Reads a number at the position (a `-` or a digit) with the JSON core's grammar,
    /// classified as `serde_json` does.
    pub(super) fn number(&mut self) -> Result<Number> {
        let parts = read_number(self.sc.input, self.sc.pos).map_err(|_| Bail)?;
        // A leading zero ends a number in the grammar; serde_json refuses a digit after it.
        if matches!(self.sc.input.get(parts.end), Some(b'0'..=b'9')) {
            return Err(Bail);
        }
        self.sc.pos = parts.end;
        let significand = parts.significand.ok_or(Bail)?;
        let exponent = parts.exponent.ok_or(Bail)?;
        if !parts.float {
            return if !parts.negative {
                Ok(Number::U64(significand))
            } else if significand == 0 || significand > 1 << 63 {
                // `-0` is a float in serde_json; below i64::MIN too.
                Err(Bail)
            } else {
                Ok(Number::I64((significand as i64).wrapping_neg()))
            };
        }
        // The significand and the power of ten are exact, so the one operation below rounds
        // once, correctly: the same bits as serde_json's `f64_from_parts` (which does the same
        // operation) and as its `float_roundtrip` parser (which rounds correctly).
        if significand > 1 << 53 {
            return Err(Bail);
        }
        let pow = *POW10.get(exponent.unsigned_abs() as usize).ok_or(Bail)?;
        let mut f = significand as f64;
        if exponent >= 0 {
            f *= pow;
        } else {
            f /= pow;
        }
        Ok(Number::F64(if parts.negative { -f } else { f }))
    }
}
