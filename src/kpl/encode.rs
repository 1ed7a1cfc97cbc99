//! Writing aggregated records: an [`Aggregator`] over a caller's buffer, by the KPL's rules.
//!
//! - It takes user records until the next one would make the PutRecords entry larger than
//!   `max_size` (data plus partition key, counted exactly: the protobuf size of every table
//!   entry and record is known before anything is written), then answers
//!   [`AggregateError::Full`]: finish, send, clear, and push the record again.
//! - Partition keys and explicit hash keys are written once and shared by index (a small
//!   fixed hash index finds repeats without a heap; see [`INDEXED_KEYS`]).
//! - [`Aggregator::finish`] gives the PutRecords entry: a lone record as it came (its own
//!   keys, its data unchanged); two or more as an aggregate with `PartitionKey "a"` and
//!   `ExplicitHashKey` = the decimal hash key of the first (`spec/kpl.md`, "Producer").
//! - Given the stream's shards ([`Shards`]), an aggregate holds records of one shard only and
//!   refuses another shard's record with [`AggregateError::OtherShard`], so no consumer drops it
//!   after a reshard (the KPL's rule; the other libraries route by the first record only).

use core::fmt;

use md5::{Digest, Md5};

use super::wire::{put_varint, varint_len};
use super::{DIGEST_LEN, MAGIC};
use crate::hashkey::{route, HashKey, Layout, ShardMap, MAX_DECIMAL_LEN};
use crate::producer::{Limits, Record, RecordError};

/// The KPL's default `AggregationMaxSize`: 51,200 bytes.
pub const DEFAULT_MAX_SIZE: usize = 51_200;

/// The largest `max_size`: the largest record a stream takes (`MaxRecordSizeInKiB` 10,240).
pub const MAX_SIZE_LIMIT: usize = 10 * 1024 * 1024;

/// The partition key of every aggregate the KPL sends.
pub const AGGREGATE_PARTITION_KEY: &str = "a";

/// A buffer of `max_size + BUFFER_SLACK` bytes holds any aggregate (and any lone record in its
/// aggregated form) the limit allows: magic, digest, and the protobuf framing of one record
/// with a 39-digit explicit hash key.
pub const BUFFER_SLACK: usize = 4 + 16 + (1 + 2 + 1 + 1 + 39) + (1 + 4 + 2 + 2 + 1 + 4);

/// Distinct keys per table that the aggregator indexes for sharing. Past that, a key not seen
/// among them gets a new table entry even if it came before (a valid aggregate that every
/// reader reads alike, a few bytes larger).
pub const INDEXED_KEYS: usize = SLOTS / 4 * 3;

const SLOTS: usize = 128;

/// Which records may share an aggregate.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Shards<'m> {
    /// Any records (what the kinesis-aggregation libraries do; the KCL may drop such an
    /// aggregate after a reshard).
    Any,
    /// Only records of one open shard of this map.
    Map(ShardMap<'m>),
    /// Only records of one shard of a stream created with `count` shards of this layout.
    Layout {
        /// The layout.
        layout: Layout,
        /// The stream's shard count.
        count: u32,
    },
}

impl Shards<'_> {
    /// The shard index of `key`, or `None` for [`Shards::Any`].
    pub fn index(&self, key: HashKey) -> Option<usize> {
        match self {
            Shards::Any => None,
            Shards::Map(map) => Some(map.find_index(key)),
            Shards::Layout { layout, count } => layout
                .shard_index(*count, key)
                .and_then(|i| usize::try_from(i).ok()),
        }
    }
}

/// Why an [`Aggregator`] did not take a record. Nothing was written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum AggregateError {
    /// The aggregate is full: with this record it would exceed the size limit (or the
    /// buffer). Finish it, clear it and push the record again.
    Full,
    /// The record belongs to another shard than the records held: it needs another
    /// aggregate.
    OtherShard {
        /// The record's shard (its index among the open shards).
        shard: usize,
        /// The shard of the records held.
        aggregate_shard: usize,
    },
    /// The record can never be sent.
    Record(RecordError),
}

impl fmt::Display for AggregateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Full => f.write_str("aggregate full: the record would break its size limit"),
            Self::OtherShard {
                shard,
                aggregate_shard,
            } => write!(
                f,
                "record of shard {shard} cannot join an aggregate of shard {aggregate_shard}"
            ),
            Self::Record(e) => write!(f, "record refused: {e}"),
        }
    }
}

impl core::error::Error for AggregateError {}

/// A `max_size` outside `1..=MAX_SIZE_LIMIT`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct MaxSizeError {
    /// The value given.
    pub max_size: usize,
}

impl fmt::Display for MaxSizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "max size {} is outside 1..={MAX_SIZE_LIMIT}",
            self.max_size
        )
    }
}

impl core::error::Error for MaxSizeError {}

/// One indexed table entry: where its key is in the buffer, and its index.
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    /// 0 = empty (the magic occupies offset 0).
    at: u32,
    len: u32,
    index: u32,
}

/// One table: its entry count and a fixed open-addressing index of its keys.
#[derive(Clone, Copy, Debug)]
struct Table {
    len: u64,
    used: usize,
    slots: [Slot; SLOTS],
}

impl Table {
    const EMPTY: Table = Table {
        len: 0,
        used: 0,
        slots: [Slot {
            at: 0,
            len: 0,
            index: 0,
        }; SLOTS],
    };

    /// The index of `key` if it is in the table, else `Err` with the slot it would go in
    /// (`None` when the index is full).
    fn find(&self, buf: &[u8], key: &[u8]) -> Result<u64, Option<usize>> {
        let mut h: u32 = 0x811c_9dc5;
        for &b in key {
            h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
        let start = usize::try_from(h).unwrap_or(0) % SLOTS;
        for probe in 0..SLOTS {
            let i = start.wrapping_add(probe) % SLOTS;
            let Some(slot) = self.slots.get(i) else {
                break;
            };
            if slot.at == 0 {
                return Err((self.used < INDEXED_KEYS).then_some(i));
            }
            let at = usize::try_from(slot.at).unwrap_or(usize::MAX);
            let len = usize::try_from(slot.len).unwrap_or(0);
            let stored = at.checked_add(len).and_then(|end| buf.get(at..end));
            if stored == Some(key) {
                return Ok(u64::from(slot.index));
            }
        }
        Err(None)
    }

    fn insert(&mut self, slot: Option<usize>, at: usize, len: usize) {
        let (Some(i), Ok(at), Ok(len), Ok(index)) = (
            slot,
            u32::try_from(at),
            u32::try_from(len),
            u32::try_from(self.len),
        ) else {
            return;
        };
        if let Some(s) = self.slots.get_mut(i) {
            *s = Slot { at, len, index };
            self.used = self.used.saturating_add(1);
        }
    }
}

/// Where the first record's parts are in the buffer (the lone-record entry borrows them).
#[derive(Clone, Copy, Debug, Default)]
struct First {
    partition_key: (usize, usize),
    explicit_hash_key: Option<(usize, usize)>,
    data: (usize, usize),
    hash_key: HashKey,
}

/// Builds one aggregated record in a caller's buffer (see the [module docs](crate::kpl)).
#[derive(Debug)]
pub struct Aggregator<'b, 'm> {
    buf: &'b mut [u8],
    /// Bytes written: magic and protobuf.
    len: usize,
    max_size: usize,
    shards: Shards<'m>,
    shard: Option<usize>,
    records: usize,
    first: First,
    partition_keys: Table,
    explicit_hash_keys: Table,
}

/// `n` as a `u64` (lengths of slices always fit).
fn u64_of(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// The bytes of one table entry (`tag`, length, key).
fn entry_len(key_len: usize) -> usize {
    1usize
        .saturating_add(varint_len(u64_of(key_len)))
        .saturating_add(key_len)
}

impl<'b, 'm> Aggregator<'b, 'm> {
    /// An empty aggregate in `buf` whose PutRecords entry will not exceed `max_size` bytes of
    /// data plus partition key ([`DEFAULT_MAX_SIZE`] is the KPL's). `buf` should hold
    /// `max_size + BUFFER_SLACK` bytes; a smaller one limits the aggregate further.
    pub fn new(buf: &'b mut [u8], max_size: usize) -> Result<Self, MaxSizeError> {
        if max_size == 0 || max_size > MAX_SIZE_LIMIT {
            return Err(MaxSizeError { max_size });
        }
        let mut a = Aggregator {
            buf,
            len: 0,
            max_size,
            shards: Shards::Any,
            shard: None,
            records: 0,
            first: First::default(),
            partition_keys: Table::EMPTY,
            explicit_hash_keys: Table::EMPTY,
        };
        a.clear();
        Ok(a)
    }

    /// Holds records of one shard only (set before the first push).
    pub fn with_shards(mut self, shards: Shards<'m>) -> Self {
        self.shards = shards;
        self
    }

    /// Empties the aggregate for reuse (same buffer, limit and shards).
    pub fn clear(&mut self) {
        self.len = 0;
        if let Some(head) = self.buf.get_mut(..MAGIC.len()) {
            head.copy_from_slice(&MAGIC);
            self.len = MAGIC.len();
        }
        self.shard = None;
        self.records = 0;
        self.first = First::default();
        self.partition_keys = Table::EMPTY;
        self.explicit_hash_keys = Table::EMPTY;
    }

    /// User records held.
    pub fn records(&self) -> usize {
        self.records
    }

    /// Whether no record is held.
    pub fn is_empty(&self) -> bool {
        self.records == 0
    }

    /// The shard of the records held (with [`Shards`] other than `Any`).
    pub fn shard(&self) -> Option<usize> {
        self.shard
    }

    /// The size limit.
    pub fn max_size(&self) -> usize {
        self.max_size
    }

    /// Counted bytes of the entry [`finish`](Self::finish) would give now: data plus partition
    /// key (0 when empty).
    pub fn size(&self) -> usize {
        match self.records {
            0 => 0,
            1 => self.first.data.1.saturating_add(self.first.partition_key.1),
            _ => self
                .len
                .saturating_add(DIGEST_LEN)
                .saturating_add(AGGREGATE_PARTITION_KEY.len()),
        }
    }

    /// Takes `record` if it fits; on error nothing changed.
    pub fn push(&mut self, record: &Record<'_>) -> Result<(), AggregateError> {
        // The service's own rules for one record: key of 1..=256 characters, a valid
        // explicit hash key; then this aggregate's limit on its own.
        Limits::KINESIS
            .check_record(record)
            .map_err(AggregateError::Record)?;
        let raw = record.data.len().saturating_add(record.partition_key.len());
        if raw > self.max_size {
            return Err(AggregateError::Record(RecordError::TooLarge {
                size: raw,
                max: self.max_size,
            }));
        }
        // The hash key is needed for the first record (the aggregate's ExplicitHashKey) and
        // for every record when shards are given.
        let needs_key = self.records == 0 || !matches!(self.shards, Shards::Any);
        let key = if needs_key {
            route(record.partition_key, record.explicit_hash_key).map_err(|e| match e {
                crate::hashkey::RouteError::InvalidExplicitHashKey(p) => {
                    AggregateError::Record(RecordError::InvalidExplicitHashKey(p))
                }
            })?
        } else {
            HashKey::MIN
        };
        let shard = self.shards.index(key);
        if let (Some(shard), Some(aggregate_shard)) = (shard, self.shard) {
            if self.records > 0 && shard != aggregate_shard {
                return Err(AggregateError::OtherShard {
                    shard,
                    aggregate_shard,
                });
            }
        }

        // Exact sizes: table entries for new keys, then the record.
        let pk = record.partition_key.as_bytes();
        let pk_found = self.partition_keys.find(self.buf, pk);
        let pk_index = pk_found.unwrap_or(self.partition_keys.len);
        let ehk = record.explicit_hash_key.map(str::as_bytes);
        let ehk_found = ehk.map(|k| self.explicit_hash_keys.find(self.buf, k));
        let ehk_index = ehk_found.map(|f| f.unwrap_or(self.explicit_hash_keys.len));
        let data_len = record.data.len();
        let body = 1usize
            .saturating_add(varint_len(pk_index))
            .saturating_add(ehk_index.map_or(0, |i| 1usize.saturating_add(varint_len(i))))
            .saturating_add(entry_len(data_len));
        let mut added = entry_len(body);
        if pk_found.is_err() {
            added = added.saturating_add(entry_len(pk.len()));
        }
        if let (Some(k), Some(Err(_))) = (ehk, ehk_found) {
            added = added.saturating_add(entry_len(k.len()));
        }
        let new_len = self.len.saturating_add(added);
        let with_digest = new_len.saturating_add(DIGEST_LEN);
        // kpl.md: "the aggregate must fit the service's record limit (the partition key
        // counts too)": an aggregate's key is "a". A lone record goes out as it came, so
        // the first record only has to fit on its own (checked above).
        if self.records > 0
            && with_digest.saturating_add(AGGREGATE_PARTITION_KEY.len()) > self.max_size
        {
            return Err(AggregateError::Full);
        }
        if with_digest > self.buf.len() {
            return Err(if self.records == 0 {
                AggregateError::Record(RecordError::LargerThanBuffer {
                    needed: with_digest,
                    available: self.buf.len(),
                })
            } else {
                AggregateError::Full
            });
        }

        // Write: nothing below can fail, the space was checked.
        let start = self.len;
        let mut w = Writer {
            buf: self.buf,
            pos: start,
            ok: true,
        };
        let mut pk_at = None;
        if let Err(slot) = pk_found {
            w.byte(0x0a);
            w.varint(u64_of(pk.len()));
            pk_at = Some(w.pos);
            w.bytes(pk);
            self.partition_keys
                .insert(slot, w.pos.wrapping_sub(pk.len()), pk.len());
            self.partition_keys.len = self.partition_keys.len.saturating_add(1);
        }
        let mut ehk_at = None;
        if let (Some(k), Some(Err(slot))) = (ehk, ehk_found) {
            w.byte(0x12);
            w.varint(u64_of(k.len()));
            ehk_at = Some(w.pos);
            w.bytes(k);
            self.explicit_hash_keys
                .insert(slot, w.pos.wrapping_sub(k.len()), k.len());
            self.explicit_hash_keys.len = self.explicit_hash_keys.len.saturating_add(1);
        }
        w.byte(0x1a);
        w.varint(u64_of(body));
        w.byte(0x08);
        w.varint(pk_index);
        if let Some(i) = ehk_index {
            w.byte(0x10);
            w.varint(i);
        }
        w.byte(0x1a);
        w.varint(u64_of(data_len));
        let data_at = w.pos;
        w.bytes(record.data);
        if !w.ok || w.pos != new_len {
            // Unreachable after the checks above; leave the aggregate as it was.
            return Err(AggregateError::Full);
        }
        self.len = new_len;
        if self.records == 0 {
            self.first = First {
                partition_key: (pk_at.unwrap_or(0), pk.len()),
                explicit_hash_key: ehk_at.zip(ehk.map(<[u8]>::len)),
                data: (data_at, data_len),
                hash_key: key,
            };
            self.shard = shard;
        }
        self.records = self.records.saturating_add(1);
        Ok(())
    }

    /// The PutRecords entry for the records held (`None` when empty), by the KPL's rules. For
    /// two or more records this writes the MD5 after the protobuf bytes. The aggregate keeps
    /// its records: [`clear`](Self::clear) it to start the next one.
    pub fn finish(&mut self) -> Option<Entry<'_>> {
        match self.records {
            0 => None,
            1 => {
                let part = |(at, len): (usize, usize)| {
                    at.checked_add(len)
                        .and_then(|end| self.buf.get(at..end))
                        .unwrap_or_default()
                };
                let partition_key =
                    core::str::from_utf8(part(self.first.partition_key)).unwrap_or_default();
                let mut entry = Entry {
                    data: part(self.first.data),
                    partition_key,
                    explicit_hash_key: [0; MAX_DECIMAL_LEN],
                    explicit_hash_key_len: 0,
                    records: 1,
                };
                if let Some(k) = self.first.explicit_hash_key.map(part) {
                    entry.set_explicit_hash_key(k);
                }
                Some(entry)
            }
            records => {
                let end = self.len.checked_add(DIGEST_LEN)?;
                let digest: [u8; 16] = Md5::digest(self.buf.get(MAGIC.len()..self.len)?).into();
                self.buf.get_mut(self.len..end)?.copy_from_slice(&digest);
                let mut entry = Entry {
                    data: self.buf.get(..end)?,
                    partition_key: AGGREGATE_PARTITION_KEY,
                    explicit_hash_key: [0; MAX_DECIMAL_LEN],
                    explicit_hash_key_len: 0,
                    records,
                };
                let mut text = [0u8; MAX_DECIMAL_LEN];
                entry.set_explicit_hash_key(self.first.hash_key.format(&mut text).as_bytes());
                Some(entry)
            }
        }
    }
}

/// Writes into the checked space.
struct Writer<'w> {
    buf: &'w mut [u8],
    pos: usize,
    ok: bool,
}

impl Writer<'_> {
    fn bytes(&mut self, bytes: &[u8]) {
        let end = self.pos.saturating_add(bytes.len());
        match self.buf.get_mut(self.pos..end) {
            Some(out) => {
                out.copy_from_slice(bytes);
                self.pos = end;
            }
            None => self.ok = false,
        }
    }
    fn byte(&mut self, b: u8) {
        self.bytes(&[b]);
    }
    #[inline]
    fn varint(&mut self, v: u64) {
        match self.buf.get_mut(self.pos..) {
            Some(out) => match put_varint(out, v) {
                0 => self.ok = false,
                n => self.pos = self.pos.saturating_add(n),
            },
            None => self.ok = false,
        }
    }
}

/// A PutRecords entry: an aggregate, or a lone record as it came.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Entry<'b> {
    /// `Data`.
    pub data: &'b [u8],
    /// `PartitionKey`: `"a"` for an aggregate.
    pub partition_key: &'b str,
    explicit_hash_key: [u8; MAX_DECIMAL_LEN],
    explicit_hash_key_len: usize,
    /// User records in it.
    pub records: usize,
}

impl<'b> Entry<'b> {
    fn set_explicit_hash_key(&mut self, text: &[u8]) {
        if let Some(slot) = self.explicit_hash_key.get_mut(..text.len()) {
            slot.copy_from_slice(text);
            self.explicit_hash_key_len = text.len();
        }
    }

    /// `ExplicitHashKey`: the first record's hash key for an aggregate, the record's own (if
    /// any) for a lone record.
    pub fn explicit_hash_key(&self) -> Option<&str> {
        let text = self.explicit_hash_key.get(..self.explicit_hash_key_len)?;
        core::str::from_utf8(text).ok().filter(|t| !t.is_empty())
    }

    /// Whether `data` is an aggregate (two or more records).
    pub fn is_aggregate(&self) -> bool {
        self.records > 1
    }

    /// The entry as a producer [`Record`], for a
    /// [`Batcher`](crate::producer::Batcher) or a `PutRecord` body.
    pub fn record(&self) -> Record<'_> {
        let r = Record::new(self.data, self.partition_key);
        match self.explicit_hash_key() {
            Some(k) => r.with_explicit_hash_key(k),
            None => r,
        }
    }
}
