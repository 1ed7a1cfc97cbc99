//! [`ShardMap`]: find the open shard for a hash key, over the caller's slice of shards.
//!
//! Building a map checks, once, what a consumer such as the KCL checks: the open shards cover
//! `0..=2^128 − 1` exactly once, with no gap and no overlap. Errors name the shards and keys
//! involved. Lookups then cannot fail.
//!
//! The open shards sit in one slice sorted by starting key. A lookup first guesses the index
//! from the key's top 64 bits (exact for the CreateStream layouts and near for maps reshaped by
//! splits and merges), then gallops from the guess and finishes with a branch-free binary
//! search, so it costs O(1) on even layouts and O(log n) at worst.
//!
//! ```
//! use kinesis_codec::hashkey::{HashKey, Layout, Shard, ShardMap};
//!
//! // Three shards as CreateStream makes them.
//! let shards: [Shard; 3] = core::array::from_fn(|i| Layout::Aws.shard(3, i as u32).unwrap());
//! let map = ShardMap::new(&shards).unwrap();
//! assert_eq!(map.find(HashKey::from_partition_key("a")).id.to_string(), "shardId-000000000000");
//! assert_eq!(map.find(HashKey::MAX).id.index(), 2);
//! ```

use core::fmt;

use super::key::HashKey;
use super::range::HashKeyRange;
use super::shard_id::ShardId;

/// One shard as a map sees it: its id, its range, and whether it is open (takes new records).
///
/// Closed shards (those with an `EndingSequenceNumber`) keep their range for history.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Shard {
    /// The shard's id.
    pub id: ShardId,
    /// The shard's inclusive hash key range.
    pub range: HashKeyRange,
    /// `true` while the shard takes new records; `false` once split or merged.
    pub open: bool,
}

impl Shard {
    /// An open shard.
    #[inline]
    pub const fn open(id: ShardId, range: HashKeyRange) -> Self {
        Shard {
            id,
            range,
            open: true,
        }
    }

    /// A closed shard.
    #[inline]
    pub const fn closed(id: ShardId, range: HashKeyRange) -> Self {
        Shard {
            id,
            range,
            open: false,
        }
    }
}

/// A checked shard map: the open shards, sorted by starting key, covering the hash key space
/// exactly once. Borrowed from the caller; no heap.
#[derive(Clone, Copy, Debug)]
pub struct ShardMap<'a> {
    open: &'a [Shard],
    all: &'a [Shard],
}

impl<'a> ShardMap<'a> {
    /// Checks a slice holding only the open shards, sorted by starting key, and makes a map of
    /// it. One pass, no reordering.
    pub fn new(open_shards: &'a [Shard]) -> Result<Self, MapError> {
        check_open_sorted(open_shards, true)?;
        Ok(ShardMap {
            open: open_shards,
            all: open_shards,
        })
    }

    /// Makes a map from any list of shards, open and closed, in any order: reorders the slice
    /// in place (open shards first, by starting key; then closed shards, by starting key and
    /// id) without a heap, then checks the open ones.
    pub fn from_shards(shards: &'a mut [Shard]) -> Result<Self, MapError> {
        shards.sort_unstable_by_key(|s| (!s.open, s.range.start(), s.id));
        let open_len = shards.partition_point(|s| s.open);
        let shards: &'a [Shard] = shards;
        let (open, _) = shards.split_at(open_len);
        check_open_sorted(open, false)?;
        Ok(ShardMap { open, all: shards })
    }

    /// A map over slices already checked (by the owned map, which keeps them valid).
    #[cfg(feature = "alloc")]
    #[inline]
    pub(crate) fn from_checked(open: &'a [Shard], all: &'a [Shard]) -> Self {
        ShardMap { open, all }
    }

    /// The open shards, sorted by starting key.
    #[inline]
    pub fn open_shards(&self) -> &'a [Shard] {
        self.open
    }

    /// Every shard the map was made from (for [`from_shards`](Self::from_shards): open ones
    /// first, then closed ones).
    #[inline]
    pub fn shards(&self) -> &'a [Shard] {
        self.all
    }

    /// The position in [`open_shards`](Self::open_shards) of the open shard holding `key`.
    #[inline]
    pub fn find_index(&self, key: HashKey) -> usize {
        locate(self.open, key.get())
    }

    /// The open shard holding `key`.
    #[inline]
    pub fn find(&self, key: HashKey) -> &'a Shard {
        let i = self.find_index(key);
        // `locate` returns an index below the length, and a checked map is never empty.
        match self.open.get(i) {
            Some(shard) => shard,
            None => &FALLBACK,
        }
    }

    /// The open shard a partition key routes to (MD5 of its UTF-8 bytes).
    #[inline]
    pub fn find_partition_key(&self, partition_key: &str) -> &'a Shard {
        self.find(HashKey::from_partition_key(partition_key))
    }
}

/// Never returned: `find` on a checked map always has a shard; this keeps it panic-free.
static FALLBACK: Shard = Shard::closed(ShardId::FIRST, HashKeyRange::FULL);

#[inline(always)]
fn start_at(shards: &[Shard], i: usize) -> u128 {
    match shards.get(i) {
        Some(s) => s.range.start().get(),
        None => u128::MAX,
    }
}

/// The last index `i` with `start(i) <= key`, given `shards[0].start <= key` and sorted starts.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "base + size <= shards.len() and half <= size throughout, so neither `+` nor `-=` \
              can overflow; plain operations keep this loop branch-free"
)]
#[inline(always)]
fn last_start_at_most(shards: &[Shard], key: u128) -> usize {
    let mut base = 0usize;
    let mut size = shards.len();
    while size > 1 {
        let half = size / 2;
        let mid = base + half;
        // Compiles to a conditional move: no branch to mispredict.
        base = if start_at(shards, mid) <= key {
            mid
        } else {
            base
        };
        size -= half;
    }
    base
}

/// Index of the shard holding `key` in a checked, non-empty, sorted, gap-free slice.
#[inline]
fn locate(shards: &[Shard], key: u128) -> usize {
    let n = shards.len();
    let guess = guess(key, n);
    if start_at(shards, guess) <= key {
        // Gallop right from the guess until a start passes the key.
        let mut lo = guess;
        let mut step = 1usize;
        loop {
            let hi = lo.saturating_add(step);
            if hi >= n || start_at(shards, hi) > key {
                let window = shards.get(lo..hi.min(n)).unwrap_or_default();
                // An index inside the window, which ends at or before n: cannot saturate.
                return lo.saturating_add(last_start_at_most(window, key));
            }
            lo = hi;
            step = step.saturating_mul(2);
        }
    } else {
        // Gallop left: the key is before the guess.
        let mut hi = guess;
        let mut step = 1usize;
        loop {
            let lo = match hi.checked_sub(step) {
                Some(lo) if lo > 0 => lo,
                // step >= hi: the key is in the first `hi` shards.
                _ => {
                    let window = shards.get(..hi).unwrap_or_default();
                    return last_start_at_most(window, key);
                }
            };
            if start_at(shards, lo) <= key {
                let window = shards.get(lo..hi).unwrap_or_default();
                // An index inside the window, which ends at hi <= n: cannot saturate.
                return lo.saturating_add(last_start_at_most(window, key));
            }
            hi = lo;
            step = step.saturating_mul(2);
        }
    }
}

/// Where a uniform map of `n` shards would hold `key`: key / 2^128 × n, from the top 64 bits.
#[allow(
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    reason = "key >> 64 < 2^64 and n < 2^64, so the product fits a u128; shifted right by 64 \
              it is below n, so it fits a usize"
)]
#[inline(always)]
fn guess(key: u128, n: usize) -> usize {
    (((key >> 64) * n as u128) >> 64) as usize
}

/// Checks open shards sorted by starting key: coverage from 0 to 2^128 − 1, no gap, no overlap.
fn check_open_sorted(open: &[Shard], require_open: bool) -> Result<(), MapError> {
    let first = match open.first() {
        Some(s) => s,
        None => return Err(MapError::NoOpenShards),
    };
    if require_open {
        // Order and openness first: for a list out of order they explain more than a gap.
        let mut prev: Option<&Shard> = None;
        for (index, shard) in open.iter().enumerate() {
            if !shard.open {
                return Err(MapError::ClosedShard {
                    index,
                    shard: shard.id,
                });
            }
            if let Some(p) = prev {
                if shard.range.start() < p.range.start() {
                    return Err(MapError::NotSorted {
                        index,
                        previous: p.id,
                        shard: shard.id,
                    });
                }
            }
            prev = Some(shard);
        }
    }
    let mut prev: Option<&Shard> = None;
    for shard in open {
        let start = shard.range.start().get();
        match prev {
            None => {
                if start != 0 {
                    return Err(MapError::Gap {
                        previous: None,
                        next: Some(first.id),
                        // start != 0: cannot saturate.
                        missing: missing(0, start.saturating_sub(1)),
                    });
                }
            }
            Some(p) => {
                let p_end = p.range.end().get();
                // Sorted (checked above, or sorted by `from_shards`): start >= p_start.
                if start <= p_end {
                    let end = p_end.min(shard.range.end().get());
                    return Err(MapError::Overlap {
                        first: p.id,
                        second: shard.id,
                        keys: missing(start, end),
                    });
                }
                // start > p_end, so p_end + 1 and start - 1 cannot saturate.
                let after = p_end.saturating_add(1);
                if start > after {
                    return Err(MapError::Gap {
                        previous: Some(p.id),
                        next: Some(shard.id),
                        missing: missing(after, start.saturating_sub(1)),
                    });
                }
            }
        }
        prev = Some(shard);
    }
    if let Some(last) = prev {
        let end = last.range.end().get();
        if end != u128::MAX {
            return Err(MapError::Gap {
                previous: Some(last.id),
                next: None,
                // end != u128::MAX: cannot saturate.
                missing: missing(end.saturating_add(1), u128::MAX),
            });
        }
    }
    Ok(())
}

fn missing(start: u128, end: u128) -> HashKeyRange {
    HashKeyRange::new(HashKey::new(start), HashKey::new(end)).unwrap_or(HashKeyRange::FULL)
}

/// Why a list of shards is not a valid shard map.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum MapError {
    /// There are no open shards: no hash key has a shard.
    NoOpenShards,
    /// [`ShardMap::new`] was given a closed shard (it takes open shards only).
    ClosedShard {
        /// Position in the slice.
        index: usize,
        /// The closed shard.
        shard: ShardId,
    },
    /// [`ShardMap::new`] was given shards out of order: this one starts before the previous.
    NotSorted {
        /// Position in the slice of the shard out of order.
        index: usize,
        /// The shard before it.
        previous: ShardId,
        /// The shard out of order.
        shard: ShardId,
    },
    /// Hash keys no open shard covers (the KCL's "hash range ... was incomplete").
    Gap {
        /// The open shard that ends before the gap (`None`: the gap starts at 0).
        previous: Option<ShardId>,
        /// The open shard that starts after the gap (`None`: the gap runs to 2^128 − 1).
        next: Option<ShardId>,
        /// The uncovered keys.
        missing: HashKeyRange,
    },
    /// Hash keys two open shards both cover.
    Overlap {
        /// The shard that starts first.
        first: ShardId,
        /// The shard that starts inside `first`.
        second: ShardId,
        /// The keys both cover.
        keys: HashKeyRange,
    },
}

impl fmt::Display for MapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MapError::NoOpenShards => {
                f.write_str("no open shards: hash keys 0..=2^128-1 have no shard")
            }
            MapError::ClosedShard { index, shard } => write!(
                f,
                "shard {shard} at position {index} is closed; a map takes open shards only"
            ),
            MapError::NotSorted {
                index,
                previous,
                shard,
            } => write!(
                f,
                "shard {shard} at position {index} starts before the shard before it ({previous}); \
                 open shards must be sorted by StartingHashKey"
            ),
            MapError::Gap {
                previous,
                next,
                missing,
            } => {
                write!(f, "hash keys {missing} are not covered by any open shard")?;
                match (previous, next) {
                    (Some(p), Some(n)) => write!(f, " (between {p} and {n})"),
                    (None, Some(n)) => write!(f, " (before the first, {n})"),
                    (Some(p), None) => write!(f, " (after the last, {p})"),
                    (None, None) => Ok(()),
                }
            }
            MapError::Overlap {
                first,
                second,
                keys,
            } => write!(
                f,
                "open shards {first} and {second} overlap: both cover hash keys {keys}"
            ),
        }
    }
}

impl core::error::Error for MapError {}
