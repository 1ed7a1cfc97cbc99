//! `kinesis-codec`: the command-line tool (feature `cli`).
//!
//! Subcommands: `frames decode|encode`, `shard`, `ranges`, `wire`. See `--help`.

use std::process::ExitCode;

#[path = "cli/frames.rs"]
mod frames;
#[path = "cli/ranges.rs"]
mod ranges;
#[path = "cli/shard.rs"]
mod shard;
#[path = "cli/wire.rs"]
mod wire;

const USAGE: &str = "\
kinesis-codec: Kinesis and Firehose wire protocols on the command line

USAGE:
    kinesis-codec frames decode [--format human|vector] [FILE|-]
    kinesis-codec frames encode [FILE|-]
    kinesis-codec shard --shards N [--layout aws|kinesis-mock] [--explicit-hash-key K] KEY...
    kinesis-codec shard --shards N [--layout aws|kinesis-mock] --jsonl
    kinesis-codec ranges N [--layout aws|kinesis-mock]
    kinesis-codec wire --service kinesis|firehose --operation NAME --kind request|response|error|event [FILE|-]
    kinesis-codec wire --jsonl

Input is read from FILE, or from standard input when FILE is `-` or absent.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (cmd, rest) = match args.split_first() {
        Some((cmd, rest)) => (cmd.as_str(), rest),
        None => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match cmd {
        "frames" => frames::run(rest),
        "shard" => shard::run(rest),
        "ranges" => ranges::run(rest),
        "wire" => wire::run(rest),
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        other => {
            eprintln!("kinesis-codec: unknown command `{other}`\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
