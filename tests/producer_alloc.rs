//! Zero heap allocations: writing a 500-record `PutRecords` body (through the [`Batcher`], into
//! a `heapless::Vec` and a plain slice) and reading a 500-entry response with failures, counted by
//! a `#[global_allocator]` wrapper around the measured calls only.

use kinesis_codec::producer::{
    kinesis_put_records_capacity, Batcher, ErrorResponse, Limits, PutRecordBatchWriter,
    PutRecordsResponse, Record, Sink, SliceBuf, StreamRef,
};

#[path = "common/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::count;

const RECORDS: usize = 500;
const DATA: usize = 100;
const CAP: usize = kinesis_put_records_capacity(RECORDS, DATA, 8, false, 32);

/// One test function: the counter is global, so the measurements run one after another.
#[test]
fn producer_writes_and_reads_without_allocating() {
    // Inputs and buffers are made before counting.
    let data = [0x5au8; DATA];
    let keys: Vec<String> = (0..RECORDS).map(|i| format!("key-{i}")).collect();
    let mut storage = vec![0u8; CAP];
    let mut hv: Box<heapless::Vec<u8, CAP>> = Box::new(heapless::Vec::new());

    let (len, allocs) = count(|| {
        let mut b = Batcher::kinesis(
            SliceBuf::new(&mut storage),
            StreamRef::Name("stream"),
            Limits::KINESIS,
        )
        .unwrap();
        for k in &keys {
            b.push(&Record::new(&data, k)).unwrap();
        }
        b.finish().unwrap().len()
    });
    assert_eq!(allocs, 0, "slice body allocated");
    assert!(len > RECORDS * DATA, "body of {len} bytes");
    let body_len = len;

    let ((), allocs) = count(|| {
        let mut b = Batcher::kinesis(&mut *hv, StreamRef::Name("stream"), Limits::KINESIS).unwrap();
        for k in &keys {
            b.push(&Record::new(&data, k)).unwrap();
        }
        b.finish().unwrap();
    });
    assert_eq!(allocs, 0, "heapless body allocated");
    assert_eq!(hv.as_slice(), &storage[..body_len]);

    let ((), allocs) = count(|| {
        let mut w = PutRecordBatchWriter::new(SliceBuf::new(&mut storage), "d").unwrap();
        for _ in 0..RECORDS {
            w.push(&data).unwrap();
        }
        w.finish().unwrap();
    });
    assert_eq!(allocs, 0, "firehose body allocated");

    // A 500-entry response, every 7th record failed, escapes included.
    let mut response = String::from("{\"FailedRecordCount\":71,\"Records\":[");
    for i in 0..RECORDS {
        if i > 0 {
            response.push(',');
        }
        if i % 7 == 3 {
            response.push_str(
                "{\"ErrorCode\":\"ProvisionedThroughputExceededException\",\"ErrorMessage\":\"Rate exceeded for shard \\\"shardId-000000000001\\\"\"}",
            );
        } else {
            response.push_str(&format!(
                "{{\"SequenceNumber\":\"49590338271490256608559692538361571095921575989136{i:06}\",\"ShardId\":\"shardId-00000000000{}\"}}",
                i % 4
            ));
        }
    }
    response.push_str("]}");
    let mut message = [0u8; 128];
    let ((failed, sum, first_failed_message_len), allocs) = count(|| {
        let r = PutRecordsResponse::parse(response.as_bytes()).unwrap();
        let failed = r.failed_indexes().count();
        let sum: usize = r
            .entries()
            .map(|e| e.sequence_number.map_or(0, |s| s.raw().len()))
            .sum();
        let first = r.entries().find(|e| e.is_failed()).unwrap();
        let m = first
            .error_message
            .unwrap()
            .unescape_into(&mut message)
            .unwrap();
        (failed, sum, m.len())
    });
    assert_eq!(allocs, 0, "response reading allocated");
    assert_eq!(failed, (0..RECORDS).filter(|i| i % 7 == 3).count());
    assert_eq!(sum, (RECORDS - failed) * 56);
    assert_eq!(
        first_failed_message_len,
        "Rate exceeded for shard \"shardId-000000000001\"".len()
    );

    let error =
        br#"{"__type":"com.amazonaws.kinesis.v20131202#ResourceNotFoundException","message":"x"}"#;
    let (code, allocs) = count(|| ErrorResponse::parse(error).unwrap().code());
    assert_eq!(allocs, 0, "error reading allocated");
    assert_eq!(code, Some("ResourceNotFoundException"));
}
