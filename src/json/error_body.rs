//! Error bodies: the `__type` rule (which error a body names; spec `kinesis-wire.md`, "Errors";
//! the same rule as botocore's) and the one reader of the members every error body has. Every
//! reader of error bodies, with or without a heap, applies both through this module.

use super::scan::MAX_DEPTH_LIMIT;
use super::{JsonStr, ScanError, Scanner, Value};

/// The error code named by an error body's `__type` member: everything from the first `:` is
/// removed, then everything up to and including the last `#`.
///
/// ```
/// use kinesis_codec::json::error_code;
/// assert_eq!(error_code("com.amazonaws.kinesis.v20131202#ResourceNotFoundException"), "ResourceNotFoundException");
/// assert_eq!(error_code("ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.service/"), "ResourceNotFoundException");
/// assert_eq!(error_code("LimitExceededException"), "LimitExceededException");
/// ```
pub fn error_code(type_field: &str) -> &str {
    let before_colon = match type_field.split_once(':') {
        Some((head, _)) => head,
        None => type_field,
    };
    match before_colon.rsplit_once('#') {
        Some((_, tail)) => tail,
        None => before_colon,
    }
}

/// How an error body's members are held to their types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// botocore's reading: a member that is not a string reads as absent, and the last of two
    /// equal members wins (what a client shows its user).
    Lenient,
    /// Each known member at most once, and a string or `null` (what a checker refuses).
    Strict,
}

/// What [`ErrorMembers::read`] found wrong with a body.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorBodyFault {
    /// Not JSON (or nested deeper than the limit).
    Syntax(ScanError),
    /// JSON, but not an object.
    NotAnObject {
        /// Byte offset of the value.
        offset: usize,
    },
    /// [`Strictness::Strict`]: a known member holds neither a string nor `null`.
    NotAString {
        /// The member.
        member: &'static str,
        /// Byte offset of the value.
        offset: usize,
    },
    /// [`Strictness::Strict`]: a known member appears twice.
    Duplicate {
        /// The member.
        member: &'static str,
        /// Byte offset of the second key.
        offset: usize,
    },
}

impl From<ScanError> for ErrorBodyFault {
    fn from(e: ScanError) -> Self {
        ErrorBodyFault::Syntax(e)
    }
}

/// The members every reader of an error body looks at (spec `kinesis-wire.md`, "Errors":
/// `{"__type": T, "message" | "Message": M, ...}`), borrowed from the body. One reader for the
/// heap-free producer ([`crate::producer::ErrorResponse`], strict) and the generated error
/// enums (`wire::error_body::ErrorEnvelope`, lenient).
///
/// ```
/// use kinesis_codec::json::error_body::{ErrorMembers, Strictness};
/// let body = br#"{"__type":"kinesis#ExpiredIteratorException","Message":"Iterator expired","x":[1]}"#;
/// let m = ErrorMembers::read(body, Strictness::Strict)?;
/// assert_eq!(m.code(), Some("ExpiredIteratorException"));
/// assert_eq!(m.message(), Some(m.message_upper.unwrap()));
/// # Ok::<(), kinesis_codec::json::error_body::ErrorBodyFault>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ErrorMembers<'a> {
    /// `__type` as sent.
    pub error_type: Option<JsonStr<'a>>,
    /// `message`.
    pub message_lower: Option<JsonStr<'a>>,
    /// `Message`.
    pub message_upper: Option<JsonStr<'a>>,
}

/// The members read, in the order of [`ErrorMembers`]'s fields.
const KNOWN: [&str; 3] = ["__type", "message", "Message"];

impl<'a> ErrorMembers<'a> {
    /// Reads the whole body: one JSON object (any other members skipped, their syntax
    /// checked), and nothing after it. Nesting is limited to the scanner's default
    /// ([`DEFAULT_MAX_DEPTH`](super::scan::DEFAULT_MAX_DEPTH)) when strict, and as
    /// `serde_json` limits it ([`MAX_DEPTH_LIMIT`]) when lenient, as botocore reads it.
    pub fn read(body: &'a [u8], strictness: Strictness) -> Result<Self, ErrorBodyFault> {
        let mut sc = Scanner::new(body);
        if strictness == Strictness::Lenient {
            sc = sc.with_max_depth(MAX_DEPTH_LIMIT);
        }
        if sc.peek()? != Value::Object {
            return Err(ErrorBodyFault::NotAnObject {
                offset: sc.offset(),
            });
        }
        sc.begin_object()?;
        let mut members = Self::default();
        let mut seen = [false; KNOWN.len()];
        let mut first = true;
        loop {
            let key_offset = sc.next_offset(); // where the next member starts
            let Some(key) = sc.next_member(&mut first)? else {
                break;
            };
            let Some(i) = KNOWN.iter().position(|k| key == *k) else {
                sc.skip_value()?;
                continue;
            };
            let member = KNOWN.get(i).copied().unwrap_or_default();
            if strictness == Strictness::Strict && seen.get(i).copied().unwrap_or(false) {
                return Err(ErrorBodyFault::Duplicate {
                    member,
                    offset: key_offset,
                });
            }
            if let Some(flag) = seen.get_mut(i) {
                *flag = true;
            }
            let value = match sc.peek()? {
                Value::String => Some(sc.string()?),
                Value::Null => {
                    sc.null()?;
                    None
                }
                _ if strictness == Strictness::Strict => {
                    return Err(ErrorBodyFault::NotAString {
                        member,
                        offset: sc.offset(),
                    })
                }
                _ => {
                    sc.skip_value()?;
                    None
                }
            };
            match i {
                0 => members.error_type = value,
                1 => members.message_lower = value,
                _ => members.message_upper = value,
            }
        }
        sc.end()?;
        Ok(members)
    }

    /// `message`, else `Message`.
    pub fn message(&self) -> Option<JsonStr<'a>> {
        self.message_lower.or(self.message_upper)
    }

    /// The error code by the `__type` rule ([`error_code`]), when `__type` is present and
    /// holds no escapes (decode [`error_type`](Self::error_type) for the general case).
    pub fn code(&self) -> Option<&'a str> {
        self.error_type.and_then(|t| t.as_str()).map(error_code)
    }
}
