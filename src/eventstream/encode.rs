//! Encoding frames into caller buffers, `heapless::Vec`, `Vec`, or a vectored form that leaves
//! the payload where it is.
//!
//! The encoder refuses what no AWS peer would accept: a name over 255 bytes, a string or
//! byte-array value over 32,767 bytes, a frame over `u32::MAX` bytes. It does not apply the
//! decoder's payload and header-block limits ([`DecodeOptions`](super::DecodeOptions)): those
//! are the receiver's policy.
//!
//! The CRCs are computed in one pass: the prelude CRC and the running CRC over the 12 prelude
//! bytes in registers (`prelude_crc.rs`), then crc32fast continues from byte 12 over the rest of
//! the head and the payload, which gives the message CRC. Short header names and values are
//! copied inline (`short.rs`), without a `memcpy` call.

#![deny(clippy::indexing_slicing, clippy::unwrap_used, clippy::panic)]

use super::frame::{MIN_FRAME_LEN, PRELUDE_LEN};
use super::header::{Header, HeaderValue, MAX_NAME_LEN, MAX_VALUE_LEN};
use super::prelude_crc;
use super::short;
use super::EncodeError;

/// Lengths of a frame about to be written.
#[derive(Clone, Copy)]
struct Layout {
    total_len: u32,
    headers_len: u32,
}

impl Layout {
    /// Checks every header against the encoder's limits and sums the lengths.
    #[inline]
    fn of(headers: &[Header<'_>], payload: &[u8]) -> Result<Layout, EncodeError> {
        let mut headers_len: u64 = 0;
        for (index, h) in headers.iter().enumerate() {
            if h.name.len() > MAX_NAME_LEN {
                return Err(EncodeError::NameTooLong {
                    index,
                    len: h.name.len(),
                });
            }
            let variable = match h.value {
                HeaderValue::String(s) => Some(s.len()),
                HeaderValue::ByteArray(b) => Some(b.len()),
                _ => None,
            };
            if let Some(len) = variable.filter(|&len| len > MAX_VALUE_LEN) {
                return Err(EncodeError::ValueTooLong { index, len });
            }
            headers_len += h.encoded_len() as u64;
        }
        let total = headers_len + payload.len() as u64 + MIN_FRAME_LEN as u64;
        match (u32::try_from(total), u32::try_from(headers_len)) {
            (Ok(total_len), Ok(headers_len)) => Ok(Layout {
                total_len,
                headers_len,
            }),
            _ => Err(EncodeError::FrameTooLarge { len: total }),
        }
    }

    /// The first 8 prelude bytes, `total_len` and `headers_len`, built as one word (assembling
    /// them byte by byte would make the next 8-byte load stall on store forwarding).
    #[inline]
    fn lengths(&self) -> [u8; 8] {
        ((u64::from(self.total_len) << 32) | u64::from(self.headers_len)).to_be_bytes()
    }
}

/// The running message CRC over `covered` (a frame without its trailer, or its head) whose
/// prelude CRC is `prelude_crc`: the prelude's part comes from registers ([`prelude_crc`]),
/// then crc32fast goes on from byte 12 over the rest in one call.
#[inline]
fn message_crc(prelude_crc: u32, covered: &[u8]) -> crc32fast::Hasher {
    let mut hasher = prelude_crc::hasher_after(prelude_crc);
    hasher.update(covered.get(PRELUDE_LEN..).unwrap_or_default());
    hasher
}

/// Writes byte strings one after the other into a slice that is known to be long enough
/// (short ones through [`short::copy`], without a `memcpy` call).
struct Cursor<'b> {
    rest: &'b mut [u8],
}

impl Cursor<'_> {
    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) {
        let rest = core::mem::take(&mut self.rest);
        if let Some((dst, tail)) = rest.split_at_mut_checked(bytes.len()) {
            short::copy(dst, bytes);
            self.rest = tail;
        }
    }
}

/// Writes the prelude and the header block into `head`, which is exactly
/// `PRELUDE_LEN + headers_len` bytes long; returns the prelude CRC.
#[inline]
fn write_head(layout: &Layout, headers: &[Header<'_>], head: &mut [u8]) -> u32 {
    let out = &mut Cursor { rest: head };
    let lengths = layout.lengths();
    let prelude_crc = prelude_crc::of_lengths(lengths);
    out.put(&lengths);
    out.put(&prelude_crc.to_be_bytes());
    for h in headers {
        out.put(&[h.name.len() as u8]);
        out.put(h.name.as_bytes());
        // The type id is written with the value: one `match` per header.
        let t = h.value.type_id();
        match h.value {
            HeaderValue::String(s) => {
                let [hi, lo] = (s.len() as u16).to_be_bytes();
                out.put(&[t, hi, lo]);
                out.put(s.as_bytes());
            }
            HeaderValue::ByteArray(b) => {
                let [hi, lo] = (b.len() as u16).to_be_bytes();
                out.put(&[t, hi, lo]);
                out.put(b);
            }
            HeaderValue::Bool(_) => out.put(&[t]),
            HeaderValue::Byte(v) => out.put(&[t, v as u8]),
            HeaderValue::Int16(v) => {
                let [a, b] = v.to_be_bytes();
                out.put(&[t, a, b]);
            }
            HeaderValue::Int32(v) => {
                let [a, b, c, d] = v.to_be_bytes();
                out.put(&[t, a, b, c, d]);
            }
            HeaderValue::Int64(v) | HeaderValue::Timestamp(v) => {
                out.put(&[t]);
                out.put(&v.to_be_bytes());
            }
            HeaderValue::Uuid(u) => {
                out.put(&[t]);
                out.put(&u);
            }
        }
    }
    prelude_crc
}

/// The length of the frame `headers` and `payload` encode to, after checking the encoder's
/// limits.
#[inline]
pub fn encoded_len(headers: &[Header<'_>], payload: &[u8]) -> Result<usize, EncodeError> {
    Ok(Layout::of(headers, payload)?.total_len as usize)
}

/// Encodes a frame into the start of `out`; returns the number of bytes written.
///
/// A buffer shorter than [`encoded_len`] is [`EncodeError::BufferTooSmall`] and is left
/// untouched.
pub fn encode(
    headers: &[Header<'_>],
    payload: &[u8],
    out: &mut [u8],
) -> Result<usize, EncodeError> {
    let layout = Layout::of(headers, payload)?;
    let total = layout.total_len as usize;
    let available = out.len();
    let Some(frame) = out.get_mut(..total) else {
        return Err(EncodeError::BufferTooSmall {
            needed: total,
            available,
        });
    };
    let head_len = total - payload.len() - 4;
    let (covered, trailer) = frame.split_at_mut(total - 4);
    let (head, body) = covered.split_at_mut(head_len.min(covered.len()));
    let prelude_crc = write_head(&layout, headers, head);
    body.copy_from_slice(payload);
    let crc = message_crc(prelude_crc, covered).finalize();
    trailer.copy_from_slice(&crc.to_be_bytes());
    Ok(total)
}

/// Encodes a frame and appends it to `out`.
///
/// If the frame does not fit in the remaining capacity, [`EncodeError::BufferTooSmall`] is
/// returned and `out` is unchanged.
pub fn encode_heapless<const N: usize>(
    headers: &[Header<'_>],
    payload: &[u8],
    out: &mut heapless::Vec<u8, N>,
) -> Result<(), EncodeError> {
    let needed = encoded_len(headers, payload)?;
    let start = out.len();
    let available = N.saturating_sub(start);
    if needed > available || out.resize(start + needed, 0).is_err() {
        return Err(EncodeError::BufferTooSmall { needed, available });
    }
    let written = encode(headers, payload, out.get_mut(start..).unwrap_or_default());
    if written.is_err() {
        out.truncate(start);
    }
    written.map(|_| ())
}

/// Encodes a frame and appends it to `out`, growing it once.
///
/// *Requires feature* `alloc`.
#[cfg(feature = "alloc")]
pub fn encode_to_vec(
    headers: &[Header<'_>],
    payload: &[u8],
    out: &mut alloc::vec::Vec<u8>,
) -> Result<(), EncodeError> {
    /// Heads up to this size are built on the stack, then appended with the payload and the
    /// trailer.
    const STACK_HEAD: usize = 512;
    let mut head = [0u8; STACK_HEAD];
    match encode_vectored(headers, payload, &mut head) {
        Ok(v) => {
            out.reserve(v.total_len());
            out.extend_from_slice(head.get(..v.head_len).unwrap_or_default());
            out.extend_from_slice(payload);
            out.extend_from_slice(&v.trailer);
            Ok(())
        }
        // A head this large is rare: zero the room once and encode in place.
        Err(EncodeError::BufferTooSmall { .. }) => {
            let start = out.len();
            out.resize(start + encoded_len(headers, payload)?, 0);
            encode(headers, payload, out.get_mut(start..).unwrap_or_default())
                .map(|_| ())
                .inspect_err(|_| out.truncate(start))
        }
        Err(e) => Err(e),
    }
}

/// A frame in three pieces, for writers that take several buffers (`write_vectored`,
/// `writev`) and should not copy the payload: the head (prelude and header block) written
/// into the caller's buffer, the borrowed payload, and the 4-byte message CRC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Vectored<'p> {
    /// Bytes of the caller's `head` buffer used by the prelude and header block.
    pub head_len: usize,
    /// The payload, as given.
    pub payload: &'p [u8],
    /// The message CRC, big-endian.
    pub trailer: [u8; 4],
}

impl Vectored<'_> {
    /// Total length of the frame: `head_len + payload.len() + 4`.
    #[inline]
    pub fn total_len(&self) -> usize {
        self.head_len + self.payload.len() + self.trailer.len()
    }
}

/// Encodes the prelude and header block into `head` and computes the message CRC over them and
/// the payload, without copying the payload into any output.
///
/// (A frame of up to 512 bytes is hashed from a copy of head and payload on the stack: one CRC
/// pass over the two is faster than two passes over small pieces. Larger payloads are only read.)
///
/// `head` needs `encoded_len(headers, payload)? - payload.len() - 4` bytes; a smaller one is
/// [`EncodeError::BufferTooSmall`] naming that size.
pub fn encode_vectored<'p>(
    headers: &[Header<'_>],
    payload: &'p [u8],
    head: &mut [u8],
) -> Result<Vectored<'p>, EncodeError> {
    let layout = Layout::of(headers, payload)?;
    let head_len = layout.headers_len as usize + PRELUDE_LEN;
    let available = head.len();
    let Some(head) = head.get_mut(..head_len) else {
        return Err(EncodeError::BufferTooSmall {
            needed: head_len,
            available,
        });
    };
    let prelude_crc = write_head(&layout, headers, head);
    Ok(Vectored {
        head_len,
        payload,
        trailer: message_crc_apart(prelude_crc, head, payload).to_be_bytes(),
    })
}

/// [`message_crc`] for a head and a payload that lie apart; returns the message CRC.
///
/// crc32fast folds an input of 16 to 127 bytes one 16-byte block at a time, each fold waiting
/// for the previous one, and runs independent folds in parallel only from 128 bytes on. A small
/// head and a small payload hashed by two calls both take the slow path, so a small frame is
/// hashed from a copy of both on the stack, in one call.
#[inline]
fn message_crc_apart(prelude_crc: u32, head: &[u8], payload: &[u8]) -> u32 {
    /// Frames up to this size (without the trailer) are hashed from a joined copy.
    const JOIN: usize = 512;
    let len = head.len() + payload.len();
    // The copy is zeroed first, so it is made only when it is used.
    if !payload.is_empty() && len <= JOIN {
        let mut joined = [0u8; JOIN];
        if let Some((h, p)) = joined
            .get_mut(..len)
            .and_then(|f| f.split_at_mut_checked(head.len()))
        {
            h.copy_from_slice(head);
            p.copy_from_slice(payload);
        }
        return message_crc(prelude_crc, joined.get(..len).unwrap_or_default()).finalize();
    }
    let mut hasher = message_crc(prelude_crc, head);
    hasher.update(payload);
    hasher.finalize()
}
