//! `kinesis-codec`: the command-line tool (feature `cli`).
//!
//! Subcommands: `frames decode|encode`, `shard`, `ranges`, `wire`, `validate`,
//! `kpl deaggregate|aggregate`, `sign`.
//! See `--help`.

#![forbid(unsafe_code)]
// Bad input gets a message and an exit status, never a panic: the lints that find panics.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation
)]

use std::process::ExitCode;

/// Writes a message line to standard error, ignoring a failure to write it: `eprintln!` panics
/// when stderr is closed, and a message nobody can read must not change the exit status.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// [`say!`] without the line end.
macro_rules! say_part {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

#[path = "cli/frames.rs"]
mod frames;
#[path = "cli/frames_decode.rs"]
mod frames_decode;
#[path = "cli/frames_encode.rs"]
mod frames_encode;
#[path = "cli/kpl.rs"]
mod kpl;
#[path = "cli/lines.rs"]
mod lines;
#[path = "cli/ranges.rs"]
mod ranges;
#[path = "cli/shard.rs"]
mod shard;
#[path = "cli/sign.rs"]
mod sign;
#[path = "cli/stdio.rs"]
mod stdio;
#[path = "cli/validate.rs"]
mod validate;
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
    kinesis-codec wire --jsonl [FILE|-]
    kinesis-codec validate --service kinesis|firehose --operation NAME [FILE|-]
    kinesis-codec kpl deaggregate [--shard-range START:END] [FILE|-]
    kinesis-codec kpl aggregate [--shards N [--layout aws|kinesis-mock]] [--max-size BYTES] [FILE|-]
    kinesis-codec sign --service kinesis|firehose --region R --target OPERATION [--host H]
        [--date YYYYMMDDTHHMMSSZ] [--content-type json|cbor] [FILE|-]
    kinesis-codec --version

Each subcommand answers --help. Input is read from FILE, or from standard input when FILE is
`-` or absent.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else {
        say_part!("{USAGE}\n{}\n", stdio::EXIT_STATUS);
        return ExitCode::from(stdio::UNUSABLE);
    };
    match cmd.as_str() {
        "frames" => frames::run(rest),
        "kpl" => kpl::run(rest),
        "shard" => shard::run(rest),
        "ranges" => ranges::run(rest),
        "wire" => wire::run(rest),
        "validate" => validate::run(rest),
        "sign" => sign::run(rest),
        "-h" | "--help" | "help" => {
            stdio::print_stdout(&format!("{USAGE}\n{}\n", stdio::EXIT_STATUS))
        }
        "-V" | "--version" => {
            stdio::print_stdout(concat!("kinesis-codec ", env!("CARGO_PKG_VERSION"), "\n"))
        }
        other => {
            say!("kinesis-codec: unknown command `{other}`\n\n{USAGE}");
            ExitCode::from(stdio::UNUSABLE)
        }
    }
}
