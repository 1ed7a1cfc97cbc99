//! Every record's bytes at once: the `Data` of a `GetRecords` answer or of a
//! `SubscribeToShardEvent`, decoded into one caller buffer, with no allocation per record.
//!
//! In JSON, two ways, both decoding with base64's SIMD engine (with `std` on x86_64 and aarch64):
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
//! In CBOR the records' data are byte strings: [`parse_get_records_cbor`] and
//! [`parse_event_cbor`] hand them out borrowed from the body, with no buffer and no decoding,
//! reading the service's form straight off the CBOR core (see below).
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

mod cbor;

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

/// Parses a `GetRecords` answer in CBOR: every record's `Data` borrows its bytes from `body`
/// (raw bytes: no base64, no buffer).
///
/// What `Response::parse_in(Protocol::Cbor, Operation::GetRecords, body)` gives, without the
/// enum: the form the service and the Java SDK write (definite lengths, tag 1 + integer
/// milliseconds; `spec/cbor.md`) is read straight off the CBOR core, member names matched as
/// bytes, and any other body (other forms, unknown members, errors) is read by the serde reader
/// every shape uses, to the same value or the same error.
///
/// ```
/// use kinesis_codec::kinesis::records::parse_get_records_cbor;
/// use kinesis_codec::kinesis::{Operation, Response};
/// use kinesis_codec::wire::Protocol;
///
/// let json = br#"{"Records":[{"SequenceNumber":"1","Data":"aGVsbG8=","PartitionKey":"a",
///     "ApproximateArrivalTimestamp":1718000000.123}],"MillisBehindLatest":0}"#;
/// let cbor = Response::parse(Operation::GetRecords, json)?.to_vec_in(Protocol::Cbor);
///
/// let answer = parse_get_records_cbor(&cbor)?;
/// let record = &answer.records.as_ref().unwrap()[0];
/// assert_eq!(record.data.as_ref().unwrap().as_bytes(), Some(&b"hello"[..]));
/// assert_eq!(record.approximate_arrival_timestamp.unwrap().as_millis(), 1_718_000_000_123);
/// # Ok::<(), kinesis_codec::kinesis::WireError>(())
/// ```
pub fn parse_get_records_cbor(body: &[u8]) -> Result<GetRecordsOutput<'_>, WireError> {
    let options = ParseOptions::new();
    match read_get_records_cbor(body, &options) {
        Some(answer) => Ok(answer),
        None => crate::wire::parse_body_in(crate::wire::Protocol::Cbor, body, &options),
    }
}

/// Parses the CBOR payload of a `SubscribeToShardEvent` frame as [`parse_get_records_cbor`]
/// parses a `GetRecords` answer (what [`SubscribeToShardItem`](super::subscribe::SubscribeToShardItem)
/// uses for a frame whose `:content-type` is CBOR).
pub fn parse_event_cbor(payload: &[u8]) -> Result<SubscribeToShardEvent<'_>, WireError> {
    let options = ParseOptions::new();
    match read_event_cbor(payload, &options) {
        Some(event) => Ok(event),
        None => crate::wire::parse_body_in(crate::wire::Protocol::Cbor, payload, &options),
    }
}

/// The direct CBOR reader of a `GetRecords` answer within `options`: `None` where the serde
/// reader must read the body. The one way in: [`parse_get_records_cbor`], the generated
/// `Response::parse_in` (`tests/codegen`'s `cbor_responses`) and [`get_records_cbor_direct`]
/// all call it.
pub(crate) fn read_get_records_cbor<'a>(
    body: &'a [u8],
    options: &ParseOptions,
) -> Option<GetRecordsOutput<'a>> {
    cbor::get_records(body, options)
}

/// The direct CBOR reader of [`parse_get_records_cbor`] alone: `None` where that function falls
/// back to the serde reader (for tests that the direct reader reads the service's form, and
/// reads it to the same value).
#[doc(hidden)]
pub fn get_records_cbor_direct(body: &[u8]) -> Option<GetRecordsOutput<'_>> {
    read_get_records_cbor(body, &ParseOptions::new())
}

/// [`read_get_records_cbor`] for a `SubscribeToShardEvent` payload: the one way into the direct
/// event reader, for [`parse_event_cbor`] and [`event_cbor_direct`].
fn read_event_cbor<'a>(
    payload: &'a [u8],
    options: &ParseOptions,
) -> Option<SubscribeToShardEvent<'a>> {
    cbor::event(payload, options)
}

/// [`get_records_cbor_direct`] for [`parse_event_cbor`].
#[doc(hidden)]
pub fn event_cbor_direct(payload: &[u8]) -> Option<SubscribeToShardEvent<'_>> {
    read_event_cbor(payload, &ParseOptions::new())
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
