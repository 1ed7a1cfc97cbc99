//! Serde helpers called by the generated shapes (`deserialize_with`).
//!
//! serde borrows a `Cow<'a, str>` only when it is a struct field of exactly that type; inside an
//! `Option`, a `Vec` or a map it always copies. These helpers borrow in every position: a string
//! without escapes is `Cow::Borrowed` from the body, one with escapes is `Cow::Owned`.

use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A string that borrows from the input when it can.
pub struct BorrowStr<'a>(pub Cow<'a, str>);

struct BorrowStrVisitor;

impl<'de> Visitor<'de> for BorrowStrVisitor {
    type Value = BorrowStr<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(BorrowStr(Cow::Borrowed(v)))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(BorrowStr(Cow::Owned(String::from(v))))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(BorrowStr(Cow::Owned(v)))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for BorrowStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(BorrowStrVisitor)
    }
}

/// `Cow<'a, str>`, borrowed when possible.
pub fn cow_str<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Cow<'a, str>, D::Error> {
    BorrowStr::deserialize(d).map(|s| s.0)
}

/// `Option<Cow<'a, str>>`, borrowed when possible; `null` is `None`.
pub fn opt_cow_str<'de: 'a, 'a, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Cow<'a, str>>, D::Error> {
    Option::<BorrowStr<'a>>::deserialize(d).map(|s| s.map(|s| s.0))
}

struct VecVisitor;

impl<'de> Visitor<'de> for VecVisitor {
    type Value = Vec<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of strings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // The size hint comes from the input; cap the preallocation.
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(BorrowStr(s)) = seq.next_element()? {
            out.push(s);
        }
        Ok(out)
    }
}

/// `Vec<Cow<'a, str>>`, each element borrowed when possible.
pub fn vec_cow_str<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Vec<Cow<'a, str>>, D::Error> {
    d.deserialize_seq(VecVisitor)
}

struct OptVec<'a>(Vec<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for OptVec<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        vec_cow_str(d).map(OptVec)
    }
}

/// `Option<Vec<Cow<'a, str>>>`; `null` is `None`.
pub fn opt_vec_cow_str<'de: 'a, 'a, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Vec<Cow<'a, str>>>, D::Error> {
    Option::<OptVec<'a>>::deserialize(d).map(|v| v.map(|v| v.0))
}

/// A string-to-string map (Kinesis `TagMap`, Firehose `ColumnToJsonKeyMappings`).
pub type StrMap<'a> = BTreeMap<Cow<'a, str>, Cow<'a, str>>;

struct MapVisitor;

impl<'de> Visitor<'de> for MapVisitor {
    type Value = StrMap<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of strings")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some((BorrowStr(k), BorrowStr(v))) = map.next_entry()? {
            // A repeated key: the last one wins, as in botocore (Python's json module).
            out.insert(k, v);
        }
        Ok(out)
    }
}

/// A string map, keys and values borrowed when possible.
pub fn map_cow_str<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<StrMap<'a>, D::Error> {
    d.deserialize_map(MapVisitor)
}

struct OptMap<'a>(StrMap<'a>);

impl<'de: 'a, 'a> Deserialize<'de> for OptMap<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        map_cow_str(d).map(OptMap)
    }
}

/// `Option` of a string map; `null` is `None`.
pub fn opt_map_cow_str<'de: 'a, 'a, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<StrMap<'a>>, D::Error> {
    Option::<OptMap<'a>>::deserialize(d).map(|v| v.map(|v| v.0))
}

/// A request timestamp: a JSON number only (see `Timestamp::deserialize_number`).
pub fn timestamp_number<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<crate::timestamp::Timestamp, D::Error> {
    crate::timestamp::Timestamp::deserialize_number(d)
}

struct NumberTimestamp(crate::timestamp::Timestamp);

impl<'de> Deserialize<'de> for NumberTimestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        timestamp_number(d).map(NumberTimestamp)
    }
}

/// An optional request timestamp; `null` is `None`.
pub fn opt_timestamp_number<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<crate::timestamp::Timestamp>, D::Error> {
    Option::<NumberTimestamp>::deserialize(d).map(|t| t.map(|t| t.0))
}
