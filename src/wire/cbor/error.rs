//! The CBOR reader's and writer's error, before it becomes a [`WireError`](crate::wire::WireError).

use alloc::string::{String, ToString};
use core::fmt;

use crate::cbor::{CborError, CborErrorKind};
use crate::wire::WireErrorKind;

pub(crate) type Result<T> = core::result::Result<T, DeError>;

/// What went wrong, and at which byte if the CBOR layer knows.
#[derive(Debug)]
pub(crate) struct DeError {
    pub(crate) kind: WireErrorKind,
    pub(crate) message: String,
    pub(crate) offset: Option<usize>,
}

impl DeError {
    pub(crate) fn new(kind: WireErrorKind, message: String) -> Self {
        DeError {
            kind,
            message,
            offset: None,
        }
    }

    pub(crate) fn data(message: String) -> Self {
        DeError::new(WireErrorKind::Data, message)
    }
}

impl From<CborError> for DeError {
    fn from(e: CborError) -> Self {
        let kind = match e.kind() {
            CborErrorKind::Eof | CborErrorKind::LengthTooLarge => WireErrorKind::Eof,
            _ => WireErrorKind::Syntax,
        };
        // The message without the offset: `WireError` shows the offset on its own.
        let mut message = e.to_string();
        if let Some(cut) = message.rfind(" (byte ") {
            message.truncate(cut);
        }
        DeError {
            kind,
            message,
            offset: Some(e.offset()),
        }
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl core::error::Error for DeError {}

impl serde::de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError::data(crate::quote::bound_message(&msg.to_string()))
    }
}

impl serde::ser::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError::data(msg.to_string())
    }
}
