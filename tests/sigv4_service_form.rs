//! `ServiceRequest::sign` streams the Kinesis/Firehose canonical request directly, without the
//! general signer's sorting: its signature and its errors must be the general signer's
//! (`Signing::sign` of `POST /` with the same three headers) for every input, session tokens
//! with white space to trim included.

use kinesis_codec::sigv4::{
    AmzDate, ContentType, Credentials, PayloadHash, Request, Service, ServiceRequest, Settings,
    SignError, Signing, SigningKey,
};

/// The general signer's `authorization` for the service form, or its error.
fn general(
    request: &ServiceRequest<'_>,
    key: &SigningKey,
    credentials: Credentials<'_>,
    time: AmzDate,
    payload: PayloadHash,
) -> Result<String, SignError> {
    let headers = [
        ("host", request.host),
        ("x-amz-target", request.target),
        ("content-type", request.content_type.as_str()),
    ];
    let signing = Signing {
        request: Request {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
        },
        settings: Settings::default(),
        credentials,
        time,
        payload,
    };
    let mut out = [0u8; 1024];
    signing
        .sign(key, &mut out)
        .map(|s| s.authorization.to_string())
}

fn service(
    request: &ServiceRequest<'_>,
    key: &SigningKey,
    credentials: Credentials<'_>,
    time: AmzDate,
    payload: PayloadHash,
) -> Result<String, SignError> {
    let mut out = [0u8; 1024];
    request
        .sign(key, &credentials, time, &payload, &mut out)
        .map(|h| h.authorization.to_string())
}

#[test]
fn service_form_signs_as_the_general_signer() {
    let time = AmzDate::parse("20261201T090000Z").unwrap();
    let other_day = AmzDate::parse("20261202T000000Z").unwrap();
    let tokens = [
        None,
        Some("FQoGZXIvYXdzEJr//////////wEaDOb+token="),
        Some("  padded token  "),
        Some("inner   runs\tof \t white"),
        Some("folded\r\n continued\n\tagain"),
        Some(""),
        Some("   "),
        Some("bad\u{1}control"),
        Some("bad\nfold"),
    ];
    let ids = ["AKIDEXAMPLE", "", "AKID WITH SPACE", "ASIA-1_2.3~4+5="];
    let bodies: [&[u8]; 3] = [b"", br#"{"StreamName":"s","Limit":10}"#, &[0xa5; 300]];
    let mut compared = 0;
    for service_kind in [Service::Kinesis, Service::Firehose] {
        let target = format!("{}PutRecords", service_kind.target_prefix());
        for content_type in [ContentType::Json, ContentType::Cbor] {
            for host in [
                "kinesis.us-east-1.amazonaws.com",
                "localhost:4567",
                "[::1]:80",
            ] {
                let request = ServiceRequest {
                    service: service_kind,
                    host,
                    target: &target,
                    content_type,
                };
                let key =
                    SigningKey::derive("secret", &time, "eu-west-1", service_kind.signing_name())
                        .unwrap();
                for (token, id, body) in tokens
                    .iter()
                    .flat_map(|t| ids.iter().map(move |i| (*t, *i)))
                    .flat_map(|(t, i)| bodies.iter().map(move |b| (t, i, *b)))
                {
                    let credentials = Credentials {
                        access_key_id: id,
                        session_token: token,
                    };
                    let payload = PayloadHash::of(body);
                    for at in [time, other_day] {
                        let ours = service(&request, &key, credentials, at, payload);
                        let theirs = general(&request, &key, credentials, at, payload);
                        assert_eq!(ours, theirs, "{request:?} {credentials:?} at {at}");
                        compared += usize::from(ours.is_ok());
                    }
                }
            }
        }
    }
    // Every combination of a valid id, a valid token and the key's own day signs.
    assert_eq!(compared, 2 * 2 * 3 * 7 * 2 * 3);
}

#[test]
fn service_form_with_a_token_signs_the_token() {
    let time = AmzDate::parse("20261201T090000Z").unwrap();
    let key = SigningKey::derive("secret", &time, "us-east-1", "kinesis").unwrap();
    let request = ServiceRequest {
        service: Service::Kinesis,
        host: "kinesis.us-east-1.amazonaws.com",
        target: "Kinesis_20131202.GetRecords",
        content_type: ContentType::Json,
    };
    let payload = PayloadHash::of(b"{}");
    let with = |token| {
        service(
            &request,
            &key,
            Credentials {
                access_key_id: "AKIDEXAMPLE",
                session_token: token,
            },
            time,
            payload,
        )
        .unwrap()
    };
    let a = with(Some("token-a"));
    let b = with(Some("token-b"));
    assert!(a.contains(
        "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
    ));
    assert_ne!(a, b);
    // White space around and inside the token is canonicalized, not signed as sent.
    assert_eq!(with(Some(" token-a ")), a);
    assert!(with(None).contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target, "));
}
