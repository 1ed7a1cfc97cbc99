//! The initial byte and argument of every CBOR item (RFC 8949 §3), read and written.

use super::error::CborErrorKind;
use crate::json::sink::{BufferFull, Sink};

/// The eight major types (RFC 8949 §3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Major {
    /// 0: unsigned integer.
    Unsigned,
    /// 1: negative integer.
    Negative,
    /// 2: byte string.
    Bytes,
    /// 3: text string.
    Text,
    /// 4: array.
    Array,
    /// 5: map.
    Map,
    /// 6: tag.
    Tag,
    /// 7: simple values, floats and the break.
    Simple,
}

impl Major {
    /// The major type of an initial byte.
    pub const fn of(initial: u8) -> Major {
        match initial >> 5 {
            0 => Major::Unsigned,
            1 => Major::Negative,
            2 => Major::Bytes,
            3 => Major::Text,
            4 => Major::Array,
            5 => Major::Map,
            6 => Major::Tag,
            _ => Major::Simple,
        }
    }

    const fn bits(self) -> u8 {
        (self as u8) << 5
    }
}

/// An item's argument: a value, or "indefinite" (additional information 31).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    /// The value of the argument.
    Value(u64),
    /// Additional information 31.
    Indefinite,
}

/// An initial byte and its argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    /// The major type.
    pub major: Major,
    /// The additional information (the low five bits).
    pub info: u8,
    /// The argument.
    pub arg: Arg,
}

/// Reads the head at the start of `buf`: the head and the bytes it took.
pub fn read_head(buf: &[u8]) -> Result<(Head, usize), CborErrorKind> {
    let (&initial, rest) = buf.split_first().ok_or(CborErrorKind::Eof)?;
    let major = Major::of(initial);
    let info = initial & 0x1f;
    let (arg, used) = match info {
        0..=23 => (Arg::Value(u64::from(info)), 1),
        24..=27 => {
            let n = match info {
                24 => 1,
                25 => 2,
                26 => 4,
                _ => 8,
            };
            let bytes = rest.get(..n).ok_or(CborErrorKind::Eof)?;
            let v = bytes.iter().fold(0u64, |v, &b| (v << 8) | u64::from(b));
            (Arg::Value(v), n.saturating_add(1))
        }
        28..=30 => return Err(CborErrorKind::Reserved),
        _ => (Arg::Indefinite, 1),
    };
    Ok((Head { major, info, arg }, used))
}

/// Writes a head with argument `value` in its shortest form (RFC 8949 §4.2.1, what the Java
/// SDK writes).
pub fn write_head<S: Sink + ?Sized>(
    out: &mut S,
    major: Major,
    value: u64,
) -> Result<(), BufferFull> {
    let m = major.bits();
    let be = value.to_be_bytes();
    #[allow(
        clippy::cast_possible_truncation,
        reason = "each arm's range fits the width it writes"
    )]
    match value {
        0..=23 => out.extend(&[m | value as u8]),
        24..=0xff => out.extend(&[m | 24, value as u8]),
        0x100..=0xffff => out.extend(&[m | 25, be[6], be[7]]),
        0x1_0000..=0xffff_ffff => out.extend(&[m | 26, be[4], be[5], be[6], be[7]]),
        _ => {
            out.extend(&[m | 27])?;
            out.extend(&be)
        }
    }
}

/// Writes the head of an indefinite-length item of `major` (byte string, text, array, map).
pub fn write_indefinite<S: Sink + ?Sized>(out: &mut S, major: Major) -> Result<(), BufferFull> {
    out.extend(&[major.bits() | 31])
}

/// The break that ends an indefinite-length item.
pub const BREAK: u8 = 0xff;
