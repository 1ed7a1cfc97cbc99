//! The crate's no-heap producer feeds the example endpoint (`examples/emulator/`) KPL
//! aggregates, and a consumer built from the crate reads every shard back.
//!
//! Producer (no allocation, checked with the counting allocator): user records are made in
//! fixed buffers, aggregated per shard by `kpl::Aggregator` (the KPL's rule, `spec/kpl.md`:
//! only records of one shard share an aggregate, which goes out with partition key `"a"` and
//! the first record's hash key as its explicit hash key; a lone record goes out as it is),
//! batched into PutRecords bodies by `producer::Batcher` in a `heapless::Vec`, signed by
//! `sigv4` and written by `producer::http` on one kept-alive `std::net::TcpStream`; each answer
//! is read into a fixed buffer and checked with `producer::http::ResponseHead` and
//! `producer::PutRecordsResponse` (status 200, no failed record, each entry on the shard the
//! aggregate's own keys route to).
//!
//! Consumer (allocates freely: it is the check): GetShardIterator / GetRecords through the
//! crate's `kinesis` shapes, each record's data compared with what was sent (the aggregate
//! passed through the endpoint untouched) and deaggregated with `kpl::deaggregate_for_shard`
//! as the KCL would on that shard: every user record byte for byte, in order, and on the
//! shard its explicit hash key or partition key routes to.

#![cfg(feature = "std")]

#[path = "common/counting_alloc.rs"]
mod counting_alloc;
#[path = "common/emulator.rs"]
mod emulator;
#[path = "common/kinesis_http.rs"]
mod kinesis_http;

use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use kinesis_codec::hashkey::{route, HashKey, Layout, MAX_DECIMAL_LEN};
use kinesis_codec::kinesis::{Operation, Request, Response};
use kinesis_codec::kpl::{
    deaggregate_for_shard, AggregateError, Aggregator, Entry, Outcome, PassThrough, Shards,
    BUFFER_SLACK,
};
use kinesis_codec::producer::http::{write_request, ResponseHead};
use kinesis_codec::producer::{BatchError, Batcher, Limits, PutRecordsResponse, Record, StreamRef};
use kinesis_codec::sigv4::{
    AmzDate, ContentType, Credentials, Service, ServiceRequest, SigningKey,
};
use kinesis_codec::wire::Protocol;
use md5::{Digest as _, Md5};

const STREAM: &str = "kpl";
const SHARDS: u32 = 4;
/// User records produced (the last one alone, as a lone-record entry).
const USERS: u32 = 3000;
/// The aggregates' size limit: small, so that there are many aggregates and several requests.
const MAX_AGGREGATE: usize = 6 * 1024;
/// A PutRecords body: far fewer than 500 aggregates fit, so batches end at the buffer.
const BODY: usize = 128 * 1024;
/// The signed request: head and body.
const WIRE: usize = BODY + 2048;
/// One answer (head and body).
const ANSWER: usize = 64 * 1024;
/// Entries of one request.
const ENTRIES: usize = 500;

/// The buffers one user record is made in.
struct UserBufs {
    key: heapless::String<512>,
    explicit: [u8; MAX_DECIMAL_LEN],
    explicit_len: usize,
    data: [u8; 700],
    data_len: usize,
}

impl UserBufs {
    const fn new() -> Self {
        UserBufs {
            key: heapless::String::new(),
            explicit: [0; MAX_DECIMAL_LEN],
            explicit_len: 0,
            data: [0; 700],
            data_len: 0,
        }
    }

    /// User record `i`, made without a heap: partition keys in several scripts (some of 256
    /// bytes, some repeated so that aggregates share table entries), every seventh with an
    /// explicit hash key spread over the range, data of 0 to 699 pseudo-random bytes.
    fn make(&mut self, i: u32) -> Record<'_> {
        self.key.clear();
        let written = match i % 5 {
            0 => write!(self.key, "ключ-{i}-🦀"),
            1 => write!(self.key, "{i:0>256}"),
            2 => write!(self.key, "user-{}", i % 17),
            3 => {
                let mut r = Ok(());
                for _ in 0..126 {
                    r = r.and(self.key.push('é').map_err(|_| std::fmt::Error));
                }
                r.and(write!(self.key, "{i:04}"))
            }
            _ => write!(self.key, "k{i}"),
        };
        written.expect("the key fits");
        self.data_len = (i as usize * 37) % self.data.len();
        let mut x = u64::from(i).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        for b in &mut self.data[..self.data_len] {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        self.explicit_len = 0;
        if i % 7 == 3 {
            let key = HashKey::new(u128::from(i) * (u128::MAX / u128::from(USERS)));
            let mut text = [0u8; MAX_DECIMAL_LEN];
            let text = key.format(&mut text);
            self.explicit[..text.len()].copy_from_slice(text.as_bytes());
            self.explicit_len = text.len();
        }
        let record = Record::new(&self.data[..self.data_len], &self.key);
        match self.explicit_len {
            0 => record,
            n => record.with_explicit_hash_key(
                std::str::from_utf8(&self.explicit[..n]).expect("ASCII digits"),
            ),
        }
    }
}

/// The shard (index) a record's keys route to, by the crate's `hashkey`.
fn shard_of(partition_key: &str, explicit: Option<&str>) -> usize {
    let key = route(partition_key, explicit).expect("valid keys");
    Layout::Aws.shard_index(SHARDS, key).expect("a shard") as usize
}

/// What was sent, logged for the check in fixed-size entries (the log's room is reserved up
/// front, so logging does not allocate either).
#[derive(Debug, Clone)]
struct Sent {
    shard: usize,
    sequence: heapless::String<64>,
    digest: [u8; 16],
    len: usize,
    users: usize,
    aggregate: bool,
}

/// An entry of the request being built, until its answer names its sequence number.
#[derive(Debug, Clone, Copy)]
struct Pending {
    shard: usize,
    digest: [u8; 16],
    len: usize,
    users: usize,
    aggregate: bool,
}

type Body = heapless::Vec<u8, BODY>;

/// The no-heap producer: one connection, fixed buffers.
struct Producer<'h> {
    socket: TcpStream,
    host: &'h str,
    wire: heapless::Vec<u8, WIRE>,
    answer: [u8; ANSWER],
    batch: Batcher<Body>,
    pending: heapless::Vec<Pending, ENTRIES>,
    requests: usize,
}

impl<'h> Producer<'h> {
    fn new(address: SocketAddr, host: &'h str) -> Self {
        let socket = TcpStream::connect(address).expect("connect");
        socket
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        socket
            .set_write_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        Producer {
            socket,
            host,
            wire: heapless::Vec::new(),
            answer: [0; ANSWER],
            batch: Self::empty_batch(),
            pending: heapless::Vec::new(),
            requests: 0,
        }
    }

    fn empty_batch() -> Batcher<Body> {
        Batcher::kinesis(Body::new(), StreamRef::Name(STREAM), Limits::KINESIS).expect("a batch")
    }

    /// Adds a finished aggregate (or lone record) to the request, sending the request first
    /// when it is full.
    fn push(&mut self, entry: &Entry<'_>, shard: usize, log: &mut Vec<Sent>) {
        let record = entry.record();
        // The KPL's rule: the entry's own keys route it to the shard of its user records.
        assert_eq!(
            shard_of(record.partition_key, record.explicit_hash_key),
            shard,
            "an entry routed off its records' shard"
        );
        match self.batch.push(&record) {
            Ok(()) => {}
            Err(BatchError::Full(_)) => {
                self.send(log);
                self.batch
                    .push(&record)
                    .expect("an entry fits an empty batch");
            }
            Err(e) => panic!("entry refused: {e}"),
        }
        self.pending
            .push(Pending {
                shard,
                digest: Md5::digest(entry.data).into(),
                len: entry.data.len(),
                users: entry.records,
                aggregate: entry.is_aggregate(),
            })
            .expect("at most 500 entries");
    }

    /// Signs and sends the request built so far, reads the answer and logs where each entry
    /// went.
    fn send(&mut self, log: &mut Vec<Sent>) {
        let batch = std::mem::replace(&mut self.batch, Self::empty_batch());
        if batch.is_empty() {
            return;
        }
        let body = batch.finish().expect("a body");
        let time = AmzDate::now().expect("the clock is after 1970");
        let key = SigningKey::derive("local-secret", &time, "us-east-1", "kinesis").expect("key");
        let request = ServiceRequest {
            service: Service::Kinesis,
            host: self.host,
            target: Operation::PutRecords.target(),
            content_type: ContentType::Json,
        };
        let credentials = Credentials {
            access_key_id: "AKIDLOCALPEER",
            session_token: None,
        };
        self.wire.clear();
        write_request(&mut self.wire, &request, &key, &credentials, time, &body)
            .expect("the request fits");
        self.socket.write_all(&self.wire).expect("request sent");
        self.requests += 1;

        // The answer: head, then Content-Length bytes, into the fixed buffer.
        let mut filled = 0;
        let head = loop {
            let n = self
                .socket
                .read(&mut self.answer[filled..])
                .expect("answer read");
            assert!(n > 0, "the connection closed");
            filled += n;
            if let Some(head) = ResponseHead::parse(&self.answer[..filled]).expect("a head") {
                break head;
            }
        };
        let length = head.content_length.expect("Content-Length");
        let end = head.len + length;
        assert!(end <= ANSWER, "an answer of {end} bytes");
        while filled < end {
            let n = self
                .socket
                .read(&mut self.answer[filled..end])
                .expect("answer read");
            assert!(n > 0, "the connection closed");
            filled += n;
        }
        assert_eq!(filled, end, "nothing after the answer");
        let answer = &self.answer[head.len..end];
        assert_eq!(head.status, 200, "{:?}", std::str::from_utf8(answer));
        let response = PutRecordsResponse::parse(answer).expect("a PutRecords answer");
        assert_eq!(response.failed_record_count(), Some(0));
        assert_eq!(response.len(), self.pending.len());
        for (entry, pending) in response.entries().zip(&self.pending) {
            let shard_id = entry.shard_id.and_then(|s| s.as_str()).expect("ShardId");
            let mut id = [0u8; 20];
            let want = Layout::Aws
                .shard(SHARDS, pending.shard as u32)
                .expect("a shard")
                .id;
            assert_eq!(shard_id, want.format(&mut id));
            let sequence = entry
                .sequence_number
                .and_then(|s| s.as_str())
                .expect("SequenceNumber");
            assert!(log.len() < log.capacity(), "the log's room is reserved");
            log.push(Sent {
                shard: pending.shard,
                sequence: heapless::String::try_from(sequence).expect("a short sequence"),
                digest: pending.digest,
                len: pending.len,
                users: pending.users,
                aggregate: pending.aggregate,
            });
        }
        self.pending.clear();
    }
}

/// Produces every user record: per-shard aggregates, the last record alone.
fn produce(address: SocketAddr, host: &str, log: &mut Vec<Sent>) -> usize {
    const AGG: usize = MAX_AGGREGATE + BUFFER_SLACK;
    let mut buffers = [[0u8; AGG]; SHARDS as usize];
    let [b0, b1, b2, b3] = &mut buffers;
    let shards = Shards::Layout {
        layout: Layout::Aws,
        count: SHARDS,
    };
    let mut aggregators = [b0, b1, b2, b3].map(|buf| {
        Aggregator::new(buf, MAX_AGGREGATE)
            .expect("a size limit")
            .with_shards(shards)
    });
    let mut producer = Producer::new(address, host);
    let mut user = UserBufs::new();
    for i in 0..USERS - 1 {
        let record = user.make(i);
        let shard = shard_of(record.partition_key, record.explicit_hash_key);
        let aggregator = &mut aggregators[shard];
        match aggregator.push(&record) {
            Ok(()) => {}
            Err(AggregateError::Full) => {
                let entry = aggregator.finish().expect("a full aggregate");
                producer.push(&entry, shard, log);
                aggregator.clear();
                aggregator
                    .push(&record)
                    .expect("a record fits an empty aggregate");
            }
            Err(e) => panic!("record {i} refused: {e}"),
        }
    }
    for (shard, aggregator) in aggregators.iter_mut().enumerate() {
        if let Some(entry) = aggregator.finish() {
            producer.push(&entry, shard, log);
        }
        aggregator.clear();
    }
    // The last user record alone: the KPL sends it as it is, with its own keys.
    let record = user.make(USERS - 1);
    let shard = shard_of(record.partition_key, record.explicit_hash_key);
    let aggregator = &mut aggregators[shard];
    aggregator.push(&record).expect("a record fits");
    let entry = aggregator.finish().expect("one record");
    assert!(!entry.is_aggregate());
    assert_eq!(entry.partition_key, record.partition_key);
    assert_eq!(entry.explicit_hash_key(), record.explicit_hash_key);
    producer.push(&entry, shard, log);
    producer.send(log);
    producer.requests
}

/// A user record as the check holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct User {
    key: String,
    explicit: Option<String>,
    data: Vec<u8>,
}

/// Sends a JSON-written request and returns the answer's body (status 200 checked).
fn call(host: &str, operation: Operation, json: &str) -> Vec<u8> {
    let request = Request::parse(operation, json.as_bytes()).expect("a valid request");
    let answer = kinesis_http::post(
        host,
        Protocol::Json,
        operation,
        &request.to_vec_in(Protocol::Json),
    );
    assert_eq!(answer.status, 200, "{operation:?}: {}", answer.text());
    answer.body
}

#[test]
fn kpl_aggregates_from_the_no_heap_producer_read_back_per_shard() {
    let server = emulator::Emulator::start();
    let host = server.address().to_owned();
    call(
        &host,
        Operation::CreateStream,
        &format!(r#"{{"StreamName":"{STREAM}","ShardCount":{SHARDS}}}"#),
    );

    // The producer, on a thread with room for its fixed buffers on the stack; its
    // allocations counted (that thread's only).
    let address: SocketAddr = host.parse().expect("an address");
    let producer_host = host.clone();
    let (log, requests, allocations) = std::thread::Builder::new()
        .stack_size(16 << 20)
        .spawn(move || {
            let mut log = Vec::with_capacity(4096);
            let (requests, allocations) =
                counting_alloc::count(|| produce(address, &producer_host, &mut log));
            (log, requests, allocations)
        })
        .expect("a thread")
        .join()
        .expect("the producer");
    eprintln!(
        "{USERS} user records in {} entries ({} aggregates) over {requests} requests, {allocations} allocations",
        log.len(),
        log.iter().filter(|s| s.aggregate).count()
    );
    assert_eq!(allocations, 0, "the producer allocated");
    assert!(requests > 3, "{requests} requests");
    assert!(log.iter().filter(|s| s.aggregate).count() > 40);
    assert_eq!(log.iter().filter(|s| !s.aggregate).count(), 1);
    assert_eq!(log.iter().map(|s| s.users).sum::<usize>(), USERS as usize);

    // What each shard should hold, user record by user record, in order.
    let mut want: Vec<Vec<User>> = vec![Vec::new(); SHARDS as usize];
    let mut user = UserBufs::new();
    for i in 0..USERS {
        let record = user.make(i);
        want[shard_of(record.partition_key, record.explicit_hash_key)].push(User {
            key: record.partition_key.to_owned(),
            explicit: record.explicit_hash_key.map(str::to_owned),
            data: record.data.to_vec(),
        });
    }

    // The consumer: every shard from TRIM_HORIZON.
    for (index, want) in want.iter().enumerate() {
        let shard = Layout::Aws.shard(SHARDS, index as u32).expect("a shard");
        let body = call(
            &host,
            Operation::GetShardIterator,
            &format!(
                r#"{{"StreamName":"{STREAM}","ShardId":"{}","ShardIteratorType":"TRIM_HORIZON"}}"#,
                shard.id
            ),
        );
        let Response::GetShardIterator(iterator) =
            Response::parse(Operation::GetShardIterator, &body).expect("an answer")
        else {
            panic!("not a GetShardIterator answer")
        };
        let mut iterator = iterator.shard_iterator.expect("ShardIterator").into_owned();
        let mut got: Vec<User> = Vec::new();
        let mut records = 0;
        loop {
            let body = call(
                &host,
                Operation::GetRecords,
                &format!(r#"{{"ShardIterator":"{iterator}","Limit":100}}"#),
            );
            let Response::GetRecords(page) =
                Response::parse(Operation::GetRecords, &body).expect("an answer")
            else {
                panic!("not a GetRecords answer")
            };
            let page_records = page.records.unwrap_or_default();
            if page_records.is_empty() {
                break;
            }
            for record in &page_records {
                records += 1;
                let data = record.data.as_ref().expect("Data").to_vec();
                let sequence = record.sequence_number.as_deref().expect("SequenceNumber");
                let partition_key = record.partition_key.as_deref().expect("PartitionKey");
                let sent = log
                    .iter()
                    .find(|s| s.sequence == sequence)
                    .unwrap_or_else(|| panic!("{sequence} was never sent"));
                // The entry came through untouched, on the shard it was sent to.
                assert_eq!(sent.shard, index, "{sequence}");
                assert_eq!(data.len(), sent.len, "{sequence}");
                assert_eq!(<[u8; 16]>::from(Md5::digest(&data)), sent.digest);
                let read = deaggregate_for_shard(&data, shard.range);
                if sent.aggregate {
                    assert_eq!(partition_key, "a", "the KPL's outer key");
                    assert_eq!(
                        read.outcome(),
                        Outcome::Aggregated {
                            records: sent.users
                        },
                        "{sequence}"
                    );
                    for (n, r) in read.records().enumerate() {
                        assert_eq!(r.sub_sequence_number, n as u64);
                        let key = r.hash_key().expect("a hash key");
                        assert!(shard.range.contains(key), "{key} off {}", shard.id);
                        got.push(User {
                            key: r.partition_key_str().expect("UTF-8").to_owned(),
                            explicit: r.explicit_hash_key_str().map(str::to_owned),
                            data: r.data.to_vec(),
                        });
                    }
                } else {
                    // The lone record: passed through as the application's own data.
                    assert_eq!(read.outcome(), Outcome::PassThrough(PassThrough::NoMagic));
                    assert_eq!(read.records().count(), 0);
                    got.push(User {
                        key: partition_key.to_owned(),
                        explicit: None,
                        data,
                    });
                }
            }
            iterator = page
                .next_shard_iterator
                .expect("NextShardIterator")
                .into_owned();
        }
        assert!(records > 0, "{} got nothing", shard.id);
        // The lone record's explicit hash key is not stored by the service: compare it
        // without.
        let mut want = want.clone();
        if let Some(last) = want.last_mut() {
            if log.iter().any(|s| !s.aggregate && s.shard == index) {
                last.explicit = None;
            }
        }
        eprintln!(
            "{}: {records} records, {} user records",
            shard.id,
            got.len()
        );
        assert_eq!(got.len(), want.len(), "{}", shard.id);
        for (n, (got, want)) in got.iter().zip(&want).enumerate() {
            assert_eq!(got, want, "user record {n} of {}", shard.id);
        }
    }
}
