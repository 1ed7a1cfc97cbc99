//! Routing a record: the partition key's MD5, unless an `ExplicitHashKey` overrides it.

use core::fmt;

use super::key::{HashKey, ParseHashKeyError};
use super::reshard::InvalidExplicitHashKey;

/// The hash key a record routes by: `explicit_hash_key` when given (parsed strictly), otherwise
/// the MD5 of the partition key.
///
/// ```
/// use kinesis_codec::hashkey::{route, HashKey, RouteError};
/// assert_eq!(route("a", None).unwrap().to_string(), "16955237001963240173058271559858726497");
/// assert_eq!(route("a", Some("7")).unwrap(), HashKey::new(7));
/// assert!(matches!(route("a", Some("07")), Err(RouteError::InvalidExplicitHashKey(_))));
/// ```
pub fn route(partition_key: &str, explicit_hash_key: Option<&str>) -> Result<HashKey, RouteError> {
    match explicit_hash_key {
        Some(text) => HashKey::parse(text).map_err(RouteError::InvalidExplicitHashKey),
        None => Ok(HashKey::from_partition_key(partition_key)),
    }
}

/// Why a record cannot be routed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum RouteError {
    /// The `ExplicitHashKey` is not a valid hash key (the service answers
    /// `InvalidArgumentException`; [`RouteError::message`] renders its text).
    InvalidExplicitHashKey(ParseHashKeyError),
}

impl RouteError {
    /// The service's message text, given the `ExplicitHashKey` value of the request.
    pub const fn message(self, explicit_hash_key: &str) -> InvalidExplicitHashKey<'_> {
        InvalidExplicitHashKey {
            value: explicit_hash_key,
        }
    }
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteError::InvalidExplicitHashKey(e) => write!(f, "invalid ExplicitHashKey: {e}"),
        }
    }
}

impl core::error::Error for RouteError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            RouteError::InvalidExplicitHashKey(e) => Some(e),
        }
    }
}
