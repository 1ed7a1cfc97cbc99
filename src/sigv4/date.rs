//! The request time in SigV4's basic ISO 8601 form, `YYYYMMDDTHHMMSSZ` (the `x-amz-date` header);
//! its first eight characters are the date of the credential scope (`spec/sigv4.md`, step 2).
//!
//! The crate reads no clock: the caller passes the time in, as text or as seconds since the Unix
//! epoch.

use core::fmt;

/// A request time, `YYYYMMDDTHHMMSSZ`, checked to be a real UTC calendar time.
///
/// ```
/// use kinesis_codec::sigv4::AmzDate;
/// let t = AmzDate::parse("20150830T123600Z")?;
/// assert_eq!(t.as_str(), "20150830T123600Z");
/// assert_eq!(t.date(), "20150830");
/// assert_eq!(AmzDate::from_unix_seconds(1_440_938_160)?, t);
/// # Ok::<(), kinesis_codec::sigv4::DateError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AmzDate([u8; 16]);

/// Why a request time was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DateError {
    /// The text is not `YYYYMMDDTHHMMSSZ` (16 characters, digits where digits belong).
    Format,
    /// A field is out of range (month 13, February 30, hour 24, second 60, ...).
    Range,
    /// The time is after the year 9999, which the form cannot write.
    TooLate,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DateError::Format => "the request time is not of the form YYYYMMDDTHHMMSSZ",
            DateError::Range => "the request time names no real UTC calendar time",
            DateError::TooLate => "the request time is after the year 9999",
        })
    }
}

impl core::error::Error for DateError {}

const SECONDS_PER_DAY: u64 = 86_400;
/// 9999-12-31T23:59:59Z.
const LAST_SECOND: u64 = 253_402_300_799;

impl AmzDate {
    /// Checks `text` (`YYYYMMDDTHHMMSSZ`, UTC; no leap second).
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let b: [u8; 16] = text.as_bytes().try_into().map_err(|_| DateError::Format)?;
        let [y0, y1, y2, y3, mo0, mo1, d0, d1, t, h0, h1, mi0, mi1, s0, s1, z] = b;
        if t != b'T' || z != b'Z' {
            return Err(DateError::Format);
        }
        let year = digits(&[y0, y1, y2, y3])?;
        let month = digits(&[mo0, mo1])?;
        let day = digits(&[d0, d1])?;
        let (hour, minute, second) = (digits(&[h0, h1])?, digits(&[mi0, mi1])?, digits(&[s0, s1])?);
        let valid_day = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        if !valid_day || hour > 23 || minute > 59 || second > 59 {
            return Err(DateError::Range);
        }
        Ok(AmzDate(b))
    }

    /// The time `seconds` after 1970-01-01T00:00:00Z (Unix time, no leap seconds).
    pub fn from_unix_seconds(seconds: u64) -> Result<Self, DateError> {
        if seconds > LAST_SECOND {
            return Err(DateError::TooLate);
        }
        let days = seconds / SECONDS_PER_DAY;
        let of_day = seconds % SECONDS_PER_DAY;
        let (year, month, day) = civil_from_days(days);
        let mut out = *b"00000000T000000Z";
        let fields: [(usize, u64, usize); 6] = [
            (0, year, 4),
            (4, month, 2),
            (6, day, 2),
            (9, of_day / 3600, 2),
            (11, of_day % 3600 / 60, 2),
            (13, of_day % 60, 2),
        ];
        for (start, value, width) in fields {
            let mut v = value;
            for slot in out.iter_mut().skip(start).take(width).rev() {
                // `v % 10` is a single digit.
                *slot = b'0'.saturating_add(u8::try_from(v % 10).unwrap_or(0));
                v /= 10;
            }
        }
        Ok(AmzDate(out))
    }

    /// The current time of the system clock.
    #[cfg(feature = "std")]
    pub fn now() -> Result<Self, DateError> {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|_| DateError::Range)?;
        AmzDate::from_unix_seconds(since.as_secs())
    }

    /// The whole value, `YYYYMMDDTHHMMSSZ`.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits, `T` and `Z` are ever stored.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The date of the credential scope, `YYYYMMDD`.
    pub fn date(&self) -> &str {
        self.as_str().get(..8).unwrap_or_default()
    }

    /// The date as the eight bytes `YYYYMMDD`.
    pub(crate) fn date_bytes(&self) -> [u8; 8] {
        let [a, b, c, d, e, f, g, h, ..] = self.0;
        [a, b, c, d, e, f, g, h]
    }
}

impl fmt::Debug for AmzDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AmzDate({})", self.as_str())
    }
}

impl fmt::Display for AmzDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn digits(bytes: &[u8]) -> Result<u64, DateError> {
    bytes.iter().try_fold(0u64, |acc, &b| {
        if b.is_ascii_digit() {
            // At most four digits: no overflow.
            Ok(acc
                .saturating_mul(10)
                .saturating_add(u64::from(b.saturating_sub(b'0'))))
        } else {
            Err(DateError::Format)
        }
    })
}

fn is_leap(year: u64) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days in any 400 consecutive Gregorian years (97 of them leap years).
const DAYS_PER_400_YEARS: u64 = 146_097;

/// Year, month, day of the day `days` after 1970-01-01: whole 400-year cycles, then at most 400
/// years and 12 months walked one by one.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let mut year = 1970u64.saturating_add((days / DAYS_PER_400_YEARS).saturating_mul(400));
    let mut days = days % DAYS_PER_400_YEARS;
    loop {
        let len = if is_leap(year) { 366 } else { 365 };
        if days < len {
            break;
        }
        days = days.saturating_sub(len);
        year = year.saturating_add(1);
    }
    let mut month = 1;
    loop {
        let len = days_in_month(year, month);
        if days < len || month == 12 {
            break;
        }
        days = days.saturating_sub(len);
        month = month.saturating_add(1);
    }
    (year, month, days.saturating_add(1))
}
