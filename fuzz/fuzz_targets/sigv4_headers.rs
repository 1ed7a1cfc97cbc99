//! The SigV4 signers on arbitrary requests: header names and values, method, path and query made
//! from arbitrary bytes (lossy UTF-8, or drawn from the characters the canonical forms treat
//! specially), arbitrary credentials, scope names, settings, times and output buffer sizes.
//!
//! Oracles (built with `-a`, so an arithmetic overflow is a crash too):
//! - `Signing::sign` never panics; an error is fine.
//! - When it signs: the canonical request streamed into a `Vec` hashes (SHA-256) to the digest
//!   the string to sign carries on its last line, the authorization ends with the signature, and
//!   a buffer too small is answered with the exact size needed.
//! - `ServiceRequest::sign` (which streams its fixed canonical request directly) gives, whenever
//!   the host and target are acceptable, the same authorization or the same error as the general
//!   signer for `POST /`, no query and the same three headers (`host`, `x-amz-target`,
//!   `content-type`).
#![no_main]

use arbitrary::{Result, Unstructured};
use kinesis_codec::sigv4::{
    AmzDate, ContentType, Credentials, PayloadHash, Request, Service, ServiceRequest, Settings,
    SignError, Signing, SigningKey,
};
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

/// Characters the canonical forms treat specially, for inputs that get past the checks.
const ALPHABET: &[u8] = b"aZ09-_.~%/&=+ \t\r\n:;,?!#$'*^`|AzX[]";

fn text(u: &mut Unstructured<'_>) -> Result<String> {
    if u.arbitrary()? {
        let bytes: &[u8] = u.arbitrary()?;
        Ok(String::from_utf8_lossy(bytes).into_owned())
    } else {
        let len = u.int_in_range(0..=40)?;
        (0..len)
            .map(|_| u.choose(ALPHABET).map(|&b| char::from(b)))
            .collect()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Signs with `signing`, checking the canonical request against the string to sign and the
/// size the signer asks for against what it writes.
fn general(signing: &Signing<'_>, key: &SigningKey, room: usize) -> Result<String, SignError> {
    let mut out = vec![0u8; room];
    let (authorization, signature) = match signing.sign(key, &mut out) {
        Ok(signed) => (signed.authorization.to_owned(), signed.signature),
        Err(SignError::BufferTooSmall { needed }) => {
            let mut out = vec![0u8; needed];
            let signed = signing
                .sign(key, &mut out)
                .expect("signs into the room it asked for");
            assert_eq!(signed.authorization.len(), needed);
            (signed.authorization.to_owned(), signed.signature)
        }
        Err(e) => return Err(e),
    };
    let mut canonical = Vec::new();
    signing
        .canonical_request(&mut |b: &[u8]| canonical.extend_from_slice(b))
        .expect("a request that signs has a canonical request");
    let mut sts = Vec::new();
    signing
        .string_to_sign(key, &mut |b: &[u8]| sts.extend_from_slice(b))
        .expect("a request that signs has a string to sign");
    let sts = String::from_utf8(sts).expect("the string to sign is text");
    let carried = sts.rsplit('\n').next().unwrap_or_default();
    assert_eq!(carried, hex(&Sha256::digest(&canonical)), "{sts}");
    assert!(authorization.starts_with("AWS4-HMAC-SHA256 Credential="));
    assert!(authorization.ends_with(&format!("Signature={signature}")));
    Ok(authorization)
}

fn key(u: &mut Unstructured<'_>, date: &AmzDate, service: &str) -> Result<SigningKey> {
    let secret = text(u)?;
    let region = if u.arbitrary()? {
        text(u)?
    } else {
        "us-east-1".to_owned()
    };
    Ok(SigningKey::derive(&secret, date, &region, service)
        .or_else(|_| SigningKey::derive(&secret, date, "us-east-1", service))
        .or_else(|_| SigningKey::derive(&secret, date, "us-east-1", "service"))
        .expect("valid scope names"))
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let time = AmzDate::from_unix_seconds(u.int_in_range(0..=253_402_300_799)?).unwrap();
    // Mostly the key's own day; sometimes another, which must be refused.
    let key_time = if u.ratio(1, 8)? {
        AmzDate::from_unix_seconds(u.int_in_range(0..=253_402_300_799)?).unwrap()
    } else {
        time
    };
    let access_key_id = if u.arbitrary()? {
        text(u)?
    } else {
        "AKIDEXAMPLE".to_owned()
    };
    let session_token = if u.arbitrary()? { Some(text(u)?) } else { None };
    let credentials = Credentials {
        access_key_id: &access_key_id,
        session_token: session_token.as_deref(),
    };
    let payload = PayloadHash::from_digest(u.arbitrary()?);
    let room = u.int_in_range(0..=1024)?;

    // The general signer on an arbitrary request.
    let method = if u.arbitrary()? {
        text(u)?
    } else {
        "GET".to_owned()
    };
    let path = text(u)?;
    let query = text(u)?;
    let count = u.int_in_range(0..=70)?;
    let mut owned = Vec::with_capacity(count);
    for _ in 0..count {
        owned.push((text(u)?, text(u)?));
    }
    let headers: Vec<(&str, &str)> = owned
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let settings = Settings {
        normalize_path: u.arbitrary()?,
        sign_session_token: u.arbitrary()?,
        content_sha256_header: u.arbitrary()?,
    };
    let service_name = if u.arbitrary()? {
        text(u)?
    } else {
        "service".to_owned()
    };
    let general_key = key(u, &key_time, &service_name)?;
    let signing = Signing {
        request: Request {
            method: &method,
            path: &path,
            query: &query,
            headers: &headers,
        },
        settings,
        credentials,
        time,
        payload,
    };
    let _ = general(&signing, &general_key, room);

    // The service form against the general signer.
    let service = if u.arbitrary()? {
        Service::Kinesis
    } else {
        Service::Firehose
    };
    let content_type = if u.arbitrary()? {
        ContentType::Json
    } else {
        ContentType::Cbor
    };
    let host = if u.arbitrary()? {
        text(u)?
    } else {
        "kinesis.us-east-1.amazonaws.com".to_owned()
    };
    let target = if u.arbitrary()? {
        format!("{}{}", service.target_prefix(), text(u)?)
    } else {
        text(u)?
    };
    // Sometimes a key for the other service, which must be refused.
    let key_service = if u.ratio(1, 8)? {
        "kinesis"
    } else {
        service.signing_name()
    };
    let service_key = key(u, &key_time, key_service)?;
    let request = ServiceRequest {
        service,
        host: &host,
        target: &target,
        content_type,
    };
    let mut out = vec![0u8; room];
    let ours = request
        .sign(&service_key, &credentials, time, &payload, &mut out)
        .map(|h| h.authorization.to_owned());
    if matches!(
        ours,
        Err(SignError::Host | SignError::Target | SignError::KeyService)
    ) {
        return Ok(());
    }
    let three = [
        ("host", host.as_str()),
        ("x-amz-target", target.as_str()),
        ("content-type", content_type.as_str()),
    ];
    let post = Signing {
        request: Request {
            method: "POST",
            path: "/",
            query: "",
            headers: &three,
        },
        settings: Settings::default(),
        credentials,
        time,
        payload,
    };
    let theirs = general(&post, &service_key, room);
    match (&ours, &theirs) {
        // The general helper retries with the room asked for; the service form must ask the same.
        (Err(SignError::BufferTooSmall { needed }), Ok(auth)) => assert_eq!(*needed, auth.len()),
        _ => assert_eq!(ours, theirs, "{request:?} {credentials:?}"),
    }
    // Its canonical request is the general one.
    let mut a = Vec::new();
    let mut b = Vec::new();
    let ra = request.canonical_request(&credentials, time, &payload, &mut |x: &[u8]| {
        a.extend_from_slice(x)
    });
    let rb = post.canonical_request(&mut |x: &[u8]| b.extend_from_slice(x));
    assert_eq!(ra, rb);
    assert_eq!(a, b);
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
