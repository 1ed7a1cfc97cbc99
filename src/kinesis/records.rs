//! Every record's bytes at once: the `Data` of a `GetRecords` answer or of a
//! `SubscribeToShardEvent`, decoded into one caller buffer, with no allocation per record.
//!
//! Two ways, both decoding with base64's SIMD engine (with `std` on x86_64 and aarch64):
//!
//! - In one pass: [`parse_get_records`] and [`parse_event`] decode each record's base64 into the
//!   caller's buffer as the body is read, while the text is in cache; the records' blobs then
//!   hold their bytes ([`Blob::as_bytes`](crate::blob::Blob::as_bytes)). A buffer of
//!   [`max_decoded_len`] bytes always suffices; a body that cannot be read so (a blob written
//!   with escapes) is read as `Response::parse` reads it, blobs as text.
//! - After parsing: [`decode_data_into`] decodes the data of parsed records, back to back, into a
//!   buffer ([`decoded_len`] says how large) and hands back an iterator of `(record, bytes)`,
//!   whatever form the blobs are in.
//!
//! ```
//! use kinesis_codec::kinesis::records::{max_decoded_len, parse_get_records};
//!
//! let body = br#"{"Records":[{"SequenceNumber":"1","Data":"aGVsbG8=","PartitionKey":"a"}],"MillisBehindLatest":0}"#;
//! let mut buf = vec![0u8; max_decoded_len(body)]; // kept and reused from call to call
//! let answer = parse_get_records(body, &mut buf)?;
//! let record = &answer.records.as_ref().unwrap()[0];
//! assert_eq!(record.data.as_ref().unwrap().as_bytes(), Some(&b"hello"[..]));
//! # Ok::<(), kinesis_codec::kinesis::WireError>(())
//! ```
//!
//! ```
//! use kinesis_codec::kinesis::records::{decode_data_into, decoded_len};
//! use kinesis_codec::kinesis::{Operation, Response};
//!
//! let body = br#"{"Records":[
//!     {"SequenceNumber":"1","Data":"aGVsbG8=","PartitionKey":"a"},
//!     {"SequenceNumber":"2","Data":"d29ybGQ=","PartitionKey":"b"}],"MillisBehindLatest":0}"#;
//! let Response::GetRecords(answer) = Response::parse(Operation::GetRecords, body)? else { unreachable!() };
//! let records = answer.records.as_deref().unwrap_or_default();
//!
//! let mut buf = vec![0u8; decoded_len(records)]; // or a buffer kept from the last call
//! for (record, bytes) in decode_data_into(records, &mut buf)? {
//!     println!("{:?}: {:?}", record.sequence_number, bytes);
//! }
//! let all: Vec<&[u8]> = decode_data_into(records, &mut buf)?.map(|(_, b)| b).collect();
//! assert_eq!(all, [&b"hello"[..], b"world"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;

use crate::blob::BlobError;
use crate::wire::{ParseOptions, WireError};

use super::shapes::{GetRecordsOutput, Record, SubscribeToShardEvent};

/// A buffer size that holds the decoded data of every blob of `body`: base64 text is at least
/// four thirds of what it decodes to.
pub fn max_decoded_len(body: &[u8]) -> usize {
    (body.len() / 4).saturating_mul(3)
}

/// Parses a `GetRecords` answer, decoding every record's data into `buf` as it goes (see the
/// module).
pub fn parse_get_records<'a>(
    body: &'a [u8],
    buf: &'a mut [u8],
) -> Result<GetRecordsOutput<'a>, WireError> {
    crate::wire::parse_json_decoding(body, buf, &ParseOptions::new())
}

/// Parses the payload of a `SubscribeToShardEvent` frame, decoding every record's data into
/// `buf` as it goes (see the module).
pub fn parse_event<'a>(
    payload: &'a [u8],
    buf: &'a mut [u8],
) -> Result<SubscribeToShardEvent<'a>, WireError> {
    crate::wire::parse_json_decoding(payload, buf, &ParseOptions::new())
}

/// Why the records' data could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DataError {
    /// The buffer is smaller than the data of all records together ([`decoded_len`]).
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
        /// Bytes available.
        available: usize,
    },
    /// A record's data is not valid base64 (only possible for a blob that did not come from
    /// parsing, which checks it).
    Record {
        /// The record's position in the list.
        index: usize,
        /// What is wrong with it.
        error: BlobError,
    },
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataError::BufferTooSmall { needed, available } => write!(
                f,
                "the buffer holds {available} bytes; the records' data needs {needed}"
            ),
            DataError::Record { index, error } => write!(f, "record {index}: {error}"),
        }
    }
}

impl core::error::Error for DataError {}

/// The number of bytes the data of all `records` decodes to: the buffer size
/// [`decode_data_into`] needs.
pub fn decoded_len(records: &[Record<'_>]) -> usize {
    records
        .iter()
        .map(|r| r.data.as_ref().map_or(0, |d| d.decoded_len()))
        .fold(0, usize::saturating_add)
}

/// Decodes the data of every record into `buf`, back to back, and returns an iterator of each
/// record with its bytes (a record without `Data` has none). Fails, before decoding anything,
/// when `buf` is smaller than [`decoded_len`].
pub fn decode_data_into<'r, 'a, 'b>(
    records: &'r [Record<'a>],
    buf: &'b mut [u8],
) -> Result<RecordData<'r, 'a, 'b>, DataError> {
    let needed = decoded_len(records);
    let available = buf.len();
    if needed > available {
        return Err(DataError::BufferTooSmall { needed, available });
    }
    let mut at = 0usize;
    for (index, record) in records.iter().enumerate() {
        let Some(data) = &record.data else { continue };
        let target = buf.get_mut(at..).unwrap_or_default();
        let n = data
            .decode_into(target)
            .map_err(|error| DataError::Record { index, error })?;
        at = at.saturating_add(n);
    }
    let bytes: &'b [u8] = buf;
    Ok(RecordData {
        records: records.iter(),
        bytes,
    })
}

/// Each record with its decoded data, in order (see [`decode_data_into`]).
#[derive(Debug, Clone)]
pub struct RecordData<'r, 'a, 'b> {
    records: core::slice::Iter<'r, Record<'a>>,
    /// The data not handed out yet, back to back.
    bytes: &'b [u8],
}

impl<'r, 'a, 'b> Iterator for RecordData<'r, 'a, 'b> {
    type Item = (&'r Record<'a>, &'b [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let record = self.records.next()?;
        let n = record.data.as_ref().map_or(0, |d| d.decoded_len());
        let (head, tail) = self.bytes.split_at_checked(n).unwrap_or((self.bytes, &[]));
        self.bytes = tail;
        Some((record, head))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.records.size_hint()
    }
}

impl ExactSizeIterator for RecordData<'_, '_, '_> {}
