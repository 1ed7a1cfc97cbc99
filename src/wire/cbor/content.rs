//! What the CBOR reader hands a blob or a timestamp inside its private newtype: raw bytes
//! (not human-readable), base64 text (human-readable, checked by the blob as in JSON), or
//! epoch milliseconds.

use alloc::borrow::Cow;

use serde::de::{self, Visitor};

use super::error::{DeError, Result};

/// A byte string's bytes.
pub(crate) struct Raw<'de>(pub(crate) Cow<'de, [u8]>);

/// A text string where a blob belongs: base64 text.
pub(crate) struct Text<'de>(pub(crate) Cow<'de, str>);

/// A timestamp's epoch milliseconds, after the protocol's rules.
pub(crate) struct Millis(pub(crate) i64);

/// A deserializer of one value, whatever the visitor asks for: `$visit` hands it over;
/// `$readable` tells a blob or timestamp which form it is.
macro_rules! one_value {
    ($ty:ty, readable: $readable:expr, |$value:ident, $visitor:ident| $visit:expr) => {
        impl<'de> de::Deserializer<'de> for $ty {
            type Error = DeError;

            fn deserialize_any<V: Visitor<'de>>(self, $visitor: V) -> Result<V::Value> {
                let $value = self.0;
                $visit
            }

            fn is_human_readable(&self) -> bool {
                $readable
            }

            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map struct
                enum identifier ignored_any
            }
        }
    };
}

one_value!(Raw<'de>, readable: false, |bytes, visitor| match bytes {
    Cow::Borrowed(b) => visitor.visit_borrowed_bytes(b),
    Cow::Owned(b) => visitor.visit_byte_buf(b),
});

one_value!(Text<'de>, readable: true, |text, visitor| match text {
    Cow::Borrowed(t) => visitor.visit_borrowed_str(t),
    Cow::Owned(t) => visitor.visit_string(t),
});

one_value!(Millis, readable: false, |millis, visitor| visitor.visit_i64(millis));
