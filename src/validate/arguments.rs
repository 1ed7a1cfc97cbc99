//! The service's argument checks that need nothing but the request: what it refuses with
//! `InvalidArgumentException` once the model's constraints have passed.
//!
//! `spec/validation.md`: "Semantic errors come after validation and carry their own types
//! (... `InvalidArgumentException` for hash keys and shard pairs ...)". Each [`ArgumentError`]
//! is one such refusal, with the service's text as its `Display`. The checks themselves are
//! `Request::check_arguments` of [`kinesis`](crate::kinesis) and
//! [`firehose`](crate::firehose); the order a server runs them in:
//!
//! 1. the body's types and the model's constraints (`Request::check_body`, or
//!    `Request::validate` on a parsed request);
//! 2. the argument checks whose [`ArgumentError::needs_stream`] is `false`;
//! 3. the stream's existence (`ResourceNotFoundException`), then the argument checks whose
//!    `needs_stream` is `true`: the service reports a missing stream before them (kinesalite,
//!    whose texts were checked against the service, looks the stream up first for these).
//!
//! `Request::check_arguments` returns the first refusal in the order the service checks within
//! an operation; it allocates nothing.

use core::fmt;

use crate::hashkey::{HashKey, ParseHashKeyError};

/// The error type of every [`ArgumentError`].
pub const CODE: &str = "InvalidArgumentException";

/// A request the service refuses with `InvalidArgumentException` for its arguments alone. Its
/// `Display` is the service's message.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgumentError<'a> {
    /// `PutRecord` / `PutRecords`: an `ExplicitHashKey` above 2^128 − 1 (the model's pattern
    /// takes up to 39 digits, which reach past it).
    ExplicitHashKeyOutOfRange {
        /// The key as the request gave it.
        value: &'a str,
    },
    /// `PutRecords` (data and partition keys) or Firehose `PutRecordBatch` (data) above the
    /// request's size limit (10 MiB, 4 MiB: `spec/hashkey.md`). The text is the form the
    /// service sent when the Kinesis limit was 5 MiB (`Records size exceeds 5 MB limit`, in
    /// public reports), with the current limit. A JSON body carries the data in base64, a third
    /// larger: a server whose HTTP body limit comes first answers `413` instead, as the service
    /// has been seen to.
    RecordsTooLarge {
        /// The limit in MiB, as the text says it (`MB`).
        limit_mib: usize,
    },
    /// `ListShards` with neither a stream (`StreamName` or `StreamARN`) nor a `NextToken`.
    ListShardsWithoutStreamOrToken,
    /// `ListShards` with both a stream and a `NextToken`.
    ListShardsWithStreamAndToken,
    /// `GetShardIterator` of type `AT_SEQUENCE_NUMBER` or `AFTER_SEQUENCE_NUMBER` without a
    /// `StartingSequenceNumber`.
    SequenceNumberMissing {
        /// The iterator type as the request gave it.
        iterator_type: &'a str,
    },
    /// `GetShardIterator` of type `TRIM_HORIZON` or `LATEST` with a `StartingSequenceNumber`.
    SequenceNumberNotAllowed {
        /// The iterator type as the request gave it.
        iterator_type: &'a str,
    },
    /// `GetShardIterator` of type `AT_TIMESTAMP` without a `Timestamp`.
    TimestampMissing,
    /// `IncreaseStreamRetentionPeriod` / `DecreaseStreamRetentionPeriod` below 24 hours.
    RetentionTooShort {
        /// The requested hours.
        hours: i32,
    },
    /// `AddTagsToStream` / `RemoveTagsFromStream`: a tag key or value with a character outside
    /// Unicode letters, digits, white space and `_ . / = + - % @`.
    TagCharacters,
}

impl ArgumentError<'_> {
    /// `InvalidArgumentException`.
    pub const fn code(&self) -> &'static str {
        CODE
    }

    /// Whether the service looks the stream up before this check, so that a missing stream is
    /// reported instead (see the [module docs](self) for the order).
    pub const fn needs_stream(&self) -> bool {
        !matches!(
            self,
            ArgumentError::ListShardsWithoutStreamOrToken
                | ArgumentError::ListShardsWithStreamAndToken
                | ArgumentError::RecordsTooLarge { .. }
        )
    }
}

impl fmt::Display for ArgumentError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const ITERATOR_RULE: &str = "Must either specify (1) AT_SEQUENCE_NUMBER or \
            AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and \
            no StartingSequenceNumber.";
        match self {
            ArgumentError::ExplicitHashKeyOutOfRange { value } => write!(
                f,
                "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. \
                 Specified value was {value}"
            ),
            ArgumentError::RecordsTooLarge { limit_mib } => {
                write!(f, "Records size exceeds {limit_mib} MB limit")
            }
            ArgumentError::ListShardsWithoutStreamOrToken => {
                f.write_str("Either NextToken or StreamName should be provided.")
            }
            ArgumentError::ListShardsWithStreamAndToken => {
                f.write_str("NextToken and StreamName cannot be provided together.")
            }
            ArgumentError::SequenceNumberMissing { iterator_type } => write!(
                f,
                "{ITERATOR_RULE} Request specified {iterator_type} and no StartingSequenceNumber."
            ),
            ArgumentError::SequenceNumberNotAllowed { iterator_type } => write!(
                f,
                "{ITERATOR_RULE} Request specified {iterator_type} and also a \
                 StartingSequenceNumber."
            ),
            ArgumentError::TimestampMissing => f.write_str(
                "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. \
                 Current request has no timestamp parameter.",
            ),
            ArgumentError::RetentionTooShort { hours } => write!(
                f,
                "Minimum allowed retention period is 24 hours. Requested retention period \
                 ({hours} hours) is too short."
            ),
            ArgumentError::TagCharacters => f.write_str(
                "Some tags contain invalid characters. Valid characters: Unicode letters, \
                 digits, white space, _ . / = + - % @.",
            ),
        }
    }
}

impl core::error::Error for ArgumentError<'_> {}

/// The shortest retention period the service takes, in hours.
pub const MIN_RETENTION_HOURS: i32 = 24;

/// [`ArgumentError::ExplicitHashKeyOutOfRange`] for a key above 2^128 − 1. A key that breaks
/// the model's pattern is the constraint check's to report, not this one's.
pub fn explicit_hash_key(value: &str) -> Result<(), ArgumentError<'_>> {
    match HashKey::parse(value) {
        Err(ParseHashKeyError::OutOfRange) => {
            Err(ArgumentError::ExplicitHashKeyOutOfRange { value })
        }
        _ => Ok(()),
    }
}

/// [`ArgumentError::RecordsTooLarge`] when `counted` bytes pass `limit` bytes.
pub fn records_size(counted: usize, limit: usize) -> Result<(), ArgumentError<'static>> {
    const MIB: usize = 1024 * 1024;
    if counted > limit {
        return Err(ArgumentError::RecordsTooLarge {
            limit_mib: limit / MIB,
        });
    }
    Ok(())
}

/// [`ArgumentError::TagCharacters`] unless every character of `text` is a Unicode letter or
/// digit, white space, or one of `_ . / = + - % @`.
pub fn tag_characters(text: &str) -> Result<(), ArgumentError<'static>> {
    let allowed = |c: char| c.is_alphanumeric() || c.is_whitespace() || "_./=+-%@".contains(c);
    if text.chars().all(allowed) {
        Ok(())
    } else {
        Err(ArgumentError::TagCharacters)
    }
}

/// [`ArgumentError::RetentionTooShort`] below [`MIN_RETENTION_HOURS`].
pub fn retention_hours(hours: i32) -> Result<(), ArgumentError<'static>> {
    if hours < MIN_RETENTION_HOURS {
        return Err(ArgumentError::RetentionTooShort { hours });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_keys_above_the_range_only() {
        let top = "340282366920938463463374607431768211455"; // 2^128 - 1
        let over = "340282366920938463463374607431768211456"; // 2^128
        assert_eq!(explicit_hash_key(top), Ok(()));
        assert_eq!(
            explicit_hash_key(over),
            Err(ArgumentError::ExplicitHashKeyOutOfRange { value: over })
        );
        // Not the pattern's business here.
        assert_eq!(explicit_hash_key("01"), Ok(()));
        assert_eq!(explicit_hash_key("x"), Ok(()));
    }

    #[test]
    fn sizes_count_past_the_limit() {
        assert_eq!(records_size(10 << 20, 10 << 20), Ok(()));
        assert_eq!(
            records_size((10 << 20) + 1, 10 << 20),
            Err(ArgumentError::RecordsTooLarge { limit_mib: 10 })
        );
    }

    #[test]
    fn tag_characters_are_letters_digits_space_and_seven_marks() {
        assert_eq!(tag_characters("Äb 9_./=+-%@日本"), Ok(()));
        for bad in ["a!", "#", "a\"b", "<", "a,b"] {
            assert_eq!(
                tag_characters(bad),
                Err(ArgumentError::TagCharacters),
                "{bad}"
            );
        }
    }

    #[test]
    fn only_list_shards_and_sizes_come_before_the_stream() {
        assert!(!ArgumentError::ListShardsWithoutStreamOrToken.needs_stream());
        assert!(!ArgumentError::RecordsTooLarge { limit_mib: 10 }.needs_stream());
        assert!(ArgumentError::TimestampMissing.needs_stream());
        assert!(ArgumentError::RetentionTooShort { hours: 1 }.needs_stream());
    }
}
