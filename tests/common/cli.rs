//! The built `kinesis-codec` binary, run by the CLI tests (`tests/cli_*.rs`): a command, its
//! input fed from a thread (so a large output never blocks on a full input pipe), and its
//! output as JSON lines.

#![allow(dead_code)] // each test file uses part of it

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The binary Cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_kinesis-codec");

/// The binary with `args`.
pub fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args);
    cmd
}

/// Runs the binary with `args`, feeding `stdin`.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    run_command(command(args), stdin)
}

/// Runs `cmd`, feeding `stdin`. The binary may exit before reading it all (a usage error, a
/// bad frame or line): the closed pipe that leaves is no failure here.
pub fn run_command(mut cmd: Command, stdin: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start kinesis-codec");
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait for kinesis-codec");
    writer.join().expect("stdin writer");
    out
}

/// Each line of `stdout` as one JSON value.
pub fn json_lines(stdout: &[u8]) -> Vec<Value> {
    std::str::from_utf8(stdout)
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON value"))
        .collect()
}

/// The JSON lines of a run that must have succeeded (status 0; its stderr shown if not).
pub fn lines(out: &Output) -> Vec<Value> {
    assert!(
        out.status.success(),
        "exit {}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    json_lines(&out.stdout)
}
