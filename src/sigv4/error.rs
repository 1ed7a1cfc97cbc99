//! Why a request could not be signed.

use core::fmt;

/// Why a request could not be signed. Nothing is written when signing fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// The signing key was derived for another date than the request's (`x-amz-date`); derive a
    /// key for the new day.
    KeyDate,
    /// The signing key was derived for another service than the request's.
    KeyService,
    /// The method is empty or not an HTTP token.
    Method,
    /// The access key id is empty, longer than [`MAX_ACCESS_KEY_ID`](super::MAX_ACCESS_KEY_ID)
    /// bytes, or holds a byte that is not a letter, digit or one of `-_.~+=` (it is written into
    /// the `Authorization` header).
    AccessKeyId,
    /// The header at `index` (the caller's headers first, then the ones the signer adds) has an
    /// empty name or one that is not an HTTP token.
    HeaderName {
        /// Position in the request's headers.
        index: usize,
    },
    /// The header at `index` has a value with a control character (other than a tab, or a line
    /// break followed by a space or tab).
    HeaderValue {
        /// Position in the request's headers.
        index: usize,
    },
    /// The caller's header at `index` is one the signer writes itself (`authorization`,
    /// `x-amz-date`, and `x-amz-security-token` or `x-amz-content-sha256` when it adds them).
    ReservedHeader {
        /// Position in the caller's headers.
        index: usize,
    },
    /// More than [`MAX_HEADERS`](super::MAX_HEADERS) headers.
    TooManyHeaders,
    /// More than [`MAX_QUERY_PARAMS`](super::MAX_QUERY_PARAMS) query parameters.
    TooManyQueryParams,
    /// More than [`MAX_PATH_SEGMENTS`](super::MAX_PATH_SEGMENTS) path segments to normalize.
    TooManyPathSegments,
    /// The `X-Amz-Target` does not name an operation of the service (`Kinesis_20131202.<name>` or
    /// `Firehose_20150804.<name>`).
    Target,
    /// The host is empty or holds a byte that cannot be in a host name or `host:port`.
    Host,
    /// The output buffer is too small for what has to be written.
    BufferTooSmall {
        /// Bytes needed in all.
        needed: usize,
    },
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::KeyDate => {
                f.write_str("the signing key is for another date than the request; derive a new key")
            }
            SignError::KeyService => {
                f.write_str("the signing key is for another service than the request")
            }
            SignError::Method => f.write_str("the HTTP method is empty or not a token"),
            SignError::AccessKeyId => f.write_str(
                "the access key id must be 1 to 128 letters, digits or '-', '_', '.', '~', '+', '='",
            ),
            SignError::HeaderName { index } => {
                write!(f, "header {index}: the name is empty or not an HTTP token")
            }
            SignError::HeaderValue { index } => {
                write!(f, "header {index}: the value holds a control character")
            }
            SignError::ReservedHeader { index } => write!(
                f,
                "header {index}: the signer writes this header itself; leave it out"
            ),
            SignError::TooManyHeaders => {
                write!(f, "more than {} headers", super::MAX_HEADERS)
            }
            SignError::TooManyQueryParams => {
                write!(f, "more than {} query parameters", super::MAX_QUERY_PARAMS)
            }
            SignError::TooManyPathSegments => {
                write!(f, "more than {} path segments", super::MAX_PATH_SEGMENTS)
            }
            SignError::Target => f.write_str(
                "the target must be Kinesis_20131202.<Operation> or Firehose_20150804.<Operation>",
            ),
            SignError::Host => f.write_str("the host is empty or not a host name with optional :port"),
            SignError::BufferTooSmall { needed } => {
                write!(f, "the output buffer is too small: {needed} bytes needed")
            }
        }
    }
}

impl core::error::Error for SignError {}
