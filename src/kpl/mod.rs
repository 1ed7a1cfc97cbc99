//! KPL aggregated records: many user records in one Kinesis record, read exactly as the KCL
//! reads them and written by the KPL's rules, without a heap (`spec/kpl.md`).
//!
//! A record's `Data` is an aggregate when it is `F3 89 9A C2` ([`MAGIC`]), a protobuf
//! `AggregatedRecord` (partition key table, explicit hash key table, records), and the MD5 of the
//! protobuf bytes. Consumers that do not deaggregate see opaque bytes.
//!
//! - **Decode**: [`deaggregate`] / [`deaggregate_for_shard`] check the whole record first (magic,
//!   length, MD5, one protobuf pass with protobuf-java's rules, then the KCL's pass over the
//!   sub-records) and name the KCL's [`Outcome`]: aggregated, passed through (and why),
//!   dropped (the first sub-record outside the shard's range: the KCL silently discards the
//!   whole aggregate) or truncated (an index error after N good sub-records). The
//!   [`UserRecord`]s are then iterated borrowed from the input: [`Deaggregated::records`] is
//!   what the KCL hands over; [`Deaggregated::in_range`] and [`Deaggregated::out_of_range`] split
//!   a mixed aggregate so that nothing is lost.
//! - **Encode**: an [`Aggregator`] writes into a caller's buffer until the next record would break
//!   the size limit, shares repeated keys, keeps to one shard when given [`Shards`], and
//!   [`finish`](Aggregator::finish)es into the PutRecords [`Entry`] the KPL would send, which a
//!   [`Batcher`](crate::producer::Batcher) takes as a record.
//!
//! ```
//! use kinesis_codec::hashkey::{HashKey, HashKeyRange, Layout};
//! use kinesis_codec::kpl::{
//!     deaggregate, deaggregate_for_shard, AggregateError, Aggregator, Outcome, Shards,
//!     BUFFER_SLACK, DEFAULT_MAX_SIZE,
//! };
//! use kinesis_codec::producer::{Batcher, Limits, Record, SliceBuf, StreamRef};
//!
//! // Aggregate three user records (two share a partition key) in a stack buffer.
//! let mut buf = [0u8; DEFAULT_MAX_SIZE + BUFFER_SLACK];
//! let mut agg = Aggregator::new(&mut buf, DEFAULT_MAX_SIZE)?;
//! agg.push(&Record::new(b"first", "user-1"))?;
//! agg.push(&Record::new(b"second", "user-2").with_explicit_hash_key("42"))?;
//! agg.push(&Record::new(b"third", "user-1"))?;
//! let entry = agg.finish().unwrap();
//! // The KPL's outer keys: "a", and the first user record's hash key.
//! assert_eq!(entry.partition_key, "a");
//! let first = HashKey::from_partition_key("user-1").to_string();
//! assert_eq!(entry.explicit_hash_key(), Some(first.as_str()));
//!
//! // Read it back as the KCL would.
//! let d = deaggregate(entry.data);
//! assert_eq!(d.outcome(), Outcome::Aggregated { records: 3 });
//! let mut records = d.records();
//! let r = records.next().unwrap();
//! assert_eq!((r.sub_sequence_number, r.partition_key, r.data), (0, &b"user-1"[..], &b"first"[..]));
//! let r = records.next().unwrap();
//! assert_eq!(r.explicit_hash_key, Some(&b"42"[..]));
//! assert_eq!(r.hash_key(), Some(HashKey::new(42)));
//! assert_eq!(records.next().unwrap().data, b"third");
//! assert!(records.next().is_none());
//!
//! // On a shard that does not own hash key 42 the KCL drops the whole aggregate; the
//! // in-range records can still be kept, and the other one handed on.
//! let range = HashKeyRange::new(HashKey::new(43), HashKey::MAX)?;
//! let d = deaggregate_for_shard(entry.data, range);
//! assert!(matches!(d.outcome(), Outcome::Dropped(drop) if drop.sub_record == 1));
//! assert_eq!(d.records().count(), 0);
//! assert_eq!(d.in_range().count(), 2);
//! assert_eq!(d.out_of_range().next().unwrap().data, b"second");
//!
//! // Per shard: an aggregate refuses a record of another shard.
//! let mut buf2 = [0u8; 1024];
//! let mut one_shard = Aggregator::new(&mut buf2, 1000)?
//!     .with_shards(Shards::Layout { layout: Layout::Aws, count: 2 });
//! one_shard.push(&Record::new(b"x", "a").with_explicit_hash_key("0"))?;
//! let other = Record::new(b"y", "b").with_explicit_hash_key("340282366920938463463374607431768211455");
//! assert_eq!(one_shard.push(&other), Err(AggregateError::OtherShard { shard: 1, aggregate_shard: 0 }));
//!
//! // Into a PutRecords body, still without a heap.
//! let mut body = [0u8; 4096];
//! let mut batch = Batcher::kinesis(SliceBuf::new(&mut body), StreamRef::Name("s"), Limits::KINESIS)?;
//! batch.push(&entry.record())?;
//! assert_eq!(batch.records(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The KCL's reading, exactly
//!
//! `AggregatorUtil.deaggregate` (KCL 2.x) is reproduced step by step, including its corners:
//! table indexes go through Java's `(int)` cast (an index of 2^32 reads entry 0), explicit hash
//! keys are read by `new BigInteger(String)` (a sign and leading zeros are accepted; a negative
//! value or one of 2^128 or more is outside every shard and drops the aggregate, even with the
//! full range; a non-number is an exception, so the aggregate is truncated there), and partition
//! keys that are not UTF-8 are hashed as the Java `String` they become (U+FFFD per maximal
//! subpart). One difference is known: Java's `BigInteger` also takes non-ASCII Unicode decimal
//! digits, which are refused (truncated) here.
//!
//! # Cost
//!
//! Decoding is one MD5 over the bytes, one protobuf pass that checks everything protobuf-java
//! checks, and one pass per iteration. The KCL's own pass over the records (index checks,
//! explicit hash keys read as numbers, hash keys against the range) is skipped when the first
//! pass shows it cannot fail: every index inside its table and every table entry inside the
//! range (each read once); otherwise it is one more pass. Table lookups walk forward from the
//! last one (records that repeat or follow the table order cost O(1) each). An aggregate whose
//! records jump back and forth in a long table costs up to O(records × table entries); the
//! bytes bound both. The MD5 is most of the time on large aggregates:
//! [`deaggregate_unverified`] reads without it, for producers the consumer trusts.
//!
//! # Fuzzing
//!
//! Nothing is bypassed under `cfg(fuzzing)`: the MD5 is always checked. The fuzz target
//! `kpl_decode` repairs the digest of half its inputs instead, so the protobuf parser is reached.

mod decode;
mod encode;
mod java;
mod message;
mod outcome;
mod records;
mod wire;

pub use decode::{deaggregate, deaggregate_for_shard, deaggregate_unverified, Deaggregated};
pub use encode::{
    AggregateError, Aggregator, Entry, MaxSizeError, Shards, AGGREGATE_PARTITION_KEY, BUFFER_SLACK,
    DEFAULT_MAX_SIZE, INDEXED_KEYS, MAX_SIZE_LIMIT,
};
pub use outcome::{Dropped, IndexError, Outcome, PassThrough};
pub use records::{UserRecord, UserRecords};
pub use wire::ProtobufError;

/// A xorshift generator for the unit tests' random inputs (deterministic from `seed`).
#[cfg(test)]
fn test_rng(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}

/// The first four bytes of every aggregated record.
pub const MAGIC: [u8; 4] = [0xf3, 0x89, 0x9a, 0xc2];

/// The length of the MD5 digest that ends an aggregated record.
pub const DIGEST_LEN: usize = 16;
