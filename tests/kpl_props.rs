//! Property tests of the kpl module: random user records → aggregates (per shard or not) →
//! decode gives them back, per shard, in order; no entry over its size limit; the size the
//! aggregator reports is the entry's; and the fullness answer is exact (the refused record
//! really would not fit).

use kinesis_codec::hashkey::{route, HashKey, Layout};
use kinesis_codec::kpl::{
    deaggregate, AggregateError, Aggregator, Outcome, Shards, BUFFER_SLACK, MAGIC,
};
use kinesis_codec::producer::Record;
use proptest::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq)]
struct UserRec {
    pk: String,
    ehk: Option<String>,
    data: Vec<u8>,
}

fn user_record() -> impl Strategy<Value = UserRec> {
    (
        "[ab0é漢🦀\n\u{0}]{1,6}|shared-[0-3]",
        proptest::option::weighted(0.3, any::<u128>()),
        proptest::collection::vec(any::<u8>(), 0..400),
    )
        .prop_map(|(pk, ehk, data)| UserRec {
            pk,
            ehk: ehk.map(|k| k.to_string()),
            data,
        })
}

fn record(r: &UserRec) -> Record<'_> {
    let rec = Record::new(&r.data, &r.pk);
    match &r.ehk {
        Some(k) => rec.with_explicit_hash_key(k),
        None => rec,
    }
}

fn shard_of(r: &UserRec, shards: Option<u32>) -> usize {
    shards.map_or(0, |n| {
        Layout::Aws
            .shard_index(n, route(&r.pk, r.ehk.as_deref()).unwrap())
            .unwrap() as usize
    })
}

/// Decodes one entry back to user records.
fn read_back(data: &[u8], pk: &str, ehk: Option<&str>, records: usize) -> Vec<UserRec> {
    if records == 1 {
        // A lone record goes out as it came.
        return vec![UserRec {
            pk: pk.to_owned(),
            ehk: ehk.map(str::to_owned),
            data: data.to_vec(),
        }];
    }
    assert!(data.starts_with(&MAGIC));
    assert_eq!(pk, "a");
    let d = deaggregate(data);
    assert_eq!(d.outcome(), Outcome::Aggregated { records });
    let out: Vec<UserRec> = d
        .records()
        .map(|r| UserRec {
            pk: r.partition_key_str().unwrap().to_owned(),
            ehk: r.explicit_hash_key_str().map(str::to_owned),
            data: r.data.to_vec(),
        })
        .collect();
    // The outer explicit hash key is the first record's hash key.
    let first = &out[0];
    assert_eq!(
        ehk.map(|k| HashKey::parse(k).unwrap()),
        Some(route(&first.pk, first.ehk.as_deref()).unwrap())
    );
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn records_come_back_per_shard_in_order(
        records in proptest::collection::vec(user_record(), 1..80),
        max_size in 450usize..6000,
        shards in proptest::option::of(1u32..6),
    ) {
        let n = shards.unwrap_or(1) as usize;
        let mut bufs: Vec<Vec<u8>> = (0..n).map(|_| vec![0u8; max_size + BUFFER_SLACK]).collect();
        let mut aggs: Vec<Aggregator<'_, '_>> = bufs
            .iter_mut()
            .map(|b| {
                let a = Aggregator::new(b, max_size).unwrap();
                match shards {
                    Some(count) => a.with_shards(Shards::Layout { layout: Layout::Aws, count }),
                    None => a,
                }
            })
            .collect();
        // Per shard: what came back, in the order the entries were sent.
        let mut back: Vec<Vec<UserRec>> = vec![Vec::new(); n];
        let mut emit = |a: &mut Aggregator<'_, '_>, shard: usize| {
            let size = a.size();
            if let Some(e) = a.finish() {
                // No entry over the limit; the reported size is the entry's.
                assert_eq!(e.data.len() + e.partition_key.len(), size);
                assert!(size <= max_size, "{size} > {max_size}");
                back[shard].extend(read_back(e.data, e.partition_key, e.explicit_hash_key(), e.records));
            }
            a.clear();
        };
        for r in &records {
            let shard = shard_of(r, shards);
            let a = &mut aggs[shard];
            let before = a.size();
            match a.push(&record(r)) {
                Ok(()) => {}
                Err(AggregateError::Full) => {
                    prop_assert!(a.records() >= 1);
                    prop_assert_eq!(a.size(), before, "a refusal changes nothing");
                    emit(a, shard);
                    a.push(&record(r)).unwrap();
                }
                Err(AggregateError::Record(_)) => {
                    // Too large even alone.
                    prop_assert!(r.data.len() + r.pk.len() > max_size);
                    continue;
                }
                Err(e) => panic!("{e}"),
            }
            // A refused record of another shard, when there are other shards.
            if let Some(count) = shards.filter(|&c| c > 1) {
                let other = (shard + 1) % count as usize;
                let range = Layout::Aws.range(count, other as u32).unwrap();
                let k = range.start().to_string();
                let stranger = Record::new(b"x", "x").with_explicit_hash_key(&k);
                prop_assert_eq!(
                    a.push(&stranger),
                    Err(AggregateError::OtherShard { shard: other, aggregate_shard: shard })
                );
            }
        }
        for (shard, a) in aggs.iter_mut().enumerate() {
            emit(a, shard);
        }
        for (shard, back) in back.iter().enumerate() {
            let sent: Vec<UserRec> = records
                .iter()
                .filter(|r| shard_of(r, shards) == shard && r.data.len() + r.pk.len() <= max_size)
                .cloned()
                .collect();
            prop_assert_eq!(back, &sent);
        }
    }

    #[test]
    fn full_means_the_record_would_not_fit(
        records in proptest::collection::vec(user_record(), 2..40),
        max_size in 450usize..3000,
    ) {
        // Whenever the aggregator says Full, an aggregate with the record added (made with a
        // larger limit) is over the limit; whenever it takes one, it is not.
        let mut small = vec![0u8; max_size + BUFFER_SLACK];
        let mut large = vec![0u8; 64 * 1024];
        let mut a = Aggregator::new(&mut small, max_size).unwrap();
        let mut b = Aggregator::new(&mut large, 60_000).unwrap();
        for r in &records {
            if r.data.len() + r.pk.len() > max_size {
                continue;
            }
            b.push(&record(r)).unwrap();
            match a.push(&record(r)) {
                Ok(()) => prop_assert_eq!(a.size(), b.size()),
                Err(AggregateError::Full) => {
                    prop_assert!(b.size() > max_size, "refused at {} <= {}", b.size(), max_size);
                    break;
                }
                Err(e) => panic!("{e}"),
            }
        }
    }
}
