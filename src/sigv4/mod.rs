//! SigV4 request signing without a heap (`spec/sigv4.md`), for the Kinesis and Firehose requests
//! the producers write, and under them a general header signer for any request.
//!
//! - [`SigningKey`]: the HMAC chain, run once per (secret, date, region, service); the caller keeps
//!   the key as a value (it is `Clone`, and wiped when dropped), so each request costs one HMAC.
//! - [`ServiceRequest::sign`]: a Kinesis or Firehose request (`POST /`, JSON or CBOR body) signed,
//!   its headers ready to send and the `authorization` value in a caller buffer.
//! - [`Signing`]: the general signer; [`Signing::canonical_request`] and
//!   [`Signing::string_to_sign`] stream the intermediate texts into any [`Feed`] for checking.
//! - [`crate::producer::http`] writes a whole signed HTTP/1.1 request into one buffer.
//!
//! The canonical request is streamed into SHA-256 and never built in memory; the body is hashed
//! once ([`PayloadHash`]). The crate reads no clock: the time is an [`AmzDate`] the caller passes.
//!
//! ```
//! use kinesis_codec::sigv4::{AmzDate, ContentType, Credentials, PayloadHash, Service, ServiceRequest, SigningKey};
//! let time = AmzDate::from_unix_seconds(1_764_579_600)?; // from the device's clock
//! let key = SigningKey::derive("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", &time, "us-east-1", "kinesis")?;
//! let body = br#"{"StreamName":"s","Limit":10}"#;
//! let request = ServiceRequest {
//!     service: Service::Kinesis,
//!     host: "kinesis.us-east-1.amazonaws.com",
//!     target: "Kinesis_20131202.DescribeStream",
//!     content_type: ContentType::Json,
//! };
//! let credentials = Credentials { access_key_id: "AKIDEXAMPLE", session_token: None };
//! let mut authorization = [0u8; 256];
//! let headers = request.sign(&key, &credentials, time, &PayloadHash::of(body), &mut authorization)?;
//! for (name, value) in headers.iter() {
//!     // send `name: value`
//! #   assert!(!value.is_empty(), "{name}");
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod canonical;
mod date;
mod error;
mod key;
mod service;
mod signer;

pub use canonical::{Feed, MAX_HEADERS, MAX_PATH_SEGMENTS, MAX_QUERY_PARAMS};
pub use date::{AmzDate, DateError};
pub use error::SignError;
pub use key::{KeyError, SigningKey, MAX_SCOPE_NAME};
pub use service::{ContentType, Service, ServiceRequest, SignedHeaders};
pub use signer::{
    Credentials, Hex64, PayloadHash, Request, Settings, Signature, Signed, Signing, ALGORITHM,
    MAX_ACCESS_KEY_ID,
};
