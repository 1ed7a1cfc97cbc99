//! The registered consumers (enhanced fan-out) and who is subscribed to which shard, in memory,
//! with the four consumer operations on them.
//!
//! A consumer belongs to one stream: it is registered on the stream's ARN and named in it.
//! Its ARN is the service's shape, `STREAM_ARN/consumer/NAME:CREATION_SECONDS`, and its status
//! is `ACTIVE` at once (the service shows `CREATING` for a few seconds first; an emulator need
//! not make clients wait). A consumer whose stream was deleted (or deleted and made again) is
//! gone with it.
//!
//! The error texts: a missing stream's is `state.rs`'s; a second subscription's is the
//! service's, as a Databricks knowledge-base article quotes it; the others are ferrokinesis'
//! (0.7.0).

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use kinesis_codec::kinesis::shapes::{self, ConsumerStatus};
use kinesis_codec::kinesis::{Request, Response};
use kinesis_codec::timestamp::Timestamp;

use crate::state::{self, Failure, Stream, Streams};

/// The most consumers a stream may have (the service's quota).
const MAX_CONSUMERS: usize = 20;

/// How long a subscription holds its consumer and shard against a new one: within this time of
/// a subscription the service refuses another, after it the new one takes over (its
/// SubscribeToShard documentation).
pub const TAKEOVER_AFTER: Duration = Duration::from_secs(5);

/// One registered consumer.
#[derive(Debug, Clone)]
pub struct Consumer {
    /// Its name, unique in its stream.
    pub name: String,
    /// `arn:aws:kinesis:REGION:ACCOUNT:stream/STREAM/consumer/NAME:SECONDS`.
    pub arn: String,
    /// Its stream's name.
    pub stream: String,
    /// When its stream was created (a stream made again under the same name is another one).
    pub stream_created_millis: i64,
    /// Milliseconds since the epoch when it was registered.
    pub created_millis: i64,
}

/// The latest subscription of a consumer to a shard.
#[derive(Debug, Clone, Copy)]
struct Subscribed {
    id: u64,
    at: Instant,
}

/// Every consumer, by ARN, and the latest subscription of each consumer and shard.
#[derive(Debug, Default)]
pub struct Consumers {
    by_arn: BTreeMap<String, Consumer>,
    subscriptions: HashMap<(String, usize), Subscribed>,
    next_id: u64,
}

/// The service's answer for a consumer ARN that names none (ferrokinesis' text).
pub fn consumer_not_found(arn: &str) -> Failure {
    Failure {
        code: "ResourceNotFoundException",
        message: format!("Consumer {arn} not found."),
    }
}

impl Consumers {
    /// Forgets the consumers whose stream is gone.
    fn prune(&mut self, streams: &Streams) {
        self.by_arn.retain(|_, consumer| {
            streams
                .get(&consumer.stream)
                .is_ok_and(|stream| stream.created_millis == consumer.stream_created_millis)
        });
        let by_arn = &self.by_arn;
        self.subscriptions
            .retain(|(arn, _), _| by_arn.contains_key(arn));
    }

    /// How many consumers the stream of this name has.
    pub fn count(&self, stream: &str) -> usize {
        self.by_arn
            .values()
            .filter(|consumer| consumer.stream == stream)
            .count()
    }

    /// The consumer of this ARN.
    pub fn get(&self, arn: &str) -> Result<&Consumer, Failure> {
        self.by_arn.get(arn).ok_or_else(|| consumer_not_found(arn))
    }

    /// The stream of a request's `StreamARN` (an ARN of another account or region is kept
    /// whole, and so is not found).
    fn stream<'s>(streams: &'s Streams, arn: &str) -> Result<&'s Stream, Failure> {
        streams.get(state::name_of_arn(arn).unwrap_or(arn))
    }

    /// The consumer a request names: by `ConsumerARN`, or by `StreamARN` and `ConsumerName`.
    fn find(
        &self,
        streams: &Streams,
        arn: Option<&str>,
        stream_arn: Option<&str>,
        name: Option<&str>,
    ) -> Result<&Consumer, Failure> {
        match (arn, stream_arn, name) {
            (Some(arn), _, _) => self.get(arn),
            (None, Some(stream_arn), Some(name)) => {
                let stream = Self::stream(streams, stream_arn)?;
                self.by_arn
                    .values()
                    .find(|consumer| consumer.stream == stream.name && consumer.name == name)
                    .ok_or_else(|| Failure {
                        code: "ResourceNotFoundException",
                        message: format!("Consumer {name} under stream {stream_arn} not found."),
                    })
            }
            _ => Err(Failure {
                code: "InvalidArgumentException",
                message: "Must specify either ConsumerARN, or both StreamARN and ConsumerName."
                    .to_owned(),
            }),
        }
    }

    /// Registers a consumer on a stream, `ACTIVE` at once.
    fn register(
        &mut self,
        streams: &Streams,
        stream_arn: &str,
        name: &str,
        now: i64,
    ) -> Result<&Consumer, Failure> {
        let stream = Self::stream(streams, stream_arn)?;
        let mut of_stream = self
            .by_arn
            .values()
            .filter(|consumer| consumer.stream == stream.name);
        if of_stream.clone().any(|consumer| consumer.name == name) {
            return Err(Failure {
                code: "ResourceInUseException",
                message: format!("Consumer {name} under stream {stream_arn} already exists."),
            });
        }
        if of_stream.nth(MAX_CONSUMERS.saturating_sub(1)).is_some() {
            return Err(Failure {
                code: "LimitExceededException",
                message: "You have reached the maximum number of registered consumers for this \
                          stream."
                    .to_owned(),
            });
        }
        let arn = format!("{}/consumer/{name}:{}", stream.arn(), now.div_euclid(1000));
        let consumer = Consumer {
            name: name.to_owned(),
            arn: arn.clone(),
            stream: stream.name.clone(),
            stream_created_millis: stream.created_millis,
            created_millis: now,
        };
        Ok(self.by_arn.entry(arn).or_insert(consumer))
    }

    /// Records a new subscription of `arn` to the shard of this index, or refuses it if the
    /// last one began less than [`TAKEOVER_AFTER`] ago (the service's text, as a Databricks
    /// knowledge-base article quotes it). Returns the subscription's id.
    pub fn subscribe(
        &mut self,
        consumer: &Consumer,
        shard: usize,
        shard_id: &str,
    ) -> Result<u64, Failure> {
        let key = (consumer.arn.clone(), shard);
        let now = Instant::now();
        if let Some(last) = self.subscriptions.get(&key) {
            if now.duration_since(last.at) < TAKEOVER_AFTER {
                return Err(Failure {
                    code: "ResourceInUseException",
                    message: format!(
                        "Another active subscription exists for this consumer: {}:{}:{shard_id}:{}",
                        state::ACCOUNT,
                        consumer.stream,
                        consumer.name
                    ),
                });
            }
        }
        self.next_id = self.next_id.wrapping_add(1);
        let id = self.next_id;
        self.subscriptions.insert(key, Subscribed { id, at: now });
        Ok(id)
    }

    /// Whether subscription `id` of `arn` to the shard of this index is still the latest.
    pub fn is_latest(&self, arn: &str, shard: usize, id: u64) -> bool {
        self.subscriptions
            .get(&(arn.to_owned(), shard))
            .is_some_and(|latest| latest.id == id)
    }
}

/// A consumer as the wire describes it.
fn consumer_shape(consumer: &Consumer) -> shapes::Consumer<'static> {
    shapes::Consumer {
        consumer_arn: Some(Cow::Owned(consumer.arn.clone())),
        consumer_creation_timestamp: Some(Timestamp::from_millis(consumer.created_millis)),
        consumer_name: Some(Cow::Owned(consumer.name.clone())),
        consumer_status: Some(ConsumerStatus::Active),
    }
}

/// Runs a consumer operation (`None` for any other request). A poisoned lock is handled by the
/// caller, which holds both.
pub fn run(
    consumers: &mut Consumers,
    streams: &Streams,
    request: &Request<'_>,
) -> Option<Result<Response<'static>, Failure>> {
    consumers.prune(streams);
    let answer = match request {
        Request::RegisterStreamConsumer(input) => consumers
            .register(
                streams,
                &input.stream_arn,
                &input.consumer_name,
                state::now_millis(),
            )
            .map(|consumer| {
                Response::RegisterStreamConsumer(shapes::RegisterStreamConsumerOutput {
                    consumer: Some(consumer_shape(consumer)),
                })
            }),
        Request::DescribeStreamConsumer(input) => consumers
            .find(
                streams,
                input.consumer_arn.as_deref(),
                input.stream_arn.as_deref(),
                input.consumer_name.as_deref(),
            )
            .map(|consumer| {
                Response::DescribeStreamConsumer(shapes::DescribeStreamConsumerOutput {
                    consumer_description: Some(shapes::ConsumerDescription {
                        consumer_arn: Some(Cow::Owned(consumer.arn.clone())),
                        consumer_creation_timestamp: Some(Timestamp::from_millis(
                            consumer.created_millis,
                        )),
                        consumer_name: Some(Cow::Owned(consumer.name.clone())),
                        consumer_status: Some(ConsumerStatus::Active),
                        stream_arn: Some(Cow::Owned(state::arn(&consumer.stream))),
                    }),
                })
            }),
        Request::ListStreamConsumers(input) => list(consumers, streams, input),
        Request::DeregisterStreamConsumer(input) => consumers
            .find(
                streams,
                input.consumer_arn.as_deref(),
                input.stream_arn.as_deref(),
                input.consumer_name.as_deref(),
            )
            .map(|consumer| consumer.arn.clone())
            .map(|arn| {
                consumers.by_arn.remove(&arn);
                consumers.prune(streams);
                Response::Empty(request.operation())
            }),
        // The service refuses to delete a stream that has consumers unless told to delete them
        // too (the text is this example's own); otherwise `protocol.rs` deletes it.
        Request::DeleteStream(input) if input.enforce_consumer_deletion != Some(true) => {
            let name = input
                .stream_name
                .as_deref()
                .or_else(|| input.stream_arn.as_deref().and_then(state::name_of_arn))?;
            if consumers.count(name) == 0 {
                return None;
            }
            Err(Failure {
                code: "ResourceInUseException",
                message: format!(
                    "Stream {name} under account {} has registered consumers: delete them \
                     first, or set EnforceConsumerDeletion.",
                    state::ACCOUNT
                ),
            })
        }
        _ => return None,
    };
    Some(answer)
}

/// ListStreamConsumers: the stream's consumers by name, after the `NextToken` (the last name of
/// the previous page, as this example hands it out), up to `MaxResults`.
fn list(
    consumers: &Consumers,
    streams: &Streams,
    input: &shapes::ListStreamConsumersInput<'_>,
) -> Result<Response<'static>, Failure> {
    let stream = Consumers::stream(streams, &input.stream_arn)?;
    let mut of_stream: Vec<&Consumer> = consumers
        .by_arn
        .values()
        .filter(|consumer| consumer.stream == stream.name)
        .collect();
    of_stream.sort_by(|a, b| a.name.cmp(&b.name));
    let after = input.next_token.as_deref();
    let limit = input
        .max_results
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(100);
    let mut rest = of_stream
        .into_iter()
        .filter(|consumer| after.is_none_or(|after| consumer.name.as_str() > after));
    let page: Vec<&Consumer> = rest.by_ref().take(limit).collect();
    let more = rest.next().is_some();
    Ok(Response::ListStreamConsumers(
        shapes::ListStreamConsumersOutput {
            next_token: more
                .then(|| {
                    page.last()
                        .map(|consumer| Cow::Owned(consumer.name.clone()))
                })
                .flatten(),
            consumers: Some(page.into_iter().map(consumer_shape).collect()),
        },
    ))
}
