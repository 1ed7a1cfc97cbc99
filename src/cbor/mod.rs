//! The CBOR core (RFC 8949): the bottom layer of the crate's second body format, with no heap.
//!
//! Kinesis's CBOR protocol (`application/x-amz-cbor-1.1`, spoken by default by the AWS SDK for
//! Java and so by the KCL; `spec/cbor.md`) carries the same shapes as JSON 1.1 in CBOR items.
//! This module knows items, not shapes:
//!
//! - [`Reader`]: items one at a time over borrowed bytes ([`Item`]), definite strings borrowed,
//!   indefinite ones chunk by chunk, one nesting limit, byte offsets in its errors
//!   ([`CborError`]).
//! - [`write`](mod@write): items into a [`Sink`](crate::json::Sink) as the Java SDK writes them
//!   (shortest integers, definite lengths, 64-bit doubles, tag 1 + epoch milliseconds for
//!   timestamps).
//! - [`head`]: the initial byte and argument under both.
//!
//! It shares the JSON core's format-free parts: sinks and the `__type` rule. `wire` builds the
//! serde reader and writer of the generated shapes on it.
//!
//! ```
//! use kinesis_codec::cbor::{write, Item, Reader};
//! use kinesis_codec::json::SliceBuf;
//!
//! let mut buf = [0u8; 64];
//! let mut out = SliceBuf::new(&mut buf);
//! write::write_map_head(&mut out, 1)?;
//! write::write_text(&mut out, "ApproximateArrivalTimestamp")?;
//! write::write_timestamp_millis(&mut out, 1_441_215_410_867)?;
//! let bytes = out.into_written();
//!
//! let mut r = Reader::new(bytes);
//! assert_eq!(r.next_item()?, Item::Map(Some(1)));
//! assert_eq!(r.next_item()?, Item::Text("ApproximateArrivalTimestamp"));
//! assert_eq!(r.next_item()?, Item::Tag(1));
//! assert_eq!(r.next_item()?, Item::Unsigned(1_441_215_410_867));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
pub mod head;
mod read;
pub mod write;

pub use error::{CborError, CborErrorKind};
pub use head::{Arg, Head, Major};
pub use read::{half_to_f64, Item, Reader, DEFAULT_MAX_DEPTH};
