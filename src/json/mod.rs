//! The JSON core: the bottom layer every JSON reader and writer of the crate stands on, with no
//! heap.
//!
//! - [`scan`]: a strict RFC 8259 scanner over borrowed bytes with byte offsets in its errors
//!   ([`ScanError`]) and one nesting limit ([`scan::DEFAULT_MAX_DEPTH`]).
//! - [`text`]: where a string's plain run ends, what an escape stands for, and [`JsonStr`], a
//!   validated string that decodes its escapes on demand.
//! - [`number`]: the one number grammar, and integers written in decimal (`u64`, `u128`).
//! - [`escape`]: escaping text into a string, with exact and worst-case lengths.
//! - [`base64`]: base64 text out (into a [`Sink`]) and the byte tests for reading it back.
//! - [`error_body`]: the `__type` rule ([`error_code`]) and the one reader of the members every
//!   error body has.
//! - [`sink`]: caller-owned output buffers ([`Sink`], [`SliceBuf`], `heapless::Vec`).
//!
//! Built on it: `wire` (serde, `alloc`) reads and writes the generated shapes; `producer` (no
//! heap) writes request bodies and reads answers. Neither imports the other.
//!
//! What is JSON's and what any body format shares: `scan`, `text`, `number`'s grammar, `escape`
//! and `base64` are JSON text; `sink`, the decimal writers and the `__type` rule (which CBOR
//! error maps carry too, spec `kinesis-wire.md`) are not tied to JSON, and a binary body format
//! (CBOR) beside this module would use them as they are.
//!
//! ```
//! use kinesis_codec::json::{error_code, Scanner};
//! let mut sc = Scanner::new(br#"{"__type":"kinesis#LimitExceededException"}"#);
//! sc.begin_object()?;
//! let mut first = true;
//! let key = sc.next_member(&mut first)?.unwrap();
//! assert_eq!(key, "__type");
//! let value = sc.string()?;
//! assert_eq!(value.as_str().map(error_code), Some("LimitExceededException"));
//! # Ok::<(), kinesis_codec::json::ScanError>(())
//! ```

pub mod base64;
mod error;
pub mod error_body;
pub mod escape;
pub mod number;
pub mod scan;
pub mod sink;
pub mod text;

pub use error::{ScanError, ScanErrorKind};
pub use error_body::error_code;
pub use scan::{Scanner, Value};
pub use sink::{BufferFull, Sink, SliceBuf};
pub use text::{Chars, JsonStr};
