//! The official Rust SDK (`aws-sdk-kinesis`, plain-HTTP hyper client, static credentials,
//! behaviour version latest) drives the example endpoint (`examples/emulator/`): create,
//! describe, list streams and shards, put (one record; 500 at once with Unicode and 256-byte
//! partition keys and explicit hash keys, each landing on the shard the crate's `hashkey`
//! routing names), read back through all five iterator types byte for byte and in order, and
//! the service's errors as the SDK's typed exceptions.
//!
//! Each case is its own test on its own endpoint and stream ([`Peer::start`]), so that a case
//! (SubscribeToShard, for one) can be added beside the others without touching them.

#![cfg(feature = "std")]

#[path = "common/aws_sdk.rs"]
mod aws_sdk;
#[path = "common/emulator.rs"]
mod emulator;

use std::time::Duration;

use aws_sdk_kinesis::error::ProvideErrorMetadata as _;
use aws_sdk_kinesis::primitives::{Blob, DateTime};
use aws_sdk_kinesis::types::{PutRecordsRequestEntry, ShardIteratorType, StreamStatus};
use aws_sdk_kinesis::Client;
use kinesis_codec::hashkey::{route, Layout, Shard, ShardMap};

const SHARDS: u32 = 4;
const ACCOUNT: &str = "000000000000";

/// A running example endpoint and an SDK client pointed at it.
struct Peer {
    // Kept for its Drop (stops the endpoint).
    _server: emulator::Emulator,
    client: Client,
}

impl Peer {
    /// Starts the example on a free port with an SDK client for it ([`aws_sdk::client`]).
    fn start() -> Peer {
        let server = emulator::Emulator::start();
        let client = aws_sdk::client(server.address());
        Peer {
            _server: server,
            client,
        }
    }

    /// Creates `name` with [`SHARDS`] shards.
    async fn create(&self, name: &str) {
        self.client
            .create_stream()
            .stream_name(name)
            .shard_count(SHARDS as i32)
            .send()
            .await
            .expect("CreateStream");
    }

    /// The stream's shard ids in order.
    async fn shard_ids(&self, name: &str) -> Vec<String> {
        let listed = self
            .client
            .list_shards()
            .stream_name(name)
            .send()
            .await
            .expect("ListShards");
        listed
            .shards()
            .iter()
            .map(|s| s.shard_id().to_owned())
            .collect()
    }

    /// An iterator of `kind` on `shard`, starting at `sequence` or `timestamp` where the kind
    /// needs one.
    async fn iterator(
        &self,
        name: &str,
        shard: &str,
        kind: ShardIteratorType,
        sequence: Option<&str>,
        timestamp: Option<DateTime>,
    ) -> String {
        self.client
            .get_shard_iterator()
            .stream_name(name)
            .shard_id(shard)
            .shard_iterator_type(kind.clone())
            .set_starting_sequence_number(sequence.map(str::to_owned))
            .set_timestamp(timestamp)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GetShardIterator {kind:?}: {e:?}"))
            .shard_iterator()
            .expect("ShardIterator")
            .to_owned()
    }

    /// Every record from `iterator` on, in pages of `limit`, until a page comes back empty.
    async fn read_all(&self, mut iterator: String, limit: i32) -> Vec<Read> {
        let mut out = Vec::new();
        for _ in 0..1000 {
            let page = self
                .client
                .get_records()
                .shard_iterator(&iterator)
                .limit(limit)
                .send()
                .await
                .expect("GetRecords");
            if page.records().is_empty() {
                return out;
            }
            out.extend(page.records().iter().map(|r| Read {
                sequence: r.sequence_number().to_owned(),
                key: r.partition_key().expect("PartitionKey").to_owned(),
                data: r.data().as_ref().to_vec(),
            }));
            iterator = page
                .next_shard_iterator()
                .expect("an open shard has a next iterator")
                .to_owned();
        }
        panic!("more than 1000 pages");
    }
}

/// One record as read back (or as put, with where the endpoint said it went).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Read {
    sequence: String,
    key: String,
    data: Vec<u8>,
}

/// The shard ids of a stream of [`SHARDS`] shards as the crate's `hashkey` lays it out.
fn layout() -> Vec<Shard> {
    (0..SHARDS)
        .map(|i| Layout::Aws.shard(SHARDS, i).expect("a layout shard"))
        .collect()
}

/// The shard the crate routes (`partition key`, `explicit hash key`) to.
fn routed(shards: &[Shard], key: &str, explicit: Option<&str>) -> String {
    let map = ShardMap::new(shards).expect("a full map");
    map.find(route(key, explicit).expect("a valid key"))
        .id
        .to_string()
}

/// The 500 records of the batch: partition keys with Unicode and of 256 bytes (and of 256
/// UTF-16 units), data of every byte value and of varied lengths (empty included), every
/// fifth with an explicit hash key spread over the whole range.
fn batch() -> Vec<(Vec<u8>, String, Option<String>)> {
    (0..500u32)
        .map(|i| {
            let key = match i % 6 {
                // 256 bytes of ASCII.
                0 => format!("{i:0>256}"),
                // 256 bytes: 2-byte characters, then 4 digits.
                1 => format!("{}{i:04}", "é".repeat(126)),
                // 256 bytes: 4 digits, then 4-byte characters (2 UTF-16 units each).
                2 => format!("{i:04}{}", "😀".repeat(63)),
                // 256 UTF-16 units (the most the service takes), 508 bytes.
                3 => format!("{}{i:04}", "ж".repeat(252)),
                4 => format!("ключ-{i}-🦀"),
                _ => format!("key {i} \"quoted\" \\ \u{1}"),
            };
            let data: Vec<u8> = (0..(i * 7) % 300)
                .map(|j| (i.wrapping_mul(31).wrapping_add(j)) as u8)
                .collect();
            let explicit = (i % 5 == 0).then(|| {
                // i/5 of 100 steps over [0, 2^128 - 1], both ends included.
                let step = u128::MAX / 99;
                (u128::from(i / 5) * step).to_string()
            });
            (data, key, explicit)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_describe_and_list() {
    let peer = Peer::start();
    let client = &peer.client;
    peer.create("sdk-describe").await;
    peer.create("sdk-describe-2").await;

    let described = client
        .describe_stream()
        .stream_name("sdk-describe")
        .send()
        .await
        .expect("DescribeStream");
    let description = described.stream_description().expect("StreamDescription");
    assert_eq!(description.stream_name(), "sdk-describe");
    assert_eq!(
        description.stream_arn(),
        format!("arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/sdk-describe")
    );
    assert_eq!(description.stream_status(), &StreamStatus::Active);
    assert!(!description.has_more_shards());
    let expected = layout();
    assert_eq!(description.shards().len(), expected.len());
    for (shard, want) in description.shards().iter().zip(&expected) {
        assert_eq!(shard.shard_id(), want.id.to_string());
        let range = shard.hash_key_range().expect("HashKeyRange");
        assert_eq!(range.starting_hash_key(), want.range.start().to_string());
        assert_eq!(range.ending_hash_key(), want.range.end().to_string());
        assert!(shard.parent_shard_id().is_none());
        let sequences = shard.sequence_number_range().expect("SequenceNumberRange");
        assert!(sequences.ending_sequence_number().is_none(), "open shard");
    }

    let summary = client
        .describe_stream_summary()
        .stream_name("sdk-describe")
        .send()
        .await
        .expect("DescribeStreamSummary");
    let summary = summary
        .stream_description_summary()
        .expect("StreamDescriptionSummary");
    assert_eq!(summary.stream_name(), "sdk-describe");
    assert_eq!(summary.open_shard_count(), SHARDS as i32);
    assert_eq!(summary.stream_status(), &StreamStatus::Active);

    let listed = client.list_streams().send().await.expect("ListStreams");
    assert_eq!(listed.stream_names(), ["sdk-describe", "sdk-describe-2"]);
    assert!(!listed.has_more_streams());

    let shards = client
        .list_shards()
        .stream_name("sdk-describe")
        .send()
        .await
        .expect("ListShards");
    let ids: Vec<&str> = shards.shards().iter().map(|s| s.shard_id()).collect();
    let want: Vec<String> = expected.iter().map(|s| s.id.to_string()).collect();
    assert_eq!(ids, want);

    client
        .delete_stream()
        .stream_name("sdk-describe-2")
        .send()
        .await
        .expect("DeleteStream");
    let listed = client.list_streams().send().await.expect("ListStreams");
    assert_eq!(listed.stream_names(), ["sdk-describe"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn put_and_read_through_every_iterator_type() {
    let peer = Peer::start();
    let client = &peer.client;
    let name = "sdk-records";
    peer.create(name).await;
    let shards = layout();
    let ids = peer.shard_ids(name).await;

    // What each shard should hold, in order.
    let mut want: Vec<Vec<Read>> = vec![Vec::new(); ids.len()];
    let mut put = |shard: &str, read: Read| {
        let index = ids
            .iter()
            .position(|id| id == shard)
            .unwrap_or_else(|| panic!("unknown shard {shard}"));
        want[index].push(read);
    };

    // One record with PutRecord.
    let single = client
        .put_record()
        .stream_name(name)
        .data(Blob::new(b"single \x00\xff".to_vec()))
        .partition_key("single")
        .send()
        .await
        .expect("PutRecord");
    assert_eq!(single.shard_id(), routed(&shards, "single", None));
    put(
        single.shard_id(),
        Read {
            sequence: single.sequence_number().to_owned(),
            key: "single".into(),
            data: b"single \x00\xff".to_vec(),
        },
    );
    // One with an explicit hash key, which wins over the partition key.
    let explicit = client
        .put_record()
        .stream_name(name)
        .data(Blob::new(b"explicit".to_vec()))
        .partition_key("single")
        .explicit_hash_key("340282366920938463463374607431768211455")
        .send()
        .await
        .expect("PutRecord");
    assert_eq!(explicit.shard_id(), ids[ids.len() - 1]);
    put(
        explicit.shard_id(),
        Read {
            sequence: explicit.sequence_number().to_owned(),
            key: "single".into(),
            data: b"explicit".to_vec(),
        },
    );

    // 500 at once.
    let records = batch();
    let entries = records
        .iter()
        .map(|(data, key, explicit)| {
            PutRecordsRequestEntry::builder()
                .data(Blob::new(data.clone()))
                .partition_key(key)
                .set_explicit_hash_key(explicit.clone())
                .build()
                .expect("an entry")
        })
        .collect::<Vec<_>>();
    let answer = client
        .put_records()
        .stream_name(name)
        .set_records(Some(entries))
        .send()
        .await
        .expect("PutRecords");
    assert_eq!(answer.failed_record_count(), Some(0));
    assert_eq!(answer.records().len(), records.len());
    for ((data, key, explicit), entry) in records.iter().zip(answer.records()) {
        let shard = entry.shard_id().expect("ShardId");
        assert_eq!(
            shard,
            routed(&shards, key, explicit.as_deref()),
            "{key:?} {explicit:?}"
        );
        assert!(entry.error_code().is_none());
        put(
            shard,
            Read {
                sequence: entry.sequence_number().expect("SequenceNumber").to_owned(),
                key: key.clone(),
                data: data.clone(),
            },
        );
    }

    // A mark, then one record per shard that only AT_TIMESTAMP from the mark sees (with the
    // records after it).
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mark = DateTime::from(std::time::SystemTime::now());
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut timed: Vec<Vec<Read>> = vec![Vec::new(); ids.len()];
    for (index, shard) in shards.iter().enumerate() {
        let hash = shard.range.start().to_string();
        let data = format!("timed {index}").into_bytes();
        let out = client
            .put_record()
            .stream_name(name)
            .data(Blob::new(data.clone()))
            .partition_key("timed")
            .explicit_hash_key(&hash)
            .send()
            .await
            .expect("PutRecord");
        assert_eq!(out.shard_id(), ids[index]);
        let read = Read {
            sequence: out.sequence_number().to_owned(),
            key: "timed".into(),
            data,
        };
        want[index].push(read.clone());
        timed[index].push(read);
    }

    for (index, id) in ids.iter().enumerate() {
        let all = &want[index];
        assert!(all.len() > 2, "{id} holds {} records", all.len());

        let it = peer
            .iterator(name, id, ShardIteratorType::TrimHorizon, None, None)
            .await;
        assert_eq!(&peer.read_all(it, 37).await, all, "TRIM_HORIZON {id}");

        let middle = all.len() / 2;
        let at = &all[middle].sequence;
        let it = peer
            .iterator(
                name,
                id,
                ShardIteratorType::AtSequenceNumber,
                Some(at),
                None,
            )
            .await;
        assert_eq!(
            peer.read_all(it, 10_000).await,
            all[middle..],
            "AT_SEQUENCE_NUMBER {id}"
        );
        let it = peer
            .iterator(
                name,
                id,
                ShardIteratorType::AfterSequenceNumber,
                Some(at),
                None,
            )
            .await;
        assert_eq!(
            peer.read_all(it, 10_000).await,
            all[middle + 1..],
            "AFTER_SEQUENCE_NUMBER {id}"
        );

        let it = peer
            .iterator(name, id, ShardIteratorType::AtTimestamp, None, Some(mark))
            .await;
        assert_eq!(
            peer.read_all(it, 10_000).await,
            timed[index],
            "AT_TIMESTAMP {id}"
        );

        // LATEST: nothing of what is there, only what comes after.
        let it = peer
            .iterator(name, id, ShardIteratorType::Latest, None, None)
            .await;
        let data = format!("latest {index}").into_bytes();
        let out = client
            .put_record()
            .stream_name(name)
            .data(Blob::new(data.clone()))
            .partition_key("latest")
            .explicit_hash_key(shards[index].range.end().to_string())
            .send()
            .await
            .expect("PutRecord");
        assert_eq!(out.shard_id(), id);
        let latest = vec![Read {
            sequence: out.sequence_number().to_owned(),
            key: "latest".into(),
            data,
        }];
        assert_eq!(peer.read_all(it, 10_000).await, latest, "LATEST {id}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_the_sdk_typed_exceptions() {
    let peer = Peer::start();
    let client = &peer.client;
    peer.create("sdk-errors").await;
    let missing = format!("Stream no-such-stream under account {ACCOUNT} not found.");

    let error = client
        .describe_stream()
        .stream_name("no-such-stream")
        .send()
        .await
        .expect_err("a missing stream")
        .into_service_error();
    assert!(error.is_resource_not_found_exception(), "{error:?}");
    assert_eq!(error.message(), Some(missing.as_str()));

    let error = client
        .put_record()
        .stream_name("no-such-stream")
        .data(Blob::new(b"x".to_vec()))
        .partition_key("k")
        .send()
        .await
        .expect_err("a missing stream")
        .into_service_error();
    assert!(error.is_resource_not_found_exception(), "{error:?}");
    assert_eq!(error.message(), Some(missing.as_str()));

    let error = client
        .get_shard_iterator()
        .stream_name("no-such-stream")
        .shard_id("shardId-000000000000")
        .shard_iterator_type(ShardIteratorType::TrimHorizon)
        .send()
        .await
        .expect_err("a missing stream")
        .into_service_error();
    assert!(error.is_resource_not_found_exception(), "{error:?}");

    let error = client
        .put_record()
        .stream_name("sdk-errors")
        .data(Blob::new(b"x".to_vec()))
        .partition_key("k")
        .explicit_hash_key("340282366920938463463374607431768211456")
        .send()
        .await
        .expect_err("2^128 is past the range")
        .into_service_error();
    assert!(error.is_invalid_argument_exception(), "{error:?}");
    assert_eq!(
        error.message(),
        Some(
            "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. \
             Specified value was 340282366920938463463374607431768211456"
        )
    );

    let error = client
        .create_stream()
        .stream_name("sdk-errors")
        .shard_count(1)
        .send()
        .await
        .expect_err("the stream exists")
        .into_service_error();
    assert!(error.is_resource_in_use_exception(), "{error:?}");
}
