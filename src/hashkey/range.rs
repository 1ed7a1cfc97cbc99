//! [`HashKeyRange`]: a shard's inclusive span of hash keys.
//!
//! Both ends are inclusive on the wire (`StartingHashKey`, `EndingHashKey`), so the whole space
//! `0..=2^128 − 1` is one range, and a range always holds at least one key.

use core::fmt;

use super::key::{HashKey, ParseHashKeyError};

/// An inclusive range of hash keys, `start <= end` (guaranteed by construction).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct HashKeyRange {
    start: HashKey,
    end: HashKey,
}

impl HashKeyRange {
    /// The whole hash key space, `0..=2^128 − 1`.
    pub const FULL: HashKeyRange = HashKeyRange {
        start: HashKey::MIN,
        end: HashKey::MAX,
    };

    /// The range `start..=end`, or an error if `start > end`.
    pub const fn new(start: HashKey, end: HashKey) -> Result<Self, RangeError> {
        if start.get() > end.get() {
            Err(RangeError::Inverted { start, end })
        } else {
            Ok(HashKeyRange { start, end })
        }
    }

    /// Parses the wire's `StartingHashKey` and `EndingHashKey` strings.
    pub const fn parse(start: &str, end: &str) -> Result<Self, RangeError> {
        let start = match HashKey::parse(start) {
            Ok(k) => k,
            Err(e) => return Err(RangeError::Start(e)),
        };
        let end = match HashKey::parse(end) {
            Ok(k) => k,
            Err(e) => return Err(RangeError::End(e)),
        };
        Self::new(start, end)
    }

    /// The first key of the range (`StartingHashKey`).
    #[inline]
    pub const fn start(self) -> HashKey {
        self.start
    }

    /// The last key of the range, inclusive (`EndingHashKey`).
    #[inline]
    pub const fn end(self) -> HashKey {
        self.end
    }

    /// Whether `key` lies in the range (both ends inclusive).
    #[inline]
    pub const fn contains(self, key: HashKey) -> bool {
        self.start.get() <= key.get() && key.get() <= self.end.get()
    }

    /// The number of keys in the range minus one (`end − start`); the full space has
    /// 2^128 keys, which a `u128` cannot hold.
    #[inline]
    pub const fn span(self) -> u128 {
        // start <= end in every range (checked by `new`): cannot saturate.
        self.end.get().saturating_sub(self.start.get())
    }

    /// Whether `next` starts right after this range ends (`self.end + 1 == next.start`), the
    /// condition MergeShards requires, in this order.
    #[inline]
    pub const fn is_followed_by(self, next: HashKeyRange) -> bool {
        match self.end.get().checked_add(1) {
            Some(after) => after == next.start.get(),
            None => false,
        }
    }

    /// Splits at `key` by the service's SplitShard rule `start + 1 < key < end`: the halves are
    /// `start..=key − 1` and `key..=end`, each at least two keys. `None` if the rule fails.
    pub const fn split_at(self, key: HashKey) -> Option<(HashKeyRange, HashKeyRange)> {
        let k = key.get();
        // start + 1 < k, written so that it cannot overflow.
        // (`k > start` first, so neither subtraction below can saturate.)
        if k > self.start.get() && k.saturating_sub(self.start.get()) > 1 && k < self.end.get() {
            Some((
                HashKeyRange {
                    start: self.start,
                    end: HashKey::new(k.saturating_sub(1)),
                },
                HashKeyRange {
                    start: key,
                    end: self.end,
                },
            ))
        } else {
            None
        }
    }

    /// Joins this range with the one right after it (see [`is_followed_by`](Self::is_followed_by)).
    pub const fn merge(self, next: HashKeyRange) -> Option<HashKeyRange> {
        if self.is_followed_by(next) {
            Some(HashKeyRange {
                start: self.start,
                end: next.end,
            })
        } else {
            None
        }
    }
}

impl fmt::Display for HashKeyRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..={}", self.start, self.end)
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for HashKeyRange {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let a = HashKey::arbitrary(u)?;
        let b = HashKey::arbitrary(u)?;
        Ok(HashKeyRange {
            start: a.min(b),
            end: a.max(b),
        })
    }
}

/// Why a [`HashKeyRange`] could not be made.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum RangeError {
    /// The start is greater than the end.
    Inverted {
        /// The starting hash key given.
        start: HashKey,
        /// The ending hash key given.
        end: HashKey,
    },
    /// The `StartingHashKey` string is not a valid hash key.
    Start(ParseHashKeyError),
    /// The `EndingHashKey` string is not a valid hash key.
    End(ParseHashKeyError),
}

impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RangeError::Inverted { start, end } => write!(
                f,
                "hash key range is inverted: StartingHashKey {start} is greater than EndingHashKey {end}"
            ),
            RangeError::Start(e) => write!(f, "StartingHashKey: {e}"),
            RangeError::End(e) => write!(f, "EndingHashKey: {e}"),
        }
    }
}

impl core::error::Error for RangeError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            RangeError::Start(e) | RangeError::End(e) => Some(e),
            RangeError::Inverted { .. } => None,
        }
    }
}
