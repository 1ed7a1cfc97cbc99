//! Request body writers for Kinesis `PutRecord` / `PutRecords` and Firehose `PutRecord` /
//! `PutRecordBatch`, streaming into a caller's [`Sink`].
//!
//! The batch writers write the head of the body (`{"StreamName":"…","Records":[`) when they are
//! made, one record per [`push`](PutRecordsWriter::push), and `]}` in
//! [`finish`](PutRecordsWriter::finish). Every push first computes the exact size of the record
//! and checks it against the free space, *keeping room for the closing `]}`*: a record that does
//! not fit fails with [`WriteError::BufferFull`] and writes nothing, so the buffer still holds a
//! body that `finish` closes into valid JSON with exactly the records accepted so far.
//!
//! The writers check the shape of what they write (an `ExplicitHashKey` must be a HashKey
//! decimal) but not the service's size limits: that is the [`Batcher`](super::Batcher)'s job.

use core::fmt;

use crate::hashkey::{HashKey, ParseHashKeyError};

use crate::json::base64::{base64_len, write_base64};
use crate::json::escape::{escaped_len, write_json_string};
use crate::json::{BufferFull, Sink};

/// Checks that `s` is a HashKey as the service takes it (`0|([1-9]\d{0,38})`, at most
/// 2^128 − 1), with [`HashKey::parse`].
pub fn check_hash_key_decimal(s: &str) -> Result<(), ParseHashKeyError> {
    HashKey::parse(s).map(|_| ())
}

/// Why a body writer refused a record or a body.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteError {
    /// The buffer cannot hold this record (and the closing bytes). Nothing was written; the
    /// records accepted so far are intact.
    BufferFull {
        /// Bytes the record needs, closing bytes included.
        needed: usize,
        /// Bytes free in the buffer.
        available: usize,
    },
    /// The `ExplicitHashKey` is not a HashKey decimal.
    InvalidExplicitHashKey(ParseHashKeyError),
    /// `SequenceNumberForOrdering` is not a decimal (`0|[1-9]\d{0,127}`).
    InvalidSequenceNumber,
}

impl From<BufferFull> for WriteError {
    fn from(e: BufferFull) -> Self {
        WriteError::BufferFull {
            needed: e.needed,
            available: e.available,
        }
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BufferFull { needed, available } => write!(
                f,
                "output buffer full: record needs {needed} bytes, {available} free"
            ),
            Self::InvalidExplicitHashKey(e) => write!(f, "invalid ExplicitHashKey: {e}"),
            Self::InvalidSequenceNumber => {
                f.write_str("invalid SequenceNumberForOrdering: not a decimal of 1..128 digits")
            }
        }
    }
}

impl core::error::Error for WriteError {}

/// How a Kinesis request names its stream: `StreamName`, `StreamARN`, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamRef<'a> {
    /// `StreamName` only.
    Name(&'a str),
    /// `StreamARN` only (what AWS recommends).
    Arn(&'a str),
    /// Both members.
    NameAndArn {
        /// `StreamName`.
        name: &'a str,
        /// `StreamARN`.
        arn: &'a str,
    },
}

impl<'a> StreamRef<'a> {
    fn name(&self) -> Option<&'a str> {
        match *self {
            StreamRef::Name(n) | StreamRef::NameAndArn { name: n, .. } => Some(n),
            StreamRef::Arn(_) => None,
        }
    }
    fn arn(&self) -> Option<&'a str> {
        match *self {
            StreamRef::Arn(a) | StreamRef::NameAndArn { arn: a, .. } => Some(a),
            StreamRef::Name(_) => None,
        }
    }
    /// The bytes `"StreamName":"…",` and/or `"StreamARN":"…",` take in a body.
    pub fn encoded_len(&self) -> usize {
        let member = |key: &str, value: &str| sum(&[key.len(), escaped_len(value), 3]);
        let name = self.name().map_or(0, |n| member(KEY_STREAM_NAME, n));
        let arn = self.arn().map_or(0, |a| member(KEY_STREAM_ARN, a));
        name.saturating_add(arn)
    }
}

/// One Kinesis record: data, partition key, and an optional explicit hash key that overrides the
/// partition key's MD5 for routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record<'a> {
    /// The data blob (sent base64-encoded).
    pub data: &'a [u8],
    /// `PartitionKey`.
    pub partition_key: &'a str,
    /// `ExplicitHashKey`, a decimal HashKey.
    pub explicit_hash_key: Option<&'a str>,
}

impl<'a> Record<'a> {
    /// A record with no explicit hash key.
    pub fn new(data: &'a [u8], partition_key: &'a str) -> Self {
        Record {
            data,
            partition_key,
            explicit_hash_key: None,
        }
    }
    /// The same record with `ExplicitHashKey` set.
    pub fn with_explicit_hash_key(self, key: &'a str) -> Self {
        Record {
            explicit_hash_key: Some(key),
            ..self
        }
    }
}

pub(crate) const KEY_STREAM_NAME: &str = "\"StreamName\":";
pub(crate) const KEY_STREAM_ARN: &str = "\"StreamARN\":";
pub(crate) const KEY_DELIVERY_STREAM_NAME: &str = "\"DeliveryStreamName\":";
pub(crate) const RECORDS_OPEN: &str = "\"Records\":[";
pub(crate) const CLOSE: &str = "]}";
const DATA_OPEN: &str = "{\"Data\":\"";
const PARTITION_KEY: &str = "\",\"PartitionKey\":";
const EXPLICIT_HASH_KEY: &str = ",\"ExplicitHashKey\":\"";

/// The exact size of one Kinesis record object in a `PutRecords` body, without the `,` that
/// separates it from the previous one: `{"Data":"…","PartitionKey":"…"[,"ExplicitHashKey":"…"]}`.
pub fn kinesis_record_len(record: &Record<'_>) -> usize {
    let explicit_hash_key = record
        .explicit_hash_key
        .map_or(0, |k| sum(&[EXPLICIT_HASH_KEY.len(), k.len(), 1]));
    sum(&[
        DATA_OPEN.len(),
        base64_len(record.data.len()),
        PARTITION_KEY.len(),
        escaped_len(record.partition_key),
        2,
        explicit_hash_key,
        1,
    ])
}

/// The sum of byte counts, saturating at `usize::MAX` (which no buffer has room for, so a
/// saturated length is refused as [`WriteError::BufferFull`]).
#[inline]
fn sum(lens: &[usize]) -> usize {
    lens.iter()
        .fold(0usize, |total, &n| total.saturating_add(n))
}

/// The exact size of one Firehose record object in a `PutRecordBatch` body: `{"Data":"…"}`.
pub const fn firehose_record_len(data_len: usize) -> usize {
    DATA_OPEN
        .len()
        .saturating_add(2)
        .saturating_add(base64_len(data_len))
}

fn write_stream_ref<S: Sink + ?Sized>(
    out: &mut S,
    stream: &StreamRef<'_>,
) -> Result<(), BufferFull> {
    if let Some(n) = stream.name() {
        out.extend(KEY_STREAM_NAME.as_bytes())?;
        write_json_string(out, n)?;
        out.extend(b",")?;
    }
    if let Some(a) = stream.arn() {
        out.extend(KEY_STREAM_ARN.as_bytes())?;
        write_json_string(out, a)?;
        out.extend(b",")?;
    }
    Ok(())
}

fn write_kinesis_record_fields<S: Sink + ?Sized>(
    out: &mut S,
    r: &Record<'_>,
) -> Result<(), BufferFull> {
    out.extend(b"\"Data\":\"")?;
    write_base64(out, r.data)?;
    out.extend(PARTITION_KEY.as_bytes())?;
    write_json_string(out, r.partition_key)?;
    if let Some(k) = r.explicit_hash_key {
        out.extend(EXPLICIT_HASH_KEY.as_bytes())?;
        out.extend(k.as_bytes())?;
        out.extend(b"\"")?;
    }
    Ok(())
}

/// Checks that `needed` bytes fit, turning a shortage into [`WriteError::BufferFull`].
fn reserve<S: Sink + ?Sized>(out: &S, needed: usize) -> Result<(), WriteError> {
    let available = out.remaining();
    if needed > available {
        return Err(WriteError::BufferFull { needed, available });
    }
    Ok(())
}

/// The record-array part shared by both batch writers.
#[derive(Debug)]
struct Array<S> {
    out: S,
    records: usize,
}

impl<S: Sink> Array<S> {
    /// Writes a record object of exactly `len` bytes (as computed by the caller) with `fill`,
    /// after checking that it fits together with the separator and the closing `]}`.
    fn push_with(
        &mut self,
        len: usize,
        fill: impl FnOnce(&mut S) -> Result<(), BufferFull>,
    ) -> Result<(), WriteError> {
        let sep = usize::from(self.records > 0);
        reserve(&self.out, sum(&[sep, len, CLOSE.len()]))?;
        let mark = self.out.len();
        let written = (|| {
            if sep == 1 {
                self.out.extend(b",")?;
            }
            fill(&mut self.out)
        })();
        if let Err(e) = written {
            // Cannot happen after the check above; never leave half a record behind.
            self.out.truncate(mark);
            return Err(e.into());
        }
        self.records = self.records.saturating_add(1);
        Ok(())
    }

    fn finish(mut self) -> Result<S, WriteError> {
        self.out.extend(CLOSE.as_bytes())?;
        Ok(self.out)
    }
}

/// Streams a Kinesis `PutRecords` body into a [`Sink`].
///
/// Body layout: `{"StreamName":"…","StreamARN":"…","Records":[{…},{…}]}` (members present as
/// given). See the [module docs](self) for the full-buffer rule.
#[derive(Debug)]
pub struct PutRecordsWriter<S> {
    array: Array<S>,
}

impl<S: Sink> PutRecordsWriter<S> {
    /// The `X-Amz-Target` header value: `Kinesis_20131202.PutRecords`.
    pub const TARGET: &'static str = super::Operation::KinesisPutRecords.target();

    /// Starts a body in `out` (which should be empty: the body is appended to what is there).
    /// Fails when the head and `]}` do not fit.
    pub fn new(mut out: S, stream: StreamRef<'_>) -> Result<Self, WriteError> {
        reserve(
            &out,
            sum(&[1, stream.encoded_len(), RECORDS_OPEN.len(), CLOSE.len()]),
        )?;
        out.extend(b"{")?;
        write_stream_ref(&mut out, &stream)?;
        out.extend(RECORDS_OPEN.as_bytes())?;
        Ok(PutRecordsWriter {
            array: Array { out, records: 0 },
        })
    }

    /// Appends one record. On error nothing is written and the writer stays usable.
    pub fn push(&mut self, record: &Record<'_>) -> Result<(), WriteError> {
        if let Some(k) = record.explicit_hash_key {
            check_hash_key_decimal(k).map_err(WriteError::InvalidExplicitHashKey)?;
        }
        let len = kinesis_record_len(record);
        self.array.push_with(len, |out| {
            out.extend(b"{")?;
            write_kinesis_record_fields(out, record)?;
            out.extend(b"}")
        })
    }

    /// The number of records accepted so far.
    pub fn records(&self) -> usize {
        self.array.records
    }

    /// The bytes [`push`](Self::push) would need for `record` right now (separator and closing
    /// bytes included), to compare with [`remaining`](Self::remaining).
    pub fn bytes_needed(&self, record: &Record<'_>) -> usize {
        sum(&[
            usize::from(self.array.records > 0),
            kinesis_record_len(record),
            CLOSE.len(),
        ])
    }

    /// Free bytes in the buffer.
    pub fn remaining(&self) -> usize {
        self.array.out.remaining()
    }

    /// Closes the JSON (`]}`) and gives the sink back. Space for this was reserved from the
    /// start, so it fails only for a [`Sink`] that breaks its contract. A body with no record
    /// is valid JSON but the service refuses it (`Records` needs 1..500 entries).
    pub fn finish(self) -> Result<S, WriteError> {
        self.array.finish()
    }
}

/// Streams a Firehose `PutRecordBatch` body into a [`Sink`]:
/// `{"DeliveryStreamName":"…","Records":[{"Data":"…"},…]}`. The same full-buffer rule as
/// [`PutRecordsWriter`].
#[derive(Debug)]
pub struct PutRecordBatchWriter<S> {
    array: Array<S>,
}

impl<S: Sink> PutRecordBatchWriter<S> {
    /// The `X-Amz-Target` header value: `Firehose_20150804.PutRecordBatch`.
    pub const TARGET: &'static str = super::Operation::FirehosePutRecordBatch.target();

    /// Starts a body in `out`. Fails when the head and `]}` do not fit.
    pub fn new(mut out: S, delivery_stream_name: &str) -> Result<Self, WriteError> {
        let head = sum(&[
            1,
            KEY_DELIVERY_STREAM_NAME.len(),
            escaped_len(delivery_stream_name),
            3,
            RECORDS_OPEN.len(),
        ]);
        reserve(&out, head.saturating_add(CLOSE.len()))?;
        out.extend(b"{")?;
        out.extend(KEY_DELIVERY_STREAM_NAME.as_bytes())?;
        write_json_string(&mut out, delivery_stream_name)?;
        out.extend(b",")?;
        out.extend(RECORDS_OPEN.as_bytes())?;
        Ok(PutRecordBatchWriter {
            array: Array { out, records: 0 },
        })
    }

    /// Appends one record's data. On error nothing is written and the writer stays usable.
    pub fn push(&mut self, data: &[u8]) -> Result<(), WriteError> {
        self.array
            .push_with(firehose_record_len(data.len()), |out| {
                out.extend(DATA_OPEN.as_bytes())?;
                write_base64(out, data)?;
                out.extend(b"\"}")
            })
    }

    /// The number of records accepted so far.
    pub fn records(&self) -> usize {
        self.array.records
    }

    /// The bytes [`push`](Self::push) would need for `data_len` bytes of data right now.
    pub fn bytes_needed(&self, data_len: usize) -> usize {
        sum(&[
            usize::from(self.array.records > 0),
            firehose_record_len(data_len),
            CLOSE.len(),
        ])
    }

    /// Free bytes in the buffer.
    pub fn remaining(&self) -> usize {
        self.array.out.remaining()
    }

    /// Closes the JSON (`]}`) and gives the sink back; see [`PutRecordsWriter::finish`].
    pub fn finish(self) -> Result<S, WriteError> {
        self.array.finish()
    }
}

/// Optional members of a Kinesis `PutRecord` request beyond the record itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PutRecordOptions<'a> {
    /// `SequenceNumberForOrdering`: a decimal sequence number of an earlier record from the same
    /// partition key, for strict ordering.
    pub sequence_number_for_ordering: Option<&'a str>,
}

/// Writes a whole Kinesis `PutRecord` body
/// (`{"StreamName":"…","Data":"…","PartitionKey":"…",…}`) and returns its length. Writes
/// nothing when it does not fit.
pub fn write_kinesis_put_record<S: Sink + ?Sized>(
    out: &mut S,
    stream: StreamRef<'_>,
    record: &Record<'_>,
    options: PutRecordOptions<'_>,
) -> Result<usize, WriteError> {
    if let Some(k) = record.explicit_hash_key {
        check_hash_key_decimal(k).map_err(WriteError::InvalidExplicitHashKey)?;
    }
    const SEQ: &str = ",\"SequenceNumberForOrdering\":\"";
    if let Some(s) = options.sequence_number_for_ordering {
        let ok = !s.is_empty()
            && s.len() <= 128
            && s.bytes().all(|b| b.is_ascii_digit())
            && (s == "0" || !s.starts_with('0'));
        if !ok {
            return Err(WriteError::InvalidSequenceNumber);
        }
    }
    // kinesis_record_len counts the object's own braces; PutRecord shares the body's braces.
    let sequence_number = options
        .sequence_number_for_ordering
        .map_or(0, |s| sum(&[SEQ.len(), s.len(), 1]));
    let len = sum(&[
        stream.encoded_len(),
        kinesis_record_len(record),
        sequence_number,
    ]);
    reserve(out, len)?;
    let mark = out.len();
    let written = (|| {
        out.extend(b"{")?;
        write_stream_ref(out, &stream)?;
        write_kinesis_record_fields(out, record)?;
        if let Some(s) = options.sequence_number_for_ordering {
            out.extend(SEQ.as_bytes())?;
            out.extend(s.as_bytes())?;
            out.extend(b"\"")?;
        }
        out.extend(b"}")
    })();
    if let Err(e) = written {
        out.truncate(mark);
        return Err(e.into());
    }
    Ok(len)
}

/// Writes a whole Firehose `PutRecord` body
/// (`{"DeliveryStreamName":"…","Record":{"Data":"…"}}`) and returns its length. Writes nothing
/// when it does not fit.
pub fn write_firehose_put_record<S: Sink + ?Sized>(
    out: &mut S,
    delivery_stream_name: &str,
    data: &[u8],
) -> Result<usize, WriteError> {
    const RECORD: &str = ",\"Record\":";
    let len = sum(&[
        1,
        KEY_DELIVERY_STREAM_NAME.len(),
        escaped_len(delivery_stream_name),
        2,
        RECORD.len(),
        firehose_record_len(data.len()),
        1,
    ]);
    reserve(out, len)?;
    let mark = out.len();
    let written = (|| {
        out.extend(b"{")?;
        out.extend(KEY_DELIVERY_STREAM_NAME.as_bytes())?;
        write_json_string(out, delivery_stream_name)?;
        out.extend(RECORD.as_bytes())?;
        out.extend(DATA_OPEN.as_bytes())?;
        write_base64(out, data)?;
        out.extend(b"\"}}")
    })();
    if let Err(e) = written {
        out.truncate(mark);
        return Err(e.into());
    }
    Ok(len)
}
