//! Reading an aggregated record the way the KCL's `AggregatorUtil.deaggregate` does, and naming
//! what it did.
//!
//! [`deaggregate`] (or [`deaggregate_for_shard`] with the consuming shard's range) checks the
//! whole record first (the framing here: magic, length, MD5; then one full protobuf pass,
//! `message.rs`; then the KCL's pass over the sub-records, here, with the Java readings of
//! `java.rs`) and returns a [`Deaggregated`]: its [`Outcome`] and iterators of
//! [`UserRecord`](super::UserRecord)s borrowed from the input (`records.rs`). Nothing is
//! allocated and nothing is copied.

use md5::{Digest, Md5};

use super::java::{big_integer, partition_key_hash, Number};
use super::message::{scan, Shape};
use super::outcome::{Dropped, IndexError, Outcome, PassThrough};
use super::records::{Filter, Resolver, UserRecords};
use super::{DIGEST_LEN, MAGIC};
use crate::hashkey::HashKeyRange;

/// A record's data after the KCL's checks: its outcome, and the sub-records to read.
#[derive(Clone, Copy, Debug)]
pub struct Deaggregated<'a> {
    data: &'a [u8],
    outcome: Outcome<'a>,
    range: HashKeyRange,
    shape: Shape,
    /// End of the protobuf bytes (start of the digest).
    end: usize,
    /// Sub-records before the first index error (all of them without one).
    readable: usize,
    /// Sub-records the KCL hands over.
    kcl_records: usize,
    /// The first index error, with its position.
    error: Option<(usize, IndexError)>,
}

/// The KCL's reading of a record's `Data` with the full hash key range (as
/// `AggregatorUtil.deaggregate(records)`: explicit hash keys outside `0..=2^128 − 1` still drop
/// the aggregate).
pub fn deaggregate(data: &[u8]) -> Deaggregated<'_> {
    deaggregate_for_shard(data, HashKeyRange::FULL)
}

/// The KCL's reading of a record's `Data` read from a shard whose hash key range is `range`.
pub fn deaggregate_for_shard(data: &[u8], range: HashKeyRange) -> Deaggregated<'_> {
    read(data, range, true)
}

/// [`deaggregate_for_shard`] without the MD5 check: for a consumer that trusts its producers
/// (or checked the digest elsewhere) and would rather not spend most of the time on a digest.
/// On a 50 KiB aggregate the MD5 is about 80% of the KCL's reading (`benches/kpl.rs`).
///
/// Everything else is the KCL's reading; the difference is that a record whose digest does
/// not match is read as an aggregate where the KCL would pass it through
/// ([`PassThrough::DigestMismatch`] never comes from here).
///
/// ```
/// use kinesis_codec::hashkey::HashKeyRange;
/// use kinesis_codec::kpl::{deaggregate_unverified, Outcome};
///
/// // Magic, a record with data "hi" and partition key 0 of a one-key table, and 16 bytes
/// // that are not its MD5.
/// let mut data = vec![0xF3, 0x89, 0x9A, 0xC2];
/// data.extend_from_slice(&[0x0A, 0x01, b'k', 0x1A, 0x06, 0x08, 0x00, 0x1A, 0x02, b'h', b'i']);
/// data.extend_from_slice(&[0; 16]);
/// let d = deaggregate_unverified(&data, HashKeyRange::FULL);
/// assert_eq!(d.outcome(), Outcome::Aggregated { records: 1 });
/// assert_eq!(d.records().next().unwrap().data, b"hi");
/// ```
pub fn deaggregate_unverified(data: &[u8], range: HashKeyRange) -> Deaggregated<'_> {
    read(data, range, false)
}

fn read(data: &[u8], range: HashKeyRange, verify: bool) -> Deaggregated<'_> {
    let mut d = Deaggregated {
        data,
        outcome: Outcome::PassThrough(PassThrough::NoMagic),
        range,
        shape: Shape::default(),
        end: 0,
        readable: 0,
        kcl_records: 0,
        error: None,
    };
    // kpl.md: "A record is an aggregate only if it starts with the magic,
    let Some(rest) = data.strip_prefix(&MAGIC) else {
        return d;
    };
    // more than 16 bytes follow the magic,
    let Some((message, digest)) = rest
        .split_last_chunk::<DIGEST_LEN>()
        .filter(|(m, _)| !m.is_empty())
    else {
        d.outcome = Outcome::PassThrough(PassThrough::TooShort { len: data.len() });
        return d;
    };
    // the MD5 of the bytes between magic and digest matches,
    if verify {
        let computed: [u8; 16] = Md5::digest(message).into();
        if computed != *digest {
            d.outcome = Outcome::PassThrough(PassThrough::DigestMismatch {
                expected: *digest,
                computed,
            });
            return d;
        }
    }
    // and the protobuf parses with every required field present."
    d.end = data.len().saturating_sub(DIGEST_LEN);
    d.shape = match scan(data, MAGIC.len(), d.end) {
        Ok(shape) => shape,
        Err(e) => {
            d.outcome = Outcome::PassThrough(PassThrough::Protobuf(e));
            return d;
        }
    };
    d.classify();
    d
}

impl<'a> Deaggregated<'a> {
    /// What the KCL does with the record.
    pub fn outcome(&self) -> Outcome<'a> {
        self.outcome
    }

    /// The record's data, as given.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Whether the KCL reads the record as an aggregate (every outcome but pass-through).
    pub fn is_aggregate(&self) -> bool {
        !matches!(self.outcome, Outcome::PassThrough(_))
    }

    /// Sub-records in the aggregate (0 for a pass-through).
    pub fn sub_records(&self) -> usize {
        self.shape.records
    }

    /// The first index error and the position of its sub-record: the sub-records from there
    /// on cannot be read by anyone.
    pub fn index_error(&self) -> Option<(usize, IndexError)> {
        self.error
    }

    /// What the KCL hands the application: every sub-record of an aggregate, those before the
    /// index error of a truncated one, none of a dropped one. For a pass-through the
    /// application gets [`data`](Self::data) itself and this is empty.
    pub fn records(&self) -> UserRecords<'a> {
        self.iter(self.kcl_records, Filter::All)
    }

    /// Every readable sub-record (all before the first index error), whatever the range: what
    /// a consumer that does better than the KCL can keep.
    pub fn all(&self) -> UserRecords<'a> {
        self.iter(self.readable, Filter::All)
    }

    /// The readable sub-records whose hash key is in the shard's range (what this shard's
    /// consumer owns, even when the KCL would drop the aggregate).
    pub fn in_range(&self) -> UserRecords<'a> {
        self.iter(self.readable, Filter::InRange)
    }

    /// The readable sub-records outside the shard's range (to hand to their shard's owner).
    pub fn out_of_range(&self) -> UserRecords<'a> {
        self.iter(self.readable, Filter::OutOfRange)
    }

    fn iter(&self, limit: usize, filter: Filter) -> UserRecords<'a> {
        UserRecords::new(
            Resolver::new(self.data, &self.shape, self.end),
            limit,
            filter,
            self.range,
        )
    }

    /// The KCL's pass over the sub-records (`AggregatorUtil.deaggregate`'s inner loop), skipped
    /// when the tables alone show that it cannot fail.
    fn classify(&mut self) {
        if self.clean() {
            let records = self.shape.records;
            (self.outcome, self.readable, self.kcl_records) =
                (Outcome::Aggregated { records }, records, records);
        } else {
            self.kcl_pass();
        }
    }

    /// The KCL's pass itself, record by record.
    fn kcl_pass(&mut self) {
        let mut resolver = Resolver::new(self.data, &self.shape, self.end);
        let full = self.range == HashKeyRange::FULL;
        let mut dropped = None;
        let mut position = 0usize;
        while let Some(raw) = resolver.records.next_record() {
            let (mut record, number) = match resolver.check(raw, position) {
                Ok(r) => r,
                Err(e) => {
                    self.error = Some((position, e));
                    break;
                }
            };
            // kpl.md: "the first sub-record whose hash key is outside it makes the KCL discard
            // every sub-record of that aggregate". With the full range only an explicit hash key
            // can be outside (an MD5 never is), so no MD5 is computed then.
            if dropped.is_none() {
                if number.is_none() && !full {
                    record.partition_key = resolver.partition_key(raw);
                }
                let hash_key = match number {
                    Some(Number::Key(k)) => Some(Some(k)),
                    Some(Number::Outside) => Some(None),
                    None if full => None,
                    None => Some(Some(partition_key_hash(record.partition_key))),
                };
                if let Some(key) = hash_key {
                    if !key.is_some_and(|k| self.range.contains(k)) {
                        record.partition_key = resolver.partition_key(raw);
                        dropped = Some(Dropped {
                            sub_record: position,
                            partition_key: record.partition_key,
                            explicit_hash_key: record.explicit_hash_key,
                            hash_key: key,
                        });
                    }
                }
            }
            position = position.saturating_add(1);
        }
        self.readable = position;
        (self.outcome, self.kcl_records) = match (dropped, self.error) {
            (Some(d), _) => (Outcome::Dropped(d), 0),
            (None, Some((records, error))) => (Outcome::Truncated { records, error }, records),
            (None, None) => (Outcome::Aggregated { records: position }, position),
        };
    }
}

impl Deaggregated<'_> {
    /// Whether the KCL's pass would find nothing: every record's indexes are inside the tables
    /// (as written, so the KCL's `(int)` cast changes nothing), and every table entry a record
    /// might use gives a hash key inside the range. Then every record is kept, whatever it
    /// references, and each table entry was read once instead of once per record.
    fn clean(&self) -> bool {
        let shape = &self.shape;
        let within = |max: u64, len: usize| max < u64_of(len.min(0x7fff_ffff));
        if shape.records == 0 || !within(shape.max_partition_key_index, shape.partition_keys) {
            return false;
        }
        let tables = Resolver::new(self.data, shape, self.end);
        if let Some(max) = shape.max_explicit_hash_key_index {
            if !within(max, shape.explicit_hash_keys) {
                return false;
            }
            let mut keys = tables.explicit_hash_keys;
            for i in 0..shape.explicit_hash_keys {
                let inside = match keys.get(i).and_then(big_integer) {
                    Some(Number::Key(k)) => self.range.contains(k),
                    _ => false,
                };
                if !inside {
                    return false;
                }
            }
        }
        // With the full range an MD5 is always inside; otherwise each key is hashed once.
        if shape.any_without_explicit_hash_key && self.range != HashKeyRange::FULL {
            let mut keys = tables.partition_keys;
            for i in 0..shape.partition_keys {
                let inside = keys
                    .get(i)
                    .is_some_and(|k| self.range.contains(partition_key_hash(k)));
                if !inside {
                    return false;
                }
            }
        }
        true
    }
}

/// `n` as a `u64` (lengths always fit).
fn u64_of(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

// The test builds its bodies and tables with std's `Vec` and `format!`.
#[cfg(all(test, feature = "std"))]
// Test data: random values cut to bytes and lengths on purpose.
#[allow(clippy::cast_possible_truncation)]
mod tests {
    use super::*;
    use crate::hashkey::HashKey;

    /// Skipping the KCL's pass when the tables show it cannot fail decides exactly what the
    /// pass decides: random tables (keys of every hash, numbers inside and outside the range,
    /// signs, non-numbers), random indexes (some past the tables, some past 2^31), random
    /// ranges.
    #[test]
    fn the_skipped_pass_decides_as_the_pass() {
        use std::string::ToString;
        use std::{format, vec::Vec};
        let mut next = super::super::test_rng(0x2545_f491_4f6c_dd1du64);
        let mut clean = 0;
        let mut outcomes = [0usize; 4];
        for _ in 0..20_000 {
            let mut body = Vec::new();
            let field = |body: &mut Vec<u8>, tag: u8, bytes: &[u8]| {
                body.push(tag);
                body.push(bytes.len() as u8);
                body.extend_from_slice(bytes);
            };
            let pks = 1 + next() % 4;
            for i in 0..pks {
                field(
                    &mut body,
                    0x0a,
                    format!("key-{}", i + next() % 3).as_bytes(),
                );
            }
            let ehks = next() % 3;
            for _ in 0..ehks {
                let text = match next() % 8 {
                    0 => "x1".to_string(),
                    1 => "-5".to_string(),
                    2 => "340282366920938463463374607431768211456".to_string(),
                    3 => format!("+{}", next()),
                    _ => (u128::from(next()) << 64 | u128::from(next())).to_string(),
                };
                field(&mut body, 0x12, text.as_bytes());
            }
            for _ in 0..1 + next() % 5 {
                let mut record = Vec::new();
                let index = |r: u64, len: u64| match r % 16 {
                    0 => len,
                    1 => 1 << 32,
                    2 => 0x8000_0000,
                    _ => r % len.max(1),
                };
                record.push(0x08);
                let mut v = [0u8; 10];
                let n = super::super::wire::put_varint(&mut v, index(next(), pks));
                record.extend_from_slice(&v[..n]);
                if next().is_multiple_of(2) {
                    record.push(0x10);
                    let n = super::super::wire::put_varint(&mut v, index(next(), ehks));
                    record.extend_from_slice(&v[..n]);
                }
                record.extend_from_slice(&[0x1a, 0x01, b'd']);
                field(&mut body, 0x1a, &record);
            }
            let mut data = MAGIC.to_vec();
            data.extend_from_slice(&body);
            data.extend_from_slice(&Md5::digest(&body));
            let range = match next() % 3 {
                0 => HashKeyRange::FULL,
                _ => {
                    let a = u128::from(next()) << 64;
                    let b = u128::from(next()) << 64;
                    HashKeyRange::new(HashKey::new(a.min(b)), HashKey::new(a.max(b))).unwrap()
                }
            };
            let fast = deaggregate_for_shard(&data, range);
            let mut slow = fast;
            slow.kcl_pass();
            assert_eq!(
                (fast.outcome, fast.readable, fast.kcl_records, fast.error),
                (slow.outcome, slow.readable, slow.kcl_records, slow.error),
                "{data:02x?} {range:?}"
            );
            clean += usize::from(fast.clean());
            outcomes[match fast.outcome {
                Outcome::Aggregated { .. } => 0,
                Outcome::Dropped(_) => 1,
                Outcome::Truncated { .. } => 2,
                Outcome::PassThrough(_) => 3,
            }] += 1;
        }
        // Both paths and every outcome but pass-through were taken.
        assert!(clean > 1_000, "{clean}");
        assert!(outcomes[..3].iter().all(|&n| n > 500), "{outcomes:?}");
    }
}
