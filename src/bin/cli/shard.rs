//! `kinesis-codec shard`: the shard each partition key goes to in a freshly created stream.
//!
//! `shard --shards N [--layout aws|kinesis-mock] [--explicit-hash-key K] KEY...` prints one
//! JSON line per key: `{"partition_key","hash_key","shard_index","shard_id"}`. With `--jsonl`
//! it reads `{"partition_key": "...", "explicit_hash_key": "..."}` lines from standard input
//! and answers each, in order, with such a line or `{"error": "..."}`.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use kinesis_codec::hashkey::{route, HashKey, Layout, RouteError, Shard, ShardMap};
use serde::{Deserialize, Serialize};

const USAGE: &str = "\
usage: kinesis-codec shard --shards N [--layout aws|kinesis-mock] [--explicit-hash-key K] KEY...
       kinesis-codec shard --shards N [--layout aws|kinesis-mock] --jsonl";

/// The largest `--shards` the tool builds a map for (each shard takes 48 bytes).
const MAX_SHARDS: u32 = 1_000_000;

#[derive(Serialize)]
struct Answer<'a> {
    partition_key: &'a str,
    hash_key: String,
    shard_index: u64,
    shard_id: String,
}

#[derive(Serialize)]
struct Refusal {
    error: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    partition_key: String,
    #[serde(default)]
    explicit_hash_key: Option<String>,
}

fn bad(message: &str) -> ExitCode {
    eprintln!("kinesis-codec shard: {message}\n{USAGE}");
    ExitCode::from(2)
}

fn answer(map: &ShardMap<'_>, partition_key: &str, key: HashKey) -> Result<String, String> {
    let shard = map.find(key);
    serde_json::to_string(&Answer {
        partition_key,
        hash_key: key.to_string(),
        shard_index: shard.id.index(),
        shard_id: shard.id.to_string(),
    })
    .map_err(|e| e.to_string())
}

fn answer_line(map: &ShardMap<'_>, line: &[u8]) -> String {
    let result = serde_json::from_slice::<Request>(line)
        .map_err(|e| format!("bad request line: {e}"))
        .and_then(|req| {
            let key = route(&req.partition_key, req.explicit_hash_key.as_deref()).map_err(|e| {
                let value = req.explicit_hash_key.as_deref().unwrap_or_default();
                match e {
                    RouteError::InvalidExplicitHashKey(reason) => {
                        format!("{} ({reason})", e.message(value))
                    }
                    other => other.to_string(),
                }
            })?;
            answer(map, &req.partition_key, key)
        });
    result.unwrap_or_else(|error| {
        serde_json::to_string(&Refusal { error })
            .unwrap_or_else(|_| String::from("{\"error\":\"unprintable error\"}"))
    })
}

pub fn run(args: &[String]) -> ExitCode {
    let mut shards: Option<u32> = None;
    let mut layout = Layout::Aws;
    let mut explicit: Option<String> = None;
    let mut jsonl = false;
    let mut keys: Vec<&str> = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        match name {
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "--" => {
                keys.extend(it.by_ref().map(String::as_str));
            }
            "--jsonl" => jsonl = true,
            "--shards" | "--layout" | "--explicit-hash-key" => {
                let Some(value) = inline.or_else(|| it.next().cloned()) else {
                    return bad(&format!("{name} needs a value"));
                };
                match name {
                    "--shards" => match value.parse::<u32>() {
                        Ok(n) if (1..=MAX_SHARDS).contains(&n) => shards = Some(n),
                        _ => {
                            return bad(&format!(
                                "--shards must be from 1 to {MAX_SHARDS}, not `{value}`"
                            ))
                        }
                    },
                    "--layout" => match value.parse() {
                        Ok(l) => layout = l,
                        Err(e) => return bad(&format!("--layout {value}: {e}")),
                    },
                    _ => explicit = Some(value),
                }
            }
            _ if arg.starts_with("--") => return bad(&format!("unknown option `{arg}`")),
            _ => keys.push(arg),
        }
    }
    let Some(n) = shards else {
        return bad("missing --shards N");
    };
    if jsonl && (!keys.is_empty() || explicit.is_some()) {
        return bad("--jsonl reads keys from standard input; give no KEY or --explicit-hash-key");
    }
    if !jsonl && keys.is_empty() {
        return bad("no KEY given (or use --jsonl)");
    }
    let explicit_key = match explicit.as_deref().map(|k| (k, HashKey::parse(k))) {
        None => None,
        Some((_, Ok(key))) => Some(key),
        Some((text, Err(e))) => return bad(&format!("--explicit-hash-key {text:?}: {e}")),
    };

    let Ok(ranges) = layout.ranges(n) else {
        return bad("--shards must be at least 1");
    };
    let table: Vec<Shard> = ranges
        .enumerate()
        .filter_map(|(i, _)| layout.shard(n, i as u32))
        .collect();
    let map = match ShardMap::new(&table) {
        Ok(map) => map,
        Err(e) => {
            eprintln!("kinesis-codec shard: internal error: layout is not a valid map: {e}");
            return ExitCode::from(1);
        }
    };

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if jsonl {
        let mut input = io::stdin().lock();
        let mut line = Vec::new();
        loop {
            line.clear();
            match input.read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    eprintln!("kinesis-codec shard: reading standard input: {e}");
                    return ExitCode::from(1);
                }
            }
            let reply = answer_line(&map, &line);
            // Flush each answer: callers may talk to the tool one line at a time.
            if writeln!(out, "{reply}").and_then(|()| out.flush()).is_err() {
                return ExitCode::from(1);
            }
        }
    } else {
        for key in keys {
            let hash = explicit_key.unwrap_or_else(|| HashKey::from_partition_key(key));
            let line = match answer(&map, key, hash) {
                Ok(line) => line,
                Err(e) => {
                    eprintln!("kinesis-codec shard: {e}");
                    return ExitCode::from(1);
                }
            };
            if writeln!(out, "{line}").is_err() {
                return ExitCode::from(1);
            }
        }
    }
    if out.flush().is_err() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
