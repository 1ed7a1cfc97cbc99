//! `kinesis-codec validate`: one body in, the service's answer out, and the exit statuses of
//! DESIGN.md (0 answered, 1 unreadable input, 2 unusable command line).

#[path = "common/cli.rs"]
mod cli;

use serde_json::{json, Value};
use std::process::Output;

fn validate(args: &[&str], stdin: &[u8]) -> Output {
    let mut cmd = cli::command(&["validate"]);
    cmd.args(args);
    cli::run_command(cmd, stdin)
}

fn answer(out: &Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(
        text.ends_with('\n') && text.matches('\n').count() == 1,
        "{text:?}"
    );
    serde_json::from_str(&text).unwrap()
}

#[test]
fn a_valid_body_is_valid() {
    let kinesis = ["--service", "kinesis", "--operation", "PutRecord"];
    let body = br#"{"StreamName":"s","Data":"aGk=","PartitionKey":"k"}"#;
    assert_eq!(answer(&validate(&kinesis, body)), json!({"valid": true}));
    assert_eq!(
        answer(&validate(&[&kinesis[..], &["-"]].concat(), body)),
        json!({"valid": true})
    );
    let firehose = ["--service", "firehose", "--operation", "PutRecord"];
    let body = br#"{"DeliveryStreamName":"d","Record":{"Data":"aGk="}}"#;
    assert_eq!(answer(&validate(&firehose, body)), json!({"valid": true}));
}

#[test]
fn an_invalid_body_gets_the_services_answer() {
    let args = ["--service", "kinesis", "--operation", "CreateStream"];
    let out = validate(&args, br#"{"StreamName":"s","ShardCount":0}"#);
    assert_eq!(
        answer(&out),
        json!({
            "valid": false,
            "type": "ValidationException",
            "message": "1 validation error detected: Value '0' at 'shardCount' failed to satisfy \
                        constraint: Member must have value greater than or equal to 1",
        })
    );
    // Missing required members, each a null item.
    let args = ["--service", "kinesis", "--operation", "GetShardIterator"];
    let a = answer(&validate(&args, b"{}"));
    assert_eq!(a["type"], "ValidationException");
    let message = a["message"].as_str().unwrap();
    assert!(
        message.starts_with("2 validation errors detected: "),
        "{message}"
    );
    assert!(
        message.contains("Value null at 'shardId'")
            && message.contains("Value null at 'shardIteratorType'")
    );
    // The wrong type, or no JSON at all.
    for body in [&br#"{"StreamName":5,"ShardCount":1}"#[..], b"{nope"] {
        let args = ["--service", "kinesis", "--operation", "CreateStream"];
        let a = answer(&validate(&args, body));
        assert_eq!(a["valid"], false);
        assert_eq!(a["type"], "SerializationException");
        assert!(a["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // From a file.
    let dir = std::env::temp_dir().join(format!("cli_validate_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("body.json");
    std::fs::write(&file, br#"{"DeliveryStreamName":""}"#).unwrap();
    let file = file.to_str().unwrap();
    let a = answer(&validate(
        &[
            "--service",
            "firehose",
            "--operation",
            "DeleteDeliveryStream",
            file,
        ],
        b"",
    ));
    assert_eq!(a["type"], "ValidationException");
    assert!(a["message"]
        .as_str()
        .unwrap()
        .contains("at 'deliveryStreamName'"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn exit_statuses() {
    let status = |args: &[&str]| validate(args, b"{}").status.code();
    // 2: the command line is unusable.
    assert_eq!(status(&[]), Some(2));
    assert_eq!(status(&["--service", "kinesis"]), Some(2));
    assert_eq!(
        status(&["--service", "sqs", "--operation", "PutRecord"]),
        Some(2)
    );
    assert_eq!(
        status(&["--service", "kinesis", "--operation", "Nope"]),
        Some(2)
    );
    assert_eq!(
        status(&[
            "--service",
            "kinesis",
            "--operation",
            "PutRecord",
            "--bogus"
        ]),
        Some(2)
    );
    assert_eq!(
        status(&["--service", "kinesis", "--operation", "PutRecord", "a", "b"]),
        Some(2)
    );
    // 1: the input cannot be read.
    assert_eq!(
        status(&[
            "--service",
            "kinesis",
            "--operation",
            "PutRecord",
            "/nonexistent/body.json"
        ]),
        Some(1)
    );
    // --help answers on standard output.
    let out = validate(&["--help"], b"");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("kinesis-codec validate --service"));
}
