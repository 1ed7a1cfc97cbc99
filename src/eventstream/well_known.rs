//! [`WellKnown`]: string header values a protocol expects on most frames, which decoding hands
//! out as `&'static str` instead of checking their UTF-8 again.
//!
//! The event-stream layer knows no protocol's strings: the set is the caller's, given in
//! [`DecodeOptions::well_known`](super::DecodeOptions::well_known), and empty by default. A
//! protocol layer supplies its own (the Kinesis layer has one for `SubscribeToShard`). The set
//! changes no decoded value, only how fast it is produced: a string header value equal to one
//! of the set is that `'static` text, any other value is checked as UTF-8, as without a set.

use super::short;

/// A set of up to [`WellKnown::MAX`] string header values that decoding hands out without a
/// UTF-8 pass. Decoders hold it by `&'static` reference.
///
/// A value is looked up by its length first (one bit test against the lengths of the set, so
/// a value of no known length costs nothing more), then against each value of the set in the
/// order given, in straight-line code, not a loop: one compare for a value of another length,
/// a few word loads for one of the same length. Where the set is a constant and the decode is
/// inlined (a `const` [`Decoder`](super::Decoder) or [`DecodeOptions`](super::DecodeOptions)),
/// the compiler folds the set in: what remains is a switch on the length and constant-size
/// compares, as for strings written in the code.
///
/// ```
/// use kinesis_codec::eventstream::{decode, encode, Decoded, Decoder, DecodeOptions, Header,
///     HeaderValue, WellKnown};
///
/// const KNOWN: WellKnown = WellKnown::new(["event", "application/json"]);
/// const DECODER: Decoder = Decoder::new(DecodeOptions::DEFAULT.well_known(&KNOWN));
///
/// let headers = [
///     Header::new(":message-type", HeaderValue::String("event")),
///     Header::new(":content-type", HeaderValue::String("text/plain")),
/// ];
/// let mut buf = [0u8; 128];
/// let len = encode(&headers, b"hi", &mut buf)?;
///
/// // The same values with the set as without it: only the UTF-8 pass is skipped.
/// let Decoded::Frame { frame, .. } = DECODER.decode(&buf[..len])? else { unreachable!() };
/// let Decoded::Frame { frame: plain, .. } = decode(&buf[..len])? else { unreachable!() };
/// assert!(frame.headers().eq(plain.headers()));
/// assert_eq!(frame.header_str(":message-type"), Some("event"));
///
/// assert_eq!(KNOWN.get(b"event"), Some("event"));
/// assert_eq!(KNOWN.get(b"text/plain"), None);
/// assert_eq!(WellKnown::NONE.get(b"event"), None);
/// assert!(KNOWN.values().eq(["event", "application/json"]));
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
///
/// More than [`WellKnown::MAX`] values do not compile:
///
/// ```compile_fail
/// use kinesis_codec::eventstream::WellKnown;
/// const TOO_MANY: WellKnown = WellKnown::new(["a"; 17]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WellKnown {
    /// The values in the order given, then `None`.
    values: [Option<&'static str>; WellKnown::MAX],
    /// Bit `n` is set if a value of the set is `n` bytes long (bit 63: 63 bytes or more).
    lens: u64,
}

impl WellKnown {
    /// The most values a set holds: each is one compare on every lookup of a known length.
    pub const MAX: usize = 16;

    /// The empty set, the default: every string value is checked as UTF-8.
    pub const NONE: WellKnown = WellKnown::new([]);

    /// A set of these values (at most [`WellKnown::MAX`], checked when compiled). Put the most
    /// frequent first: values are compared in this order.
    #[inline]
    #[allow(
        clippy::indexing_slicing,
        reason = "`i < N <= MAX`, the lengths of both arrays; N is checked when compiled"
    )]
    pub const fn new<const N: usize>(values: [&'static str; N]) -> Self {
        const {
            assert!(
                N <= WellKnown::MAX,
                "a WellKnown set holds at most WellKnown::MAX (16) values"
            )
        }
        let mut slots = [None; WellKnown::MAX];
        let mut lens = 0;
        let mut i = 0;
        while i < N {
            slots[i] = Some(values[i]);
            lens |= len_bit(values[i].len());
            // `i < N <= MAX`: cannot overflow.
            i = i.saturating_add(1);
        }
        WellKnown {
            values: slots,
            lens,
        }
    }

    /// The values of the set, in the order given.
    #[inline]
    pub fn values(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.values.iter().map_while(|v| *v)
    }

    /// The value of the set equal to `bytes`, if any.
    #[inline(always)]
    pub fn get(&self, bytes: &[u8]) -> Option<&'static str> {
        if self.lens & len_bit(bytes.len()) == 0 {
            return None;
        }
        // Written out, not a loop: with a constant set, nothing is left to the unroller.
        let [v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14, v15] = self.values;
        macro_rules! check {
            ($($v:ident)*) => {$(
                if let Some(known) = $v {
                    if short::eq(known.as_bytes(), bytes) {
                        return Some(known);
                    }
                }
            )*};
        }
        check!(v0 v1 v2 v3 v4 v5 v6 v7 v8 v9 v10 v11 v12 v13 v14 v15);
        None
    }
}

impl Default for WellKnown {
    #[inline]
    fn default() -> Self {
        Self::NONE
    }
}

/// The bit of [`WellKnown::lens`] for a length: bit `len`, or bit 63 from 63 bytes on.
#[inline(always)]
const fn len_bit(len: usize) -> u64 {
    const TOP: usize = 63;
    1 << if len < TOP { len } else { TOP }
}

#[cfg(test)]
mod tests {
    use super::WellKnown;

    /// Against a plain search of the set, for every length up to 100 and for values that
    /// differ from a known one in their first, a middle or their last byte.
    #[test]
    fn get_agrees_with_a_plain_search() {
        const LONG: &str = "a value of exactly seventy bytes, long enough to share the top bit....";
        const VALUES: [&str; 8] = [
            "",
            "x",
            "event",
            "error",
            "exception",
            "initial-response",
            "application/json",
            LONG,
        ];
        assert_eq!(LONG.len(), 70);
        let values = VALUES;
        let set = WellKnown::new(VALUES);
        let plain = |bytes: &[u8]| values.iter().copied().find(|v| v.as_bytes() == bytes);
        let check = |probe: &[u8]| {
            assert_eq!(set.get(probe), plain(probe), "{probe:?}");
            assert_eq!(WellKnown::NONE.get(probe), None);
        };
        let mut buf = [b'e'; 101];
        for n in 0..=100 {
            check(&buf[..n]);
        }
        for v in values {
            let n = v.len();
            buf[..n].copy_from_slice(v.as_bytes());
            check(&buf[..n]);
            for at in [0, n / 2, n.saturating_sub(1)] {
                if at < n {
                    buf[at] ^= 1;
                    check(&buf[..n]);
                    buf[at] ^= 1;
                }
            }
            buf[n] = b'!';
            check(&buf[..=n]);
        }
        assert!(set.values().eq(values));
        assert_eq!(WellKnown::NONE.values().count(), 0);
        let full = WellKnown::new(["a"; WellKnown::MAX]);
        assert_eq!(full.values().count(), WellKnown::MAX);
        assert_eq!(full.get(b"a"), Some("a"));
        assert_eq!(WellKnown::default(), WellKnown::NONE);
    }
}
