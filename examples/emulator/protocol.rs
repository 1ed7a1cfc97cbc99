//! One request in, one answer out: the Kinesis wire protocol, all of it through the crate.
//! Firehose requests (`X-Amz-Target: Firehose_20150804.…`) go to `protocol_firehose.rs`.
//!
//! [`handle`] takes what an HTTP server hands it (the `X-Amz-Target` and `Content-Type` headers
//! and the body) and returns the status, the content type and the body to send. It runs the
//! service's checks in the service's order:
//!
//! 1. the operation, from `X-Amz-Target` ([`Operation::from_target`]), and the protocol, from
//!    `Content-Type` ([`Protocol::from_content_type`]; JSON 1.1 or CBOR, answered in kind);
//! 2. the body's types and the model's constraints ([`Request::check_body`]:
//!    `SerializationException`, `ValidationException`), then the parse
//!    ([`Request::parse_in`]);
//! 3. the argument checks that come before the stream lookup ([`Request::check_arguments`],
//!    whose [`needs_stream`](kinesis_codec::validate::ArgumentError::needs_stream) is false);
//! 4. the stream's existence (`ResourceNotFoundException`), then the other argument checks;
//! 5. the operation itself, on the in-memory [`Streams`] (the consumer operations on the
//!    [`Consumers`], `consumers.rs`), answered with the crate's [`Response`] shapes
//!    (`to_vec_in`) or [`Error`] bodies; a SubscribeToShard that passes its checks
//!    (`subscribe.rs`) is answered with a [`Subscription`] to stream.

use std::borrow::Cow;
use std::sync::Mutex;

use kinesis_codec::blob::Blob;
use kinesis_codec::kinesis::shapes::{
    self, ScalingType, ShardFilterType, ShardIteratorType, StreamMode, StreamStatus,
};
use kinesis_codec::kinesis::{Error, Operation, Request, Response};
use kinesis_codec::timestamp::Timestamp;
use kinesis_codec::validate::Refusal;
use kinesis_codec::wire::Protocol;

use crate::consumers::{self, Consumers};
use crate::protocol_firehose;
use crate::state::{self, Failure, Start, Stream, Streams};
use crate::subscribe::{self, Subscription};

/// What to send back.
#[derive(Debug)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` (the request's protocol).
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
    /// A subscription whose event stream is the body (and `body` is empty).
    pub subscription: Option<Subscription>,
}

/// The `X-Amz-Target` prefix of Firehose's operations, handled in `protocol_firehose.rs`.
const FIREHOSE_PREFIX: &str = "Firehose_20150804.";

/// The operations this example implements; the others are answered with an error naming them.
const IMPLEMENTED: [Operation; 18] = [
    Operation::CreateStream,
    Operation::DeleteStream,
    Operation::DescribeStream,
    Operation::DescribeStreamSummary,
    Operation::ListStreams,
    Operation::ListShards,
    Operation::PutRecord,
    Operation::PutRecords,
    Operation::GetShardIterator,
    Operation::GetRecords,
    Operation::SplitShard,
    Operation::MergeShards,
    Operation::UpdateShardCount,
    Operation::RegisterStreamConsumer,
    Operation::DescribeStreamConsumer,
    Operation::ListStreamConsumers,
    Operation::DeregisterStreamConsumer,
    Operation::SubscribeToShard,
];

/// The example's own read-out of a Firehose delivery stream (`GET /_firehose/NAME`); see
/// `protocol_firehose.rs`.
pub fn firehose_read_out(streams: &Mutex<Streams>, name: &str) -> Answer {
    let streams = streams
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    protocol_firehose::read_out(&streams.firehose, name)
}

/// Answers one request (see the module docs for the order of the checks).
pub fn handle(
    streams: &Mutex<Streams>,
    consumers: &Mutex<Consumers>,
    target: Option<&str>,
    content_type: Option<&str>,
    body: &[u8],
) -> Answer {
    let protocol = content_type
        .and_then(Protocol::from_content_type)
        .unwrap_or(Protocol::Json);
    let refuse = |error: &Error<'_>| Answer {
        status: if error.is_server_fault() { 500 } else { 400 },
        content_type: protocol.content_type(),
        body: error.to_vec_in(protocol),
        subscription: None,
    };
    // A poisoned lock still holds consistent streams: every change is one insert or push.
    let lock = || {
        streams
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    };
    if let Some(target) = target.filter(|target| target.starts_with(FIREHOSE_PREFIX)) {
        return protocol_firehose::handle(&mut lock().firehose, target, protocol, body);
    }
    let Some(operation) = target.and_then(Operation::from_target) else {
        let target = target.unwrap_or("(no X-Amz-Target header)");
        return refuse(&unknown_operation(format!("Unknown operation {target}")));
    };
    if !IMPLEMENTED.contains(&operation) {
        return refuse(&unknown_operation(format!(
            "{operation} is not implemented by this example emulator"
        )));
    }
    if let Err(refusal) = Request::check_body(protocol, operation, body) {
        return refuse(&Error::from(&refusal));
    }
    let request = match Request::parse_in(protocol, operation, body) {
        Ok(request) => request,
        Err(error) => return refuse(&Error::from(&Refusal::serialization(&error))),
    };
    let argument_error = request.check_arguments().err();
    if let Some(error) = argument_error.filter(|error| !error.needs_stream()) {
        return refuse(&Error::from(&error));
    }
    let mut streams = lock();
    if operation != Operation::CreateStream {
        if let Some(name) = stream_of(&request) {
            if let Err(failure) = streams.get(&name) {
                return refuse(&error_of(&failure));
            }
        }
    }
    if let Some(error) = argument_error {
        return refuse(&Error::from(&error));
    }
    let mut consumers = consumers
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Request::SubscribeToShard(input) = &request {
        return match subscribe::start(&streams, &mut consumers, input, protocol) {
            Ok(subscription) => Answer {
                status: 200,
                content_type: "application/vnd.amazon.eventstream",
                body: Vec::new(),
                subscription: Some(subscription),
            },
            Err(failure) => refuse(&error_of(&failure)),
        };
    }
    let mut result = consumers::run(&mut consumers, &streams, &request)
        .unwrap_or_else(|| run(&mut streams, request));
    // The summary counts the consumers, which `run` does not see.
    if let Ok(Response::DescribeStreamSummary(out)) = &mut result {
        if let Some(summary) = out.stream_description_summary.as_mut() {
            let name = summary.stream_name.as_deref().unwrap_or_default();
            summary.consumer_count = i32::try_from(consumers.count(name)).ok();
        }
    }
    match result {
        Ok(response) => Answer {
            status: 200,
            content_type: protocol.content_type(),
            body: response.to_vec_in(protocol),
            subscription: None,
        },
        Err(failure) => refuse(&error_of(&failure)),
    }
}

/// The error for an operation this example does not know or does not implement.
fn unknown_operation(message: String) -> Error<'static> {
    Error::Unknown {
        code: Cow::Borrowed("UnknownOperationException"),
        message: Some(Cow::Owned(message)),
    }
}

/// The crate's error value of a [`Failure`] of the state.
pub fn error_of(failure: &Failure) -> Error<'static> {
    let message = Some(Cow::Owned(failure.message.clone()));
    match failure.code {
        "ResourceNotFoundException" => {
            Error::ResourceNotFoundException(shapes::ResourceNotFoundException { message })
        }
        "ResourceInUseException" => {
            Error::ResourceInUseException(shapes::ResourceInUseException { message })
        }
        "InvalidArgumentException" => {
            Error::InvalidArgumentException(shapes::InvalidArgumentException { message })
        }
        "LimitExceededException" => {
            Error::LimitExceededException(shapes::LimitExceededException { message })
        }
        code => Error::Unknown {
            code: Cow::Borrowed(code),
            message,
        },
    }
}

/// The stream a request names (by name or ARN), for the lookup before the argument checks.
fn stream_of(request: &Request<'_>) -> Option<String> {
    let (name, arn) = match request {
        Request::DeleteStream(input) => (&input.stream_name, &input.stream_arn),
        Request::DescribeStream(input) => (&input.stream_name, &input.stream_arn),
        Request::DescribeStreamSummary(input) => (&input.stream_name, &input.stream_arn),
        Request::ListShards(input) => (&input.stream_name, &input.stream_arn),
        Request::PutRecord(input) => (&input.stream_name, &input.stream_arn),
        Request::PutRecords(input) => (&input.stream_name, &input.stream_arn),
        Request::GetShardIterator(input) => (&input.stream_name, &input.stream_arn),
        Request::SplitShard(input) => (&input.stream_name, &input.stream_arn),
        Request::MergeShards(input) => (&input.stream_name, &input.stream_arn),
        Request::UpdateShardCount(input) => (&input.stream_name, &input.stream_arn),
        _ => return None,
    };
    stream_name(name.as_deref(), arn.as_deref())
}

/// A stream's name from a request's `StreamName` or `StreamARN` (an ARN of another account or
/// region is kept whole, and so is not found).
fn stream_name(name: Option<&str>, arn: Option<&str>) -> Option<String> {
    name.or_else(|| arn.map(|arn| state::name_of_arn(arn).unwrap_or(arn)))
        .map(str::to_owned)
}

/// The name of a request's stream, or an `InvalidArgumentException` if it names none (the
/// text is this example's own).
fn required_stream(name: Option<&str>, arn: Option<&str>) -> Result<String, Failure> {
    stream_name(name, arn).ok_or_else(|| Failure {
        code: "InvalidArgumentException",
        message: "Either StreamName or StreamARN should be provided.".to_owned(),
    })
}

/// A count from the wire (positive after validation) as a `usize`, or `default`.
fn count(value: Option<i32>, default: usize) -> usize {
    value
        .and_then(|value| usize::try_from(value).ok())
        .unwrap_or(default)
}

/// Runs one checked request on the streams.
fn run(streams: &mut Streams, request: Request<'_>) -> Result<Response<'static>, Failure> {
    let now = state::now_millis();
    Ok(match request {
        Request::CreateStream(input) => {
            let shards = input.shard_count.and_then(|n| u32::try_from(n).ok());
            streams.create(&input.stream_name, shards, now)?;
            Response::Empty(Operation::CreateStream)
        }
        Request::DeleteStream(input) => {
            let name = required_stream(input.stream_name.as_deref(), input.stream_arn.as_deref())?;
            streams.delete(&name)?;
            Response::Empty(Operation::DeleteStream)
        }
        Request::DescribeStream(input) => {
            let name = required_stream(input.stream_name.as_deref(), input.stream_arn.as_deref())?;
            let stream = streams.get(&name)?;
            let (shards, more) = page(
                stream,
                input.exclusive_start_shard_id.as_deref(),
                count(input.limit, 100),
            );
            Response::DescribeStream(shapes::DescribeStreamOutput {
                stream_description: Some(describe(stream, shards, more)),
            })
        }
        Request::DescribeStreamSummary(input) => {
            let name = required_stream(input.stream_name.as_deref(), input.stream_arn.as_deref())?;
            let stream = streams.get(&name)?;
            Response::DescribeStreamSummary(shapes::DescribeStreamSummaryOutput {
                stream_description_summary: Some(summary(stream)),
            })
        }
        Request::ListStreams(input) => list_streams(streams, &input),
        Request::ListShards(input) => {
            // NextToken is `stream/first shard index`, as this emulator hands it out.
            let (name, start) = match input.next_token.as_deref() {
                Some(token) => {
                    let (name, index) = token.rsplit_once('/').unwrap_or((token, ""));
                    (Some(name.to_owned()), index.parse::<usize>().ok())
                }
                None => (
                    stream_name(input.stream_name.as_deref(), input.stream_arn.as_deref()),
                    None,
                ),
            };
            let name = name.unwrap_or_default();
            let stream = streams.get(&name)?;
            let after = input.exclusive_start_shard_id.as_deref();
            let skip = start.unwrap_or_else(|| first_after(stream, after));
            let limit = count(input.max_results, 1000);
            let filter = input.shard_filter.as_ref();
            let mut rest = stream
                .shards
                .iter()
                .enumerate()
                .skip(skip)
                .filter(|(_, shard)| filter.is_none_or(|filter| passes(filter, shard)));
            let page: Vec<(usize, &state::Shard)> = rest.by_ref().take(limit).collect();
            let more = rest.next().is_some();
            let next = page
                .last()
                .map_or(skip, |(index, _)| index.saturating_add(1));
            let shards = page
                .into_iter()
                .map(|(_, shard)| shard_shape(shard))
                .collect();
            // A NextToken does not carry the filter: a paging client repeats it.
            let next_token = more.then(|| Cow::Owned(format!("{}/{next}", stream.name)));
            Response::ListShards(shapes::ListShardsOutput {
                next_token,
                shards: Some(shards),
            })
        }
        Request::SplitShard(input) => {
            let name = required_stream(input.stream_name.as_deref(), input.stream_arn.as_deref())?;
            let key = &input.new_starting_hash_key;
            streams.split(&name, &input.shard_to_split, key, now)?;
            Response::Empty(Operation::SplitShard)
        }
        Request::MergeShards(input) => {
            let name = required_stream(input.stream_name.as_deref(), input.stream_arn.as_deref())?;
            let adjacent = &input.adjacent_shard_to_merge;
            streams.merge(&name, &input.shard_to_merge, adjacent, now)?;
            Response::Empty(Operation::MergeShards)
        }
        Request::UpdateShardCount(input) => {
            let name = required_stream(input.stream_name.as_deref(), input.stream_arn.as_deref())?;
            if input.scaling_type != ScalingType::UniformScaling {
                // Refused by the model's enum check before this point.
                return Err(Failure {
                    code: "InvalidArgumentException",
                    message: format!("Unknown ScalingType {}", input.scaling_type.as_str()),
                });
            }
            let target = u32::try_from(input.target_shard_count).unwrap_or(0);
            let counts = streams.update_shard_count(&name, target, now)?;
            Response::UpdateShardCount(shapes::UpdateShardCountOutput {
                current_shard_count: i32::try_from(counts.current).ok(),
                stream_arn: Some(Cow::Owned(state::arn(&name))),
                stream_name: Some(Cow::Owned(name)),
                target_shard_count: i32::try_from(counts.target).ok(),
            })
        }
        Request::PutRecord(input) => {
            let name = required_stream(input.stream_name.as_deref(), input.stream_arn.as_deref())?;
            let stream = streams.get_mut(&name)?;
            let key = input.partition_key.as_deref().unwrap_or_default();
            let hash_key = input.explicit_hash_key.as_deref();
            let (shard, sequence) = stream.put(input.data.to_vec(), key, hash_key, now)?;
            Response::PutRecord(shapes::PutRecordOutput {
                encryption_type: Some(shapes::EncryptionType::None),
                sequence_number: Some(Cow::Owned(sequence.to_string())),
                shard_id: Some(Cow::Owned(shard.to_string())),
            })
        }
        Request::PutRecords(input) => {
            let name = required_stream(input.stream_name.as_deref(), input.stream_arn.as_deref())?;
            let stream = streams.get_mut(&name)?;
            let mut results = Vec::with_capacity(input.records.len());
            for record in &input.records {
                let key = record.partition_key.as_deref().unwrap_or_default();
                let hash_key = record.explicit_hash_key.as_deref();
                let (shard, sequence) = stream.put(record.data.to_vec(), key, hash_key, now)?;
                results.push(shapes::PutRecordsResultEntry {
                    sequence_number: Some(Cow::Owned(sequence.to_string())),
                    shard_id: Some(Cow::Owned(shard.to_string())),
                    ..Default::default()
                });
            }
            Response::PutRecords(shapes::PutRecordsOutput {
                encryption_type: Some(shapes::EncryptionType::None),
                failed_record_count: Some(0),
                records: Some(results),
            })
        }
        Request::GetShardIterator(input) => {
            let name = required_stream(input.stream_name.as_deref(), input.stream_arn.as_deref())?;
            let sequence = || {
                let text = input
                    .starting_sequence_number
                    .as_deref()
                    .unwrap_or_default();
                text.parse::<u128>().map_err(|_| Failure {
                    code: "InvalidArgumentException",
                    message: format!(
                        "StartingSequenceNumber {text} used in GetShardIterator on shard {} in \
                         stream {name} under account {} is invalid.",
                        input.shard_id,
                        state::ACCOUNT
                    ),
                })
            };
            let start = match &input.shard_iterator_type {
                ShardIteratorType::TrimHorizon => Start::TrimHorizon,
                ShardIteratorType::Latest => Start::Latest,
                ShardIteratorType::AtSequenceNumber => Start::AtSequence(sequence()?),
                ShardIteratorType::AfterSequenceNumber => Start::AfterSequence(sequence()?),
                ShardIteratorType::AtTimestamp => {
                    Start::AtTimestamp(input.timestamp.map_or(0, |t| t.as_millis()))
                }
                // Refused by the model's enum check before this point.
                other => {
                    return Err(Failure {
                        code: "InvalidArgumentException",
                        message: format!("Unknown ShardIteratorType {}", other.as_str()),
                    })
                }
            };
            let iterator = streams.iterator(&name, &input.shard_id, start)?;
            Response::GetShardIterator(shapes::GetShardIteratorOutput {
                shard_iterator: Some(Cow::Owned(iterator)),
            })
        }
        Request::GetRecords(input) => {
            let limit = count(input.limit, 10_000);
            let read = streams.read(&input.shard_iterator, limit, now)?;
            let child_shards = (read.next.is_none()).then(|| {
                read.children
                    .iter()
                    .map(|shard| child_shape(shard))
                    .collect()
            });
            let records = read
                .records
                .into_iter()
                .map(|record| shapes::Record {
                    approximate_arrival_timestamp: Some(Timestamp::from_millis(
                        record.arrival_millis,
                    )),
                    data: Some(Blob::from_vec(record.data)),
                    encryption_type: Some(shapes::EncryptionType::None),
                    partition_key: Some(Cow::Owned(record.partition_key)),
                    sequence_number: Some(Cow::Owned(record.sequence_number.to_string())),
                })
                .collect();
            Response::GetRecords(shapes::GetRecordsOutput {
                child_shards,
                millis_behind_latest: Some(read.behind),
                next_shard_iterator: read.next.map(Cow::Owned),
                records: Some(records),
            })
        }
        other => {
            return Err(Failure {
                code: "UnknownOperationException",
                message: format!(
                    "{} is not implemented by this example emulator",
                    other.operation()
                ),
            })
        }
    })
}

/// The index of the first shard after `after` (a shard id), or 0.
fn first_after(stream: &Stream, after: Option<&str>) -> usize {
    after
        .and_then(|id| {
            stream
                .shards
                .iter()
                .position(|shard| shard.id.to_string() == id)
        })
        .map_or(0, |index| index.saturating_add(1))
}

/// A page of a stream's shards for DescribeStream, and whether more follow.
fn page<'s>(
    stream: &'s Stream,
    after: Option<&str>,
    limit: usize,
) -> (impl Iterator<Item = &'s state::Shard>, bool) {
    let skip = first_after(stream, after);
    let more = stream.shards.len().saturating_sub(skip) > limit;
    (stream.shards.iter().skip(skip).take(limit), more)
}

/// Whether ListShards' `ShardFilter` keeps `shard`. Nothing is ever trimmed here, so the trim
/// horizon is the stream's start: `AT_TRIM_HORIZON` keeps the shards the stream was created
/// with, `FROM_TRIM_HORIZON` all.
fn passes(filter: &shapes::ShardFilter<'_>, shard: &state::Shard) -> bool {
    let at = filter.timestamp.map_or(i64::MIN, |t| t.as_millis());
    let open_at = |millis: i64| shard.closed_millis.is_none_or(|closed| closed > millis);
    match &filter.r#type {
        ShardFilterType::AfterShardId => filter
            .shard_id
            .as_deref()
            .and_then(|id| id.parse::<kinesis_codec::hashkey::ShardId>().ok())
            .is_none_or(|after| shard.id > after),
        ShardFilterType::AtTrimHorizon => shard.parents.is_empty(),
        ShardFilterType::AtLatest => shard.is_open(),
        ShardFilterType::AtTimestamp => shard.created_millis <= at && open_at(at),
        ShardFilterType::FromTimestamp => open_at(at),
        _ => true,
    }
}

/// A hash key range as the wire writes it.
fn range_shape(range: kinesis_codec::hashkey::HashKeyRange) -> shapes::HashKeyRange<'static> {
    shapes::HashKeyRange {
        starting_hash_key: Some(Cow::Owned(range.start().to_string())),
        ending_hash_key: Some(Cow::Owned(range.end().to_string())),
    }
}

/// A shard as the wire describes it: parent links, and an ending sequence number once closed.
fn shard_shape(shard: &state::Shard) -> shapes::Shard<'static> {
    let parent = |index: usize| {
        shard
            .parents
            .get(index)
            .map(|id| Cow::Owned(id.to_string()))
    };
    shapes::Shard {
        adjacent_parent_shard_id: parent(1),
        parent_shard_id: parent(0),
        hash_key_range: Some(range_shape(shard.range)),
        sequence_number_range: Some(shapes::SequenceNumberRange {
            starting_sequence_number: Some(Cow::Owned(
                shard.starting_sequence_number().to_string(),
            )),
            ending_sequence_number: shard
                .ending_sequence_number()
                .map(|number| Cow::Owned(number.to_string())),
        }),
        shard_id: Some(Cow::Owned(shard.id.to_string())),
    }
}

/// A child shard as GetRecords names it at the end of its closed parent.
fn child_shape(shard: &state::Shard) -> shapes::ChildShard<'static> {
    shapes::ChildShard {
        hash_key_range: Some(range_shape(shard.range)),
        parent_shards: Some(
            shard
                .parents
                .iter()
                .map(|id| Cow::Owned(id.to_string()))
                .collect(),
        ),
        shard_id: Some(Cow::Owned(shard.id.to_string())),
    }
}

/// `PROVISIONED` or `ON_DEMAND`.
fn mode(stream: &Stream) -> shapes::StreamModeDetails<'static> {
    shapes::StreamModeDetails {
        stream_mode: Some(if stream.on_demand {
            StreamMode::OnDemand
        } else {
            StreamMode::Provisioned
        }),
    }
}

/// DescribeStream's answer, with a page of shards.
fn describe<'s>(
    stream: &Stream,
    shards: impl Iterator<Item = &'s state::Shard>,
    has_more_shards: bool,
) -> shapes::StreamDescription<'static> {
    shapes::StreamDescription {
        encryption_type: Some(shapes::EncryptionType::None),
        enhanced_monitoring: Some(vec![shapes::EnhancedMetrics {
            shard_level_metrics: Some(Vec::new()),
        }]),
        has_more_shards: Some(has_more_shards),
        key_id: None,
        retention_period_hours: Some(24),
        shards: Some(shards.map(shard_shape).collect()),
        stream_arn: Some(Cow::Owned(stream.arn())),
        stream_creation_timestamp: Some(Timestamp::from_millis(stream.created_millis)),
        stream_mode_details: Some(mode(stream)),
        stream_name: Some(Cow::Owned(stream.name.clone())),
        stream_status: Some(StreamStatus::Active),
    }
}

/// DescribeStreamSummary's answer.
fn summary(stream: &Stream) -> shapes::StreamDescriptionSummary<'static> {
    shapes::StreamDescriptionSummary {
        consumer_count: Some(0), // counted in `handle`
        encryption_type: Some(shapes::EncryptionType::None),
        enhanced_monitoring: Some(vec![shapes::EnhancedMetrics {
            shard_level_metrics: Some(Vec::new()),
        }]),
        open_shard_count: i32::try_from(stream.open_count()).ok(),
        retention_period_hours: Some(24),
        stream_arn: Some(Cow::Owned(stream.arn())),
        stream_creation_timestamp: Some(Timestamp::from_millis(stream.created_millis)),
        stream_mode_details: Some(mode(stream)),
        stream_name: Some(Cow::Owned(stream.name.clone())),
        stream_status: Some(StreamStatus::Active),
        ..Default::default()
    }
}

/// ListStreams: names in order after `ExclusiveStartStreamName` (or the `NextToken`, which is
/// the last name of the previous page), up to `Limit`.
fn list_streams(streams: &Streams, input: &shapes::ListStreamsInput<'_>) -> Response<'static> {
    let after = input
        .next_token
        .as_deref()
        .or(input.exclusive_start_stream_name.as_deref());
    let limit = count(input.limit, 100);
    let mut rest = streams
        .all()
        .filter(|stream| after.is_none_or(|after| stream.name.as_str() > after));
    let page: Vec<&Stream> = rest.by_ref().take(limit).collect();
    let more = rest.next().is_some();
    let names = page
        .iter()
        .map(|stream| Cow::Owned(stream.name.clone()))
        .collect();
    let summaries = page
        .iter()
        .map(|stream| shapes::StreamSummary {
            stream_arn: Some(Cow::Owned(stream.arn())),
            stream_creation_timestamp: Some(Timestamp::from_millis(stream.created_millis)),
            stream_mode_details: Some(mode(stream)),
            stream_name: Some(Cow::Owned(stream.name.clone())),
            stream_status: Some(StreamStatus::Active),
        })
        .collect();
    Response::ListStreams(shapes::ListStreamsOutput {
        has_more_streams: Some(more),
        next_token: more
            .then(|| page.last().map(|stream| Cow::Owned(stream.name.clone())))
            .flatten(),
        stream_names: Some(names),
        stream_summaries: Some(summaries),
    })
}
