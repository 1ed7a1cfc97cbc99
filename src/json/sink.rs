//! Caller-owned output buffers for the body writers: a plain `&mut [u8]` (through [`SliceBuf`])
//! or a `heapless::Vec<u8, N>`.
//!
//! A [`Sink`] only ever grows by a number of bytes that the writer checked beforehand, so a
//! writer never leaves half a record behind.

use core::fmt;

/// The buffer had no room for the bytes asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BufferFull {
    /// Bytes that were asked for.
    pub needed: usize,
    /// Bytes still free in the buffer.
    pub available: usize,
}

impl fmt::Display for BufferFull {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "output buffer full: {} bytes needed, {} available",
            self.needed, self.available
        )
    }
}

impl core::error::Error for BufferFull {}

/// A growable byte buffer with a fixed capacity and no allocator.
///
/// Implemented for [`SliceBuf`] (over `&mut [u8]`), `heapless::Vec<u8, N>`, and `&mut S` for any
/// sink `S`.
///
/// ```
/// use kinesis_codec::producer::{PutRecordBatchWriter, Sink};
/// let mut body: heapless::Vec<u8, 128> = heapless::Vec::new();
/// let mut w = PutRecordBatchWriter::new(&mut body, "deliveries")?;
/// w.push(b"{\"temp\":21.5}\n")?;
/// w.finish()?;
/// assert_eq!(
///     body.as_slice(),
///     br#"{"DeliveryStreamName":"deliveries","Records":[{"Data":"eyJ0ZW1wIjoyMS41fQo="}]}"#
/// );
/// # Ok::<(), kinesis_codec::producer::WriteError>(())
/// ```
pub trait Sink {
    /// The bytes written so far.
    fn written(&self) -> &[u8];
    /// The total number of bytes the buffer can hold.
    fn capacity(&self) -> usize;
    /// Appends `n` bytes and returns them for the caller to fill (their content is unspecified
    /// until then). Fails, changing nothing, when fewer than `n` bytes are free.
    fn grow(&mut self, n: usize) -> Result<&mut [u8], BufferFull>;
    /// Shortens the written part to `len` bytes (no effect when it is already shorter).
    fn truncate(&mut self, len: usize);

    /// The number of bytes written so far.
    fn len(&self) -> usize {
        self.written().len()
    }
    /// Whether nothing has been written.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The number of bytes still free.
    fn remaining(&self) -> usize {
        self.capacity().saturating_sub(self.len())
    }
    /// Appends `bytes`; fails, changing nothing, when they do not fit.
    fn extend(&mut self, bytes: &[u8]) -> Result<(), BufferFull> {
        self.grow(bytes.len())?.copy_from_slice(bytes);
        Ok(())
    }
}

/// A [`Sink`] over a caller's `&mut [u8]` that remembers how much of it is written.
///
/// ```
/// use kinesis_codec::producer::{SliceBuf, Sink};
/// let mut storage = [0u8; 8];
/// let mut buf = SliceBuf::new(&mut storage);
/// buf.extend(b"{}").unwrap();
/// assert_eq!(buf.written(), b"{}");
/// assert!(buf.extend(b"0123456789").is_err());
/// assert_eq!(buf.into_written(), b"{}");
/// ```
#[derive(Debug)]
pub struct SliceBuf<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl<'a> SliceBuf<'a> {
    /// An empty sink over `buf`; its capacity is `buf.len()`.
    pub fn new(buf: &'a mut [u8]) -> Self {
        SliceBuf { buf, len: 0 }
    }

    /// Gives back the written part of the caller's buffer, for the buffer's whole lifetime.
    pub fn into_written(self) -> &'a [u8] {
        let (head, _) = self.buf.split_at(self.len.min(self.buf.len()));
        head
    }
}

impl<'a> From<&'a mut [u8]> for SliceBuf<'a> {
    fn from(buf: &'a mut [u8]) -> Self {
        SliceBuf::new(buf)
    }
}

impl Sink for SliceBuf<'_> {
    fn written(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }
    fn capacity(&self) -> usize {
        self.buf.len()
    }
    fn grow(&mut self, n: usize) -> Result<&mut [u8], BufferFull> {
        let available = self.buf.len().saturating_sub(self.len);
        let full = BufferFull {
            needed: n,
            available,
        };
        let end = self.len.checked_add(n).ok_or(full)?;
        let start = self.len;
        match self.buf.get_mut(start..end) {
            Some(out) => {
                self.len = end;
                Ok(out)
            }
            None => Err(full),
        }
    }
    fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }
}

impl<const N: usize> Sink for heapless::Vec<u8, N> {
    fn written(&self) -> &[u8] {
        self.as_slice()
    }
    fn capacity(&self) -> usize {
        N
    }
    fn grow(&mut self, n: usize) -> Result<&mut [u8], BufferFull> {
        let start = self.len();
        let full = BufferFull {
            needed: n,
            available: N.saturating_sub(start),
        };
        let end = start.checked_add(n).ok_or(full)?;
        self.resize(end, 0).map_err(|_| full)?;
        self.as_mut_slice().get_mut(start..).ok_or(full)
    }
    fn truncate(&mut self, len: usize) {
        heapless::Vec::truncate(self, len);
    }
}

impl<S: Sink + ?Sized> Sink for &mut S {
    fn written(&self) -> &[u8] {
        (**self).written()
    }
    fn capacity(&self) -> usize {
        (**self).capacity()
    }
    fn grow(&mut self, n: usize) -> Result<&mut [u8], BufferFull> {
        (**self).grow(n)
    }
    fn truncate(&mut self, len: usize) {
        (**self).truncate(len)
    }
}

/// A `Vec` grows as far as the allocator lets it: `grow` fails, changing nothing, only when
/// the memory cannot be reserved. (The serde writer of `wire` writes into one.)
#[cfg(feature = "alloc")]
impl Sink for alloc::vec::Vec<u8> {
    fn written(&self) -> &[u8] {
        self
    }
    fn capacity(&self) -> usize {
        // No allocation may exceed isize::MAX bytes.
        usize::MAX >> 1
    }
    fn grow(&mut self, n: usize) -> Result<&mut [u8], BufferFull> {
        let start = self.len();
        let full = BufferFull {
            needed: n,
            available: Sink::remaining(self),
        };
        self.try_reserve(n).map_err(|_| full)?;
        // Reserved: start + n fits.
        self.resize(start.saturating_add(n), 0);
        self.get_mut(start..).ok_or(full)
    }
    fn truncate(&mut self, len: usize) {
        alloc::vec::Vec::truncate(self, len);
    }
}
