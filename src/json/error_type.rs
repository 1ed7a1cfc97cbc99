//! The `__type` rule: which error an error body names (spec `kinesis-wire.md`, "Errors"; the
//! same rule as botocore's). Every reader of error bodies, with or without a heap, applies it
//! through this one function.

/// The error code named by an error body's `__type` member: everything from the first `:` is
/// removed, then everything up to and including the last `#`.
///
/// ```
/// use kinesis_codec::json::error_code;
/// assert_eq!(error_code("com.amazonaws.kinesis.v20131202#ResourceNotFoundException"), "ResourceNotFoundException");
/// assert_eq!(error_code("ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.service/"), "ResourceNotFoundException");
/// assert_eq!(error_code("LimitExceededException"), "LimitExceededException");
/// ```
pub fn error_code(type_field: &str) -> &str {
    let before_colon = match type_field.split_once(':') {
        Some((head, _)) => head,
        None => type_field,
    };
    match before_colon.rsplit_once('#') {
        Some((_, tail)) => tail,
        None => before_colon,
    }
}
