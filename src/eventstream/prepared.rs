//! Frames that all carry the same headers: the header block encoded once, and the message CRC
//! carried across it by a table lookup instead of a pass over its bytes.
//!
//! A SubscribeToShard server writes `:message-type`, `:event-type` and `:content-type` on every
//! event. Encoding them each time writes and hashes about a hundred bytes before the payload's
//! CRC can start (the CRC is one serial chain), which at 1 KiB payloads costs as much as the
//! payload itself. Prepared once, a frame costs its prelude, two copies and one CRC pass over
//! the payload, read from the caller's slice.
//!
//! The CRC register (the complement of the CRC, as crc32fast keeps it) after a fixed block `H`
//! is an affine function of the register before it: `after = M(before) ^ Z`, where `Z` is the
//! register after `H` from a zero register and `M` is linear over GF(2) (it depends only on
//! `H`'s length). `M` is found by running crc32fast over `H` from each of the 32 one-bit
//! registers, and kept as eight 16-entry tables, one per 4-bit digit of the register.

use super::encode::{write_header_block, Layout};
use super::frame::PRELUDE_LEN;
use super::header::Header;
use super::prelude_crc;
use super::{EncodeError, Encoder};

/// The register after `block` from `register` (see the module), by crc32fast.
fn register_after(register: u32, block: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new_with_initial(!register);
    hasher.update(block);
    !hasher.finalize()
}

/// A header block encoded once, for frames that all carry the same headers
/// ([`Encoder::prepare`], [`Encoder::encode_prepared`]).
///
/// It borrows the block from the buffer given to [`Encoder::prepare`] and holds 516 bytes of
/// tables; preparing costs 33 CRC passes over the block, about 0.5 µs for the three headers of a
/// SubscribeToShard event.
///
/// ```
/// use kinesis_codec::eventstream::{decode_exact, encode, Encoder, Header, HeaderValue};
///
/// let headers = [
///     Header::new(":message-type", HeaderValue::String("event")),
///     Header::new(":event-type", HeaderValue::String("SubscribeToShardEvent")),
///     Header::new(":content-type", HeaderValue::String("application/json")),
/// ];
/// let mut block = [0u8; 128];
/// let prepared = Encoder::DEFAULT.prepare(&headers, &mut block)?;
///
/// let mut frame = [0u8; 256];
/// for payload in [&b"{}"[..], br#"{"Records":[]}"#] {
///     let len = Encoder::DEFAULT.encode_prepared(&prepared, payload, &mut frame)?;
///     // The same bytes as encoding the headers each time.
///     let mut again = [0u8; 256];
///     assert_eq!(encode(&headers, payload, &mut again)?, len);
///     assert_eq!(frame[..len], again[..len]);
///     assert_eq!(decode_exact(&frame[..len])?.payload(), payload);
/// }
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreparedHeaders<'b> {
    /// The encoded header block.
    block: &'b [u8],
    /// `M` of the module, by 4-bit digit: `M(r)` is the XOR of `across[k][digit k of r]`.
    across: [[u32; 16]; 8],
    /// `Z` of the module.
    from_zero: u32,
}

impl<'b> PreparedHeaders<'b> {
    /// Measures the tables for `block`, an encoded header block.
    fn new(block: &'b [u8]) -> Self {
        let from_zero = register_after(0, block);
        let mut across = [[0u32; 16]; 8];
        // The one-bit registers, lowest bit first: four for each of the eight tables.
        let mut bit = 1u32;
        for table in &mut across {
            let mut column = [0u32; 4];
            for c in &mut column {
                *c = register_after(bit, block) ^ from_zero;
                bit = bit.rotate_left(1);
            }
            for (digit, entry) in table.iter_mut().enumerate() {
                *entry = column
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| digit & (1 << j) != 0)
                    .fold(0, |acc, (_, c)| acc ^ c);
            }
        }
        PreparedHeaders {
            block,
            across,
            from_zero,
        }
    }

    /// The encoded header block, as it appears in every frame.
    #[inline]
    pub fn as_bytes(&self) -> &'b [u8] {
        self.block
    }

    /// The register after the block, given the register before it.
    #[inline(always)]
    fn carry(&self, register: u32) -> u32 {
        let mut after = self.from_zero;
        let mut digits = register;
        for table in &self.across {
            after ^= table.get((digits & 0xF) as usize).copied().unwrap_or(0);
            digits >>= 4;
        }
        after
    }
}

impl Encoder {
    /// Encodes the header block of `headers` into `block` once, for
    /// [`encode_prepared`](Encoder::encode_prepared).
    ///
    /// The headers are checked as [`encode`](Encoder::encode) checks them (names, values, the
    /// header block limit). `block` needs the header block's length (`encoded_len(headers,
    /// &[])? - 16`); a smaller one is [`EncodeError::BufferTooSmall`] naming it.
    pub fn prepare<'b>(
        &self,
        headers: &[Header<'_>],
        block: &'b mut [u8],
    ) -> Result<PreparedHeaders<'b>, EncodeError> {
        let layout = Layout::of(headers, &[], self.limits())?;
        let needed = layout.head_len().saturating_sub(PRELUDE_LEN);
        let available = block.len();
        let Some(block) = block.get_mut(..needed) else {
            return Err(EncodeError::BufferTooSmall { needed, available });
        };
        write_header_block(headers, block);
        Ok(PreparedHeaders::new(block))
    }

    /// Encodes a frame of the prepared headers and `payload` into the start of `out`; returns
    /// the number of bytes written. The bytes are those [`encode`](Encoder::encode) writes for
    /// the same headers.
    ///
    /// The payload and the header block are checked against this encoder's limits (a block
    /// prepared by a laxer encoder is refused by a stricter one); a buffer
    /// shorter than the frame is [`EncodeError::BufferTooSmall`] and is left untouched.
    pub fn encode_prepared(
        &self,
        prepared: &PreparedHeaders<'_>,
        payload: &[u8],
        out: &mut [u8],
    ) -> Result<usize, EncodeError> {
        let block = prepared.block;
        let headers_len = u64::try_from(block.len()).unwrap_or(u64::MAX);
        let layout = Layout::with_headers_len(headers_len, payload, self.limits())?;
        let total = layout.total();
        let (covered, trailer) = layout.room(out)?;
        // `covered` is 12 + block + payload bytes by construction, so the splits succeed.
        let (prelude, rest) = covered.split_at_mut(PRELUDE_LEN.min(covered.len()));
        let (head_block, body) = rest.split_at_mut(block.len().min(rest.len()));
        if prelude.len() != PRELUDE_LEN || body.len() != payload.len() {
            debug_assert!(false, "the frame splits into prelude, block and payload");
            return Err(EncodeError::FrameTooLarge {
                len: u64::try_from(total).unwrap_or(u64::MAX),
            });
        }
        let lengths = layout.lengths();
        let prelude_crc = prelude_crc::of_lengths(lengths);
        let [a, b, c, d, e, f, g, h] = lengths;
        let [i, j, k, l] = prelude_crc.to_be_bytes();
        prelude.copy_from_slice(&[a, b, c, d, e, f, g, h, i, j, k, l]);
        head_block.copy_from_slice(block);
        body.copy_from_slice(payload);
        // The message CRC: the prelude's part in registers, the block's by the tables, then
        // one crc32fast pass over the caller's payload (not the copy just made).
        let register = prepared.carry(!prelude_crc::through_prelude(prelude_crc));
        let mut hasher = crc32fast::Hasher::new_with_initial(!register);
        hasher.update(payload);
        trailer.copy_from_slice(&hasher.finalize().to_be_bytes());
        Ok(total)
    }
}

#[cfg(test)]
#[allow(clippy::cast_possible_truncation)]
mod tests {
    use super::*;
    use crate::eventstream::HeaderValue;

    /// The tables carry any register across blocks of many lengths as crc32fast does.
    #[test]
    fn the_tables_carry_registers_as_crc32fast() {
        let bytes: [u8; 300] = core::array::from_fn(|i| (i * 37 + 11) as u8);
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for len in [0, 1, 2, 3, 7, 15, 16, 17, 100, 127, 128, 255, 256, 300] {
            let block = &bytes[..len];
            let prepared = PreparedHeaders::new(block);
            for _ in 0..200 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let register = (seed >> 16) as u32;
                assert_eq!(prepared.carry(register), register_after(register, block));
            }
        }
    }

    #[test]
    fn a_short_block_buffer_names_the_size_needed() {
        let headers = [Header::new("k", HeaderValue::String("value"))];
        let mut block = [0u8; 8];
        assert_eq!(
            Encoder::DEFAULT.prepare(&headers, &mut block),
            Err(EncodeError::BufferTooSmall {
                needed: 10,
                available: 8
            })
        );
    }
}
