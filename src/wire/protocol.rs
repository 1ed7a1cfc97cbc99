//! [`Protocol`]: which body format a message is in, chosen per call.

/// The body format of a request, a response, an error or an event payload. The same endpoint,
/// `X-Amz-Target` and shapes serve both (`spec/cbor.md`); a server answers in the protocol it
/// was asked in ([`Protocol::from_content_type`] on the request's `Content-Type`).
///
/// ```
/// use kinesis_codec::kinesis::{Operation, Request};
/// use kinesis_codec::wire::Protocol;
///
/// let json = br#"{"StreamName":"orders","ShardId":"shardId-000000000000","ShardIteratorType":"TRIM_HORIZON"}"#;
/// let request = Request::parse(Operation::GetShardIterator, json)?;
///
/// // The same request as the Java SDK sends it.
/// let cbor = request.to_vec_in(Protocol::Cbor);
/// let protocol = Protocol::from_content_type("application/x-amz-cbor-1.1").unwrap();
/// assert_eq!(Request::parse_in(protocol, Operation::GetShardIterator, &cbor)?, request);
/// # Ok::<(), kinesis_codec::wire::WireError>(())
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// JSON 1.1 (`application/x-amz-json-1.1`): what botocore, the AWS CLI and the Rust SDK
    /// send.
    #[default]
    Json,
    /// CBOR (`application/x-amz-cbor-1.1`): what the AWS SDK for Java (and so the KCL) sends
    /// by default.
    Cbor,
}

impl Protocol {
    /// The `Content-Type` of a body in this protocol.
    pub const fn content_type(self) -> &'static str {
        match self {
            Protocol::Json => "application/x-amz-json-1.1",
            Protocol::Cbor => "application/x-amz-cbor-1.1",
        }
    }

    /// The protocol of a `Content-Type` header value (parameters after `;` and ASCII case
    /// ignored); `application/json` and `application/x-amz-json-1.0` read as JSON too, as the
    /// services accept them. `None` for anything else.
    pub fn from_content_type(value: &str) -> Option<Protocol> {
        let media = value.split(';').next().unwrap_or_default().trim();
        let is = |name: &str| media.eq_ignore_ascii_case(name);
        if is("application/x-amz-cbor-1.1") {
            Some(Protocol::Cbor)
        } else if is("application/x-amz-json-1.1")
            || is("application/x-amz-json-1.0")
            || is("application/json")
        {
            Some(Protocol::Json)
        } else {
            None
        }
    }
}
