//! The JSON text of the producer request bodies, piece by piece, and the one measurement of a
//! Kinesis record ([`MeasuredRecord`]) that the [`Batcher`](super::Batcher) and the body writers
//! share.
//!
//! A body is fixed text (the constants of this module) around three kinds of variable text: the
//! padded standard base64 of a data blob ([`base64_len`]), escaped strings ([`escaped_len`]) and
//! decimal strings written as given (`spec/kinesis-wire.md`, "JSON 1.1 protocol": "blob: base64,
//! standard alphabet, padded"; "HashKey and SequenceNumber are decimal *strings*"). Every byte
//! count of a body is a sum of these pieces, so a writer checks its free space once and then
//! fills exactly that many bytes.
//!
//! A Kinesis record object of a `PutRecords` body, and the pieces it is made of:
//!
//! ```text
//! {"Data":"aGk=","PartitionKey":"k","ExplicitHashKey":"42"}
//!
//! {                         OBJECT_OPEN
//! "Data":"                  DATA_OPEN
//! aGk=                      base64 of the data
//! ","PartitionKey":"        PARTITION_KEY_OPEN
//! k                         the escaped partition key
//! "                         STRING_CLOSE
//! ,"ExplicitHashKey":"      EXPLICIT_HASH_KEY_OPEN   (this line and the next two only when
//! 42                        the explicit hash key     the record has an explicit hash key)
//! "                         STRING_CLOSE
//! }                         OBJECT_CLOSE
//! ```
//!
//! A Firehose record object, `{"Data":"…"}`, is `OBJECT_OPEN`, `DATA_OPEN`, the base64,
//! `STRING_CLOSE` and `OBJECT_CLOSE`.

use crate::hashkey::{HashKey, ParseHashKeyError, MAX_DECIMAL_LEN};

use super::body::Record;
use crate::json::base64::{base64_len, write_base64};
use crate::json::escape::{escape_into, escaped_len};
use crate::json::{BufferFull, Sink};

/// `{`: opens a body or a record object.
pub(crate) const OBJECT_OPEN: &str = "{";
/// `}`: closes a record object or a `PutRecord` body.
pub(crate) const OBJECT_CLOSE: &str = "}";
/// `"`: opens a JSON string.
pub(crate) const STRING_OPEN: &str = "\"";
/// `"`: closes a JSON string (the data's base64, a partition key, a hash key).
pub(crate) const STRING_CLOSE: &str = "\"";
/// `,`: separates two members of an object or two records of the `Records` array.
pub(crate) const COMMA: &str = ",";
/// `"StreamName":`, the member name before the quoted stream name.
pub(crate) const KEY_STREAM_NAME: &str = "\"StreamName\":";
/// `"StreamARN":`, the member name before the quoted stream ARN.
pub(crate) const KEY_STREAM_ARN: &str = "\"StreamARN\":";
/// `"DeliveryStreamName":`, the member name before the quoted delivery stream name.
pub(crate) const KEY_DELIVERY_STREAM_NAME: &str = "\"DeliveryStreamName\":";
/// `"Records":[`, which opens the record array of a batch body.
pub(crate) const RECORDS_OPEN: &str = "\"Records\":[";
/// `]}`, which closes the record array and the batch body. The batch writers keep room for it
/// from the start, so that a full buffer still holds a body they can close.
pub(crate) const RECORDS_CLOSE: &str = "]}";
/// `,"Record":`, the member of a Firehose `PutRecord` body that holds its one record object.
pub(crate) const KEY_RECORD: &str = ",\"Record\":";
/// `"Data":"`, the data member up to its base64 text.
pub(crate) const DATA_OPEN: &str = "\"Data\":\"";
/// `","PartitionKey":"`: closes the data's string and opens the partition key's.
pub(crate) const PARTITION_KEY_OPEN: &str = "\",\"PartitionKey\":\"";
/// `,"ExplicitHashKey":"`, the optional member up to its decimal digits.
pub(crate) const EXPLICIT_HASH_KEY_OPEN: &str = ",\"ExplicitHashKey\":\"";
/// `,"SequenceNumberForOrdering":"`, the optional `PutRecord` member up to its digits.
pub(crate) const SEQUENCE_NUMBER_FOR_ORDERING_OPEN: &str = ",\"SequenceNumberForOrdering\":\"";

/// The most digits the `PutRecord` writer takes in a `SequenceNumberForOrdering`: 128. (The
/// model's pattern, `^(0|([1-9]\d{0,128}))$`, allows 129; the writer has always stopped at 128.)
pub(crate) const MAX_SEQUENCE_NUMBER_LEN: usize = 128;

/// The fixed text of a Kinesis record object without an explicit hash key:
/// `{"Data":"` + `","PartitionKey":"` + `"}` (29 bytes).
pub(crate) const KINESIS_RECORD_FIXED_LEN: usize = OBJECT_OPEN.len()
    + DATA_OPEN.len()
    + PARTITION_KEY_OPEN.len()
    + STRING_CLOSE.len()
    + OBJECT_CLOSE.len();

/// The longest `,"ExplicitHashKey":"…"` member: a hash key of [`MAX_DECIMAL_LEN`] (39) digits
/// (60 bytes).
pub(crate) const EXPLICIT_HASH_KEY_MEMBER_MAX_LEN: usize =
    EXPLICIT_HASH_KEY_OPEN.len() + MAX_DECIMAL_LEN + STRING_CLOSE.len();

/// The fixed text of a Firehose record object: `{"Data":"` + `"}` (11 bytes).
pub(crate) const FIREHOSE_RECORD_FIXED_LEN: usize =
    OBJECT_OPEN.len() + DATA_OPEN.len() + STRING_CLOSE.len() + OBJECT_CLOSE.len();

/// The two quotes around a JSON string's content.
const QUOTES_LEN: usize = STRING_OPEN.len() + STRING_CLOSE.len();

/// The two braces of an object: `{` and `}`.
const BRACES_LEN: usize = OBJECT_OPEN.len() + OBJECT_CLOSE.len();

/// The fixed text of a `PutRecords` body around its stream reference and records:
/// `{` + `"Records":[` + `]}` (14 bytes).
pub(crate) const KINESIS_BATCH_FIXED_LEN: usize =
    OBJECT_OPEN.len() + RECORDS_OPEN.len() + RECORDS_CLOSE.len();

/// The fixed text of a `PutRecordBatch` body around the quoted delivery stream name and the
/// records: `{"DeliveryStreamName":` + `,` + `"Records":[` + `]}` (37 bytes).
pub(crate) const FIREHOSE_BATCH_FIXED_LEN: usize = OBJECT_OPEN.len()
    + KEY_DELIVERY_STREAM_NAME.len()
    + COMMA.len()
    + RECORDS_OPEN.len()
    + RECORDS_CLOSE.len();

/// The bytes of a JSON string whose content escapes to `escaped_len` bytes: the content and its
/// two quotes. Saturates at `usize::MAX`.
pub(crate) const fn json_string_len(escaped_len: usize) -> usize {
    escaped_len.saturating_add(QUOTES_LEN)
}

/// The sum of byte counts, saturating at `usize::MAX` (which no buffer has room for, so a
/// saturated length is refused as a full buffer).
#[inline]
pub(crate) fn sum(lens: &[usize]) -> usize {
    lens.iter()
        .fold(0usize, |total, &n| total.saturating_add(n))
}

/// The `,"ExplicitHashKey":"…"` member for a key of `digits` bytes.
#[inline]
fn explicit_hash_key_member_len(digits: usize) -> usize {
    sum(&[EXPLICIT_HASH_KEY_OPEN.len(), digits, STRING_CLOSE.len()])
}

/// The exact size of one Kinesis record object in a `PutRecords` body, without the `,` that
/// separates it from the previous one: `{"Data":"…","PartitionKey":"…"[,"ExplicitHashKey":"…"]}`.
/// The explicit hash key is counted as given, not checked ([`MeasuredRecord::new`] checks it).
pub fn kinesis_record_len(record: &Record<'_>) -> usize {
    sum(&[
        KINESIS_RECORD_FIXED_LEN,
        base64_len(record.data.len()),
        escaped_len(record.partition_key),
        record
            .explicit_hash_key
            .map_or(0, |k| explicit_hash_key_member_len(k.len())),
    ])
}

/// The exact size of one Firehose record object in a `PutRecordBatch` body: `{"Data":"…"}`.
pub const fn firehose_record_len(data_len: usize) -> usize {
    FIREHOSE_RECORD_FIXED_LEN.saturating_add(base64_len(data_len))
}

/// A Kinesis [`Record`] measured once: its explicit hash key parsed, its partition key's
/// escaped length and its data's base64 length counted, and so the exact size of its record
/// object. The [`Batcher`](super::Batcher) measures each record once and hands the measure to
/// the writer ([`PutRecordsWriter::push_measured`](super::PutRecordsWriter::push_measured)),
/// which checks its free space once and writes exactly that many bytes.
///
/// ```
/// use kinesis_codec::producer::{MeasuredRecord, PutRecordsWriter, Record, SliceBuf, StreamRef};
/// let record = Record::new(b"hi", "k").with_explicit_hash_key("42");
/// let measured = MeasuredRecord::new(&record)?;
/// assert_eq!(measured.explicit_hash_key().map(|k| k.get()), Some(42));
/// // {"Data":"aGk=","PartitionKey":"k","ExplicitHashKey":"42"}
/// assert_eq!(measured.encoded_len(), 57);
///
/// let mut storage = [0u8; 128];
/// let mut w = PutRecordsWriter::new(SliceBuf::new(&mut storage), StreamRef::Name("s"))?;
/// w.push_measured(&measured)?;
/// assert_eq!(
///     w.finish()?.into_written(),
///     br#"{"StreamName":"s","Records":[{"Data":"aGk=","PartitionKey":"k","ExplicitHashKey":"42"}]}"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeasuredRecord<'a> {
    record: Record<'a>,
    explicit_hash_key: Option<HashKey>,
    data_base64_len: usize,
    escaped_partition_key_len: usize,
    encoded_len: usize,
}

impl<'a> MeasuredRecord<'a> {
    /// Measures `record`. Fails when its explicit hash key is not a HashKey decimal
    /// (`0|([1-9]\d{0,38})`, at most 2^128 − 1, as [`HashKey::parse`] reads it).
    pub fn new(record: &Record<'a>) -> Result<Self, ParseHashKeyError> {
        let explicit_hash_key = match record.explicit_hash_key {
            Some(text) => Some(HashKey::parse(text)?),
            None => None,
        };
        let data_base64_len = base64_len(record.data.len());
        let escaped_partition_key_len = escaped_len(record.partition_key);
        let encoded_len = sum(&[
            KINESIS_RECORD_FIXED_LEN,
            data_base64_len,
            escaped_partition_key_len,
            record
                .explicit_hash_key
                .map_or(0, |k| explicit_hash_key_member_len(k.len())),
        ]);
        Ok(MeasuredRecord {
            record: *record,
            explicit_hash_key,
            data_base64_len,
            escaped_partition_key_len,
            encoded_len,
        })
    }

    /// The record measured.
    pub fn record(&self) -> &Record<'a> {
        &self.record
    }

    /// The parsed explicit hash key, when the record has one.
    pub fn explicit_hash_key(&self) -> Option<HashKey> {
        self.explicit_hash_key
    }

    /// The length of the data's base64 text.
    pub fn data_base64_len(&self) -> usize {
        self.data_base64_len
    }

    /// The length of the partition key once escaped, without quotes.
    pub fn escaped_partition_key_len(&self) -> usize {
        self.escaped_partition_key_len
    }

    /// The exact size of the record object in a `PutRecords` body, without the `,` before it
    /// (what [`kinesis_record_len`] gives for the same record).
    pub fn encoded_len(&self) -> usize {
        self.encoded_len
    }

    /// The size of the record's members without the object's braces, as a `PutRecord` body
    /// holds them beside the stream reference.
    pub(crate) fn members_len(&self) -> usize {
        self.encoded_len.saturating_sub(BRACES_LEN)
    }

    /// Writes `"Data":"…","PartitionKey":"…"[,"ExplicitHashKey":"…"]`, exactly
    /// [`members_len`](Self::members_len) bytes, with the lengths measured here (the partition key
    /// is not measured again).
    pub(crate) fn write_members<S: Sink + ?Sized>(&self, out: &mut S) -> Result<(), BufferFull> {
        out.extend(DATA_OPEN.as_bytes())?;
        write_base64(out, self.record.data)?;
        out.extend(PARTITION_KEY_OPEN.as_bytes())?;
        escape_into(
            out.grow(self.escaped_partition_key_len)?,
            self.record.partition_key,
        );
        out.extend(STRING_CLOSE.as_bytes())?;
        if let Some(k) = self.record.explicit_hash_key {
            out.extend(EXPLICIT_HASH_KEY_OPEN.as_bytes())?;
            out.extend(k.as_bytes())?;
            out.extend(STRING_CLOSE.as_bytes())?;
        }
        Ok(())
    }

    /// Writes the record object, exactly [`encoded_len`](Self::encoded_len) bytes.
    pub(crate) fn write_object<S: Sink + ?Sized>(&self, out: &mut S) -> Result<(), BufferFull> {
        out.extend(OBJECT_OPEN.as_bytes())?;
        self.write_members(out)?;
        out.extend(OBJECT_CLOSE.as_bytes())
    }
}

/// Writes a Firehose record object `{"Data":"…"}`, exactly [`firehose_record_len`] bytes.
pub(crate) fn write_firehose_record<S: Sink + ?Sized>(
    out: &mut S,
    data: &[u8],
) -> Result<(), BufferFull> {
    out.extend(OBJECT_OPEN.as_bytes())?;
    out.extend(DATA_OPEN.as_bytes())?;
    write_base64(out, data)?;
    out.extend(STRING_CLOSE.as_bytes())?;
    out.extend(OBJECT_CLOSE.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::producer::SliceBuf;

    #[test]
    fn the_fixed_texts_count_what_they_say() {
        assert_eq!(
            KINESIS_RECORD_FIXED_LEN,
            r#"{"Data":"","PartitionKey":""}"#.len()
        );
        assert_eq!(FIREHOSE_RECORD_FIXED_LEN, r#"{"Data":""}"#.len());
        assert_eq!(
            EXPLICIT_HASH_KEY_MEMBER_MAX_LEN,
            r#","ExplicitHashKey":"340282366920938463463374607431768211455""#.len()
        );
        assert_eq!(json_string_len(3), r#""abc""#.len());
        assert_eq!(KINESIS_BATCH_FIXED_LEN, r#"{"Records":[]}"#.len());
        assert_eq!(
            FIREHOSE_BATCH_FIXED_LEN,
            r#"{"DeliveryStreamName":,"Records":[]}"#.len()
        );
    }

    #[test]
    fn the_measure_agrees_with_kinesis_record_len() {
        for record in [
            Record::new(b"", "k"),
            Record::new(b"\x00\x01\x02\x03", "a\"b\\c\n\u{1}é"),
            Record::new(b"x", "k")
                .with_explicit_hash_key("340282366920938463463374607431768211455"),
        ] {
            let m = MeasuredRecord::new(&record).unwrap();
            assert_eq!(m.encoded_len(), kinesis_record_len(&record));
            assert_eq!(m.members_len() + 2, m.encoded_len());
            // The object fills exactly the bytes measured.
            let mut storage = [0u8; 128];
            let (exact, _) = storage.split_at_mut(m.encoded_len());
            let mut out = SliceBuf::new(exact);
            m.write_object(&mut out).unwrap();
            assert_eq!(out.remaining(), 0);
        }
        let m = MeasuredRecord::new(&Record::new(b"\xff", "a\"\u{1}\n")).unwrap();
        let mut storage = [0u8; 64];
        let mut out = SliceBuf::new(&mut storage);
        m.write_object(&mut out).unwrap();
        assert_eq!(
            out.written(),
            br#"{"Data":"/w==","PartitionKey":"a\"\u0001\n"}"#
        );
        assert_eq!(
            MeasuredRecord::new(&Record::new(b"", "k").with_explicit_hash_key("01")),
            Err(ParseHashKeyError::LeadingZero { len: 2 })
        );
    }
}
