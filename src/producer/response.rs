//! Heap-free readers of the responses to Kinesis `PutRecord` / `PutRecords`, Firehose
//! `PutRecord` / `PutRecordBatch`, and of error responses.
//!
//! `parse` checks the whole body once (strict JSON through [`Scanner`], the members' types, no
//! duplicate known members) and keeps the top-level values; the per-record entries are read again
//! lazily, in request order, by [`PutRecordsResponse::entries`] and
//! [`PutRecordBatchResponse::entries`], so a 500-entry response needs no storage at all. Strings
//! are [`JsonStr`] views borrowing the body: `&str` when they hold no escapes, decoded into a
//! caller buffer when they do.
//!
//! Leniency follows botocore: unknown members are skipped, `null` means absent, and required
//! members may be missing (moto omits some). A member of the wrong type is an error naming its
//! JSON path.
//!
//! ```
//! use kinesis_codec::producer::PutRecordBatchResponse;
//! let body = br#"{"FailedPutCount":1,"Encrypted":false,"RequestResponses":[
//!   {"ErrorCode":"ServiceUnavailableException","ErrorMessage":"Slow down."},{"RecordId":"49abc"}]}"#;
//! let r = PutRecordBatchResponse::parse(body)?;
//! assert_eq!(r.failed_put_count(), Some(1));
//! assert_eq!(r.failed_indexes().collect::<Vec<_>>(), [0]);
//! assert_eq!(r.entries().nth(1).unwrap().record_id.unwrap(), "49abc");
//! # Ok::<(), kinesis_codec::producer::ResponseError>(())
//! ```
use core::fmt;

use crate::json::error_body::{ErrorBodyFault, ErrorMembers, Strictness};
use crate::json::number::number_as_u32;
use crate::json::BufferFull;
use crate::json::{JsonStr, ScanError, Scanner, Value};

/// Where in a response a problem is: `Records[3].ErrorCode`, `FailedRecordCount`, or the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonPath {
    /// The list and the entry index, when inside a list.
    pub list: Option<(&'static str, usize)>,
    /// The member name; empty for the list entry itself or the root.
    pub member: &'static str,
}

impl JsonPath {
    const ROOT: JsonPath = JsonPath {
        list: None,
        member: "",
    };
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.list, self.member) {
            (None, "") => f.write_str("(root)"),
            (None, m) => f.write_str(m),
            (Some((l, i)), "") => write!(f, "{l}[{i}]"),
            (Some((l, i)), m) => write!(f, "{l}[{i}].{m}"),
        }
    }
}

/// Why a response body could not be read.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseError {
    /// Not valid JSON (or nested too deep).
    Syntax(ScanError),
    /// A member holds a value of the wrong type.
    WrongType {
        /// Where.
        path: JsonPath,
        /// What the model says it is.
        expected: &'static str,
        /// Byte offset of the value.
        offset: usize,
    },
    /// A known member appears twice in one object.
    DuplicateMember {
        /// Where.
        path: JsonPath,
        /// Byte offset of the second key.
        offset: usize,
    },
    /// An integer member that is negative, fractional, or above `u32::MAX`.
    OutOfRange {
        /// Where.
        path: JsonPath,
        /// Byte offset of the value.
        offset: usize,
    },
}

impl From<ScanError> for ResponseError {
    fn from(e: ScanError) -> Self {
        ResponseError::Syntax(e)
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax(e) => write!(f, "{e}"),
            Self::WrongType {
                path,
                expected,
                offset,
            } => write!(f, "{path}: expected {expected} at byte {offset}"),
            Self::DuplicateMember { path, offset } => {
                write!(f, "{path}: member appears twice (byte {offset})")
            }
            Self::OutOfRange { path, offset } => write!(
                f,
                "{path}: not an integer in 0..={} at byte {offset}",
                u32::MAX
            ),
        }
    }
}

impl core::error::Error for ResponseError {}

/// Reads one object whose members of interest are `known`; calls `on(index, scanner, path)` for
/// each known member that is not `null`; skips the rest.
fn read_object<'a>(
    sc: &mut Scanner<'a>,
    at: JsonPath,
    known: &[&'static str],
    mut on: impl FnMut(usize, &mut Scanner<'a>, JsonPath) -> Result<(), ResponseError>,
) -> Result<(), ResponseError> {
    if sc.peek()? != Value::Object {
        return Err(ResponseError::WrongType {
            path: at,
            expected: "an object",
            offset: sc.offset(),
        });
    }
    sc.begin_object()?;
    let mut first = true;
    let mut seen: u32 = 0;
    loop {
        let key_offset = sc.next_offset(); // where the next member starts
        let Some(key) = sc.next_member(&mut first)? else {
            return Ok(());
        };
        let Some(i) = known.iter().position(|k| key == *k) else {
            sc.skip_value()?;
            continue;
        };
        let path = JsonPath {
            list: at.list,
            member: known.get(i).copied().unwrap_or(""),
        };
        let bit = 1u32 << (i % 32);
        if seen & bit != 0 {
            return Err(ResponseError::DuplicateMember {
                path,
                offset: key_offset,
            });
        }
        seen |= bit;
        if !sc.null()? {
            on(i, sc, path)?;
        }
    }
}

fn string_value<'a>(sc: &mut Scanner<'a>, path: JsonPath) -> Result<JsonStr<'a>, ResponseError> {
    if sc.peek()? != Value::String {
        return Err(ResponseError::WrongType {
            path,
            expected: "a string",
            offset: sc.offset(),
        });
    }
    Ok(sc.string()?)
}

fn u32_value(sc: &mut Scanner<'_>, path: JsonPath) -> Result<u32, ResponseError> {
    if sc.peek()? != Value::Number {
        return Err(ResponseError::WrongType {
            path,
            expected: "an integer",
            offset: sc.offset(),
        });
    }
    let offset = sc.offset();
    let text = sc.number()?;
    number_as_u32(text).ok_or(ResponseError::OutOfRange { path, offset })
}

fn bool_value(sc: &mut Scanner<'_>, path: JsonPath) -> Result<bool, ResponseError> {
    if sc.peek()? != Value::Bool {
        return Err(ResponseError::WrongType {
            path,
            expected: "a boolean",
            offset: sc.offset(),
        });
    }
    Ok(sc.boolean()?)
}

/// Where a validated list lives in the body, for reading it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ListSpan {
    offset: usize,
    len: usize,
}

/// Validates a list of entries with `read`, returning its span.
fn read_list<'a, E>(
    sc: &mut Scanner<'a>,
    path: JsonPath,
    read: fn(&mut Scanner<'a>, usize) -> Result<E, ResponseError>,
) -> Result<ListSpan, ResponseError> {
    if sc.peek()? != Value::Array {
        return Err(ResponseError::WrongType {
            path,
            expected: "a list",
            offset: sc.offset(),
        });
    }
    let offset = sc.offset();
    sc.begin_array()?;
    let mut first = true;
    let mut len = 0usize;
    while sc.next_element(&mut first)? {
        read(sc, len)?;
        len = len.saturating_add(1); // one per element read: at most the body's length
    }
    Ok(ListSpan { offset, len })
}

/// Lazy re-reading of a list validated by [`read_list`].
#[derive(Debug, Clone)]
struct ListCursor<'a> {
    sc: Option<Scanner<'a>>,
    first: bool,
    index: usize,
}

impl<'a> ListCursor<'a> {
    fn new(body: &'a [u8], span: Option<ListSpan>) -> Self {
        let sc = span.and_then(|s| {
            let mut sc = Scanner::at(body, s.offset, 1);
            sc.begin_array().ok().map(|()| sc)
        });
        ListCursor {
            sc,
            first: true,
            index: 0,
        }
    }

    fn next<E>(
        &mut self,
        read: fn(&mut Scanner<'a>, usize) -> Result<E, ResponseError>,
    ) -> Option<E> {
        let sc = self.sc.as_mut()?;
        let item = match sc.next_element(&mut self.first) {
            Ok(true) => read(sc, self.index).ok(),
            _ => None,
        };
        if item.is_none() {
            // End of the list (or, impossibly after validation, an error): stop for good.
            self.sc = None;
        }
        self.index = self.index.saturating_add(1);
        item
    }
}

/// One entry of a Kinesis `PutRecords` response, for the record at the same index of the
/// request: `SequenceNumber` and `ShardId` when it was stored, `ErrorCode` and `ErrorMessage`
/// when it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PutRecordsEntry<'a> {
    /// `SequenceNumber`.
    pub sequence_number: Option<JsonStr<'a>>,
    /// `ShardId`.
    pub shard_id: Option<JsonStr<'a>>,
    /// `ErrorCode`, e.g. `ProvisionedThroughputExceededException` or `InternalFailure`.
    pub error_code: Option<JsonStr<'a>>,
    /// `ErrorMessage`.
    pub error_message: Option<JsonStr<'a>>,
}

impl PutRecordsEntry<'_> {
    /// Whether the record failed (the entry has an `ErrorCode`) and should be retried.
    pub fn is_failed(&self) -> bool {
        self.error_code.is_some()
    }
}

fn read_put_records_entry<'a>(
    sc: &mut Scanner<'a>,
    index: usize,
) -> Result<PutRecordsEntry<'a>, ResponseError> {
    let mut e = PutRecordsEntry::default();
    let at = JsonPath {
        list: Some(("Records", index)),
        member: "",
    };
    const KNOWN: [&str; 4] = ["SequenceNumber", "ShardId", "ErrorCode", "ErrorMessage"];
    read_object(sc, at, &KNOWN, |i, sc, path| {
        let v = Some(string_value(sc, path)?);
        match i {
            0 => e.sequence_number = v,
            1 => e.shard_id = v,
            2 => e.error_code = v,
            _ => e.error_message = v,
        }
        Ok(())
    })?;
    Ok(e)
}

/// A Kinesis `PutRecords` response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PutRecordsResponse<'a> {
    body: &'a [u8],
    failed_record_count: Option<u32>,
    encryption_type: Option<JsonStr<'a>>,
    records: Option<ListSpan>,
}

impl<'a> PutRecordsResponse<'a> {
    /// Checks and reads a `PutRecords` response body.
    pub fn parse(body: &'a [u8]) -> Result<Self, ResponseError> {
        let mut sc = Scanner::new(body);
        let mut failed_record_count = None;
        let mut encryption_type = None;
        let mut records = None;
        const KNOWN: [&str; 3] = ["FailedRecordCount", "EncryptionType", "Records"];
        read_object(&mut sc, JsonPath::ROOT, &KNOWN, |i, sc, path| {
            match i {
                0 => failed_record_count = Some(u32_value(sc, path)?),
                1 => encryption_type = Some(string_value(sc, path)?),
                _ => records = Some(read_list(sc, path, read_put_records_entry)?),
            }
            Ok(())
        })?;
        sc.end()?;
        Ok(PutRecordsResponse {
            body,
            failed_record_count,
            encryption_type,
            records,
        })
    }

    /// `FailedRecordCount`, as sent (not recomputed).
    pub fn failed_record_count(&self) -> Option<u32> {
        self.failed_record_count
    }

    /// `EncryptionType` (`NONE`, `KMS`, or a value added later).
    pub fn encryption_type(&self) -> Option<JsonStr<'a>> {
        self.encryption_type
    }

    /// The number of entries in `Records`.
    pub fn len(&self) -> usize {
        self.records.map_or(0, |s| s.len)
    }

    /// Whether `Records` is empty or absent.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries in request order.
    pub fn entries(&self) -> PutRecordsEntries<'a> {
        PutRecordsEntries {
            cursor: ListCursor::new(self.body, self.records),
        }
    }

    /// The indexes (in the request) of the records that failed, ascending: retry exactly these.
    pub fn failed_indexes(&self) -> impl Iterator<Item = usize> + 'a {
        self.entries()
            .enumerate()
            .filter_map(|(i, e)| e.is_failed().then_some(i))
    }
}

/// Iterator over the entries of a [`PutRecordsResponse`], in request order.
#[derive(Debug, Clone)]
pub struct PutRecordsEntries<'a> {
    cursor: ListCursor<'a>,
}

impl<'a> Iterator for PutRecordsEntries<'a> {
    type Item = PutRecordsEntry<'a>;
    fn next(&mut self) -> Option<Self::Item> {
        self.cursor.next(read_put_records_entry)
    }
}

/// One entry of a Firehose `PutRecordBatch` response: `RecordId` when stored, `ErrorCode` and
/// `ErrorMessage` when it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PutRecordBatchEntry<'a> {
    /// `RecordId`.
    pub record_id: Option<JsonStr<'a>>,
    /// `ErrorCode`.
    pub error_code: Option<JsonStr<'a>>,
    /// `ErrorMessage`.
    pub error_message: Option<JsonStr<'a>>,
}

impl PutRecordBatchEntry<'_> {
    /// Whether the record failed (the entry has an `ErrorCode`).
    pub fn is_failed(&self) -> bool {
        self.error_code.is_some()
    }
}

fn read_batch_entry<'a>(
    sc: &mut Scanner<'a>,
    index: usize,
) -> Result<PutRecordBatchEntry<'a>, ResponseError> {
    let mut e = PutRecordBatchEntry::default();
    let at = JsonPath {
        list: Some(("RequestResponses", index)),
        member: "",
    };
    const KNOWN: [&str; 3] = ["RecordId", "ErrorCode", "ErrorMessage"];
    read_object(sc, at, &KNOWN, |i, sc, path| {
        let v = Some(string_value(sc, path)?);
        match i {
            0 => e.record_id = v,
            1 => e.error_code = v,
            _ => e.error_message = v,
        }
        Ok(())
    })?;
    Ok(e)
}

/// A Firehose `PutRecordBatch` response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PutRecordBatchResponse<'a> {
    body: &'a [u8],
    failed_put_count: Option<u32>,
    encrypted: Option<bool>,
    entries: Option<ListSpan>,
}

impl<'a> PutRecordBatchResponse<'a> {
    /// Checks and reads a `PutRecordBatch` response body.
    pub fn parse(body: &'a [u8]) -> Result<Self, ResponseError> {
        let mut sc = Scanner::new(body);
        let mut failed_put_count = None;
        let mut encrypted = None;
        let mut entries = None;
        const KNOWN: [&str; 3] = ["FailedPutCount", "Encrypted", "RequestResponses"];
        read_object(&mut sc, JsonPath::ROOT, &KNOWN, |i, sc, path| {
            match i {
                0 => failed_put_count = Some(u32_value(sc, path)?),
                1 => encrypted = Some(bool_value(sc, path)?),
                _ => entries = Some(read_list(sc, path, read_batch_entry)?),
            }
            Ok(())
        })?;
        sc.end()?;
        Ok(PutRecordBatchResponse {
            body,
            failed_put_count,
            encrypted,
            entries,
        })
    }

    /// `FailedPutCount`, as sent.
    pub fn failed_put_count(&self) -> Option<u32> {
        self.failed_put_count
    }

    /// `Encrypted`: whether server-side encryption was on.
    pub fn encrypted(&self) -> Option<bool> {
        self.encrypted
    }

    /// The number of entries in `RequestResponses`.
    pub fn len(&self) -> usize {
        self.entries.map_or(0, |s| s.len)
    }

    /// Whether `RequestResponses` is empty or absent.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries in request order.
    pub fn entries(&self) -> PutRecordBatchEntries<'a> {
        PutRecordBatchEntries {
            cursor: ListCursor::new(self.body, self.entries),
        }
    }

    /// The indexes of the records that failed, ascending.
    pub fn failed_indexes(&self) -> impl Iterator<Item = usize> + 'a {
        self.entries()
            .enumerate()
            .filter_map(|(i, e)| e.is_failed().then_some(i))
    }
}

/// Iterator over the entries of a [`PutRecordBatchResponse`], in request order.
#[derive(Debug, Clone)]
pub struct PutRecordBatchEntries<'a> {
    cursor: ListCursor<'a>,
}

impl<'a> Iterator for PutRecordBatchEntries<'a> {
    type Item = PutRecordBatchEntry<'a>;
    fn next(&mut self) -> Option<Self::Item> {
        self.cursor.next(read_batch_entry)
    }
}

/// A Kinesis `PutRecord` response: `ShardId`, `SequenceNumber`, `EncryptionType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KinesisPutRecordResponse<'a> {
    /// `ShardId`.
    pub shard_id: Option<JsonStr<'a>>,
    /// `SequenceNumber`.
    pub sequence_number: Option<JsonStr<'a>>,
    /// `EncryptionType`.
    pub encryption_type: Option<JsonStr<'a>>,
}

impl<'a> KinesisPutRecordResponse<'a> {
    /// Checks and reads a Kinesis `PutRecord` response body.
    pub fn parse(body: &'a [u8]) -> Result<Self, ResponseError> {
        let mut sc = Scanner::new(body);
        let mut r = Self::default();
        const KNOWN: [&str; 3] = ["ShardId", "SequenceNumber", "EncryptionType"];
        read_object(&mut sc, JsonPath::ROOT, &KNOWN, |i, sc, path| {
            let v = Some(string_value(sc, path)?);
            match i {
                0 => r.shard_id = v,
                1 => r.sequence_number = v,
                _ => r.encryption_type = v,
            }
            Ok(())
        })?;
        sc.end()?;
        Ok(r)
    }
}

/// A Firehose `PutRecord` response: `RecordId`, `Encrypted`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FirehosePutRecordResponse<'a> {
    /// `RecordId`.
    pub record_id: Option<JsonStr<'a>>,
    /// `Encrypted`.
    pub encrypted: Option<bool>,
}

impl<'a> FirehosePutRecordResponse<'a> {
    /// Checks and reads a Firehose `PutRecord` response body.
    pub fn parse(body: &'a [u8]) -> Result<Self, ResponseError> {
        let mut sc = Scanner::new(body);
        let mut r = Self::default();
        const KNOWN: [&str; 2] = ["RecordId", "Encrypted"];
        read_object(&mut sc, JsonPath::ROOT, &KNOWN, |i, sc, path| {
            if i == 0 {
                r.record_id = Some(string_value(sc, path)?);
            } else {
                r.encrypted = Some(bool_value(sc, path)?);
            }
            Ok(())
        })?;
        sc.end()?;
        Ok(r)
    }
}

pub use crate::json::error_code;

/// An error response body: `{"__type": T, "message" | "Message": M, …}`.
///
/// An empty body (only whitespace) reads as an error with neither member: then the HTTP status
/// decides. A body that is not JSON (an HTML 5xx page) is a [`ResponseError`]; the caller
/// still has an error, identified by its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ErrorResponse<'a> {
    /// `__type` as sent.
    pub error_type: Option<JsonStr<'a>>,
    /// `message`, or `Message` when there is no `message`.
    pub message: Option<JsonStr<'a>>,
}

impl<'a> ErrorResponse<'a> {
    /// Checks and reads an error body, strictly ([`Strictness::Strict`]: each of `__type`,
    /// `message` and `Message` at most once, and a string or `null`).
    pub fn parse(body: &'a [u8]) -> Result<Self, ResponseError> {
        if Scanner::new(body).at_end() {
            return Ok(Self::default());
        }
        let path = |member| JsonPath { list: None, member };
        let members =
            ErrorMembers::read(body, Strictness::Strict).map_err(|fault| match fault {
                ErrorBodyFault::NotAnObject { offset } => ResponseError::WrongType {
                    path: JsonPath::ROOT,
                    expected: "an object",
                    offset,
                },
                ErrorBodyFault::NotAString { member, offset } => ResponseError::WrongType {
                    path: path(member),
                    expected: "a string",
                    offset,
                },
                ErrorBodyFault::Duplicate { member, offset } => ResponseError::DuplicateMember {
                    path: path(member),
                    offset,
                },
                ErrorBodyFault::Syntax(e) => ResponseError::Syntax(e),
            })?;
        Ok(ErrorResponse {
            error_type: members.error_type,
            message: members.message(),
        })
    }

    /// The error code by the `__type` rule ([`error_code`]), when `__type` is present and holds
    /// no escapes (use [`code_into`](Self::code_into) for the general case).
    pub fn code(&self) -> Option<&'a str> {
        self.error_type.and_then(|t| t.as_str()).map(error_code)
    }

    /// The error code decoded into `buf`, escapes or not; `Ok(None)` without `__type`.
    pub fn code_into<'b>(&self, buf: &'b mut [u8]) -> Result<Option<&'b str>, BufferFull> {
        match self.error_type {
            None => Ok(None),
            Some(t) => Ok(Some(error_code(t.unescape_into(buf)?))),
        }
    }
}
