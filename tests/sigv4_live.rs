//! A live check of the signer and of `examples/put_records.rs`: a moto 5.2.1 server with its IAM
//! authentication on (tests/peers/moto_auth_server.py) accepts requests signed here and refuses
//! the same requests with one byte changed.
//!
//! moto verifies by recomputing the signature (with botocore's algorithm) over the headers that
//! `SignedHeaders` names, the body and `x-amz-date`, and compares; it refuses unknown keys and
//! wrong tokens. It does not compare `x-amz-date` with its clock. The independent checks of the
//! algorithm itself are the published suite (sigv4_suite.rs) and aws-sigv4 (sigv4_peers.rs).

#![cfg(feature = "std")]

#[path = "common/peers.rs"]
mod peers;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use kinesis_codec::producer::http::{write_request, ResponseHead};
use kinesis_codec::producer::{KinesisPutRecordResponse, SliceBuf};
use kinesis_codec::sigv4::{
    AmzDate, ContentType, Credentials, Service, ServiceRequest, SigningKey,
};
use serde_json::{json, Value};

struct Server {
    child: Child,
    info: Value,
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.child.stdin.take()); // the script stops when its stdin closes
        let _ = self.child.wait();
    }
}

fn start(test: &str) -> Option<Server> {
    let python = peers::python(test)?;
    let mut child = peers::command(python, "moto_auth_server.py")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        !line.is_empty(),
        "{test}: moto_auth_server.py printed nothing"
    );
    let info = serde_json::from_str(&line).unwrap();
    Some(Server { child, info })
}

struct Signer {
    id: String,
    secret: String,
    token: Option<String>,
    host: String,
}

impl Signer {
    fn from(info: &Value, port: u64) -> Signer {
        Signer {
            id: info["access_key_id"].as_str().unwrap().into(),
            secret: info["secret_access_key"].as_str().unwrap().into(),
            token: info["session_token"].as_str().map(Into::into),
            host: format!("127.0.0.1:{port}"),
        }
    }

    /// The whole signed request.
    fn request(&self, service: Service, operation: &str, body: &[u8]) -> Vec<u8> {
        let time = AmzDate::now().unwrap();
        let key =
            SigningKey::derive(&self.secret, &time, "us-east-1", service.signing_name()).unwrap();
        let target = format!("{}{operation}", service.target_prefix());
        let request = ServiceRequest {
            service,
            host: &self.host,
            target: &target,
            content_type: ContentType::Json,
        };
        let credentials = Credentials {
            access_key_id: &self.id,
            session_token: self.token.as_deref(),
        };
        let mut out = vec![0u8; body.len() + 2048];
        let mut sink = SliceBuf::new(&mut out);
        write_request(&mut sink, &request, &key, &credentials, time, body).unwrap();
        sink.into_written().to_vec()
    }
}

/// Sends `bytes` on a new connection and reads the answer: status and body.
fn send(host: &str, bytes: &[u8]) -> (u16, Vec<u8>) {
    let mut socket = TcpStream::connect(host).unwrap();
    socket.write_all(bytes).unwrap();
    let mut answer = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = socket.read(&mut chunk).unwrap();
        assert!(
            n > 0,
            "the connection closed early: {}",
            String::from_utf8_lossy(&answer)
        );
        answer.extend_from_slice(&chunk[..n]);
        if let Some(head) = ResponseHead::parse(&answer).unwrap() {
            let total = head.len + head.content_length.expect("Content-Length");
            if answer.len() >= total {
                return (head.status, answer[head.len..total].to_vec());
            }
        }
    }
}

/// `bytes` with the first `from` after the head changed to `to`.
fn tamper_body(bytes: &[u8], from: u8, to: u8) -> Vec<u8> {
    let head = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let mut out = bytes.to_vec();
    let at = head + out[head..].iter().position(|&b| b == from).unwrap();
    out[at] = to;
    out
}

/// `bytes` with the last hex digit of the signature changed.
fn tamper_signature(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let at = text.find("Signature=").unwrap() + "Signature=".len() + 63;
    let mut out = bytes.to_vec();
    out[at] = if out[at] == b'0' { b'1' } else { b'0' };
    out
}

fn refused(status: u16, body: &[u8], code: &str, what: &str) {
    let text = String::from_utf8_lossy(body);
    assert_eq!(status, 403, "{what}: {text}");
    assert!(text.contains(code), "{what}: {text}");
}

fn example_binary() -> PathBuf {
    // Test binaries live in target/<profile>/deps; `cargo test` builds the examples beside them.
    let exe = std::env::current_exe().unwrap();
    let path = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join(format!("put_records{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is missing: run this test through `cargo test`, which builds the examples",
        path.display()
    );
    path
}

#[test]
fn moto_accepts_what_is_signed_here_and_refuses_one_changed_byte() {
    let test = "moto_accepts_what_is_signed_here_and_refuses_one_changed_byte";
    let Some(server) = start(test) else { return };
    let port = server.info["port"].as_u64().unwrap();
    let stream = server.info["stream"].as_str().unwrap().to_string();
    let user = Signer::from(&server.info, port);
    let host = user.host.clone();

    // Kinesis PutRecord: accepted, and the answer read by the heap-free reader.
    let body =
        json!({"StreamName": stream, "Data": B64.encode(b"signed here"), "PartitionKey": "k"})
            .to_string();
    let request = user.request(Service::Kinesis, "PutRecord", body.as_bytes());
    let (status, answer) = send(&host, &request);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    let put = KinesisPutRecordResponse::parse(&answer).unwrap();
    assert_eq!(
        put.shard_id.and_then(|s| s.as_str()),
        Some("shardId-000000000000")
    );

    // One byte of the body, one digit of the signature, the secret: refused.
    let (status, answer) = send(&host, &tamper_body(&request, b'k', b'j'));
    refused(
        status,
        &answer,
        "SignatureDoesNotMatch",
        "a body byte changed",
    );
    let (status, answer) = send(&host, &tamper_signature(&request));
    refused(
        status,
        &answer,
        "SignatureDoesNotMatch",
        "a signature digit changed",
    );
    let wrong = Signer {
        secret: format!("{}x", user.secret),
        ..Signer::from(&server.info, port)
    };
    let (status, answer) = send(
        &host,
        &wrong.request(Service::Kinesis, "PutRecord", body.as_bytes()),
    );
    refused(status, &answer, "SignatureDoesNotMatch", "a wrong secret");

    // Temporary credentials: the token is sent and signed; a changed token is refused.
    let session = Signer::from(&server.info["session"], port);
    let request = session.request(Service::Kinesis, "PutRecord", body.as_bytes());
    let (status, answer) = send(&host, &request);
    assert_eq!(
        status,
        200,
        "with a session token: {}",
        String::from_utf8_lossy(&answer)
    );
    let token = session.token.clone().unwrap();
    let mut changed = token.clone().into_bytes();
    let last = changed.len() - 1;
    changed[last] = if changed[last] == b'A' { b'B' } else { b'A' };
    let other = Signer {
        token: Some(String::from_utf8(changed).unwrap()),
        ..Signer::from(&server.info["session"], port)
    };
    let (status, answer) = send(
        &host,
        &other.request(Service::Kinesis, "PutRecord", body.as_bytes()),
    );
    refused(
        status,
        &answer,
        "InvalidClientTokenId",
        "a changed session token",
    );

    // Firehose: the same, under its own signing name.
    let request = user.request(Service::Firehose, "ListDeliveryStreams", b"{}");
    let (status, answer) = send(&host, &request);
    assert_eq!(
        status,
        200,
        "firehose: {}",
        String::from_utf8_lossy(&answer)
    );
    let (status, answer) = send(&host, &tamper_body(&request, b'}', b' '));
    refused(
        status,
        &answer,
        "SignatureDoesNotMatch",
        "firehose, a body byte changed",
    );

    // The example: 7 records, each printed with its shard and sequence number.
    let out = Command::new(example_binary())
        .args(["--endpoint", &host, "--stream", &stream, "--records", "7"])
        .env("AWS_ACCESS_KEY_ID", &user.id)
        .env("AWS_SECRET_ACCESS_KEY", &user.secret)
        .env_remove("AWS_SESSION_TOKEN")
        .output()
        .unwrap();
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "put_records: {printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 7, "{printed}");
    for (i, line) in lines.iter().enumerate() {
        assert!(
            line.starts_with(&format!("record {i}: shardId-000000000000 ")),
            "{line}"
        );
    }

    // What the example sent is in the stream, read back through requests signed here.
    let iterator = json!({"StreamName": stream, "ShardId": "shardId-000000000000", "ShardIteratorType": "TRIM_HORIZON"}).to_string();
    let (status, answer) = send(
        &host,
        &user.request(Service::Kinesis, "GetShardIterator", iterator.as_bytes()),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    let iterator: Value = serde_json::from_slice(&answer).unwrap();
    let get = json!({"ShardIterator": iterator["ShardIterator"]}).to_string();
    let (status, answer) = send(
        &host,
        &user.request(Service::Kinesis, "GetRecords", get.as_bytes()),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    let records: Value = serde_json::from_slice(&answer).unwrap();
    let data: Vec<Vec<u8>> = records["Records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| B64.decode(r["Data"].as_str().unwrap()).unwrap())
        .collect();
    let want: Vec<Vec<u8>> = std::iter::once(b"signed here".to_vec())
        .chain(std::iter::once(b"signed here".to_vec()))
        .chain((0..7).map(|i| format!("reading {i}").into_bytes()))
        .collect();
    assert_eq!(data, want);
}
