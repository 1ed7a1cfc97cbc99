//! Reading the text forms of a timestamp: decimal epoch seconds, ISO 8601 and RFC 822, with
//! every calendar field, zone offset and sum checked (no arithmetic can overflow or wrap).
//!
//! Each parser answers [`TimestampError::Syntax`] when the text is not its form, so the caller
//! can try the next form; any other error means the text *is* that form but names an
//! impossible or unrepresentable instant.

use super::TimestampError;

type Result<T> = core::result::Result<T, TimestampError>;

/// Milliseconds per second, minute, hour, day.
const MS_PER_SEC: i64 = 1000;
const SECS_PER_MIN: i64 = 60;
const SECS_PER_HOUR: i64 = 3_600;
const SECS_PER_DAY: i64 = 86_400;

/// Days in 400 Gregorian years, and from 0000-03-01 to 1970-01-01.
const DAYS_PER_ERA: i64 = 146_097;
const EPOCH_SHIFT: i64 = 719_468;

/// Whether `year` is a Gregorian leap year (proleptic, so 1900 is not and 2000 is).
fn is_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

/// The number of days of `month` (1..=12) in `year`.
fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the era-based method: 400-year eras
/// of 146,097 days, years starting in March so that the leap day is last), every step
/// checked: a year far beyond the `i64` millisecond range is [`TimestampError::OutOfRange`].
fn days_from_civil(year: i64, month: i64, day: i64) -> Option<i64> {
    let y = if month <= 2 {
        year.checked_sub(1)?
    } else {
        year
    };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400); // 0..=399
                                 // Month counted from March: 0..=11 (the `% 12` of a value in 10..=21).
    let mp = month.checked_add(9)?.rem_euclid(12);
    let doy = mp
        .checked_mul(153)?
        .checked_add(2)?
        .checked_div(5)?
        .checked_add(day)?
        .checked_sub(1)?;
    let doe = yoe
        .checked_mul(365)?
        .checked_add(yoe.checked_div(4)?)?
        .checked_sub(yoe.checked_div(100)?)?
        .checked_add(doy)?;
    era.checked_mul(DAYS_PER_ERA)?
        .checked_add(doe)?
        .checked_sub(EPOCH_SHIFT)
}

/// A calendar date and time of day, as read (not yet checked).
struct Civil {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    millis: i64,
}

impl Civil {
    /// Milliseconds since the epoch, checking that the date exists (31 February does not) and
    /// the time of day is in range (a leap second `:60` is accepted, as botocore does).
    fn to_millis(&self) -> Result<i64> {
        let Civil {
            year,
            month,
            day,
            hour,
            minute,
            second,
            millis,
        } = *self;
        if !(1..=12).contains(&month)
            || !(1..=days_in_month(year, month)).contains(&day)
            || !(0..=23).contains(&hour)
            || !(0..=59).contains(&minute)
            || !(0..=60).contains(&second)
            || !(0..=999).contains(&millis)
        {
            return Err(TimestampError::InvalidDate);
        }
        let secs = days_from_civil(year, month, day)
            .and_then(|days| days.checked_mul(SECS_PER_DAY))
            .and_then(|s| s.checked_add(hour.checked_mul(SECS_PER_HOUR)?))
            .and_then(|s| s.checked_add(minute.checked_mul(SECS_PER_MIN)?))
            .and_then(|s| s.checked_add(second));
        secs.and_then(|s| s.checked_mul(MS_PER_SEC)?.checked_add(millis))
            .ok_or(TimestampError::OutOfRange)
    }
}

/// A fixed-width decimal field (ASCII digits only, so no sign and no `+`).
fn digits(text: &str, range: core::ops::Range<usize>) -> Result<i64> {
    let field = text.get(range).ok_or(TimestampError::Syntax)?;
    if field.is_empty() || !field.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TimestampError::Syntax);
    }
    field.parse().map_err(|_| TimestampError::Syntax)
}

/// The value of an ASCII digit.
fn digit(b: u8) -> Option<u8> {
    b.checked_sub(b'0').filter(|d| *d <= 9)
}

/// `YYYY-MM-DDTHH:MM:SS[.fff...][Z|+HH:MM|-HH:MM|+HHMM|+HH]`.
pub(super) fn parse_iso8601(text: &str) -> Result<i64> {
    let bytes = text.as_bytes();
    let separators_ok = bytes.get(4) == Some(&b'-')
        && bytes.get(7) == Some(&b'-')
        && matches!(bytes.get(10), Some(b'T' | b't' | b' '))
        && bytes.get(13) == Some(&b':')
        && bytes.get(16) == Some(&b':');
    if !separators_ok {
        return Err(TimestampError::Syntax);
    }
    let mut civil = Civil {
        year: digits(text, 0..4)?,
        month: digits(text, 5..7)?,
        day: digits(text, 8..10)?,
        hour: digits(text, 11..13)?,
        minute: digits(text, 14..16)?,
        second: digits(text, 17..19)?,
        millis: 0,
    };
    let mut rest = text.get(19..).ok_or(TimestampError::Syntax)?;
    if let Some(fraction) = rest.strip_prefix('.') {
        let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return Err(TimestampError::Syntax);
        }
        // The first three digits, padded with zeros: finer digits are truncated.
        let mut ms: i64 = 0;
        for b in fraction.bytes().chain(*b"000").take(3) {
            let d = digit(b).unwrap_or(0);
            ms = ms
                .checked_mul(10)
                .and_then(|m| m.checked_add(i64::from(d)))
                .ok_or(TimestampError::Syntax)?;
        }
        civil.millis = ms;
        rest = fraction.get(len..).ok_or(TimestampError::Syntax)?;
    }
    let offset_minutes = zone_offset_minutes(rest)?;
    let millis = civil.to_millis()?;
    offset_minutes
        .checked_mul(SECS_PER_MIN * MS_PER_SEC)
        .and_then(|offset| millis.checked_sub(offset))
        .ok_or(TimestampError::OutOfRange)
}

/// The zone designator after the time: `""`, `Z`, `±HH:MM`, `±HHMM` or `±HH`, as signed
/// minutes. An offset must be a real one: hours `00..=23`, minutes `00..=59` (ISO 8601 and RFC
/// 3339 zone offsets never exceed ±23:59).
fn zone_offset_minutes(zone: &str) -> Result<i64> {
    let (sign, rest) = match zone.as_bytes().first() {
        None => return Ok(0),
        Some(b'Z' | b'z') if zone.len() == 1 => return Ok(0),
        Some(b'+') => (1, zone.get(1..)),
        Some(b'-') => (-1, zone.get(1..)),
        Some(_) => return Err(TimestampError::Syntax),
    };
    let rest = rest.ok_or(TimestampError::Syntax)?;
    let (hours, minutes) = match rest.len() {
        5 if rest.as_bytes().get(2) == Some(&b':') => (digits(rest, 0..2)?, digits(rest, 3..5)?),
        4 => (digits(rest, 0..2)?, digits(rest, 2..4)?),
        2 => (digits(rest, 0..2)?, 0),
        _ => return Err(TimestampError::Syntax),
    };
    if hours > 23 || minutes > 59 {
        return Err(TimestampError::InvalidOffset);
    }
    // Both fields are two digits: at most 23 * 60 + 59.
    hours
        .checked_mul(60)
        .and_then(|m| m.checked_add(minutes))
        .and_then(|m| m.checked_mul(sign))
        .ok_or(TimestampError::InvalidOffset)
}

/// `Wed, 02 Sep 2015 17:36:50 GMT` (the weekday is optional and not checked).
pub(super) fn parse_rfc822(text: &str) -> Result<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let text = match text.split_once(", ") {
        Some((_, rest)) => rest,
        None => text,
    };
    let mut parts = text.split_ascii_whitespace();
    let (Some(day), Some(month), Some(year), Some(time), Some(zone), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(TimestampError::Syntax);
    };
    if !matches!(zone, "GMT" | "UTC" | "Z" | "+0000") {
        return Err(TimestampError::Syntax);
    }
    let month = (1..)
        .zip(MONTHS)
        .find_map(|(number, name)| name.eq_ignore_ascii_case(month).then_some(number))
        .ok_or(TimestampError::Syntax)?;
    let time_ok = time.len() == 8
        && time.as_bytes().get(2) == Some(&b':')
        && time.as_bytes().get(5) == Some(&b':');
    if !time_ok {
        return Err(TimestampError::Syntax);
    }
    let day = decimal_i64(day)?;
    let year = decimal_i64(year)?;
    Civil {
        year,
        month,
        day,
        hour: digits(time, 0..2)?,
        minute: digits(time, 3..5)?,
        second: digits(time, 6..8)?,
        millis: 0,
    }
    .to_millis()
}

/// A free-width decimal integer (day or year of RFC 822): a number too large for an `i64` is
/// out of range, not a syntax error.
fn decimal_i64(text: &str) -> Result<i64> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TimestampError::Syntax);
    }
    text.parse().map_err(|_| TimestampError::OutOfRange)
}

/// Exact decimal parse of epoch seconds to milliseconds, rounding half away from zero.
pub(super) fn parse_decimal_seconds(text: &str) -> Result<i64> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)),
        Some(b'+') => (false, text.get(1..)),
        _ => (false, Some(text)),
    };
    let rest = rest.ok_or(TimestampError::Syntax)?;
    let (number, exponent) = match rest.split_once(['e', 'E']) {
        Some((number, exponent)) => (number, parse_exponent(exponent)?),
        None => (rest, 0),
    };
    let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(TimestampError::Syntax);
    }
    // All digits as one integer; `frac_len` of them after the decimal point.
    let mut digits: u128 = 0;
    let mut significant = 0u32;
    let mut dropped_scale = 0i64;
    for byte in int_part.bytes().chain(frac_part.bytes()) {
        let d = digit(byte).ok_or(TimestampError::Syntax)?;
        if significant < 36 {
            // Below 10^36 < 2^120 before this step: no overflow.
            digits = digits
                .checked_mul(10)
                .and_then(|x| x.checked_add(u128::from(d)))
                .ok_or(TimestampError::OutOfRange)?;
            if digits != 0 {
                significant = significant.saturating_add(1);
            }
        } else {
            // Beyond 36 significant digits the value is far outside the i64 range or the
            // digits are far below a millisecond; keep the magnitude only.
            dropped_scale = dropped_scale.saturating_add(1);
        }
    }
    let frac_len = i64::try_from(frac_part.len()).map_err(|_| TimestampError::OutOfRange)?;
    // value = digits * 10^(exponent - frac_len + dropped_scale) seconds; millis: +3. All terms
    // are far below i64::MAX / 4 (lengths of a slice, an i32 exponent).
    let shift = exponent
        .saturating_sub(frac_len)
        .saturating_add(dropped_scale)
        .saturating_add(3);
    let millis: u128 = if digits == 0 {
        0
    } else if shift >= 0 {
        u32::try_from(shift)
            .ok()
            .and_then(|s| 10u128.checked_pow(s))
            .and_then(|pow| digits.checked_mul(pow))
            .ok_or(TimestampError::OutOfRange)?
    } else {
        // Round half away from zero: (digits + pow/2) / pow; below 10^36 + 10^38 / 2 < 2^128.
        match u32::try_from(shift.unsigned_abs())
            .ok()
            .and_then(|s| 10u128.checked_pow(s))
        {
            Some(pow) => digits
                .checked_add(pow / 2)
                .and_then(|x| x.checked_div(pow))
                .ok_or(TimestampError::OutOfRange)?,
            None => 0,
        }
    };
    let millis = i64::try_from(millis).map_err(|_| TimestampError::OutOfRange)?;
    // `millis` is non-negative, so its negation exists.
    Ok(if negative {
        millis.checked_neg().unwrap_or(i64::MIN)
    } else {
        millis
    })
}

/// The exponent of a decimal (`+09`, `-3`): a syntax error unless it is an optionally signed
/// run of digits; a huge one saturates (the value is then 0 or out of range).
fn parse_exponent(text: &str) -> Result<i64> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)),
        Some(b'+') => (false, text.get(1..)),
        _ => (false, Some(text)),
    };
    let digits = digits
        .filter(|d| !d.is_empty())
        .ok_or(TimestampError::Syntax)?;
    let mut value: i64 = 0;
    for b in digits.bytes() {
        let d = digit(b).ok_or(TimestampError::Syntax)?;
        // Saturate at 10^12: far beyond any shift that leaves a value in range.
        value = value
            .saturating_mul(10)
            .saturating_add(i64::from(d))
            .min(1_000_000_000_000);
    }
    Ok(if negative {
        value.saturating_neg()
    } else {
        value
    })
}
