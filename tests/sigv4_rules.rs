//! The signer's own rules: request times against GNU `date`, and every refusal typed, naming what
//! to fix, with nothing written.

#[path = "common/rng.rs"]
mod rng;

use std::process::Command;

use kinesis_codec::sigv4::{
    AmzDate, ContentType, Credentials, DateError, KeyError, PayloadHash, Request, Service,
    ServiceRequest, Settings, SignError, Signing, SigningKey, MAX_HEADERS, MAX_PATH_SEGMENTS,
    MAX_QUERY_PARAMS,
};
use rng::Rng;

/// spec/sigv4.md step 2: `YYYYMMDDTHHMMSSZ` in UTC. 300 random times from 1970 to 9999, and the
/// edges, formatted by GNU date.
#[test]
fn unix_seconds_format_as_gnu_date_does() {
    let mut rng = Rng(0x0da7_e5ec);
    let mut seconds: Vec<u64> = vec![
        0,
        59,
        86_399,
        86_400,
        951_782_400,
        4_107_542_399,
        253_402_300_799,
    ];
    seconds.extend((0..300).map(|_| rng.next() % 253_402_300_800));
    let mut cmd = String::new();
    for s in &seconds {
        cmd.push_str(&format!("date -u -d @{s} +%Y%m%dT%H%M%SZ\n"));
    }
    let out = Command::new("sh")
        .arg("-c")
        .arg(&cmd)
        .env("TZ", "UTC")
        .output()
        .expect("sh and GNU date");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(theirs.len(), seconds.len());
    for (s, want) in seconds.iter().zip(&theirs) {
        let ours = AmzDate::from_unix_seconds(*s).unwrap();
        assert_eq!(ours.as_str(), want, "{s}");
        assert_eq!(AmzDate::parse(want).unwrap(), ours, "{want} parses back");
    }
    assert_eq!(
        AmzDate::from_unix_seconds(253_402_300_800),
        Err(DateError::TooLate)
    );
}

#[test]
fn request_times_that_name_no_time_are_refused() {
    for (text, err) in [
        ("20150830T123600", DateError::Format),
        ("2015-08-30T12:36:00Z", DateError::Format),
        ("20150830t123600Z", DateError::Format),
        ("2015083OT123600Z", DateError::Format),
        ("20150830T123600Z ", DateError::Format),
        ("20151330T123600Z", DateError::Range),
        ("20150229T000000Z", DateError::Range),
        ("21000229T000000Z", DateError::Range),
        ("20150830T240000Z", DateError::Range),
        ("20150830T126000Z", DateError::Range),
        ("20150830T123660Z", DateError::Range),
        ("20150800T123600Z", DateError::Range),
    ] {
        assert_eq!(AmzDate::parse(text), Err(err), "{text}");
    }
    // Leap days that exist.
    for text in ["20000229T000000Z", "20240229T235959Z"] {
        assert!(AmzDate::parse(text).is_ok(), "{text}");
    }
}

#[test]
fn scope_names_are_checked() {
    let t = AmzDate::parse("20150830T123600Z").unwrap();
    assert_eq!(
        SigningKey::derive("s", &t, "", "kinesis").unwrap_err(),
        KeyError::Region
    );
    assert_eq!(
        SigningKey::derive("s", &t, "us/east", "kinesis").unwrap_err(),
        KeyError::Region
    );
    assert_eq!(
        SigningKey::derive("s", &t, &"a".repeat(64), "kinesis").unwrap_err(),
        KeyError::Region
    );
    assert_eq!(
        SigningKey::derive("s", &t, "us-east-1", "kin esis").unwrap_err(),
        KeyError::Service
    );
    assert!(SigningKey::derive("s", &t, &"a".repeat(63), "kinesis").is_ok());
}

fn kinesis() -> ServiceRequest<'static> {
    ServiceRequest {
        service: Service::Kinesis,
        host: "kinesis.us-east-1.amazonaws.com",
        target: "Kinesis_20131202.PutRecords",
        content_type: ContentType::Json,
    }
}

const CREDS: Credentials<'static> = Credentials {
    access_key_id: "AKIDEXAMPLE",
    session_token: None,
};

#[test]
fn a_kept_key_signs_only_its_own_day_and_service() {
    let day = AmzDate::parse("20261201T235959Z").unwrap();
    let next = AmzDate::parse("20261202T000000Z").unwrap();
    let key = SigningKey::derive("secret", &day, "us-east-1", "kinesis").unwrap();
    let payload = PayloadHash::of(b"{}");
    let mut buf = [0u8; 256];
    assert!(kinesis()
        .sign(&key, &CREDS, day, &payload, &mut buf)
        .is_ok());
    assert_eq!(
        kinesis()
            .sign(&key, &CREDS, next, &payload, &mut buf)
            .unwrap_err(),
        SignError::KeyDate
    );
    let firehose = ServiceRequest {
        service: Service::Firehose,
        target: "Firehose_20150804.PutRecord",
        ..kinesis()
    };
    assert_eq!(
        firehose
            .sign(&key, &CREDS, day, &payload, &mut buf)
            .unwrap_err(),
        SignError::KeyService
    );
}

#[test]
fn bad_targets_hosts_and_ids_are_refused() {
    let t = AmzDate::parse("20261201T000000Z").unwrap();
    let key = SigningKey::derive("secret", &t, "us-east-1", "kinesis").unwrap();
    let payload = PayloadHash::of(b"");
    let mut buf = [0u8; 256];
    for target in [
        "PutRecords",
        "Kinesis_20131202.",
        "Firehose_20150804.PutRecord",
        "Kinesis_20131202.Put Records",
    ] {
        let r = ServiceRequest {
            target,
            ..kinesis()
        };
        assert_eq!(
            r.sign(&key, &CREDS, t, &payload, &mut buf).unwrap_err(),
            SignError::Target,
            "{target}"
        );
    }
    for host in ["", "a b", "host\r\nx-evil: 1", "h/ost"] {
        let r = ServiceRequest { host, ..kinesis() };
        assert_eq!(
            r.sign(&key, &CREDS, t, &payload, &mut buf).unwrap_err(),
            SignError::Host,
            "{host:?}"
        );
    }
    for id in ["", "AKID EXAMPLE", "AKID,X", &"A".repeat(129)] {
        let c = Credentials {
            access_key_id: id,
            session_token: None,
        };
        assert_eq!(
            kinesis().sign(&key, &c, t, &payload, &mut buf).unwrap_err(),
            SignError::AccessKeyId,
            "{id:?}"
        );
    }
}

#[test]
fn a_small_buffer_says_how_much_is_needed() {
    let t = AmzDate::parse("20261201T000000Z").unwrap();
    let key = SigningKey::derive("secret", &t, "us-east-1", "kinesis").unwrap();
    let payload = PayloadHash::of(b"");
    let mut big = [0u8; 512];
    let len = kinesis()
        .sign(&key, &CREDS, t, &payload, &mut big)
        .unwrap()
        .authorization
        .len();
    let mut small = vec![0u8; len - 1];
    assert_eq!(
        kinesis()
            .sign(&key, &CREDS, t, &payload, &mut small)
            .unwrap_err(),
        SignError::BufferTooSmall { needed: len }
    );
    let mut exact = vec![0u8; len];
    assert!(kinesis()
        .sign(&key, &CREDS, t, &payload, &mut exact)
        .is_ok());
}

fn general<'a>(
    headers: &'a [(&'a str, &'a str)],
    query: &'a str,
    path: &'a str,
    creds: Credentials<'a>,
) -> Result<String, SignError> {
    let t = AmzDate::parse("20261201T000000Z").unwrap();
    let key = SigningKey::derive("secret", &t, "us-east-1", "service").unwrap();
    let signing = Signing {
        request: Request {
            method: "GET",
            path,
            query,
            headers,
        },
        settings: Settings::default(),
        credentials: creds,
        time: t,
        payload: PayloadHash::of(b""),
    };
    let mut buf = [0u8; 4096];
    signing
        .sign(&key, &mut buf)
        .map(|s| s.authorization.to_string())
}

#[test]
fn the_general_signer_refuses_what_it_cannot_sign_safely() {
    let host = ("host", "example.com");
    // Headers the signer writes itself (spec/sigv4.md: x-amz-date, x-amz-security-token, authorization).
    for name in ["Authorization", "X-Amz-Date"] {
        assert_eq!(
            general(&[host, (name, "x")], "", "/", CREDS),
            Err(SignError::ReservedHeader { index: 1 }),
            "{name}"
        );
    }
    let with_token = Credentials {
        access_key_id: "AKIDEXAMPLE",
        session_token: Some("t"),
    };
    assert_eq!(
        general(&[("x-amz-security-token", "t"), host], "", "/", with_token),
        Err(SignError::ReservedHeader { index: 0 })
    );
    assert!(
        general(&[("x-amz-security-token", "t"), host], "", "/", CREDS).is_ok(),
        "not reserved without a token"
    );
    // Names must be tokens; values may fold lines but carry no other control character.
    assert_eq!(
        general(&[host, ("my header", "v")], "", "/", CREDS),
        Err(SignError::HeaderName { index: 1 })
    );
    assert_eq!(
        general(&[host, ("", "v")], "", "/", CREDS),
        Err(SignError::HeaderName { index: 1 })
    );
    assert_eq!(
        general(&[host, ("h", "a\r\nb")], "", "/", CREDS),
        Err(SignError::HeaderValue { index: 1 })
    );
    assert_eq!(
        general(&[host, ("h", "a\0b")], "", "/", CREDS),
        Err(SignError::HeaderValue { index: 1 })
    );
    assert!(general(&[host, ("h", "a\r\n b\n\tc")], "", "/", CREDS).is_ok());
    // The bounds that keep selection sorting cheap.
    let names: Vec<String> = (0..MAX_HEADERS).map(|i| format!("h{i}")).collect();
    let many: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "v")).collect();
    assert_eq!(
        general(&many, "", "/", CREDS),
        Err(SignError::TooManyHeaders),
        "{} and x-amz-date",
        MAX_HEADERS
    );
    assert!(general(&many[1..], "", "/", CREDS).is_ok());
    let query = vec!["a=1"; MAX_QUERY_PARAMS + 1].join("&");
    assert_eq!(
        general(&[host], &query, "/", CREDS),
        Err(SignError::TooManyQueryParams)
    );
    let query = vec!["a=1"; MAX_QUERY_PARAMS].join("&");
    assert!(general(&[host], &query, "/", CREDS).is_ok());
    let path = "/a".repeat(MAX_PATH_SEGMENTS);
    assert_eq!(
        general(&[host], "", &path, CREDS),
        Err(SignError::TooManyPathSegments)
    );
    let path = "/a".repeat(MAX_PATH_SEGMENTS - 1);
    assert!(general(&[host], "", &path, CREDS).is_ok());
}

/// The query is sorted by the encoded key, then the encoded value (spec/sigv4.md step 1); equal
/// pairs stay, and a repeated key keeps every value. Its decoding is the one
/// `sigv4_peers::aws_sigv4_signs_general_requests_alike` checks against aws-sigv4.
#[test]
fn query_order_matches_botocore_rules() {
    let signing = |query: &'static str| {
        let t = AmzDate::parse("20261201T000000Z").unwrap();
        let s = Signing {
            request: Request {
                method: "GET",
                path: "/",
                query,
                headers: &[("host", "h")],
            },
            settings: Settings::default(),
            credentials: CREDS,
            time: t,
            payload: PayloadHash::of(b""),
        };
        let mut text = Vec::new();
        s.canonical_request(&mut |b: &[u8]| text.extend_from_slice(b))
            .unwrap();
        String::from_utf8(text)
            .unwrap()
            .lines()
            .nth(2)
            .unwrap()
            .to_string()
    };
    assert_eq!(signing("b=2&a=2&a=1&a=1"), "a=1&a=1&a=2&b=2");
    // `+` is a space, as botocore's and aws-sigv4's form decoding read it; `%2B` is the plus sign.
    assert_eq!(signing("k=a+b&k=a%2Bb&flag"), "flag=&k=a%20b&k=a%2Bb");
    assert_eq!(signing("x=%zz&&y"), "x=%25zz&y=");
}

#[test]
fn random_header_sets_sign_the_same_in_any_order() {
    // The canonical request sorts: any permutation of distinct names signs alike.
    let mut rng = Rng(7);
    for _ in 0..200 {
        let n = 1 + (rng.next() % 12) as usize;
        let names: Vec<String> = (0..n)
            .map(|i| format!("X-Name-{}{i}", (b'a' + (rng.next() % 26) as u8) as char))
            .collect();
        let mut headers: Vec<(&str, &str)> =
            names.iter().map(|n| (n.as_str(), "  v  w ")).collect();
        let first = general(&headers, "", "/", CREDS).unwrap();
        for i in (1..headers.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            headers.swap(i, j);
        }
        assert_eq!(general(&headers, "", "/", CREDS).unwrap(), first);
    }
}
