//! The KCL's `AggregatorUtil.deaggregate` (2.x), restated outcome by outcome on hand-built
//! aggregates (`spec/kpl.md`, "Consumer"): what the application gets, and the name given here.

use kinesis_codec::hashkey::{HashKey, HashKeyRange};
use kinesis_codec::kpl::{
    deaggregate, deaggregate_for_shard, IndexError, Outcome, PassThrough, ProtobufError, MAGIC,
};
use md5::{Digest, Md5};

/// protobuf bytes, written by hand.
#[derive(Default, Clone)]
struct Pb(Vec<u8>);

impl Pb {
    fn varint(mut self, mut v: u64) -> Self {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(b);
                return self;
            }
            self.0.push(b | 0x80);
        }
    }
    fn tag(self, field: u64, wire_type: u64) -> Self {
        self.varint(field << 3 | wire_type)
    }
    fn uint(self, field: u64, v: u64) -> Self {
        self.tag(field, 0).varint(v)
    }
    fn bytes(self, field: u64, b: &[u8]) -> Self {
        let mut s = self.tag(field, 2).varint(b.len() as u64);
        s.0.extend_from_slice(b);
        s
    }
    fn raw(mut self, b: &[u8]) -> Self {
        self.0.extend_from_slice(b);
        self
    }
    fn pk(self, k: &str) -> Self {
        self.bytes(1, k.as_bytes())
    }
    fn ehk(self, k: &str) -> Self {
        self.bytes(2, k.as_bytes())
    }
    fn record(self, r: Pb) -> Self {
        self.bytes(3, &r.0)
    }
}

/// A record: partition key index, optional explicit hash key index, data.
fn rec(pk: u64, ehk: Option<u64>, data: &[u8]) -> Pb {
    let r = Pb::default().uint(1, pk);
    let r = match ehk {
        Some(i) => r.uint(2, i),
        None => r,
    };
    r.bytes(3, data)
}

/// Magic + protobuf + MD5.
fn wrap(pb: &Pb) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&pb.0);
    out.extend_from_slice(&Md5::digest(&pb.0));
    out
}

fn datas(it: impl Iterator<Item = kinesis_codec::kpl::UserRecord<'static>>) -> Vec<&'static str> {
    it.map(|r| std::str::from_utf8(r.data).unwrap()).collect()
}

fn leak(v: Vec<u8>) -> &'static [u8] {
    Box::leak(v.into_boxed_slice())
}

fn passthrough(data: &[u8]) -> PassThrough {
    let d = deaggregate(data);
    assert_eq!(d.records().count(), 0);
    assert!(!d.is_aggregate());
    match d.outcome() {
        Outcome::PassThrough(p) => p,
        other => panic!("{other:?}"),
    }
}

#[test]
fn not_an_aggregate_is_passed_through_unchanged() {
    assert_eq!(passthrough(b""), PassThrough::NoMagic);
    assert_eq!(passthrough(b"\xf3\x89\x9a"), PassThrough::NoMagic);
    assert_eq!(passthrough(b"plain user data"), PassThrough::NoMagic);
    // "more than 16 bytes follow the magic": 16 is not enough, even with a right digest.
    let mut short = MAGIC.to_vec();
    short.extend_from_slice(&Md5::digest(b""));
    assert_eq!(passthrough(&short), PassThrough::TooShort { len: 20 });
    // One protobuf byte is enough to be looked at (and here fails to parse: a lone tag).
    let one = wrap(&Pb::default().raw(&[0x0a]));
    assert!(matches!(
        passthrough(&one),
        PassThrough::Protobuf(ProtobufError::Truncated { offset: 5 })
    ));
    // A wrong digest.
    let mut bad = wrap(&Pb::default().pk("k").record(rec(0, None, b"x")));
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert!(matches!(
        passthrough(&bad),
        PassThrough::DigestMismatch { .. }
    ));
}

#[test]
fn protobuf_java_refusals_pass_the_record_through() {
    let cases: Vec<(Pb, &str)> = vec![
        // Required Record.partition_key_index missing.
        (
            Pb::default().pk("k").record(Pb::default().bytes(3, b"x")),
            "partition_key_index",
        ),
        // Required Record.data missing.
        (
            Pb::default().pk("k").record(Pb::default().uint(1, 0)),
            "data",
        ),
        // Required Tag.key missing (tags are otherwise unused, but parsed).
        (
            Pb::default()
                .pk("k")
                .record(rec(0, None, b"x").bytes(4, &Pb::default().bytes(2, b"v").0)),
            "key",
        ),
        // A required field with another wire type is an unknown field: so it is missing.
        (
            Pb::default()
                .pk("k")
                .record(Pb::default().tag(1, 5).raw(&[0; 4]).bytes(3, b"x")),
            "partition_key_index",
        ),
    ];
    for (pb, field) in cases {
        match passthrough(&wrap(&pb)) {
            PassThrough::Protobuf(ProtobufError::MissingRequired { field: f, .. }) => {
                assert_eq!(f, field)
            }
            other => panic!("{field}: {other:?}"),
        }
    }
    let broken: Vec<Pb> = vec![
        Pb::default().tag(0, 0).varint(1),  // field number 0
        Pb::default().tag(9, 6),            // wire type 6
        Pb::default().tag(9, 7),            // wire type 7
        Pb::default().tag(9, 4),            // end group at top level
        Pb::default().tag(9, 3).tag(8, 4),  // group closed by another field
        Pb::default().tag(9, 3).uint(1, 1), // group never closed
        Pb::default().raw(&[
            0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01,
        ]), // 11-byte varint
        Pb::default().tag(1, 2).raw(&[0x80, 0x80, 0x80, 0x80, 0x08]), // negative length
        Pb::default().tag(1, 2).varint(100).raw(b"short"), // length past the end
        Pb::default().pk("k").record(rec(0, None, b"x").tag(5, 4)), // end group inside a record
    ];
    for pb in broken {
        assert!(
            matches!(passthrough(&wrap(&pb)), PassThrough::Protobuf(_)),
            "{:02x?}",
            pb.0
        );
    }
}

#[test]
fn protobuf_in_full_order_repeats_unknown_fields_and_long_varints() {
    // Records before the tables, tables interleaved, unknown fields of every wire type
    // (varint, fixed64, bytes, group with nested group, fixed32), a known field number with
    // another wire type, a repeated scalar (last wins), a 10-byte varint index.
    let record0 = Pb::default()
        .uint(1, 7) // overwritten below: last one wins
        .bytes(3, b"first-draft")
        .uint(9, 5)
        .uint(1, 0)
        .bytes(3, b"zero")
        .tag(15, 1)
        .raw(&[1; 8]);
    let record1 = Pb::default()
        .bytes(3, b"one")
        .raw(&[
            0x10, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00,
        ]) // ehk index 0, 10 bytes
        .raw(&[0x08, 0x81, 0x80, 0x80, 0x80, 0x00]) // pk index 1, 5 bytes
        .bytes(4, &Pb::default().bytes(1, b"tag-key").0);
    let pb = Pb::default()
        .record(record0)
        .uint(20, 1)
        .pk("pk-0")
        .tag(21, 1)
        .raw(&[0; 8])
        .tag(22, 3)
        .tag(23, 3)
        .uint(1, 1)
        .tag(23, 4)
        .bytes(24, b"ignored")
        .tag(22, 4)
        .ehk("42")
        .tag(25, 5)
        .raw(&[0; 4])
        .tag(1, 0) // partition_key_table with wire type 0: unknown, skipped
        .varint(3)
        .record(record1)
        .pk("pk-1");
    let data = leak(wrap(&pb));
    let d = deaggregate(data);
    assert_eq!(d.outcome(), Outcome::Aggregated { records: 2 });
    let rs: Vec<_> = d.records().collect();
    assert_eq!(rs[0].partition_key, b"pk-0");
    assert_eq!(rs[0].data, b"zero");
    assert_eq!(rs[0].explicit_hash_key, None);
    assert_eq!(rs[1].partition_key, b"pk-1");
    assert_eq!(rs[1].explicit_hash_key, Some(&b"42"[..]));
    assert_eq!(rs[1].hash_key(), Some(HashKey::new(42)));
    assert_eq!(rs[1].sub_sequence_number, 1);

    // No records at all: still an aggregate to the KCL, and the application gets nothing.
    let empty = wrap(&Pb::default().pk("unused"));
    assert_eq!(
        deaggregate(&empty).outcome(),
        Outcome::Aggregated { records: 0 }
    );
}

#[test]
fn a_sub_record_outside_the_shard_drops_the_whole_aggregate() {
    // Three records on the parent shard (the full range); the shard is then split at 2^127:
    // the first child reads the same aggregate, and record 2 belongs to the other child.
    let pb = Pb::default()
        .pk("k")
        .ehk("5")
        .ehk("170141183460469231731687303715884105728") // 2^127
        .record(rec(0, Some(0), b"r0"))
        .record(rec(0, Some(0), b"r1"))
        .record(rec(0, Some(1), b"r2"));
    let data = leak(wrap(&pb));
    assert_eq!(
        deaggregate(data).outcome(),
        Outcome::Aggregated { records: 3 }
    );

    let (left, right) = HashKeyRange::FULL.split_at(HashKey::new(1 << 127)).unwrap();
    let d = deaggregate_for_shard(data, left);
    match d.outcome() {
        Outcome::Dropped(drop) => {
            assert_eq!(drop.sub_record, 2);
            assert_eq!(drop.partition_key, b"k");
            assert_eq!(drop.hash_key, Some(HashKey::new(1 << 127)));
            assert_eq!(
                drop.explicit_hash_key,
                Some(&b"170141183460469231731687303715884105728"[..])
            );
        }
        other => panic!("{other:?}"),
    }
    // The KCL discards the two records already taken: the application gets nothing.
    assert_eq!(d.records().count(), 0);
    // What it could do instead, losing none.
    assert_eq!(datas(d.in_range()), ["r0", "r1"]);
    assert_eq!(datas(d.out_of_range()), ["r2"]);
    let d = deaggregate_for_shard(data, right);
    assert!(matches!(d.outcome(), Outcome::Dropped(drop) if drop.sub_record == 0));
    assert_eq!(datas(d.in_range()), ["r2"]);

    // By partition key MD5: MD5("a") = 0x0cc1..., in the first quarter only.
    let pb = Pb::default().pk("a").record(rec(0, None, b"x"));
    let data = leak(wrap(&pb));
    let quarter = HashKeyRange::new(HashKey::MIN, HashKey::new(u128::MAX / 4)).unwrap();
    assert_eq!(
        deaggregate_for_shard(data, quarter).outcome(),
        Outcome::Aggregated { records: 1 }
    );
    let upper = HashKeyRange::new(HashKey::new(u128::MAX / 4 + 1), HashKey::MAX).unwrap();
    assert!(matches!(
        deaggregate_for_shard(data, upper).outcome(),
        Outcome::Dropped(_)
    ));
}

#[test]
fn explicit_hash_keys_are_java_big_integers() {
    let one = |ehk: &str| {
        let pb = Pb::default()
            .pk("k")
            .ehk(ehk)
            .record(rec(0, None, b"a"))
            .record(rec(0, Some(0), b"b"));
        leak(wrap(&pb))
    };
    // A sign and leading zeros are fine.
    let d = deaggregate(one("+0042"));
    assert_eq!(d.outcome(), Outcome::Aggregated { records: 2 });
    assert_eq!(
        d.records().nth(1).unwrap().hash_key(),
        Some(HashKey::new(42))
    );
    // Negative, or 2^128: outside even the full range, so the aggregate is dropped.
    for outside in ["-1", "340282366920938463463374607431768211456"] {
        match deaggregate(one(outside)).outcome() {
            Outcome::Dropped(drop) => {
                assert_eq!((drop.sub_record, drop.hash_key), (1, None));
            }
            other => panic!("{outside}: {other:?}"),
        }
    }
    // Not a number: NumberFormatException, caught and logged: truncated after record 0.
    for bad in ["", "12a", " 1", "+"] {
        let d = deaggregate(one(bad));
        assert_eq!(
            d.outcome(),
            Outcome::Truncated {
                records: 1,
                error: IndexError::ExplicitHashKeyNotANumber
            },
            "{bad:?}"
        );
        assert_eq!(datas(d.records()), ["a"]);
    }
}

#[test]
fn an_index_error_after_n_records_truncates() {
    let pb = Pb::default()
        .pk("k0")
        .pk("k1")
        .record(rec(0, None, b"r0"))
        .record(rec(1, None, b"r1"))
        .record(rec(2, None, b"r2")) // past the table of 2
        .record(rec(0, None, b"r3"));
    let d = deaggregate(leak(wrap(&pb)));
    assert_eq!(
        d.outcome(),
        Outcome::Truncated {
            records: 2,
            error: IndexError::PartitionKey {
                index: 2,
                table_len: 2
            }
        }
    );
    // The records before it are kept; the rest are lost; the raw record is not passed on.
    assert_eq!(datas(d.records()), ["r0", "r1"]);
    assert_eq!(d.sub_records(), 4);
    assert!(d.is_aggregate());

    // An explicit hash key index with an empty table.
    let pb = Pb::default()
        .pk("k")
        .record(rec(0, None, b"r0"))
        .record(rec(0, Some(0), b"r1"));
    assert_eq!(
        deaggregate(leak(wrap(&pb))).outcome(),
        Outcome::Truncated {
            records: 1,
            error: IndexError::ExplicitHashKey {
                index: 0,
                table_len: 0
            }
        }
    );
    // Java's (int) cast: index 2^32 reads entry 0; 2^31 is negative.
    let pb = Pb::default()
        .pk("k")
        .record(rec(1 << 32, None, b"r0"))
        .record(rec(1 << 31, None, b"r1"));
    let d = deaggregate(leak(wrap(&pb)));
    assert_eq!(
        d.outcome(),
        Outcome::Truncated {
            records: 1,
            error: IndexError::PartitionKey {
                index: 1 << 31,
                table_len: 1
            }
        }
    );
    assert_eq!(d.records().next().unwrap().partition_key, b"k");
}

#[test]
fn the_first_event_decides_between_dropped_and_truncated() {
    let range = HashKeyRange::new(HashKey::MIN, HashKey::new(100)).unwrap();
    // Outside first, then a bad index: dropped (the KCL's loop breaks at the first).
    let pb = Pb::default()
        .pk("k")
        .ehk("1")
        .ehk("1000")
        .record(rec(0, Some(0), b"in"))
        .record(rec(0, Some(1), b"out"))
        .record(rec(9, None, b"bad"));
    let d = deaggregate_for_shard(leak(wrap(&pb)), range);
    assert!(matches!(d.outcome(), Outcome::Dropped(drop) if drop.sub_record == 1));
    assert_eq!(d.index_error().map(|(at, _)| at), Some(2));
    assert_eq!(datas(d.all()), ["in", "out"]);
    // A bad index first, then outside: truncated, keeping the record before it.
    let pb = Pb::default()
        .pk("k")
        .ehk("1")
        .ehk("1000")
        .record(rec(0, Some(0), b"in"))
        .record(rec(9, None, b"bad"))
        .record(rec(0, Some(1), b"out"));
    let d = deaggregate_for_shard(leak(wrap(&pb)), range);
    assert!(matches!(d.outcome(), Outcome::Truncated { records: 1, .. }));
    assert_eq!(datas(d.records()), ["in"]);
}

#[test]
fn partition_keys_that_are_not_utf8_hash_as_java_strings() {
    // The KCL turns the bytes into a String (U+FFFD for the bad byte) and hashes its UTF-8.
    let pb = Pb::default().bytes(1, b"a\xffb").record(rec(0, None, b"x"));
    let d = deaggregate(leak(wrap(&pb)));
    let r = d.records().next().unwrap();
    assert_eq!(r.partition_key, b"a\xffb");
    assert_eq!(r.partition_key_str(), None);
    assert_eq!(
        r.hash_key(),
        Some(HashKey::from_partition_key("a\u{fffd}b"))
    );
}
