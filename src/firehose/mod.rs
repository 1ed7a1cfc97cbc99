//! Amazon Kinesis Firehose (API 2015-08-04) on the wire: every operation of the model.
//!
//! *Requires feature* `alloc`.
//!
//! The same API as [`kinesis`](crate::kinesis): [`Operation`], [`Request`], [`Response`],
//! [`Error`], and the generated [`shapes`].
//!
//! ```
//! use kinesis_codec::firehose::{Error, Operation, Request};
//!
//! let body = br#"{"DeliveryStreamName":"logs","Records":[{"Data":"aGk="}]}"#;
//! let request = Request::parse(Operation::from_target("Firehose_20150804.PutRecordBatch").unwrap(), body)?;
//! let Request::PutRecordBatch(input) = &request else { unreachable!() };
//! assert_eq!(input.delivery_stream_name, "logs");
//! assert_eq!(input.records[0].data.to_vec(), b"hi");
//!
//! let error = Error::parse(br#"{"__type":"InvalidKMSResourceException","code":"KMS.NotFound","message":"gone"}"#, Some(400))?;
//! let Error::InvalidKMSResourceException(e) = &error else { unreachable!() };
//! assert_eq!(e.code.as_deref(), Some("KMS.NotFound"));
//! # Ok::<(), kinesis_codec::firehose::WireError>(())
//! ```

mod arguments;
mod generated;

pub use crate::wire::{error_code, WireError};
pub use generated::errors::Error;
pub use generated::operations::{Operation, Request, Response};
pub use generated::shapes;
/// The compiled patterns of the model's inputs (for the tests that check the automata).
#[doc(hidden)]
pub use generated::validate::PATTERNS as VALIDATION_PATTERNS;
