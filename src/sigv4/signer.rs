//! The general SigV4 header signer (`spec/sigv4.md`, steps 1, 2 and 4) for any request: method,
//! path, query, headers. The Kinesis and Firehose form ([`super::service`]) is this signer with the
//! services' fixed method, path and headers.

use core::fmt;

use hmac::Mac;
use sha2::{Digest, Sha256};

use super::canonical::{self, Feed, HeaderList};
use super::date::AmzDate;
use super::error::SignError;
use super::key::SigningKey;

/// The longest access key id the signer takes.
pub const MAX_ACCESS_KEY_ID: usize = 128;

/// The algorithm name of SigV4 with HMAC-SHA256.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The hex SHA-256 digest of the request body, computed once per body.
///
/// ```
/// use kinesis_codec::sigv4::PayloadHash;
/// assert_eq!(
///     PayloadHash::of(b"").to_hex().as_str(),
///     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/// );
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PayloadHash([u8; 32]);

impl PayloadHash {
    /// Hashes `body`.
    pub fn of(body: &[u8]) -> Self {
        PayloadHash(Sha256::digest(body).into())
    }

    /// A digest the caller computed (for a body hashed as it was written, say).
    pub const fn from_digest(digest: [u8; 32]) -> Self {
        PayloadHash(digest)
    }

    /// The digest.
    pub const fn digest(&self) -> &[u8; 32] {
        &self.0
    }

    /// The digest in lower-case hex, as the canonical request carries it.
    pub fn to_hex(&self) -> Hex64 {
        Hex64::of(&self.0)
    }
}

impl fmt::Debug for PayloadHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PayloadHash({})", self.to_hex().as_str())
    }
}

/// A SigV4 signature.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature([u8; 32]);

impl Signature {
    /// The HMAC-SHA256 bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The signature in lower-case hex, as the `Authorization` header carries it.
    pub fn to_hex(&self) -> Hex64 {
        Hex64::of(&self.0)
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({})", self.to_hex().as_str())
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.to_hex().as_str())
    }
}

/// 32 bytes as 64 lower-case hex digits, on the stack.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Hex64([u8; 64]);

impl Hex64 {
    fn of(bytes: &[u8; 32]) -> Self {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 64];
        for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
            let hi = DIGITS.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
            let lo = DIGITS.get(usize::from(b & 0x0f)).copied().unwrap_or(b'0');
            pair.copy_from_slice(&[hi, lo]);
        }
        Hex64(out)
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Debug for Hex64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who signs: the access key id, and the session token of temporary credentials. The secret is
/// only ever needed to derive a [`SigningKey`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Credentials<'a> {
    /// The access key id (`AKIA...`, `ASIA...`).
    pub access_key_id: &'a str,
    /// The session token of temporary credentials, sent as `x-amz-security-token`.
    pub session_token: Option<&'a str>,
}

impl fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("session_token", &self.session_token.map(|_| "<redacted>"))
            .finish()
    }
}

/// How to sign, beyond the request itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Normalize the path before encoding it (remove empty and `.` segments, apply `..`). Every
    /// service but S3 expects it. Default: on.
    pub normalize_path: bool,
    /// Sign the `x-amz-security-token` header (when there is a session token). Off means the token
    /// is sent but left out of the signature, as a few services expect. Default: on.
    pub sign_session_token: bool,
    /// Add and sign an `x-amz-content-sha256` header with the body's hash (S3 needs it; Kinesis
    /// and Firehose do not). Default: off.
    pub content_sha256_header: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            normalize_path: true,
            sign_session_token: true,
            content_sha256_header: false,
        }
    }
}

/// A request to sign. The signer adds `x-amz-date` (and `x-amz-security-token`,
/// `x-amz-content-sha256` as [`Settings`] say); the caller's headers must not hold them.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `GET`, `POST`, ...
    pub method: &'a str,
    /// The path as requested, e.g. `/`; it is URI-encoded for signing (a `%` too).
    pub path: &'a str,
    /// The query string without the `?`, `""` for none.
    pub query: &'a str,
    /// The headers to sign, `(name, value)`, in request order; names in any case, a name may
    /// repeat. A value may hold obsolete line foldings (a line break then a space or tab).
    pub headers: &'a [(&'a str, &'a str)],
}

/// What signing gives back: the signature and the `Authorization` header value, written into the
/// caller's buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signed<'b> {
    /// The signature.
    pub signature: Signature,
    /// The whole `Authorization` header value.
    pub authorization: &'b str,
}

/// Everything signing depends on besides the key: request, settings, credentials, time, body
/// hash.
#[derive(Debug, Clone, Copy)]
pub struct Signing<'a> {
    /// The request.
    pub request: Request<'a>,
    /// The settings.
    pub settings: Settings,
    /// The credentials.
    pub credentials: Credentials<'a>,
    /// The request time, sent as `x-amz-date`.
    pub time: AmzDate,
    /// The hash of the body.
    pub payload: PayloadHash,
}

impl Signing<'_> {
    /// Runs `f` with the full header list: the caller's headers and the signer's own.
    fn with_headers<R>(
        &self,
        f: impl FnOnce(HeaderList<'_>) -> Result<R, SignError>,
    ) -> Result<R, SignError> {
        let hex = self.payload.to_hex();
        let mut added: [(&str, &str); 3] = [("x-amz-date", self.time.as_str()); 3];
        let mut n = 1usize;
        let token = self
            .credentials
            .session_token
            .filter(|_| self.settings.sign_session_token);
        for extra in [
            token.map(|t| ("x-amz-security-token", t)),
            self.settings
                .content_sha256_header
                .then(|| ("x-amz-content-sha256", hex.as_str())),
        ]
        .into_iter()
        .flatten()
        {
            if let Some(slot) = added.get_mut(n) {
                *slot = extra;
                n = n.saturating_add(1);
            }
        }
        let added = added.get(..n).unwrap_or_default();
        // Names the signer writes itself: Authorization always, and whatever it adds. The session
        // token is refused even when left unsigned, since the signer's caller sends it.
        for (index, (name, _)) in self.request.headers.iter().enumerate() {
            let reserved = name.eq_ignore_ascii_case("authorization")
                || (self.credentials.session_token.is_some()
                    && name.eq_ignore_ascii_case("x-amz-security-token"))
                || added.iter().any(|(a, _)| name.eq_ignore_ascii_case(a));
            if reserved {
                return Err(SignError::ReservedHeader { index });
            }
        }
        f(HeaderList {
            caller: self.request.headers,
            added,
        })
    }

    pub(crate) fn check(&self) -> Result<(), SignError> {
        let method = self.request.method;
        if method.is_empty()
            || !method
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        {
            return Err(SignError::Method);
        }
        let id = self.credentials.access_key_id;
        let id_ok = !id.is_empty()
            && id.len() <= MAX_ACCESS_KEY_ID
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.~+=".contains(&b));
        if !id_ok {
            return Err(SignError::AccessKeyId);
        }
        Ok(())
    }

    /// Writes the canonical request (step 1) into `feed`: what signing hashes. For tests and for
    /// finding out why a server computed another signature.
    pub fn canonical_request<F: Feed + ?Sized>(&self, feed: &mut F) -> Result<(), SignError> {
        self.check()?;
        self.with_headers(|headers| {
            headers.check()?;
            // Check everything that can fail before writing anything.
            canonical::check_path(self.request.path, self.settings.normalize_path)?;
            canonical::check_query(self.request.query)?;
            feed.feed(self.request.method.as_bytes());
            feed.feed(b"\n");
            canonical::write_path(self.request.path, self.settings.normalize_path, feed);
            feed.feed(b"\n");
            canonical::write_query(self.request.query, feed);
            feed.feed(b"\n");
            canonical::write_headers(headers, feed);
            feed.feed(b"\n");
            canonical::write_signed_names(headers, feed);
            feed.feed(b"\n");
            feed.feed(self.payload.to_hex().as_str().as_bytes());
            Ok(())
        })
    }

    /// Writes the string to sign (step 2) for the scope of `key` into `feed`.
    pub fn string_to_sign<F: Feed + ?Sized>(
        &self,
        key: &SigningKey,
        feed: &mut F,
    ) -> Result<(), SignError> {
        let mut hasher = Sha256::new();
        self.canonical_request(&mut |b: &[u8]| hasher.update(b))?;
        write_string_to_sign(&self.time, key, &hasher.finalize().into(), feed);
        Ok(())
    }

    /// Signs with `key` (which must cover the request's date and service) and writes the
    /// `Authorization` header value into `out`.
    ///
    /// ```
    /// use kinesis_codec::sigv4::{AmzDate, Credentials, PayloadHash, Request, Settings, Signing, SigningKey};
    /// let time = AmzDate::parse("20150830T123600Z")?;
    /// let key = SigningKey::derive("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", &time, "us-east-1", "service")?;
    /// let signing = Signing {
    ///     request: Request { method: "GET", path: "/", query: "", headers: &[("Host", "example.amazonaws.com")] },
    ///     settings: Settings::default(),
    ///     credentials: Credentials { access_key_id: "AKIDEXAMPLE", session_token: None },
    ///     time,
    ///     payload: PayloadHash::of(b""),
    /// };
    /// let mut buf = [0u8; 256];
    /// let signed = signing.sign(&key, &mut buf)?;
    /// assert_eq!(
    ///     signed.authorization,
    ///     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
    ///      SignedHeaders=host;x-amz-date, \
    ///      Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sign<'b>(&self, key: &SigningKey, out: &'b mut [u8]) -> Result<Signed<'b>, SignError> {
        if !key.covers(&self.time) {
            return Err(SignError::KeyDate);
        }
        let mut hasher = Sha256::new();
        self.canonical_request(&mut |b: &[u8]| hasher.update(b))?;
        let digest = hasher.finalize().into();
        finish(key, &self.credentials, &self.time, &digest, out, |w| {
            self.with_headers(|headers| {
                canonical::write_signed_names(headers, w);
                Ok(())
            })
        })
    }
}

/// Steps 2 and 4 once the canonical request hashed to `canonical_digest`: the signature over the
/// string to sign, and the `Authorization` value written into `out` (`signed_names` writes the
/// `SignedHeaders` list). The caller has checked the key's date and the credentials.
pub(crate) fn finish<'b>(
    key: &SigningKey,
    credentials: &Credentials<'_>,
    time: &AmzDate,
    canonical_digest: &[u8; 32],
    out: &'b mut [u8],
    signed_names: impl FnOnce(&mut Cursor<'b>) -> Result<(), SignError>,
) -> Result<Signed<'b>, SignError> {
    let mut mac = key.mac();
    write_string_to_sign(time, key, canonical_digest, &mut |b: &[u8]| mac.update(b));
    let signature = Signature(mac.finalize().into_bytes().into());
    let mut w = Cursor::new(out);
    w.feed(ALGORITHM.as_bytes());
    w.feed(b" Credential=");
    w.feed(credentials.access_key_id.as_bytes());
    w.feed(b"/");
    write_scope(key, &mut w);
    w.feed(b", SignedHeaders=");
    signed_names(&mut w)?;
    w.feed(b", Signature=");
    w.feed(signature.to_hex().as_str().as_bytes());
    let authorization = w.finish()?;
    Ok(Signed {
        signature,
        authorization,
    })
}

/// The string to sign (step 2) for a canonical request that hashed to `canonical_digest`.
fn write_string_to_sign<F: Feed + ?Sized>(
    time: &AmzDate,
    key: &SigningKey,
    canonical_digest: &[u8; 32],
    feed: &mut F,
) {
    feed.feed(ALGORITHM.as_bytes());
    feed.feed(b"\n");
    feed.feed(time.as_str().as_bytes());
    feed.feed(b"\n");
    write_scope(key, feed);
    feed.feed(b"\n");
    feed.feed(Hex64::of(canonical_digest).as_str().as_bytes());
}

/// `YYYYMMDD/<region>/<service>/aws4_request`.
fn write_scope<F: Feed + ?Sized>(key: &SigningKey, feed: &mut F) {
    feed.feed(key.date().as_bytes());
    feed.feed(b"/");
    feed.feed(key.region().as_bytes());
    feed.feed(b"/");
    feed.feed(key.service().as_bytes());
    feed.feed(b"/aws4_request");
}

/// Writes into a caller's buffer, counting what did not fit so the error can say how much is
/// needed.
pub(crate) struct Cursor<'b> {
    buf: &'b mut [u8],
    len: usize,
    needed: usize,
}

impl<'b> Cursor<'b> {
    pub(crate) fn new(buf: &'b mut [u8]) -> Self {
        Cursor {
            buf,
            len: 0,
            needed: 0,
        }
    }

    /// The text written, or how much room it needed.
    pub(crate) fn finish(self) -> Result<&'b str, SignError> {
        if self.needed > self.len {
            return Err(SignError::BufferTooSmall {
                needed: self.needed,
            });
        }
        let (head, _) = self.buf.split_at(self.len);
        // Only `str` pieces are ever written.
        core::str::from_utf8(head).map_err(|_| SignError::BufferTooSmall {
            needed: self.needed,
        })
    }
}

impl Feed for Cursor<'_> {
    fn feed(&mut self, bytes: &[u8]) {
        let end = self.needed.saturating_add(bytes.len());
        if self.needed == self.len {
            if let Some(dst) = self.buf.get_mut(self.len..end) {
                dst.copy_from_slice(bytes);
                self.len = end;
            }
        }
        self.needed = end;
    }
}
