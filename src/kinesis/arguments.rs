//! The Kinesis argument checks that need nothing but the request (`InvalidArgumentException`),
//! run after the model's constraints: see [`validate::arguments`](crate::validate::arguments)
//! for the order a server runs them in.

use alloc::borrow::Cow;

use super::generated::shapes::{self, ShardIteratorType};
use super::{Error, Request};
use crate::producer::Limits;
use crate::validate::arguments::{self as check, ArgumentError};

impl Request<'_> {
    /// The first of the service's argument checks this request fails, in the service's order
    /// within the operation; `Ok` for a request that passes them, or whose operation has none.
    /// Run it on a request that [`validate`](Self::validate)s. Allocates nothing.
    ///
    /// - `PutRecord`, `PutRecords`: an `ExplicitHashKey` above 2^128 − 1; `PutRecords` first
    ///   its size, data and partition keys (UTF-8) together above 10 MiB
    ///   ([`Limits::KINESIS`]).
    /// - `ListShards`: neither a stream (`StreamName` or `StreamARN`) nor a `NextToken`, or both.
    /// - `GetShardIterator`: a `StartingSequenceNumber` missing for `AT_SEQUENCE_NUMBER` and
    ///   `AFTER_SEQUENCE_NUMBER`, given for `TRIM_HORIZON` and `LATEST`; a `Timestamp` missing
    ///   for `AT_TIMESTAMP`.
    /// - `IncreaseStreamRetentionPeriod`, `DecreaseStreamRetentionPeriod`: under 24 hours.
    /// - `AddTagsToStream` (keys and values), `RemoveTagsFromStream` (keys): characters other
    ///   than Unicode letters, digits, white space and `_ . / = + - % @`. (The service refuses
    ///   `%` too, afterwards, with a text naming the stream and the account: an emulator's own.)
    ///
    /// ```
    /// use kinesis_codec::kinesis::{Error, Operation, Request};
    /// use kinesis_codec::wire::Protocol;
    ///
    /// let body = br#"{"StreamName":"orders","ShardId":"shardId-000000000000","ShardIteratorType":"AT_TIMESTAMP"}"#;
    /// let request = Request::parse(Operation::GetShardIterator, body).unwrap();
    /// assert!(request.validate().is_ok());
    /// let refused = request.check_arguments().unwrap_err();
    /// assert_eq!(refused.code(), "InvalidArgumentException");
    /// assert!(refused.needs_stream()); // after the stream lookup: a missing stream comes first
    /// assert_eq!(
    ///     refused.to_string(),
    ///     "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. \
    ///      Current request has no timestamp parameter."
    /// );
    /// let answer = Error::from(&refused).to_vec_in(Protocol::Json);
    /// assert!(answer.starts_with(br#"{"__type":"InvalidArgumentException","message":"Must"#));
    /// ```
    pub fn check_arguments(&self) -> Result<(), ArgumentError<'_>> {
        match self {
            Request::PutRecord(input) => explicit_hash_key(input.explicit_hash_key.as_deref()),
            Request::PutRecords(input) => put_records(input),
            Request::ListShards(input) => {
                let stream = input.stream_name.is_some() || input.stream_arn.is_some();
                match (stream, input.next_token.is_some()) {
                    (false, false) => Err(ArgumentError::ListShardsWithoutStreamOrToken),
                    (true, true) => Err(ArgumentError::ListShardsWithStreamAndToken),
                    _ => Ok(()),
                }
            }
            Request::GetShardIterator(input) => shard_iterator(input),
            Request::IncreaseStreamRetentionPeriod(input) => {
                check::retention_hours(input.retention_period_hours)
            }
            Request::DecreaseStreamRetentionPeriod(input) => {
                check::retention_hours(input.retention_period_hours)
            }
            Request::AddTagsToStream(input) => input.tags.iter().try_for_each(|(key, value)| {
                check::tag_characters(key)?;
                check::tag_characters(value)
            }),
            Request::RemoveTagsFromStream(input) => input
                .tag_keys
                .iter()
                .try_for_each(|key| check::tag_characters(key)),
            _ => Ok(()),
        }
    }
}

fn explicit_hash_key(key: Option<&str>) -> Result<(), ArgumentError<'_>> {
    key.map_or(Ok(()), check::explicit_hash_key)
}

/// The request's size first, then each record's hash key (as the peers check them).
fn put_records<'r>(input: &'r shapes::PutRecordsInput<'_>) -> Result<(), ArgumentError<'r>> {
    let limits = Limits::KINESIS;
    let counted = input.records.iter().fold(0usize, |sum, record| {
        let key = record.partition_key.as_deref().map_or(0, str::len);
        sum.saturating_add(limits.counted_len(record.data.decoded_len(), key))
    });
    check::records_size(counted, limits.max_request_bytes)?;
    input
        .records
        .iter()
        .try_for_each(|record| explicit_hash_key(record.explicit_hash_key.as_deref()))
}

fn shard_iterator<'r>(
    input: &'r shapes::GetShardIteratorInput<'_>,
) -> Result<(), ArgumentError<'r>> {
    let kind = &input.shard_iterator_type;
    let iterator_type = kind.as_str();
    match (kind, input.starting_sequence_number.is_some()) {
        (ShardIteratorType::TrimHorizon | ShardIteratorType::Latest, true) => {
            Err(ArgumentError::SequenceNumberNotAllowed { iterator_type })
        }
        (ShardIteratorType::AtSequenceNumber | ShardIteratorType::AfterSequenceNumber, false) => {
            Err(ArgumentError::SequenceNumberMissing { iterator_type })
        }
        (ShardIteratorType::AtTimestamp, _) if input.timestamp.is_none() => {
            Err(ArgumentError::TimestampMissing)
        }
        _ => Ok(()),
    }
}

impl From<&ArgumentError<'_>> for Error<'static> {
    /// The error response the service sends: serialize it with `to_vec_in` (JSON or CBOR).
    fn from(error: &ArgumentError<'_>) -> Self {
        use alloc::string::ToString as _;
        Error::InvalidArgumentException(shapes::InvalidArgumentException {
            message: Some(Cow::Owned(error.to_string())),
        })
    }
}
