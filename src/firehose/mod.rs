//! Amazon Kinesis Firehose (API 2015-08-04) on the wire: every operation.
//!
//! *Requires feature* `alloc`.

mod errors;
mod operations;
pub mod shapes;

pub use crate::wire::{error_code, WireError};
pub use errors::Error;
pub use operations::{Operation, Request, Response};
