//! Frames whose payload the caller writes straight into the output, after the head: a JSON
//! serializer appending an event's body, with no copy through a temporary buffer.
//!
//! The head's room is made first (its length is known from the headers alone), the payload is
//! appended by the caller, then the head is written with the lengths now known and the message
//! CRC runs once over the frame.

use alloc::vec::Vec;

use super::encode::{message_crc, write_head, Layout};
use super::frame::PRELUDE_LEN;
use super::header::Header;
use super::{EncodeError, Encoder};

impl Encoder {
    /// Appends a frame to `out` whose payload `write_payload` appends to the vector it is given
    /// (`out` itself, after the room left for the head); the bytes are those
    /// [`encode_to_vec`](Encoder::encode_to_vec) writes for the same headers and payload.
    ///
    /// The headers are checked before `write_payload` runs; the payload after, against this
    /// encoder's limits. On an error `out` is as it was, unless `write_payload` removed bytes
    /// it did not append: that is [`EncodeError::PayloadWriterTruncated`], and `out` is cut to
    /// where the frame was to start (or shorter, if the writer cut deeper).
    ///
    /// *Requires feature* `alloc`.
    ///
    /// ```
    /// use kinesis_codec::eventstream::{decode_exact, encode_to_vec, Encoder, Header, HeaderValue};
    ///
    /// let headers = [Header::new(":message-type", HeaderValue::String("event"))];
    /// let mut out = b"earlier frames".to_vec();
    /// Encoder::DEFAULT.encode_to_vec_with(
    ///     &headers,
    ///     |payload| payload.extend_from_slice(br#"{"MillisBehindLatest":0}"#),
    ///     &mut out,
    /// )?;
    /// let mut plain = b"earlier frames".to_vec();
    /// encode_to_vec(&headers, br#"{"MillisBehindLatest":0}"#, &mut plain)?;
    /// assert_eq!(out, plain);
    /// assert_eq!(decode_exact(&out[14..])?.payload(), br#"{"MillisBehindLatest":0}"#);
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    pub fn encode_to_vec_with(
        &self,
        headers: &[Header<'_>],
        write_payload: impl FnOnce(&mut Vec<u8>),
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        let empty = Layout::of(headers, &[], self.limits())?;
        let head_len = empty.head_len();
        let start = out.len();
        let payload_start = start.saturating_add(head_len);
        out.resize(payload_start, 0);
        write_payload(out);
        let len = out.len();
        if len < payload_start {
            out.truncate(start.min(len));
            return Err(EncodeError::PayloadWriterTruncated { payload_start, len });
        }
        let frame = out.get_mut(start..).unwrap_or_default();
        let (head, payload) = frame.split_at_mut(head_len.min(frame.len()));
        let headers_len = u64::try_from(head_len.saturating_sub(PRELUDE_LEN)).unwrap_or(u64::MAX);
        let layout = match Layout::with_headers_len(headers_len, payload, self.limits()) {
            Ok(layout) => layout,
            Err(e) => {
                out.truncate(start);
                return Err(e);
            }
        };
        let prelude_crc = write_head(&layout, headers, head);
        let crc = message_crc(prelude_crc, frame).finalize();
        out.extend_from_slice(&crc.to_be_bytes());
        Ok(())
    }
}
