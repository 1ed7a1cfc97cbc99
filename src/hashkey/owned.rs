//! [`OwnedShardMap`]: a stream's shards in a `Vec`, kept valid through splits and merges.
//! *Requires feature* `alloc`.
//!
//! For emulators and tests that hold a stream's shard list themselves: it applies SplitShard
//! and MergeShards by the service's rules (see [`split_shard`](super::split_shard)), closes
//! the parents, records the children, and keeps the open shards sorted for lookups.
//!
//! ```
//! use kinesis_codec::hashkey::{HashKey, Layout, OwnedShardMap};
//!
//! let mut stream = OwnedShardMap::from_layout(Layout::Aws, 2).unwrap();
//! let s0 = stream.open_shards()[0].id;
//! let [low, high] = stream.split(s0, HashKey::new(1 << 126)).unwrap();
//! assert_eq!(stream.find(HashKey::new(1 << 126)).id, high.shard.id);
//! assert_eq!(stream.open_shards().len(), 3);
//! let merged = stream.merge(low.shard.id, high.shard.id).unwrap();
//! assert_eq!(stream.find(HashKey::MIN).id, merged.shard.id);
//! assert_eq!(stream.shards().len(), 5);
//! ```

use alloc::vec::Vec;

use super::key::HashKey;
use super::layout::{Layout, LayoutError, MAX_LAYOUT_SHARDS};
use super::map::{MapError, Shard, ShardMap};
use super::reshard::{merge_shards, split_shard, ChildShard, ReshardError};
use super::shard_id::ShardId;

/// A stream's shards, open and closed, owned; the open ones always form a valid map.
/// *Requires feature* `alloc`.
#[derive(Clone, Debug)]
pub struct OwnedShardMap {
    /// Open shards first (sorted by starting key), then closed ones.
    shards: Vec<Shard>,
    open: usize,
}

impl OwnedShardMap {
    /// The shards CreateStream makes for `n` shards in this layout: from 1 to
    /// [`MAX_LAYOUT_SHARDS`] (48 bytes each), else [`LayoutError::ZeroShards`] or
    /// [`LayoutError::TooManyShards`], before anything is allocated.
    pub fn from_layout(layout: Layout, n: u32) -> Result<Self, LayoutError> {
        if n > MAX_LAYOUT_SHARDS {
            return Err(LayoutError::TooManyShards { requested: n });
        }
        let ranges = layout.ranges(n)?; // refuses n == 0
        let mut shards = Vec::with_capacity(usize::try_from(n).unwrap_or_default());
        shards.extend(
            ranges
                .zip(0..n)
                .filter_map(|(range, i)| Some(Shard::open(ShardId::new(u64::from(i))?, range))),
        );
        let open = shards.len();
        debug_assert_eq!(
            u32::try_from(open),
            Ok(n),
            "every shard of the layout has an id"
        );
        Ok(OwnedShardMap { shards, open })
    }

    /// Takes any list of shards and checks that its open ones form a map.
    pub fn from_shards(mut shards: Vec<Shard>) -> Result<Self, MapError> {
        let open = ShardMap::from_shards(&mut shards)?.open_shards().len();
        Ok(OwnedShardMap { shards, open })
    }

    /// The map view, for lookups.
    #[inline]
    pub fn as_map(&self) -> ShardMap<'_> {
        ShardMap::from_checked(self.open_shards(), &self.shards)
    }

    /// The open shard holding `key`.
    #[inline]
    pub fn find(&self, key: HashKey) -> &Shard {
        self.as_map().find(key)
    }

    /// The open shards, sorted by starting key.
    #[inline]
    pub fn open_shards(&self) -> &[Shard] {
        self.shards.get(..self.open).unwrap_or_default()
    }

    /// All shards: open ones first (by starting key), then closed ones.
    #[inline]
    pub fn shards(&self) -> &[Shard] {
        &self.shards
    }

    /// Applies SplitShard: checks it, closes the parent, adds the two children.
    pub fn split(
        &mut self,
        shard_to_split: ShardId,
        new_starting_hash_key: HashKey,
    ) -> Result<[ChildShard; 2], ReshardError> {
        let children = split_shard(&self.shards, shard_to_split, new_starting_hash_key)?;
        self.replace(&[shard_to_split], &children.map(|c| c.shard));
        Ok(children)
    }

    /// Applies MergeShards: checks it, closes both parents, adds the child.
    pub fn merge(
        &mut self,
        shard_to_merge: ShardId,
        adjacent_shard_to_merge: ShardId,
    ) -> Result<ChildShard, ReshardError> {
        let child = merge_shards(&self.shards, shard_to_merge, adjacent_shard_to_merge)?;
        self.replace(&[shard_to_merge, adjacent_shard_to_merge], &[child.shard]);
        Ok(child)
    }

    /// Closes `parents`, adds `children` (which cover exactly the parents' keys), re-sorts.
    fn replace(&mut self, parents: &[ShardId], children: &[Shard]) {
        for shard in self.shards.iter_mut() {
            if parents.contains(&shard.id) {
                shard.open = false;
            }
        }
        self.shards.extend_from_slice(children);
        self.shards
            .sort_unstable_by_key(|s| (!s.open, s.range.start(), s.id));
        self.open = self.shards.partition_point(|s| s.open);
    }
}
