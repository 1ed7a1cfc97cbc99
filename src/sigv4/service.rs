//! The Kinesis and Firehose form of a signed request (`spec/sigv4.md`, "Headers to send and sign"):
//! `POST /`, no query, and exactly the headers `content-type`, `host`, `x-amz-date`,
//! `x-amz-security-token` (temporary credentials) and `x-amz-target`, all signed.

use core::fmt;

use sha2::{Digest, Sha256};

use super::canonical::{self, Feed};
use super::date::AmzDate;
use super::error::SignError;
use super::key::SigningKey;
use super::signer::{self, Credentials, PayloadHash, Request, Settings, Signature, Signing};

/// The two services, by their SigV4 signing names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// Kinesis Data Streams (`kinesis`, targets `Kinesis_20131202.*`).
    Kinesis,
    /// Kinesis Firehose (`firehose`, targets `Firehose_20150804.*`).
    Firehose,
}

impl Service {
    /// The signing name of the credential scope.
    pub const fn signing_name(self) -> &'static str {
        match self {
            Service::Kinesis => "kinesis",
            Service::Firehose => "firehose",
        }
    }

    /// The `X-Amz-Target` prefix, with its dot: `Kinesis_20131202.`.
    pub const fn target_prefix(self) -> &'static str {
        match self {
            Service::Kinesis => "Kinesis_20131202.",
            Service::Firehose => "Firehose_20150804.",
        }
    }
}

/// The body's protocol, sent as `content-type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentType {
    /// `application/x-amz-json-1.1`.
    Json,
    /// `application/x-amz-cbor-1.1`.
    Cbor,
}

impl ContentType {
    /// The header value.
    pub const fn as_str(self) -> &'static str {
        match self {
            ContentType::Json => "application/x-amz-json-1.1",
            ContentType::Cbor => "application/x-amz-cbor-1.1",
        }
    }
}

/// A Kinesis or Firehose request to sign.
#[derive(Debug, Clone, Copy)]
pub struct ServiceRequest<'a> {
    /// Which service.
    pub service: Service,
    /// The `host` header: `kinesis.us-east-1.amazonaws.com`, `localhost:4567`.
    pub host: &'a str,
    /// The whole `x-amz-target`: `Kinesis_20131202.PutRecords`.
    pub target: &'a str,
    /// The body's protocol.
    pub content_type: ContentType,
}

/// The headers of a signed Kinesis or Firehose request, to send as they are (names lower-case).
///
/// ```
/// use kinesis_codec::sigv4::{AmzDate, ContentType, Credentials, PayloadHash, Service, ServiceRequest, SigningKey};
/// let time = AmzDate::parse("20261201T090000Z")?;
/// let key = SigningKey::derive("secret", &time, "eu-west-1", "kinesis")?; // once a day
/// let body = br#"{"StreamName":"s","Data":"aGk=","PartitionKey":"k"}"#;
/// let request = ServiceRequest {
///     service: Service::Kinesis,
///     host: "kinesis.eu-west-1.amazonaws.com",
///     target: "Kinesis_20131202.PutRecord",
///     content_type: ContentType::Json,
/// };
/// let credentials = Credentials { access_key_id: "AKIDEXAMPLE", session_token: None };
/// let mut buf = [0u8; 256];
/// let headers = request.sign(&key, &credentials, time, &PayloadHash::of(body), &mut buf)?;
/// let names: Vec<&str> = headers.iter().map(|(name, _)| name).collect();
/// assert_eq!(names, ["host", "x-amz-date", "x-amz-target", "content-type", "authorization"]);
/// assert!(headers.authorization.starts_with(
///     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/eu-west-1/kinesis/aws4_request, \
///      SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedHeaders<'a, 'b> {
    /// `host`.
    pub host: &'a str,
    /// `x-amz-date`.
    pub date: AmzDate,
    /// `x-amz-target`.
    pub target: &'a str,
    /// `content-type`.
    pub content_type: ContentType,
    /// `x-amz-security-token`, with temporary credentials.
    pub security_token: Option<&'a str>,
    /// `authorization`, written into the caller's buffer.
    pub authorization: &'b str,
    /// The signature inside `authorization`.
    pub signature: Signature,
}

impl<'a, 'b> SignedHeaders<'a, 'b> {
    /// Every header to send, `(lower-case name, value)`, in the order an HTTP request writes them.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        [
            Some(("host", self.host)),
            Some(("x-amz-date", self.date.as_str())),
            Some(("x-amz-target", self.target)),
            Some(("content-type", self.content_type.as_str())),
            self.security_token.map(|t| ("x-amz-security-token", t)),
            Some(("authorization", self.authorization)),
        ]
        .into_iter()
        .flatten()
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.signing_name())
    }
}

/// The `SignedHeaders` list of the form, with or without a session token.
const fn signed_names(token: bool) -> &'static str {
    if token {
        "content-type;host;x-amz-date;x-amz-security-token;x-amz-target"
    } else {
        "content-type;host;x-amz-date;x-amz-target"
    }
}

/// Whether `host` can be sent as a `host` header: a host name, IPv4 or bracketed IPv6 address, and
/// an optional `:port`, with nothing a header value cannot carry.
fn host_ok(host: &str) -> bool {
    !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]_".contains(&b))
}

impl<'a> ServiceRequest<'a> {
    /// The general form of this request: `POST /` with its three or four headers.
    fn signing<'h>(
        &self,
        headers: &'h [(&'h str, &'h str)],
        credentials: &Credentials<'h>,
        time: AmzDate,
        payload: &PayloadHash,
    ) -> Signing<'h> {
        Signing {
            request: Request {
                method: "POST",
                path: "/",
                query: "",
                headers,
            },
            settings: Settings::default(),
            credentials: *credentials,
            time,
            payload: *payload,
        }
    }

    fn check(&self, key: &SigningKey) -> Result<(), SignError> {
        if key.service() != self.service.signing_name() {
            return Err(SignError::KeyService);
        }
        let operation = self.target.strip_prefix(self.service.target_prefix());
        if !operation
            .is_some_and(|op| !op.is_empty() && op.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return Err(SignError::Target);
        }
        if !host_ok(self.host) {
            return Err(SignError::Host);
        }
        Ok(())
    }

    /// Signs with `key` (derived for the request's date, `credentials`' secret, the region and this
    /// service) and writes the `authorization` value into `out` (200 bytes are enough for names of
    /// usual length; [`SignError::BufferTooSmall`] says how many are needed).
    pub fn sign<'b>(
        &self,
        key: &SigningKey,
        credentials: &Credentials<'a>,
        time: AmzDate,
        payload: &PayloadHash,
        out: &'b mut [u8],
    ) -> Result<SignedHeaders<'a, 'b>, SignError> {
        self.check(key)?;
        if !key.covers(&time) {
            return Err(SignError::KeyDate);
        }
        let headers = [
            ("host", self.host),
            ("x-amz-target", self.target),
            ("content-type", self.content_type.as_str()),
        ];
        // What the general signer checks beyond `check`: the access key id, and the session
        // token's value (header 4, after the three above and `x-amz-date`).
        self.signing(&headers, credentials, time, payload).check()?;
        let token = credentials.session_token;
        if token.is_some_and(|t| !canonical::value_ok(t.as_bytes())) {
            return Err(SignError::HeaderValue { index: 4 });
        }
        // The headers are fixed, their names lower-case and sorted already, and `check` leaves
        // the host and target nothing to trim: the canonical request is streamed as it is,
        // without the general signer's sorting (the same text, tested and fuzzed against it).
        let mut hasher = Sha256::new();
        self.write_canonical(token, time, payload, &mut |b: &[u8]| hasher.update(b));
        let names = signed_names(token.is_some());
        let digest = hasher.finalize().into();
        let signed = signer::finish(key, credentials, &time, &digest, out, |w| {
            w.feed(names.as_bytes());
            Ok(())
        })?;
        Ok(SignedHeaders {
            host: self.host,
            date: time,
            target: self.target,
            content_type: self.content_type,
            security_token: credentials.session_token,
            authorization: signed.authorization,
            signature: signed.signature,
        })
    }

    /// The canonical request of a checked request (`sign`'s checks passed), its headers written
    /// in canonical order.
    fn write_canonical<F: Feed + ?Sized>(
        &self,
        token: Option<&str>,
        time: AmzDate,
        payload: &PayloadHash,
        feed: &mut F,
    ) {
        feed.feed(b"POST\n/\n\ncontent-type:");
        feed.feed(self.content_type.as_str().as_bytes());
        feed.feed(b"\nhost:");
        feed.feed(self.host.as_bytes());
        feed.feed(b"\nx-amz-date:");
        feed.feed(time.as_str().as_bytes());
        if let Some(token) = token {
            feed.feed(b"\nx-amz-security-token:");
            canonical::write_value(token, feed);
        }
        feed.feed(b"\nx-amz-target:");
        feed.feed(self.target.as_bytes());
        feed.feed(b"\n\n");
        feed.feed(signed_names(token.is_some()).as_bytes());
        feed.feed(b"\n");
        feed.feed(payload.to_hex().as_str().as_bytes());
    }

    /// Writes the canonical request this form signs into `feed` (to compare with what a server
    /// says it computed).
    pub fn canonical_request<F: super::Feed + ?Sized>(
        &self,
        credentials: &Credentials<'_>,
        time: AmzDate,
        payload: &PayloadHash,
        feed: &mut F,
    ) -> Result<(), SignError> {
        let headers = [
            ("host", self.host),
            ("x-amz-target", self.target),
            ("content-type", self.content_type.as_str()),
        ];
        self.signing(&headers, credentials, time, payload)
            .canonical_request(feed)
    }
}
