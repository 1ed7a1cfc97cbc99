//! `kinesis-codec wire`: the whole botocore corpus through the binary with `--jsonl`, every answer
//! compared with botocore's value (as `tests/wire_conformance.rs` does for the library), and the
//! single-body mode's output and exit statuses.

#[path = "common/cli.rs"]
mod cli;
mod wire_canon;

use cli::run_command as run_with_stdin;
use serde_json::{json, Value};
use wire_canon::{Case, Model, Parsed};

/// The CLI's answer to one case, in the shape the shared comparison takes.
fn parsed_from_answer(case: &Case, answer: &Value) -> Result<Parsed, String> {
    assert_eq!(
        answer["id"].as_str(),
        Some(case.id.as_str()),
        "answers out of order"
    );
    if answer["ok"] != Value::Bool(true) {
        return Err(answer["error"].as_str().expect("error message").to_string());
    }
    let body = answer["body"]
        .as_str()
        .expect("body string")
        .as_bytes()
        .to_vec();
    if case.kind != "error" {
        return Ok(Parsed::Body(body));
    }
    let v: Value =
        serde_json::from_slice(&body).map_err(|e| format!("our error body is not JSON: {e}"))?;
    let code = wire_canon::type_to_code(v["__type"].as_str().unwrap_or_default()).to_string();
    let message = Some(wire_canon::body_message(&v)).filter(|m| !m.is_empty());
    Ok(Parsed::Error {
        code,
        message,
        body,
    })
}

#[test]
fn jsonl_over_the_botocore_corpus() {
    let dir = wire_canon::root().join("tests/data/wire/botocore");
    let mut failures = Vec::new();
    let mut total = 0;
    for service in ["kinesis", "firehose"] {
        let model = Model::load(service);
        let cases = wire_canon::read_cases(&dir.join(format!("{service}.jsonl")));
        let lines: Vec<Value> = cases
            .iter()
            .map(|c| {
                let mut line = json!({"id": c.id, "service": c.service, "operation": c.operation, "kind": c.kind, "body": c.body});
                if let Some(s) = c.status {
                    line["status"] = json!(s);
                }
                line
            })
            .collect();
        let answers = jsonl(&lines);
        for (case, answer) in cases.iter().zip(&answers) {
            total += 1;
            let parsed = parsed_from_answer(case, answer);
            if let Err(msg) = wire_canon::compare_with_botocore(&model, case, parsed) {
                failures.push(format!("{}: {msg}", case.id));
            }
        }
        eprintln!(
            "{service}: {} cases through `kinesis-codec wire --jsonl`",
            cases.len()
        );
    }
    assert!(total > 2000);
    assert!(
        failures.is_empty(),
        "{} of {total} failed:\n{}",
        failures.len(),
        failures[..failures.len().min(30)].join("\n")
    );
}

/// Runs `wire --jsonl` over `lines`; one answer per line.
fn jsonl(lines: &[Value]) -> Vec<Value> {
    let mut input = String::new();
    for line in lines {
        input.push_str(&line.to_string());
        input.push('\n');
    }
    let mut cmd = cli::command(&[]);
    cmd.args(["wire", "--jsonl"]);
    let out = run_with_stdin(cmd, input.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("answer line is JSON"))
        .collect();
    assert_eq!(answers.len(), lines.len(), "one answer per line");
    answers
}

/// DESIGN.md's `wire` with `"to": "cbor"` and `"protocol": "cbor"`: every botocore case is
/// converted to CBOR (`body_base64`), the CBOR converted back to JSON, and that JSON compared
/// with botocore's value, as for the plain JSON run.
#[test]
fn jsonl_converts_the_botocore_corpus_to_cbor_and_back() {
    let dir = wire_canon::root().join("tests/data/wire/botocore");
    let mut failures = Vec::new();
    let mut total = 0;
    for service in ["kinesis", "firehose"] {
        let model = Model::load(service);
        let cases = wire_canon::read_cases(&dir.join(format!("{service}.jsonl")));
        let line = |c: &Case| {
            let mut line =
                json!({"id": c.id, "service": c.service, "operation": c.operation, "kind": c.kind});
            if let Some(s) = c.status {
                line["status"] = json!(s);
            }
            line
        };
        let to_cbor: Vec<Value> = cases
            .iter()
            .map(|c| {
                let mut l = line(c);
                l["body"] = json!(c.body);
                l["to"] = json!("cbor");
                l
            })
            .collect();
        let cbor = jsonl(&to_cbor);
        let back: Vec<Value> = cases
            .iter()
            .zip(&cbor)
            .map(|(c, answer)| {
                let mut l = line(c);
                l["protocol"] = json!("cbor");
                l["to"] = json!("json");
                match answer["body_base64"].as_str() {
                    Some(b64) => l["body_base64"] = json!(b64),
                    // A body that did not parse as JSON: the conversion must fail the same way.
                    None => l["body_base64"] = json!("!"),
                }
                l
            })
            .collect();
        let json_again = jsonl(&back);
        for ((case, first), answer) in cases.iter().zip(&cbor).zip(&json_again) {
            total += 1;
            let parsed = if first["ok"] == Value::Bool(true) {
                assert!(
                    first.get("body").is_none(),
                    "{}: CBOR answers carry body_base64",
                    case.id
                );
                parsed_from_answer(case, answer)
            } else {
                Err(first["error"].as_str().expect("error message").to_string())
            };
            if let Err(msg) = wire_canon::compare_with_botocore(&model, case, parsed) {
                failures.push(format!("{}: {msg}", case.id));
            }
        }
    }
    assert!(total > 2000);
    assert!(
        failures.is_empty(),
        "{} of {total} failed:\n{}",
        failures.len(),
        failures[..failures.len().min(30)].join("\n")
    );
}

#[test]
fn jsonl_answers_bad_lines_in_order() {
    let input = "not json\n{\"id\":7,\"service\":\"kinesis\"}\n\
        {\"id\":\"x\",\"service\":\"kinesis\",\"operation\":\"NoSuchOp\",\"kind\":\"request\",\"body\":\"{}\"}\n\
        {\"id\":\"y\",\"service\":\"kinesis\",\"operation\":\"ListStreams\",\"kind\":\"request\",\"body\":\"{}\"}\n";
    let mut cmd = cli::command(&[]);
    cmd.args(["wire", "--jsonl", "-"]);
    let out = run_with_stdin(cmd, input.as_bytes());
    assert!(out.status.success());
    let answers: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), 4);
    assert_eq!(answers[0]["ok"], json!(false));
    assert_eq!(answers[1]["id"], json!(7));
    assert_eq!(answers[1]["ok"], json!(false));
    assert!(answers[2]["error"].as_str().unwrap().contains("NoSuchOp"));
    assert_eq!(answers[3], json!({"id": "y", "ok": true, "body": "{}"}));
}

#[test]
fn jsonl_answers_every_line_invalid_utf8_and_blank_included() {
    let good = |id: &str| {
        format!(
            "{{\"id\":\"{id}\",\"service\":\"kinesis\",\"operation\":\"ListStreams\",\"kind\":\"request\",\"body\":\"{{}}\"}}\n"
        )
    };
    let mut input = Vec::new();
    input.extend_from_slice(good("a").as_bytes());
    input.extend_from_slice(b"{\"id\":\"\xff\xfe\"}\n"); // invalid UTF-8
    input.extend_from_slice(b"\n"); // blank
    input.extend_from_slice(b"   \r\n"); // blank, CRLF
    input.extend_from_slice(good("b").as_bytes());
    input.extend_from_slice(b"[1,2]\n"); // JSON, not an object
    input.extend_from_slice(good("c").trim_end().as_bytes()); // no final newline
    let mut cmd = cli::command(&[]);
    cmd.args(["wire", "--jsonl"]);
    let out = run_with_stdin(cmd, &input);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), 7, "{answers:?}");
    assert_eq!(answers[0], json!({"id": "a", "ok": true, "body": "{}"}));
    for i in [1, 2, 3, 5] {
        assert_eq!(answers[i]["id"], Value::Null, "line {i}: {}", answers[i]);
        assert_eq!(answers[i]["ok"], json!(false), "line {i}");
        assert!(answers[i]["error"].is_string(), "line {i}");
    }
    assert!(answers[1]["error"].as_str().unwrap().contains("UTF-8"));
    assert!(answers[2]["error"].as_str().unwrap().contains("blank"));
    assert_eq!(answers[4], json!({"id": "b", "ok": true, "body": "{}"}));
    assert_eq!(answers[6], json!({"id": "c", "ok": true, "body": "{}"}));
}

#[test]
fn single_body_prints_the_reserialization() {
    // A GetRecords response as a server sends it (timestamp in exponent form, `\/` escapes).
    let body = br#"{"Records":[{"SequenceNumber":"1","ApproximateArrivalTimestamp":1.441215410867E9,"Data":"\/\/79","PartitionKey":"a\/b"}],"MillisBehindLatest":9223372036854775807}"#;
    let mut cmd = cli::command(&[]);
    cmd.args([
        "wire",
        "--service",
        "kinesis",
        "--operation",
        "GetRecords",
        "--kind",
        "response",
    ]);
    let out = run_with_stdin(cmd, body);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &v["Records"][0];
    assert_eq!(r["Data"], json!("//79"));
    assert_eq!(r["PartitionKey"], json!("a/b"));
    assert_eq!(
        wire_canon::seconds_to_millis(&r["ApproximateArrivalTimestamp"]),
        Some(1_441_215_410_867)
    );
    assert_eq!(v["MillisBehindLatest"].as_i64(), Some(i64::MAX));
}

#[test]
fn single_body_from_a_file_and_event_kind() {
    let path = std::env::temp_dir().join(format!(
        "kinesis-codec-cli-wire-{}.json",
        std::process::id()
    ));
    std::fs::write(
        &path,
        br#"{"Records":[],"ContinuationSequenceNumber":"9","MillisBehindLatest":0}"#,
    )
    .unwrap();
    let out = cli::command(&[])
        .args([
            "wire",
            "--service",
            "kinesis",
            "--operation",
            "SubscribeToShard",
            "--kind",
            "event",
        ])
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ContinuationSequenceNumber"], json!("9"));
    assert_eq!(v["Records"], json!([]));
}

#[test]
fn bad_body_exits_1_naming_the_path() {
    let body = br#"{"StreamName":"s","Records":[{"Data":"QUJD","PartitionKey":"a"},{"Data":"not base64!","PartitionKey":"b"}]}"#;
    let mut cmd = cli::command(&[]);
    cmd.args([
        "wire",
        "--service",
        "kinesis",
        "--operation",
        "PutRecords",
        "--kind",
        "request",
        "-",
    ]);
    let out = run_with_stdin(cmd, body);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Records[1].Data"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["wire"],
        vec![
            "wire",
            "--service",
            "sqs",
            "--operation",
            "X",
            "--kind",
            "request",
        ],
        vec![
            "wire",
            "--service",
            "kinesis",
            "--operation",
            "ListStreams",
            "--kind",
            "frame",
        ],
        vec!["wire", "--bogus"],
    ] {
        let mut cmd = cli::command(&[]);
        cmd.args(&args);
        let out = run_with_stdin(cmd, b"{}");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn jsonl_line_over_the_cap_gets_its_answer_and_the_next_line_too() {
    let mut input = vec![b'a'; 64 * 1024 * 1024 + 1];
    input.extend_from_slice(b"\n{\"id\":1,\"service\":\"kinesis\",\"operation\":\"ListStreams\",\"kind\":\"request\",\"body\":\"{}\"}\n");
    let mut cmd = cli::command(&[]);
    cmd.args(["wire", "--jsonl"]);
    let out = run_with_stdin(cmd, &input);
    assert_eq!(out.status.code(), Some(0));
    let answers: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[0]["ok"], json!(false));
    assert!(answers[0]["error"]
        .as_str()
        .unwrap()
        .contains("over 67108864 bytes"));
    assert_eq!(answers[1], json!({"id": 1, "ok": true, "body": "{}"}));
}

/// `--to cbor` writes the raw CBOR bytes (no newline); `--protocol cbor` reads them back.
#[test]
fn single_body_converts_between_protocols() {
    let json = br#"{"StreamName":"orders","Records":[{"Data":"aGVsbG8=","PartitionKey":"a"}]}"#;
    let args = [
        "wire",
        "--service",
        "kinesis",
        "--operation",
        "PutRecords",
        "--kind",
        "request",
    ];
    let mut cmd = cli::command(&[]);
    cmd.args(args).args(["--to", "cbor"]);
    let cbor = run_with_stdin(cmd, json);
    assert!(
        cbor.status.success(),
        "{}",
        String::from_utf8_lossy(&cbor.stderr)
    );
    // {"Records": [{"Data": h'68656c6c6f', "PartitionKey": "a"}], "StreamName": "orders"}
    let mut want = vec![0xa2, 0x67];
    want.extend_from_slice(b"Records");
    want.extend_from_slice(&[0x81, 0xa2, 0x64]);
    want.extend_from_slice(b"Data");
    want.push(0x45);
    want.extend_from_slice(b"hello");
    want.push(0x6c);
    want.extend_from_slice(b"PartitionKey");
    want.extend_from_slice(&[0x61, b'a', 0x6a]);
    want.extend_from_slice(b"StreamName");
    want.push(0x66);
    want.extend_from_slice(b"orders");
    assert_eq!(cbor.stdout, want);
    let mut cmd = cli::command(&[]);
    cmd.args(args).args(["--protocol", "cbor", "--to", "json"]);
    let back = run_with_stdin(cmd, &cbor.stdout);
    assert!(back.status.success());
    assert_eq!(
        String::from_utf8(back.stdout).unwrap(),
        "{\"Records\":[{\"Data\":\"aGVsbG8=\",\"PartitionKey\":\"a\"}],\"StreamName\":\"orders\"}\n"
    );
    // A cut CBOR body: exit 1, the path and the byte offset named.
    let mut cmd = cli::command(&[]);
    cmd.args(args).args(["--protocol", "cbor"]);
    let bad = run_with_stdin(cmd, &cbor.stdout[..cbor.stdout.len() - 2]);
    assert_eq!(bad.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("$.StreamName") && stderr.contains("byte"),
        "{stderr}"
    );
    // An unknown protocol is a usage error.
    let mut cmd = cli::command(&[]);
    cmd.args(args).args(["--protocol", "xml"]);
    assert_eq!(run_with_stdin(cmd, json).status.code(), Some(2));
}
