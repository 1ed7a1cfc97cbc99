//! No-allocation producers: request bodies of Kinesis `PutRecord` / `PutRecords` and Firehose
//! `PutRecord` / `PutRecordBatch` written into caller buffers, the services' batching limits,
//! heap-free readers of their responses and errors, and routing of records to shards
//! ([`route`]).
//!
//! Everything here works without an allocator (`#![no_std]`, no features), for producers on
//! microcontrollers and in hot loops.
//!
//! # Writing a `PutRecords` body into a stack buffer
//!
//! Records are appended one at a time; data is base64-encoded in place, keys and names are
//! JSON-escaped. A record that does not fit fails with a typed error and leaves the body valid up
//! to the last accepted record ([`body`] explains). The [`Batcher`] adds the service limits.
//!
//! ```
//! use kinesis_codec::producer::{
//!     kinesis_put_records_capacity, Batcher, Limits, Operation, Record, SliceBuf, StreamRef,
//!     CONTENT_TYPE,
//! };
//! // Room for 3 records of up to 16 data bytes and 8 key bytes, with explicit hash keys.
//! const CAP: usize = kinesis_put_records_capacity(3, 16, 8, true, 32);
//! let mut storage = [0u8; CAP];
//! let mut batch = Batcher::kinesis(SliceBuf::new(&mut storage), StreamRef::Name("orders"), Limits::KINESIS)?;
//! batch.push(&Record::new(b"hello", "user-1"))?;
//! batch.push(&Record::new(b"\x00\xff", "key \"2\"").with_explicit_hash_key("42"))?;
//! let body = batch.finish()?.into_written();
//! assert_eq!(
//!     body,
//!     br#"{"StreamName":"orders","Records":[{"Data":"aGVsbG8=","PartitionKey":"user-1"},{"Data":"AP8=","PartitionKey":"key \"2\"","ExplicitHashKey":"42"}]}"#
//! );
//! // The HTTP request: POST / with these two headers and the body.
//! assert_eq!(Operation::KinesisPutRecords.target(), "Kinesis_20131202.PutRecords");
//! assert_eq!(CONTENT_TYPE, "application/x-amz-json-1.1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Reading a `PutRecords` response and retrying the failed records
//!
//! ```
//! use kinesis_codec::producer::PutRecordsResponse;
//! let body = br#"{"FailedRecordCount":1,"Records":[
//!     {"SequenceNumber":"4959","ShardId":"shardId-000000000000"},
//!     {"ErrorCode":"ProvisionedThroughputExceededException","ErrorMessage":"Rate exceeded for shard"},
//!     {"SequenceNumber":"4960","ShardId":"shardId-000000000001"}]}"#;
//! let response = PutRecordsResponse::parse(body)?;
//! assert_eq!(response.failed_record_count(), Some(1));
//! let failed: Vec<usize> = response.failed_indexes().collect();
//! assert_eq!(failed, [1]);
//! let first = response.entries().next().unwrap();
//! assert_eq!(first.shard_id.and_then(|s| s.as_str()), Some("shardId-000000000000"));
//! # Ok::<(), kinesis_codec::producer::ResponseError>(())
//! ```
//!
//! # Reading an error response
//!
//! ```
//! use kinesis_codec::producer::ErrorResponse;
//! let body = br#"{"__type":"com.amazonaws.kinesis.v20131202#ResourceNotFoundException","message":"Stream s not found"}"#;
//! let e = ErrorResponse::parse(body)?;
//! assert_eq!(e.code(), Some("ResourceNotFoundException"));
//! assert_eq!(e.message.and_then(|m| m.as_str()), Some("Stream s not found"));
//! # Ok::<(), kinesis_codec::producer::ResponseError>(())
//! ```

pub mod batch;
pub mod body;
#[cfg(feature = "embedded-io")]
pub mod embedded;
pub mod http;
pub mod measure;
pub mod response;
pub mod route;

pub use crate::json::{BufferFull, JsonStr, ScanError, Sink, SliceBuf};
pub use batch::{
    firehose_put_record_batch_capacity, kinesis_put_records_capacity, BatchCounter, BatchError,
    Batcher, KeyUnit, Limit, LimitError, Limits, RecordError, Service,
};
pub use body::{
    check_hash_key_decimal, write_firehose_put_record, write_kinesis_put_record,
    PutRecordBatchWriter, PutRecordOptions, PutRecordsWriter, Record, StreamRef, WriteError,
};
pub use measure::MeasuredRecord;
pub use response::{
    ErrorResponse, FirehosePutRecordResponse, KinesisPutRecordResponse, PutRecordBatchEntry,
    PutRecordBatchResponse, PutRecordsEntry, PutRecordsResponse, ResponseError,
};

/// The `Content-Type` of every request and response body here.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// The four producer operations, for their `X-Amz-Target` header values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Kinesis `PutRecord`.
    KinesisPutRecord,
    /// Kinesis `PutRecords`.
    KinesisPutRecords,
    /// Firehose `PutRecord`.
    FirehosePutRecord,
    /// Firehose `PutRecordBatch`.
    FirehosePutRecordBatch,
}

impl Operation {
    /// The `X-Amz-Target` header value, e.g. `Kinesis_20131202.PutRecords`.
    pub const fn target(self) -> &'static str {
        match self {
            Operation::KinesisPutRecord => "Kinesis_20131202.PutRecord",
            Operation::KinesisPutRecords => "Kinesis_20131202.PutRecords",
            Operation::FirehosePutRecord => "Firehose_20150804.PutRecord",
            Operation::FirehosePutRecordBatch => "Firehose_20150804.PutRecordBatch",
        }
    }

    /// The `Content-Type` header value: `application/x-amz-json-1.1`.
    pub const fn content_type(self) -> &'static str {
        CONTENT_TYPE
    }
}
