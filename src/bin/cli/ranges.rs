//! `kinesis-codec ranges N [--layout aws|kinesis-mock]`: the CreateStream layout for N shards,
//! one JSON line per shard: `{"shard_id","starting_hash_key","ending_hash_key"}`.

use std::io::{self, Write};
use std::process::ExitCode;

use kinesis_codec::hashkey::{Layout, ShardId};
use serde::Serialize;

const USAGE: &str = "usage: kinesis-codec ranges N [--layout aws|kinesis-mock]";

#[derive(Serialize)]
struct Line {
    shard_id: String,
    starting_hash_key: String,
    ending_hash_key: String,
}

fn bad(message: &str) -> ExitCode {
    eprintln!("kinesis-codec ranges: {message}\n{USAGE}");
    ExitCode::from(2)
}

pub fn run(args: &[String]) -> ExitCode {
    let mut count: Option<u32> = None;
    let mut layout = Layout::Aws;
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
            "--layout" => {
                let Some(value) = inline.or_else(|| it.next().cloned()) else {
                    return bad("--layout needs a value");
                };
                layout = match value.parse() {
                    Ok(l) => l,
                    Err(e) => return bad(&format!("--layout {value}: {e}")),
                };
            }
            _ if arg.starts_with('-') => return bad(&format!("unknown option `{arg}`")),
            _ => {
                if count.is_some() {
                    return bad(&format!("unexpected argument `{arg}`"));
                }
                count = match arg.parse::<u32>() {
                    Ok(n) if n >= 1 => Some(n),
                    _ => {
                        return bad(&format!(
                            "N must be a shard count from 1 to {}, not `{arg}`",
                            u32::MAX
                        ))
                    }
                };
            }
        }
    }
    let Some(n) = count else {
        return bad("missing N (the number of shards)");
    };
    let Ok(ranges) = layout.ranges(n) else {
        return bad("N must be at least 1");
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for (i, range) in ranges.enumerate() {
        let Some(id) = ShardId::new(i as u64) else {
            return bad("too many shards");
        };
        let line = Line {
            shard_id: id.to_string(),
            starting_hash_key: range.start().to_string(),
            ending_hash_key: range.end().to_string(),
        };
        let written = serde_json::to_writer(&mut out, &line)
            .map_err(io::Error::from)
            .and_then(|()| out.write_all(b"\n"));
        if written.is_err() {
            return ExitCode::from(1);
        }
    }
    if out.flush().is_err() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
