//! Encoding frames into caller buffers, `heapless::Vec`, `Vec`, or a vectored form that leaves
//! the payload where it is.
//!
//! The encoder refuses what no AWS peer would accept: a name over 255 bytes, a string or
//! byte-array value over 32,767 bytes, a frame over `u32::MAX` bytes. It also refuses what the
//! decoder refuses: by default a header block over 128 KiB or a payload over 24 MiB, the
//! decoder's default limits, so every frame it writes decodes with [`decode`](super::decode).
//! An [`Encoder`] takes other limits ([`DecodeOptions`]), those of the decoder that will read
//! the frames.
//!
//! The CRCs are computed in one pass: the prelude CRC and the running CRC over the 12 prelude
//! bytes in registers (`prelude_crc.rs`), then crc32fast continues from byte 12 over the rest of
//! the head and the payload, which gives the message CRC. [`Encoder::encode`] hashes a frame
//! of up to 4 KiB as written, in one call; the other ways hash the payload from the caller's
//! slice, after the head. Short header names and values are copied inline (`short.rs`),
//! without a `memcpy` call.

use super::frame::DecodeOptions;
use super::frame::{MIN_FRAME_LEN, PRELUDE_LEN};
use super::header::{Header, HeaderValue, MAX_NAME_LEN, MAX_VALUE_LEN};
use super::prelude_crc;
use super::short;
use super::EncodeError;

/// A length in memory as a `u64` (saturating on a target whose `usize` is wider).
#[inline(always)]
fn wide(len: usize) -> u64 {
    u64::try_from(len).unwrap_or(u64::MAX)
}

/// Lengths of a frame about to be written.
#[derive(Clone, Copy)]
pub(super) struct Layout {
    total_len: u32,
    headers_len: u32,
}

impl Layout {
    /// Checks every header against the encoder's limits and sums the lengths, then checks the
    /// header block and the payload against `limits`, as a decoder with them would.
    #[inline]
    pub(super) fn of(
        headers: &[Header<'_>],
        payload: &[u8],
        limits: &DecodeOptions,
    ) -> Result<Layout, EncodeError> {
        let mut headers_len: u64 = 0;
        for (index, h) in headers.iter().enumerate() {
            // spec/eventstream.md, "Our policy": "Encode refuses value lengths over 32,767 and
            // names over 255 bytes."
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
            // Saturating: a sum that large is over every limit below anyway.
            headers_len = headers_len.saturating_add(wide(h.encoded_len()));
        }
        Layout::with_headers_len(headers_len, payload, limits)
    }

    /// The layout of a frame whose header block is `headers_len` bytes, checked against
    /// `limits` in the decoder's order.
    #[inline]
    pub(super) fn with_headers_len(
        headers_len: u64,
        payload: &[u8],
        limits: &DecodeOptions,
    ) -> Result<Layout, EncodeError> {
        // spec/eventstream.md, "Our policy": "Defaults: payload up to 24 MiB (25,165,824
        // bytes), header block up to 128 KiB (131,072 bytes). A frame over them is an error":
        // the encoder refuses what the decoder with the same limits refuses, in its order.
        if headers_len > u64::from(limits.max_headers_len) {
            return Err(EncodeError::HeadersTooLarge {
                len: headers_len,
                limit: limits.max_headers_len,
            });
        }
        let payload_len = wide(payload.len());
        if payload_len > u64::from(limits.max_payload_len) {
            return Err(EncodeError::PayloadTooLarge {
                len: payload_len,
                limit: limits.max_payload_len,
            });
        }
        // Both are at most u32::MAX here, so the sum cannot overflow a u64.
        let total = headers_len
            .saturating_add(payload_len)
            .saturating_add(MIN_FRAME_LEN as u64);
        match (u32::try_from(total), u32::try_from(headers_len)) {
            (Ok(total_len), Ok(headers_len)) => Ok(Layout {
                total_len,
                headers_len,
            }),
            _ => Err(EncodeError::FrameTooLarge { len: total }),
        }
    }

    /// Length of the frame, as a `usize` (a `u32` always fits on the targets this crate
    /// builds for; saturating otherwise, which no buffer can hold).
    #[inline]
    pub(super) fn total(&self) -> usize {
        usize::try_from(self.total_len).unwrap_or(usize::MAX)
    }

    /// Length of the prelude and the header block together.
    #[inline]
    pub(super) fn head_len(&self) -> usize {
        usize::try_from(self.headers_len)
            .unwrap_or(usize::MAX)
            .saturating_add(PRELUDE_LEN)
    }

    /// The frame's room at the start of `out`: the bytes the message CRC covers, and the
    /// 4-byte trailer. A shorter `out` is [`EncodeError::BufferTooSmall`], untouched.
    #[inline]
    pub(super) fn room<'o>(
        &self,
        out: &'o mut [u8],
    ) -> Result<(&'o mut [u8], &'o mut [u8]), EncodeError> {
        let total = self.total();
        let available = out.len();
        let Some(frame) = out.get_mut(..total) else {
            return Err(EncodeError::BufferTooSmall {
                needed: total,
                available,
            });
        };
        frame
            .split_at_mut_checked(total.saturating_sub(4))
            .ok_or_else(|| {
                debug_assert!(false, "a frame is at least 16 bytes");
                EncodeError::FrameTooLarge {
                    len: u64::from(self.total_len),
                }
            })
    }

    /// The first 8 prelude bytes, `total_len` and `headers_len`, built as one word (assembling
    /// them byte by byte would make the next 8-byte load stall on store forwarding).
    #[inline]
    pub(super) fn lengths(&self) -> [u8; 8] {
        ((u64::from(self.total_len) << 32) | u64::from(self.headers_len)).to_be_bytes()
    }
}

/// Frames up to this size (without the trailer) are hashed in one crc32fast call: from a joined
/// copy when the head and the payload lie apart ([`message_crc_apart`]).
const JOIN: usize = 512;

/// [`Encoder::encode`] hashes frames up to this size (without the trailer) as written, in one
/// crc32fast call over the head and the payload just copied; larger payloads are hashed from the
/// caller's slice, after the head.
///
/// One call saves the second call's fold and reduction, and keeps the head out of crc32fast's
/// serial path for inputs under 128 bytes (the head alone is about a hundred bytes); reading back
/// the copy costs less than that for small frames. Measured on 2026-12-03 (AMD EPYC, the three
/// SubscribeToShard headers, criterion, one core), as written against apart: 600 B 91 against
/// 103 ns, 3,000 B 217 against 228 ns, 4 KiB 284 against 291 ns; from 8 KiB on the two are
/// within 2% either way, and at 1 MiB hashing apart is faster (69 against 76 µs).
const AS_WRITTEN: usize = 4 * 1024;

/// The running message CRC over `covered` (a frame without its trailer, or its head) whose
/// prelude CRC is `prelude_crc`: the prelude's part comes from registers ([`prelude_crc`]),
/// then crc32fast goes on from byte 12 over the rest in one call.
#[inline]
pub(super) fn message_crc(prelude_crc: u32, covered: &[u8]) -> crc32fast::Hasher {
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
        } else {
            debug_assert!(false, "the head was sized by Layout::of");
        }
    }
}

/// Writes the prelude and the header block into `head`, which is exactly
/// `PRELUDE_LEN + headers_len` bytes long; returns the prelude CRC.
#[inline]
pub(super) fn write_head(layout: &Layout, headers: &[Header<'_>], head: &mut [u8]) -> u32 {
    let out = &mut Cursor { rest: head };
    let lengths = layout.lengths();
    let prelude_crc = prelude_crc::of_lengths(lengths);
    out.put(&lengths);
    out.put(&prelude_crc.to_be_bytes());
    write_headers(headers, out);
    prelude_crc
}

/// Writes the header block of `headers` (checked by [`Layout::of`]) into `out`.
#[inline]
fn write_headers(headers: &[Header<'_>], out: &mut Cursor<'_>) {
    for h in headers {
        // Layout::of refused names over 255 bytes and values over 32,767 bytes, so the two
        // length fields below always fit; `u8::MAX` / `u16::MAX` are never written.
        out.put(&[u8::try_from(h.name.len()).unwrap_or(u8::MAX)]);
        out.put(h.name.as_bytes());
        // The type id is written with the value: one `match` per header.
        let t = h.value.type_id();
        match h.value {
            HeaderValue::String(s) => {
                let [hi, lo] = u16::try_from(s.len()).unwrap_or(u16::MAX).to_be_bytes();
                out.put(&[t, hi, lo]);
                out.put(s.as_bytes());
            }
            HeaderValue::ByteArray(b) => {
                let [hi, lo] = u16::try_from(b.len()).unwrap_or(u16::MAX).to_be_bytes();
                out.put(&[t, hi, lo]);
                out.put(b);
            }
            HeaderValue::Bool(_) => out.put(&[t]),
            HeaderValue::Byte(v) => out.put(&[t, v.to_be_bytes()[0]]),
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
}

/// Writes the header block of `headers`, which [`Layout::of`] has checked and measured, into
/// `block`, exactly that long.
#[inline]
pub(super) fn write_header_block(headers: &[Header<'_>], block: &mut [u8]) {
    write_headers(headers, &mut Cursor { rest: block });
}

/// An encoder that refuses what a decoder with the same limits refuses.
///
/// The free functions ([`encode`], [`encode_to_vec`], ...) are those of `Encoder::DEFAULT`,
/// whose limits are the decoder's defaults ([`DecodeOptions::DEFAULT`]). A receiver configured
/// with other limits is written for with `Encoder::new(its_options)`.
///
/// ```
/// use kinesis_codec::eventstream::{
///     encode, DecodeOptions, Decoder, EncodeError, Encoder, Header, HeaderValue,
/// };
///
/// let payload = [0u8; 100];
/// let mut buf = [0u8; 256];
/// // The default limits allow this frame ...
/// assert_eq!(encode(&[], &payload, &mut buf), Ok(116));
/// // ... a receiver that takes payloads of at most 64 bytes does not.
/// let small = DecodeOptions::default().max_payload_len(64);
/// assert_eq!(
///     Encoder::new(small).encode(&[], &payload, &mut buf),
///     Err(EncodeError::PayloadTooLarge { len: 100, limit: 64 })
/// );
/// let len = Encoder::new(small).encode(&[], &payload[..64], &mut buf)?;
/// assert!(Decoder::new(small).decode_exact(&buf[..len]).is_ok());
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Encoder {
    limits: DecodeOptions,
}

impl Encoder {
    /// The encoder behind the free functions: the decoder's default limits.
    pub const DEFAULT: Encoder = Encoder::new(DecodeOptions::DEFAULT);

    /// An encoder that refuses frames a decoder with `limits` would refuse.
    #[inline]
    pub const fn new(limits: DecodeOptions) -> Self {
        Encoder { limits }
    }

    /// The limits in force.
    #[inline]
    pub const fn limits(&self) -> &DecodeOptions {
        &self.limits
    }

    /// The length of the frame `headers` and `payload` encode to, after checking the limits.
    #[inline]
    pub fn encoded_len(
        &self,
        headers: &[Header<'_>],
        payload: &[u8],
    ) -> Result<usize, EncodeError> {
        Ok(Layout::of(headers, payload, &self.limits)?.total())
    }

    /// Encodes a frame into the start of `out`; returns the number of bytes written.
    ///
    /// A buffer shorter than [`Encoder::encoded_len`] is [`EncodeError::BufferTooSmall`] and
    /// is left untouched.
    pub fn encode(
        &self,
        headers: &[Header<'_>],
        payload: &[u8],
        out: &mut [u8],
    ) -> Result<usize, EncodeError> {
        let layout = Layout::of(headers, payload, &self.limits)?;
        let total = layout.total();
        let (covered, trailer) = layout.room(out)?;
        // `total` is head + payload + 4 by construction (Layout::of), so the split succeeds
        // and the payload fills the body exactly.
        let Some((head, body)) = covered
            .split_at_mut_checked(layout.head_len())
            .filter(|(_, body)| body.len() == payload.len())
        else {
            debug_assert!(false, "the frame splits into head, payload and trailer");
            return Err(EncodeError::FrameTooLarge {
                len: u64::from(layout.total_len),
            });
        };
        let prelude_crc = write_head(&layout, headers, head);
        body.copy_from_slice(payload);
        // Up to `AS_WRITTEN` bytes the frame is hashed as written, in one call; beyond, the
        // payload is hashed from the caller's slice, which does not wait for the copy just made.
        let crc = if total.saturating_sub(4) <= AS_WRITTEN {
            message_crc(prelude_crc, covered).finalize()
        } else {
            message_crc_apart(prelude_crc, head, payload)
        };
        trailer.copy_from_slice(&crc.to_be_bytes());
        Ok(total)
    }

    /// Encodes a frame and appends it to `out`.
    ///
    /// If the frame does not fit in the remaining capacity, [`EncodeError::BufferTooSmall`] is
    /// returned and `out` is unchanged.
    pub fn encode_heapless<const N: usize>(
        &self,
        headers: &[Header<'_>],
        payload: &[u8],
        out: &mut heapless::Vec<u8, N>,
    ) -> Result<(), EncodeError> {
        let needed = self.encoded_len(headers, payload)?;
        let start = out.len();
        let available = N.saturating_sub(start);
        if needed > available || out.resize(start.saturating_add(needed), 0).is_err() {
            return Err(EncodeError::BufferTooSmall { needed, available });
        }
        let written = self.encode(headers, payload, out.get_mut(start..).unwrap_or_default());
        if written.is_err() {
            out.truncate(start);
        }
        written.map(|_| ())
    }

    /// Encodes a frame and appends it to `out`, growing it once. On error `out` is unchanged.
    ///
    /// *Requires feature* `alloc`.
    #[cfg(feature = "alloc")]
    pub fn encode_to_vec(
        &self,
        headers: &[Header<'_>],
        payload: &[u8],
        out: &mut alloc::vec::Vec<u8>,
    ) -> Result<(), EncodeError> {
        /// Heads up to this size are built on the stack, then appended with the payload and
        /// the trailer.
        const STACK_HEAD: usize = 512;
        let mut head = [0u8; STACK_HEAD];
        match self.encode_vectored(headers, payload, &mut head) {
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
                let needed = self.encoded_len(headers, payload)?;
                out.resize(start.saturating_add(needed), 0);
                self.encode(headers, payload, out.get_mut(start..).unwrap_or_default())
                    .map(|_| ())
                    .inspect_err(|_| out.truncate(start))
            }
            Err(e) => Err(e),
        }
    }

    /// Encodes the prelude and header block into `head` and computes the message CRC over them
    /// and the payload, without copying the payload into any output.
    ///
    /// (A frame of up to 512 bytes is hashed from a copy of head and payload on the stack: one
    /// CRC pass over the two is faster than two passes over small pieces. Larger payloads are
    /// only read.)
    ///
    /// `head` needs `encoded_len(headers, payload)? - payload.len() - 4` bytes; a smaller one
    /// is [`EncodeError::BufferTooSmall`] naming that size.
    pub fn encode_vectored<'p>(
        &self,
        headers: &[Header<'_>],
        payload: &'p [u8],
        head: &mut [u8],
    ) -> Result<Vectored<'p>, EncodeError> {
        let layout = Layout::of(headers, payload, &self.limits)?;
        let head_len = layout.head_len();
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
}

/// The length of the frame `headers` and `payload` encode to, after checking the encoder's
/// limits and the decoder's default limits ([`Encoder::DEFAULT`]).
#[inline]
pub fn encoded_len(headers: &[Header<'_>], payload: &[u8]) -> Result<usize, EncodeError> {
    Encoder::DEFAULT.encoded_len(headers, payload)
}

/// Encodes a frame into the start of `out`; returns the number of bytes written.
///
/// A buffer shorter than [`encoded_len`] is [`EncodeError::BufferTooSmall`] and is left
/// untouched. A frame the default decoder would refuse (header block over 128 KiB, payload
/// over 24 MiB) is [`EncodeError::HeadersTooLarge`] or [`EncodeError::PayloadTooLarge`].
pub fn encode(
    headers: &[Header<'_>],
    payload: &[u8],
    out: &mut [u8],
) -> Result<usize, EncodeError> {
    Encoder::DEFAULT.encode(headers, payload, out)
}

/// Encodes a frame and appends it to `out`, with the default limits
/// ([`Encoder::encode_heapless`]).
///
/// If the frame does not fit in the remaining capacity, [`EncodeError::BufferTooSmall`] is
/// returned and `out` is unchanged.
pub fn encode_heapless<const N: usize>(
    headers: &[Header<'_>],
    payload: &[u8],
    out: &mut heapless::Vec<u8, N>,
) -> Result<(), EncodeError> {
    Encoder::DEFAULT.encode_heapless(headers, payload, out)
}

/// Encodes a frame and appends it to `out`, growing it once, with the default limits
/// ([`Encoder::encode_to_vec`]). On error `out` is unchanged.
///
/// *Requires feature* `alloc`.
#[cfg(feature = "alloc")]
pub fn encode_to_vec(
    headers: &[Header<'_>],
    payload: &[u8],
    out: &mut alloc::vec::Vec<u8>,
) -> Result<(), EncodeError> {
    Encoder::DEFAULT.encode_to_vec(headers, payload, out)
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
        self.head_len
            .saturating_add(self.payload.len())
            .saturating_add(self.trailer.len())
    }
}

/// Encodes the prelude and header block into `head` and computes the message CRC, leaving the
/// payload where it is, with the default limits ([`Encoder::encode_vectored`]).
///
/// `head` needs `encoded_len(headers, payload)? - payload.len() - 4` bytes; a smaller one is
/// [`EncodeError::BufferTooSmall`] naming that size.
pub fn encode_vectored<'p>(
    headers: &[Header<'_>],
    payload: &'p [u8],
    head: &mut [u8],
) -> Result<Vectored<'p>, EncodeError> {
    Encoder::DEFAULT.encode_vectored(headers, payload, head)
}

/// [`message_crc`] for a head and a payload that lie apart; returns the message CRC.
///
/// crc32fast folds an input of 16 to 127 bytes one 16-byte block at a time, each fold waiting
/// for the previous one, and runs independent folds in parallel only from 128 bytes on. A small
/// head and a small payload hashed by two calls both take the slow path, so a small frame is
/// hashed from a copy of both on the stack, in one call.
#[inline]
fn message_crc_apart(prelude_crc: u32, head: &[u8], payload: &[u8]) -> u32 {
    let len = head.len().saturating_add(payload.len());
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
