//! [`ShardId`]: `shardId-` followed by the 12-digit zero-padded shard index.
//!
//! CreateStream numbers shards from 0; each split or merge takes the next indexes. The service
//! also accepts other spellings that end in `-<digits>` (any prefix of the ShardId pattern's
//! characters `[a-zA-Z0-9_.-]`), so [`ShardId::parse`] does too; [`Display`](core::fmt::Display)
//! always writes the canonical form.

use core::fmt;

/// The largest index the 12-digit form can spell, 999,999,999,999.
pub const MAX_SHARD_INDEX: u64 = 999_999_999_999;

/// The ShardId member's length limit in the service model.
const MAX_SHARD_ID_LEN: usize = 128;

/// A shard id, kept as its index.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct ShardId(u64);

impl ShardId {
    /// `shardId-000000000000`, the first shard CreateStream makes.
    pub const FIRST: ShardId = ShardId(0);

    /// The shard id with this index, or `None` above [`MAX_SHARD_INDEX`].
    #[inline]
    pub const fn new(index: u64) -> Option<Self> {
        if index <= MAX_SHARD_INDEX {
            Some(ShardId(index))
        } else {
            None
        }
    }

    /// The index (the number after `shardId-`).
    #[inline]
    pub const fn index(self) -> u64 {
        self.0
    }

    /// The next shard id, as a split or merge would take it; `None` past [`MAX_SHARD_INDEX`].
    #[inline]
    pub const fn next(self) -> Option<Self> {
        match self.0.checked_add(1) {
            Some(next) => Self::new(next),
            None => None,
        }
    }

    /// Parses `shardId-000000000042`, and the other `<prefix>-<digits>` spellings the service
    /// accepts (`shardId-42`, `shard-00042`).
    pub const fn parse(text: &str) -> Result<Self, ParseShardIdError> {
        let bytes = text.as_bytes();
        let len = bytes.len();
        if len == 0 {
            return Err(ParseShardIdError::Empty);
        }
        if len > MAX_SHARD_ID_LEN {
            return Err(ParseShardIdError::TooLong { len });
        }
        // The digits follow the last dash; `i` counts positions below `len` (no saturation).
        let mut digits_at = None;
        let mut rest = bytes;
        let mut i = 0usize;
        while let [b, tail @ ..] = rest {
            let b = *b;
            if !(b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-') {
                return Err(ParseShardIdError::InvalidChar {
                    position: i,
                    byte: b,
                });
            }
            i = i.saturating_add(1);
            if b == b'-' {
                digits_at = Some(i);
            }
            rest = tail;
        }
        let Some(digits_at) = digits_at else {
            return Err(ParseShardIdError::NoIndex);
        };
        let digits = match bytes.split_at_checked(digits_at) {
            Some((_, digits)) if !digits.is_empty() => digits,
            _ => return Err(ParseShardIdError::NoIndex),
        };
        let mut index: u64 = 0;
        let mut rest = digits;
        let mut i = digits_at;
        while let [b, tail @ ..] = rest {
            let b = *b;
            if !b.is_ascii_digit() {
                return Err(ParseShardIdError::InvalidChar {
                    position: i,
                    byte: b,
                });
            }
            // `index <= MAX_SHARD_INDEX` (10^12 - 1) before this step, so the result is below
            // 10^13 and cannot saturate; an ASCII digit holds its value in its low four bits.
            index = index.saturating_mul(10).saturating_add((b & 0x0f) as u64);
            if index > MAX_SHARD_INDEX {
                return Err(ParseShardIdError::IndexTooLarge);
            }
            i = i.saturating_add(1);
            rest = tail;
        }
        Ok(ShardId(index))
    }

    /// Writes `shardId-` and the 12-digit index into `buf` and returns it as a string.
    pub fn format(self, buf: &mut [u8; 20]) -> &str {
        buf[..8].copy_from_slice(b"shardId-");
        let mut n = self.0;
        for slot in buf[8..].iter_mut().rev() {
            // A digit 0..=9 fits in the low four bits of b'0' (0x30).
            *slot = b'0' | (n % 10) as u8;
            n /= 10;
        }
        core::str::from_utf8(buf).unwrap_or_default()
    }
}

impl core::str::FromStr for ShardId {
    type Err = ParseShardIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ShardId::parse(s)
    }
}

impl fmt::Display for ShardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "shardId-{:012}", self.0)
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for ShardId {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(ShardId(u.int_in_range(0..=MAX_SHARD_INDEX)?))
    }
}

/// Why a shard id string was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum ParseShardIdError {
    /// The string is empty.
    Empty,
    /// Longer than the 128 characters the service allows.
    TooLong {
        /// Length of the string.
        len: usize,
    },
    /// A byte outside `[a-zA-Z0-9_.-]`, or a non-digit after the last `-`.
    InvalidChar {
        /// Byte offset of the offending byte.
        position: usize,
        /// The offending byte.
        byte: u8,
    },
    /// No `-<digits>` at the end.
    NoIndex,
    /// The index is above [`MAX_SHARD_INDEX`].
    IndexTooLarge,
}

impl fmt::Display for ParseShardIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ParseShardIdError::Empty => f.write_str("shard id is empty"),
            ParseShardIdError::TooLong { len } => {
                write!(
                    f,
                    "shard id has {len} characters, more than {MAX_SHARD_ID_LEN}"
                )
            }
            ParseShardIdError::InvalidChar { position, byte } => {
                write!(f, "shard id has an unexpected byte 0x{byte:02x}")?;
                if byte.is_ascii_graphic() {
                    write!(f, " ('{}')", byte as char)?;
                }
                write!(f, " at position {position}")
            }
            ParseShardIdError::NoIndex => {
                f.write_str("shard id does not end in `-<digits>` (expected shardId-000000000000)")
            }
            ParseShardIdError::IndexTooLarge => {
                write!(f, "shard index is above {MAX_SHARD_INDEX} (12 digits)")
            }
        }
    }
}

impl core::error::Error for ParseShardIdError {}
