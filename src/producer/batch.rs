//! The services' per-request limits, a [`Batcher`] that enforces them while it writes, and the
//! buffer sizes needed for a batch, computable up front.
//!
//! # What counts
//!
//! - **Kinesis** (`PutRecords`): at most 500 records and 10 MiB per request, *counted as data
//!   bytes (before base64) plus partition key bytes (UTF-8)* — the service documents that "the
//!   record size limit applies to the total size of the partition key and data blob" and that the
//!   request limit includes partition keys. The per-record limit counts the same way: 10 MiB by
//!   default, or the stream's `MaxRecordSizeInKiB` (1024..=10240) through
//!   [`Limits::kinesis_with_max_record_size_kib`]. `ExplicitHashKey` is not counted (the service
//!   documents no such rule).
//! - **Partition keys**: 1..=256 characters. The service does not document its unit; emulators
//!   count UTF-16 code units or code points. [`KeyUnit::Utf16`] (the default) counts UTF-16 code
//!   units, which is never fewer than code points, so a key accepted here is accepted under
//!   either reading; [`KeyUnit::CodePoints`] is there for callers who know their endpoint counts
//!   code points.
//! - **Firehose** (`PutRecordBatch`): at most 500 records, 4 MiB per call and 1,000 KiB
//!   (1,024,000 bytes) per record, counted on the data before base64.
//!
//! A record that can never be sent (too large, bad key) is a [`BatchError::Record`]; a record
//! that would only break *this* request's limit is [`BatchError::Full`], naming the limit: send
//! the batch, start a new one, and push the record again.

use core::fmt;

use super::body::{
    check_hash_key_decimal, MeasuredRecord, PutRecordBatchWriter, PutRecordsWriter, Record,
    StreamRef, WriteError,
};
use super::measure::{
    firehose_record_len, json_string_len, COMMA, EXPLICIT_HASH_KEY_MEMBER_MAX_LEN,
    FIREHOSE_BATCH_FIXED_LEN, KINESIS_BATCH_FIXED_LEN, KINESIS_RECORD_FIXED_LEN,
};
use crate::hashkey::ParseHashKeyError;
use crate::json::base64::base64_len;
use crate::json::escape::escaped_len_max;
use crate::json::Sink;

/// 1 MiB.
const MIB: usize = 1024 * 1024;

/// How partition key length is counted against [`Limits::max_partition_key_len`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUnit {
    /// UTF-16 code units (a character outside the BMP counts 2). The stricter count.
    Utf16,
    /// Unicode scalar values (code points).
    CodePoints,
}

impl KeyUnit {
    /// The length of `key` in this unit.
    pub fn count(self, key: &str) -> usize {
        match self {
            KeyUnit::Utf16 => key.chars().map(char::len_utf16).sum(),
            KeyUnit::CodePoints => key.chars().count(),
        }
    }
}

/// Which service a set of limits is for (Firehose records have no partition key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// Kinesis Data Streams.
    Kinesis,
    /// Amazon Data Firehose.
    Firehose,
}

/// Per-request limits of `PutRecords` / `PutRecordBatch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The service.
    pub service: Service,
    /// Most records in one request.
    pub max_records: usize,
    /// Most counted bytes in one request (see the [module docs](self) for what counts).
    pub max_request_bytes: usize,
    /// Most counted bytes in one record.
    pub max_record_bytes: usize,
    /// Longest partition key, in `key_unit`s (Kinesis).
    pub max_partition_key_len: usize,
    /// How key length is counted.
    pub key_unit: KeyUnit,
}

impl Limits {
    /// Kinesis `PutRecords`: 500 records, 10 MiB per request and per record (data + key),
    /// keys of 1..=256 UTF-16 units.
    pub const KINESIS: Limits = Limits {
        service: Service::Kinesis,
        max_records: 500,
        max_request_bytes: 10 * MIB,
        max_record_bytes: 10 * MIB,
        max_partition_key_len: 256,
        key_unit: KeyUnit::Utf16,
    };

    /// Firehose `PutRecordBatch`: 500 records, 4 MiB per call, 1,000 KiB per record.
    pub const FIREHOSE: Limits = Limits {
        service: Service::Firehose,
        max_records: 500,
        max_request_bytes: 4 * MIB,
        max_record_bytes: 1000 * 1024,
        max_partition_key_len: 0,
        key_unit: KeyUnit::Utf16,
    };

    /// Kinesis limits for a stream whose `MaxRecordSizeInKiB` is `kib` (1024..=10240).
    pub const fn kinesis_with_max_record_size_kib(kib: u32) -> Result<Limits, LimitError> {
        if kib < 1024 || kib > 10240 {
            return Err(LimitError::MaxRecordSizeOutOfRange { kib });
        }
        let mut l = Limits::KINESIS;
        // kib <= 10240 (checked above): at most 10 MiB, which fits any usize of 32 bits or more.
        l.max_record_bytes = (kib as usize).saturating_mul(1024);
        Ok(l)
    }

    /// The bytes a Kinesis record counts against the limits: data + partition key (UTF-8).
    pub const fn counted_len(&self, data_len: usize, partition_key_bytes: usize) -> usize {
        match self.service {
            Service::Kinesis => data_len.saturating_add(partition_key_bytes),
            Service::Firehose => data_len,
        }
    }

    /// Checks the limits one record must meet on its own, whatever batch it goes in.
    pub fn check_record(&self, record: &Record<'_>) -> Result<(), RecordError> {
        if self.service == Service::Kinesis {
            self.check_partition_key(record.partition_key)?;
            if let Some(k) = record.explicit_hash_key {
                check_hash_key_decimal(k).map_err(RecordError::InvalidExplicitHashKey)?;
            }
        }
        self.check_record_size(self.counted_len(record.data.len(), record.partition_key.len()))
    }

    /// The partition key's length: 1..=[`max_partition_key_len`](Self::max_partition_key_len)
    /// [`key_unit`](Self::key_unit)s (`spec/validation.md`: "Lengths count UTF-16 code units").
    fn check_partition_key(&self, key: &str) -> Result<(), RecordError> {
        // Characters and UTF-16 units never outnumber bytes: a key of no more bytes than the
        // limit needs no counting.
        let bytes = key.len();
        if bytes == 0 {
            return Err(RecordError::EmptyPartitionKey);
        }
        let key_len = if bytes <= self.max_partition_key_len {
            bytes
        } else {
            self.key_unit.count(key)
        };
        if key_len > self.max_partition_key_len {
            return Err(RecordError::PartitionKeyTooLong {
                len: key_len,
                max: self.max_partition_key_len,
                unit: self.key_unit,
            });
        }
        Ok(())
    }

    /// A record of `size` counted bytes against the per-record limit (and the per-request one,
    /// which a lone record must meet too).
    fn check_record_size(&self, size: usize) -> Result<(), RecordError> {
        if size > self.max_record_bytes || size > self.max_request_bytes {
            return Err(RecordError::TooLarge {
                size,
                max: self.max_record_bytes.min(self.max_request_bytes),
            });
        }
        Ok(())
    }
}

/// A limit value that is not allowed.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitError {
    /// `MaxRecordSizeInKiB` must be within 1024..=10240.
    MaxRecordSizeOutOfRange {
        /// The value given.
        kib: u32,
    },
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MaxRecordSizeOutOfRange { kib } => {
                write!(f, "MaxRecordSizeInKiB {kib} is outside 1024..=10240")
            }
        }
    }
}

impl core::error::Error for LimitError {}

/// Why a record can never be sent, in any batch.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordError {
    /// The record's counted size is above the per-record (or per-request) limit.
    TooLarge {
        /// Counted bytes of the record.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The partition key is empty.
    EmptyPartitionKey,
    /// The partition key is longer than allowed.
    PartitionKeyTooLong {
        /// Its length in `unit`s.
        len: usize,
        /// The limit.
        max: usize,
        /// The unit counted.
        unit: KeyUnit,
    },
    /// The explicit hash key is not a HashKey decimal.
    InvalidExplicitHashKey(ParseHashKeyError),
    /// The record does not fit even into an empty body in this buffer.
    LargerThanBuffer {
        /// Bytes the record needs.
        needed: usize,
        /// Bytes an empty body leaves free.
        available: usize,
    },
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { size, max } => {
                write!(
                    f,
                    "record of {size} counted bytes is above the limit of {max}"
                )
            }
            Self::EmptyPartitionKey => f.write_str("partition key is empty"),
            Self::PartitionKeyTooLong { len, max, unit } => {
                write!(f, "partition key of {len} {unit:?} units is above {max}")
            }
            Self::InvalidExplicitHashKey(e) => write!(f, "invalid ExplicitHashKey: {e}"),
            Self::LargerThanBuffer { needed, available } => write!(
                f,
                "record needs {needed} bytes but the buffer has {available} after the head"
            ),
        }
    }
}

impl core::error::Error for RecordError {}

/// The request limit the next record would break.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`Limits::max_records`].
    Records,
    /// [`Limits::max_request_bytes`].
    RequestBytes,
    /// The caller's buffer.
    Buffer,
}

/// Why a [`Batcher`] did not take a record.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchError {
    /// The batch is full: taking the record would break `Limit`. Send this batch and push the
    /// record into the next one.
    Full(Limit),
    /// The record can never be sent.
    Record(RecordError),
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Full(l) => write!(f, "batch full: the next record would break the {l:?} limit"),
            Self::Record(e) => write!(f, "record refused: {e}"),
        }
    }
}

impl core::error::Error for BatchError {}

/// Counts records and counted bytes against [`Limits`], without writing anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchCounter {
    limits: Limits,
    records: usize,
    bytes: usize,
}

impl BatchCounter {
    /// An empty batch under `limits`.
    pub const fn new(limits: Limits) -> Self {
        BatchCounter {
            limits,
            records: 0,
            bytes: 0,
        }
    }
    /// The limits.
    pub const fn limits(&self) -> &Limits {
        &self.limits
    }
    /// Records counted so far.
    pub const fn records(&self) -> usize {
        self.records
    }
    /// Counted bytes so far.
    pub const fn bytes(&self) -> usize {
        self.bytes
    }
    /// Whether `record` would fit into this batch; changes nothing.
    pub fn check(&self, record: &Record<'_>) -> Result<(), BatchError> {
        self.limits
            .check_record(record)
            .map_err(BatchError::Record)?;
        self.check_room(self.counted_len(record))
    }
    /// Counts `record` if it fits.
    pub fn add(&mut self, record: &Record<'_>) -> Result<(), BatchError> {
        self.check(record)?;
        self.commit(self.counted_len(record));
        Ok(())
    }
    fn counted_len(&self, record: &Record<'_>) -> usize {
        self.limits
            .counted_len(record.data.len(), record.partition_key.len())
    }
    /// Whether one more record of `size` counted bytes keeps the batch within the request
    /// limits.
    fn check_room(&self, size: usize) -> Result<(), BatchError> {
        if self.records >= self.limits.max_records {
            return Err(BatchError::Full(Limit::Records));
        }
        if self.bytes.saturating_add(size) > self.limits.max_request_bytes {
            return Err(BatchError::Full(Limit::RequestBytes));
        }
        Ok(())
    }
    fn commit(&mut self, size: usize) {
        self.records = self.records.saturating_add(1);
        self.bytes = self.bytes.saturating_add(size);
    }
    /// Starts over with an empty batch.
    pub fn reset(&mut self) {
        self.records = 0;
        self.bytes = 0;
    }
}

/// The body a [`Batcher`] writes.
#[derive(Debug)]
enum Body<S> {
    Kinesis(PutRecordsWriter<S>),
    Firehose(PutRecordBatchWriter<S>),
}

/// Writes a `PutRecords` or `PutRecordBatch` body while enforcing the service's [`Limits`]:
/// [`push`](Self::push) takes a record if it fits both the limits and the buffer, and otherwise
/// says which limit it would break, writing nothing.
///
/// ```
/// use kinesis_codec::producer::{BatchError, Batcher, Limit, Limits, Record, SliceBuf, StreamRef};
/// let mut storage = [0u8; 5000];
/// let mut batch = Batcher::kinesis(SliceBuf::new(&mut storage), StreamRef::Name("s"), Limits::KINESIS)?;
/// let big = [0u8; 1000];
/// let mut taken = 0;
/// loop {
///     match batch.push(&Record::new(&big, "key")) {
///         Ok(()) => taken += 1,
///         Err(BatchError::Full(limit)) => { assert_eq!(limit, Limit::Buffer); break; }
///         Err(e) => panic!("{e}"),
///     }
/// }
/// // Each record object takes 1,368 bytes (1,336 of base64): 3 fit into 5,000 bytes.
/// assert_eq!(taken, 3);
/// let body = batch.finish()?.into_written();
/// assert!(body.ends_with(b"}]}"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Batcher<S> {
    counter: BatchCounter,
    body: Body<S>,
    /// Free bytes right after the head was written: what a lone record can use.
    empty_remaining: usize,
}

impl<S: Sink> Batcher<S> {
    /// A Kinesis `PutRecords` batch in `out` (`limits.service` is taken as Kinesis).
    pub fn kinesis(out: S, stream: StreamRef<'_>, limits: Limits) -> Result<Self, WriteError> {
        let w = PutRecordsWriter::new(out, stream)?;
        Ok(Batcher {
            counter: BatchCounter::new(Limits {
                service: Service::Kinesis,
                ..limits
            }),
            empty_remaining: w.remaining(),
            body: Body::Kinesis(w),
        })
    }

    /// A Firehose `PutRecordBatch` batch in `out` (`limits.service` is taken as Firehose).
    pub fn firehose(
        out: S,
        delivery_stream_name: &str,
        limits: Limits,
    ) -> Result<Self, WriteError> {
        let w = PutRecordBatchWriter::new(out, delivery_stream_name)?;
        Ok(Batcher {
            counter: BatchCounter::new(Limits {
                service: Service::Firehose,
                ..limits
            }),
            empty_remaining: w.remaining(),
            body: Body::Firehose(w),
        })
    }

    /// The limits enforced.
    pub fn limits(&self) -> &Limits {
        self.counter.limits()
    }

    /// Takes `record` (for Firehose only `record.data` is used) if it fits the limits and the
    /// buffer. On error nothing was written and the batch is unchanged.
    ///
    /// The checks come in the order of [`BatchCounter::check`] and then the buffer: the
    /// partition key, the explicit hash key, the record's size, the request's record count and
    /// bytes, the buffer. A Kinesis record is measured once ([`MeasuredRecord`], which parses
    /// its explicit hash key) and the writer checks its free space once with that measure.
    pub fn push(&mut self, record: &Record<'_>) -> Result<(), BatchError> {
        let limits = self.counter.limits();
        let size = limits.counted_len(record.data.len(), record.partition_key.len());
        let written = match &mut self.body {
            Body::Kinesis(w) => {
                limits
                    .check_partition_key(record.partition_key)
                    .map_err(BatchError::Record)?;
                let measured = MeasuredRecord::new(record)
                    .map_err(|e| BatchError::Record(RecordError::InvalidExplicitHashKey(e)))?;
                limits.check_record_size(size).map_err(BatchError::Record)?;
                self.counter.check_room(size)?;
                w.push_measured(&measured)
            }
            Body::Firehose(w) => {
                limits.check_record_size(size).map_err(BatchError::Record)?;
                self.counter.check_room(size)?;
                w.push(record.data)
            }
        };
        match written {
            Ok(()) => {
                self.counter.commit(size);
                Ok(())
            }
            Err(WriteError::BufferFull { needed, .. }) => {
                // Would it fit into an empty body in this buffer? If not, it never will.
                let separator = if self.counter.records() > 0 {
                    COMMA.len()
                } else {
                    0
                };
                let alone = needed.saturating_sub(separator);
                if alone > self.empty_remaining {
                    return Err(BatchError::Record(RecordError::LargerThanBuffer {
                        needed: alone,
                        available: self.empty_remaining,
                    }));
                }
                Err(BatchError::Full(Limit::Buffer))
            }
            Err(WriteError::InvalidExplicitHashKey(e)) => {
                Err(BatchError::Record(RecordError::InvalidExplicitHashKey(e)))
            }
            Err(_) => Err(BatchError::Full(Limit::Buffer)),
        }
    }

    /// Records taken so far.
    pub fn records(&self) -> usize {
        self.counter.records()
    }

    /// Counted bytes so far (see the [module docs](self)).
    pub fn counted_bytes(&self) -> usize {
        self.counter.bytes()
    }

    /// Whether no record has been taken.
    pub fn is_empty(&self) -> bool {
        self.counter.records() == 0
    }

    /// Closes the body (`]}`) and gives the sink back.
    pub fn finish(self) -> Result<S, WriteError> {
        match self.body {
            Body::Kinesis(w) => w.finish(),
            Body::Firehose(w) => w.finish(),
        }
    }
}

/// Exact worst-case size of a Kinesis `PutRecords` body: `records` records of at most
/// `max_data_len` data bytes and `max_key_bytes` partition key bytes (UTF-8; every byte counted
/// as a worst-case `\u00XX` escape), with or without an `ExplicitHashKey` each (counted at 39
/// digits), and a stream reference whose escaped member text is `stream_ref_len` bytes
/// ([`StreamRef::encoded_len`]). Saturates at `usize::MAX`.
///
/// ```
/// use kinesis_codec::producer::{kinesis_put_records_capacity, StreamRef};
/// const CAP: usize = kinesis_put_records_capacity(500, 1024, 16, true, 64);
/// let mut storage = vec![0u8; CAP];
/// # let _ = &mut storage;
/// ```
pub const fn kinesis_put_records_capacity(
    records: usize,
    max_data_len: usize,
    max_key_bytes: usize,
    explicit_hash_keys: bool,
    stream_ref_len: usize,
) -> usize {
    // {"Data":"…","PartitionKey":"…"[,"ExplicitHashKey":"…"]}
    let ehk = if explicit_hash_keys {
        EXPLICIT_HASH_KEY_MEMBER_MAX_LEN
    } else {
        0
    };
    let one = KINESIS_RECORD_FIXED_LEN
        .saturating_add(ehk)
        .saturating_add(base64_len(max_data_len))
        .saturating_add(escaped_len_max(max_key_bytes));
    // {"StreamName":"…",…"Records":[ … ]}
    let head = KINESIS_BATCH_FIXED_LEN.saturating_add(stream_ref_len);
    array_capacity(records, one, head)
}

/// Exact worst-case size of a Firehose `PutRecordBatch` body: `records` records of at most
/// `max_data_len` bytes, to a delivery stream whose name is at most `name_bytes` UTF-8 bytes.
pub const fn firehose_put_record_batch_capacity(
    records: usize,
    max_data_len: usize,
    name_bytes: usize,
) -> usize {
    // {"DeliveryStreamName":"…","Records":[ … ]}
    let head =
        FIREHOSE_BATCH_FIXED_LEN.saturating_add(json_string_len(escaped_len_max(name_bytes)));
    array_capacity(records, firehose_record_len(max_data_len), head)
}

/// `head + records * one + (records - 1)` separating commas, saturating.
const fn array_capacity(records: usize, one: usize, head: usize) -> usize {
    let separators = records.saturating_sub(1).saturating_mul(COMMA.len());
    head.saturating_add(records.saturating_mul(one))
        .saturating_add(separators)
}
