//! What the KCL does with a record's `Data` ([`Outcome`]) and why: passed through
//! ([`PassThrough`]), dropped for a sub-record outside the shard ([`Dropped`]), or truncated at an
//! index error ([`IndexError`]) (`spec/kpl.md`).

use core::fmt;

use super::wire::ProtobufError;
use crate::hashkey::HashKey;

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
