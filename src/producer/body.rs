//! Request body writers for Kinesis `PutRecord` / `PutRecords` and Firehose `PutRecord` /
//! `PutRecordBatch`, streaming into a caller's [`Sink`].
//!
//! The batch writers write the head of the body (`{"StreamName":"…","Records":[`) when they are
//! made, one record per [`push`](PutRecordsWriter::push), and `]}` in
//! [`finish`](PutRecordsWriter::finish). Every push takes the exact size of the record (measured
//! once, [`MeasuredRecord`]) and checks it against the free space once, *keeping room for the
//! closing `]}`*: a record that does not fit fails with [`WriteError::BufferFull`] and writes
//! nothing, so the buffer still holds a body that `finish` closes into valid JSON with exactly the
//! records accepted so far. A record that fits is then written into exactly the bytes measured.
//!
//! The writers check the shape of what they write (an `ExplicitHashKey` must be a HashKey
//! decimal) but not the service's size limits: that is the [`Batcher`](super::Batcher)'s job.

use core::fmt;

use crate::hashkey::{HashKey, ParseHashKeyError};

pub use super::measure::{firehose_record_len, kinesis_record_len, MeasuredRecord};
use super::measure::{
    json_string_len, sum, write_firehose_record, COMMA, KEY_DELIVERY_STREAM_NAME, KEY_RECORD,
    KEY_STREAM_ARN, KEY_STREAM_NAME, MAX_SEQUENCE_NUMBER_LEN, OBJECT_CLOSE, OBJECT_OPEN,
    RECORDS_CLOSE, RECORDS_OPEN, SEQUENCE_NUMBER_FOR_ORDERING_OPEN, STRING_CLOSE,
};
use crate::json::escape::{escaped_len, write_json_string};
use crate::json::{BufferFull, Sink, SliceBuf};

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
        let member = |key: &str, value: &str| {
            sum(&[key.len(), json_string_len(escaped_len(value)), COMMA.len()])
        };
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

fn write_stream_ref<S: Sink + ?Sized>(
    out: &mut S,
    stream: &StreamRef<'_>,
) -> Result<(), BufferFull> {
    if let Some(n) = stream.name() {
        out.extend(KEY_STREAM_NAME.as_bytes())?;
        write_json_string(out, n)?;
        out.extend(COMMA.as_bytes())?;
    }
    if let Some(a) = stream.arn() {
        out.extend(KEY_STREAM_ARN.as_bytes())?;
        write_json_string(out, a)?;
        out.extend(COMMA.as_bytes())?;
    }
    Ok(())
}

/// Appends exactly `len` bytes written by `fill`, after checking the free space once: `len`
/// bytes and `keep` more that must stay free after them (a batch body's closing `]}`). On error
/// nothing is written.
///
/// `fill` writes into the `len` bytes just added, as the caller measured them; a fill that
/// comes out shorter or longer is a measuring bug, refused like a full buffer rather than
/// leaving unwritten bytes in the body.
fn write_exact<S: Sink + ?Sized>(
    out: &mut S,
    len: usize,
    keep: usize,
    fill: impl FnOnce(&mut SliceBuf<'_>) -> Result<(), BufferFull>,
) -> Result<(), WriteError> {
    let needed = len.saturating_add(keep);
    let available = out.remaining();
    if needed > available {
        return Err(WriteError::BufferFull { needed, available });
    }
    let mark = out.len();
    let exact = {
        let mut text = SliceBuf::new(out.grow(len)?);
        fill(&mut text).is_ok() && text.remaining() == 0
    };
    if !exact {
        debug_assert!(
            false,
            "a body writer measured {len} bytes and wrote another count"
        );
        out.truncate(mark);
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
    /// The bytes a record object of `len` bytes needs now: the `,` before it (from the second
    /// record on), the object, and the closing `]}` kept free.
    fn needed(&self, len: usize) -> usize {
        sum(&[self.separator_len(), len, RECORDS_CLOSE.len()])
    }

    fn separator_len(&self) -> usize {
        if self.records > 0 {
            COMMA.len()
        } else {
            0
        }
    }

    /// Writes a record object of exactly `len` bytes (as measured by the caller) with `fill`,
    /// after checking once that it fits together with the separator and the closing `]}`.
    fn push_with(
        &mut self,
        len: usize,
        fill: impl FnOnce(&mut SliceBuf<'_>) -> Result<(), BufferFull>,
    ) -> Result<(), WriteError> {
        let separator = self.separator_len();
        write_exact(
            &mut self.out,
            separator.saturating_add(len),
            RECORDS_CLOSE.len(),
            |text| {
                if separator > 0 {
                    text.extend(COMMA.as_bytes())?;
                }
                fill(text)
            },
        )?;
        self.records = self.records.saturating_add(1);
        Ok(())
    }

    fn finish(mut self) -> Result<S, WriteError> {
        self.out.extend(RECORDS_CLOSE.as_bytes())?;
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
        let head = sum(&[OBJECT_OPEN.len(), stream.encoded_len(), RECORDS_OPEN.len()]);
        write_exact(&mut out, head, RECORDS_CLOSE.len(), |text| {
            text.extend(OBJECT_OPEN.as_bytes())?;
            write_stream_ref(text, &stream)?;
            text.extend(RECORDS_OPEN.as_bytes())
        })?;
        Ok(PutRecordsWriter {
            array: Array { out, records: 0 },
        })
    }

    /// Appends one record. On error nothing is written and the writer stays usable.
    pub fn push(&mut self, record: &Record<'_>) -> Result<(), WriteError> {
        let measured = MeasuredRecord::new(record).map_err(WriteError::InvalidExplicitHashKey)?;
        self.push_measured(&measured)
    }

    /// Appends a record measured beforehand (as the [`Batcher`](super::Batcher) does, to
    /// measure each record once). On error nothing is written and the writer stays usable.
    pub fn push_measured(&mut self, record: &MeasuredRecord<'_>) -> Result<(), WriteError> {
        self.array
            .push_with(record.encoded_len(), |text| record.write_object(text))
    }

    /// The number of records accepted so far.
    pub fn records(&self) -> usize {
        self.array.records
    }

    /// The bytes [`push`](Self::push) would need for `record` right now (separator and closing
    /// bytes included), to compare with [`remaining`](Self::remaining).
    pub fn bytes_needed(&self, record: &Record<'_>) -> usize {
        self.array.needed(kinesis_record_len(record))
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
            OBJECT_OPEN.len(),
            KEY_DELIVERY_STREAM_NAME.len(),
            json_string_len(escaped_len(delivery_stream_name)),
            COMMA.len(),
            RECORDS_OPEN.len(),
        ]);
        write_exact(&mut out, head, RECORDS_CLOSE.len(), |text| {
            text.extend(OBJECT_OPEN.as_bytes())?;
            text.extend(KEY_DELIVERY_STREAM_NAME.as_bytes())?;
            write_json_string(text, delivery_stream_name)?;
            text.extend(COMMA.as_bytes())?;
            text.extend(RECORDS_OPEN.as_bytes())
        })?;
        Ok(PutRecordBatchWriter {
            array: Array { out, records: 0 },
        })
    }

    /// Appends one record's data. On error nothing is written and the writer stays usable.
    pub fn push(&mut self, data: &[u8]) -> Result<(), WriteError> {
        self.array
            .push_with(firehose_record_len(data.len()), |text| {
                write_firehose_record(text, data)
            })
    }

    /// The number of records accepted so far.
    pub fn records(&self) -> usize {
        self.array.records
    }

    /// The bytes [`push`](Self::push) would need for `data_len` bytes of data right now.
    pub fn bytes_needed(&self, data_len: usize) -> usize {
        self.array.needed(firehose_record_len(data_len))
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

/// Whether `s` is a `SequenceNumberForOrdering` the service takes: a decimal of 1..=128 digits
/// without leading zeros.
fn is_sequence_number(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SEQUENCE_NUMBER_LEN
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s == "0" || !s.starts_with('0'))
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
    let measured = MeasuredRecord::new(record).map_err(WriteError::InvalidExplicitHashKey)?;
    let sequence_number = options.sequence_number_for_ordering;
    if sequence_number.is_some_and(|s| !is_sequence_number(s)) {
        return Err(WriteError::InvalidSequenceNumber);
    }
    // The record's members share the body's braces.
    let len = sum(&[
        OBJECT_OPEN.len(),
        stream.encoded_len(),
        measured.members_len(),
        sequence_number.map_or(0, |s| {
            sum(&[
                SEQUENCE_NUMBER_FOR_ORDERING_OPEN.len(),
                s.len(),
                STRING_CLOSE.len(),
            ])
        }),
        OBJECT_CLOSE.len(),
    ]);
    write_exact(out, len, 0, |text| {
        text.extend(OBJECT_OPEN.as_bytes())?;
        write_stream_ref(text, &stream)?;
        measured.write_members(text)?;
        if let Some(s) = sequence_number {
            text.extend(SEQUENCE_NUMBER_FOR_ORDERING_OPEN.as_bytes())?;
            text.extend(s.as_bytes())?;
            text.extend(STRING_CLOSE.as_bytes())?;
        }
        text.extend(OBJECT_CLOSE.as_bytes())
    })?;
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
    let len = sum(&[
        OBJECT_OPEN.len(),
        KEY_DELIVERY_STREAM_NAME.len(),
        json_string_len(escaped_len(delivery_stream_name)),
        KEY_RECORD.len(),
        firehose_record_len(data.len()),
        OBJECT_CLOSE.len(),
    ]);
    write_exact(out, len, 0, |text| {
        text.extend(OBJECT_OPEN.as_bytes())?;
        text.extend(KEY_DELIVERY_STREAM_NAME.as_bytes())?;
        write_json_string(text, delivery_stream_name)?;
        text.extend(KEY_RECORD.as_bytes())?;
        write_firehose_record(text, data)?;
        text.extend(OBJECT_CLOSE.as_bytes())
    })?;
    Ok(len)
}
