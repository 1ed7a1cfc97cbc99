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

use core::fmt;

mod text;

/// A point in time, in whole milliseconds since the Unix epoch (may be negative).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    millis: i64,
}

/// The largest `|millis|` for which a write and a read give back the same value (2^52), for
/// a value with a millisecond fraction; whole seconds are written exactly over the whole range.
/// The reader accepts nothing it could not write back: a fraction beyond this is out of range.
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
    #[allow(
        clippy::cast_possible_truncation,
        reason = "rem_euclid(1000) is in 0..1000, which a u16 holds"
    )]
    pub const fn subsec_millis(&self) -> u16 {
        self.millis.rem_euclid(1000) as u16
    }

    /// Whether the writer writes this value back exactly: whole seconds always (written as
    /// an integer), others when `|millis| <= MAX_EXACT_MILLIS` (written as an `f64`).
    pub const fn is_exact_on_the_wire(&self) -> bool {
        self.millis % 1000 == 0 || self.millis.unsigned_abs() <= MAX_EXACT_MILLIS.unsigned_abs()
    }

    /// `millis` as a timestamp the writer writes back exactly, else `OutOfRange`.
    fn exact(millis: i64) -> Result<Self, TimestampError> {
        let t = Timestamp { millis };
        if t.is_exact_on_the_wire() {
            Ok(t)
        } else {
            Err(TimestampError::OutOfRange)
        }
    }

    /// Reads an `f64` number of seconds (see the module docs for exactness); `None` for NaN,
    /// infinities and values the writer could not write back exactly.
    pub fn from_secs_f64(secs: f64) -> Option<Self> {
        // 9.2e15 s * 1000 is about i64::MAX; anything larger (or NaN) is out of range.
        if secs.is_nan() || secs.abs() >= 9.2e15 {
            return None;
        }
        // `as` truncates toward zero; step down to the floor (`f64::floor` needs std).
        #[allow(
            clippy::cast_possible_truncation,
            reason = "below 9.2e15 in magnitude (checked above), which an i64 holds"
        )]
        let toward_zero = secs as i64;
        #[allow(
            clippy::cast_precision_loss,
            reason = "a whole number below 9.2e15 < 2^53 is exact in an f64"
        )]
        let whole = if (toward_zero as f64) > secs {
            toward_zero.saturating_sub(1)
        } else {
            toward_zero
        };
        // Exact: `secs` and `whole` are within 1 of each other; fraction in [0, 1).
        #[allow(clippy::cast_precision_loss, reason = "as above")]
        let fraction = secs - whole as f64;
        // +0.5 then truncation is round-half-up of the millisecond: 0..=1000.
        #[allow(
            clippy::cast_possible_truncation,
            reason = "fraction * 1000 + 0.5 is in [0.5, 1000.5), which an i64 holds"
        )]
        let frac_millis = (fraction * 1000.0 + 0.5) as i64;
        let millis = whole.checked_mul(1000)?.checked_add(frac_millis)?;
        Self::exact(millis).ok()
    }

    /// Reads decimal seconds from text (`-12.5`, `1.441215410867E9`) exactly.
    pub fn from_secs_str(text: &str) -> Option<Self> {
        text::parse_decimal_seconds(text.trim())
            .and_then(Self::exact)
            .ok()
    }

    /// Reads a timestamp string as botocore does: decimal epoch seconds, ISO 8601
    /// (`2015-09-02T17:36:50.867Z`, `2015-09-02T19:36:50+02:00`; no zone = UTC) or RFC 822 in
    /// GMT (`Wed, 02 Sep 2015 17:36:50 GMT`). Fractions finer than a millisecond are truncated
    /// for the date forms. See [`parse_text`](Self::parse_text) for why a text is refused.
    pub fn from_text(text: &str) -> Option<Self> {
        Self::parse_text(text).ok()
    }

    /// [`from_text`](Self::from_text) with the reason for a refusal.
    ///
    /// ```
    /// use kinesis_codec::timestamp::{Timestamp, TimestampError};
    ///
    /// let t = Timestamp::parse_text("2016-02-29T00:00:00Z").unwrap();
    /// assert_eq!(t.as_millis(), 1_456_704_000_000);
    /// assert_eq!(Timestamp::parse_text("2015-02-29T00:00:00Z"), Err(TimestampError::InvalidDate));
    /// assert_eq!(Timestamp::parse_text("2015-09-02T17:36:50+24:00"), Err(TimestampError::InvalidOffset));
    /// assert_eq!(
    ///     Timestamp::parse_text("02 Sep 9223372036854775807 17:36:50 GMT"),
    ///     Err(TimestampError::OutOfRange)
    /// );
    /// assert_eq!(Timestamp::parse_text("yesterday"), Err(TimestampError::Syntax));
    /// ```
    pub fn parse_text(text: &str) -> Result<Self, TimestampError> {
        let text = text.trim();
        // Each form answers `Syntax` when the text is not that form; anything else is final.
        let millis = match text::parse_decimal_seconds(text) {
            Err(TimestampError::Syntax) => match text::parse_iso8601(text) {
                Err(TimestampError::Syntax) => text::parse_rfc822(text),
                other => other,
            },
            other => other,
        }?;
        Self::exact(millis)
    }
}

/// Why a timestamp was refused.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampError {
    /// The text is none of the accepted forms.
    Syntax,
    /// The instant is outside what the crate reads and writes back exactly: its milliseconds
    /// overflow an `i64`, or it has a millisecond fraction and `|millis| > MAX_EXACT_MILLIS`.
    OutOfRange,
    /// A calendar date or time of day that does not exist: month 13, 31 February, 29 February
    /// of a common year, hour 24.
    InvalidDate,
    /// A zone offset beyond ±23:59, or with minutes above 59.
    InvalidOffset,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimestampError::Syntax => "not a timestamp (epoch seconds, ISO 8601 or RFC 822 in GMT)",
            TimestampError::OutOfRange => "timestamp out of range",
            TimestampError::InvalidDate => "no such date or time of day",
            TimestampError::InvalidOffset => "zone offset beyond ±23:59",
        })
    }
}

impl core::error::Error for TimestampError {}

impl fmt::Display for Timestamp {
    /// Epoch seconds with the millisecond fraction, as written on the wire.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.millis < 0 { "-" } else { "" };
        let abs = self.millis.unsigned_abs();
        let (secs, ms) = (abs / 1000, abs % 1000);
        // The fraction without trailing zeros.
        if ms == 0 {
            write!(f, "{sign}{secs}")
        } else if ms % 100 == 0 {
            write!(f, "{sign}{secs}.{}", ms / 100)
        } else if ms % 10 == 0 {
            write!(f, "{sign}{secs}.{:02}", ms / 10)
        } else {
            write!(f, "{sign}{secs}.{ms:03}")
        }
    }
}

/// The private name a timestamp serializes and deserializes under (a newtype struct): JSON
/// serializers write the number inside as they always did; the crate's CBOR writer and reader
/// know the name and use the CBOR form (tag 1 + epoch milliseconds, `spec/cbor.md`).
pub(crate) const TIMESTAMP_TOKEN: &str = "$kinesis_codec::private::Timestamp";

impl serde::Serialize for Timestamp {
    /// Epoch seconds for human-readable serializers (JSON); integer epoch milliseconds for the
    /// others (the CBOR writer tags them with 1). Either way inside a newtype struct with a
    /// private name, which JSON serializers see through.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(TIMESTAMP_TOKEN, &Inner(*self))
    }
}

/// A timestamp inside its newtype struct.
struct Inner(Timestamp);

impl serde::Serialize for Inner {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let millis = self.0.millis;
        if !serializer.is_human_readable() {
            serializer.serialize_i64(millis)
        } else if millis % 1000 == 0 {
            serializer.serialize_i64(millis / 1000)
        } else {
            // Exact up to 2^52 ms (`is_exact_on_the_wire`, all the reader accepts): the f64
            // nearest to millis/1000 prints as the shortest decimal that reads back to it,
            // which is the three-decimal form. Beyond, only a `from_millis` value, the nearest
            // f64 is written: the best a JSON number through serde can carry.
            #[allow(
                clippy::cast_precision_loss,
                reason = "exact up to 2^52 ms; beyond, the nearest f64 is the documented result"
            )]
            let millis = millis as f64;
            serializer.serialize_f64(millis / 1000.0)
        }
    }
}

struct TimestampVisitor;

impl<'de> serde::de::Visitor<'de> for TimestampVisitor {
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

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> Result<Timestamp, D::Error> {
        token_content(self, d)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
        Timestamp::parse_text(v).map_err(|error| {
            E::custom(format_args!(
                "invalid timestamp {}: {error}",
                crate::quote::Quoted(v)
            ))
        })
    }
}

/// The content of a `TIMESTAMP_TOKEN` newtype: the number itself from a JSON reader (read by
/// `visitor`), epoch milliseconds from a binary one (CBOR), for either visitor.
fn token_content<'de, V, D>(visitor: V, d: D) -> Result<Timestamp, D::Error>
where
    V: serde::de::Visitor<'de, Value = Timestamp>,
    D: serde::Deserializer<'de>,
{
    if d.is_human_readable() {
        d.deserialize_any(visitor)
    } else {
        d.deserialize_i64(MillisVisitor)
    }
}

/// Like [`TimestampVisitor`] but numbers only: the strict form for requests.
struct NumberOnlyVisitor;

impl<'de> serde::de::Visitor<'de> for NumberOnlyVisitor {
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

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> Result<Timestamp, D::Error> {
        token_content(self, d)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
        Err(E::custom(format_args!(
            "invalid type: string {}, expected epoch seconds as a JSON number",
            crate::quote::Quoted(v)
        )))
    }
}

impl Timestamp {
    /// Deserializes a timestamp from a JSON number only (no string forms): what a request
    /// must carry in the JSON 1.1 protocol. The generated request shapes use it; response
    /// shapes use the lenient `Deserialize` impl.
    pub fn deserialize_number<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(TIMESTAMP_TOKEN, NumberOnlyVisitor)
    }
}

/// Epoch milliseconds, from a format that is not human-readable (CBOR: its reader has already
/// applied the protocol's rules, `spec/cbor.md`).
struct MillisVisitor;

impl serde::de::Visitor<'_> for MillisVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("epoch milliseconds")
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Timestamp, E> {
        Ok(Timestamp::from_millis(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Timestamp, E> {
        i64::try_from(v)
            .map(Timestamp::from_millis)
            .map_err(|_| E::custom(OutOfRange))
    }
}

/// The error text for a number of seconds outside what the crate reads and writes exactly.
struct OutOfRange;

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "timestamp out of range: milliseconds since the epoch overflow an i64, \
             or a millisecond fraction beyond 2^52 ms",
        )
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(TIMESTAMP_TOKEN, TimestampVisitor)
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
