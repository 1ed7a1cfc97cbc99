//! What every subcommand shares at its edges: the three exit statuses, opening `[FILE|-]`,
//! and writing to standard output so that a reader that goes away ends the run quietly.
//!
//! Exit status: 0 done ([`ExitCode::SUCCESS`]), [`BAD_INPUT`] (1: the input is bad, and the message on standard
//! error names where; a FILE that cannot be opened or read is input the user gave, so it is 1
//! too, with `cannot open <path>: <os error>`), [`UNUSABLE`] (2: the command line is unusable;
//! nothing is read). A closed standard output (`| head -1`) is a successful end, with no
//! message: the reader has all it wanted.

use std::fs::File;
use std::io::{self, Read, Write};
use std::process::ExitCode;

/// Exit status 1: the input is bad (or cannot be read, or the output cannot be written).
pub const BAD_INPUT: u8 = 1;
/// Exit status 2: the command line is unusable.
pub const UNUSABLE: u8 = 2;

/// The sentence each usage text ends with, so every subcommand documents the same rule.
pub const EXIT_STATUS: &str = "\
Exit status: 0 done; 1 the input is bad (one line on stderr naming where), also a FILE that
cannot be opened (`cannot open <path>: <os error>`) or read; 2 the command line is unusable.
A closed standard output (`| head -1`) ends the run quietly with status 0.";

/// Writes `text` to standard output (help, version): status 0, also when stdout is closed.
pub fn print_stdout(text: &str) -> ExitCode {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => output_failed(&e),
    }
}

/// The end of a run whose output failed: quiet success for a closed pipe, else status 1.
pub fn output_failed(e: &io::Error) -> ExitCode {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    say!("kinesis-codec: writing standard output: {e}");
    ExitCode::from(BAD_INPUT)
}

/// The end of a run that wrote through `out`: flushes it, then [`output_failed`] on an error.
pub fn finish(result: io::Result<()>, out: &mut dyn Write) -> ExitCode {
    match result.and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => output_failed(&e),
    }
}

/// Where input comes from, for messages: the path, or standard input.
pub fn input_name(path: Option<&str>) -> &str {
    match path {
        None | Some("-") => "standard input",
        Some(p) => p,
    }
}

/// Opens `FILE` (`-` or absent: standard input). On failure the message names the path and
/// the status is [`BAD_INPUT`].
pub fn open_input(command: &str, path: Option<&str>) -> Result<Box<dyn Read>, ExitCode> {
    match path {
        None | Some("-") => Ok(Box::new(io::stdin().lock())),
        Some(p) => File::open(p)
            .map(|f| Box::new(f) as Box<dyn Read>)
            .map_err(|e| {
                say!("kinesis-codec {command}: cannot open {p}: {e}");
                ExitCode::from(BAD_INPUT)
            }),
    }
}

/// Reads all of `FILE` (or standard input) into memory, at most `limit` bytes.
pub fn read_all(command: &str, path: Option<&str>, limit: u64) -> Result<Vec<u8>, ExitCode> {
    let input = open_input(command, path)?;
    let mut buf = Vec::new();
    let name = input_name(path);
    match input.take(limit.saturating_add(1)).read_to_end(&mut buf) {
        Ok(_) if u64::try_from(buf.len()).is_ok_and(|n| n <= limit) => Ok(buf),
        Ok(_) => {
            say!("kinesis-codec {command}: cannot read {name}: more than {limit} bytes");
            Err(ExitCode::from(BAD_INPUT))
        }
        Err(e) => {
            say!("kinesis-codec {command}: cannot read {name}: {e}");
            Err(ExitCode::from(BAD_INPUT))
        }
    }
}
