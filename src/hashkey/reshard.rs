//! SplitShard and MergeShards: check a request against the current shards by the service's
//! rules and compute the child shards, with their parent links.
//!
//! - SplitShard(S, K): S is open and `S.Start + 1 < K < S.End`; the children are
//!   `[S.Start, K − 1]` and `[K, S.End]`, both with parent S, which closes.
//! - MergeShards(A, B): A and B are open and `A.End + 1 == B.Start` (order matters); the child
//!   covers `[A.Start, B.End]` with parent A and adjacent parent B.
//!
//! New shards take the next indexes after the highest existing one. The functions only compute;
//! the caller closes the parents and records the children. Errors render the service's message
//! texts through [`ReshardError::message`].
//!
//! ```
//! use kinesis_codec::hashkey::{merge_shards, split_shard, HashKey, Layout, Shard, ShardId};
//!
//! let mut shards: Vec<Shard> = Layout::Aws.ranges(2).unwrap().enumerate()
//!     .map(|(i, r)| Shard::open(ShardId::new(i as u64).unwrap(), r)).collect();
//! let s0 = ShardId::new(0).unwrap();
//! let [low, high] = split_shard(&shards, s0, HashKey::new(1 << 100)).unwrap();
//! assert_eq!(low.shard.id.to_string(), "shardId-000000000002");
//! assert_eq!(high.parent, s0);
//! shards[0].open = false;
//! shards.extend([low.shard, high.shard]);
//!
//! // Merging back, in order, gives the parent's range again.
//! let merged = merge_shards(&shards, low.shard.id, high.shard.id).unwrap();
//! assert_eq!(merged.shard.range, shards[0].range);
//!
//! // A closed shard cannot be split again; the error renders the service's message.
//! let err = split_shard(&shards, s0, HashKey::new(5)).unwrap_err();
//! assert_eq!(
//!     err.message("s", "123456789012").to_string(),
//!     "Shard shardId-000000000000 in stream s under account 123456789012 has already been \
//!      merged or split, and thus is not eligible for merging or splitting."
//! );
//! ```

use core::fmt;

use super::key::HashKey;
use super::map::Shard;
use super::range::HashKeyRange;
use super::shard_id::ShardId;

/// A shard made by a split or merge, with its parent links.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct ChildShard {
    /// The new shard (open).
    pub shard: Shard,
    /// `ParentShardId`: the split shard, or `ShardToMerge`.
    pub parent: ShardId,
    /// `AdjacentParentShardId`: `AdjacentShardToMerge` for a merge; `None` for a split.
    pub adjacent_parent: Option<ShardId>,
}

/// The id the next new shard takes: one more than the highest index in `shards` (or 0).
pub fn next_shard_id(shards: &[Shard]) -> Option<ShardId> {
    match shards.iter().map(|s| s.id).max() {
        Some(id) => id.next(),
        None => Some(ShardId::FIRST),
    }
}

fn find_open(shards: &[Shard], id: ShardId) -> Result<&Shard, ReshardError> {
    let shard = shards
        .iter()
        .find(|s| s.id == id)
        .ok_or(ReshardError::ShardNotFound { shard: id })?;
    if shard.open {
        Ok(shard)
    } else {
        Err(ReshardError::ShardClosed { shard: id })
    }
}

/// Checks SplitShard(`shard_to_split`, `new_starting_hash_key`) against `shards` and returns
/// the two children, lower range first.
pub fn split_shard(
    shards: &[Shard],
    shard_to_split: ShardId,
    new_starting_hash_key: HashKey,
) -> Result<[ChildShard; 2], ReshardError> {
    let parent = find_open(shards, shard_to_split)?;
    let (low, high) =
        parent
            .range
            .split_at(new_starting_hash_key)
            .ok_or(ReshardError::SplitKeyOutOfRange {
                shard: shard_to_split,
                key: new_starting_hash_key,
                range: parent.range,
            })?;
    let first = next_shard_id(shards).ok_or(ReshardError::ShardIdsExhausted)?;
    let second = first.next().ok_or(ReshardError::ShardIdsExhausted)?;
    let child = |id, range| ChildShard {
        shard: Shard::open(id, range),
        parent: shard_to_split,
        adjacent_parent: None,
    };
    Ok([child(first, low), child(second, high)])
}

/// Checks MergeShards(`shard_to_merge`, `adjacent_shard_to_merge`) against `shards` and
/// returns the child.
pub fn merge_shards(
    shards: &[Shard],
    shard_to_merge: ShardId,
    adjacent_shard_to_merge: ShardId,
) -> Result<ChildShard, ReshardError> {
    let a = find_open(shards, shard_to_merge)?;
    let b = find_open(shards, adjacent_shard_to_merge)?;
    let range = a.range.merge(b.range).ok_or(ReshardError::NotAdjacent {
        shard: shard_to_merge,
        adjacent: adjacent_shard_to_merge,
    })?;
    let id = next_shard_id(shards).ok_or(ReshardError::ShardIdsExhausted)?;
    Ok(ChildShard {
        shard: Shard::open(id, range),
        parent: shard_to_merge,
        adjacent_parent: Some(adjacent_shard_to_merge),
    })
}

/// Why a SplitShard or MergeShards request is refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum ReshardError {
    /// No shard with this id (`ResourceNotFoundException`).
    ShardNotFound {
        /// The id asked for.
        shard: ShardId,
    },
    /// The shard is closed: already split or merged (`InvalidArgumentException`).
    ShardClosed {
        /// The closed shard.
        shard: ShardId,
    },
    /// The new starting hash key breaks `Start + 1 < K < End` (`InvalidArgumentException`).
    SplitKeyOutOfRange {
        /// The shard to split.
        shard: ShardId,
        /// `NewStartingHashKey`.
        key: HashKey,
        /// The shard's range.
        range: HashKeyRange,
    },
    /// The shards are not adjacent in this order (`InvalidArgumentException`).
    NotAdjacent {
        /// `ShardToMerge`.
        shard: ShardId,
        /// `AdjacentShardToMerge`.
        adjacent: ShardId,
    },
    /// The next shard index would pass 999,999,999,999.
    ShardIdsExhausted,
}

impl ReshardError {
    /// The service's error code for this refusal.
    pub const fn error_code(&self) -> &'static str {
        match self {
            ReshardError::ShardNotFound { .. } => "ResourceNotFoundException",
            _ => "InvalidArgumentException",
        }
    }

    /// The service's message text, for a stream name and account id the caller gives.
    pub const fn message<'a>(&'a self, stream: &'a str, account: &'a str) -> ServiceMessage<'a> {
        ServiceMessage {
            error: self,
            stream,
            account,
        }
    }
}

impl fmt::Display for ReshardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReshardError::ShardNotFound { shard } => write!(f, "shard {shard} not found"),
            ReshardError::ShardClosed { shard } => write!(
                f,
                "shard {shard} has already been merged or split, and is not eligible for merging or splitting"
            ),
            ReshardError::SplitKeyOutOfRange { shard, key, range } => write!(
                f,
                "NewStartingHashKey {key} is not both greater than one plus StartingHashKey {} and less than EndingHashKey {} of shard {shard}",
                range.start(),
                range.end()
            ),
            ReshardError::NotAdjacent { shard, adjacent } => write!(
                f,
                "shards {shard} and {adjacent} are not an adjacent pair (ShardToMerge must end right before AdjacentShardToMerge starts)"
            ),
            ReshardError::ShardIdsExhausted => f.write_str("no shard index is left for a new shard"),
        }
    }
}

impl core::error::Error for ReshardError {}

/// The service's message text for a [`ReshardError`]; made by [`ReshardError::message`].
#[derive(Clone, Copy, Debug)]
pub struct ServiceMessage<'a> {
    error: &'a ReshardError,
    stream: &'a str,
    account: &'a str,
}

impl fmt::Display for ServiceMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (stream, account) = (self.stream, self.account);
        match self.error {
            ReshardError::ShardNotFound { shard } => write!(
                f,
                "Could not find shard {shard} in stream {stream} under account {account}."
            ),
            ReshardError::ShardClosed { shard } => write!(
                f,
                "Shard {shard} in stream {stream} under account {account} has already been merged or split, and thus is not eligible for merging or splitting."
            ),
            ReshardError::SplitKeyOutOfRange { shard, key, range } => write!(
                f,
                "NewStartingHashKey {key} used in SplitShard() on shard {shard} in stream {stream} under account {account} is not both greater than one plus the shard's StartingHashKey {} and less than the shard's EndingHashKey {}.",
                range.start(),
                range.end()
            ),
            ReshardError::NotAdjacent { shard, adjacent } => write!(
                f,
                "Shards {shard} and {adjacent} in stream {stream} under account {account} are not an adjacent pair of shards eligible for merging"
            ),
            other => fmt::Display::fmt(other, f),
        }
    }
}

/// The service's message for an `ExplicitHashKey` that is not a valid hash key, as kinesalite
/// (whose tests ran against the service) reproduces it.
///
/// ```
/// use kinesis_codec::hashkey::InvalidExplicitHashKey;
/// let msg = InvalidExplicitHashKey { value: "-1" }.to_string();
/// assert_eq!(msg, "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was -1");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct InvalidExplicitHashKey<'a> {
    /// The value the request gave.
    pub value: &'a str,
}

impl fmt::Display for InvalidExplicitHashKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was {}",
            self.value
        )
    }
}
