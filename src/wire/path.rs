//! JSON path tracking for deserialization errors.
//!
//! `serde_json` reports a line and a column; a person fixing a request wants to know *which
//! member* was wrong. [`Tracked`] wraps any `serde::Deserializer` and, when the inner
//! deserializer or a visitor fails, records the path of the value being read at that moment
//! (`$.Records[3].Data`). Nothing is recorded on success.
//!
//! The wrapper costs something per value, so the crate parses without it first and only runs a
//! second, tracked pass over the same bytes once the first pass failed (parsing is deterministic,
//! so the second pass fails at the same place). See [`crate::wire::parse_json`].

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};
use core::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};

/// One step of the parent chain, kept on the stack while deserializing.
pub(crate) enum Chain<'c> {
    /// The document itself (`$`).
    Root,
    /// An element of an array.
    Index { parent: &'c Chain<'c>, index: usize },
    /// The value of an object member.
    Key { parent: &'c Chain<'c>, key: &'c str },
    /// A value whose key could not be captured (a non-string key).
    Unnamed { parent: &'c Chain<'c> },
}

/// A recorded path segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    Index(usize),
    Key(String),
    Unnamed,
}

/// Where the first error happened, filled once by the innermost failing wrapper; and the
/// element budget of [`super::ParseOptions`].
pub(crate) struct Track {
    path: RefCell<Option<Vec<Segment>>>,
    max_elements: usize,
    elements_left: Cell<usize>,
    exceeded: Cell<bool>,
}

impl Track {
    pub(crate) fn new(options: &super::ParseOptions) -> Self {
        Track {
            path: RefCell::new(None),
            max_elements: options.max_elements,
            elements_left: Cell::new(options.max_elements),
            exceeded: Cell::new(false),
        }
    }

    /// Spends one list element or map entry of the budget; `false` once it is spent (and
    /// remembers that, so the error is `TooManyElements`).
    fn spend_element(&self) -> bool {
        match self.elements_left.get().checked_sub(1) {
            Some(left) => {
                self.elements_left.set(left);
                true
            }
            None => {
                self.exceeded.set(true);
                false
            }
        }
    }

    /// The error for the first element past the budget.
    fn too_many<E: de::Error>(&self) -> E {
        E::custom(format_args!(
            "more than {} list elements and map entries in the body (ParseOptions::max_elements)",
            self.max_elements
        ))
    }

    /// Whether the element budget ran out (the error is then `TooManyElements`).
    pub(crate) fn exceeded(&self) -> bool {
        self.exceeded.get()
    }

    fn trigger(&self, chain: &Chain<'_>) {
        let mut slot = self.path.borrow_mut();
        if slot.is_some() {
            return;
        }
        let mut segments = Vec::new();
        let mut at = chain;
        loop {
            match at {
                Chain::Root => break,
                Chain::Index { parent, index } => {
                    segments.push(Segment::Index(*index));
                    at = parent;
                }
                Chain::Key { parent, key } => {
                    // A key is input: a 10 MB key must not make a 10 MB path.
                    segments.push(Segment::Key(crate::quote::bounded_key(key)));
                    at = parent;
                }
                Chain::Unnamed { parent } => {
                    segments.push(Segment::Unnamed);
                    at = parent;
                }
            }
        }
        segments.reverse();
        *slot = Some(segments);
    }

    /// The recorded path (empty = the document root).
    pub(crate) fn take(self) -> Vec<Segment> {
        self.path.into_inner().unwrap_or_default()
    }
}

/// Formats segments as `$.A[3].B`.
pub(crate) struct PathDisplay<'s>(pub(crate) &'s [Segment]);

impl fmt::Display for PathDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for segment in self.0 {
            match segment {
                Segment::Index(i) => write!(f, "[{i}]")?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Unnamed => f.write_str(".?")?,
            }
        }
        Ok(())
    }
}

/// A deserializer that records the path of the value that failed.
pub(crate) struct Tracked<'c, D> {
    pub(crate) de: D,
    pub(crate) chain: &'c Chain<'c>,
    pub(crate) track: &'c Track,
}

struct Wrap<'c, X> {
    inner: X,
    chain: &'c Chain<'c>,
    track: &'c Track,
    /// Whether the entries of an object visited here spend the element budget: a map's do,
    /// a struct's members (read through `deserialize_struct`) do not.
    counted: bool,
    /// Whether a structure is being read: an array there is a type error (serde's derived
    /// structs would take the members by position, which no Kinesis body means).
    structure: bool,
}

impl<'c, X> Wrap<'c, X> {
    fn new(inner: X, chain: &'c Chain<'c>, track: &'c Track) -> Self {
        Wrap {
            inner,
            chain,
            track,
            counted: true,
            structure: false,
        }
    }
}

macro_rules! forward_deserialize {
    ($($method:ident ( $($arg:ident : $ty:ty),* );)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
                let (chain, track) = (self.chain, self.track);
                self.de
                    .$method($($arg,)* Wrap::new(visitor, chain, track))
                    .inspect_err(|_| track.trigger(chain))
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Tracked<'_, D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
        deserialize_ignored_any();
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let (chain, track) = (self.chain, self.track);
        let visitor = Wrap {
            counted: false,
            structure: true,
            ..Wrap::new(visitor, chain, track)
        };
        self.de
            .deserialize_struct(name, fields, visitor)
            .inspect_err(|_| track.trigger(chain))
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident ( $ty:ty );)*) => {
        $(
            fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
                self.inner.$method(v)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_visit! {
        visit_bool(bool);
        visit_i8(i8);
        visit_i16(i16);
        visit_i32(i32);
        visit_i64(i64);
        visit_i128(i128);
        visit_u8(u8);
        visit_u16(u16);
        visit_u32(u32);
        visit_u64(u64);
        visit_u128(u128);
        visit_f32(f32);
        visit_f64(f64);
        visit_char(char);
        visit_str(&str);
        visit_borrowed_str(&'de str);
        visit_string(String);
        visit_bytes(&[u8]);
        visit_borrowed_bytes(&'de [u8]);
        visit_byte_buf(Vec<u8>);
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
        self.inner.visit_some(Tracked {
            de: d,
            chain: self.chain,
            track: self.track,
        })
    }

    fn visit_newtype_struct<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
        self.inner.visit_newtype_struct(Tracked {
            de: d,
            chain: self.chain,
            track: self.track,
        })
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        if self.structure {
            return Err(de::Error::invalid_type(
                de::Unexpected::Seq,
                &"a structure (an object)",
            ));
        }
        self.inner.visit_seq(SeqWrap {
            inner: seq,
            chain: self.chain,
            track: self.track,
            index: 0,
        })
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.inner.visit_map(MapWrap {
            inner: map,
            chain: self.chain,
            track: self.track,
            key: None,
            counted: self.counted,
        })
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        self.inner
            .visit_enum(Wrap::new(data, self.chain, self.track))
    }
}

struct SeqWrap<'c, A> {
    inner: A,
    chain: &'c Chain<'c>,
    track: &'c Track,
    index: usize,
}

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for SeqWrap<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let child = Chain::Index {
            parent: self.chain,
            index: self.index,
        };
        self.index = self.index.saturating_add(1);
        let track = self.track;
        let element = self
            .inner
            .next_element_seed(Wrap::new(seed, &child, track))
            .inspect_err(|_| track.trigger(&child))?;
        // Counted once read (serde_json cannot say whether one follows without reading it):
        // at most one element past the budget is ever built.
        if element.is_some() && !track.spend_element() {
            track.trigger(&child);
            return Err(track.too_many());
        }
        Ok(element)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

struct MapWrap<'c, 'de, A> {
    inner: A,
    chain: &'c Chain<'c>,
    track: &'c Track,
    key: Option<Cow<'de, str>>,
    /// Whether the entries spend the element budget (see [`Wrap`]).
    counted: bool,
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for MapWrap<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.key = None;
        let (chain, track) = (self.chain, self.track);
        let key = self
            .inner
            .next_key_seed(CaptureKey {
                seed,
                key: &mut self.key,
            })
            .inspect_err(|_| track.trigger(chain))?;
        if key.is_some() && self.counted && !track.spend_element() {
            let child = match &self.key {
                Some(key) => Chain::Key {
                    parent: chain,
                    key: key.as_ref(),
                },
                None => Chain::Unnamed { parent: chain },
            };
            track.trigger(&child);
            return Err(track.too_many());
        }
        Ok(key)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        let track = self.track;
        let child = match &self.key {
            Some(key) => Chain::Key {
                parent: self.chain,
                key: key.as_ref(),
            },
            None => Chain::Unnamed { parent: self.chain },
        };
        self.inner
            .next_value_seed(Wrap::new(seed, &child, track))
            .inspect_err(|_| track.trigger(&child))
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, T: DeserializeSeed<'de>> DeserializeSeed<'de> for Wrap<'_, T> {
    type Value = T::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T::Value, D::Error> {
        self.inner.deserialize(Tracked {
            de: d,
            chain: self.chain,
            track: self.track,
        })
    }
}

impl<'c, 'de, A: de::EnumAccess<'de>> de::EnumAccess<'de> for Wrap<'c, A> {
    type Error = A::Error;
    type Variant = Wrap<'c, A::Variant>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), A::Error> {
        let (chain, track) = (self.chain, self.track);
        let (value, variant) = self
            .inner
            .variant_seed(seed)
            .inspect_err(|_| track.trigger(chain))?;
        Ok((value, Wrap::new(variant, chain, track)))
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for Wrap<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.inner.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        let (chain, track) = (self.chain, self.track);
        self.inner
            .newtype_variant_seed(Wrap::new(seed, chain, track))
            .inspect_err(|_| track.trigger(chain))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        let (chain, track) = (self.chain, self.track);
        self.inner
            .tuple_variant(len, Wrap::new(visitor, chain, track))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        let (chain, track) = (self.chain, self.track);
        self.inner
            .struct_variant(fields, Wrap::new(visitor, chain, track))
    }
}

/// Wraps a map key seed to remember the key's text for the path.
struct CaptureKey<'k, 'de, K> {
    seed: K,
    key: &'k mut Option<Cow<'de, str>>,
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for CaptureKey<'_, 'de, K> {
    type Value = K::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<K::Value, D::Error> {
        self.seed.deserialize(KeyDe {
            de: d,
            key: self.key,
        })
    }
}

struct KeyDe<'k, 'de, D> {
    de: D,
    key: &'k mut Option<Cow<'de, str>>,
}

macro_rules! forward_key_deserialize {
    ($($method:ident ( $($arg:ident : $ty:ty),* );)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
                self.de.$method($($arg,)* KeyVisitor { inner: visitor, key: self.key })
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for KeyDe<'_, 'de, D> {
    type Error = D::Error;

    forward_key_deserialize! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
        deserialize_ignored_any();
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

struct KeyVisitor<'k, 'de, V> {
    inner: V,
    key: &'k mut Option<Cow<'de, str>>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for KeyVisitor<'_, 'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        *self.key = Some(Cow::Owned(String::from(v)));
        self.inner.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        *self.key = Some(Cow::Borrowed(v));
        self.inner.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        *self.key = Some(Cow::Owned(v.clone()));
        self.inner.visit_string(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.inner.visit_u64(v)
    }

    // A reader may hand a member name over as bytes (an ASCII name skips the UTF-8 pass): it
    // is still the name the path shows.
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        if let Ok(name) = core::str::from_utf8(v) {
            *self.key = Some(Cow::Owned(String::from(name)));
        }
        self.inner.visit_bytes(v)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Self::Value, E> {
        if let Ok(name) = core::str::from_utf8(v) {
            *self.key = Some(Cow::Borrowed(name));
        }
        self.inner.visit_borrowed_bytes(v)
    }
}
