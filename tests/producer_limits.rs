//! Batching limits, buffer sizing and the full-buffer contract of the producer writers.

use kinesis_codec::hashkey::ParseHashKeyError;
use kinesis_codec::json::base64::base64_len;
use kinesis_codec::json::escape::{escaped_len, write_json_string};
use kinesis_codec::producer::{
    check_hash_key_decimal, firehose_put_record_batch_capacity, kinesis_put_records_capacity,
    BatchError, Batcher, KeyUnit, Limit, LimitError, Limits, PutRecordBatchWriter,
    PutRecordsWriter, Record, RecordError, Sink, SliceBuf, StreamRef, WriteError,
};
use proptest::prelude::*;
use serde_json::Value;

const MIB: usize = 1024 * 1024;

#[test]
fn capacity_is_the_exact_worst_case() {
    // Worst case: every key and name byte a control character (\u00XX), a 39-digit hash key.
    for (records, data_len, key_bytes) in [(1, 0, 1), (3, 1, 5), (7, 2, 256), (500, 100, 16)] {
        let key: String = "\u{1}".repeat(key_bytes);
        let name: String = "\u{2}".repeat(10);
        let stream = StreamRef::Name(&name);
        let cap =
            kinesis_put_records_capacity(records, data_len, key_bytes, true, stream.encoded_len());
        let mut storage = vec![0u8; cap];
        let mut w = PutRecordsWriter::new(SliceBuf::new(&mut storage), stream).unwrap();
        let data = vec![0u8; data_len];
        let ehk = u128::MAX.to_string();
        for _ in 0..records {
            w.push(&Record::new(&data, &key).with_explicit_hash_key(&ehk))
                .unwrap();
        }
        assert_eq!(w.remaining(), 2, "only the closing ]}} is left");
        let out = w.finish().unwrap();
        assert_eq!(
            out.len(),
            cap,
            "{records} records of {data_len}/{key_bytes}"
        );
        serde_json::from_slice::<Value>(out.written()).unwrap();
    }
    for (records, data_len) in [(1, 0), (2, 1), (500, 1000)] {
        let name: String = "\u{3}".repeat(64);
        let cap = firehose_put_record_batch_capacity(records, data_len, name.len());
        let mut storage = vec![0u8; cap];
        let mut w = PutRecordBatchWriter::new(SliceBuf::new(&mut storage), &name).unwrap();
        let data = vec![7u8; data_len];
        for _ in 0..records {
            w.push(&data).unwrap();
        }
        assert_eq!(w.finish().unwrap().len(), cap);
    }
    assert_eq!(base64_len(0), 0);
    assert_eq!(base64_len(1), 4);
    assert_eq!(base64_len(3), 4);
    assert_eq!(base64_len(4), 8);
    assert_eq!(
        kinesis_put_records_capacity(usize::MAX, 1, 1, true, 0),
        usize::MAX
    );
}

#[test]
fn a_full_buffer_refuses_the_record_and_keeps_the_body_valid() {
    let mut storage = [0u8; 300];
    let mut w =
        PutRecordsWriter::new(SliceBuf::new(&mut storage), StreamRef::Arn("arn:x")).unwrap();
    let mut accepted = 0;
    let (err, before) = loop {
        let data = [accepted as u8; 20];
        let before = w.remaining();
        match w.push(&Record::new(&data, "k")) {
            Ok(()) => accepted += 1,
            Err(e) => break (e, before),
        }
    };
    let WriteError::BufferFull { needed, available } = err else {
        panic!("{err:?}")
    };
    assert!(needed > available);
    // Nothing was written; a smaller record still fits if there is room for it.
    assert_eq!(w.remaining(), before);
    let small_needed = w.bytes_needed(&Record::new(b"", "k"));
    if small_needed <= w.remaining() {
        w.push(&Record::new(b"", "k")).unwrap();
        accepted += 1;
    }
    assert_eq!(w.records(), accepted);
    let body = w.finish().unwrap().into_written();
    let v: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(v["StreamARN"], "arn:x");
    assert_eq!(v["Records"].as_array().unwrap().len(), accepted);
    assert!(accepted >= 4);
}

#[test]
fn a_buffer_too_small_for_the_head_is_an_error() {
    let mut storage = [0u8; 20];
    let e = PutRecordsWriter::new(
        SliceBuf::new(&mut storage),
        StreamRef::Name("a-long-stream-name"),
    )
    .unwrap_err();
    assert!(matches!(e, WriteError::BufferFull { .. }), "{e}");
    let mut hv: heapless::Vec<u8, 16> = heapless::Vec::new();
    assert!(PutRecordBatchWriter::new(&mut hv, "delivery-stream").is_err());
    assert!(hv.is_empty());
}

#[test]
fn batcher_stops_at_500_records() {
    let mut storage = vec![0u8; kinesis_put_records_capacity(501, 1, 4, false, 20)];
    let mut b = Batcher::kinesis(
        SliceBuf::new(&mut storage),
        StreamRef::Name("s"),
        Limits::KINESIS,
    )
    .unwrap();
    for _ in 0..500 {
        b.push(&Record::new(b"x", "k")).unwrap();
    }
    assert_eq!(
        b.push(&Record::new(b"x", "k")),
        Err(BatchError::Full(Limit::Records))
    );
    assert_eq!(b.records(), 500);
    let v: Value = serde_json::from_slice(b.finish().unwrap().into_written()).unwrap();
    assert_eq!(v["Records"].as_array().unwrap().len(), 500);
}

#[test]
fn kinesis_request_bytes_count_data_and_partition_keys() {
    // 10 records of (1 MiB - 4) data + a 4-byte key = exactly 10 MiB; one more byte breaks it.
    let data = vec![1u8; MIB - 4];
    let cap = kinesis_put_records_capacity(11, MIB, 4, false, 20);
    let mut storage = vec![0u8; cap];
    let mut b = Batcher::kinesis(
        SliceBuf::new(&mut storage),
        StreamRef::Name("s"),
        Limits::KINESIS,
    )
    .unwrap();
    for _ in 0..10 {
        b.push(&Record::new(&data, "abcd")).unwrap();
    }
    assert_eq!(b.counted_bytes(), 10 * MIB);
    assert_eq!(
        b.push(&Record::new(b"", "a")),
        Err(BatchError::Full(Limit::RequestBytes))
    );
}

#[test]
fn firehose_limits_are_4_mib_per_call_and_1000_kib_per_record() {
    let data = vec![2u8; 1000 * 1024];
    let cap = firehose_put_record_batch_capacity(5, data.len(), 1);
    let mut storage = vec![0u8; cap];
    let mut b = Batcher::firehose(SliceBuf::new(&mut storage), "d", Limits::FIREHOSE).unwrap();
    for _ in 0..4 {
        b.push(&Record::new(&data, "")).unwrap();
    }
    assert_eq!(
        b.push(&Record::new(&data, "")),
        Err(BatchError::Full(Limit::RequestBytes))
    );
    // The partition key is not counted (and not required) for Firehose.
    assert_eq!(b.counted_bytes(), 4 * 1000 * 1024);
    let too_big = vec![0u8; 1000 * 1024 + 1];
    assert_eq!(
        b.push(&Record::new(&too_big, "")),
        Err(BatchError::Record(RecordError::TooLarge {
            size: 1000 * 1024 + 1,
            max: 1000 * 1024
        }))
    );
}

#[test]
fn record_size_limit_and_max_record_size_in_kib() {
    let l = Limits::KINESIS;
    let data = vec![0u8; 10 * MIB];
    assert_eq!(
        l.check_record(&Record::new(&data[..10 * MIB - 1], "k")),
        Ok(())
    );
    assert_eq!(
        l.check_record(&Record::new(&data, "k")),
        Err(RecordError::TooLarge {
            size: 10 * MIB + 1,
            max: 10 * MIB
        })
    );
    let small = Limits::kinesis_with_max_record_size_kib(1024).unwrap();
    assert_eq!(
        small.check_record(&Record::new(&data[..MIB - 2], "kk")),
        Ok(())
    );
    assert!(small
        .check_record(&Record::new(&data[..MIB - 1], "kk"))
        .is_err());
    assert_eq!(
        Limits::kinesis_with_max_record_size_kib(1023),
        Err(LimitError::MaxRecordSizeOutOfRange { kib: 1023 })
    );
    assert!(Limits::kinesis_with_max_record_size_kib(10241).is_err());
    assert_eq!(
        Limits::kinesis_with_max_record_size_kib(10240)
            .unwrap()
            .max_record_bytes,
        10 * MIB
    );
}

#[test]
fn partition_key_length_in_utf16_units_or_code_points() {
    let l = Limits::KINESIS;
    assert_eq!(
        l.check_record(&Record::new(b"", "")),
        Err(RecordError::EmptyPartitionKey)
    );
    assert_eq!(l.check_record(&Record::new(b"", &"a".repeat(256))), Ok(()));
    assert!(l.check_record(&Record::new(b"", &"a".repeat(257))).is_err());
    let astral_128 = "😀".repeat(128); // 256 UTF-16 units, 128 code points, 512 bytes
    let astral_129 = "😀".repeat(129);
    assert_eq!(l.check_record(&Record::new(b"", &astral_128)), Ok(()));
    assert_eq!(
        l.check_record(&Record::new(b"", &astral_129)),
        Err(RecordError::PartitionKeyTooLong {
            len: 258,
            max: 256,
            unit: KeyUnit::Utf16
        })
    );
    let cp = Limits {
        key_unit: KeyUnit::CodePoints,
        ..Limits::KINESIS
    };
    assert_eq!(cp.check_record(&Record::new(b"", &astral_129)), Ok(()));
    assert_eq!(KeyUnit::CodePoints.count("é😀"), 2);
    assert_eq!(KeyUnit::Utf16.count("é😀"), 3);
}

#[test]
fn explicit_hash_keys_are_checked() {
    assert_eq!(check_hash_key_decimal("0"), Ok(()));
    assert_eq!(check_hash_key_decimal(&u128::MAX.to_string()), Ok(()));
    assert_eq!(
        check_hash_key_decimal("340282366920938463463374607431768211456"),
        Err(ParseHashKeyError::OutOfRange)
    );
    assert_eq!(
        check_hash_key_decimal("1000000000000000000000000000000000000000"),
        Err(ParseHashKeyError::TooLong { len: 40 })
    );
    assert_eq!(
        check_hash_key_decimal("01"),
        Err(ParseHashKeyError::LeadingZero { len: 2 })
    );
    assert_eq!(check_hash_key_decimal(""), Err(ParseHashKeyError::Empty));
    assert_eq!(
        check_hash_key_decimal("12a"),
        Err(ParseHashKeyError::InvalidDigit {
            position: 2,
            byte: b'a'
        })
    );
    assert_eq!(
        check_hash_key_decimal("-1"),
        Err(ParseHashKeyError::InvalidDigit {
            position: 0,
            byte: b'-'
        })
    );
    let mut storage = [0u8; 256];
    let mut b = Batcher::kinesis(
        SliceBuf::new(&mut storage),
        StreamRef::Name("s"),
        Limits::KINESIS,
    )
    .unwrap();
    assert_eq!(
        b.push(&Record::new(b"x", "k").with_explicit_hash_key("007")),
        Err(BatchError::Record(RecordError::InvalidExplicitHashKey(
            ParseHashKeyError::LeadingZero { len: 3 }
        )))
    );
    assert!(b.is_empty());
}

#[test]
fn a_record_larger_than_the_buffer_is_an_error_not_a_full_batch() {
    let mut storage = [0u8; 200];
    let mut b = Batcher::kinesis(
        SliceBuf::new(&mut storage),
        StreamRef::Name("s"),
        Limits::KINESIS,
    )
    .unwrap();
    let big = [0u8; 150]; // 200 bytes of base64
    assert!(matches!(
        b.push(&Record::new(&big, "k")),
        Err(BatchError::Record(RecordError::LargerThanBuffer { .. }))
    ));
    let medium = [0u8; 90]; // 120 bytes of base64: fits alone, not twice
    b.push(&Record::new(&medium, "k")).unwrap();
    assert_eq!(
        b.push(&Record::new(&medium, "k")),
        Err(BatchError::Full(Limit::Buffer))
    );
}

proptest! {
    #[test]
    fn escaping_round_trips_through_serde_json(s in any::<String>()) {
        let mut storage = vec![0u8; 6 * s.len() + 2];
        let mut out = SliceBuf::new(&mut storage);
        write_json_string(&mut out, &s).unwrap();
        prop_assert_eq!(out.len(), escaped_len(&s) + 2);
        let back: String = serde_json::from_slice(out.written()).unwrap();
        prop_assert_eq!(&back, &s);
        // Only the three kinds of escapes JSON requires are used; everything else stays raw.
        let text = std::str::from_utf8(out.written()).unwrap();
        prop_assert!(!text.chars().any(|c| (c as u32) < 0x20));
        for c in s.chars().filter(|c| (*c as u32) >= 0x80) {
            prop_assert!(text.contains(c));
        }
    }

    #[test]
    fn the_writer_never_breaks_json_whatever_the_buffer_size(
        size in 0usize..600,
        recs in prop::collection::vec((prop::collection::vec(any::<u8>(), 0..60), "\\PC{1,10}"), 1..20),
    ) {
        let mut storage = vec![0u8; size];
        let Ok(mut w) = PutRecordsWriter::new(SliceBuf::new(&mut storage), StreamRef::Name("s\"")) else {
            // `{` + `"StreamName":"s\"",` + `"Records":[` + `]}`
            prop_assert!(size < 1 + StreamRef::Name("s\"").encoded_len() + 11 + 2);
            return Ok(());
        };
        let mut accepted = Vec::new();
        for (d, k) in &recs {
            if w.push(&Record::new(d, k)).is_ok() {
                accepted.push((d, k));
            }
        }
        let body = w.finish().unwrap().into_written();
        let v: Value = serde_json::from_slice(body).unwrap();
        let got = v["Records"].as_array().unwrap();
        prop_assert_eq!(got.len(), accepted.len());
        for (g, (_, k)) in got.iter().zip(&accepted) {
            prop_assert_eq!(g["PartitionKey"].as_str().unwrap(), k.as_str());
        }
    }
}
