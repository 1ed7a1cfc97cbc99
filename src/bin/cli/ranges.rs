//! `kinesis-codec ranges N [--layout aws|kinesis-mock]`: the CreateStream layout for N shards,
//! one JSON line per shard: `{"shard_id","starting_hash_key","ending_hash_key"}`.

use std::io::{self, Write};
use std::process::ExitCode;

use kinesis_codec::hashkey::{Layout, LayoutError, MAX_LAYOUT_SHARDS};
use serde::Serialize;

use crate::stdio;

const USAGE: &str = "usage: kinesis-codec ranges N [--layout aws|kinesis-mock]";

/// The help text: usage, what it prints, the exit statuses.
fn help() -> String {
    format!(
        "{USAGE}\n\nThe CreateStream layout for N shards (1 to {MAX_LAYOUT_SHARDS}), one JSON line per \
         shard:\n{{\"shard_id\",\"starting_hash_key\",\"ending_hash_key\"}} (decimal strings).\n\n{}\n",
        stdio::EXIT_STATUS
    )
}

#[derive(Serialize)]
struct Line {
    shard_id: String,
    starting_hash_key: String,
    ending_hash_key: String,
}

fn bad(message: &str) -> ExitCode {
    say!("kinesis-codec ranges: {message}\n{USAGE}");
    ExitCode::from(stdio::UNUSABLE)
}

/// A shard count from the command line (`ranges N`, `shard --shards N`): 1 to
/// [`MAX_LAYOUT_SHARDS`], the one cap the crate puts on materialised layouts.
pub fn shard_count(what: &str, value: &str) -> Result<u32, String> {
    match value.parse::<u32>() {
        Ok(0) => Err(format!("{what} {value}: {}", LayoutError::ZeroShards)),
        Ok(n) if n > MAX_LAYOUT_SHARDS => Err(format!(
            "{what} {value}: {}",
            LayoutError::TooManyShards { requested: n }
        )),
        Ok(n) => Ok(n),
        Err(_) => Err(format!(
            "{what} must be a shard count from 1 to {MAX_LAYOUT_SHARDS}, not `{value}`"
        )),
    }
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
            "-h" | "--help" => return stdio::print_stdout(&help()),
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
                match shard_count("N", arg) {
                    Ok(n) => count = Some(n),
                    Err(e) => return bad(&e),
                }
            }
        }
    }
    let Some(n) = count else {
        return bad("missing N (the number of shards)");
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = (0..n).try_for_each(|i| {
        let Some(shard) = layout.shard(n, i) else {
            // 0 <= i < n <= MAX_LAYOUT_SHARDS: every shard of the layout exists.
            return Err(io::Error::other(format!("layout has no shard {i} of {n}")));
        };
        let line = Line {
            shard_id: shard.id.to_string(),
            starting_hash_key: shard.range.start().to_string(),
            ending_hash_key: shard.range.end().to_string(),
        };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")
    });
    stdio::finish(written, &mut out)
}
