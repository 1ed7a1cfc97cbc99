//! CBOR bodies (`application/x-amz-cbor-1.1`, `spec/cbor.md`) for every generated shape: the
//! serde reader ([`parse_cbor`]) and writer ([`to_cbor_vec`]) on the crate's CBOR core.
//!
//! Errors are [`WireError`]s as for JSON: the path of the failing value (found by a second,
//! tracked pass, as for JSON), the member, the problem, and the byte offset when the CBOR itself
//! is bad.

use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{path, BodyParser, ParseOptions, WireError, WireErrorKind};

mod content;
mod de;
mod error;
mod ser;

pub use de::read_timestamp;

/// Parses one CBOR item of type `T` from `body` (nothing may follow it), borrowing text and
/// byte strings from `body`.
///
/// ```
/// use kinesis_codec::kinesis::shapes::PutRecordInput;
/// use kinesis_codec::wire::{parse_cbor, to_cbor_vec};
///
/// // {"Data": h'68656c6c6f', "PartitionKey": "a", "StreamName": "orders"}
/// let mut body = vec![0xa3, 0x64];
/// body.extend_from_slice(b"Data");
/// body.push(0x45);
/// body.extend_from_slice(b"hello");
/// body.push(0x6c);
/// body.extend_from_slice(b"PartitionKey");
/// body.extend_from_slice(&[0x61, b'a', 0x6a]);
/// body.extend_from_slice(b"StreamName");
/// body.push(0x66);
/// body.extend_from_slice(b"orders");
///
/// let input: PutRecordInput = parse_cbor(&body)?;
/// assert_eq!(input.data.as_bytes(), Some(&b"hello"[..])); // borrowed raw bytes, no base64
/// assert_eq!(input.partition_key.as_deref(), Some("a"));
///
/// // Written back in the Java SDK's form, members in the model's order: the same bytes.
/// let written = to_cbor_vec(&input);
/// assert_eq!(written, body);
/// let again: PutRecordInput = parse_cbor(&written)?;
/// assert_eq!(again, input);
/// # Ok::<(), kinesis_codec::wire::WireError>(())
/// ```
pub fn parse_cbor<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, WireError> {
    parse_cbor_with_options(body, &ParseOptions::new())
}

/// [`parse_cbor`] within the limits of `options`.
pub fn parse_cbor_with_options<'a, T: Deserialize<'a>>(
    body: &'a [u8],
    options: &ParseOptions,
) -> Result<T, WireError> {
    let mut de = de::Deserializer::new(body, options.max_elements);
    let first = T::deserialize(&mut de).and_then(|value| de.end().map(|()| value));
    match first {
        Ok(value) => Ok(value),
        Err(error) => {
            // A second pass, tracked, for the path (the parse is deterministic).
            let offset = error.offset.unwrap_or(de.offset());
            Err(tracked_error::<T>(body, options, error, offset))
        }
    }
}

fn tracked_error<'a, T: Deserialize<'a>>(
    body: &'a [u8],
    options: &ParseOptions,
    error: error::DeError,
    offset: usize,
) -> WireError {
    let track = path::Track::new(options);
    let mut de = de::Deserializer::new(body, options.max_elements);
    let tracked = path::Tracked {
        de: &mut de,
        chain: &path::Chain::Root,
        track: &track,
    };
    let _ = T::deserialize(tracked);
    let exceeded = track.exceeded();
    let segments = track.take();
    let kind = if exceeded {
        WireErrorKind::TooManyElements
    } else {
        error.kind
    };
    WireError::at_path(
        kind,
        error.message,
        &segments,
        super::Position::Byte(offset),
    )
}

/// Serializes a shape to CBOR in the Java SDK's form (see the module docs).
///
/// The generated shapes hold nothing that cannot be written; should a value fail anyway (a
/// `Serialize` impl outside the crate's shapes), the result is empty.
pub fn to_cbor_vec<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    to_cbor_writer(value, &mut out);
    out
}

/// [`to_cbor_vec`], appending to `out` (on failure nothing is appended).
pub fn to_cbor_writer<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) {
    let start = out.len();
    if ser::to_writer(value, out).is_err() {
        out.truncate(start);
    }
}

/// [`parse_cbor`] as a [`BodyParser`]: what `Request::parse_in(Protocol::Cbor, ..)` uses. An
/// empty body is an empty map.
#[doc(hidden)]
pub struct Cbor;

impl BodyParser for Cbor {
    const EMPTY_BODY: &'static [u8] = &[0xa0];

    fn is_empty_body(body: &[u8]) -> bool {
        body.is_empty()
    }

    fn parse_with_options<'a, T: Deserialize<'a>>(
        body: &'a [u8],
        options: &ParseOptions,
    ) -> Result<T, WireError> {
        parse_cbor_with_options(body, options)
    }
}
