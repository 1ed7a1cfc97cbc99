//! The rules every `kinesis-codec` subcommand keeps (DESIGN.md, "The command-line tool"):
//! `--version`; each subcommand's own `--help` on stdout with status 0; exit status 0 done,
//! 1 the input is bad (a FILE that cannot be opened included, named in the message), 2 the
//! command line is unusable; a reader that goes away (`| head -1`) ends the run quietly.

#[path = "common/cli.rs"]
mod cli;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use cli::{run, BIN};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn version_prints_the_package_version() {
    let out = run(&["--version"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("kinesis-codec {}\n", env!("CARGO_PKG_VERSION"))
    );
    assert!(out.stderr.is_empty());
}

#[test]
fn every_subcommand_answers_help_on_stdout() {
    for (args, names) in [
        (&["--help"][..], "frames decode"),
        (&["help"], "ranges N"),
        (&["frames", "--help"], "frames encode"),
        (&["frames", "decode", "--help"], "frames decode"),
        (&["frames", "encode", "--help"], "frames encode"),
        (&["frames", "decode", "-h"], "frames decode"),
        (&["shard", "--help"], "shard --shards N"),
        (&["ranges", "--help"], "ranges N"),
        (&["wire", "--help"], "wire --service"),
        (&["wire", "--jsonl", "--help"], "wire --jsonl"),
    ] {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(out.stderr.is_empty(), "{args:?}: {}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(names), "{args:?}: {text}");
        assert!(text.contains("Exit status"), "{args:?}: {text}");
    }
}

#[test]
fn an_input_file_that_cannot_be_opened_is_bad_input_naming_its_path() {
    let missing = std::env::temp_dir().join(format!(
        "kinesis-codec-no-such-file-{}.bin",
        std::process::id()
    ));
    let path = missing.to_str().unwrap();
    let wire = [
        "wire",
        "--service",
        "kinesis",
        "--operation",
        "ListStreams",
        "--kind",
        "request",
    ];
    for args in [
        vec!["frames", "decode", path],
        vec!["frames", "decode", "--format", "vector", path],
        vec!["frames", "encode", path],
        [&wire[..], &[path]].concat(),
        vec!["wire", "--jsonl", path],
    ] {
        let out = run(&args, b"");
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("cannot open {path}: ")),
            "{args:?}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
}

#[test]
fn unusable_command_lines_exit_2_before_reading_input() {
    for args in [
        &["frames"][..],
        &["frames", "bogus", "/no/such/file"],
        &["frames", "decode", "--format", "yaml"],
        &["frames", "decode", "a", "b"],
        &["ranges", "3", "--bogus"],
        &["shard", "--shards", "3"],
        &["wire", "--service", "kinesis"],
        &["wire", "--jsonl", "a", "b"],
        &["kpl"],
        &["kpl", "bogus"],
        &["kpl", "aggregate", "--bogus"],
        &["kpl", "aggregate", "--max-size", "0"],
        &["kpl", "deaggregate", "--shard-range", "5"],
        &["kpl", "deaggregate", "a", "b"],
        &["nosuchcommand"],
        &[],
    ] {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}

/// Starts `args` with stdout on a pipe, reads one line, closes the pipe, and returns the end.
fn read_one_line_then_close(args: &[&str]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with('{'), "{first}");
    // The reader is dropped here, like `head -1` exiting.
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [
        &["ranges", "1000000"][..],
        &["shard", "--shards", "7", "--explicit-hash-key", "5"],
    ] {
        // shard with many keys: enough output to fill the pipe.
        let keys: Vec<String> = (0..20_000).map(|i| format!("key-{i}")).collect();
        let mut all: Vec<&str> = args.to_vec();
        if args[0] == "shard" {
            all.extend(keys.iter().map(String::as_str));
        }
        let out = read_one_line_then_close(&all);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(out.stderr.is_empty(), "{args:?}: {}", stderr(&out));
    }
    // kpl aggregate: 20,000 user records, about one entry each at this size.
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli_rules_kpl_lines.jsonl");
    let lines: String = (0..20_000)
        .map(|i| format!("{{\"partition_key\":\"key-{i}\",\"data\":\"AAAAAAAAAAAAAAAA\"}}\n"))
        .collect();
    std::fs::write(&path, lines).unwrap();
    let out = read_one_line_then_close(&[
        "kpl",
        "aggregate",
        "--max-size",
        "60",
        path.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "kpl aggregate: {}",
        stderr(&out)
    );
    assert!(out.stderr.is_empty(), "kpl aggregate: {}", stderr(&out));
}

#[test]
fn wire_bad_body_is_bad_input_status_1() {
    let args = [
        "wire",
        "--service",
        "kinesis",
        "--operation",
        "PutRecords",
        "--kind",
        "request",
    ];
    let out = run(
        &args,
        br#"{"StreamName":"s","Records":[{"Data":"!","PartitionKey":"a"}]}"#,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("Records[0].Data"), "{}", stderr(&out));
    // An operation the service does not have is a bad command line.
    let out = run(
        &[
            "wire",
            "--service",
            "kinesis",
            "--operation",
            "NoSuchOp",
            "--kind",
            "request",
        ],
        b"{}",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn a_closed_stderr_is_no_panic() {
    // Messages go to a pipe nobody reads: the exit status must still be the rule's.
    for (args, status) in [
        (&["nosuchcommand"][..], 2),
        (&["ranges", "0"], 2),
        (&["frames", "decode", "/no/such/kinesis-codec/file"], 1),
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(BIN)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(writer)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(status), "{args:?}");
    }
}
