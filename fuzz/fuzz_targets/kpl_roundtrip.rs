//! KPL aggregation on arbitrary user records: per shard (or not), every record the aggregator
//! takes comes back from deaggregation, per shard, in order; no entry exceeds its limit.
#![no_main]

use arbitrary::Arbitrary;
use kinesis_codec::hashkey::{route, Layout};
use kinesis_codec::kpl::{deaggregate, AggregateError, Aggregator, Outcome, Shards, BUFFER_SLACK};
use kinesis_codec::producer::Record;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    max_size: u16,
    shards: Option<u8>,
    records: Vec<(String, Option<u128>, Vec<u8>)>,
}

type Rec = (String, Option<String>, Vec<u8>);

fuzz_target!(|input: Input| {
    let max_size = usize::from(input.max_size).max(1);
    let count = input.shards.map(|s| u32::from(s % 8) + 1);
    let n = count.unwrap_or(1) as usize;
    let records: Vec<Rec> = input
        .records
        .into_iter()
        .map(|(pk, ehk, data)| (pk, ehk.map(|k| k.to_string()), data))
        .collect();
    let mut bufs: Vec<Vec<u8>> = (0..n).map(|_| vec![0u8; max_size + BUFFER_SLACK]).collect();
    let mut aggs: Vec<Aggregator<'_, '_>> = bufs
        .iter_mut()
        .map(|b| {
            let a = Aggregator::new(b, max_size).unwrap();
            match count {
                Some(count) => a.with_shards(Shards::Layout {
                    layout: Layout::Aws,
                    count,
                }),
                None => a,
            }
        })
        .collect();
    let mut sent: Vec<Vec<Rec>> = vec![Vec::new(); n];
    let mut back: Vec<Vec<Rec>> = vec![Vec::new(); n];
    let mut emit = |a: &mut Aggregator<'_, '_>, shard: usize| {
        if let Some(e) = a.finish() {
            assert!(e.data.len() + e.partition_key.len() <= max_size);
            if e.records == 1 {
                back[shard].push((
                    e.partition_key.to_owned(),
                    e.explicit_hash_key().map(str::to_owned),
                    e.data.to_vec(),
                ));
            } else {
                let d = deaggregate(e.data);
                assert_eq!(d.outcome(), Outcome::Aggregated { records: e.records });
                back[shard].extend(d.records().map(|r| {
                    (
                        r.partition_key_str().unwrap().to_owned(),
                        r.explicit_hash_key_str().map(str::to_owned),
                        r.data.to_vec(),
                    )
                }));
            }
        }
        a.clear();
    };
    for (pk, ehk, data) in &records {
        let rec = Record {
            data,
            partition_key: pk,
            explicit_hash_key: ehk.as_deref(),
        };
        let shard = match (count, route(pk, ehk.as_deref())) {
            (Some(c), Ok(k)) => Layout::Aws.shard_index(c, k).unwrap() as usize,
            _ => 0,
        };
        let a = &mut aggs[shard];
        match a.push(&rec) {
            Ok(()) => {}
            Err(AggregateError::Full) => {
                emit(a, shard);
                a.push(&rec).unwrap();
            }
            Err(AggregateError::Record(_)) => continue,
            Err(e) => panic!("{e}"),
        }
        sent[shard].push((pk.clone(), ehk.clone(), data.clone()));
    }
    for (shard, a) in aggs.iter_mut().enumerate() {
        emit(a, shard);
    }
    assert_eq!(back, sent);
});
