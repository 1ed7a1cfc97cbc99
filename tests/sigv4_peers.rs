//! SigV4 signatures of random Kinesis and Firehose requests against the two signers people use:
//! botocore's `SigV4Auth` (1.44.5, clock pinned to the request time; tests/peers/sigv4_botocore.py)
//! and the `aws-sigv4` crate. All three must write the same `Authorization` header, and the
//! canonical request streamed here must be botocore's, byte for byte.

#[path = "common/peers.rs"]
mod peers;
#[path = "common/rng.rs"]
mod rng;

use std::io::Write as _;
use std::process::Stdio;
use std::time::{Duration, UNIX_EPOCH};

use aws_credential_types::Credentials as AwsCredentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use kinesis_codec::sigv4::{
    AmzDate, ContentType, Credentials, PayloadHash, Service, ServiceRequest, SigningKey,
};
use rng::Rng;
use serde_json::{json, Value};

struct Case {
    service: Service,
    region: String,
    host: String,
    target: String,
    content_type: ContentType,
    access_key_id: String,
    secret: String,
    token: Option<String>,
    seconds: u64,
    body: Vec<u8>,
}

fn pick<'a>(rng: &mut Rng, items: &[&'a str]) -> &'a str {
    items[(rng.next() % items.len() as u64) as usize]
}

fn text(rng: &mut Rng, alphabet: &[u8], len: usize) -> String {
    (0..len)
        .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize] as char)
        .collect()
}

const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

fn case(rng: &mut Rng) -> Case {
    let service = if rng.next().is_multiple_of(3) {
        Service::Firehose
    } else {
        Service::Kinesis
    };
    let region = if rng.next().is_multiple_of(5) {
        let len = 1 + (rng.next() % 20) as usize;
        text(rng, b"abcdefghijklmnopqrstuvwxyz0123456789-", len)
    } else {
        pick(
            rng,
            &[
                "us-east-1",
                "eu-west-1",
                "ap-southeast-5",
                "us-gov-west-1",
                "cn-north-1",
            ],
        )
        .to_string()
    };
    let port = 1 + rng.next() % 65535;
    let host = match rng.next() % 5 {
        0 => format!("{}.{region}.amazonaws.com", service.signing_name()),
        1 => format!("localhost:{port}"),
        2 => format!("[::1]:{port}"),
        3 => "127.0.0.1:443".to_string(),
        _ => format!(
            "vpce-0a1b2c.{}.{region}.vpce.amazonaws.com:{port}",
            service.signing_name()
        ),
    };
    let op = match service {
        Service::Kinesis => pick(
            rng,
            &[
                "PutRecords",
                "PutRecord",
                "GetRecords",
                "DescribeStream",
                "ListShards",
                "SubscribeToShard",
            ],
        ),
        Service::Firehose => pick(rng, &["PutRecordBatch", "PutRecord", "ListDeliveryStreams"]),
    };
    let id_len = 16 + (rng.next() % 5) as usize;
    let access_key_id = format!(
        "{}{}",
        pick(rng, &["AKIA", "ASIA"]),
        text(rng, UPPER_DIGITS, id_len)
    );
    // Secrets longer than SHA-256's block take HMAC's other key path.
    let secret_len = if rng.next().is_multiple_of(4) {
        61 + (rng.next() % 80) as usize
    } else {
        40
    };
    let secret = text(rng, B64_ALPHABET, secret_len);
    let token_len = 1 + (rng.next() % 800) as usize;
    let token = (rng.next().is_multiple_of(2)).then(|| text(rng, B64_ALPHABET, token_len));
    let seconds = 946_684_800 + rng.next() % 3_155_760_000; // 2000 to 2099
    let body_len = match rng.next() % 4 {
        0 => 0,
        1 => (rng.next() % 64) as usize,
        _ => (rng.next() % 5000) as usize,
    };
    let body = (0..body_len).map(|_| rng.next() as u8).collect();
    Case {
        service,
        region,
        target: format!("{}{op}", service.target_prefix()),
        host,
        content_type: if rng.next().is_multiple_of(2) {
            ContentType::Json
        } else {
            ContentType::Cbor
        },
        access_key_id,
        secret,
        token,
        seconds,
        body,
    }
}

fn cases() -> Vec<Case> {
    let mut rng = Rng(0x5167_0004_0000_0001);
    (0..400).map(|_| case(&mut rng)).collect()
}

/// Signs here: the headers (lower-case name, value) and the canonical request.
fn ours(c: &Case) -> (Vec<(String, String)>, String) {
    let time = AmzDate::from_unix_seconds(c.seconds).unwrap();
    let key = SigningKey::derive(&c.secret, &time, &c.region, c.service.signing_name()).unwrap();
    let request = ServiceRequest {
        service: c.service,
        host: &c.host,
        target: &c.target,
        content_type: c.content_type,
    };
    let credentials = Credentials {
        access_key_id: &c.access_key_id,
        session_token: c.token.as_deref(),
    };
    let payload = PayloadHash::of(&c.body);
    let mut buf = [0u8; 512];
    let signed = request
        .sign(&key, &credentials, time, &payload, &mut buf)
        .unwrap();
    let headers = signed
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let mut canonical = Vec::new();
    request
        .canonical_request(&credentials, time, &payload, &mut |b: &[u8]| {
            canonical.extend_from_slice(b)
        })
        .unwrap();
    (headers, String::from_utf8(canonical).unwrap())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn botocore_signs_every_request_alike() {
    let test = "botocore_signs_every_request_alike";
    let Some(python) = peers::python(test) else {
        return;
    };
    let cases = cases();
    let mut input = String::new();
    for (i, c) in cases.iter().enumerate() {
        let line = json!({
            "id": i,
            "access_key_id": c.access_key_id,
            "secret_access_key": c.secret,
            "session_token": c.token,
            "region": c.region,
            "service": c.service.signing_name(),
            "amz_date": AmzDate::from_unix_seconds(c.seconds).unwrap().as_str(),
            "host": c.host,
            "target": c.target,
            "content_type": c.content_type.as_str(),
            "body_base64": B64.encode(&c.body),
        });
        input.push_str(&line.to_string());
        input.push('\n');
    }
    let mut child = peers::command(python, "sigv4_botocore.py")
        .arg("--canonical")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), cases.len());
    for (i, (c, theirs)) in cases.iter().zip(&lines).enumerate() {
        assert_eq!(theirs["id"], i);
        let (headers, canonical) = ours(c);
        assert_eq!(
            canonical,
            theirs["canonical_request"].as_str().unwrap(),
            "case {i}: canonical request"
        );
        // Every header botocore sets, and only those: ours are the same set with the same values.
        let theirs_headers = theirs["headers"].as_object().unwrap();
        let mut want: Vec<(String, String)> = theirs_headers
            .iter()
            .map(|(n, v)| (n.clone(), v.as_str().unwrap().to_string()))
            .collect();
        let mut got = headers.clone();
        want.sort();
        got.sort();
        assert_eq!(got, want, "case {i}: headers");
    }
}

/// Signs with the aws-sigv4 crate: its `x-amz-date`, `authorization` and `x-amz-security-token`.
fn aws_sigv4(c: &Case) -> Vec<(String, String)> {
    let identity: Identity =
        AwsCredentials::new(&c.access_key_id, &c.secret, c.token.clone(), None, "test").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(&c.region)
        .name(c.service.signing_name())
        .time(UNIX_EPOCH + Duration::from_secs(c.seconds))
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let headers = [
        ("host", c.host.as_str()),
        ("x-amz-target", c.target.as_str()),
        ("content-type", c.content_type.as_str()),
    ];
    let request = SignableRequest::new(
        "POST",
        format!("https://{}/", c.host),
        headers.into_iter(),
        SignableBody::Bytes(&c.body),
    )
    .unwrap();
    let (instructions, _) = sign(request, &params).unwrap().into_parts();
    let (headers, _) = instructions.into_parts();
    headers
        .into_iter()
        .map(|h| (h.name().to_string(), h.value().to_string()))
        .collect()
}

#[test]
fn aws_sigv4_signs_every_request_alike() {
    for (i, c) in cases().iter().enumerate() {
        let (ours, _) = ours(c);
        let theirs = aws_sigv4(c);
        for name in ["authorization", "x-amz-date", "x-amz-security-token"] {
            assert_eq!(
                header(&ours, name),
                header(&theirs, name),
                "case {i}: {name}"
            );
        }
        assert_eq!(
            theirs.len(),
            2 + usize::from(c.token.is_some()),
            "case {i}: {theirs:?}"
        );
    }
}

/// The general signer against aws-sigv4 on requests of any shape: random paths, queries (escapes,
/// `+`, repeated and empty keys, UTF-8) and headers (case, repeats, runs of spaces).
#[test]
fn aws_sigv4_signs_general_requests_alike() {
    use kinesis_codec::sigv4::{Request, Settings, Signing};
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let pieces = [
        "a",
        "B",
        "%20",
        "+",
        "%2B",
        "~",
        "é",
        "%zz",
        "-",
        "1",
        " ",
        "%E1%88%B4",
        ".",
    ];
    for i in 0..400 {
        let word = |rng: &mut Rng, max: u64| -> String {
            let n = rng.next() % max;
            (0..n)
                .map(|_| pieces[(rng.next() % pieces.len() as u64) as usize])
                .collect::<String>()
                .replace(' ', "%20")
        };
        let params = rng.next() % 5;
        let query: Vec<String> = (0..params)
            .map(|_| match rng.next() % 3 {
                0 => word(&mut rng, 4),
                _ => format!("{}={}", word(&mut rng, 4), word(&mut rng, 4)),
            })
            .collect();
        let query = query.join("&");
        let segments = rng.next() % 4;
        let path: String = (0..segments)
            .map(|_| format!("/{}", word(&mut rng, 3).replace(['%', '+'], "x")))
            .collect();
        let path = if path.is_empty() {
            "/".to_string()
        } else {
            path
        };
        let n = rng.next() % 5;
        let names: Vec<String> = (0..n)
            .map(|_| format!("X-Test-{}", ["a", "A", "b", "c"][(rng.next() % 4) as usize]))
            .collect();
        let values: Vec<String> = (0..n)
            .map(|_| {
                format!(
                    " v{}  w {}",
                    rng.next() % 10,
                    ["", "x", "  y  "][(rng.next() % 3) as usize]
                )
            })
            .collect();
        let mut headers: Vec<(&str, &str)> = vec![("host", "example.amazonaws.com")];
        headers.extend(
            names
                .iter()
                .zip(&values)
                .map(|(n, v)| (n.as_str(), v.as_str())),
        );
        let seconds = 1_700_000_000 + rng.next() % 100_000_000;
        let time = AmzDate::from_unix_seconds(seconds).unwrap();
        let key = SigningKey::derive("secret/KEY+x", &time, "eu-west-1", "service").unwrap();
        let signing = Signing {
            request: Request {
                method: "GET",
                path: &path,
                query: &query,
                headers: &headers,
            },
            settings: Settings::default(),
            credentials: Credentials {
                access_key_id: "AKIDEXAMPLE",
                session_token: None,
            },
            time,
            payload: PayloadHash::of(b""),
        };
        let mut buf = [0u8; 1024];
        let ours = signing
            .sign(&key, &mut buf)
            .unwrap()
            .authorization
            .to_string();

        let identity: Identity =
            AwsCredentials::new("AKIDEXAMPLE", "secret/KEY+x", None, None, "test").into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region("eu-west-1")
            .name("service")
            .time(UNIX_EPOCH + Duration::from_secs(seconds))
            .settings(SigningSettings::default())
            .build()
            .unwrap()
            .into();
        let uri = if query.is_empty() {
            format!("https://example.amazonaws.com{path}")
        } else {
            format!("https://example.amazonaws.com{path}?{query}")
        };
        let request = SignableRequest::new(
            "GET",
            uri.clone(),
            headers.iter().copied(),
            SignableBody::Bytes(b""),
        )
        .unwrap();
        let (instructions, _) = sign(request, &params).unwrap().into_parts();
        let (theirs, _) = instructions.into_parts();
        let theirs = theirs
            .iter()
            .find(|h| h.name() == "authorization")
            .unwrap()
            .value()
            .to_string();
        assert_eq!(ours, theirs, "case {i}: {uri} {headers:?}");
    }
}
