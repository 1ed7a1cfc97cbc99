//! Partition keys, hash keys and shard maps: which shard a record goes to, without a heap.
//!
//! - [`HashKey`]: MD5 of the partition key as a big-endian `u128`, strict decimal
//!   parse/format of the wire form ([`route`] applies `ExplicitHashKey`).
//! - [`HashKeyRange`] and [`ShardId`]: a shard's inclusive range and its `shardId-…` id.
//! - [`ShardMap`]: the open shards of a stream over a caller's slice; building it checks
//!   coverage (no gap, no overlap), looking up is O(1) on even layouts, O(log n) at worst.
//! - [`Layout`]: the ranges CreateStream makes for N shards (the service's, or kinesis-mock's);
//!   [`uniform_scaling`] checks UpdateShardCount.
//! - [`split_shard`] / [`merge_shards`]: resharding by the service's rules, with its messages.
//! - `OwnedShardMap` (*requires feature* `alloc`): a stream's shard list in a `Vec`, kept valid
//!   through splits and merges.
//!
//! ```
//! use kinesis_codec::hashkey::{route, HashKey, Layout, Shard, ShardId, ShardMap};
//!
//! // A 4-shard stream as CreateStream makes it, in a stack array.
//! let shards: [Shard; 4] = core::array::from_fn(|i| Layout::Aws.shard(4, i as u32).unwrap());
//! let map = ShardMap::new(&shards).unwrap();
//!
//! // "a" hashes to MD5 0cc175b9... which is in the first quarter.
//! let key = route("a", None).unwrap();
//! assert_eq!(key, HashKey::new(0x0cc175b9c0f1b6a831c399e269772661));
//! assert_eq!(map.find(key).id, ShardId::new(0).unwrap());
//!
//! // An explicit hash key overrides the partition key.
//! let key = route("a", Some("340282366920938463463374607431768211455")).unwrap();
//! assert_eq!(map.find(key).id.to_string(), "shardId-000000000003");
//!
//! // Decimal form without a heap.
//! let mut buf = [0u8; kinesis_codec::hashkey::MAX_DECIMAL_LEN];
//! assert_eq!(key.format(&mut buf), "340282366920938463463374607431768211455");
//! ```

mod key;
mod layout;
mod map;
#[cfg(feature = "alloc")]
mod owned;
mod range;
mod reshard;
mod route;
mod shard_id;

pub use key::{HashKey, ParseHashKeyError, MAX_DECIMAL_LEN};
pub use layout::{
    uniform_scaling, Layout, LayoutError, LayoutRanges, ScalingError, MAX_LAYOUT_SHARDS,
    MAX_UNIFORM_SCALING_SHARDS,
};
pub use map::{MapError, Shard, ShardMap};
#[cfg(feature = "alloc")]
pub use owned::OwnedShardMap;
pub use range::{HashKeyRange, RangeError};
pub use reshard::{
    merge_shards, next_shard_id, split_shard, ChildShard, InvalidExplicitHashKey, ReshardError,
    ServiceMessage,
};
pub use route::{route, RouteError};
pub use shard_id::{ParseShardIdError, ShardId, MAX_SHARD_INDEX};
