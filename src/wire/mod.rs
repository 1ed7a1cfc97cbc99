//! What both JSON 1.1 services share: the [`WireError`] with its JSON path, the `__type` rule
//! ([`error_code`]), and the serde helpers the generated shapes call.
//!
//! *Requires feature* `alloc`.
//!
//! ```
//! use kinesis_codec::wire::error_code;
//!
//! assert_eq!(error_code("com.amazonaws.kinesis.v20131202#ResourceNotFoundException"), "ResourceNotFoundException");
//! assert_eq!(
//!     error_code("ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.service/"),
//!     "ResourceNotFoundException"
//! );
//! assert_eq!(error_code("ResourceNotFoundException"), "ResourceNotFoundException");
//! ```

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde::{Deserialize, Serialize};

pub use cbor::{
    parse_cbor, parse_cbor_with_options, read_timestamp, to_cbor_vec, to_cbor_writer, Cbor,
};
pub use options::{ParseOptions, DEFAULT_MAX_ELEMENTS};
pub use protocol::Protocol;

#[cfg(feature = "arbitrary")]
#[doc(hidden)]
pub mod arb;
mod cbor;
#[doc(hidden)]
pub mod de;
pub mod error_body;
mod options;
mod path;
mod protocol;
mod reader;
pub(crate) mod ser;

pub use crate::json::error_code;

/// What went wrong while reading a body.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WireErrorKind {
    /// The bytes are not JSON (or not UTF-8).
    Syntax,
    /// The JSON is valid but does not fit the shape: a wrong type, a missing required member, an
    /// invalid base64 blob, a number out of range.
    Data,
    /// The body ended in the middle of a value.
    Eof,
    /// The lists and maps of the body hold more elements than
    /// [`ParseOptions::max_elements`]; the path names the first element too many.
    TooManyElements,
}

/// A body that does not parse into its shape.
///
/// Its `Display` names the JSON path of the value that failed (`$.Records[3].Data`), the member
/// (the last key of the path), the problem, and the line and column of the body:
/// ``at `$.Records[3].Data` (member `Data`): invalid base64: ... (line 1, column 57)``.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError {
    kind: WireErrorKind,
    path: String,
    member: Option<String>,
    message: String,
    at: Position,
}

/// Where in the body an error was detected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Position {
    Unknown,
    /// 1-based, in a JSON body.
    LineColumn {
        line: u32,
        column: u32,
    },
    /// In a CBOR body.
    Byte(usize),
}

impl Position {
    fn line_column(line: usize, column: usize) -> Self {
        if line == 0 {
            return Position::Unknown;
        }
        let narrow = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Position::LineColumn {
            line: narrow(line),
            column: narrow(column),
        }
    }
}

impl WireError {
    /// The kind of failure.
    pub fn kind(&self) -> WireErrorKind {
        self.kind
    }

    /// The JSON path of the value being read when the error happened, e.g. `$.Records[3].Data`
    /// (`$` for the body itself, which is also where a missing member is reported: the message
    /// names it).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The member concerned: the missing member for ``missing field `X` ``, else the last key of
    /// [`path`](Self::path), if any.
    pub fn member(&self) -> Option<&str> {
        self.member.as_deref()
    }

    /// The problem, without position, e.g. ``missing field `StreamName` ``.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// 1-based line of the body where the error was detected (0 when unknown).
    pub fn line(&self) -> usize {
        match self.at {
            Position::LineColumn { line, .. } => usize::try_from(line).unwrap_or(usize::MAX),
            _ => 0,
        }
    }

    /// 1-based column of the body where the error was detected (0 when unknown).
    pub fn column(&self) -> usize {
        match self.at {
            Position::LineColumn { column, .. } => usize::try_from(column).unwrap_or(usize::MAX),
            _ => 0,
        }
    }

    /// The byte offset in a CBOR body where the error was detected, when known (JSON errors
    /// give a [`line`](Self::line) and [`column`](Self::column) instead).
    pub fn offset(&self) -> Option<usize> {
        match self.at {
            Position::Byte(offset) => Some(offset),
            _ => None,
        }
    }

    fn from_json(error: &serde_json::Error, segments: &[path::Segment], exceeded: bool) -> Self {
        let kind = match error.classify() {
            _ if exceeded => WireErrorKind::TooManyElements,
            serde_json::error::Category::Data => WireErrorKind::Data,
            serde_json::error::Category::Eof => WireErrorKind::Eof,
            _ => WireErrorKind::Syntax,
        };
        // serde's messages quote the offending value whole: bound every quoted span.
        let mut message = crate::quote::bound_message(&error.to_string());
        if error.line() != 0 {
            let suffix = alloc::format!(" at line {} column {}", error.line(), error.column());
            if message.ends_with(&suffix) {
                message.truncate(message.len().saturating_sub(suffix.len()));
            }
        }
        let at = Position::line_column(error.line(), error.column());
        Self::at_path(kind, message, segments, at)
    }

    /// The error of a tracked pass (either protocol): the path of `segments`, and the member
    /// concerned.
    fn at_path(
        kind: WireErrorKind,
        message: String,
        segments: &[path::Segment],
        at: Position,
    ) -> Self {
        // A missing member is reported at its structure's path; name the member itself.
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split_once('`'))
            .map(|(name, _)| crate::quote::bounded_key(name));
        let member = missing.or_else(|| {
            segments.iter().rev().find_map(|s| match s {
                path::Segment::Key(k) => Some(k.clone()),
                _ => None,
            })
        });
        WireError {
            kind,
            path: path::PathDisplay(segments).to_string(),
            member,
            message,
            at,
        }
    }
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`", self.path)?;
        if let Some(member) = &self.member {
            write!(f, " (member `{member}`)")?;
        }
        write!(f, ": {}", self.message)?;
        match self.at {
            Position::LineColumn { line, column } => {
                write!(f, " (line {line}, column {column})")?;
            }
            Position::Byte(offset) => write!(f, " (byte {offset})")?,
            Position::Unknown => {}
        }
        Ok(())
    }
}

impl core::error::Error for WireError {}

/// Parses one JSON value of type `T` from `body` (whitespace around it allowed, nothing else).
///
/// The crate's own reader reads the body first; it gives exactly the value `serde_json` would,
/// and leaves what it does not handle (and every error) to `serde_json`, which then reads the
/// body through the path-tracking wrapper so that the error names the JSON path of the failing
/// value.
pub fn parse_json<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, WireError> {
    parse_json_with_options(body, &ParseOptions::new())
}

/// [`parse_json`] within the limits of `options`.
pub fn parse_json_with_options<'a, T: Deserialize<'a>>(
    body: &'a [u8],
    options: &ParseOptions,
) -> Result<T, WireError> {
    match reader::from_slice(body, options) {
        Ok(value) => Ok(value),
        Err(reader::Bail) => parse_json_serde_json_with_options(body, options),
    }
}

/// [`parse_json_with_options`], decoding every blob into `out` (back to back) as the body is
/// read, so that each record's base64 is read once: the blobs of the value hold their bytes,
/// borrowed from `out`. A buffer of a quarter of `body.len()` times three always suffices. When
/// the body cannot be read that way (a blob with escapes, a buffer too small), it is read as
/// [`parse_json_with_options`] reads it, with blobs as base64 text.
pub fn parse_json_decoding<'a, T: Deserialize<'a>>(
    body: &'a [u8],
    out: &'a mut [u8],
    options: &ParseOptions,
) -> Result<T, WireError> {
    match reader::from_slice_decoding(body, out, options) {
        Ok(value) => Ok(value),
        Err(reader::Bail) => parse_json_serde_json_with_options(body, options),
    }
}

/// [`parse_json`] with `serde_json` alone (the reference the crate's reader is checked
/// against).
#[doc(hidden)]
pub fn parse_json_serde_json<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, WireError> {
    parse_json_serde_json_with_options(body, &ParseOptions::new())
}

/// [`parse_json_serde_json`] within the limits of `options`.
#[doc(hidden)]
pub fn parse_json_serde_json_with_options<'a, T: Deserialize<'a>>(
    body: &'a [u8],
    options: &ParseOptions,
) -> Result<T, WireError> {
    let track = path::Track::new(options);
    let mut de = serde_json::Deserializer::from_slice(body);
    let tracked = path::Tracked {
        de: &mut de,
        chain: &path::Chain::Root,
        track: &track,
    };
    let result = T::deserialize(tracked).and_then(|value| de.end().map(|()| value));
    result.map_err(|e| {
        let exceeded = track.exceeded();
        WireError::from_json(&e, &track.take(), exceeded)
    })
}

/// Serializes a shape to JSON bytes.
///
/// The generated shapes only hold strings, numbers, booleans, lists, string-keyed maps and the
/// crate's blob and timestamp types, none of which can fail to serialize to JSON.
///
/// The bytes are exactly what `serde_json::to_vec` writes for the same value; blobs are
/// base64-encoded straight into the output. Should a value fail anyway (a `Serialize` impl
/// outside the crate's shapes, e.g. a map with non-string keys), the result is empty.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    to_writer(value, &mut out);
    out
}

/// Serializes a shape to JSON, appending to `out` (see [`to_vec`]; on failure nothing is
/// appended).
pub fn to_writer<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) {
    let start = out.len();
    if ser::to_writer(value, out).is_err() {
        out.truncate(start);
    }
}

/// Serializes a shape in `protocol` ([`to_vec`] or [`to_cbor_vec`]).
pub fn to_vec_in<T: Serialize + ?Sized>(protocol: Protocol, value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    to_writer_in(protocol, value, &mut out);
    out
}

/// [`to_vec_in`], appending to `out` (on failure nothing is appended).
pub fn to_writer_in<T: Serialize + ?Sized>(protocol: Protocol, value: &T, out: &mut Vec<u8>) {
    match protocol {
        Protocol::Json => to_writer(value, out),
        Protocol::Cbor => to_cbor_writer(value, out),
    }
}

/// The body of an empty structure in `protocol`: `{}`, or the CBOR empty map.
pub const fn empty_body(protocol: Protocol) -> &'static [u8] {
    match protocol {
        Protocol::Json => b"{}",
        Protocol::Cbor => &[0xa0],
    }
}

/// Parses a request or response body in `protocol` within the limits of `options` (an empty
/// body reads as an empty structure).
pub fn parse_body_in<'a, T: Deserialize<'a>>(
    protocol: Protocol,
    body: &'a [u8],
    options: &ParseOptions,
) -> Result<T, WireError> {
    match protocol {
        Protocol::Json => parse_body_with_options::<Json, T>(body, options),
        Protocol::Cbor => parse_body_with_options::<Cbor, T>(body, options),
    }
}

/// True if `body` is empty or only JSON whitespace (an empty body means `{}` in JSON 1.1).
pub(crate) fn is_blank(body: &[u8]) -> bool {
    body.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// Parses a request or response body: an empty body reads as `{}`.
pub fn parse_body<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, WireError> {
    parse_body_with::<Json, T>(body)
}

/// [`parse_body`] with a chosen [`BodyParser`].
#[doc(hidden)]
pub fn parse_body_with<'a, P: BodyParser, T: Deserialize<'a>>(
    body: &'a [u8],
) -> Result<T, WireError> {
    parse_body_with_options::<P, T>(body, &ParseOptions::new())
}

/// [`parse_body_with`] within the limits of `options`.
#[doc(hidden)]
pub fn parse_body_with_options<'a, P: BodyParser, T: Deserialize<'a>>(
    body: &'a [u8],
    options: &ParseOptions,
) -> Result<T, WireError> {
    if P::is_empty_body(body) {
        P::parse_with_options(P::EMPTY_BODY, options)
    } else {
        P::parse_with_options(body, options)
    }
}

/// How the typed dispatch (`Request::parse_with`, ...) reads a body: [`Json`] in normal use;
/// [`SerdeJsonOnly`] to check the crate's reader against `serde_json`.
#[doc(hidden)]
pub trait BodyParser {
    /// What an empty body stands for (`{}`: an empty structure).
    const EMPTY_BODY: &'static [u8] = b"{}";

    /// Whether `body` is empty (for JSON: only whitespace).
    fn is_empty_body(body: &[u8]) -> bool {
        is_blank(body)
    }

    /// Parses one JSON value with the default [`ParseOptions`].
    fn parse<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, WireError> {
        Self::parse_with_options(body, &ParseOptions::new())
    }

    /// Parses one JSON value within the limits of `options`.
    fn parse_with_options<'a, T: Deserialize<'a>>(
        body: &'a [u8],
        options: &ParseOptions,
    ) -> Result<T, WireError>;
}

/// [`parse_json`]: the crate's reader, `serde_json` for the rest and for errors.
#[doc(hidden)]
pub struct Json;

impl BodyParser for Json {
    fn parse_with_options<'a, T: Deserialize<'a>>(
        body: &'a [u8],
        options: &ParseOptions,
    ) -> Result<T, WireError> {
        parse_json_with_options(body, options)
    }
}

/// The crate's reader alone: what it does not read is an error (to measure what it covers).
#[doc(hidden)]
pub struct ReaderOnly;

impl BodyParser for ReaderOnly {
    fn parse_with_options<'a, T: Deserialize<'a>>(
        body: &'a [u8],
        options: &ParseOptions,
    ) -> Result<T, WireError> {
        reader::from_slice(body, options).map_err(|reader::Bail| WireError {
            kind: WireErrorKind::Syntax,
            path: String::from("$"),
            member: None,
            message: String::from("not read by the crate's reader"),
            at: Position::Unknown,
        })
    }
}

/// [`parse_json_serde_json`]: `serde_json` alone.
#[doc(hidden)]
pub struct SerdeJsonOnly;

impl BodyParser for SerdeJsonOnly {
    fn parse_with_options<'a, T: Deserialize<'a>>(
        body: &'a [u8],
        options: &ParseOptions,
    ) -> Result<T, WireError> {
        parse_json_serde_json_with_options(body, options)
    }
}
