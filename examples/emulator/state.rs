//! The streams, in memory: what an emulator keeps between requests, apart from any wire format.
//!
//! Each stream has the shards CreateStream makes ([`Layout::Aws`] from the crate's `hashkey`
//! module), and each shard its records in arrival order. A record's sequence number is
//! `4·10^37 + shard index·10^18 + 1 + position`: per shard, increasing, all of one length, so
//! they compare the same as numbers and as text. The shard's `StartingSequenceNumber` is the one
//! below its first record's, which no record takes: a consumer told to resume after it (an idle
//! subscription's `ContinuationSequenceNumber`) misses nothing. A shard iterator is `stream/shard index/position`.
//!
//! Resharding (`reshard.rs`) closes shards and appends new ones with the next indexes; a closed
//! shard keeps its records and range, takes no more records, and its reader is led on to its
//! children. Every change takes effect at once: the stream never shows `UPDATING`.
//!
//! The methods answer in plain Rust types or a [`Failure`] (an error code and the service's
//! text); `protocol.rs` turns both into wire bodies.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::firehose::DeliveryStreams;
use kinesis_codec::hashkey::{self, route, HashKey, HashKeyRange, Layout, ShardId};

/// The account every ARN and error message names.
pub const ACCOUNT: &str = "000000000000";
/// The region of the ARNs.
pub const REGION: &str = "us-east-1";
/// The shard count of a stream created without one (on-demand streams start with four).
const ON_DEMAND_SHARDS: u32 = 4;

/// The most shards all streams together may have (this example's limit; the service's is per
/// account and region, and can be raised).
const MAX_SHARDS: usize = 10_000;

/// The first sequence number of shard 0; see the module docs.
const SEQUENCE_BASE: u128 = 4 * 10u128.pow(37);
/// The distance between the sequence numbers of two neighbouring shards.
const SEQUENCE_SHARD_STRIDE: u128 = 10u128.pow(18);

/// An error the service answers with: its code and message.
#[derive(Debug)]
pub struct Failure {
    /// `ResourceNotFoundException`, `ResourceInUseException`, `InvalidArgumentException`, ...
    pub code: &'static str,
    /// The service's text.
    pub message: String,
}

impl Failure {
    fn new(code: &'static str, message: String) -> Self {
        Failure { code, message }
    }

    /// The service's answer for a stream that does not exist.
    pub fn stream_not_found(name: &str) -> Self {
        Failure::new(
            "ResourceNotFoundException",
            format!("Stream {name} under account {ACCOUNT} not found."),
        )
    }

    fn invalid_argument(message: String) -> Self {
        Failure::new("InvalidArgumentException", message)
    }
}

/// One stored record.
#[derive(Clone, Debug)]
pub struct StoredRecord {
    /// The sequence number (see the module docs).
    pub sequence_number: u128,
    /// The data bytes exactly as the producer sent them (a KPL aggregate stays one record).
    pub data: Vec<u8>,
    /// The partition key as given.
    pub partition_key: String,
    /// Milliseconds since the epoch when the record arrived.
    pub arrival_millis: i64,
}

/// One shard: its place in the hash key space, its lineage and its records.
#[derive(Debug)]
pub struct Shard {
    /// `shardId-…`.
    pub id: ShardId,
    /// The hash keys the shard owns.
    pub range: HashKeyRange,
    /// The shards it was made from, in hash key order: none for the stream's first shards, one
    /// for a split, two for a merge, and for UpdateShardCount every closed shard its range
    /// overlaps.
    pub parents: Vec<ShardId>,
    /// Milliseconds since the epoch when it was made.
    pub created_millis: i64,
    /// Milliseconds since the epoch when a reshard closed it; `None` while it is open.
    pub closed_millis: Option<i64>,
    /// Its records, oldest first.
    pub records: Vec<StoredRecord>,
}

impl Shard {
    /// A new open shard without records.
    pub fn new(id: ShardId, range: HashKeyRange, parents: Vec<ShardId>, now: i64) -> Shard {
        Shard {
            id,
            range,
            parents,
            created_millis: now,
            closed_millis: None,
            records: Vec::new(),
        }
    }

    /// Whether it still takes records.
    pub fn is_open(&self) -> bool {
        self.closed_millis.is_none()
    }

    /// The shard's `StartingSequenceNumber`, one below its first record's (see the module docs).
    pub fn starting_sequence_number(&self) -> u128 {
        u128::from(self.id.index())
            .saturating_mul(SEQUENCE_SHARD_STRIDE)
            .saturating_add(SEQUENCE_BASE)
    }

    /// A closed shard's `EndingSequenceNumber`: the last number of its block, above all of its
    /// records (the service's is likewise a bound, not the last record's); `None` while open.
    pub fn ending_sequence_number(&self) -> Option<u128> {
        self.closed_millis.map(|_| {
            self.starting_sequence_number()
                .saturating_add(SEQUENCE_SHARD_STRIDE.saturating_sub(1))
        })
    }

    /// The shard as the crate's `hashkey` module sees it.
    pub fn as_hashkey(&self) -> hashkey::Shard {
        hashkey::Shard {
            id: self.id,
            range: self.range,
            open: self.is_open(),
        }
    }
}

/// One stream.
#[derive(Debug)]
pub struct Stream {
    /// Its name.
    pub name: String,
    /// Milliseconds since the epoch when it was created.
    pub created_millis: i64,
    /// Whether it was created without a shard count (on demand).
    pub on_demand: bool,
    /// Its shards, by index.
    pub shards: Vec<Shard>,
}

impl Stream {
    /// `arn:aws:kinesis:us-east-1:000000000000:stream/NAME`.
    pub fn arn(&self) -> String {
        arn(&self.name)
    }

    /// The shard named `id` (`shardId-…`), or the service's error.
    pub fn shard(&self, id: &str) -> Result<&Shard, Failure> {
        self.position(id)
            .and_then(|index| self.shards.get(index))
            .ok_or_else(|| {
                Failure::new(
                    "ResourceNotFoundException",
                    format!(
                        "Shard {id} in stream {} under account {ACCOUNT} does not exist",
                        self.name
                    ),
                )
            })
    }

    /// The index in [`shards`](Self::shards) of the shard named `id`.
    pub fn position(&self, id: &str) -> Option<usize> {
        let id = id.parse::<ShardId>().ok()?;
        self.shards.iter().position(|shard| shard.id == id)
    }

    /// The shards made from `parent`, in hash key order.
    pub fn children(&self, parent: ShardId) -> impl Iterator<Item = &Shard> {
        self.shards
            .iter()
            .filter(move |shard| shard.parents.contains(&parent))
    }

    /// How many shards take records.
    pub fn open_count(&self) -> usize {
        self.shards.iter().filter(|shard| shard.is_open()).count()
    }

    /// Stores a record in the shard that owns its hash key (the explicit hash key if given,
    /// else the partition key's MD5) and returns that shard's index and the sequence number.
    pub fn put(
        &mut self,
        data: Vec<u8>,
        partition_key: &str,
        explicit_hash_key: Option<&str>,
        now: i64,
    ) -> Result<(ShardId, u128), Failure> {
        let key: HashKey = route(partition_key, explicit_hash_key).map_err(|error| {
            Failure::invalid_argument(error.message(explicit_hash_key.unwrap_or("")).to_string())
        })?;
        let shard = self
            .shards
            .iter_mut()
            .find(|shard| shard.is_open() && shard.range.contains(key))
            .ok_or_else(|| Failure::new("InternalFailureException", "no shard".into()))?;
        let position = u128::try_from(shard.records.len()).unwrap_or(u128::MAX);
        let sequence_number = shard
            .starting_sequence_number()
            .saturating_add(1)
            .saturating_add(position);
        shard.records.push(StoredRecord {
            sequence_number,
            data,
            partition_key: partition_key.to_owned(),
            arrival_millis: now,
        });
        Ok((shard.id, sequence_number))
    }
}

/// `arn:aws:kinesis:us-east-1:000000000000:stream/NAME`.
pub fn arn(name: &str) -> String {
    format!("arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{name}")
}

/// The stream name of an ARN of this account and region, if it is one.
pub fn name_of_arn(arn: &str) -> Option<&str> {
    arn.strip_prefix(&format!("arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/"))
}

/// Where a shard iterator points: a stream, a shard index and a position in its records.
#[derive(Debug, PartialEq, Eq)]
pub struct ShardIterator {
    /// The stream's name.
    pub stream: String,
    /// The shard's index.
    pub shard: usize,
    /// The index of the next record to read.
    pub position: usize,
}

impl ShardIterator {
    /// The iterator as the wire carries it.
    pub fn encode(&self) -> String {
        format!("{}/{}/{}", self.stream, self.shard, self.position)
    }

    /// Reads an iterator back; `None` for anything this emulator did not hand out.
    pub fn decode(text: &str) -> Option<ShardIterator> {
        let mut parts = text.rsplitn(3, '/');
        let position = parts.next()?.parse().ok()?;
        let shard = parts.next()?.parse().ok()?;
        let stream = parts.next()?.to_owned();
        Some(ShardIterator {
            stream,
            shard,
            position,
        })
    }
}

/// Where a `GetShardIterator` starts.
#[derive(Debug, Clone, Copy)]
pub enum Start {
    /// The oldest record.
    TrimHorizon,
    /// Just after the newest record.
    Latest,
    /// The record with this sequence number (or the first after it).
    AtSequence(u128),
    /// The first record after this sequence number.
    AfterSequence(u128),
    /// The first record that arrived at or after these milliseconds.
    AtTimestamp(i64),
}

/// Every stream, by name.
#[derive(Debug, Default)]
pub struct Streams {
    streams: BTreeMap<String, Stream>,
    /// Firehose's delivery streams (`firehose.rs`), beside the Kinesis streams under one lock.
    pub firehose: DeliveryStreams,
}

impl Streams {
    /// The stream named `name`, or the service's error.
    pub fn get(&self, name: &str) -> Result<&Stream, Failure> {
        self.streams
            .get(name)
            .ok_or_else(|| Failure::stream_not_found(name))
    }

    /// The stream named `name` to change, or the service's error.
    pub fn get_mut(&mut self, name: &str) -> Result<&mut Stream, Failure> {
        self.streams
            .get_mut(name)
            .ok_or_else(|| Failure::stream_not_found(name))
    }

    /// Every stream, by name.
    pub fn all(&self) -> impl Iterator<Item = &Stream> {
        self.streams.values()
    }

    /// Makes a stream of `shard_count` shards (on demand: four) laid out as the service lays
    /// them out.
    pub fn create(
        &mut self,
        name: &str,
        shard_count: Option<u32>,
        now: i64,
    ) -> Result<(), Failure> {
        if self.streams.contains_key(name) {
            return Err(Failure::new(
                "ResourceInUseException",
                format!("Stream {name} under account {ACCOUNT} already exists."),
            ));
        }
        let count = shard_count.unwrap_or(ON_DEMAND_SHARDS);
        self.check_shard_limit(0, count)?;
        let ranges = Layout::Aws
            .ranges(count)
            .map_err(|error| Failure::invalid_argument(error.to_string()))?;
        let shards = ranges
            .zip(0u64..)
            .map(|(range, index)| {
                let id = ShardId::new(index).unwrap_or(ShardId::FIRST);
                Shard::new(id, range, Vec::new(), now)
            })
            .collect();
        let stream = Stream {
            name: name.to_owned(),
            created_millis: now,
            on_demand: shard_count.is_none(),
            shards,
        };
        self.streams.insert(name.to_owned(), stream);
        Ok(())
    }

    /// The service's `LimitExceededException` if `requested` more open shards, `leaving` fewer,
    /// would pass this example's limit on all streams' open shards together.
    pub fn check_shard_limit(&self, leaving: usize, requested: u32) -> Result<(), Failure> {
        let current: usize = self.streams.values().map(Stream::open_count).sum();
        let after = current
            .saturating_sub(leaving)
            .saturating_add(usize::try_from(requested).unwrap_or(usize::MAX));
        if after > MAX_SHARDS {
            return Err(Failure::new(
                "LimitExceededException",
                format!(
                    "This request would exceed the shard limit for the account {ACCOUNT} in \
                     {REGION}. Current provisioned shard count: {current}; Limit: {MAX_SHARDS}. \
                     Requested shard count: {requested}."
                ),
            ));
        }
        Ok(())
    }

    /// Removes a stream.
    pub fn delete(&mut self, name: &str) -> Result<(), Failure> {
        self.streams
            .remove(name)
            .map(drop)
            .ok_or_else(|| Failure::stream_not_found(name))
    }

    /// A shard iterator of `shard` in `stream`, starting where `start` says.
    pub fn iterator(&self, stream: &str, shard: &str, start: Start) -> Result<String, Failure> {
        let stream = self.get(stream)?;
        let found = stream.shard(shard)?;
        let records = &found.records;
        let position = match start {
            Start::TrimHorizon => 0,
            Start::Latest => records.len(),
            Start::AtSequence(number) | Start::AfterSequence(number) => {
                let owner = number
                    .checked_sub(SEQUENCE_BASE)
                    .map(|offset| offset / SEQUENCE_SHARD_STRIDE)
                    .and_then(|index| u64::try_from(index).ok())
                    .and_then(ShardId::new);
                if owner != Some(found.id) {
                    return Err(Failure::invalid_argument(match owner {
                        Some(owner) => format!(
                            "Invalid StartingSequenceNumber. It encodes {owner}, while it was \
                             used in a call to a shard with {shard}"
                        ),
                        None => format!("Invalid StartingSequenceNumber: {number}"),
                    }));
                }
                let after = matches!(start, Start::AfterSequence(_));
                records.partition_point(|record| {
                    record.sequence_number < number || (after && record.sequence_number == number)
                })
            }
            Start::AtTimestamp(millis) => {
                records.partition_point(|record| record.arrival_millis < millis)
            }
        };
        let index = stream.position(shard).unwrap_or(0);
        Ok(ShardIterator {
            stream: stream.name.clone(),
            shard: index,
            position,
        }
        .encode())
    }

    /// Up to `limit` records from `iterator`, where to go on, and how far behind the newest
    /// record the reader is (milliseconds).
    pub fn read(&self, iterator: &str, limit: usize, now: i64) -> Result<Read<'_>, Failure> {
        let invalid = || Failure::invalid_argument(format!("Invalid ShardIterator: {iterator}"));
        let at = ShardIterator::decode(iterator).ok_or_else(invalid)?;
        let stream = self.get(&at.stream)?;
        let shard = stream.shards.get(at.shard).ok_or_else(invalid)?;
        let rest = shard.records.get(at.position..).ok_or_else(invalid)?;
        let records: Vec<StoredRecord> = rest.iter().take(limit).cloned().collect();
        let position = at.position.saturating_add(records.len());
        let behind = match shard.records.get(position) {
            Some(next) => now.saturating_sub(next.arrival_millis).max(0),
            None => 0,
        };
        // A closed shard read to its end has no next iterator: the reader goes on to its
        // children, as the service's GetRecords says with `ChildShards`.
        let end = !shard.is_open() && position == shard.records.len();
        Ok(Read {
            records,
            next: (!end).then(|| ShardIterator { position, ..at }.encode()),
            behind,
            children: if end {
                stream.children(shard.id).collect()
            } else {
                Vec::new()
            },
        })
    }
}

/// What one GetRecords read: see [`Streams::read`].
#[derive(Debug)]
pub struct Read<'s> {
    /// The records, oldest first.
    pub records: Vec<StoredRecord>,
    /// The iterator after them; `None` at the end of a closed shard.
    pub next: Option<String>,
    /// Milliseconds between the next unread record's arrival and now (0 when none is left).
    pub behind: i64,
    /// At the end of a closed shard: the shards made from it; else empty.
    pub children: Vec<&'s Shard>,
}

/// Milliseconds since the epoch, now.
pub fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX)
        })
}
