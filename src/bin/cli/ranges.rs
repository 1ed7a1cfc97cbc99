//! Placeholder, replaced before landing.
use std::process::ExitCode;

pub fn run(_args: &[String]) -> ExitCode {
    eprintln!("kinesis-codec: not built yet");
    ExitCode::from(2)
}
