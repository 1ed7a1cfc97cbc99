//! KPL deaggregation on arbitrary bytes: never panics, every view iterates, and whatever the KCL
//! reads as an aggregate re-encodes to bytes that decode the same; reading without the digest
//! check gives what the KCL gives whenever the digest matches. Half of the inputs get a
//! correct digest (magic + bytes + MD5), so the protobuf parser is reached.
#![no_main]

use kinesis_codec::hashkey::{HashKey, HashKeyRange};
use kinesis_codec::kpl::{
    deaggregate, deaggregate_for_shard, deaggregate_unverified, AggregateError, Aggregator,
    Outcome, PassThrough, UserRecord, BUFFER_SLACK, MAGIC, MAX_SIZE_LIMIT,
};
use kinesis_codec::producer::Record;
use libfuzzer_sys::fuzz_target;
use md5::{Digest, Md5};

fn wrap(pb: &[u8]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(pb);
    out.extend_from_slice(&Md5::digest(pb));
    out
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn field(out: &mut Vec<u8>, tag: u8, bytes: &[u8]) {
    out.push(tag);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// A plain re-encoding: one table entry per record, in order (an aggregate of no records gets
/// one unused table entry, as the magic must be followed by more than 16 bytes).
fn reencode(records: &[UserRecord<'_>]) -> Vec<u8> {
    let mut pb = Vec::new();
    if records.is_empty() {
        field(&mut pb, 0x0a, b"");
    }
    let mut ehks = 0u64;
    for r in records {
        field(&mut pb, 0x0a, r.partition_key);
        if let Some(k) = r.explicit_hash_key {
            field(&mut pb, 0x12, k);
        }
    }
    for (i, r) in records.iter().enumerate() {
        let mut rec = Vec::new();
        rec.push(0x08);
        varint(&mut rec, i as u64);
        if r.explicit_hash_key.is_some() {
            rec.push(0x10);
            varint(&mut rec, ehks);
            ehks += 1;
        }
        field(&mut rec, 0x1a, r.data);
        field(&mut pb, 0x1a, &rec);
    }
    wrap(&pb)
}

fn same(a: &UserRecord<'_>, b: &UserRecord<'_>) -> bool {
    a.sub_sequence_number == b.sub_sequence_number
        && a.partition_key == b.partition_key
        && a.explicit_hash_key == b.explicit_hash_key
        && a.data == b.data
        && a.hash_key() == b.hash_key()
}

fuzz_target!(|input: &[u8]| {
    let Some((&mode, rest)) = input.split_first() else {
        return;
    };
    let wrapped;
    let data = if mode & 1 == 1 {
        wrapped = wrap(rest);
        &wrapped[..]
    } else {
        rest
    };
    let full = deaggregate(data);
    let split = HashKeyRange::new(HashKey::MIN, HashKey::new(u128::from(mode) << 120)).unwrap();
    let half = deaggregate_for_shard(data, split);
    for d in [&full, &half] {
        let _ = d.outcome().name();
        let all = d.all().count();
        assert_eq!(d.in_range().count() + d.out_of_range().count(), all);
        assert!(d.records().count() <= all);
        for r in d.records() {
            assert!(r.hash_key().is_some());
        }
        match d.outcome() {
            Outcome::Aggregated { records } => assert_eq!(d.records().count(), records),
            Outcome::Truncated { records, .. } => assert_eq!(d.records().count(), records),
            Outcome::Dropped(drop) => {
                assert_eq!(d.records().count(), 0);
                assert!(drop.sub_record < all);
            }
            _ => assert!(!d.is_aggregate()),
        }
    }
    let unverified = deaggregate_unverified(data, split);
    if !matches!(
        half.outcome(),
        Outcome::PassThrough(PassThrough::DigestMismatch { .. })
    ) {
        assert_eq!(unverified.outcome(), half.outcome());
        assert_eq!(unverified.all().count(), half.all().count());
        assert!(unverified.all().zip(half.all()).all(|(a, b)| same(&a, &b)));
    }
    let Outcome::Aggregated { .. } = full.outcome() else {
        return;
    };
    let records: Vec<UserRecord<'_>> = full.records().collect();
    // A plain re-encoding decodes to the same records.
    let again = reencode(&records);
    let d = deaggregate(&again);
    assert_eq!(d.outcome(), full.outcome());
    assert!(d.records().zip(&records).all(|(a, b)| same(&a, b)));

    // The Aggregator re-encodes them too, when it takes them all (valid keys).
    let mut buf = vec![0u8; MAX_SIZE_LIMIT + BUFFER_SLACK];
    let mut agg = Aggregator::new(&mut buf, MAX_SIZE_LIMIT).unwrap();
    for r in &records {
        let (Some(pk), ehk) = (r.partition_key_str(), r.explicit_hash_key) else {
            return;
        };
        let ehk = match ehk.map(std::str::from_utf8) {
            None => None,
            Some(Ok(k)) => Some(k),
            Some(Err(_)) => return,
        };
        let rec = Record {
            data: r.data,
            partition_key: pk,
            explicit_hash_key: ehk,
        };
        match agg.push(&rec) {
            Ok(()) => {}
            Err(AggregateError::Record(_)) => return,
            Err(e) => panic!("{e}"),
        }
    }
    if records.len() < 2 {
        return;
    }
    let entry = agg.finish().unwrap();
    let d = deaggregate(entry.data);
    assert_eq!(d.outcome(), full.outcome());
    assert!(d.records().zip(&records).all(|(a, b)| same(&a, b)));
});
