//! SubscribeToShard: the checks before a subscription begins, then its event stream.
//!
//! [`start`] runs the checks whose failure is a plain error answer (the consumer, the shard,
//! the starting position, another subscription within 5 seconds). [`body`] then streams the
//! subscription as the service does, every frame written with the crate
//! ([`SubscribeToShardItem::encode_to_vec_in`], JSON or CBOR as the request came) and sent
//! through `tokio_util`'s `FramedWrite` with the crate's [`FrameCodec`]:
//!
//! 1. an `initial-response` event (payload `{}`);
//! 2. `SubscribeToShardEvent`s: the records from the starting position on, then each record as
//!    it is put (the task wakes on every answered request, no polling), with
//!    `ContinuationSequenceNumber` and `MillisBehindLatest`; an event with no records after
//!    [`IDLE_EVENT`] without one (this example's choice; clients take empty events);
//! 3. the end: after the subscription's time (5 minutes, `--subscription-seconds`), the body
//!    simply ends; if the stream or the consumer goes, or a newer subscription takes over, an
//!    exception frame says so first.
//!
//! This example has no closed shards, so its events never carry `ChildShards`.

use std::borrow::Cow;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use futures_util::{SinkExt as _, TryStreamExt as _};
use http_body_util::{BodyExt as _, StreamBody};
use kinesis_codec::blob::Blob;
use kinesis_codec::eventstream::{self, CodecError, FrameCodec};
use kinesis_codec::kinesis::shapes::{self, ShardIteratorType};
use kinesis_codec::kinesis::{Error, SubscribeToShardItem};
use kinesis_codec::timestamp::Timestamp;
use kinesis_codec::wire::Protocol;
use tokio::io::DuplexStream;
use tokio::time::{sleep_until, Instant};
use tokio_util::codec::FramedWrite;
use tokio_util::io::ReaderStream;

use crate::consumers::{self, Consumers};
use crate::state::{self, Failure, ShardIterator, Start, Streams};
use crate::{Body, Endpoint};

/// How long a subscription without new records waits before it sends an empty event.
pub const IDLE_EVENT: Duration = Duration::from_secs(5);
/// The most record data bytes one event carries (it always carries at least one record).
const EVENT_DATA_BYTES: usize = 2 << 20;
/// The buffer between the task writing frames and the HTTP body reading them.
const PIPE_BYTES: usize = 64 << 10;

/// A subscription that passed the checks: who reads which shard, from where, in which protocol.
#[derive(Debug)]
pub struct Subscription {
    consumer_arn: String,
    id: u64,
    stream: String,
    stream_created_millis: i64,
    shard: usize,
    /// The index of the next record to send.
    position: usize,
    protocol: Protocol,
}

/// The checks of a SubscribeToShard request, in the service's order; a subscription if they
/// pass. Texts: `state.rs`'s for the shard and a sequence number; this example's own for a
/// starting position missing its sequence number or timestamp.
pub fn start(
    streams: &Streams,
    consumers: &mut Consumers,
    input: &shapes::SubscribeToShardInput<'_>,
    protocol: Protocol,
) -> Result<Subscription, Failure> {
    let consumer = consumers.get(&input.consumer_arn)?.clone();
    let position = &input.starting_position;
    let invalid = |message: String| Failure {
        code: "InvalidArgumentException",
        message,
    };
    let sequence = || {
        let text = position.sequence_number.as_deref().ok_or_else(|| {
            invalid(format!(
                "StartingPosition of type {} needs a SequenceNumber.",
                position.r#type.as_str()
            ))
        })?;
        text.parse::<u128>()
            .map_err(|_| invalid(format!("Invalid StartingSequenceNumber: {text}")))
    };
    let start = match &position.r#type {
        ShardIteratorType::TrimHorizon => Start::TrimHorizon,
        ShardIteratorType::Latest => Start::Latest,
        ShardIteratorType::AtSequenceNumber => Start::AtSequence(sequence()?),
        ShardIteratorType::AfterSequenceNumber => Start::AfterSequence(sequence()?),
        ShardIteratorType::AtTimestamp => {
            let at = position.timestamp.ok_or_else(|| {
                invalid("StartingPosition of type AT_TIMESTAMP needs a Timestamp.".to_owned())
            })?;
            Start::AtTimestamp(at.as_millis())
        }
        other => {
            return Err(invalid(format!(
                "Unknown StartingPosition {}",
                other.as_str()
            )))
        }
    };
    // The shard's existence, then the sequence number's, as GetShardIterator checks them.
    let iterator = streams.iterator(&consumer.stream, &input.shard_id, start)?;
    let at = ShardIterator::decode(&iterator).ok_or_else(|| invalid(iterator.clone()))?;
    let id = consumers.subscribe(&consumer, at.shard, &input.shard_id)?;
    Ok(Subscription {
        consumer_arn: consumer.arn,
        id,
        stream: at.stream,
        stream_created_millis: consumer.stream_created_millis,
        shard: at.shard,
        position: at.position,
        protocol,
    })
}

/// The response body of a subscription: the frames a task writes while it lasts.
pub fn body(endpoint: Arc<Endpoint>, subscription: Subscription) -> Body {
    let (write, read) = tokio::io::duplex(PIPE_BYTES);
    tokio::spawn(async move {
        let mut frames = FramedWrite::new(write, FrameCodec::default());
        // A failed write means the client went away: the subscription ends with it.
        let _ = push(&endpoint, subscription, &mut frames).await;
    });
    let chunks = ReaderStream::new(read).map_ok(hyper::body::Frame::data);
    StreamBody::new(chunks).boxed()
}

/// What the subscription does next.
enum Step {
    /// Send this event: it has records.
    Records(shapes::SubscribeToShardEvent<'static>),
    /// Nothing new; this is the event to send if the subscription has been idle long enough.
    Idle(shapes::SubscribeToShardEvent<'static>),
    /// End with this exception.
    End(Error<'static>),
}

/// Writes the subscription's frames until its time is up, it ends, or the client goes.
async fn push(
    endpoint: &Endpoint,
    mut subscription: Subscription,
    frames: &mut FramedWrite<DuplexStream, FrameCodec>,
) -> Result<(), CodecError> {
    let protocol = subscription.protocol;
    let deadline = Instant::now() + endpoint.subscription;
    let mut changes = endpoint.changes.subscribe();
    send(frames, protocol, &SubscribeToShardItem::InitialResponse).await?;
    let mut last_event = Instant::now();
    while Instant::now() < deadline {
        match next(endpoint, &mut subscription) {
            Step::Records(event) => {
                send(frames, protocol, &SubscribeToShardItem::Event(event)).await?;
                last_event = Instant::now();
                continue;
            }
            Step::Idle(event) if last_event.elapsed() >= IDLE_EVENT => {
                send(frames, protocol, &SubscribeToShardItem::Event(event)).await?;
                last_event = Instant::now();
            }
            Step::Idle(_) => {}
            Step::End(error) => {
                return send(frames, protocol, &SubscribeToShardItem::Exception(error)).await;
            }
        }
        // Wait for a change (any answered request), the next empty event, or the end.
        tokio::select! {
            _ = changes.changed() => {}
            () = sleep_until(last_event + IDLE_EVENT) => {}
            () = sleep_until(deadline) => {}
        }
    }
    Ok(())
}

/// Encodes one item with the crate and writes it through the codec.
async fn send(
    frames: &mut FramedWrite<DuplexStream, FrameCodec>,
    protocol: Protocol,
    item: &SubscribeToShardItem<'_>,
) -> Result<(), CodecError> {
    let mut bytes = Vec::new();
    item.encode_to_vec_in(protocol, &mut bytes)
        .map_err(|error| CodecError::Io(std::io::Error::other(error)))?;
    let frame = eventstream::decode_exact(&bytes)?;
    frames.send(frame).await
}

/// Locks a mutex; a poisoned one still holds consistent state (see `protocol.rs`).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The next step of a subscription, from the state as it is now.
fn next(endpoint: &Endpoint, subscription: &mut Subscription) -> Step {
    let streams = lock(&endpoint.streams);
    let stream = match streams.get(&subscription.stream) {
        Ok(stream) if stream.created_millis == subscription.stream_created_millis => stream,
        _ => {
            let failure = Failure::stream_not_found(&subscription.stream);
            return Step::End(crate::protocol::error_of(&failure));
        }
    };
    {
        let consumers = lock(&endpoint.consumers);
        let arn = &subscription.consumer_arn;
        if consumers.get(arn).is_err() {
            let failure = consumers::consumer_not_found(arn);
            return Step::End(crate::protocol::error_of(&failure));
        }
        // The service ends the older subscription with ResourceInUseException; the text is
        // this example's own.
        if !consumers.is_latest(arn, subscription.shard, subscription.id) {
            return Step::End(Error::ResourceInUseException(
                shapes::ResourceInUseException {
                    message: Some(Cow::Borrowed(
                        "A newer subscription of this consumer to this shard took over.",
                    )),
                },
            ));
        }
    }
    let Some(shard) = stream.shards.get(subscription.shard) else {
        return Step::End(crate::protocol::error_of(&Failure::stream_not_found(
            &subscription.stream,
        )));
    };
    let rest = shard
        .records
        .get(subscription.position..)
        .unwrap_or_default();
    let mut bytes = 0usize;
    let sent: Vec<&state::StoredRecord> = rest
        .iter()
        .take_while(|record| {
            let first = bytes == 0;
            bytes = bytes.saturating_add(record.data.len().max(1));
            first || bytes <= EVENT_DATA_BYTES
        })
        .collect();
    subscription.position = subscription.position.saturating_add(sent.len());
    let now = state::now_millis();
    let behind = rest
        .get(sent.len())
        .map_or(0, |next| now.saturating_sub(next.arrival_millis).max(0));
    // Where a new subscription (AFTER_SEQUENCE_NUMBER) picks up: the last record sent.
    let continuation = subscription
        .position
        .checked_sub(1)
        .and_then(|last| shard.records.get(last))
        .map_or_else(
            || shard.starting_sequence_number(),
            |record| record.sequence_number,
        );
    let records: Vec<shapes::Record<'static>> = sent
        .iter()
        .map(|record| shapes::Record {
            approximate_arrival_timestamp: Some(Timestamp::from_millis(record.arrival_millis)),
            data: Some(Blob::from_vec(record.data.clone())),
            encryption_type: None,
            partition_key: Some(Cow::Owned(record.partition_key.clone())),
            sequence_number: Some(Cow::Owned(record.sequence_number.to_string())),
        })
        .collect();
    let empty = records.is_empty();
    let event = shapes::SubscribeToShardEvent {
        child_shards: None,
        continuation_sequence_number: Some(Cow::Owned(continuation.to_string())),
        millis_behind_latest: Some(behind),
        records: Some(records),
    };
    if empty {
        Step::Idle(event)
    } else {
        Step::Records(event)
    }
}
