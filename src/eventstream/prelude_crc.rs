//! The CRC-32 of the prelude's first 8 bytes, and the running CRC over all 12 prelude bytes,
//! computed in registers by table lookups.
//!
//! crc32fast hashes an input under 16 bytes one byte after another, each byte waiting for the
//! previous one; here the 8 bytes take one round of 8 independent lookups. The encoder also
//! needs the CRC to run on over the 4 bytes of the prelude CRC it has just computed: reading
//! them back from the frame would make the next wide load wait for that store to reach the
//! cache, so the 4 bytes are folded in here, from the register.
//!
//! The tables are built at compile time: `TABLES[k][b]` is the CRC register after the byte `b`
//! followed by `k` zero bytes (the reflected IEEE polynomial, as crc32fast and every AWS
//! event-stream peer use). 8 KiB of read-only data.

/// The reflected IEEE CRC-32 polynomial.
const POLY: u32 = 0xEDB8_8320;

#[allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    reason = "evaluated at compile time only (the `static` below): `b < 256`, `k < 8` and \
              `prev & 0xff` keep every index in bounds, the counters stop at 256 and 8, and \
              `b as u32` is below 256; a slip would fail the build, not a run"
)]
const fn tables() -> [[u32; 256]; 8] {
    let mut t = [[0u32; 256]; 8];
    let mut b = 0;
    while b < 256 {
        let mut r = b as u32;
        let mut bit = 0;
        while bit < 8 {
            r = if r & 1 == 1 { (r >> 1) ^ POLY } else { r >> 1 };
            bit += 1;
        }
        t[0][b] = r;
        b += 1;
    }
    let mut k = 1;
    while k < 8 {
        let mut b = 0;
        while b < 256 {
            let prev = t[k - 1][b];
            t[k][b] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            b += 1;
        }
        k += 1;
    }
    t
}

static TABLES: [[u32; 256]; 8] = tables();

/// Entry `b` of a 256-entry table: a byte always indexes one in bounds (the optimiser sees it
/// too; no check is emitted).
#[inline(always)]
fn at(table: &[u32; 256], b: u8) -> u32 {
    table.get(usize::from(b)).copied().unwrap_or(0)
}

/// Runs the register over 8 bytes, given as two little-endian words: one round of 8
/// independent lookups.
#[inline(always)]
fn fold8(register: u32, first: u32, second: u32) -> u32 {
    let [r0, r1, r2, r3] = (register ^ first).to_le_bytes();
    let [s0, s1, s2, s3] = second.to_le_bytes();
    let [t0, t1, t2, t3, t4, t5, t6, t7] = &TABLES;
    at(t7, r0)
        ^ at(t6, r1)
        ^ at(t5, r2)
        ^ at(t4, r3)
        ^ at(t3, s0)
        ^ at(t2, s1)
        ^ at(t1, s2)
        ^ at(t0, s3)
}

/// Runs the register over 4 bytes, given as a little-endian word.
#[inline(always)]
fn fold4(register: u32, word: u32) -> u32 {
    let [r0, r1, r2, r3] = (register ^ word).to_le_bytes();
    let [t0, t1, t2, t3, ..] = &TABLES;
    at(t3, r0) ^ at(t2, r1) ^ at(t1, r2) ^ at(t0, r3)
}

/// The CRC-32 of the 8 bytes `lengths` (what the prelude CRC field holds).
#[inline(always)]
pub(crate) fn of_lengths(lengths: [u8; 8]) -> u32 {
    let [a, b, c, d, e, f, g, h] = lengths;
    !fold8(
        !0,
        u32::from_le_bytes([a, b, c, d]),
        u32::from_le_bytes([e, f, g, h]),
    )
}

/// The CRC-32 of the whole 12-byte prelude, `lengths` followed by `prelude_crc` big-endian,
/// given `prelude_crc = of_lengths(lengths)`: the state to continue the message CRC from.
#[inline(always)]
pub(crate) fn through_prelude(prelude_crc: u32) -> u32 {
    !fold4(!prelude_crc, u32::from_le_bytes(prelude_crc.to_be_bytes()))
}

/// The running message CRC after the whole prelude, whose CRC field holds `prelude_crc` (the
/// message CRC covers the prelude too): hashing goes on from byte 12.
#[inline(always)]
pub(crate) fn hasher_after(prelude_crc: u32) -> crc32fast::Hasher {
    crc32fast::Hasher::new_with_initial_len(through_prelude(prelude_crc), 12)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against crc32fast over the same bytes, for lengths that cover every byte position.
    #[test]
    fn agrees_with_crc32fast() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut samples = [[0u8; 8]; 2000];
        for (i, s) in samples.iter_mut().enumerate() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            *s = match i {
                0 => [0; 8],
                1 => [0xff; 8],
                2..=65 => (1u64 << (i - 2)).to_be_bytes(),
                _ => seed.to_be_bytes(),
            };
        }
        for lengths in samples {
            let crc = of_lengths(lengths);
            assert_eq!(crc, crc32fast::hash(&lengths), "{lengths:?}");
            let mut prelude = [0u8; 12];
            prelude[..8].copy_from_slice(&lengths);
            prelude[8..].copy_from_slice(&crc.to_be_bytes());
            assert_eq!(
                through_prelude(crc),
                crc32fast::hash(&prelude),
                "{lengths:?}"
            );
        }
    }
}
