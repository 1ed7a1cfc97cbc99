//! `kinesis-codec shard`: the shard each partition key goes to in a freshly created stream.
//!
//! `shard --shards N [--layout aws|kinesis-mock] [--explicit-hash-key K] KEY...` prints one
//! JSON line per key: `{"partition_key","hash_key","shard_index","shard_id"}`. With `--jsonl`
//! it reads `{"partition_key": "...", "explicit_hash_key": "..."}` lines from standard input
//! and answers each, in order, with such a line or `{"error": "..."}`.

use std::io::{self, Write};
use std::process::ExitCode;

use kinesis_codec::hashkey::{route, HashKey, Layout, OwnedShardMap, RouteError, ShardMap};
use serde::{Deserialize, Serialize};

use crate::lines::{Line, Lines};
use crate::ranges::shard_count;
use crate::stdio;

const USAGE: &str = "\
usage: kinesis-codec shard --shards N [--layout aws|kinesis-mock] [--explicit-hash-key K] KEY...
       kinesis-codec shard --shards N [--layout aws|kinesis-mock] --jsonl";

/// The help text: usage, the `--jsonl` contract, the exit statuses.
fn help() -> String {
    format!(
        "{USAGE}\n\nOne JSON line per key: {{\"partition_key\",\"hash_key\",\"shard_index\",\"shard_id\"}}, \
         for a stream of N shards\n(1 to {MAX}) as CreateStream makes them. --jsonl reads lines \
         {{\"partition_key\",\"explicit_hash_key\"?}} from\nstandard input and answers each, in \
         order, with such a line or {{\"error\"}} (a blank line, a line that is\nnot UTF-8 or not \
         such an object included); a bad line never stops the lines after it.\n\n{}\n",
        stdio::EXIT_STATUS,
        MAX = kinesis_codec::hashkey::MAX_LAYOUT_SHARDS,
    )
}

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
    say!("kinesis-codec shard: {message}\n{USAGE}");
    ExitCode::from(stdio::UNUSABLE)
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

fn answer_line(map: &ShardMap<'_>, line: &Line<'_>) -> String {
    let text = match line {
        Line::Text(text) => Ok(*text),
        other => Err(other.refusal().unwrap_or_default()),
    };
    let result = text
        .and_then(|text| {
            serde_json::from_str::<Request>(text).map_err(|e| format!("bad request line: {e}"))
        })
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
            "-h" | "--help" => return stdio::print_stdout(&help()),
            "--" => {
                keys.extend(it.by_ref().map(String::as_str));
            }
            "--jsonl" => jsonl = true,
            "--shards" | "--layout" | "--explicit-hash-key" => {
                let Some(value) = inline.or_else(|| it.next().cloned()) else {
                    return bad(&format!("{name} needs a value"));
                };
                match name {
                    "--shards" => match shard_count("--shards", &value) {
                        Ok(n) => shards = Some(n),
                        Err(e) => return bad(&e),
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

    let stream = match OwnedShardMap::from_layout(layout, n) {
        Ok(stream) => stream,
        Err(e) => return bad(&format!("--shards {n}: {e}")),
    };
    let map = stream.as_map();

    let mut out = io::BufWriter::new(io::stdout().lock());
    if jsonl {
        let mut lines = Lines::new(io::stdin().lock());
        loop {
            let line = match lines.next_line() {
                Ok(Some(line)) => line,
                Ok(None) => break,
                Err(e) => {
                    let _ = out.flush();
                    say!("kinesis-codec shard: cannot read standard input: {e}");
                    return ExitCode::from(stdio::BAD_INPUT);
                }
            };
            let reply = answer_line(&map, &line);
            // Flush each answer: callers may talk to the tool one line at a time.
            if let Err(e) = writeln!(out, "{reply}").and_then(|()| out.flush()) {
                return stdio::output_failed(&e);
            }
        }
        stdio::finish(Ok(()), &mut out)
    } else {
        let written = keys.iter().try_for_each(|key| {
            let hash = explicit_key.unwrap_or_else(|| HashKey::from_partition_key(key));
            let line = answer(&map, key, hash).map_err(io::Error::other)?;
            writeln!(out, "{line}")
        });
        stdio::finish(written, &mut out)
    }
}
