//! `kinesis-codec kpl deaggregate|aggregate`: KPL aggregated records, as the KCL reads them and
//! as the KPL writes them.
//!
//! - `kpl deaggregate [--shard-range START:END] [FILE|-]`: one record's raw `Data` in; one JSON
//!   object out: `{"outcome","reason","records":[{"sub_sequence_number","partition_key",
//!   "explicit_hash_key","hash_key","data"}]}`, what a KCL consumer hands the application and
//!   why. Exit status 0 for every outcome.
//! - `kpl aggregate [--shards N [--layout aws|kinesis-mock]] [--max-size BYTES] [FILE|-]`: JSON
//!   lines of user records `{"partition_key","explicit_hash_key","data"}` in; JSON lines of
//!   PutRecords entries `{"PartitionKey","ExplicitHashKey","Data"}` out, by the KPL's rules.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::process::ExitCode;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use kinesis_codec::hashkey::{route, HashKeyRange, Layout, MAX_LAYOUT_SHARDS};
use kinesis_codec::kpl::{
    deaggregate_for_shard, AggregateError, Aggregator, Outcome, Shards, BUFFER_SLACK,
    DEFAULT_MAX_SIZE, MAX_SIZE_LIMIT,
};
use kinesis_codec::producer::Record;
use serde::{Deserialize, Serialize};

use super::stdio;

/// The most `kpl deaggregate` reads: one record's Data is at most the service's 10 MiB.
const MAX_RECORD: u64 = MAX_SIZE_LIMIT as u64;
/// The most `kpl aggregate` reads: 1 GiB of JSON lines.
const MAX_LINES: u64 = 1 << 30;

const USAGE: &str = "\
usage: kinesis-codec kpl deaggregate [--shard-range START:END] [FILE|-]
       kinesis-codec kpl aggregate [--shards N [--layout aws|kinesis-mock]] [--max-size BYTES] [FILE|-]

deaggregate: one record's raw Data bytes in (after base64 decoding); one JSON object out:
  {\"outcome\": \"aggregated\"|\"passthrough\"|\"dropped\"|\"truncated\", \"reason\", \"records\": [...]},
  what a KCL consumer hands the application and why. --shard-range: the consuming shard's
  hash key range, decimal bounds inclusive (default: the whole space).
aggregate: JSON lines {\"partition_key\", \"explicit_hash_key\" (optional), \"data\" (base64)} in;
  JSON lines of PutRecords entries {\"PartitionKey\", \"ExplicitHashKey\", \"Data\"} out, by the
  KPL's rules. --shards N: aggregates hold records of one shard of that layout only.
  --max-size: most bytes of Data plus PartitionKey per entry (default 51200, the KPL's).

Input is read from FILE, or from standard input when FILE is `-` or absent: at most 10 MiB
for deaggregate, 1 GiB for aggregate.";

fn bad(message: &str) -> ExitCode {
    say!("kinesis-codec kpl: {message}\n{USAGE}");
    ExitCode::from(stdio::UNUSABLE)
}

fn help() -> ExitCode {
    stdio::print_stdout(&format!("{USAGE}\n{}\n", stdio::EXIT_STATUS))
}

pub fn run(args: &[String]) -> ExitCode {
    let Some((cmd, rest)) = args.split_first() else {
        return bad("missing `deaggregate` or `aggregate`");
    };
    if matches!(cmd.as_str(), "-h" | "--help") {
        return help();
    }
    if cmd != "deaggregate" && cmd != "aggregate" {
        return bad(&format!("unknown subcommand `{cmd}`"));
    }
    let mut path: Option<&str> = None;
    let mut options: BTreeMap<&str, String> = BTreeMap::new();
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let takes_value = match (cmd.as_str(), name) {
            (_, "-h" | "--help") => return help(),
            ("deaggregate", "--shard-range") => true,
            ("aggregate", "--shards" | "--layout" | "--max-size") => true,
            _ if name.starts_with('-') && name != "-" => {
                return bad(&format!("{cmd}: unknown option `{arg}`"));
            }
            _ => false,
        };
        if takes_value {
            let Some(value) = inline.or_else(|| it.next().cloned()) else {
                return bad(&format!("{name} needs a value"));
            };
            options.insert(name, value);
        } else if path.replace(arg).is_some() {
            return bad("more than one input");
        }
    }
    if cmd == "deaggregate" {
        let range = match options.get("--shard-range") {
            None => HashKeyRange::FULL,
            Some(text) => {
                let parsed = text
                    .split_once(':')
                    .ok_or_else(|| "expected START:END".to_owned())
                    .and_then(|(s, e)| HashKeyRange::parse(s, e).map_err(|e| e.to_string()));
                match parsed {
                    Ok(r) => r,
                    Err(e) => return bad(&format!("--shard-range {text}: {e}")),
                }
            }
        };
        match stdio::read_all("kpl deaggregate", path, MAX_RECORD) {
            Ok(input) => deaggregate_command(&input, range),
            Err(status) => status,
        }
    } else {
        let max_size = match options.get("--max-size").map(|v| (v, v.parse::<usize>())) {
            None => DEFAULT_MAX_SIZE,
            Some((_, Ok(n))) if (1..=MAX_SIZE_LIMIT).contains(&n) => n,
            Some((v, _)) => {
                return bad(&format!(
                    "--max-size must be from 1 to {MAX_SIZE_LIMIT}, not `{v}`"
                ))
            }
        };
        let layout = match options.get("--layout").map(|v| (v, v.parse::<Layout>())) {
            None => Layout::Aws,
            Some((_, Ok(l))) => l,
            Some((v, Err(e))) => return bad(&format!("--layout {v}: {e}")),
        };
        let shards = match options.get("--shards").map(|v| (v, v.parse::<u32>())) {
            None => {
                if options.contains_key("--layout") {
                    return bad("--layout needs --shards");
                }
                None
            }
            Some((_, Ok(n))) if (1..=MAX_LAYOUT_SHARDS).contains(&n) => Some(n),
            Some((v, _)) => {
                return bad(&format!(
                    "--shards must be from 1 to {MAX_LAYOUT_SHARDS}, not `{v}`"
                ))
            }
        };
        match stdio::read_all("kpl aggregate", path, MAX_LINES) {
            Ok(input) => aggregate_command(&input, max_size, shards.map(|count| (layout, count))),
            Err(status) => status,
        }
    }
}

#[derive(Serialize)]
struct Deaggregation {
    outcome: &'static str,
    reason: String,
    records: Vec<UserRecordOut>,
}

#[derive(Serialize)]
struct UserRecordOut {
    sub_sequence_number: u64,
    partition_key: String,
    explicit_hash_key: Option<String>,
    hash_key: Option<String>,
    data: String,
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn deaggregate_command(input: &[u8], range: HashKeyRange) -> ExitCode {
    let d = deaggregate_for_shard(input, range);
    let reason = match d.outcome() {
        Outcome::Aggregated { records } => format!("an aggregate of {records} user records"),
        Outcome::PassThrough(why) => format!("{why}; the KCL hands the record over unchanged"),
        Outcome::Dropped(drop) => {
            let key = match (drop.hash_key, drop.explicit_hash_key) {
                (Some(k), _) => format!("hash key {k}"),
                (None, ehk) => format!(
                    "explicit hash key {} (outside 0..=2^128-1)",
                    lossy(ehk.unwrap_or_default())
                ),
            };
            format!(
                "sub-record {} has {key}, outside the shard's range {}:{}; the KCL drops the whole aggregate",
                drop.sub_record,
                range.start(),
                range.end()
            )
        }
        Outcome::Truncated { records, error } => format!(
            "sub-record {records}: {error}; the KCL keeps the {records} before it and logs the error"
        ),
        _ => String::from("unknown outcome"),
    };
    let records = d
        .records()
        .map(|r| UserRecordOut {
            sub_sequence_number: r.sub_sequence_number,
            partition_key: lossy(r.partition_key),
            explicit_hash_key: r.explicit_hash_key.map(lossy),
            hash_key: r.hash_key().map(|k| k.to_string()),
            data: B64.encode(r.data),
        })
        .collect();
    let answer = Deaggregation {
        outcome: d.outcome().name(),
        reason,
        records,
    };
    let mut out = io::stdout().lock();
    let written = serde_json::to_writer(&mut out, &answer)
        .map_err(io::Error::from)
        .and_then(|()| out.write_all(b"\n"));
    stdio::finish(written, &mut out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserRecordIn {
    partition_key: String,
    #[serde(default)]
    explicit_hash_key: Option<String>,
    data: String,
}

#[derive(Serialize)]
struct EntryOut<'a> {
    #[serde(rename = "PartitionKey")]
    partition_key: &'a str,
    #[serde(rename = "ExplicitHashKey", skip_serializing_if = "Option::is_none")]
    explicit_hash_key: Option<&'a str>,
    #[serde(rename = "Data")]
    data: String,
}

/// Writes the entry of `agg` (if any) and empties it.
fn emit(agg: &mut Aggregator<'_, '_>, out: &mut impl Write) -> io::Result<()> {
    if let Some(e) = agg.finish() {
        let line = serde_json::to_string(&EntryOut {
            partition_key: e.partition_key,
            explicit_hash_key: e.explicit_hash_key(),
            data: B64.encode(e.data),
        })?;
        writeln!(out, "{line}")?;
    }
    agg.clear();
    Ok(())
}

fn aggregate_command(input: &[u8], max_size: usize, shards: Option<(Layout, u32)>) -> ExitCode {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    // One open aggregate per shard seen. Each borrows a buffer that lives as long as the
    // process (leaked on purpose: the tool exits when done).
    let mut open: BTreeMap<usize, Aggregator<'static, 'static>> = BTreeMap::new();
    // At most this many aggregates are open at once (64 MiB of buffers, at least one): a shard
    // beyond them first sends every open aggregate, then reuses an emptied one, so input that
    // spreads over many shards costs bounded memory (order within each shard is kept).
    let buffer_len = max_size.saturating_add(BUFFER_SLACK);
    let max_open = (64usize << 20).checked_div(buffer_len).unwrap_or(1).max(1);
    let new_aggregator = || -> Aggregator<'static, 'static> {
        let buf: &'static mut [u8] = Box::leak(vec![0u8; buffer_len].into_boxed_slice());
        let agg = match Aggregator::new(buf, max_size) {
            Ok(a) => a,
            Err(_) => unreachable!("max_size was checked"),
        };
        match shards {
            Some((layout, count)) => agg.with_shards(Shards::Layout { layout, count }),
            None => agg,
        }
    };
    let mut failure = None;
    for (n, line) in input.split(|&b| b == b'\n').enumerate() {
        let line_no = n.saturating_add(1);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let parsed = serde_json::from_slice::<UserRecordIn>(line)
            .map_err(|e| format!("not a user record: {e}"))
            .and_then(|r| {
                let data = B64
                    .decode(&r.data)
                    .map_err(|e| format!("data is not base64: {e}"))?;
                Ok((r, data))
            });
        let (r, data) = match parsed {
            Ok(v) => v,
            Err(e) => {
                failure = Some(format!("line {line_no}: {e}"));
                break;
            }
        };
        let record = Record {
            data: &data,
            partition_key: &r.partition_key,
            explicit_hash_key: r.explicit_hash_key.as_deref(),
        };
        let shard = match (
            shards,
            route(&r.partition_key, r.explicit_hash_key.as_deref()),
        ) {
            (Some((layout, count)), Ok(key)) => {
                layout.shard_index(count, key).map_or(0, |i| i as usize)
            }
            _ => 0,
        };
        if !open.contains_key(&shard) && open.len() >= max_open {
            for agg in open.values_mut() {
                if let Err(e) = emit(agg, &mut out) {
                    return stdio::output_failed(&e);
                }
            }
            if let Some((_, emptied)) = open.pop_first() {
                open.insert(shard, emptied);
            }
        }
        let agg = open.entry(shard).or_insert_with(new_aggregator);
        let mut result = agg.push(&record);
        if result == Err(AggregateError::Full) {
            if let Err(e) = emit(agg, &mut out) {
                return stdio::output_failed(&e);
            }
            result = agg.push(&record);
        }
        if let Err(e) = result {
            failure = Some(format!("line {line_no}: {e}"));
            break;
        }
    }
    // The records before a bad line are sent; shards in order.
    let written = open.values_mut().try_for_each(|agg| emit(agg, &mut out));
    let status = stdio::finish(written, &mut out);
    match failure {
        // A bad line: the entries before it were written, and the input is still bad.
        Some(message) if status == ExitCode::SUCCESS => {
            say!("kinesis-codec kpl aggregate: {message}");
            ExitCode::from(stdio::BAD_INPUT)
        }
        _ => status,
    }
}
