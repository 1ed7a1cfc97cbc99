//! Runs the built `kinesis-codec frames` tool on the shared conformance vectors and the
//! SubscribeToShard capture.
//!
//! - `--format vector` must print exactly the cross-SDK decoded JSON (aws-sdk-go testdata).
//! - `frames encode` of the pretty-printed decoded vector files must give the encoded files.
//! - `decode | encode` must give back the input bytes, in both forms, for every positive frame
//!   of every shared set and for the capture.
//! - A bad frame: the frames before it on stdout, one line naming the error on stderr, status 1.

#[path = "common/cli.rs"]
mod cli;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use aws_smithy_eventstream::frame::read_message_from;
use aws_smithy_types::event_stream::HeaderValue as SValue;
use cli::{json_lines as lines, run, BIN};
use serde_json::Value;

fn vectors() -> PathBuf {
    // The shared conformance vectors, copied into the repository with their README.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/eventstream")
}

fn capture() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/captures/subscribe_to_shard.bin"),
    )
    .expect("read the capture")
}

fn ok(out: &Output) -> &[u8] {
    assert!(
        out.status.success(),
        "status {:?}, stderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    &out.stdout
}

fn files(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| keep(p.file_name().and_then(|n| n.to_str()).unwrap_or("")))
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no files in {}", dir.display());
    v
}

/// Every whole, valid frame file of the shared sets.
fn positive_frame_files() -> Vec<PathBuf> {
    let v = vectors();
    let mut all = files(&v.join("aws-sdk-go/encoded/positive"), |_| true);
    all.extend(files(&v.join("botocore/positive"), |n| n.ends_with(".bin")));
    all.extend(files(&v.join("smithy-rs/test_data"), |n| {
        n.starts_with("valid_")
    }));
    all.extend(files(&v.join("aws-c-event-stream"), |n| {
        n.ends_with(".bin") && !n.ends_with("_fails.bin") && !n.contains("too_short")
    }));
    all
}

#[test]
fn vector_form_is_the_cross_sdk_decoded_form() {
    let v = vectors();
    for path in files(&v.join("aws-sdk-go/encoded/positive"), |_| true) {
        let name = path.file_name().unwrap();
        let out = run(
            &[
                "frames",
                "decode",
                "--format",
                "vector",
                path.to_str().unwrap(),
            ],
            b"",
        );
        let got = lines(ok(&out));
        let want: Value = serde_json::from_slice(
            &std::fs::read(v.join("aws-sdk-go/decoded/positive").join(name)).unwrap(),
        )
        .unwrap();
        assert_eq!(got, vec![want], "{}", path.display());
    }
}

#[test]
fn encode_builds_the_encoded_vectors_from_the_decoded_files() {
    let v = vectors();
    for path in files(&v.join("aws-sdk-go/decoded/positive"), |_| true) {
        let want = std::fs::read(
            v.join("aws-sdk-go/encoded/positive")
                .join(path.file_name().unwrap()),
        )
        .unwrap();
        let out = run(&["frames", "encode", path.to_str().unwrap()], b"");
        assert_eq!(ok(&out), &want[..], "{}", path.display());
    }
}

#[test]
fn decode_then_encode_gives_back_the_bytes() {
    let mut inputs: Vec<(String, Vec<u8>)> = positive_frame_files()
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    let stream: Vec<u8> = inputs.iter().flat_map(|(_, b)| b.clone()).collect();
    inputs.push(("every positive vector, concatenated".into(), stream));
    inputs.push(("the capture".into(), capture()));
    for (what, bytes) in &inputs {
        for format in ["human", "vector"] {
            let decoded = run(&["frames", "decode", "--format", format], bytes);
            let text = ok(&decoded).to_vec();
            let encoded = run(&["frames", "encode", "-"], &text);
            assert!(
                ok(&encoded) == &bytes[..],
                "{what}: decode --format {format} | encode differs; JSON was:\n{}",
                String::from_utf8_lossy(&text)
            );
        }
    }
}

#[test]
fn human_form_of_the_capture_is_readable() {
    let got = lines(ok(&run(&["frames", "decode", "-"], &capture())));
    assert_eq!(got.len(), 6);
    assert_eq!(got[0]["offset"], 0);
    assert_eq!(got[0]["headers"][1]["name"], ":event-type");
    assert_eq!(got[0]["headers"][1]["type"], "string");
    assert_eq!(got[0]["headers"][1]["value"], "initial-response");
    assert_eq!(got[0]["payload"], serde_json::json!({}));
    // JSON payloads are inline JSON values, not strings.
    assert_eq!(got[1]["payload"]["Records"].as_array().unwrap().len(), 3);
    assert_eq!(got[1]["payload"]["MillisBehindLatest"], 8400);
    assert_eq!(got[1]["offset"], got[0]["length"]);
    assert_eq!(got[5]["headers"][1]["value"], "ResourceInUseException");
    assert!(got[5]["payload"]["message"]
        .as_str()
        .unwrap()
        .starts_with("Another active"));
}

#[test]
fn human_form_shows_every_header_type_readably() {
    let v = vectors();
    let out = run(
        &["frames", "decode"],
        &std::fs::read(v.join("aws-sdk-go/encoded/positive/all_headers")).unwrap(),
    );
    let got = lines(ok(&out));
    let h = &got[0]["headers"];
    let field = |i: usize| {
        (
            h[i]["name"].clone(),
            h[i]["type"].clone(),
            h[i]["value"].clone(),
        )
    };
    let s = |x: &str| Value::String(x.into());
    assert_eq!(field(0), (s("event-type"), s("int32"), 40972.into()));
    assert_eq!(
        field(1),
        (s("content-type"), s("string"), s("application/json"))
    );
    assert_eq!(field(2), (s("bool false"), s("bool"), false.into()));
    assert_eq!(field(3), (s("bool true"), s("bool"), true.into()));
    assert_eq!(field(4), (s("byte"), s("byte"), (-49).into()));
    assert_eq!(
        (h[5]["name"].clone(), h[5]["type"].clone()),
        (s("byte buf"), s("bytes"))
    );
    assert_eq!(h[5]["value"], hex(b"I'm a little teapot!"));
    assert_eq!(field(6), (s("timestamp"), s("timestamp"), 8675309.into()));
    assert_eq!(h[6]["utc"], "1970-01-01T02:24:35.309Z");
    assert_eq!(field(7), (s("int16"), s("int16"), 42.into()));
    assert_eq!(field(8), (s("int64"), s("int64"), 42424242.into()));
    assert_eq!(
        field(9),
        (
            s("uuid"),
            s("uuid"),
            s("01020304-0506-0708-090a-0b0c0d0e0f10")
        )
    );
    // The payload `{'foo':'bar'}` is not JSON (single quotes): shown as text.
    assert_eq!(got[0]["payload_text"], "{'foo':'bar'}");
    assert!(got[0].get("payload").is_none());
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Hand-written human-form lines, encoded by the tool, read back by aws-smithy-eventstream.
#[test]
fn human_form_encodes_what_an_independent_decoder_reads() {
    let input = concat!(
        r#"{"headers":[{"name":"t","type":"bool","value":true},{"name":"f","type":"bool","value":false},"#,
        r#"{"name":"b","type":"byte","value":-128},{"name":"s","type":"int16","value":-32768},"#,
        r#"{"name":"i","type":"int32","value":2147483647},{"name":"l","type":"int64","value":-9223372036854775808},"#,
        r#"{"name":"bytes","type":"bytes","value":"00ff10"},{"name":"","type":"string","value":"zoë 🚀"},"#,
        r#"{"name":"ts","type":"timestamp","value":1732226112345,"utc":"ignored"},"#,
        r#"{"name":"u","type":"uuid","value":"0102030405060708090A0B0C0D0E0F10"}],"payload":{ "a" : [1, 2.50] }}"#,
        "\n",
        r#"{"headers":[],"payload_text":"line one\nline two"}"#,
        "\n\n",
        r#"{"headers":[],"payload_base64":"AP8="}"#,
        "\n",
        r#"{"offset":99,"length":1,"headers":[],"payload":null}"#,
    );
    let bytes = ok(&run(&["frames", "encode"], input.as_bytes())).to_vec();
    let mut rest = &bytes[..];
    let mut messages = Vec::new();
    while !rest.is_empty() {
        let len = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
        messages.push(read_message_from(&rest[..len]).expect("smithy decodes the frame"));
        rest = &rest[len..];
    }
    assert_eq!(messages.len(), 4);
    let h = messages[0].headers();
    let names: Vec<&str> = h.iter().map(|h| h.name().as_str()).collect();
    assert_eq!(
        names,
        ["t", "f", "b", "s", "i", "l", "bytes", "", "ts", "u"]
    );
    assert_eq!(h[0].value(), &SValue::Bool(true));
    assert_eq!(h[1].value(), &SValue::Bool(false));
    assert_eq!(h[2].value(), &SValue::Byte(-128));
    assert_eq!(h[3].value(), &SValue::Int16(-32768));
    assert_eq!(h[4].value(), &SValue::Int32(i32::MAX));
    assert_eq!(h[5].value(), &SValue::Int64(i64::MIN));
    assert_eq!(
        h[6].value().as_byte_array().unwrap().as_ref(),
        [0, 0xff, 0x10]
    );
    assert_eq!(h[7].value().as_string().unwrap().as_str(), "zoë 🚀");
    assert_eq!(
        h[8].value().as_timestamp().unwrap().to_millis().unwrap(),
        1732226112345
    );
    assert_eq!(
        h[9].value().as_uuid().unwrap(),
        0x0102030405060708090a0b0c0d0e0f10
    );
    // Verbatim: the JSON text as written, inner whitespace included.
    assert_eq!(&messages[0].payload()[..], br#"{ "a" : [1, 2.50] }"#);
    assert_eq!(&messages[1].payload()[..], b"line one\nline two");
    assert_eq!(&messages[2].payload()[..], [0, 0xff]);
    assert_eq!(&messages[3].payload()[..], b"null");
}

fn negative_expectation(name: &str) -> String {
    let text =
        std::fs::read_to_string(vectors().join("aws-sdk-go/decoded/negative").join(name)).unwrap();
    text.trim().to_lowercase()
}

#[test]
fn negative_vectors_fail_with_the_named_error() {
    let v = vectors();
    for path in files(&v.join("aws-sdk-go/encoded/negative"), |_| true) {
        let name = path.file_name().unwrap().to_str().unwrap();
        let out = run(&["frames", "decode", path.to_str().unwrap()], b"");
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(
            out.stdout.is_empty(),
            "{name}: nothing printed before the bad frame"
        );
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{name}: one line: {err}");
        let want = negative_expectation(name);
        assert!(
            err.starts_with("kinesis-codec: frame 1 at byte 0: ") && err.contains(&want),
            "{name}: {err:?} should name {want:?}"
        );
        // The expected and computed CRCs, as the frame carries and as computed over it.
        let bytes = std::fs::read(&path).unwrap();
        let (stored, computed) = if want.starts_with("prelude") {
            (&bytes[8..12], crc32fast::hash(&bytes[..8]))
        } else {
            let end = bytes.len() - 4;
            (&bytes[end..], crc32fast::hash(&bytes[..end]))
        };
        let stored = u32::from_be_bytes(stored.try_into().unwrap());
        assert!(
            err.contains(&format!(
                "expected {stored:#010x}, computed {computed:#010x}"
            )),
            "{name}: {err}"
        );
    }
}

/// Byte offsets of the frames of a stream, read from the `total_len` fields directly.
fn frame_offsets(bytes: &[u8]) -> Vec<usize> {
    let mut offsets = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        offsets.push(at);
        at += u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
    }
    offsets
}

#[test]
fn frames_before_a_bad_one_are_printed() {
    let mut bytes = capture();
    let offsets = frame_offsets(&bytes);
    let bad = offsets[3];
    let end = offsets[4] - 4;
    bytes[bad + 40] ^= 0x20; // inside the fourth frame's payload
    let out = run(&["frames", "decode", "--format", "vector"], &bytes);
    assert_eq!(out.status.code(), Some(1));
    let printed = lines(&out.stdout);
    assert_eq!(printed.len(), 3);
    assert_eq!(printed[2]["total_length"], offsets[3] - offsets[2]);
    let stored = u32::from_be_bytes(bytes[end..end + 4].try_into().unwrap());
    let computed = crc32fast::hash(&bytes[bad..end]);
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "kinesis-codec: frame 4 at byte {bad}: message checksum mismatch: \
             expected {stored:#010x}, computed {computed:#010x}\n"
        )
    );
}

#[test]
fn a_stream_cut_short_is_an_error_after_the_whole_frames() {
    let bytes = capture();
    let offsets = frame_offsets(&bytes);
    let last = *offsets.last().unwrap();
    for cut in [bytes.len() - 1, last + 12, last + 5] {
        let out = run(&["frames", "decode"], &bytes[..cut]);
        assert_eq!(out.status.code(), Some(1), "cut at {cut}");
        assert_eq!(lines(&out.stdout).len(), 5, "cut at {cut}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with(&format!(
                "kinesis-codec: frame 6 at byte {last}: input ends inside the "
            )),
            "cut at {cut}: {err}"
        );
        assert!(
            err.contains(&format!("{} of its", cut - last)),
            "cut at {cut}: {err}"
        );
    }
    // No input at all is an empty stream, not an error.
    assert!(ok(&run(&["frames", "decode"], b"")).is_empty());
}

/// A prelude announcing a payload over the 24 MiB limit is refused from its 12 bytes: the tool
/// neither waits for nor buffers the body.
#[test]
fn an_oversized_frame_is_refused_from_its_prelude() {
    let payload_len: u32 = 24 * 1024 * 1024 + 1;
    let mut prelude = Vec::new();
    prelude.extend_from_slice(&(payload_len + 16).to_be_bytes());
    prelude.extend_from_slice(&0u32.to_be_bytes());
    let crc = crc32fast::hash(&prelude);
    prelude.extend_from_slice(&crc.to_be_bytes());
    // Standard input stays open after the 12 bytes: the tool must answer without more input.
    let mut child = Command::new(BIN)
        .args(["frames", "decode"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start kinesis-codec");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(&prelude).expect("write the prelude");
    stdin.flush().expect("flush");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while child.try_wait().expect("poll").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("kinesis-codec waited for the body of a frame it should have refused");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let out = child.wait_with_output().expect("collect output");
    drop(stdin);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "kinesis-codec: frame 1 at byte 0: payload of {payload_len} bytes exceeds the limit \
             of 25165824 bytes\n"
        )
    );
}

#[test]
fn encode_refuses_bad_input_with_status_1() {
    let cases: [(&str, &str); 5] = [
        (
            r#"{"headers":[{"name":"x","type":"int8","value":1}]}"#,
            "unknown header type `int8`",
        ),
        (
            r#"{"headers":[{"name":"x","type":"byte","value":128}]}"#,
            "range of i8",
        ),
        (
            r#"{"total_length":16,"headers_length":0,"prelude_crc":1,"headers":[],"payload":"","message_crc":2107164927}"#,
            "prelude_crc is 1",
        ),
        (
            r#"{"headers":[],"payload_text":"a","payload_base64":"AA=="}"#,
            "at most one of",
        ),
        (r#"{"headers":[],"surprise":1}"#, "unknown field `surprise`"),
    ];
    for (input, want) in cases {
        // A good frame first: it is written before the bad one stops the tool.
        let good = r#"{"headers":[],"payload_text":"ok"}"#;
        let out = run(
            &["frames", "encode"],
            format!("{good}\n{input}\n").as_bytes(),
        );
        assert_eq!(out.status.code(), Some(1), "{input}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with("kinesis-codec: frame 2: "),
            "{input}: {err}"
        );
        assert!(err.contains(want), "{input}: {err}");
        assert_eq!(
            read_message_from(&out.stdout[..])
                .unwrap()
                .payload()
                .as_ref(),
            b"ok"
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["frames"][..],
        &["frames", "transcode"],
        &["frames", "decode", "--format", "yaml"],
        &["frames", "decode", "--bogus"],
        &["frames", "decode", "a", "b"],
    ] {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
    let help = run(&["frames", "--help"], b"");
    assert!(String::from_utf8(ok(&help).to_vec())
        .unwrap()
        .contains("--format vector"));
}

/// The vector form agrees with what botocore's own tests expect of its frames
/// (`botocore/expected.json`: unsigned CRCs, payload in hex, headers as botocore shows them).
#[test]
fn vector_form_agrees_with_botocore_expectations() {
    let v = vectors().join("botocore");
    let expected: Value =
        serde_json::from_slice(&std::fs::read(v.join("expected.json")).unwrap()).unwrap();
    let positive = expected["positive"].as_object().unwrap();
    assert!(positive.len() >= 9);
    for (name, want) in positive {
        let path = v.join("positive").join(format!("{name}.bin"));
        let got = lines(ok(&run(
            &[
                "frames",
                "decode",
                "--format",
                "vector",
                path.to_str().unwrap(),
            ],
            b"",
        )));
        assert_eq!(got.len(), 1, "{name}");
        let got = &got[0];
        for field in ["total_length", "headers_length"] {
            assert_eq!(got[field], want[field], "{name}: {field}");
        }
        for field in ["prelude_crc", "message_crc"] {
            let signed = got[field].as_i64().unwrap();
            assert_eq!(
                signed as i32 as u32 as i64,
                want[field].as_i64().unwrap(),
                "{name}: {field}"
            );
        }
        let payload = base64_decode(got["payload"].as_str().unwrap());
        assert_eq!(
            hex(&payload),
            want["payload_hex"].as_str().unwrap(),
            "{name}: payload"
        );
        let view = want["headers_botocore_view"].as_object().unwrap();
        let headers = got["headers"].as_array().unwrap();
        assert_eq!(headers.len(), view.len(), "{name}: header count");
        for h in headers {
            let hname = h["name"].as_str().unwrap();
            let seen = &view[hname];
            let value = &h["value"];
            match h["type"].as_u64().unwrap() {
                0 | 1 => assert_eq!(value, seen, "{name}: {hname}"),
                2..=5 | 8 => assert_eq!(value, seen, "{name}: {hname}"),
                7 => assert_eq!(
                    String::from_utf8(base64_decode(value.as_str().unwrap())).unwrap(),
                    seen.as_str().unwrap(),
                    "{name}: {hname}"
                ),
                6 | 9 => assert_eq!(
                    hex(&base64_decode(value.as_str().unwrap())),
                    seen["bytes_hex"].as_str().unwrap(),
                    "{name}: {hname}"
                ),
                t => panic!("{name}: type {t}"),
            }
        }
    }
}

/// botocore's negative frames: checksum errors are errors here too; a duplicate name is kept
/// (the spec's policy, unlike botocore); an impossible header length is refused by its prelude.
#[test]
fn botocore_negative_frames() {
    let v = vectors().join("botocore/negative");
    for name in [
        "corrupted_header_length",
        "corrupted_headers",
        "corrupted_length",
        "corrupted_payload",
    ] {
        let path = v.join(format!("{name}.bin"));
        let out = run(&["frames", "decode", path.to_str().unwrap()], b"");
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("checksum mismatch: expected 0x"),
            "{name}: {err}"
        );
    }
    let dup = v.join("duplicate_header.bin");
    let got = lines(ok(&run(&["frames", "decode", dup.to_str().unwrap()], b"")));
    let names: Vec<&str> = got[0]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2);
    assert_eq!(names[0], names[1]);
    // headers_len 0xff000102: over the 128 KiB limit and over what the 61-byte frame holds;
    // the frame check comes first here (botocore names the limit instead).
    let big = v.join("invalid_headers_length.bin");
    let out = run(&["frames", "decode", big.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "kinesis-codec: frame 1 at byte 0: headers_len 4278190338 does not fit in a frame of \
         total_len 61 (at most total_len - 16)\n"
    );
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("base64")
}
