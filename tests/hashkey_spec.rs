//! The hash key layer against the facts in the spec (AWS documentation examples, the service's
//! rules and message texts) and against first principles: independent `u128` arithmetic for
//! keys at range ends, 2^128 − 1, and the layouts.

use kinesis_codec::hashkey::{
    merge_shards, route, split_shard, uniform_scaling, HashKey, HashKeyRange, Layout, MapError,
    ParseHashKeyError, ParseShardIdError, ReshardError, RouteError, ScalingError, Shard, ShardId,
    ShardMap, MAX_DECIMAL_LEN,
};

fn key(text: &str) -> HashKey {
    text.parse().unwrap()
}

fn id(i: u64) -> ShardId {
    ShardId::new(i).unwrap()
}

/// floor(2^128 / n) computed a different way than the crate does: from 2^128 − 1 and its
/// remainder (2^128 = q·n + r' with r' = (u128::MAX % n + 1) mod n).
fn aws_step(n: u128) -> Option<u128> {
    let q = u128::MAX / n;
    let r = u128::MAX % n;
    if r + 1 == n {
        q.checked_add(1)
    } else {
        Some(q)
    }
}

#[test]
fn md5_examples_from_the_spec() {
    assert_eq!(
        HashKey::from_partition_key("a"),
        key("16955237001963240173058271559858726497")
    );
    assert_eq!(
        HashKey::from_partition_key("a").get(),
        0x0cc175b9c0f1b6a831c399e269772661
    );
    assert_eq!(
        HashKey::from_partition_key("").get(),
        0xd41d8cd98f00b204e9800998ecf8427e
    );
    assert_eq!(
        HashKey::from_partition_key_bytes("héllo".as_bytes()),
        HashKey::from_partition_key("héllo")
    );
}

#[test]
fn aws_cli_three_shard_example_and_two_shard_output() {
    let three: Vec<_> = Layout::Aws.ranges(3).unwrap().collect();
    assert_eq!(three[0].start(), HashKey::MIN);
    assert_eq!(
        three[0].end(),
        key("113427455640312821154458202477256070484")
    );
    assert_eq!(
        three[1].end(),
        key("226854911280625642308916404954512140969")
    );
    assert_eq!(
        three[2].end(),
        key("340282366920938463463374607431768211455")
    );
    let two: Vec<_> = Layout::Aws.ranges(2).unwrap().collect();
    assert_eq!(two[0].end(), key("170141183460469231731687303715884105727"));
    assert_eq!(two[0].end().get(), (1u128 << 127) - 1);
    assert_eq!(two[1].start().get(), 1u128 << 127);
}

#[test]
fn kinesis_mock_layout_differs_only_for_powers_of_two() {
    for n in 1..=600u32 {
        let aws: Vec<_> = Layout::Aws.ranges(n).unwrap().collect();
        let mock: Vec<_> = Layout::KinesisMock.ranges(n).unwrap().collect();
        let step = u128::MAX / u128::from(n);
        for (i, r) in mock.iter().enumerate() {
            assert_eq!(r.start().get(), step * i as u128);
        }
        assert_eq!(aws == mock, !n.is_power_of_two() || n == 1, "N={n}");
    }
    let two: Vec<_> = Layout::KinesisMock.ranges(2).unwrap().collect();
    assert_eq!(two[0].end().get(), (1u128 << 127) - 2);
}

#[test]
fn layouts_from_first_principles() {
    let counts = (1..=300u32).chain([511, 512, 1000, 1024, 4096, 9999, 10_000, 65_536, u32::MAX]);
    for n in counts {
        let step = aws_step(u128::from(n));
        for i in [0, 1, n / 2, n.saturating_sub(2), n - 1] {
            if i >= n {
                continue;
            }
            let r = Layout::Aws.range(n, i).unwrap();
            match step {
                Some(step) => {
                    assert_eq!(r.start().get(), step * u128::from(i), "N={n} i={i}");
                    let end = if i == n - 1 {
                        u128::MAX
                    } else {
                        step * u128::from(i + 1) - 1
                    };
                    assert_eq!(r.end().get(), end, "N={n} i={i}");
                }
                None => assert_eq!(r, HashKeyRange::FULL), // n == 1: step is 2^128
            }
        }
        assert_eq!(Layout::Aws.range(n, n), None);
    }
    assert!(Layout::Aws.ranges(0).is_err());
    assert_eq!(Layout::Aws.shard_index(0, HashKey::MIN), None);
}

/// Keys at both ends of every range, and their neighbours, land where the arithmetic says.
#[test]
fn range_ends_and_the_largest_key_route_from_first_principles() {
    for n in (1..=130u32).chain([1000, 1024, 10_000]) {
        let shards: Vec<Shard> = (0..n).map(|i| Layout::Aws.shard(n, i).unwrap()).collect();
        let map = ShardMap::new(&shards).unwrap();
        let step = aws_step(u128::from(n)).unwrap_or(u128::MAX);
        for i in 0..n {
            let start = step * u128::from(i);
            let end = if i == n - 1 {
                u128::MAX
            } else {
                start + step - 1
            };
            for (k, expect) in [
                (start, i),
                (start + 1, i),
                (end - 1, i),
                (end, i),
                (end.wrapping_add(1), if i == n - 1 { 0 } else { i + 1 }),
                (start.wrapping_sub(1), if i == 0 { n - 1 } else { i - 1 }),
            ] {
                let got = map.find(HashKey::new(k));
                assert_eq!(got.id, id(u64::from(expect)), "N={n} key {k}");
                assert_eq!(map.find_index(HashKey::new(k)), expect as usize);
                assert_eq!(Layout::Aws.shard_index(n, HashKey::new(k)), Some(expect));
                // The explicit hash key path gives the same answer.
                let routed = route("ignored", Some(&k.to_string())).unwrap();
                assert_eq!(map.find(routed).id, got.id);
            }
        }
        assert_eq!(map.find(HashKey::MAX).id, id(u64::from(n - 1)));
    }
}

#[test]
fn strict_decimal_grammar() {
    assert_eq!(key("0"), HashKey::MIN);
    assert_eq!(key("340282366920938463463374607431768211455"), HashKey::MAX);
    use ParseHashKeyError as E;
    let cases: &[(&str, E)] = &[
        ("", E::Empty),
        ("340282366920938463463374607431768211456", E::OutOfRange),
        ("999999999999999999999999999999999999999", E::OutOfRange),
        (
            "1000000000000000000000000000000000000000",
            E::TooLong { len: 40 },
        ),
        ("00", E::LeadingZero { len: 2 }),
        ("0123", E::LeadingZero { len: 4 }),
        (
            "+1",
            E::InvalidDigit {
                position: 0,
                byte: b'+',
            },
        ),
        (
            "-0",
            E::InvalidDigit {
                position: 0,
                byte: b'-',
            },
        ),
        (
            " 1",
            E::InvalidDigit {
                position: 0,
                byte: b' ',
            },
        ),
        (
            "12 ",
            E::InvalidDigit {
                position: 2,
                byte: b' ',
            },
        ),
        (
            "1e5",
            E::InvalidDigit {
                position: 1,
                byte: b'e',
            },
        ),
        (
            "1٣",
            E::InvalidDigit {
                position: 1,
                byte: 0xd9,
            },
        ),
    ];
    for (text, err) in cases {
        assert_eq!(HashKey::parse(text), Err(*err), "{text:?}");
        assert!(!err.to_string().is_empty());
    }
    assert_eq!(
        E::InvalidDigit {
            position: 2,
            byte: b'x'
        }
        .to_string(),
        "hash key has a non-digit byte 0x78 ('x') at position 2"
    );
}

#[test]
fn decimal_format_without_heap() {
    let mut buf = [0u8; MAX_DECIMAL_LEN];
    for v in [
        0u128,
        9,
        10,
        10_000_000_000_000_000_000,
        9_999_999_999_999_999_999,
        100_000_000_000_000_000_000_000_000_000_000_000_000,
        u128::MAX,
        u128::MAX - 1,
        1 << 64,
        (1 << 64) - 1,
    ] {
        assert_eq!(HashKey::new(v).format(&mut buf), v.to_string());
        assert_eq!(HashKey::new(v).to_string(), v.to_string());
    }
    assert_eq!(format!("{:>5}", HashKey::new(42)), "   42");
}

#[test]
fn explicit_hash_key_overrides_the_partition_key() {
    assert_eq!(route("a", None).unwrap(), HashKey::from_partition_key("a"));
    assert_eq!(route("a", Some("0")).unwrap(), HashKey::MIN);
    let err = route("a", Some("340282366920938463463374607431768211456")).unwrap_err();
    assert_eq!(
        err,
        RouteError::InvalidExplicitHashKey(ParseHashKeyError::OutOfRange)
    );
    assert_eq!(
        err.message("340282366920938463463374607431768211456")
            .to_string(),
        "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. \
         Specified value was 340282366920938463463374607431768211456"
    );
}

#[test]
fn shard_ids() {
    assert_eq!(id(0).to_string(), "shardId-000000000000");
    assert_eq!(id(42).to_string(), "shardId-000000000042");
    let mut buf = [0u8; 20];
    assert_eq!(id(999_999_999_999).format(&mut buf), "shardId-999999999999");
    assert_eq!(ShardId::new(1_000_000_000_000), None);
    for (text, index) in [
        ("shardId-000000000000", 0),
        ("shardId-000000000017", 17),
        ("shardId-17", 17),
        ("anything-0005", 5),
        ("a.b_c-d-12", 12),
    ] {
        assert_eq!(ShardId::parse(text), Ok(id(index)), "{text}");
    }
    use ParseShardIdError as E;
    assert_eq!(ShardId::parse(""), Err(E::Empty));
    assert_eq!(ShardId::parse("shardId"), Err(E::NoIndex));
    assert_eq!(ShardId::parse("shardId-"), Err(E::NoIndex));
    assert_eq!(ShardId::parse("17"), Err(E::NoIndex));
    assert_eq!(
        ShardId::parse("shardId-0x1"),
        Err(E::InvalidChar {
            position: 9,
            byte: b'x'
        })
    );
    assert_eq!(
        ShardId::parse("shard Id-1"),
        Err(E::InvalidChar {
            position: 5,
            byte: b' '
        })
    );
    assert_eq!(
        ShardId::parse("shardId-1000000000000"),
        Err(E::IndexTooLarge)
    );
    assert_eq!(
        ShardId::parse(&"a".repeat(129)),
        Err(E::TooLong { len: 129 })
    );
}

fn shard(i: u64, start: u128, end: u128) -> Shard {
    Shard::open(
        id(i),
        HashKeyRange::new(HashKey::new(start), HashKey::new(end)).unwrap(),
    )
}

fn range(start: u128, end: u128) -> HashKeyRange {
    HashKeyRange::new(HashKey::new(start), HashKey::new(end)).unwrap()
}

#[test]
fn map_errors_name_shards_and_keys() {
    let m = u128::MAX;
    assert_eq!(ShardMap::new(&[]).unwrap_err(), MapError::NoOpenShards);
    assert_eq!(
        ShardMap::new(&[shard(0, 0, 99), shard(1, 101, m)]).unwrap_err(),
        MapError::Gap {
            previous: Some(id(0)),
            next: Some(id(1)),
            missing: range(100, 100)
        }
    );
    assert_eq!(
        ShardMap::new(&[shard(3, 5, m)]).unwrap_err(),
        MapError::Gap {
            previous: None,
            next: Some(id(3)),
            missing: range(0, 4)
        }
    );
    assert_eq!(
        ShardMap::new(&[shard(0, 0, m - 1)]).unwrap_err(),
        MapError::Gap {
            previous: Some(id(0)),
            next: None,
            missing: range(m, m)
        }
    );
    assert_eq!(
        ShardMap::new(&[shard(0, 0, 100), shard(1, 90, m)]).unwrap_err(),
        MapError::Overlap {
            first: id(0),
            second: id(1),
            keys: range(90, 100)
        }
    );
    assert_eq!(
        ShardMap::new(&[shard(0, 0, m), shard(1, 10, 20)]).unwrap_err(),
        MapError::Overlap {
            first: id(0),
            second: id(1),
            keys: range(10, 20)
        }
    );
    assert_eq!(
        ShardMap::new(&[shard(0, 50, m), shard(1, 0, 49)]).unwrap_err(),
        MapError::NotSorted {
            index: 1,
            previous: id(0),
            shard: id(1)
        }
    );
    let closed = Shard::closed(id(1), range(50, m));
    assert_eq!(
        ShardMap::new(&[shard(0, 0, 49), closed]).unwrap_err(),
        MapError::ClosedShard {
            index: 1,
            shard: id(1)
        }
    );
    assert_eq!(
        MapError::Gap {
            previous: Some(id(0)),
            next: Some(id(1)),
            missing: range(100, 100)
        }
        .to_string(),
        "hash keys 100..=100 are not covered by any open shard \
         (between shardId-000000000000 and shardId-000000000001)"
    );

    // from_shards sorts open shards first, ignores closed ones for coverage.
    let mut list = [
        shard(2, 50, m),
        Shard::closed(id(0), range(0, m)),
        shard(1, 0, 49),
    ];
    let map = ShardMap::from_shards(&mut list).unwrap();
    assert_eq!(map.open_shards().len(), 2);
    assert_eq!(map.shards().len(), 3);
    assert_eq!(map.find(HashKey::new(49)).id, id(1));
    assert_eq!(map.find(HashKey::new(50)).id, id(2));
    // A closed parent alone does not cover anything.
    let mut list = [Shard::closed(id(0), range(0, m)), shard(1, 0, 49)];
    assert!(matches!(
        ShardMap::from_shards(&mut list),
        Err(MapError::Gap { .. })
    ));
}

const ACCOUNT: &str = "123456789012";

#[test]
fn split_rule_and_message() {
    let shards = [shard(0, 100, 200), shard(1, 201, u128::MAX)];
    // Start + 1 < K < End: 102 and 199 are the extremes.
    for k in [102u128, 150, 199] {
        let [low, high] = split_shard(&shards, id(0), HashKey::new(k)).unwrap();
        assert_eq!(low.shard.range, range(100, k - 1));
        assert_eq!(high.shard.range, range(k, 200));
        assert_eq!((low.shard.id, high.shard.id), (id(2), id(3)));
        assert_eq!((low.parent, low.adjacent_parent), (id(0), None));
        assert_eq!(high.parent, id(0));
    }
    for k in [0u128, 99, 100, 101, 200, 201] {
        let err = split_shard(&shards, id(0), HashKey::new(k)).unwrap_err();
        assert_eq!(
            err,
            ReshardError::SplitKeyOutOfRange {
                shard: id(0),
                key: HashKey::new(k),
                range: range(100, 200)
            }
        );
        assert_eq!(err.error_code(), "InvalidArgumentException");
    }
    let err = split_shard(&shards, id(0), HashKey::new(101)).unwrap_err();
    assert_eq!(
        err.message("my-stream", ACCOUNT).to_string(),
        "NewStartingHashKey 101 used in SplitShard() on shard shardId-000000000000 in stream \
         my-stream under account 123456789012 is not both greater than one plus the shard's \
         StartingHashKey 100 and less than the shard's EndingHashKey 200."
    );
    assert_eq!(
        split_shard(&shards, id(7), HashKey::new(150)).unwrap_err(),
        ReshardError::ShardNotFound { shard: id(7) }
    );
}

#[test]
fn merge_rule_and_messages() {
    let m = u128::MAX;
    let mut shards = vec![shard(0, 0, 99), shard(1, 100, 199), shard(2, 200, m)];
    let child = merge_shards(&shards, id(1), id(2)).unwrap();
    assert_eq!(child.shard.range, range(100, m));
    assert_eq!(child.shard.id, id(3));
    assert_eq!((child.parent, child.adjacent_parent), (id(1), Some(id(2))));
    // Order matters, and the pair must touch.
    for (a, b) in [(2, 1), (0, 2), (1, 1)] {
        let err = merge_shards(&shards, id(a), id(b)).unwrap_err();
        assert_eq!(
            err,
            ReshardError::NotAdjacent {
                shard: id(a),
                adjacent: id(b)
            }
        );
    }
    assert_eq!(
        merge_shards(&shards, id(2), id(1))
            .unwrap_err()
            .message("s", ACCOUNT)
            .to_string(),
        "Shards shardId-000000000002 and shardId-000000000001 in stream s under account \
         123456789012 are not an adjacent pair of shards eligible for merging"
    );
    // Once merged, the parents are closed.
    shards[1].open = false;
    shards[2].open = false;
    shards.push(child.shard);
    let err = merge_shards(&shards, id(0), id(1)).unwrap_err();
    assert_eq!(err, ReshardError::ShardClosed { shard: id(1) });
    assert_eq!(
        err.message("s", ACCOUNT).to_string(),
        "Shard shardId-000000000001 in stream s under account 123456789012 has already been \
         merged or split, and thus is not eligible for merging or splitting."
    );
    assert_eq!(
        split_shard(&shards, id(2), HashKey::new(300)).unwrap_err(),
        ReshardError::ShardClosed { shard: id(2) }
    );
    let merged = merge_shards(&shards, id(0), id(3)).unwrap();
    assert_eq!(merged.shard.range, HashKeyRange::FULL);
    assert_eq!(merged.shard.id, id(4));
}

#[test]
fn uniform_scaling_half_to_double() {
    // Exactly: 2·target >= current and target <= 2·current, at most 10,000.
    for current in 1..=200u32 {
        for target in 1..=450u32 {
            let ok = 2 * target >= current && target <= 2 * current;
            assert_eq!(
                uniform_scaling(current, target).is_ok(),
                ok,
                "{current} -> {target}"
            );
        }
    }
    assert_eq!(
        uniform_scaling(3, 1).unwrap_err(),
        ScalingError::BelowHalf {
            current: 3,
            target: 1,
            min: 2
        }
    );
    assert_eq!(
        uniform_scaling(3, 7).unwrap_err(),
        ScalingError::AboveDouble {
            current: 3,
            target: 7,
            max: 6
        }
    );
    assert_eq!(
        uniform_scaling(6000, 10_001).unwrap_err(),
        ScalingError::AboveLimit {
            target: 10_001,
            max: 10_000
        }
    );
    assert!(uniform_scaling(5000, 10_000).is_ok());
    assert_eq!(
        uniform_scaling(0, 1).unwrap_err(),
        ScalingError::NoCurrentShards
    );
    // The result is the equal layout: 3 -> 4 gives four quarters, not moto's 1/6,1/6,1/3,1/3.
    let four: Vec<_> = uniform_scaling(3, 4).unwrap().collect();
    assert_eq!(four[1].start().get(), 1u128 << 126);
    assert_eq!(four[3].start().get(), 3u128 << 126);
}
