//! Zero heap allocations: deriving a signing key, signing a Kinesis request
//! (`ServiceRequest::sign`), signing a general request with many headers and a query
//! (`Signing::sign`), and writing a whole signed request (`producer::http::write_request`),
//! counted by a `#[global_allocator]` wrapper around the measured calls only. Each run's output
//! is checked against a second run and against what the request must hold.

use kinesis_codec::producer::http::write_request;
use kinesis_codec::producer::SliceBuf;
use kinesis_codec::sigv4::{
    AmzDate, ContentType, Credentials, PayloadHash, Request, Service, ServiceRequest, Settings,
    Signing, SigningKey,
};

#[path = "common/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::count;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// Longer than an HMAC block with the `AWS4` prefix: the key is hashed first.
const LONG_SECRET: &str = "a-secret-access-key-longer-than-sixty-four-bytes-so-it-is-hashed-first";

fn time() -> AmzDate {
    AmzDate::parse("20261201T090000Z").unwrap()
}

fn kinesis_request() -> ServiceRequest<'static> {
    ServiceRequest {
        service: Service::Kinesis,
        host: "kinesis.us-east-1.amazonaws.com",
        target: "Kinesis_20131202.PutRecords",
        content_type: ContentType::Json,
    }
}

#[test]
fn deriving_a_key_does_not_allocate() {
    let now = time();
    let (keys, allocs) = count(|| {
        let short = SigningKey::derive(SECRET, &now, "us-east-1", "kinesis").unwrap();
        let long = SigningKey::derive(LONG_SECRET, &now, "eu-west-1", "firehose").unwrap();
        (short, long)
    });
    assert_eq!(allocs, 0, "deriving a key allocated");
    let (short, long) = keys;
    assert_eq!(
        (short.date(), short.region(), short.service()),
        ("20261201", "us-east-1", "kinesis")
    );
    assert_eq!((long.region(), long.service()), ("eu-west-1", "firehose"));
    assert!(short.covers(&now));

    // The derived keys sign: the same as keys derived again, and not as each other's secret.
    let credentials = Credentials {
        access_key_id: "AKIDEXAMPLE",
        session_token: None,
    };
    let payload = PayloadHash::of(b"{}");
    let sign = |key: &SigningKey| {
        let mut out = [0u8; 256];
        kinesis_request()
            .sign(key, &credentials, now, &payload, &mut out)
            .unwrap()
            .signature
    };
    let again = SigningKey::derive(SECRET, &now, "us-east-1", "kinesis").unwrap();
    assert_eq!(sign(&short), sign(&again));
    let other = SigningKey::derive(LONG_SECRET, &now, "us-east-1", "kinesis").unwrap();
    assert_ne!(sign(&short), sign(&other));
}

#[test]
fn signing_a_service_request_does_not_allocate() {
    let now = time();
    let key = SigningKey::derive(SECRET, &now, "us-east-1", "kinesis").unwrap();
    let body = br#"{"StreamName":"orders","Records":[{"Data":"aGk=","PartitionKey":"k"}]}"#;
    let token = "FQoGZXIvYXdzEJr//////////wEaDOb+session  token";
    let sign = |out: &mut [u8; 512]| -> (usize, usize) {
        let credentials = Credentials {
            access_key_id: "ASIAEXAMPLE",
            session_token: Some(token),
        };
        let (len, allocs) = count(|| {
            let headers = kinesis_request()
                .sign(&key, &credentials, now, &PayloadHash::of(body), out)
                .unwrap();
            assert_eq!(headers.security_token, Some(token));
            assert_eq!(headers.iter().count(), 6);
            headers.authorization.len()
        });
        (len, allocs)
    };
    let mut first = [0u8; 512];
    let mut second = [0xffu8; 512];
    let (len, allocs) = sign(&mut first);
    assert_eq!(allocs, 0, "ServiceRequest::sign allocated");
    let (len2, _) = sign(&mut second);
    assert_eq!(first[..len], second[..len2]);
    let authorization = std::str::from_utf8(&first[..len]).unwrap();
    assert!(authorization.starts_with(
        "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261201/us-east-1/kinesis/aws4_request, \
         SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature="
    ));
    let signature = authorization.rsplit("Signature=").next().unwrap();
    assert_eq!(signature.len(), 64);
    assert!(signature.bytes().all(|b| b.is_ascii_hexdigit()));
}

#[test]
fn signing_a_general_request_does_not_allocate() {
    let now = time();
    let key = SigningKey::derive(LONG_SECRET, &now, "us-west-2", "execute-api").unwrap();
    let names: Vec<String> = (0..40).map(|i| format!("X-Custom-{:02}", 39 - i)).collect();
    let values: Vec<String> = (0..40)
        .map(|i| format!("  value {i}   with\t runs  "))
        .collect();
    let mut headers: Vec<(&str, &str)> = names
        .iter()
        .zip(&values)
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    headers.push(("Host", "api.example.com"));
    headers.push(("x-custom-07", "repeated name"));
    let query = "z=1&a=%41%zz&b&a=0&sp%20ace=x+y&~u=v.w&empty=";
    let signing = Signing {
        request: Request {
            method: "PUT",
            path: "/a/./b/../c//d%2Fe/",
            query,
            headers: &headers,
        },
        settings: Settings {
            content_sha256_header: true,
            ..Settings::default()
        },
        credentials: Credentials {
            access_key_id: "AKIDEXAMPLE",
            session_token: Some("token"),
        },
        time: now,
        payload: PayloadHash::of(b"payload"),
    };
    let run = |out: &mut [u8; 2048]| {
        count(|| {
            let signed = signing.sign(&key, out).unwrap();
            (signed.signature, signed.authorization.len())
        })
    };
    let mut first = [0u8; 2048];
    let mut second = [0u8; 2048];
    let ((signature, len), allocs) = run(&mut first);
    assert_eq!(allocs, 0, "Signing::sign allocated");
    let ((signature2, len2), _) = run(&mut second);
    assert_eq!(signature, signature2);
    assert_eq!(first[..len], second[..len2]);
    let authorization = std::str::from_utf8(&first[..len]).unwrap();
    // Every signed name, lower-case and sorted, once each.
    let signed_names = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .unwrap();
    let mut expected: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
    expected.extend(
        [
            "host",
            "x-amz-date",
            "x-amz-security-token",
            "x-amz-content-sha256",
        ]
        .map(String::from),
    );
    expected.sort();
    expected.dedup();
    assert_eq!(signed_names, expected.join(";"));
    assert!(authorization.ends_with(&format!("Signature={}", signature.to_hex().as_str())));

    // The canonical request and the string to sign stream without a heap too (into a stack
    // hash), and the string to sign carries the canonical request's hash.
    use sha2::{Digest, Sha256};
    let ((canonical, string_to_sign), allocs) = count(|| {
        let mut canonical = Sha256::new();
        signing
            .canonical_request(&mut |b: &[u8]| canonical.update(b))
            .unwrap();
        let mut sts = [0u8; 256];
        let mut sts_len = 0;
        signing
            .string_to_sign(&key, &mut |b: &[u8]| {
                sts[sts_len..sts_len + b.len()].copy_from_slice(b);
                sts_len += b.len();
            })
            .unwrap();
        (canonical.finalize(), (sts, sts_len))
    });
    assert_eq!(allocs, 0, "streaming the canonical request allocated");
    let (sts, sts_len) = string_to_sign;
    let sts = std::str::from_utf8(&sts[..sts_len]).unwrap();
    let canonical_hex: String = canonical.iter().map(|b| format!("{b:02x}")).collect();
    assert!(sts.ends_with(&format!("\n{canonical_hex}")), "{sts}");
}

#[test]
fn writing_a_whole_request_does_not_allocate() {
    let now = time();
    let key = SigningKey::derive(SECRET, &now, "us-east-1", "kinesis").unwrap();
    let credentials = Credentials {
        access_key_id: "AKIDEXAMPLE",
        session_token: None,
    };
    let body = br#"{"StreamName":"orders","Records":[{"Data":"aGVsbG8=","PartitionKey":"p"}]}"#;
    let write = |buf: &mut [u8; 4096]| {
        count(|| {
            let mut sink = SliceBuf::new(buf);
            write_request(&mut sink, &kinesis_request(), &key, &credentials, now, body).unwrap();
            sink.into_written().len()
        })
    };
    let mut first = [0u8; 4096];
    let mut second = [0u8; 4096];
    let (len, allocs) = write(&mut first);
    assert_eq!(allocs, 0, "write_request allocated");
    let (len2, _) = write(&mut second);
    let wire = &first[..len];
    assert_eq!(wire, &second[..len2]);
    assert!(wire.starts_with(b"POST / HTTP/1.1\r\nhost: kinesis.us-east-1.amazonaws.com\r\n"));
    assert!(wire.ends_with(body));
    let head = std::str::from_utf8(&wire[..len - body.len()]).unwrap();
    assert!(head.ends_with(&format!("content-length: {}\r\n\r\n", body.len())));
    // The authorization in the request is the one `ServiceRequest::sign` gives for this body.
    let mut out = [0u8; 512];
    let signed = kinesis_request()
        .sign(&key, &credentials, now, &PayloadHash::of(body), &mut out)
        .unwrap();
    assert!(head.contains(&format!("\r\nauthorization: {}\r\n", signed.authorization)));
}
