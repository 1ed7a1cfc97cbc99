//! The KCL's Java readings of an aggregate's keys, reproduced exactly: table indexes through
//! Java's `(int)` cast, explicit hash keys through `new BigInteger(String)`, and partition keys
//! hashed as the Java `String` they become (`spec/kpl.md`; the module docs of [`kpl`](super)
//! list the corners).

use md5::{Digest, Md5};

use crate::hashkey::{HashKey, MAX_DECIMAL_LEN};

/// MD5 of the partition key's UTF-8 as Java sees it (invalid sequences as U+FFFD).
pub(super) fn partition_key_hash(key: &[u8]) -> HashKey {
    if core::str::from_utf8(key).is_ok() {
        return HashKey::from_partition_key_bytes(key);
    }
    let mut md5 = Md5::new();
    for chunk in key.utf8_chunks() {
        md5.update(chunk.valid().as_bytes());
        if !chunk.invalid().is_empty() {
            md5.update("\u{fffd}".as_bytes());
        }
    }
    let digest: [u8; 16] = md5.finalize().into();
    HashKey::new(u128::from_be_bytes(digest))
}

/// A number as `new BigInteger(String)` reads it, placed against the hash key space.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Number {
    Key(HashKey),
    /// Negative, or 2^128 or more.
    Outside,
}

/// `new BigInteger(text)`: an optional `+` or `-`, then one or more decimal digits (leading
/// zeros allowed). `None` is Java's `NumberFormatException`. Java also takes non-ASCII Unicode
/// digits; those are refused here (see the module docs).
pub(super) fn big_integer(text: &[u8]) -> Option<Number> {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let first = digits.iter().position(|&d| d != b'0');
    let Some(significant) = first.and_then(|i| digits.get(i..)) else {
        return Some(Number::Key(HashKey::MIN));
    };
    if negative || significant.len() > MAX_DECIMAL_LEN {
        return Some(Number::Outside);
    }
    Some(match HashKey::parse_bytes(significant) {
        Ok(k) => Number::Key(k),
        Err(_) => Number::Outside,
    })
}

/// A table index as the KCL uses it: `(int) index`, negative when bit 31 is set.
pub(super) fn java_index(index: u64, table_len: usize) -> Option<usize> {
    let low = index & 0xffff_ffff;
    if low > 0x7fff_ffff {
        return None;
    }
    usize::try_from(low).ok().filter(|&i| i < table_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_integer_as_java_reads_it() {
        let key = |n| Some(Number::Key(HashKey::new(n)));
        assert_eq!(big_integer(b"0"), key(0));
        assert_eq!(big_integer(b"-0"), key(0));
        assert_eq!(big_integer(b"+007"), key(7));
        assert_eq!(big_integer(b"-1"), Some(Number::Outside));
        assert_eq!(
            big_integer(b"340282366920938463463374607431768211455"),
            key(u128::MAX)
        );
        assert_eq!(
            big_integer(b"340282366920938463463374607431768211456"),
            Some(Number::Outside)
        );
        assert_eq!(
            big_integer(b"0000000000000000000000000000000000000000001"),
            key(1)
        );
        for bad in [&b""[..], b"+", b"-", b"1 ", b" 1", b"1e3", b"+-1", b"0x10"] {
            assert_eq!(big_integer(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn java_int_cast_of_indexes() {
        assert_eq!(java_index(0, 1), Some(0));
        assert_eq!(java_index(1, 1), None);
        // (int) 2^32 == 0: the KCL reads entry 0.
        assert_eq!(java_index(1 << 32, 1), Some(0));
        assert_eq!(java_index(0xffff_ffff, 10), None);
        assert_eq!(java_index(u64::MAX, 10), None);
    }

    #[test]
    fn invalid_utf8_partition_keys_hash_as_java_strings() {
        // "a\xffb" is "a\u{fffd}b" to Java.
        assert_eq!(
            partition_key_hash(b"a\xffb"),
            HashKey::from_partition_key("a\u{fffd}b")
        );
        assert_eq!(
            partition_key_hash(b"abc"),
            HashKey::from_partition_key("abc")
        );
    }
}
