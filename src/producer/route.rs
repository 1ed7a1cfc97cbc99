//! Routing records to shards ahead of time, for per-shard batching, with the caller's
//! [`ShardMap`] (see [`crate::hashkey`]).
//!
//! A record goes to the open shard whose range holds its hash key: the `ExplicitHashKey` when
//! the record has one, otherwise the MD5 of the partition key. Knowing the shard before sending
//! lets a producer keep one batch per shard (and so respect per-shard throughput, or send each
//! shard's records in order).
//!
//! ```
//! use kinesis_codec::hashkey::{Layout, Shard, ShardMap};
//! use kinesis_codec::producer::route::{route_all, shard_index};
//! use kinesis_codec::producer::{Batcher, Limits, Record, SliceBuf, StreamRef};
//!
//! let shards: [Shard; 2] = core::array::from_fn(|i| Layout::Aws.shard(2, i as u32).unwrap());
//! let map = ShardMap::new(&shards)?;
//! let records = [
//!     Record::new(b"one", "a"),                                          // MD5("a") < 2^127
//!     Record::new(b"two", "a").with_explicit_hash_key("340282366920938463463374607431768211455"),
//!     Record::new(b"three", "b"),
//! ];
//! assert_eq!(shard_index(&map, &records[0])?, 0);
//! let mut shard_of = [0usize; 3];
//! route_all(&map, &records, &mut shard_of).map_err(|(_, e)| e)?;
//! assert_eq!(shard_of[1], 1);
//!
//! // One batch per shard, each in its own stack buffer.
//! let mut bufs = [[0u8; 512]; 2];
//! let [b0, b1] = &mut bufs;
//! let mut batches = [
//!     Batcher::kinesis(SliceBuf::new(b0), StreamRef::Name("s"), Limits::KINESIS)?,
//!     Batcher::kinesis(SliceBuf::new(b1), StreamRef::Name("s"), Limits::KINESIS)?,
//! ];
//! for (record, &shard) in records.iter().zip(&shard_of) {
//!     batches[shard].push(record)?;
//! }
//! assert_eq!(batches[0].records() + batches[1].records(), 3);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::hashkey::{route, HashKey, RouteError, Shard, ShardMap};

use super::body::Record;

/// The hash key `record` routes by: its `ExplicitHashKey` if set, else the MD5 of its partition
/// key.
pub fn hash_key(record: &Record<'_>) -> Result<HashKey, RouteError> {
    route(record.partition_key, record.explicit_hash_key)
}

/// The open shard that takes `record`.
pub fn shard_for<'m>(map: &ShardMap<'m>, record: &Record<'_>) -> Result<&'m Shard, RouteError> {
    Ok(map.find(hash_key(record)?))
}

/// The position in [`ShardMap::open_shards`] of the shard that takes `record`.
pub fn shard_index(map: &ShardMap<'_>, record: &Record<'_>) -> Result<usize, RouteError> {
    Ok(map.find_index(hash_key(record)?))
}

/// Routes every record: `out[i]` becomes the open-shard position of `records[i]`. Fails on the
/// first record that cannot be routed, with its index (entries before it are filled). Routes
/// `min(records.len(), out.len())` records.
pub fn route_all(
    map: &ShardMap<'_>,
    records: &[Record<'_>],
    out: &mut [usize],
) -> Result<(), (usize, RouteError)> {
    for (i, (r, slot)) in records.iter().zip(out.iter_mut()).enumerate() {
        *slot = shard_index(map, r).map_err(|e| (i, e))?;
    }
    Ok(())
}
