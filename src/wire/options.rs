//! [`ParseOptions`]: the limits a parse keeps to, whatever the body.

/// The default of [`ParseOptions::max_elements`]: 100,000 list and map elements per body.
///
/// The services' largest legitimate lists hold 10,000 elements (GetRecords returns at most
/// 10,000 records, ListShards and ListStreams at most 10,000 shards or streams per page), and
/// the elements of a list never hold lists of that size themselves: 10x headroom over the
/// largest real body.
pub const DEFAULT_MAX_ELEMENTS: usize = 100_000;

/// Limits for parsing one body.
///
/// # The heap bound
///
/// The list and map elements of one body add up to at most [`max_elements`](Self::max_elements)
/// (nested ones included, e.g. the `ParentShards` of every `ChildShard`); past it the parse
/// fails with [`WireErrorKind::TooManyElements`](super::WireErrorKind::TooManyElements) at the
/// path of the first element too many. A parse therefore holds at most
/// `3 × max_elements × E + body length` bytes of heap (plus a small constant), where `E` is the
/// size of the largest list element type of the shape (`Vec` growth keeps at most twice the
/// elements, and the old and new blocks both live while one grows; unescaped strings are
/// never longer than the body). `tests/wire_limits.rs` measures it: a 30 MB GetRecords body of
/// `{}` records, which took 1.23 GB without a limit, stays under that bound and is refused.
///
/// ```
/// use kinesis_codec::kinesis::{Operation, Response};
/// use kinesis_codec::wire::{ParseOptions, WireErrorKind};
///
/// let body = br#"{"Records":[{},{},{}]}"#;
/// let strict = ParseOptions::new().with_max_elements(2);
/// let error = Response::parse_with_options(Operation::GetRecords, body, &strict).unwrap_err();
/// assert_eq!(error.kind(), WireErrorKind::TooManyElements);
/// assert_eq!(error.path(), "$.Records[2]");
/// assert!(Response::parse(Operation::GetRecords, body).is_ok());
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseOptions {
    /// The most list elements and map entries (in total) one body may hold.
    pub max_elements: usize,
}

impl ParseOptions {
    /// The defaults: [`DEFAULT_MAX_ELEMENTS`].
    pub const fn new() -> Self {
        ParseOptions {
            max_elements: DEFAULT_MAX_ELEMENTS,
        }
    }

    /// These options with `max_elements` list elements and map entries at most.
    pub const fn with_max_elements(self, max_elements: usize) -> Self {
        ParseOptions { max_elements }
    }
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self::new()
    }
}
