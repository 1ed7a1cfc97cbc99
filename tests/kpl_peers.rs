//! The kpl module against aws-kinesis-agg 1.2.3 (PyPI), its npm sibling (4.2.8) and the
//! `protobuf` package.
//!
//! `tests/peers/kpl_agg.py vectors` aggregates sets of user records with the library's own
//! `RecordAggregator`; every aggregate must decode here, as the KCL reads it, to the records that
//! went in. `... read` reads aggregates made here with the library's deaggregator and with a
//! message class the script builds from the schema; both must give back the records that went
//! in. Where the library's deaggregator is wrong (an explicit hash key for records that have
//! none) the tests assert the KCL's answer and show the library's.

#[path = "common/node_peers.rs"]
mod node_peers;
#[path = "common/peers.rs"]
mod peers;
#[path = "common/rng.rs"]
mod rng;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use kinesis_codec::hashkey::{route, HashKey, Layout};
use kinesis_codec::kpl::{
    deaggregate, AggregateError, Aggregator, Outcome, PassThrough, Shards, BUFFER_SLACK,
    INDEXED_KEYS,
};
use kinesis_codec::producer::Record;
use rng::Rng;
use serde_json::Value;

fn b64(v: &Value) -> Vec<u8> {
    B64.decode(v.as_str().expect("base64 string"))
        .expect("base64")
}

fn opt_str(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct UserRec {
    pk: String,
    ehk: Option<String>,
    data: Vec<u8>,
}

#[test]
fn python_aggregates_decode_here_to_their_user_records() {
    let test = "python_aggregates_decode_here_to_their_user_records";
    let Some(out) = peers::run_script(test, "kpl_agg.py", &["vectors".as_ref()]) else {
        return;
    };
    let text = String::from_utf8(out.stdout).unwrap();
    let mut cases = 0;
    let mut mistakes = 0;
    for line in text.lines() {
        let case: Value = serde_json::from_str(line).unwrap();
        let name = case["case"].as_str().unwrap();
        let inputs: Vec<UserRec> = case["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| UserRec {
                pk: r["pk"].as_str().unwrap().to_owned(),
                ehk: opt_str(&r["ehk"]),
                data: b64(&r["data"]),
            })
            .collect();
        let mut decoded = Vec::new();
        let entries = case["entries"].as_array().unwrap();
        let python = case["python"].as_array().unwrap();
        assert_eq!(entries.len(), python.len());
        for (entry, theirs) in entries.iter().zip(python) {
            let data = b64(&entry["data"]);
            let d = deaggregate(&data);
            let records: Vec<_> = d.records().collect();
            // The library aggregates even a single record; the KCL reads every one of them.
            assert_eq!(
                d.outcome(),
                Outcome::Aggregated {
                    records: records.len()
                },
                "{name}"
            );
            let first = decoded.len();
            // The library's outer keys are the first record's own (the KPL would send "a").
            assert_eq!(
                entry["pk"].as_str(),
                Some(inputs[first].pk.as_str()),
                "{name}"
            );
            assert_eq!(opt_str(&entry["ehk"]), inputs[first].ehk, "{name}");
            let theirs = theirs
                .as_array()
                .expect("the library deaggregates its own aggregates");
            assert_eq!(theirs.len(), records.len(), "{name}");
            // The entry's explicit hash key table, in order of first use.
            let mut ehk_table: Vec<&str> = Vec::new();
            for r in &inputs[first..first + records.len()] {
                if let Some(k) = r.ehk.as_deref() {
                    if !ehk_table.contains(&k) {
                        ehk_table.push(k);
                    }
                }
            }
            for (i, (r, t)) in records.iter().zip(theirs).enumerate() {
                let mine = UserRec {
                    pk: r.partition_key_str().unwrap().to_owned(),
                    ehk: r.explicit_hash_key_str().map(str::to_owned),
                    data: r.data.to_vec(),
                };
                assert_eq!(r.sub_sequence_number, i as u64);
                assert_eq!(
                    r.hash_key(),
                    Some(route(&mine.pk, mine.ehk.as_deref()).unwrap()),
                    "{name}"
                );
                assert_eq!(t["sub"], i);
                assert_eq!(t["pk"].as_str(), Some(mine.pk.as_str()));
                assert_eq!(b64(&t["data"]), mine.data);
                match (&mine.ehk, opt_str(&t["ehk"])) {
                    (Some(k), theirs) => assert_eq!(theirs.as_ref(), Some(k), "{name}"),
                    // The library's mistake: a record without an explicit hash key index gets
                    // entry 0 of a non-empty table. The KCL (and this crate) say none, and the
                    // hash key is the partition key's MD5.
                    (None, Some(theirs)) => {
                        assert_eq!(Some(theirs.as_str()), ehk_table.first().copied(), "{name}");
                        assert_eq!(r.hash_key(), Some(HashKey::from_partition_key(&mine.pk)));
                        mistakes += 1;
                    }
                    (None, None) => assert!(ehk_table.is_empty(), "{name}"),
                }
                decoded.push(mine);
            }
        }
        assert_eq!(decoded, inputs, "{name}");
        cases += 1;
    }
    assert!(cases >= 40, "only {cases} cases");
    assert!(
        mistakes > 10,
        "the library's EHK mistake shown {mistakes} times"
    );
}

/// Random user records: keys with multi-byte characters, NUL and newlines; some explicit hash
/// keys; data of 0 to 2,000 bytes.
fn random_records(rng: &mut Rng, n: usize) -> Vec<UserRec> {
    const ALPHABET: [&str; 10] = ["a", "b", "k", "0", "-", "é", "漢", "🦀", "\n", "\0"];
    (0..n)
        .map(|_| {
            let key_len = 1 + rng.next() as usize % 6;
            // A few keys repeat often, to exercise sharing.
            let pk = if rng.next().is_multiple_of(3) {
                format!("shared-{}", rng.next() % 4)
            } else {
                (0..key_len)
                    .map(|_| ALPHABET[rng.next() as usize % ALPHABET.len()])
                    .collect()
            };
            let ehk = rng.next().is_multiple_of(4).then(|| {
                let k = (u128::from(rng.next()) << 64) | u128::from(rng.next());
                HashKey::new(k).to_string()
            });
            let len = [0, 1, 10, 100, 2000][rng.next() as usize % 5];
            let data = (0..len).map(|_| rng.next() as u8).collect();
            UserRec { pk, ehk, data }
        })
        .collect()
}

fn record(r: &UserRec) -> Record<'_> {
    let rec = Record::new(&r.data, &r.pk);
    match &r.ehk {
        Some(k) => rec.with_explicit_hash_key(k),
        None => rec,
    }
}

/// What was sent: each entry with the indexes of the user records in it.
struct Sent {
    data: Vec<u8>,
    pk: String,
    ehk: Option<String>,
    members: Vec<usize>,
    max_size: usize,
    shards: Option<u32>,
}

/// Aggregates `records` here, one open aggregate per shard when `shards` is given, as a
/// producer would: a full aggregate is sent and a new one started.
fn aggregate_here(records: &[UserRec], max_size: usize, shards: Option<u32>) -> Vec<Sent> {
    let n = shards.unwrap_or(1) as usize;
    let mut bufs: Vec<Vec<u8>> = (0..n).map(|_| vec![0u8; max_size + BUFFER_SLACK]).collect();
    let mut aggs: Vec<Aggregator<'_, '_>> = bufs
        .iter_mut()
        .map(|b| {
            let a = Aggregator::new(b, max_size).unwrap();
            match shards {
                Some(count) => a.with_shards(Shards::Layout {
                    layout: Layout::Aws,
                    count,
                }),
                None => a,
            }
        })
        .collect();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut sent = Vec::new();
    let emit = |a: &mut Aggregator<'_, '_>, m: &mut Vec<usize>, sent: &mut Vec<Sent>| {
        if let Some(e) = a.finish() {
            sent.push(Sent {
                data: e.data.to_vec(),
                pk: e.partition_key.to_owned(),
                ehk: e.explicit_hash_key().map(str::to_owned),
                members: std::mem::take(m),
                max_size,
                shards,
            });
        }
        a.clear();
    };
    for (i, r) in records.iter().enumerate() {
        let shard = match shards {
            Some(count) => Layout::Aws
                .shard_index(count, route(&r.pk, r.ehk.as_deref()).unwrap())
                .unwrap() as usize,
            None => 0,
        };
        let a = &mut aggs[shard];
        match a.push(&record(r)) {
            Ok(()) => {}
            Err(AggregateError::Full) => {
                emit(a, &mut members[shard], &mut sent);
                a.push(&record(r)).unwrap();
            }
            Err(e) => panic!("record {i}: {e}"),
        }
        members[shard].push(i);
    }
    for (a, m) in aggs.iter_mut().zip(&mut members) {
        emit(a, m, &mut sent);
    }
    sent
}

/// `cases` sets of random records, each aggregated here with the next max size and shard
/// count of the lists: every record, and every entry sent (members index the records).
fn aggregate_cases(
    mut rng: Rng,
    cases: usize,
    max_sizes: &[usize],
    shards: &[Option<u32>],
) -> (Vec<UserRec>, Vec<Sent>) {
    let mut all_records = Vec::new();
    let mut sent = Vec::new();
    for case in 0..cases {
        let records = random_records(&mut rng, 1 + case % 7 * 20);
        let max_size = max_sizes[case % max_sizes.len()];
        let shards = shards[case / max_sizes.len() % shards.len()];
        let base = all_records.len();
        for mut s in aggregate_here(&records, max_size, shards) {
            s.members.iter_mut().for_each(|m| *m += base);
            sent.push(s);
        }
        all_records.extend(records);
    }
    (all_records, sent)
}

#[test]
fn aggregates_made_here_read_back_in_python_and_protobuf() {
    let test = "aggregates_made_here_read_back_in_python_and_protobuf";
    let Some(python) = peers::python(test) else {
        return;
    };
    let (all_records, sent) = aggregate_cases(
        Rng(0x6b70_6c5f_7065_6572),
        60,
        &[51_200, 4_096, 2_500, 1024 * 1024],
        &[None, Some(4), Some(1), Some(7)],
    );
    let path = std::env::temp_dir().join(format!("kpl_read_{}.jsonl", std::process::id()));
    let lines: String = sent
        .iter()
        .map(|s| format!("{{\"data\":\"{}\"}}\n", B64.encode(&s.data)))
        .collect();
    std::fs::write(&path, lines).unwrap();
    let out = peers::command(python, "kpl_agg.py")
        .arg("read")
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "kpl_agg.py read failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), sent.len());
    let mut aggregates = 0;
    let mut lone = 0;
    let mut covered = vec![false; all_records.len()];
    for (s, answer) in sent.iter().zip(&answers) {
        let members: Vec<&UserRec> = s.members.iter().map(|&i| &all_records[i]).collect();
        for &i in &s.members {
            assert!(!covered[i], "record {i} sent twice");
            covered[i] = true;
        }
        // No entry over the limit: data plus partition key.
        assert!(s.data.len() + s.pk.len() <= s.max_size);
        if let Some(count) = s.shards {
            let outer = HashKey::parse(s.ehk.as_deref().unwrap_or("0")).unwrap();
            let outer = if s.members.len() == 1 {
                route(&s.pk, s.ehk.as_deref()).unwrap()
            } else {
                outer
            };
            let shard = Layout::Aws.shard_index(count, outer);
            for m in &members {
                let key = route(&m.pk, m.ehk.as_deref()).unwrap();
                assert_eq!(
                    Layout::Aws.shard_index(count, key),
                    shard,
                    "one shard per aggregate"
                );
            }
        }
        if members.len() == 1 {
            // A lone record goes out as it came: not an aggregate to anyone.
            lone += 1;
            let m = members[0];
            assert_eq!((&s.data, &s.pk, &s.ehk), (&m.data, &m.pk, &m.ehk));
            assert!(answer["deagg"].is_null() && answer["protobuf"].is_null());
            continue;
        }
        aggregates += 1;
        // The KPL's outer keys.
        assert_eq!(s.pk, "a");
        let first = members[0];
        let first_key = route(&first.pk, first.ehk.as_deref()).unwrap().to_string();
        assert_eq!(s.ehk.as_deref(), Some(first_key.as_str()));

        // protobuf, with the schema: the tables resolve to the records, in order.
        let pb = &answer["protobuf"];
        let pk_table: Vec<&str> = pb["pk_table"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let ehk_table: Vec<&str> = pb["ehk_table"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let pb_records = pb["records"].as_array().unwrap();
        assert_eq!(pb_records.len(), members.len());
        for (r, m) in pb_records.iter().zip(&members) {
            let pk = pk_table[r["pk_index"].as_u64().unwrap() as usize];
            let ehk = r["ehk_index"]
                .as_u64()
                .map(|i| ehk_table[i as usize].to_owned());
            assert_eq!(
                (pk, &ehk, b64(&r["data"])),
                (m.pk.as_str(), &m.ehk, m.data.clone())
            );
        }
        // Shared keys: each table entry is distinct while the index has room.
        if pk_table.len() <= INDEXED_KEYS {
            let mut seen = pk_table.clone();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), pk_table.len(), "partition keys not shared");
        }

        // The library's deaggregator: the same records, but its explicit hash key mistake.
        let deagg = answer["deagg"]
            .as_array()
            .expect("an aggregate to the library");
        assert_eq!(deagg.len(), members.len());
        for (i, (t, m)) in deagg.iter().zip(&members).enumerate() {
            assert_eq!(t["sub"], i);
            assert_eq!(t["pk"].as_str(), Some(m.pk.as_str()));
            assert_eq!(b64(&t["data"]), m.data);
            let expected = m.ehk.as_deref().or(ehk_table.first().copied());
            assert_eq!(t["ehk"].as_str(), expected);
        }
        // And here, as the KCL reads it.
        let d = deaggregate(&s.data);
        assert_eq!(
            d.outcome(),
            Outcome::Aggregated {
                records: members.len()
            }
        );
        let mine: Vec<UserRec> = d
            .records()
            .map(|r| UserRec {
                pk: r.partition_key_str().unwrap().to_owned(),
                ehk: r.explicit_hash_key_str().map(str::to_owned),
                data: r.data.to_vec(),
            })
            .collect();
        assert_eq!(mine, members.into_iter().cloned().collect::<Vec<_>>());
    }
    assert!(covered.iter().all(|&c| c), "every record sent");
    assert!(
        aggregates > 50 && lone > 5,
        "{aggregates} aggregates, {lone} lone records"
    );
}

fn json_lines(out: std::process::Output) -> Vec<Value> {
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn records_json(records: &[UserRec]) -> String {
    let records: Vec<Value> = records
        .iter()
        .map(|r| serde_json::json!({"pk": r.pk, "ehk": r.ehk, "data": B64.encode(&r.data)}))
        .collect();
    serde_json::json!({ "records": records }).to_string()
}

/// The user records of an aggregate as this crate reads it (the KCL's reading).
fn read_here(data: &[u8]) -> (Outcome<'_>, Vec<UserRec>) {
    let d = deaggregate(data);
    let records = d
        .records()
        .enumerate()
        .map(|(i, r)| {
            assert_eq!(r.sub_sequence_number, i as u64);
            UserRec {
                pk: r.partition_key_str().unwrap().to_owned(),
                ehk: r.explicit_hash_key_str().map(str::to_owned),
                data: r.data.to_vec(),
            }
        })
        .collect();
    (d.outcome(), records)
}

/// Distinct keys in order of first use.
fn first_use_order<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut order = Vec::new();
    for k in keys {
        if !order.contains(&k) {
            order.push(k);
        }
    }
    order
}

/// `Object.keys` of an object whose keys were added in first-use order: the array-index keys
/// (canonical decimals below 2^32 − 1) first in ascending numeric order, then the others in
/// the order they were added (ECMA-262 OrdinaryOwnPropertyKeys).
fn js_object_keys<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let array_index = |k: &str| -> Option<u32> {
        let canonical = k == "0" || (!k.starts_with('0') && k.bytes().all(|b| b.is_ascii_digit()));
        k.parse::<u32>()
            .ok()
            .filter(|&v| canonical && v != u32::MAX)
    };
    let order = first_use_order(keys);
    let mut indexes: Vec<&str> = order
        .iter()
        .copied()
        .filter(|k| array_index(k).is_some())
        .collect();
    indexes.sort_by_key(|k| array_index(k));
    indexes.extend(order.iter().copied().filter(|k| array_index(k).is_none()));
    indexes
}

#[test]
fn npm_aggregates_decode_here_to_their_user_records() {
    let test = "npm_aggregates_decode_here_to_their_user_records";
    let mut rng = Rng(0x6e70_6d5f_6167_6772);
    // Keys may not be empty for the library; data of 0 bytes is kept.
    let sets: Vec<Vec<UserRec>> = (0..80)
        .map(|i| random_records(&mut rng, 1 + i % 9 * 15))
        .collect();
    let input: String = sets.iter().map(|s| records_json(s) + "\n").collect();
    let Some(out) = node_peers::run(test, "kpl_agg.js", &["aggregate"], input.as_bytes()) else {
        return;
    };
    let answers = json_lines(out);
    assert_eq!(answers.len(), sets.len());
    let (mut records, mut scrambled) = (0, 0);
    for (set, answer) in sets.iter().zip(&answers) {
        // Every set fits one entry (the library's limit is about 1 MiB).
        let entries = answer["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 1);
        let entry = &entries[0];
        let data = b64(&entry["data"]);
        // The library aggregates even a lone record; the KCL reads every one of them.
        let (outcome, mine) = read_here(&data);
        assert_eq!(outcome, Outcome::Aggregated { records: set.len() });
        // Its tables are a JavaScript object's keys, and such an object lists keys that look
        // like array indexes ("0", "17") first, in numeric order: a record whose key moved
        // points at another record's key. The KCL (and this crate) read what was written.
        let pk_table = js_object_keys(set.iter().map(|r| r.pk.as_str()));
        let first_use = first_use_order(set.iter().map(|r| r.pk.as_str()));
        let ehk_table = js_object_keys(set.iter().filter_map(|r| r.ehk.as_deref()));
        let ehk_first_use = first_use_order(set.iter().filter_map(|r| r.ehk.as_deref()));
        for (i, (m, r)) in mine.iter().zip(set).enumerate() {
            let index = first_use.iter().position(|k| *k == r.pk).unwrap();
            assert_eq!(m.pk, pk_table[index], "record {i}");
            scrambled += usize::from(m.pk != r.pk);
            let ehk = r
                .ehk
                .as_deref()
                .map(|k| ehk_table[ehk_first_use.iter().position(|e| *e == k).unwrap()].to_owned());
            assert_eq!(m.ehk, ehk, "record {i}");
            assert!(m.data == r.data, "record {i}: other data");
        }
        // Its outer keys: the first record's partition key, and its explicit hash key only
        // when the first record has one.
        assert_eq!(entry["pk"].as_str(), Some(set[0].pk.as_str()));
        assert_eq!(opt_str(&entry["ehk"]), set[0].ehk);
        records += set.len();
    }
    assert!(records > 3_000, "{records} records");
    assert!(
        scrambled > 10,
        "the library's key reordering shown {scrambled} times"
    );
}

#[test]
fn aggregates_made_here_read_back_by_the_npm_library() {
    let test = "aggregates_made_here_read_back_by_the_npm_library";
    let (all_records, sent) = aggregate_cases(
        Rng(0x6e70_6d5f_7265_6164),
        40,
        &[51_200, 4_096, 1024 * 1024],
        &[None, Some(4)],
    );
    // Each entry as sent, then the aggregates again with one byte of the digest changed.
    let mut inputs: Vec<Vec<u8>> = sent.iter().map(|s| s.data.clone()).collect();
    let corrupted: Vec<usize> = (0..sent.len())
        .filter(|&i| sent[i].members.len() > 1)
        .collect();
    for &i in &corrupted {
        let mut data = sent[i].data.clone();
        *data.last_mut().unwrap() ^= 1;
        inputs.push(data);
    }
    let input: String = inputs
        .iter()
        .map(|d| format!("{{\"data\":\"{}\"}}\n", B64.encode(d)))
        .collect();
    let Some(out) = node_peers::run(test, "kpl_agg.js", &["deaggregate"], input.as_bytes()) else {
        return;
    };
    let answers = json_lines(out);
    assert_eq!(answers.len(), inputs.len());
    let (mut aggregates, mut lone) = (0, 0);
    for (s, answer) in sent.iter().zip(&answers) {
        let members: Vec<&UserRec> = s.members.iter().map(|&i| &all_records[i]).collect();
        let theirs = answer["records"].as_array().expect("read by the library");
        if members.len() == 1 {
            // A lone record goes out as it came; the library hands it back unchanged.
            lone += 1;
            assert_eq!(theirs.len(), 1);
            assert_eq!(b64(&theirs[0]["data"]), members[0].data);
            assert!(!deaggregate(&s.data).is_aggregate());
            continue;
        }
        aggregates += 1;
        let (_, mine) = read_here(&s.data);
        assert_eq!(mine, members.iter().copied().cloned().collect::<Vec<_>>());
        assert_eq!(theirs.len(), members.len());
        let first_ehk = members.iter().find_map(|m| m.ehk.as_deref());
        for (i, (t, m)) in theirs.iter().zip(&members).enumerate() {
            assert_eq!(t["sub"], i);
            assert_eq!(t["pk"].as_str(), Some(m.pk.as_str()));
            assert_eq!(b64(&t["data"]), m.data);
            // The same mistake as the Python library's: a record without an explicit hash
            // key gets entry 0 of a non-empty table (here the first record's key that has
            // one, as the tables are in order of first use). The KCL says none.
            assert_eq!(t["ehk"].as_str(), m.ehk.as_deref().or(first_ehk));
        }
    }
    // A wrong digest: the library refuses the record, the KCL passes it through unchanged.
    for (&i, answer) in corrupted.iter().zip(&answers[sent.len()..]) {
        assert!(
            answer["error"].as_str().unwrap().contains("checksum"),
            "{answer}"
        );
        let mut data = sent[i].data.clone();
        *data.last_mut().unwrap() ^= 1;
        assert!(matches!(
            deaggregate(&data).outcome(),
            Outcome::PassThrough(PassThrough::DigestMismatch { .. })
        ));
    }
    assert!(
        aggregates > 30 && lone > 3,
        "{aggregates} aggregates, {lone} lone records"
    );
}
