//! `kinesis-codec kpl aggregate` and `kpl deaggregate`, run as a program.

#[path = "common/cli.rs"]
mod cli;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use cli::{lines, run};
use kinesis_codec::hashkey::{route, Layout};
use serde_json::{json, Value};

/// Partition key, explicit hash key, data.
type UserRec = (String, Option<String>, Vec<u8>);

fn deaggregate(data: &[u8], range: Option<&str>) -> Value {
    let mut args = vec!["kpl", "deaggregate"];
    if let Some(r) = range {
        args.extend(["--shard-range", r]);
    }
    let out = lines(&run(&args, data));
    assert_eq!(out.len(), 1);
    out.into_iter().next().unwrap()
}

#[test]
fn aggregate_then_deaggregate_per_shard_in_order() {
    let mut input = String::new();
    let mut records = Vec::new();
    for i in 0..300u32 {
        let pk = format!("key-{}", i % 23);
        let ehk = (i % 10 == 0)
            .then(|| (u128::from(i) * 0x0123_4567_89ab_cdef_0123_4567_89ab).to_string());
        let data = vec![i as u8; (i as usize * 7) % 300];
        let mut line = json!({"partition_key": pk, "data": B64.encode(&data)});
        if let Some(k) = &ehk {
            line["explicit_hash_key"] = json!(k);
        }
        input.push_str(&line.to_string());
        input.push('\n');
        records.push((pk, ehk, data));
    }
    let max = 2000;
    let out = lines(&run(
        &[
            "kpl",
            "aggregate",
            "--shards",
            "4",
            "--max-size",
            &max.to_string(),
        ],
        input.as_bytes(),
    ));
    let shard_of =
        |pk: &str, ehk: Option<&str>| Layout::Aws.shard_index(4, route(pk, ehk).unwrap()).unwrap();
    let mut back: Vec<Vec<UserRec>> = vec![Vec::new(); 4];
    let mut aggregates = 0;
    for entry in &out {
        let pk = entry["PartitionKey"].as_str().unwrap();
        let ehk = entry["ExplicitHashKey"].as_str();
        let data = B64.decode(entry["Data"].as_str().unwrap()).unwrap();
        assert!(data.len() + pk.len() <= max);
        let shard = shard_of(pk, ehk) as usize;
        if pk != "a" {
            back[shard].push((pk.to_owned(), ehk.map(str::to_owned), data));
            continue;
        }
        aggregates += 1;
        let d = deaggregate(&data, None);
        assert_eq!(d["outcome"], "aggregated");
        for (i, r) in d["records"].as_array().unwrap().iter().enumerate() {
            assert_eq!(r["sub_sequence_number"], i);
            let rpk = r["partition_key"].as_str().unwrap();
            let rehk = r["explicit_hash_key"].as_str();
            assert_eq!(
                r["hash_key"].as_str().unwrap(),
                route(rpk, rehk).unwrap().to_string()
            );
            assert_eq!(
                shard_of(rpk, rehk) as usize,
                shard,
                "one shard per aggregate"
            );
            back[shard].push((
                rpk.to_owned(),
                rehk.map(str::to_owned),
                B64.decode(r["data"].as_str().unwrap()).unwrap(),
            ));
        }
    }
    assert!(aggregates > 10);
    for (shard, got) in back.iter().enumerate() {
        let sent: Vec<_> = records
            .iter()
            .filter(|(pk, ehk, _)| shard_of(pk, ehk.as_deref()) as usize == shard)
            .cloned()
            .collect();
        assert_eq!(got, &sent, "shard {shard}");
    }
}

#[test]
fn deaggregate_names_every_outcome() {
    let d = deaggregate(b"plain bytes", None);
    assert_eq!(d["outcome"], "passthrough");
    assert_eq!(d["records"], json!([]));
    assert!(d["reason"].as_str().unwrap().contains("magic"), "{d}");

    // Two records, the second at the top of the space.
    let input = "{\"partition_key\":\"a\",\"data\":\"AA==\"}\n\
                 {\"partition_key\":\"b\",\"explicit_hash_key\":\"340282366920938463463374607431768211455\",\"data\":\"AQ==\"}\n";
    let out = lines(&run(&["kpl", "aggregate"], input.as_bytes()));
    let data = B64.decode(out[0]["Data"].as_str().unwrap()).unwrap();
    let d = deaggregate(&data, Some("0:340282366920938463463374607431768211454"));
    assert_eq!(d["outcome"], "dropped");
    assert_eq!(d["records"], json!([]));
    let reason = d["reason"].as_str().unwrap();
    assert!(
        reason.contains("sub-record 1")
            && reason.contains("340282366920938463463374607431768211455"),
        "{reason}"
    );

    // A partition key index past the table in the second record: truncated after one.
    let mut pb = vec![0x0a, 0x01, b'k'];
    pb.extend_from_slice(&[0x1a, 0x05, 0x08, 0x00, 0x1a, 0x01, b'x']);
    pb.extend_from_slice(&[0x1a, 0x05, 0x08, 0x07, 0x1a, 0x01, b'y']);
    let mut data = vec![0xf3, 0x89, 0x9a, 0xc2];
    data.extend_from_slice(&pb);
    data.extend_from_slice(&<md5::Md5 as md5::Digest>::digest(&pb));
    let d = deaggregate(&data, None);
    assert_eq!(d["outcome"], "truncated");
    assert_eq!(d["records"].as_array().unwrap().len(), 1);
    assert_eq!(d["records"][0]["data"], B64.encode(b"x"));
}

#[test]
fn unusable_arguments_and_bad_lines() {
    for args in [
        &["kpl"][..],
        &["kpl", "nope"],
        &["kpl", "deaggregate", "--shard-range", "5"],
        &["kpl", "deaggregate", "--shard-range", "9:1"],
        &["kpl", "deaggregate", "--shards", "2"],
        &["kpl", "aggregate", "--max-size", "0"],
        &["kpl", "aggregate", "--shards", "0"],
        &["kpl", "aggregate", "--layout", "aws"],
        &["kpl", "aggregate", "a", "b"],
    ] {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
    }
    // A bad line: the records before it are sent, then exit 1 naming the line.
    let out = run(
        &["kpl", "aggregate"],
        b"{\"partition_key\":\"a\",\"data\":\"AA==\"}\n{\"partition_key\":\"\",\"data\":\"AA==\"}\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed, json!({"PartitionKey": "a", "Data": "AA=="}));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 2"));
}

/// Records spread over more shards than the tool keeps aggregates open for (6 at the 10 MiB
/// limit: 64 MiB of buffers) all come out, in order within each shard.
#[test]
fn many_shards_at_the_largest_size_all_come_out() {
    let n = 40;
    let mut input = String::new();
    for i in 0..n {
        let line =
            json!({"partition_key": format!("key-{i}"), "data": B64.encode(format!("r{i}"))});
        input.push_str(&line.to_string());
        input.push('\n');
    }
    let out = run(
        &[
            "kpl",
            "aggregate",
            "--shards",
            "1000",
            "--max-size",
            "10485760",
        ],
        input.as_bytes(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut seen: Vec<String> = Vec::new();
    for entry in lines(&out) {
        let data = B64.decode(entry["Data"].as_str().unwrap()).unwrap();
        let found = deaggregate(&data, None);
        match found["outcome"].as_str().unwrap() {
            "passthrough" => seen.push(entry["PartitionKey"].as_str().unwrap().to_owned()),
            "aggregated" => {
                for r in found["records"].as_array().unwrap() {
                    seen.push(r["partition_key"].as_str().unwrap().to_owned());
                }
            }
            other => panic!("{other}"),
        }
    }
    seen.sort();
    let mut want: Vec<String> = (0..n).map(|i| format!("key-{i}")).collect();
    want.sort();
    assert_eq!(seen, want);
}
