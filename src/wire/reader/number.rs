//! Numbers: read and classified exactly as `serde_json` does (`u64` for non-negative
//! integers, `i64` for negative ones, `f64` rounded once from an exact significand and power of
//! ten), or left to `serde_json` with [`Bail`].

use serde::de::Visitor;

use super::{Bail, Reader, Result};

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
    /// Reads a number at `self.pos` (a `-` or a digit), classified as `serde_json` does.
    pub(super) fn number(&mut self) -> Result<Number> {
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos = self.pos.saturating_add(1);
        }
        let mut significand: u64 = 0;
        match self.peek() {
            Some(b'0') => {
                self.pos = self.pos.saturating_add(1);
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(Bail);
                }
            }
            Some(b'1'..=b'9') => {
                while let Some(d @ b'0'..=b'9') = self.peek() {
                    significand = significand
                        .checked_mul(10)
                        .and_then(|s| s.checked_add(u64::from(d.wrapping_sub(b'0'))))
                        .ok_or(Bail)?;
                    self.pos = self.pos.saturating_add(1);
                }
            }
            _ => return Err(Bail),
        }
        let mut exponent: i32 = 0;
        let mut float = false;
        if self.peek() == Some(b'.') {
            self.pos = self.pos.saturating_add(1);
            float = true;
            let before = self.pos;
            while let Some(d @ b'0'..=b'9') = self.peek() {
                significand = significand
                    .checked_mul(10)
                    .and_then(|s| s.checked_add(u64::from(d.wrapping_sub(b'0'))))
                    .ok_or(Bail)?;
                exponent = exponent.saturating_sub(1);
                self.pos = self.pos.saturating_add(1);
            }
            if self.pos == before {
                return Err(Bail);
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos = self.pos.saturating_add(1);
            float = true;
            let positive = match self.peek() {
                Some(b'+') => {
                    self.pos = self.pos.saturating_add(1);
                    true
                }
                Some(b'-') => {
                    self.pos = self.pos.saturating_add(1);
                    false
                }
                _ => true,
            };
            let before = self.pos;
            let mut exp: i32 = 0;
            while let Some(d @ b'0'..=b'9') = self.peek() {
                exp = exp
                    .checked_mul(10)
                    .and_then(|e| e.checked_add(i32::from(d.wrapping_sub(b'0'))))
                    .filter(|&e| e <= 1000)
                    .ok_or(Bail)?;
                self.pos = self.pos.saturating_add(1);
            }
            if self.pos == before {
                return Err(Bail);
            }
            exponent = if positive {
                exponent.saturating_add(exp)
            } else {
                exponent.saturating_sub(exp)
            };
        }
        if !float {
            return if !negative {
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
        Ok(Number::F64(if negative { -f } else { f }))
    }
}
