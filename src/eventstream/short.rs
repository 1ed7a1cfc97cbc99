//! Copies and comparisons of the short byte strings a frame's head is made of (header names and
//! string values, typically 5 to 32 bytes), done inline with at most two word-sized loads per
//! side instead of a call into the C library's `memcpy` or `memcmp`.
//!
//! A string of `n` bytes with `w <= n <= 2w` is covered exactly by its first `w` bytes and its
//! last `w` bytes (the two windows overlap when `n < 2w`), so two loads of a fixed width stand
//! for the whole string. With a constant `n` (a name given as a literal), the width is chosen
//! at compile time.

/// The first `W` bytes of `bytes` (zeros if shorter: callers check lengths first).
#[inline(always)]
fn first<const W: usize>(bytes: &[u8]) -> [u8; W] {
    match bytes.first_chunk::<W>() {
        Some(w) => *w,
        None => [0; W],
    }
}

/// The last `W` bytes of `bytes` (zeros if shorter: callers check lengths first).
#[inline(always)]
fn last<const W: usize>(bytes: &[u8]) -> [u8; W] {
    match bytes.last_chunk::<W>() {
        Some(w) => *w,
        None => [0; W],
    }
}

/// Writes `src` over the whole of `dst` through its first and last `W` bytes; both have the
/// same length `n`, with `W <= n <= 2W`.
#[inline(always)]
fn copy_windows<const W: usize>(dst: &mut [u8], src: &[u8]) {
    if let (Some(d), Some(s)) = (dst.first_chunk_mut::<W>(), src.first_chunk::<W>()) {
        *d = *s;
    }
    if let (Some(d), Some(s)) = (dst.last_chunk_mut::<W>(), src.last_chunk::<W>()) {
        *d = *s;
    }
}

/// Whether `a` and `b` (the same length `n`, with `W <= n <= 2W`) are equal, comparing their
/// first and last `W` bytes.
#[inline(always)]
fn eq_windows<const W: usize>(a: &[u8], b: &[u8]) -> bool {
    first::<W>(a) == first::<W>(b) && last::<W>(a) == last::<W>(b)
}

/// Copies `src` into `dst`, which has the same length (if the lengths differ, nothing is
/// written).
#[inline(always)]
pub(crate) fn copy(dst: &mut [u8], src: &[u8]) {
    if dst.len() != src.len() {
        return;
    }
    match src.len() {
        0 => {}
        1..=3 => dst.iter_mut().zip(src).for_each(|(d, s)| *d = *s),
        4..=7 => copy_windows::<4>(dst, src),
        8..=15 => copy_windows::<8>(dst, src),
        16..=32 => copy_windows::<16>(dst, src),
        _ => dst.copy_from_slice(src),
    }
}

/// Whether `a == b`.
#[inline(always)]
pub(crate) fn eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    match a.len() {
        0 => true,
        1..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        4..=7 => eq_windows::<4>(a, b),
        8..=15 => eq_windows::<8>(a, b),
        16..=32 => eq_windows::<16>(a, b),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::{copy, eq};

    /// Every length up to 40 and every single differing position, against the plain slice
    /// operations.
    #[test]
    fn agree_with_slice_operations() {
        let src: [u8; 40] =
            core::array::from_fn(|i| (u8::try_from(i).unwrap()).wrapping_mul(37).wrapping_add(11));
        for n in 0..=40 {
            let a = src.get(..n).unwrap_or_default();
            let mut dst = [0xEEu8; 40];
            copy(dst.get_mut(..n).unwrap_or_default(), a);
            assert_eq!(dst.get(..n), Some(a), "copy of {n} bytes");
            assert!(
                dst.get(n..).unwrap_or_default().iter().all(|&b| b == 0xEE),
                "copy of {n} stays inside"
            );
            assert!(eq(a, a), "{n} bytes equal themselves");
            for at in 0..n {
                let mut b = [0u8; 40];
                b.copy_from_slice(&src);
                if let Some(x) = b.get_mut(at) {
                    *x ^= 0x80;
                }
                let b = b.get(..n).unwrap_or_default();
                assert_eq!(eq(a, b), a == b, "{n} bytes differing at {at}");
                assert!(!eq(a, b));
            }
            if n > 0 {
                assert!(
                    !eq(a, src.get(..n - 1).unwrap_or_default()),
                    "lengths differ"
                );
            }
        }
    }
}
