//! The hash key layouts CreateStream and UpdateShardCount make: N shards of equal ranges.
//!
//! The service divides the space with `step = floor(2^128 / N)`: shard `i` covers
//! `[i·step, (i+1)·step − 1]`, and the last shard ends at 2^128 − 1, taking the `2^128 mod N`
//! leftover keys ([`Layout::Aws`], the default). kinesis-mock uses `floor((2^128 − 1) / N)`
//! instead ([`Layout::KinesisMock`]), which differs when N is a power of two. Both are computed
//! without a heap: [`Layout::range`] gives the i-th range directly, [`Layout::ranges`] iterates.
//!
//! ```
//! use kinesis_codec::hashkey::{HashKey, Layout};
//!
//! // The AWS CLI documentation's three-shard stream.
//! let ranges: Vec<_> = Layout::Aws.ranges(3).unwrap().collect();
//! assert_eq!(ranges[0].end().to_string(), "113427455640312821154458202477256070484");
//! assert_eq!(ranges[1].end().to_string(), "226854911280625642308916404954512140969");
//! assert_eq!(ranges[2].end(), HashKey::MAX);
//! // Which shard a key lands on, in O(1), for a freshly created stream.
//! assert_eq!(Layout::Aws.shard_index(3, HashKey::from_partition_key("a")), Some(0));
//! ```
//!
//! UpdateShardCount with `UNIFORM_SCALING` is checked by [`uniform_scaling`]; its result is the
//! AWS layout for the target count (the service documents equal shards but not the exact
//! boundaries; the equal `floor(2^128 / N)` layout is the natural reading).

use core::fmt;
use core::iter::FusedIterator;

use super::key::HashKey;
use super::map::Shard;
use super::range::HashKeyRange;
use super::shard_id::ShardId;

/// The most shards UpdateShardCount accepts as a target (the service's per-call limit).
pub const MAX_UNIFORM_SCALING_SHARDS: u32 = 10_000;

/// The most shards the crate materialises for one layout: [`OwnedShardMap::from_layout`]
/// (48 MB of shards at this count) and the command-line tool's `shard` and `ranges` refuse more
/// with [`LayoutError::TooManyShards`]. The service's own per-stream quota is far lower (its
/// default is hundreds of shards); the heap-free [`Layout::range`] and [`Layout::ranges`] take
/// any `u32` count, since they allocate nothing.
///
/// [`OwnedShardMap::from_layout`]: super::OwnedShardMap::from_layout
pub const MAX_LAYOUT_SHARDS: u32 = 1_000_000;

/// How a stream's hash key space is divided among N new shards.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
#[non_exhaustive]
pub enum Layout {
    /// The service's layout: `step = floor(2^128 / N)`, last shard to 2^128 − 1 (also moto's and
    /// kinesalite's).
    #[default]
    Aws,
    /// kinesis-mock's layout: `step = floor((2^128 − 1) / N)`, last shard to 2^128 − 1.
    KinesisMock,
}

impl Layout {
    /// The width of every shard but the last, for `n >= 1` shards.
    pub const fn step(self, n: u32) -> Option<u128> {
        // floor((2^128 − 1) / n); `None` for n == 0.
        let Some(floor) = u128::MAX.checked_div(n as u128) else {
            return None;
        };
        Some(match self {
            // floor(2^128 / n) = floor((2^128 − 1) / n) unless n divides 2^128 (a power of two),
            // where it is one more. For n == 1, 2^128 itself does not fit: the single shard is
            // the whole space. For n >= 2 `floor` is below 2^127: adding 1 cannot saturate.
            Layout::Aws if n > 1 && n.is_power_of_two() => floor.saturating_add(1),
            Layout::Aws | Layout::KinesisMock => floor,
        })
    }

    /// The range of shard `i` of `n`, or `None` if `n == 0` or `i >= n`.
    pub const fn range(self, n: u32, i: u32) -> Option<HashKeyRange> {
        let step = match self.step(n) {
            Some(s) => s,
            None => return None,
        };
        if i >= n {
            return None;
        }
        // i < n and step <= 2^128 / n, so i·step and (i+1)·step − 1 stay below 2^128: the
        // checked forms never fail, and step >= 1.
        let Some(start) = step.checked_mul(i as u128) else {
            return None;
        };
        let end = if i == n.saturating_sub(1) {
            u128::MAX
        } else {
            match start.checked_add(step.saturating_sub(1)) {
                Some(end) => end,
                None => return None,
            }
        };
        match HashKeyRange::new(HashKey::new(start), HashKey::new(end)) {
            Ok(r) => Some(r),
            Err(_) => None,
        }
    }

    /// Shard `i` of `n` as CreateStream makes it: open, id `shardId-` + `i`.
    pub const fn shard(self, n: u32, i: u32) -> Option<Shard> {
        match (self.range(n, i), ShardId::new(i as u64)) {
            (Some(range), Some(id)) => Some(Shard::open(id, range)),
            _ => None,
        }
    }

    /// The ranges of all `n` shards in order, or an error for `n == 0`.
    pub fn ranges(self, n: u32) -> Result<LayoutRanges, LayoutError> {
        match self.step(n) {
            Some(_) => Ok(LayoutRanges {
                layout: self,
                n,
                next: 0,
            }),
            None => Err(LayoutError::ZeroShards),
        }
    }

    /// The index of the shard of `n` that holds `key`, computed directly (no map needed for
    /// a stream that has not been resharded). `None` if `n == 0`.
    pub const fn shard_index(self, n: u32, key: HashKey) -> Option<u32> {
        let step = match self.step(n) {
            Some(s) => s,
            None => return None,
        };
        let Some(i) = key.get().checked_div(step) else {
            return None;
        };
        // Keys past the last full step belong to the last shard (n >= 1 here).
        if i >= n as u128 {
            return Some(n.saturating_sub(1));
        }
        #[allow(
            clippy::cast_possible_truncation,
            reason = "i < n, a u32 (checked just above; `u32::try_from` is not const)"
        )]
        let i = i as u32;
        Some(i)
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Layout::Aws => "aws",
            Layout::KinesisMock => "kinesis-mock",
        })
    }
}

impl core::str::FromStr for Layout {
    type Err = LayoutError;
    /// `aws` or `kinesis-mock`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "aws" => Ok(Layout::Aws),
            "kinesis-mock" => Ok(Layout::KinesisMock),
            _ => Err(LayoutError::UnknownLayout),
        }
    }
}

/// The ranges of a layout, in shard order (see [`Layout::ranges`]).
#[derive(Clone, Debug)]
pub struct LayoutRanges {
    layout: Layout,
    n: u32,
    next: u32,
}

impl Iterator for LayoutRanges {
    type Item = HashKeyRange;
    fn next(&mut self) -> Option<HashKeyRange> {
        let r = self.layout.range(self.n, self.next)?;
        // `range` answered, so next < n: cannot saturate.
        self.next = self.next.saturating_add(1);
        Some(r)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.n.saturating_sub(self.next) as usize;
        (left, Some(left))
    }
}

impl ExactSizeIterator for LayoutRanges {}
impl FusedIterator for LayoutRanges {}

/// Why a layout could not be made.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum LayoutError {
    /// A stream needs at least one shard.
    ZeroShards,
    /// A layout name other than `aws` or `kinesis-mock`.
    UnknownLayout,
    /// More shards than [`MAX_LAYOUT_SHARDS`] were asked for where they would be materialised.
    TooManyShards {
        /// The count asked for.
        requested: u32,
    },
}

impl fmt::Display for LayoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LayoutError::ZeroShards => f.write_str("a stream needs at least one shard"),
            LayoutError::UnknownLayout => {
                f.write_str("unknown layout (expected `aws` or `kinesis-mock`)")
            }
            LayoutError::TooManyShards { requested } => write!(
                f,
                "{requested} shards is more than the {MAX_LAYOUT_SHARDS} a layout may have here"
            ),
        }
    }
}

impl core::error::Error for LayoutError {}

/// Checks an UpdateShardCount request with `UNIFORM_SCALING` and returns the target layout.
///
/// The service allows "half to double": `current / 2 <= target <= current · 2`, compared
/// exactly (`2 · target >= current`), so for an odd count the lower bound rounds up
/// (3 shards can go to 2, not 1), and at most [`MAX_UNIFORM_SCALING_SHARDS`]. A target equal
/// to the current count is accepted (nothing to do). The result is the equal
/// `floor(2^128 / target)` layout.
///
/// ```
/// use kinesis_codec::hashkey::{uniform_scaling, ScalingError};
/// assert_eq!(uniform_scaling(3, 6).unwrap().len(), 6);
/// assert_eq!(uniform_scaling(3, 2).unwrap().len(), 2);
/// assert_eq!(uniform_scaling(3, 1).unwrap_err(), ScalingError::BelowHalf { current: 3, target: 1, min: 2 });
/// ```
pub fn uniform_scaling(current: u32, target: u32) -> Result<LayoutRanges, ScalingError> {
    if current == 0 {
        return Err(ScalingError::NoCurrentShards);
    }
    let min = current.div_ceil(2);
    let max = current.saturating_mul(2).min(MAX_UNIFORM_SCALING_SHARDS);
    if u64::from(target) * 2 < u64::from(current) {
        return Err(ScalingError::BelowHalf {
            current,
            target,
            min,
        });
    }
    if target > MAX_UNIFORM_SCALING_SHARDS {
        return Err(ScalingError::AboveLimit {
            target,
            max: MAX_UNIFORM_SCALING_SHARDS,
        });
    }
    if u64::from(target) > u64::from(current) * 2 {
        return Err(ScalingError::AboveDouble {
            current,
            target,
            max,
        });
    }
    Layout::Aws
        .ranges(target)
        .map_err(|_| ScalingError::NoCurrentShards)
}

/// Why an UpdateShardCount (`UNIFORM_SCALING`) request is refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum ScalingError {
    /// The stream has no open shards to scale from.
    NoCurrentShards,
    /// The target is less than half the current count.
    BelowHalf {
        /// Open shards now.
        current: u32,
        /// Requested count.
        target: u32,
        /// The smallest allowed target, `ceil(current / 2)`.
        min: u32,
    },
    /// The target is more than double the current count.
    AboveDouble {
        /// Open shards now.
        current: u32,
        /// Requested count.
        target: u32,
        /// The largest allowed target.
        max: u32,
    },
    /// The target is above [`MAX_UNIFORM_SCALING_SHARDS`].
    AboveLimit {
        /// Requested count.
        target: u32,
        /// The limit.
        max: u32,
    },
}

impl fmt::Display for ScalingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ScalingError::NoCurrentShards => f.write_str("the stream has no open shards"),
            ScalingError::BelowHalf {
                current,
                target,
                min,
            } => write!(
                f,
                "target shard count {target} is less than half the current {current} (at least {min})"
            ),
            ScalingError::AboveDouble {
                current,
                target,
                max,
            } => write!(
                f,
                "target shard count {target} is more than double the current {current} (at most {max})"
            ),
            ScalingError::AboveLimit { target, max } => {
                write!(f, "target shard count {target} is above the limit of {max}")
            }
        }
    }
}

impl core::error::Error for ScalingError {}
