//! Request validation as the services do it: the constraints of the models (`required`,
//! `min`/`max` lengths and values, `pattern`, `enum`), reported as a `ValidationException`
//! with the service's message.
//!
//! The checks themselves are generated from each model (`Request::validate` of
//! [`kinesis`](crate::kinesis) and [`firehose`](crate::firehose)); this module holds what they
//! share: the [`Violations`] they collect (no heap: the first ten are kept, all are counted),
//! the [`ValidationError`] whose `Display` is the service's message, the checks of each kind of
//! constraint ([`check`]), and the pattern automata ([`pattern`]), compiled from the models'
//! regular expressions by the generator.
//!
//! [`body`] checks a request body as a server receives it (feature `alloc`): type errors
//! first (`SerializationException`), then the constraints with every missing required member,
//! as a [`Refusal`].
//!
//! [`arguments`] holds the service's next checks, which need only the request: the
//! `InvalidArgumentException`s of hash keys, request sizes, `ListShards` and `GetShardIterator`
//! arguments, retention periods and tag characters (`Request::check_arguments`).
//!
//! Facts: `spec/validation.md`. Validating a valid request allocates nothing; the message is
//! written into any `core::fmt::Write` (`write!(out, "{error}")`).
//!
//! ```
//! # #[cfg(feature = "alloc")] {
//! use kinesis_codec::kinesis::{Error, Operation, Request};
//! use kinesis_codec::wire::Protocol;
//!
//! let body = br#"{"StreamName":"orders","Records":[{"Data":"aGk=","PartitionKey":""}]}"#;
//! let request = Request::parse(Operation::PutRecords, body).unwrap();
//! let error = request.validate().unwrap_err();
//! assert_eq!(
//!     error.to_string(),
//!     "1 validation error detected: Value '' at 'records.1.member.partitionKey' failed to \
//!      satisfy constraint: Member must have length greater than or equal to 1"
//! );
//!
//! // The answer an emulator sends, in either protocol.
//! let answer = Error::from(&error);
//! assert!(answer.to_vec_in(Protocol::Json).starts_with(br#"{"__type":"ValidationException""#));
//!
//! // A body as a server receives it: types first, then every constraint, required members
//! // included (a parsed request always has them).
//! let refusal = Request::check_body(Protocol::Json, Operation::GetShardIterator, b"{}").unwrap_err();
//! assert_eq!(refusal.code(), "ValidationException");
//! assert!(refusal.message().starts_with("2 validation errors detected: Value null at "));
//! let body = br#"{"StreamName":"s","ShardCount":"2"}"#;
//! let refusal = Request::check_body(Protocol::Json, Operation::CreateStream, body).unwrap_err();
//! assert_eq!(refusal.code(), "SerializationException");
//! assert_eq!(refusal.message(), "class java.lang.String can not be converted to an Integer");
//! let answer = Error::from(&refusal).to_vec_in(Protocol::Cbor);
//! # let _ = answer;
//! # }
//! ```

pub mod arguments;
#[cfg(feature = "alloc")]
pub mod body;
#[cfg(feature = "alloc")]
mod cbor_value;
pub mod check;
mod path;
pub mod pattern;
mod render;
mod report;
#[cfg(feature = "alloc")]
mod type_errors;
pub mod types;

pub use arguments::ArgumentError;
#[cfg(feature = "alloc")]
pub use body::Refusal;
pub use path::{Path, Segment, MAX_DEPTH};
pub use render::{Render, Text};
pub use report::{Item, Rule, ValidationError, Value, Violations, MAX_ITEMS};
pub use types::Type;
