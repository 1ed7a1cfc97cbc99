//! [`HashKey`]: the 128-bit position of a record in a stream's hash key space.
//!
//! A hash key is the MD5 digest of the partition key's UTF-8 bytes read as a big-endian `u128`,
//! or the value of an `ExplicitHashKey`. On the wire it is a decimal string matching
//! `0|([1-9]\d{0,38})` whose value is below 2^128; [`HashKey::parse`] accepts exactly that
//! grammar and [`HashKey::format`] writes it into a caller buffer, both without a heap.

use core::fmt;
use core::str::FromStr;

use md5::{Digest, Md5};

/// The most decimal digits a hash key can have on the wire (2^128 − 1 has 39).
pub const MAX_DECIMAL_LEN: usize = crate::json::number::U128_DECIMAL_LEN;

/// A position in the hash key space `0..=2^128 − 1`.
///
/// Ordering is numeric. `Display` writes the wire's decimal form.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct HashKey(u128);

impl HashKey {
    /// The smallest hash key, 0.
    pub const MIN: HashKey = HashKey(0);
    /// The largest hash key, 2^128 − 1 = 340282366920938463463374607431768211455.
    pub const MAX: HashKey = HashKey(u128::MAX);

    /// The hash key with this numeric value.
    #[inline]
    pub const fn new(value: u128) -> Self {
        HashKey(value)
    }

    /// The numeric value.
    #[inline]
    pub const fn get(self) -> u128 {
        self.0
    }

    /// The hash key of a partition key: MD5 of its UTF-8 bytes, big-endian.
    ///
    /// The service requires partition keys of 1 to 256 characters; this function hashes any
    /// string, so callers that enforce the limit do it themselves.
    #[inline]
    pub fn from_partition_key(partition_key: &str) -> Self {
        Self::from_partition_key_bytes(partition_key.as_bytes())
    }

    /// The hash key of raw partition key bytes (MD5, big-endian). Useful when the key arrives as
    /// bytes already known to be UTF-8.
    #[inline]
    pub fn from_partition_key_bytes(bytes: &[u8]) -> Self {
        let digest: [u8; 16] = Md5::digest(bytes).into();
        HashKey(u128::from_be_bytes(digest))
    }

    /// Parses the wire's decimal form strictly: `0|([1-9]\d{0,38})`, value below 2^128.
    ///
    /// Signs, spaces, leading zeros and values of 2^128 or more are refused with an error that
    /// says where and why.
    pub const fn parse(text: &str) -> Result<Self, ParseHashKeyError> {
        Self::parse_bytes(text.as_bytes())
    }

    /// [`HashKey::parse`] over bytes (for input not yet known to be UTF-8).
    pub const fn parse_bytes(text: &[u8]) -> Result<Self, ParseHashKeyError> {
        let len = text.len();
        if len == 0 {
            return Err(ParseHashKeyError::Empty);
        }
        // First the characters: a non-digit anywhere is the most useful thing to report.
        let mut rest = text;
        let mut position = 0usize;
        while let [byte, tail @ ..] = rest {
            if !byte.is_ascii_digit() {
                return Err(ParseHashKeyError::InvalidDigit {
                    position,
                    byte: *byte,
                });
            }
            // Below `len`: cannot saturate.
            position = position.saturating_add(1);
            rest = tail;
        }
        if let [b'0', _, ..] = text {
            return Err(ParseHashKeyError::LeadingZero { len });
        }
        if len > MAX_DECIMAL_LEN {
            return Err(ParseHashKeyError::TooLong { len });
        }
        let mut value: u128 = 0;
        let mut rest = text;
        while let [byte, tail @ ..] = rest {
            rest = tail;
            // An ASCII digit (checked above) holds its value in its low four bits.
            let digit = (*byte & 0x0f) as u128;
            value = match value.checked_mul(10) {
                Some(v) => match v.checked_add(digit) {
                    Some(v) => v,
                    None => return Err(ParseHashKeyError::OutOfRange),
                },
                None => return Err(ParseHashKeyError::OutOfRange),
            };
        }
        Ok(HashKey(value))
    }

    /// Writes the decimal form into `buf` and returns it as a string slice of `buf`.
    ///
    /// ```
    /// use kinesis_codec::hashkey::{HashKey, MAX_DECIMAL_LEN};
    /// let mut buf = [0u8; MAX_DECIMAL_LEN];
    /// assert_eq!(HashKey::MAX.format(&mut buf), "340282366920938463463374607431768211455");
    /// assert_eq!(HashKey::new(0).format(&mut buf), "0");
    /// ```
    pub fn format(self, buf: &mut [u8; MAX_DECIMAL_LEN]) -> &str {
        crate::json::number::u128_decimal(self.0, buf)
    }
}

impl From<u128> for HashKey {
    fn from(value: u128) -> Self {
        HashKey(value)
    }
}

impl From<HashKey> for u128 {
    fn from(key: HashKey) -> Self {
        key.0
    }
}

impl FromStr for HashKey {
    type Err = ParseHashKeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HashKey::parse(s)
    }
}

impl fmt::Display for HashKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; MAX_DECIMAL_LEN];
        f.pad_integral(true, "", self.format(&mut buf))
    }
}

/// Why a decimal hash key string was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum ParseHashKeyError {
    /// The string is empty.
    Empty,
    /// The byte at `position` is not an ASCII digit (a sign, a space, a letter, ...).
    InvalidDigit {
        /// Byte offset of the first offending byte.
        position: usize,
        /// The offending byte (for non-ASCII text, the first byte of its UTF-8 sequence).
        byte: u8,
    },
    /// More than one digit and the first is `0`.
    LeadingZero {
        /// Length of the string.
        len: usize,
    },
    /// More than 39 digits.
    TooLong {
        /// Length of the string.
        len: usize,
    },
    /// 39 digits whose value is 2^128 or more.
    OutOfRange,
}

impl fmt::Display for ParseHashKeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ParseHashKeyError::Empty => f.write_str("hash key is empty"),
            ParseHashKeyError::InvalidDigit { position, byte } => {
                write!(f, "hash key has a non-digit byte 0x{byte:02x}")?;
                if byte.is_ascii_graphic() {
                    write!(f, " ('{}')", byte as char)?;
                }
                write!(f, " at position {position}")
            }
            ParseHashKeyError::LeadingZero { len } => {
                write!(f, "hash key of {len} digits starts with 0 (leading zeros are not allowed)")
            }
            ParseHashKeyError::TooLong { len } => {
                write!(f, "hash key has {len} digits, more than the {MAX_DECIMAL_LEN} allowed")
            }
            ParseHashKeyError::OutOfRange => f.write_str(
                "hash key is 2^128 or more (the largest is 340282366920938463463374607431768211455)",
            ),
        }
    }
}

impl core::error::Error for ParseHashKeyError {}
