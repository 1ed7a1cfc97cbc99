//! Amazon Kinesis Data Streams (API 2013-12-02) on the wire: every operation of the model.
//!
//! *Requires feature* `alloc`.
//!
//! - [`Operation`]: every operation, its name and its `X-Amz-Target` header, both ways.
//! - [`Request`] / [`Response`]: a body typed by operation, parsed from bytes (borrowing strings
//!   and base64 from them) and written back ([`Request::to_vec`], [`Response::to_vec`]).
//! - [`Error`]: an error body, with every modeled exception and unknown codes kept.
//! - [`Request::validate`] / [`Request::check_body`]: the model's constraints and types checked
//!   as the service checks them, with its error (module [`crate::validate`]).
//! - [`shapes`]: every shape of the model, generated from it (see that module for the rules on
//!   required members, enums, blobs and timestamps).
//! - [`SubscribeToShardItem`]: the event stream of `SubscribeToShard` (module [`subscribe`]).
//! - [`records`]: every record's bytes of a `GetRecords` answer or a `SubscribeToShardEvent`,
//!   decoded into one caller buffer.
//!
//! A request, as an emulator receives it:
//!
//! ```
//! use kinesis_codec::kinesis::{Operation, Request};
//!
//! let target = "Kinesis_20131202.PutRecords"; // the X-Amz-Target header
//! let body = br#"{"StreamName":"orders","Records":[{"Data":"aGVsbG8=","PartitionKey":"a"}]}"#;
//!
//! let operation = Operation::from_target(target).unwrap();
//! let request = Request::parse(operation, body)?;
//! let Request::PutRecords(input) = &request else { unreachable!() };
//! assert_eq!(input.stream_name.as_deref(), Some("orders"));
//! assert_eq!(input.records[0].data.to_vec(), b"hello");
//!
//! // Written back, it is the same JSON value.
//! let again: serde_json::Value = serde_json::from_slice(&request.to_vec()).unwrap();
//! assert_eq!(again, serde_json::from_slice::<serde_json::Value>(body).unwrap());
//!
//! // A body that does not fit names the JSON path and the member.
//! let bad = br#"{"Records":[{"Data":"aGVsbG8"}]}"#;
//! let error = Request::parse(Operation::PutRecords, bad).unwrap_err();
//! assert_eq!(error.path(), "$.Records[0].Data");
//! assert!(error.to_string().contains("invalid base64"));
//! # Ok::<(), kinesis_codec::kinesis::WireError>(())
//! ```
//!
//! An error, as an SDK receives it:
//!
//! ```
//! use kinesis_codec::kinesis::Error;
//!
//! let body = br#"{"__type":"com.amazonaws.kinesis.v20131202#ResourceNotFoundException","message":"Stream orders not found"}"#;
//! let error = Error::parse(body, Some(400))?;
//! assert!(matches!(error, Error::ResourceNotFoundException(_)));
//! assert_eq!(error.code(), "ResourceNotFoundException");
//! assert_eq!(error.message(), Some("Stream orders not found"));
//!
//! // As a server sends it.
//! assert_eq!(
//!     error.to_vec(),
//!     br#"{"__type":"ResourceNotFoundException","message":"Stream orders not found"}"#
//! );
//!
//! // No JSON at all: the HTTP status decides, as in botocore.
//! let error = Error::parse(b"", Some(503))?;
//! assert_eq!(error.code(), "503");
//! # Ok::<(), kinesis_codec::kinesis::WireError>(())
//! ```

mod arguments;
mod generated;
pub mod records;
pub mod subscribe;

pub use crate::wire::{error_code, WireError};
pub use generated::errors::Error;
pub use generated::operations::{Operation, Request, Response};
pub use generated::shapes;
/// The compiled patterns of the model's inputs (for the tests that check the automata).
#[doc(hidden)]
pub use generated::validate::PATTERNS as VALIDATION_PATTERNS;
pub use subscribe::{SubscribeError, SubscribeToShardItem};
