//! `kinesis-codec sign` (DESIGN.md): the headers it prints are the ones botocore 1.44.5 sets for
//! the same request at the same time, and its command line follows the tool's rules.

#[path = "common/cli.rs"]
mod cli;
#[path = "common/peers.rs"]
mod peers;

use std::io::Write as _;
use std::process::{Output, Stdio};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::{json, Value};

const ID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn run(args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> Output {
    let mut cmd = cli::command(&["sign"]);
    cmd.args(args);
    for var in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    cli::run_command(cmd, stdin)
}

fn creds(token: Option<&str>) -> Vec<(&str, &str)> {
    let mut v = vec![("AWS_ACCESS_KEY_ID", ID), ("AWS_SECRET_ACCESS_KEY", SECRET)];
    if let Some(t) = token {
        v.push(("AWS_SESSION_TOKEN", t));
    }
    v
}

struct Case {
    service: &'static str,
    region: &'static str,
    target: &'static str,
    host: Option<&'static str>,
    content_type: &'static str,
    token: Option<&'static str>,
    body: Vec<u8>,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            service: "kinesis",
            region: "us-east-1",
            target: "PutRecords",
            host: None,
            content_type: "json",
            token: None,
            body: br#"{"StreamName":"s","Records":[{"Data":"aGk=","PartitionKey":"k"}]}"#.to_vec(),
        },
        Case {
            service: "kinesis",
            region: "eu-west-1",
            target: "Kinesis_20131202.GetRecords",
            host: Some("localhost:4567"),
            content_type: "cbor",
            token: Some("FwoGZXIvYXdzEBYaDEXAMPLETOKEN+/=="),
            body: vec![0xbf, 0x6d, 0xff, 0x00, 0x80],
        },
        Case {
            service: "firehose",
            region: "ap-southeast-5",
            target: "PutRecordBatch",
            host: None,
            content_type: "json",
            token: None,
            body: Vec::new(),
        },
        Case {
            service: "firehose",
            region: "us-gov-west-1",
            target: "ListDeliveryStreams",
            host: Some("[::1]:8443"),
            content_type: "json",
            token: Some("token"),
            body: b"{}".to_vec(),
        },
    ]
}

#[test]
fn prints_the_headers_botocore_sets() {
    let test = "prints_the_headers_botocore_sets";
    let Some(python) = peers::python(test) else {
        return;
    };
    let date = "20261201T093000Z";
    let cases = cases();
    let mut input = String::new();
    let mut ours = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let mut args = vec![
            "--service",
            c.service,
            "--region",
            c.region,
            "--target",
            c.target,
            "--date",
            date,
            "--content-type",
            c.content_type,
        ];
        if let Some(h) = c.host {
            args.extend(["--host", h]);
        }
        let out = run(&args, &creds(c.token), &c.body);
        assert!(
            out.status.success(),
            "case {i}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains(SECRET), "the secret must never be printed");
        assert_eq!(text.lines().count(), 1);
        let printed: Value = serde_json::from_str(&text).unwrap();
        let prefix = if c.service == "kinesis" {
            "Kinesis_20131202."
        } else {
            "Firehose_20150804."
        };
        let target = if c.target.contains('.') {
            c.target.to_string()
        } else {
            format!("{prefix}{}", c.target)
        };
        let host = c
            .host
            .map(String::from)
            .unwrap_or(format!("{}.{}.amazonaws.com", c.service, c.region));
        let content_type = format!("application/x-amz-{}-1.1", c.content_type);
        let line = json!({
            "id": i, "access_key_id": ID, "secret_access_key": SECRET, "session_token": c.token,
            "region": c.region, "service": c.service, "amz_date": date, "host": host,
            "target": target, "content_type": content_type, "body_base64": B64.encode(&c.body),
        });
        input.push_str(&format!("{line}\n"));
        ours.push(printed);
    }
    let mut child = peers::command(python, "sigv4_botocore.py")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(theirs.len(), ours.len());
    for (i, (ours, theirs)) in ours.iter().zip(&theirs).enumerate() {
        assert_eq!(ours, &theirs["headers"], "case {i}");
    }
}

#[test]
fn names_the_order_of_its_headers() {
    let out = run(
        &[
            "--service",
            "kinesis",
            "--region",
            "us-east-1",
            "--target",
            "PutRecord",
            "--date",
            "20261201T093000Z",
        ],
        &creds(Some("t")),
        b"{}",
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let keys: Vec<&str> = [
        "host",
        "x-amz-date",
        "x-amz-target",
        "content-type",
        "x-amz-security-token",
        "authorization",
    ]
    .into_iter()
    .filter(|k| text.contains(&format!("\"{k}\":")))
    .collect();
    assert_eq!(keys.len(), 6, "{text}");
    let positions: Vec<usize> = keys
        .iter()
        .map(|k| text.find(&format!("\"{k}\":")).unwrap())
        .collect();
    let sorted = {
        let mut p = positions.clone();
        p.sort();
        p
    };
    assert_eq!(positions, sorted, "DESIGN.md's order: {text}");
    assert!(
        text.contains(r#""x-amz-target":"Kinesis_20131202.PutRecord""#),
        "{text}"
    );
    assert!(
        text.contains(r#""host":"kinesis.us-east-1.amazonaws.com""#),
        "{text}"
    );
}

#[test]
fn command_line_rules() {
    let base = [
        "--service",
        "kinesis",
        "--region",
        "us-east-1",
        "--target",
        "PutRecord",
    ];
    // No credentials in the environment: unusable, and the message names the variables.
    let out = run(&base, &[], b"{}");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("AWS_SECRET_ACCESS_KEY"));
    assert!(out.stdout.is_empty());
    for (args, why) in [
        (
            vec![
                "--service",
                "s3",
                "--region",
                "us-east-1",
                "--target",
                "PutRecord",
            ],
            "--service",
        ),
        (
            vec!["--service", "kinesis", "--target", "PutRecord"],
            "required",
        ),
        (
            vec![
                "--service",
                "kinesis",
                "--region",
                "us east",
                "--target",
                "PutRecord",
            ],
            "region",
        ),
        (
            vec![
                "--service",
                "kinesis",
                "--region",
                "us-east-1",
                "--target",
                "Firehose_20150804.PutRecord",
            ],
            "target",
        ),
        (
            vec![
                "--service",
                "kinesis",
                "--region",
                "us-east-1",
                "--target",
                "PutRecord",
                "--date",
                "20260231T000000Z",
            ],
            "--date",
        ),
        (
            vec![
                "--service",
                "kinesis",
                "--region",
                "us-east-1",
                "--target",
                "PutRecord",
                "--host",
                "a b",
            ],
            "host",
        ),
        (
            vec![
                "--service",
                "kinesis",
                "--region",
                "us-east-1",
                "--target",
                "PutRecord",
                "--secret",
                "x",
            ],
            "unknown option",
        ),
    ] {
        let out = run(&args, &creds(None), b"{}");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(why), "{args:?}: {err}");
    }
    // A FILE that cannot be opened is bad input.
    let mut args = base.to_vec();
    args.push("/nonexistent/body.json");
    let out = run(&args, &creds(None), b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open /nonexistent/body.json"));
    // --help: status 0, and it says where credentials come from.
    let out = run(&["--help"], &[], b"");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("AWS_SESSION_TOKEN"));
}
