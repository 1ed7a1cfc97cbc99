//! Reading an aggregated record the way the KCL's `AggregatorUtil.deaggregate` does, and naming
//! what it did.
//!
//! [`deaggregate`] (or [`deaggregate_for_shard`] with the consuming shard's range) checks the
//! whole record first (magic, length, MD5, one full protobuf pass, then the KCL's pass over the
//! sub-records) and returns a [`Deaggregated`]: its [`Outcome`] and iterators of [`UserRecord`]s
//! borrowed from the input. Nothing is allocated and nothing is copied.

use core::fmt;

use md5::{Digest, Md5};

use super::message::{
    scan, RawRecord, RecordCursor, Shape, TableCursor, EXPLICIT_HASH_KEY_TABLE, PARTITION_KEY_TABLE,
};
use super::wire::ProtobufError;
use super::{DIGEST_LEN, MAGIC};
use crate::hashkey::{HashKey, HashKeyRange, MAX_DECIMAL_LEN};

/// Why the KCL hands a record to the application unchanged (it is not an aggregate to it).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum PassThrough {
    /// The data does not start with the magic `F3 89 9A C2`.
    NoMagic,
    /// The magic is followed by 16 bytes or fewer.
    TooShort {
        /// The record's length.
        len: usize,
    },
    /// The last 16 bytes are not the MD5 of the bytes between magic and digest.
    DigestMismatch {
        /// The digest the record carries.
        expected: [u8; 16],
        /// The MD5 of the protobuf bytes.
        computed: [u8; 16],
    },
    /// The protobuf part does not parse (protobuf-java's `InvalidProtocolBufferException`).
    Protobuf(ProtobufError),
}

impl fmt::Display for PassThrough {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoMagic => f.write_str("no KPL magic (F3 89 9A C2): not an aggregate"),
            Self::TooShort { len } => write!(
                f,
                "{len} bytes: the magic must be followed by more than 16 bytes"
            ),
            Self::DigestMismatch { expected, computed } => {
                f.write_str("MD5 mismatch: the record carries ")?;
                hex(f, expected)?;
                f.write_str(", the protobuf bytes hash to ")?;
                hex(f, computed)
            }
            Self::Protobuf(e) => write!(f, "protobuf error: {e}"),
        }
    }
}

fn hex(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    bytes.iter().try_for_each(|b| write!(f, "{b:02x}"))
}

/// The exception the KCL logs when it stops reading an aggregate midway.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum IndexError {
    /// `partition_key_index` is past the end of the partition key table (read as the KCL's
    /// `(int)` cast: its low 32 bits, negative when the top one is set).
    PartitionKey {
        /// The index in the record.
        index: u64,
        /// Entries in the table.
        table_len: usize,
    },
    /// `explicit_hash_key_index` is past the end of the explicit hash key table.
    ExplicitHashKey {
        /// The index in the record.
        index: u64,
        /// Entries in the table.
        table_len: usize,
    },
    /// The explicit hash key is not a number to `new BigInteger(String)`.
    ExplicitHashKeyNotANumber,
}

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::PartitionKey { index, table_len } => write!(
                f,
                "partition_key_index {index} is outside the partition key table of {table_len}"
            ),
            Self::ExplicitHashKey { index, table_len } => write!(
                f,
                "explicit_hash_key_index {index} is outside the explicit hash key table of {table_len}"
            ),
            Self::ExplicitHashKeyNotANumber => {
                f.write_str("explicit hash key is not a decimal number")
            }
        }
    }
}

/// The first sub-record outside the consuming shard's range: the KCL drops the whole aggregate.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Dropped<'a> {
    /// Its position in the aggregate (its would-be sub-sequence number).
    pub sub_record: usize,
    /// Its partition key.
    pub partition_key: &'a [u8],
    /// Its explicit hash key, as written.
    pub explicit_hash_key: Option<&'a [u8]>,
    /// Its effective hash key; `None` when the explicit hash key's value is negative or at
    /// least 2^128 (outside every shard).
    pub hash_key: Option<HashKey>,
}

/// What the KCL does with one record.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum Outcome<'a> {
    /// An aggregate: every sub-record goes to the application.
    Aggregated {
        /// Sub-records.
        records: usize,
    },
    /// Not an aggregate to the KCL: the record goes to the application unchanged, no error.
    PassThrough(PassThrough),
    /// A sub-record lies outside the shard's range: the KCL discards every sub-record of the
    /// aggregate, silently.
    Dropped(Dropped<'a>),
    /// An index error after `records` good sub-records: those are kept, the rest are lost, and
    /// the exception is only logged.
    Truncated {
        /// Sub-records kept.
        records: usize,
        /// The error at sub-record `records`.
        error: IndexError,
    },
}

impl Outcome<'_> {
    /// `"aggregated"`, `"passthrough"`, `"dropped"` or `"truncated"`.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::Aggregated { .. } => "aggregated",
            Self::PassThrough(_) => "passthrough",
            Self::Dropped(_) => "dropped",
            Self::Truncated { .. } => "truncated",
        }
    }
}

/// One user record of an aggregate, borrowed from the record's data.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct UserRecord<'a> {
    /// Its position in the aggregate: with the outer record's sequence number, the KCL's
    /// checkpoint.
    pub sub_sequence_number: u64,
    /// The partition key's bytes (UTF-8 when a KPL wrote them; the format does not check).
    pub partition_key: &'a [u8],
    /// The explicit hash key's bytes, when the sub-record has one.
    pub explicit_hash_key: Option<&'a [u8]>,
    /// The user's data.
    pub data: &'a [u8],
}

impl<'a> UserRecord<'a> {
    /// The partition key as text, when it is UTF-8.
    pub fn partition_key_str(&self) -> Option<&'a str> {
        core::str::from_utf8(self.partition_key).ok()
    }

    /// The explicit hash key as text, when present and UTF-8.
    pub fn explicit_hash_key_str(&self) -> Option<&'a str> {
        self.explicit_hash_key
            .and_then(|k| core::str::from_utf8(k).ok())
    }

    /// The effective hash key as the KCL computes it: the explicit hash key's value, else the
    /// MD5 of the partition key. `None` when the explicit hash key's value is negative or at
    /// least 2^128, or is not a number (never for the records of [`Deaggregated::records`]).
    ///
    /// The KCL reads the partition key as a Java `String` and hashes its UTF-8: invalid UTF-8
    /// is first replaced by U+FFFD per maximal subpart, as Java's decoder does.
    pub fn hash_key(&self) -> Option<HashKey> {
        match self.explicit_hash_key {
            Some(text) => match big_integer(text)? {
                Number::Key(k) => Some(k),
                Number::Outside => None,
            },
            None => Some(partition_key_hash(self.partition_key)),
        }
    }
}

/// MD5 of the partition key's UTF-8 as Java sees it (invalid sequences as U+FFFD).
fn partition_key_hash(key: &[u8]) -> HashKey {
    if core::str::from_utf8(key).is_ok() {
        return HashKey::from_partition_key_bytes(key);
    }
    let mut md5 = Md5::new();
    for chunk in key.utf8_chunks() {
        md5.update(chunk.valid().as_bytes());
        if !chunk.invalid().is_empty() {
            md5.update("\u{fffd}".as_bytes());
        }
    }
    let digest: [u8; 16] = md5.finalize().into();
    HashKey::new(u128::from_be_bytes(digest))
}

/// A number as `new BigInteger(String)` reads it, placed against the hash key space.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Number {
    Key(HashKey),
    /// Negative, or 2^128 or more.
    Outside,
}

/// `new BigInteger(text)`: an optional `+` or `-`, then one or more decimal digits (leading
/// zeros allowed). `None` is Java's `NumberFormatException`. Java also takes non-ASCII Unicode
/// digits; those are refused here (see the module docs).
fn big_integer(text: &[u8]) -> Option<Number> {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let first = digits.iter().position(|&d| d != b'0');
    let Some(significant) = first.and_then(|i| digits.get(i..)) else {
        return Some(Number::Key(HashKey::MIN));
    };
    if negative || significant.len() > MAX_DECIMAL_LEN {
        return Some(Number::Outside);
    }
    Some(match HashKey::parse_bytes(significant) {
        Ok(k) => Number::Key(k),
        Err(_) => Number::Outside,
    })
}

/// A table index as the KCL uses it: `(int) index`, negative when bit 31 is set.
fn java_index(index: u64, table_len: usize) -> Option<usize> {
    let low = index & 0xffff_ffff;
    if low > 0x7fff_ffff {
        return None;
    }
    usize::try_from(low).ok().filter(|&i| i < table_len)
}

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
        UserRecords {
            resolver: Resolver::new(self.data, &self.shape, self.end),
            position: 0,
            limit,
            filter,
            range: self.range,
        }
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

/// Resolves records' table indexes.
#[derive(Clone, Copy, Debug)]
struct Resolver<'a> {
    records: RecordCursor<'a>,
    partition_keys: TableCursor<'a>,
    explicit_hash_keys: TableCursor<'a>,
    partition_keys_len: usize,
    explicit_hash_keys_len: usize,
}

impl<'a> Resolver<'a> {
    fn new(data: &'a [u8], shape: &Shape, end: usize) -> Self {
        Resolver {
            records: RecordCursor::new(data, shape, end),
            partition_keys: TableCursor::new(
                data,
                PARTITION_KEY_TABLE,
                shape.first_partition_key,
                end,
                &shape.partition_key_index,
            ),
            explicit_hash_keys: TableCursor::new(
                data,
                EXPLICIT_HASH_KEY_TABLE,
                shape.first_explicit_hash_key,
                end,
                &shape.explicit_hash_key_index,
            ),
            partition_keys_len: shape.partition_keys,
            explicit_hash_keys_len: shape.explicit_hash_keys,
        }
    }

    /// The partition key of a record whose index was checked.
    fn partition_key(&mut self, raw: RawRecord<'a>) -> &'a [u8] {
        java_index(raw.partition_key_index, self.partition_keys_len)
            .and_then(|i| self.partition_keys.get(i))
            .unwrap_or_default()
    }

    /// A record below the first index error, its keys looked up (`None`, never for such a
    /// record, when an index is outside its table).
    #[inline]
    fn look_up(&mut self, raw: RawRecord<'a>, position: usize) -> Option<UserRecord<'a>> {
        let partition_key = self.partition_keys.get(java_index(
            raw.partition_key_index,
            self.partition_keys_len,
        )?)?;
        let explicit_hash_key = match raw.explicit_hash_key_index {
            None => None,
            Some(index) => Some(
                self.explicit_hash_keys
                    .get(java_index(index, self.explicit_hash_keys_len)?)?,
            ),
        };
        Some(UserRecord {
            sub_sequence_number: u64::try_from(position).unwrap_or(u64::MAX),
            partition_key,
            explicit_hash_key,
            data: raw.data,
        })
    }

    /// The KCL's steps for one record, in its order: the partition key index check, the
    /// explicit hash key lookup, then `new BigInteger` of the explicit hash key (`None` without
    /// one). The partition key is only checked, not looked up (it is left empty: the pass looks
    /// it up when it needs the bytes).
    fn check(
        &mut self,
        raw: RawRecord<'a>,
        position: usize,
    ) -> Result<(UserRecord<'a>, Option<Number>), IndexError> {
        // kpl.md: "An index past the end of a table raises an exception".
        java_index(raw.partition_key_index, self.partition_keys_len).ok_or(
            IndexError::PartitionKey {
                index: raw.partition_key_index,
                table_len: self.partition_keys_len,
            },
        )?;
        let mut number = None;
        let explicit_hash_key = match raw.explicit_hash_key_index {
            None => None,
            Some(index) => {
                let error = IndexError::ExplicitHashKey {
                    index,
                    table_len: self.explicit_hash_keys_len,
                };
                let text = java_index(index, self.explicit_hash_keys_len)
                    .and_then(|i| self.explicit_hash_keys.get(i))
                    .ok_or(error)?;
                number = Some(big_integer(text).ok_or(IndexError::ExplicitHashKeyNotANumber)?);
                Some(text)
            }
        };
        let record = UserRecord {
            sub_sequence_number: u64::try_from(position).unwrap_or(u64::MAX),
            partition_key: &[],
            explicit_hash_key,
            data: raw.data,
        };
        Ok((record, number))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Filter {
    All,
    InRange,
    OutOfRange,
}

/// Sub-records of a [`Deaggregated`], in order, borrowed from the record's data.
#[derive(Clone, Debug)]
pub struct UserRecords<'a> {
    resolver: Resolver<'a>,
    position: usize,
    limit: usize,
    filter: Filter,
    range: HashKeyRange,
}

impl<'a> Iterator for UserRecords<'a> {
    type Item = UserRecord<'a>;

    fn next(&mut self) -> Option<UserRecord<'a>> {
        while self.position < self.limit {
            let raw = self.resolver.records.next_record()?;
            let record = self.resolver.look_up(raw, self.position)?;
            self.position = self.position.saturating_add(1);
            let keep = match self.filter {
                Filter::All => true,
                Filter::InRange => record.hash_key().is_some_and(|k| self.range.contains(k)),
                Filter::OutOfRange => !record.hash_key().is_some_and(|k| self.range.contains(k)),
            };
            if keep {
                return Some(record);
            }
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.limit.saturating_sub(self.position);
        match self.filter {
            Filter::All => (left, Some(left)),
            _ => (0, Some(left)),
        }
    }
}

impl core::iter::FusedIterator for UserRecords<'_> {}

#[cfg(test)]
// Test data: random values cut to bytes and lengths on purpose.
#[allow(clippy::cast_possible_truncation)]
mod tests {
    use super::*;

    #[test]
    fn big_integer_as_java_reads_it() {
        let key = |n| Some(Number::Key(HashKey::new(n)));
        assert_eq!(big_integer(b"0"), key(0));
        assert_eq!(big_integer(b"-0"), key(0));
        assert_eq!(big_integer(b"+007"), key(7));
        assert_eq!(big_integer(b"-1"), Some(Number::Outside));
        assert_eq!(
            big_integer(b"340282366920938463463374607431768211455"),
            key(u128::MAX)
        );
        assert_eq!(
            big_integer(b"340282366920938463463374607431768211456"),
            Some(Number::Outside)
        );
        assert_eq!(
            big_integer(b"0000000000000000000000000000000000000000001"),
            key(1)
        );
        for bad in [&b""[..], b"+", b"-", b"1 ", b" 1", b"1e3", b"+-1", b"0x10"] {
            assert_eq!(big_integer(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn java_int_cast_of_indexes() {
        assert_eq!(java_index(0, 1), Some(0));
        assert_eq!(java_index(1, 1), None);
        // (int) 2^32 == 0: the KCL reads entry 0.
        assert_eq!(java_index(1 << 32, 1), Some(0));
        assert_eq!(java_index(0xffff_ffff, 10), None);
        assert_eq!(java_index(u64::MAX, 10), None);
    }

    /// Skipping the KCL's pass when the tables show it cannot fail decides exactly what the
    /// pass decides: random tables (keys of every hash, numbers inside and outside the range,
    /// signs, non-numbers), random indexes (some past the tables, some past 2^31), random
    /// ranges.
    #[test]
    #[cfg(feature = "std")]
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

    #[test]
    fn invalid_utf8_partition_keys_hash_as_java_strings() {
        // "a\xffb" is "a\u{fffd}b" to Java.
        assert_eq!(
            partition_key_hash(b"a\xffb"),
            HashKey::from_partition_key("a\u{fffd}b")
        );
        assert_eq!(
            partition_key_hash(b"abc"),
            HashKey::from_partition_key("abc")
        );
    }
}
