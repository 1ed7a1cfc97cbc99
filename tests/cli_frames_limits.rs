//! `kinesis-codec frames encode` refuses a frame that `frames decode` (the default limits)
//! would refuse: a header block over 128 KiB gets exit status 1 and a message, not bytes.

#[path = "common/cli.rs"]
mod cli;

use cli::run;

/// A JSON line (the human form) with `count` string headers of `len` bytes each.
fn line(count: usize, len: usize) -> String {
    let value = "x".repeat(len);
    let headers: Vec<serde_json::Value> = (0..count)
        .map(|i| serde_json::json!({"name": format!("h{i}"), "type": "string", "value": value}))
        .collect();
    let mut s = serde_json::json!({"headers": headers, "payload_text": "hi"}).to_string();
    s.push('\n');
    s
}

#[test]
fn encode_refuses_a_header_block_decode_refuses() {
    // Five 28,000-byte headers: a 140,030-byte header block, over the 131,072 default.
    let small = line(1, 10);
    let huge = line(5, 28_000);
    let input = format!("{small}{huge}{small}");
    let out = run(&["frames", "encode"], input.as_bytes());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(stderr.contains("frame 2"), "stderr: {stderr}");
    assert!(stderr.contains("header block"), "stderr: {stderr}");
    assert!(stderr.contains("131072"), "stderr: {stderr}");

    // Only the frame before the refused line was written, and it decodes.
    let one = run(&["frames", "encode"], small.as_bytes());
    assert!(one.status.success());
    assert_eq!(out.stdout, one.stdout);
    let back = run(&["frames", "decode"], &out.stdout);
    assert!(
        back.status.success(),
        "{}",
        String::from_utf8_lossy(&back.stderr)
    );

    // Just under the limit, both directions work.
    // Four headers of 1 + 2 + 1 + 2 + 32,762 bytes: a header block of exactly 131,072 bytes.
    let at_limit = line(4, 32_762);
    let out = run(&["frames", "encode"], at_limit.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let back = run(&["frames", "decode"], &out.stdout);
    assert!(
        back.status.success(),
        "{}",
        String::from_utf8_lossy(&back.stderr)
    );
}
