//! The user records of a checked aggregate ([`UserRecord`]), iterated borrowed from the record's
//! data ([`UserRecords`]), and the table lookups behind them ([`Resolver`]): the KCL's step for
//! one sub-record (index checks, then the explicit hash key read as a number) and the cheaper
//! lookup used once the record is known to be good.

use super::java::{big_integer, java_index, partition_key_hash, Number};
use super::message::{
    RawRecord, RecordCursor, Shape, TableCursor, EXPLICIT_HASH_KEY_TABLE, PARTITION_KEY_TABLE,
};
use super::outcome::IndexError;
use crate::hashkey::{HashKey, HashKeyRange};

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
    /// least 2^128, or is not a number (never for the records of
    /// [`Deaggregated::records`](super::Deaggregated::records)).
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

/// Resolves records' table indexes.
#[derive(Clone, Copy, Debug)]
pub(super) struct Resolver<'a> {
    pub(super) records: RecordCursor<'a>,
    pub(super) partition_keys: TableCursor<'a>,
    pub(super) explicit_hash_keys: TableCursor<'a>,
    partition_keys_len: usize,
    explicit_hash_keys_len: usize,
}

impl<'a> Resolver<'a> {
    pub(super) fn new(data: &'a [u8], shape: &Shape, end: usize) -> Self {
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
    pub(super) fn partition_key(&mut self, raw: RawRecord<'a>) -> &'a [u8] {
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
    pub(super) fn check(
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
pub(super) enum Filter {
    All,
    InRange,
    OutOfRange,
}

/// Sub-records of a [`Deaggregated`](super::Deaggregated), in order, borrowed from the record's
/// data.
#[derive(Clone, Debug)]
pub struct UserRecords<'a> {
    resolver: Resolver<'a>,
    position: usize,
    limit: usize,
    filter: Filter,
    range: HashKeyRange,
}

impl<'a> UserRecords<'a> {
    /// The first `limit` sub-records that `filter` keeps against `range`.
    pub(super) fn new(
        resolver: Resolver<'a>,
        limit: usize,
        filter: Filter,
        range: HashKeyRange,
    ) -> Self {
        UserRecords {
            resolver,
            position: 0,
            limit,
            filter,
            range,
        }
    }
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
