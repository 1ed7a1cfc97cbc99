//! The official Rust SDK (`aws-sdk-kinesis`) drives the example endpoint's shards and consumers:
//! split, merge and scale a stream and read every record back by following `ChildShards`; and
//! register a consumer and read a `SubscribeToShard` event stream through the SDK's own
//! receiver, with the second subscription refused and the stream's end seen.
//! `tests/emulator_aws_sdk.rs` has the SDK's puts, reads and errors.

#![cfg(feature = "std")]

#[path = "common/aws_sdk.rs"]
mod aws_sdk;
#[path = "common/emulator.rs"]
mod emulator;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use aws_sdk_kinesis::error::ProvideErrorMetadata as _;
use aws_sdk_kinesis::primitives::Blob;
use aws_sdk_kinesis::types::{
    ScalingType, ShardIteratorType, StartingPosition, SubscribeToShardEventStream,
};
use aws_sdk_kinesis::Client;
use kinesis_codec::hashkey::HashKey;

/// One record as put: where the endpoint said it went, and its data.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Put {
    shard: String,
    sequence: String,
    data: Vec<u8>,
}

/// Puts `count` records with keys `{tag}-{i}` and returns where each went.
async fn put(client: &Client, stream: &str, tag: &str, count: u32) -> Vec<Put> {
    let mut puts = Vec::new();
    for i in 0..count {
        let data = format!("{tag} record {i}").into_bytes();
        let out = client
            .put_record()
            .stream_name(stream)
            .partition_key(format!("{tag}-{i}"))
            .data(Blob::new(data.clone()))
            .send()
            .await
            .expect("PutRecord");
        puts.push(Put {
            shard: out.shard_id().to_owned(),
            sequence: out.sequence_number().to_owned(),
            data,
        });
    }
    puts
}

/// The decimal text of a hash key.
fn key(value: u128) -> String {
    HashKey::from(value).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reshard_and_follow_child_shards() {
    let server = emulator::Emulator::start();
    let client = aws_sdk::client(server.address());
    let stream = "sdk-reshard";
    client
        .create_stream()
        .stream_name(stream)
        .shard_count(2)
        .send()
        .await
        .expect("CreateStream");
    let mut puts = put(&client, stream, "two", 30).await;

    // Shard 0 owns [0, 2^127 - 1]: split it in half, then merge its upper half with shard 1.
    client
        .split_shard()
        .stream_name(stream)
        .shard_to_split("shardId-000000000000")
        .new_starting_hash_key(key(1 << 126))
        .send()
        .await
        .expect("SplitShard");
    puts.extend(put(&client, stream, "split", 30).await);
    client
        .merge_shards()
        .stream_name(stream)
        .shard_to_merge("shardId-000000000003")
        .adjacent_shard_to_merge("shardId-000000000001")
        .send()
        .await
        .expect("MergeShards");
    puts.extend(put(&client, stream, "merged", 30).await);
    client
        .update_shard_count()
        .stream_name(stream)
        .target_shard_count(4)
        .scaling_type(ScalingType::UniformScaling)
        .send()
        .await
        .expect("UpdateShardCount");
    puts.extend(put(&client, stream, "scaled", 30).await);

    // The lineage as ListShards gives it.
    let listed = client
        .list_shards()
        .stream_name(stream)
        .send()
        .await
        .expect("ListShards");
    let parents: BTreeMap<String, BTreeSet<String>> = listed
        .shards()
        .iter()
        .map(|shard| {
            let parents = [shard.parent_shard_id(), shard.adjacent_parent_shard_id()]
                .into_iter()
                .flatten()
                .map(str::to_owned)
                .collect();
            (shard.shard_id().to_owned(), parents)
        })
        .collect();
    let open: Vec<&str> = listed
        .shards()
        .iter()
        .filter(|shard| {
            shard
                .sequence_number_range()
                .is_some_and(|range| range.ending_sequence_number().is_none())
        })
        .map(|shard| shard.shard_id())
        .collect();
    assert_eq!(open.len(), 4, "{open:?}");
    assert_eq!(
        parents["shardId-000000000004"],
        BTreeSet::from(["shardId-000000000001".into(), "shardId-000000000003".into()]),
        "the merged shard names both merged shards"
    );

    // Read from the shards without parents, following ChildShards to the open ones.
    let mut queue: Vec<String> = parents
        .iter()
        .filter(|(_, p)| p.is_empty())
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(queue, ["shardId-000000000000", "shardId-000000000001"]);
    let mut seen = BTreeSet::new();
    let mut read = Vec::new();
    while let Some(shard) = queue.pop() {
        if !seen.insert(shard.clone()) {
            continue;
        }
        let mut iterator = client
            .get_shard_iterator()
            .stream_name(stream)
            .shard_id(&shard)
            .shard_iterator_type(ShardIteratorType::TrimHorizon)
            .send()
            .await
            .expect("GetShardIterator")
            .shard_iterator()
            .map(str::to_owned);
        let mut last_sequence: Option<u128> = None;
        while let Some(at) = iterator {
            let page = client
                .get_records()
                .shard_iterator(at)
                .limit(7)
                .send()
                .await
                .expect("GetRecords");
            for record in page.records() {
                let sequence: u128 = record.sequence_number().parse().expect("a number");
                assert!(last_sequence < Some(sequence), "{shard}: in order");
                last_sequence = Some(sequence);
                read.push(Put {
                    shard: shard.clone(),
                    sequence: record.sequence_number().to_owned(),
                    data: record.data().as_ref().to_vec(),
                });
            }
            for child in page.child_shards() {
                assert!(
                    child.parent_shards().contains(&shard),
                    "{shard}'s child {} names it",
                    child.shard_id()
                );
                assert_eq!(
                    child
                        .parent_shards()
                        .iter()
                        .cloned()
                        .collect::<BTreeSet<_>>(),
                    parents[child.shard_id()],
                    "ChildShards agrees with ListShards"
                );
                queue.push(child.shard_id().to_owned());
            }
            let open_shard = open.contains(&shard.as_str());
            match page.next_shard_iterator() {
                Some(next) if !(open_shard && page.records().is_empty()) => {
                    assert!(page.child_shards().is_empty(), "{shard}: not at its end");
                    iterator = Some(next.to_owned());
                }
                Some(_) => iterator = None, // an open shard, read to its tip
                None => {
                    assert!(!open_shard, "{shard}: an open shard has a next iterator");
                    assert!(
                        !page.child_shards().is_empty(),
                        "{shard}: ends with children"
                    );
                    iterator = None;
                }
            }
        }
    }
    assert_eq!(seen.len(), parents.len(), "every shard reached: {seen:?}");
    puts.sort();
    read.sort();
    assert_eq!(read, puts, "every record read back once, where it was put");
}

/// The events of a subscription until `stop` says enough (or the stream ends): the records'
/// (sequence number, data), and whether the stream ended by itself.
async fn events(
    output: &mut aws_sdk_kinesis::operation::subscribe_to_shard::SubscribeToShardOutput,
    mut stop: impl FnMut(&[(String, Vec<u8>)]) -> bool,
) -> (Vec<(String, Vec<u8>)>, bool) {
    let mut records = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !stop(&records) {
        assert!(Instant::now() < deadline, "no end after 30 s");
        let event = tokio::time::timeout(Duration::from_secs(20), output.event_stream.recv())
            .await
            .expect("an event within 20 s")
            .expect("an event, not an error");
        match event {
            Some(SubscribeToShardEventStream::SubscribeToShardEvent(event)) => {
                for record in event.records() {
                    records.push((
                        record.sequence_number().to_owned(),
                        record.data().as_ref().to_vec(),
                    ));
                }
                if let Some(last) = records.last() {
                    assert_eq!(event.continuation_sequence_number(), last.0.as_str());
                }
            }
            Some(other) => panic!("not a SubscribeToShardEvent: {other:?}"),
            None => return (records, true),
        }
    }
    (records, false)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_and_subscribe_to_shard() {
    // Subscriptions of 8 seconds, so that the test sees one end.
    let server = emulator::Emulator::start_with(&["--subscription-seconds", "8"]);
    let client = aws_sdk::client(server.address());
    let stream = "sdk-subscribe";
    client
        .create_stream()
        .stream_name(stream)
        .shard_count(1)
        .send()
        .await
        .expect("CreateStream");
    let before = put(&client, stream, "before", 5).await;
    let arn = client
        .describe_stream_summary()
        .stream_name(stream)
        .send()
        .await
        .expect("DescribeStreamSummary")
        .stream_description_summary()
        .expect("a summary")
        .stream_arn()
        .to_owned();

    let registered = client
        .register_stream_consumer()
        .stream_arn(&arn)
        .consumer_name("sdk-reader")
        .send()
        .await
        .expect("RegisterStreamConsumer");
    let consumer = registered.consumer().expect("Consumer");
    let consumer_arn = consumer.consumer_arn().to_owned();
    assert!(
        consumer_arn.starts_with(&format!("{arn}/consumer/sdk-reader:")),
        "{consumer_arn}"
    );
    let described = client
        .describe_stream_consumer()
        .consumer_arn(&consumer_arn)
        .send()
        .await
        .expect("DescribeStreamConsumer");
    let description = described.consumer_description().expect("a description");
    assert_eq!(description.consumer_name(), "sdk-reader");
    assert_eq!(description.stream_arn(), arn);
    let listed = client
        .list_stream_consumers()
        .stream_arn(&arn)
        .send()
        .await
        .expect("ListStreamConsumers");
    let names: Vec<&str> = listed
        .consumers()
        .iter()
        .map(|c| c.consumer_name())
        .collect();
    assert_eq!(names, ["sdk-reader"]);

    let position = StartingPosition::builder()
        .r#type(ShardIteratorType::TrimHorizon)
        .build()
        .expect("a starting position");
    let mut subscription = client
        .subscribe_to_shard()
        .consumer_arn(&consumer_arn)
        .shard_id("shardId-000000000000")
        .starting_position(position.clone())
        .send()
        .await
        .expect("SubscribeToShard");

    // A second subscription of the same consumer and shard at once: refused before streaming.
    let refused = client
        .subscribe_to_shard()
        .consumer_arn(&consumer_arn)
        .shard_id("shardId-000000000000")
        .starting_position(position)
        .send()
        .await
        .expect_err("a second subscription within 5 s");
    assert_eq!(refused.code(), Some("ResourceInUseException"));
    assert_eq!(
        refused.message(),
        Some(format!(
            "Another active subscription exists for this consumer: \
             000000000000:{stream}:shardId-000000000000:sdk-reader"
        ))
        .as_deref()
    );

    // The records put before, then those put while subscribed, in order and byte for byte.
    let (first, ended) = events(&mut subscription, |records| records.len() >= 5).await;
    assert!(!ended);
    let during = put(&client, stream, "during", 3).await;
    let (second, ended) = events(&mut subscription, |records| records.len() >= 3).await;
    assert!(!ended);
    let want: Vec<(String, Vec<u8>)> = before
        .iter()
        .chain(&during)
        .map(|p| (p.sequence.clone(), p.data.clone()))
        .collect();
    assert_eq!([first, second].concat(), want);

    // Then the subscription ends by itself (8 s here; 5 minutes at the service).
    let (rest, ended) = events(&mut subscription, |_| false).await;
    assert!(ended, "the stream ended");
    assert!(rest.is_empty(), "{rest:?}");

    client
        .deregister_stream_consumer()
        .consumer_arn(&consumer_arn)
        .send()
        .await
        .expect("DeregisterStreamConsumer");
    let gone = client
        .describe_stream_consumer()
        .consumer_arn(&consumer_arn)
        .send()
        .await
        .expect_err("a deregistered consumer");
    assert_eq!(gone.code(), Some("ResourceNotFoundException"));
}
