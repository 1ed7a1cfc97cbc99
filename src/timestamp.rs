//! [`Timestamp`]: a `timestamp` member, epoch seconds as a JSON number, exact to the millisecond.
//!
//! *Requires feature* `alloc` (for the serde shapes; the type itself allocates nothing).
//!
//! # Reading
//!
//! Every numeric form seen on the wire is accepted: `1441215410`, `1441215410.867`,
//! `1441215410.0`, `1.441215410867E9`, `1.441215410867e+09`. As botocore does, strings are
//! accepted too: the same numbers (`"1441215410.867"`), ISO 8601 (`"2015-09-02T17:36:50.867Z"`)
//! and RFC 822 in GMT; see [`Timestamp::from_text`]. A numeric fraction finer than a millisecond
//! is rounded to the nearest millisecond. Whatever the form read, a timestamp is written back as
//! epoch seconds.
//!
//! Requests are read strictly: the generated request shapes take numbers only
//! ([`Timestamp::deserialize_number`]); strings are for responses, where botocore accepts them.
//!
//! Integers are read as integers. A JSON number with a fraction or an exponent reaches the
//! deserializer as an `f64` (serde_json's own parser; its fast path is correctly rounded for
//! decimals of up to 16 significant digits). The millisecond is then recovered without
//! multiplying the whole value: the seconds are the floor of the `f64` (exact), the remaining
//! fraction `f = x - floor(x)` is exact too, and `round(f * 1000)` gives the milliseconds. The
//! `f64` is within half an ulp of the decimal text, and below 2^42 seconds an ulp is at most
//! 2^-11 s, so the result is off by at most 0.25 ms before rounding: every timestamp with
//! `|millis| < 2^52` (about ±142,000 years) written as seconds with up to three decimals reads
//! back exactly. Numeric strings are parsed digit by digit, exactly.
//!
//! # Writing
//!
//! Whole seconds are written as an integer (`1441215410`); anything else as seconds with the
//! millisecond fraction (`1441215410.867`), which reads back exactly (see above).
//!
//! ```
//! use kinesis_codec::timestamp::Timestamp;
//!
//! for text in ["1441215410.867", "1.441215410867E9", "1.441215410867e+09", "\"1441215410.867\""] {
//!     let t: Timestamp = serde_json::from_str(text).unwrap();
//!     assert_eq!(t.as_millis(), 1_441_215_410_867);
//! }
//! let t = Timestamp::from_millis(1_441_215_410_867);
//! assert_eq!(serde_json::to_string(&t).unwrap(), "1441215410.867");
//! assert_eq!(serde_json::to_string(&Timestamp::from_millis(1_441_215_410_000)).unwrap(), "1441215410");
//! ```

#![deny(clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)]

use core::fmt;

/// A point in time, in whole milliseconds since the Unix epoch (may be negative).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    millis: i64,
}

/// The largest `|millis|` for which a write and a read give back the same value (2^52).
pub const MAX_EXACT_MILLIS: i64 = 1 << 52;

impl Timestamp {
    /// A timestamp `millis` milliseconds after the epoch.
    pub const fn from_millis(millis: i64) -> Self {
        Timestamp { millis }
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(&self) -> i64 {
        self.millis
    }

    /// A timestamp at whole seconds, or `None` if the milliseconds overflow an `i64`.
    pub const fn from_secs(secs: i64) -> Option<Self> {
        match secs.checked_mul(1000) {
            Some(millis) => Some(Timestamp { millis }),
            None => None,
        }
    }

    /// Whole seconds since the epoch (rounded toward negative infinity).
    pub const fn secs(&self) -> i64 {
        self.millis.div_euclid(1000)
    }

    /// The milliseconds after [`secs`](Self::secs), `0..=999`.
    pub const fn subsec_millis(&self) -> u16 {
        // rem_euclid(1000) is in 0..1000, so the cast is lossless.
        self.millis.rem_euclid(1000) as u16
    }

    /// Reads an `f64` number of seconds (see the module docs for exactness).
    pub fn from_secs_f64(secs: f64) -> Option<Self> {
        // 9.2e15 s * 1000 is about i64::MAX; anything larger (or NaN) is out of range.
        if secs.is_nan() || secs.abs() >= 9.2e15 {
            return None;
        }
        // `as` truncates toward zero; adjust to the floor.
        let mut whole = secs as i64;
        if (whole as f64) > secs {
            whole -= 1;
        }
        // Exact: `secs` and `whole` are within 1 of each other.
        let fraction = secs - whole as f64;
        // fraction in [0, 1): +0.5 then truncation is round-half-up of the millisecond.
        let frac_millis = (fraction * 1000.0 + 0.5) as i64;
        whole
            .checked_mul(1000)?
            .checked_add(frac_millis)
            .map(Timestamp::from_millis)
    }

    /// Reads decimal seconds from text (`-12.5`, `1.441215410867E9`) exactly.
    pub fn from_secs_str(text: &str) -> Option<Self> {
        parse_decimal_seconds(text.trim()).map(Timestamp::from_millis)
    }

    /// Reads a timestamp string as botocore does: decimal epoch seconds, ISO 8601
    /// (`2015-09-02T17:36:50.867Z`, `2015-09-02T19:36:50+02:00`; no zone = UTC) or RFC 822 in
    /// GMT (`Wed, 02 Sep 2015 17:36:50 GMT`). Fractions finer than a millisecond are truncated
    /// for the date forms.
    pub fn from_text(text: &str) -> Option<Self> {
        let text = text.trim();
        parse_decimal_seconds(text)
            .or_else(|| parse_iso8601(text))
            .or_else(|| parse_rfc822(text))
            .map(Timestamp::from_millis)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A fixed-width decimal field.
fn digits(text: &str, range: core::ops::Range<usize>) -> Option<i64> {
    let field = text.get(range)?;
    if field.is_empty() || !field.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    field.parse().ok()
}

/// Milliseconds of a date and time of day, checking the ranges.
fn civil_millis(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64, ms: i64) -> Option<i64> {
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    let secs = days * 86_400 + h * 3_600 + mi * 60 + s;
    secs.checked_mul(1000)?.checked_add(ms)
}

/// `YYYY-MM-DDTHH:MM:SS[.fff...][Z|+HH:MM|-HH:MM|+HHMM]`.
fn parse_iso8601(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    if !matches!(bytes.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    if bytes.get(13) != Some(&b':') || bytes.get(16) != Some(&b':') {
        return None;
    }
    let (y, mo, d) = (
        digits(text, 0..4)?,
        digits(text, 5..7)?,
        digits(text, 8..10)?,
    );
    let (h, mi, s) = (
        digits(text, 11..13)?,
        digits(text, 14..16)?,
        digits(text, 17..19)?,
    );
    let mut rest = text.get(19..)?;
    let mut ms = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return None;
        }
        let mut scale = 100;
        for b in fraction.bytes().take(len.min(3)) {
            ms += i64::from(b - b'0') * scale;
            scale /= 10;
        }
        rest = fraction.get(len..)?;
    }
    let offset_minutes = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let zone = rest.get(1..)?;
            let (oh, om) = match zone.len() {
                5 if zone.as_bytes().get(2) == Some(&b':') => {
                    (digits(zone, 0..2)?, digits(zone, 3..5)?)
                }
                4 => (digits(zone, 0..2)?, digits(zone, 2..4)?),
                2 => (digits(zone, 0..2)?, 0),
                _ => return None,
            };
            sign * (oh * 60 + om)
        }
    };
    civil_millis(y, mo, d, h, mi, s, ms)?.checked_sub(offset_minutes * 60_000)
}

/// `Wed, 02 Sep 2015 17:36:50 GMT` (the weekday is optional and not checked).
fn parse_rfc822(text: &str) -> Option<i64> {
    let text = match text.split_once(", ") {
        Some((_, rest)) => rest,
        None => text,
    };
    let mut parts = text.split_ascii_whitespace();
    let day: i64 = parts.next()?.parse().ok()?;
    let month = parts.next()?;
    let year: i64 = parts.next()?.parse().ok()?;
    let time = parts.next()?;
    if !matches!(parts.next(), Some("GMT" | "UTC" | "Z" | "+0000")) || parts.next().is_some() {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mo = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as i64 + 1;
    if time.len() != 8
        || time.as_bytes().get(2) != Some(&b':')
        || time.as_bytes().get(5) != Some(&b':')
    {
        return None;
    }
    let (h, mi, s) = (
        digits(time, 0..2)?,
        digits(time, 3..5)?,
        digits(time, 6..8)?,
    );
    civil_millis(year, mo, day, h, mi, s, 0)
}

/// Exact decimal parse to milliseconds, rounding half away from zero.
fn parse_decimal_seconds(text: &str) -> Option<i64> {
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, text.get(1..)?),
        b'+' => (false, text.get(1..)?),
        _ => (false, text),
    };
    let (number, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (rest.get(..at)?, rest.get(at + 1..)?.parse::<i32>().ok()?),
        None => (rest, 0),
    };
    let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    // All digits as one integer; `scale` = number of digits after the decimal point.
    let mut digits: u128 = 0;
    let mut significant = 0u32;
    let mut dropped_scale = 0i32;
    for byte in int_part.bytes().chain(frac_part.bytes()) {
        let d = u128::from(byte.checked_sub(b'0').filter(|d| *d <= 9)?);
        if significant < 36 {
            digits = digits * 10 + d;
            if digits != 0 {
                significant += 1;
            }
        } else {
            // Beyond 36 significant digits the value is far outside the i64 range or the
            // digits are far below a millisecond; keep the magnitude only.
            dropped_scale += 1;
        }
    }
    let frac_len = i32::try_from(frac_part.len()).ok()?;
    // value = digits * 10^(exponent - frac_len + dropped_scale) seconds; millis: +3.
    let shift = exponent
        .checked_sub(frac_len)?
        .checked_add(dropped_scale)?
        .checked_add(3)?;
    let millis: u128 = if shift >= 0 {
        if digits == 0 {
            0
        } else {
            let pow = 10u128.checked_pow(u32::try_from(shift).ok()?)?;
            digits.checked_mul(pow)?
        }
    } else {
        match 10u128.checked_pow(shift.unsigned_abs()) {
            Some(pow) => (digits + pow / 2) / pow,
            None => 0,
        }
    };
    let millis = i64::try_from(millis).ok()?;
    Some(if negative { -millis } else { millis })
}

impl fmt::Display for Timestamp {
    /// Epoch seconds with the millisecond fraction, as written on the wire.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.millis < 0 { "-" } else { "" };
        let abs = self.millis.unsigned_abs();
        let (secs, ms) = (abs / 1000, abs % 1000);
        if ms == 0 {
            write!(f, "{sign}{secs}")
        } else {
            let (frac, len) = fraction_digits(ms);
            let digits = core::str::from_utf8(frac.get(..len).unwrap_or(&[])).unwrap_or("0");
            write!(f, "{sign}{secs}.{digits}")
        }
    }
}

/// The fraction digits of `ms` (1..=999) without trailing zeros.
fn fraction_digits(ms: u64) -> ([u8; 3], usize) {
    let digits = [
        b'0' + (ms / 100) as u8,
        b'0' + (ms / 10 % 10) as u8,
        b'0' + (ms % 10) as u8,
    ];
    let len = if ms.is_multiple_of(100) {
        1
    } else if ms.is_multiple_of(10) {
        2
    } else {
        3
    };
    (digits, len)
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.millis % 1000 == 0 {
            serializer.serialize_i64(self.millis / 1000)
        } else {
            // Exact below 2^53 ms: the f64 nearest to millis/1000 prints as the shortest
            // decimal that reads back to it, which is the three-decimal form.
            serializer.serialize_f64(self.millis as f64 / 1000.0)
        }
    }
}

struct TimestampVisitor;

impl serde::de::Visitor<'_> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("epoch seconds (a number)")
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Timestamp, E> {
        Timestamp::from_secs(v).ok_or_else(|| E::custom(OutOfRange))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Timestamp, E> {
        i64::try_from(v)
            .ok()
            .and_then(Timestamp::from_secs)
            .ok_or_else(|| E::custom(OutOfRange))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Timestamp, E> {
        Timestamp::from_secs_f64(v).ok_or_else(|| E::custom(OutOfRange))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
        Timestamp::from_text(v)
            .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(v), &self))
    }
}

/// Like [`TimestampVisitor`] but numbers only: the strict form for requests.
struct NumberOnlyVisitor;

impl serde::de::Visitor<'_> for NumberOnlyVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("epoch seconds as a JSON number")
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Timestamp, E> {
        TimestampVisitor.visit_i64(v)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Timestamp, E> {
        TimestampVisitor.visit_u64(v)
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Timestamp, E> {
        TimestampVisitor.visit_f64(v)
    }
}

impl Timestamp {
    /// Deserializes a timestamp from a JSON number only (no string forms): what a request
    /// must carry in the JSON 1.1 protocol. The generated request shapes use it; response
    /// shapes use the lenient `Deserialize` impl.
    pub fn deserialize_number<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NumberOnlyVisitor)
    }
}

/// The error text for a number of seconds whose milliseconds do not fit an `i64`.
struct OutOfRange;

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("timestamp out of range: milliseconds since the epoch overflow an i64")
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TimestampVisitor)
    }
}

#[cfg(feature = "arbitrary")]
impl<'x> arbitrary::Arbitrary<'x> for Timestamp {
    /// Whole milliseconds within `±2^52`, the range that survives a JSON round trip exactly.
    fn arbitrary(u: &mut arbitrary::Unstructured<'x>) -> arbitrary::Result<Self> {
        Ok(Timestamp::from_millis(u.int_in_range(
            -(MAX_EXACT_MILLIS - 1)..=MAX_EXACT_MILLIS - 1,
        )?))
    }
}
