//! The signing key: `kSigning`, derived once per (secret, date, region, service) by the HMAC chain
//! of `spec/sigv4.md` step 3, and kept by the caller as a value.
//!
//! A request signed with a kept key costs one HMAC instead of five. The key holds the HMAC state
//! already keyed with `kSigning` (inner and outer pads absorbed), so each signature costs only the
//! string to sign and the two finishing blocks. Its bytes are wiped when it is dropped.

use core::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

use super::date::AmzDate;

/// The longest region or service name a key takes (the scope is `date/region/service/aws4_request`).
pub const MAX_SCOPE_NAME: usize = 63;

/// SHA-256's block size: an HMAC key longer than this is replaced by its digest (RFC 2104).
const BLOCK: usize = 64;

/// Why a signing key could not be derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The region is empty, longer than [`MAX_SCOPE_NAME`] bytes, or holds a byte other than an
    /// ASCII letter, digit or `-` (it is written into the credential scope).
    Region,
    /// The service's signing name is, in the same way, not a scope name.
    Service,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let which = match self {
            KeyError::Region => "region",
            KeyError::Service => "service name",
        };
        write!(
            f,
            "the {which} must be 1 to {MAX_SCOPE_NAME} ASCII letters, digits or '-'"
        )
    }
}

impl core::error::Error for KeyError {}

/// A derived SigV4 signing key with the scope it signs for.
///
/// ```
/// use kinesis_codec::sigv4::{AmzDate, SigningKey};
/// let now = AmzDate::parse("20150830T123600Z")?;
/// let key = SigningKey::derive("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", &now, "us-east-1", "kinesis")?;
/// assert_eq!(key.date(), "20150830");
/// assert_eq!(key.region(), "us-east-1");
/// assert!(key.covers(&now));
/// // Debug output never shows the key.
/// assert!(!format!("{key:?}").contains("wJal"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct SigningKey {
    mac: Hmac<Sha256>,
    date: [u8; 8],
    region: heapless::String<MAX_SCOPE_NAME>,
    service: heapless::String<MAX_SCOPE_NAME>,
}

impl SigningKey {
    /// Runs the HMAC chain for `secret` (the secret access key), the date of `date`, `region` and
    /// `service` (the signing name: `kinesis`, `firehose`).
    pub fn derive(
        secret: &str,
        date: &AmzDate,
        region: &str,
        service: &str,
    ) -> Result<Self, KeyError> {
        let region = scope_name(region).ok_or(KeyError::Region)?;
        let service = scope_name(service).ok_or(KeyError::Service)?;
        let date_bytes = date.date_bytes();
        let mut k = hmac_aws4_secret(secret.as_bytes(), &date_bytes);
        for part in [region.as_bytes(), service.as_bytes(), b"aws4_request"] {
            let next = hmac(&k, part);
            k.zeroize();
            k = next;
        }
        let mac = keyed(&k);
        k.zeroize();
        Ok(SigningKey {
            mac,
            date: date_bytes,
            region,
            service,
        })
    }

    /// The scope's date, `YYYYMMDD`.
    pub fn date(&self) -> &str {
        core::str::from_utf8(&self.date).unwrap_or_default()
    }

    /// The scope's region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The scope's service signing name.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// Whether a request made at `time` can be signed with this key (same UTC date).
    pub fn covers(&self, time: &AmzDate) -> bool {
        time.date_bytes() == self.date
    }

    /// An HMAC already keyed with `kSigning`, ready for the string to sign.
    pub(crate) fn mac(&self) -> Hmac<Sha256> {
        self.mac.clone()
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("date", &self.date())
            .field("region", &self.region())
            .field("service", &self.service())
            .finish_non_exhaustive()
    }
}

fn scope_name(s: &str) -> Option<heapless::String<MAX_SCOPE_NAME>> {
    let ok = !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        heapless::String::try_from(s).ok()
    } else {
        None
    }
}

fn keyed(key: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length; this cannot fail.
    <Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| Hmac::new(&Default::default()))
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = keyed(key);
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// `kDate = HMAC("AWS4" + secret, date)` without a heap: the key is built on the stack when it fits
/// a block, and otherwise replaced by its SHA-256 digest as HMAC itself would.
fn hmac_aws4_secret(secret: &[u8], date: &[u8; 8]) -> [u8; 32] {
    let mut block = [0u8; BLOCK];
    let len = secret.len().saturating_add(4);
    let out = match block.get_mut(..len) {
        Some(key) if len <= BLOCK => {
            let (prefix, rest) = key.split_at_mut(4);
            prefix.copy_from_slice(b"AWS4");
            rest.copy_from_slice(secret);
            hmac(key, date)
        }
        _ => {
            let mut digest: [u8; 32] = Sha256::new()
                .chain_update(b"AWS4")
                .chain_update(secret)
                .finalize()
                .into();
            let out = hmac(&digest, date);
            digest.zeroize();
            out
        }
    };
    block.zeroize();
    out
}
