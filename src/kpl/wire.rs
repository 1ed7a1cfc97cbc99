//! The protobuf wire format as protobuf-java reads it (the KCL's parser), over a byte slice.
//!
//! Every rule here is one that decides whether the KCL sees an aggregate or passes the record
//! through (`spec/kpl.md`, "Bytes": fields in any order, repeated, unknown fields skipped,
//! varints up to 10 bytes):
//!
//! - a varint is at most 10 bytes; bits past the 64th are dropped (`readRawVarint64`);
//! - tags and lengths are read as varints and truncated to their low 32 bits (`readRawVarint32`);
//!   a tag whose field number is 0 is an error, and so is a length that is negative as a Java
//!   `int`;
//! - wire types 6 and 7 are errors; an end-group tag outside a group is an error (the parse
//!   stops early and `checkLastTagWas(0)` fails); a group must close with its own field number;
//! - nesting (sub-messages and skipped groups) deeper than 100 levels is an error (protobuf-java's
//!   recursion limit, applied to skipped groups since the CVE-2024-7254 fix).
//!
//! Offsets in errors count from the first byte of the record's `Data`.

use core::fmt;

/// protobuf-java's default recursion limit.
pub(crate) const MAX_DEPTH: u32 = 100;

/// Wire type 0: varint.
pub(crate) const VARINT: u8 = 0;
/// Wire type 2: length-delimited.
pub(crate) const LEN: u8 = 2;

/// Why the protobuf part of an aggregate does not parse the way protobuf-java requires.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum ProtobufError {
    /// The input ends inside a field.
    Truncated {
        /// Offset of the field's first byte.
        offset: usize,
    },
    /// A varint of more than 10 bytes.
    MalformedVarint {
        /// Offset of the varint.
        offset: usize,
    },
    /// A tag whose field number is 0.
    InvalidTag {
        /// Offset of the tag.
        offset: usize,
    },
    /// Wire type 6 or 7.
    InvalidWireType {
        /// Offset of the tag.
        offset: usize,
        /// The wire type.
        wire_type: u8,
    },
    /// A length whose low 32 bits are negative as a Java `int`.
    NegativeLength {
        /// Offset of the length.
        offset: usize,
    },
    /// An end-group tag with no group open, or closing another field's group.
    UnexpectedEndGroup {
        /// Offset of the tag.
        offset: usize,
    },
    /// A group still open where its message ends.
    UnclosedGroup {
        /// Offset where the message ends.
        offset: usize,
    },
    /// Messages and groups nested more than 100 deep.
    TooDeep {
        /// Offset of the tag that would go deeper.
        offset: usize,
    },
    /// A `required` field is absent.
    MissingRequired {
        /// Offset of the message's first byte.
        offset: usize,
        /// `"Record"` or `"Tag"`.
        message: &'static str,
        /// The field's name in the schema.
        field: &'static str,
    },
}

impl fmt::Display for ProtobufError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Truncated { offset } => write!(f, "input ends inside the field at byte {offset}"),
            Self::MalformedVarint { offset } => {
                write!(f, "varint of more than 10 bytes at byte {offset}")
            }
            Self::InvalidTag { offset } => write!(f, "tag with field number 0 at byte {offset}"),
            Self::InvalidWireType { offset, wire_type } => {
                write!(f, "invalid wire type {wire_type} at byte {offset}")
            }
            Self::NegativeLength { offset } => write!(f, "negative length at byte {offset}"),
            Self::UnexpectedEndGroup { offset } => {
                write!(f, "end-group tag with no matching group at byte {offset}")
            }
            Self::UnclosedGroup { offset } => write!(f, "group not closed at byte {offset}"),
            Self::TooDeep { offset } => {
                write!(f, "nesting deeper than {MAX_DEPTH} levels at byte {offset}")
            }
            Self::MissingRequired {
                offset,
                message,
                field,
            } => write!(
                f,
                "{message} at byte {offset} lacks its required field {field}"
            ),
        }
    }
}

impl core::error::Error for ProtobufError {}

/// A tag: field number, wire type, and where it starts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tag {
    pub field: u32,
    pub wire_type: u8,
    pub offset: usize,
}

/// A cursor over `buf[pos..end]`; `buf` is the whole record, so offsets are absolute.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `buf[start..end]` (clamped to the slice).
    pub fn new(buf: &'a [u8], start: usize, end: usize) -> Self {
        let end = end.min(buf.len());
        Reader {
            buf,
            pos: start.min(end),
            end,
        }
    }

    /// The current offset.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Whether the message (or sub-message) has no more bytes.
    pub fn at_end(&self) -> bool {
        self.pos >= self.end
    }

    /// Takes `n` bytes.
    #[inline]
    fn take(&mut self, n: usize, offset: usize) -> Result<&'a [u8], ProtobufError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.end)
            .ok_or(ProtobufError::Truncated { offset })?;
        let bytes = self
            .buf
            .get(self.pos..end)
            .ok_or(ProtobufError::Truncated { offset })?;
        self.pos = end;
        Ok(bytes)
    }

    /// A varint: at most 10 bytes, bits past the 64th dropped (protobuf-java
    /// `readRawVarint64`).
    #[inline]
    pub fn varint(&mut self) -> Result<u64, ProtobufError> {
        // One byte: most tags, indexes and short lengths.
        if self.pos < self.end {
            if let Some(&b) = self.buf.get(self.pos) {
                if b < 0x80 {
                    self.pos = self.pos.saturating_add(1);
                    return Ok(u64::from(b));
                }
            }
        }
        self.varint_long()
    }

    /// [`varint`](Self::varint) past the first byte.
    fn varint_long(&mut self) -> Result<u64, ProtobufError> {
        let offset = self.pos;
        let window = self.buf.get(self.pos..self.end).unwrap_or_default();
        let mut value = 0u64;
        let mut shift = 0u32;
        for (i, &b) in window.iter().take(10).enumerate() {
            value |= u64::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
            if b & 0x80 == 0 {
                self.pos = self.pos.saturating_add(i).saturating_add(1);
                return Ok(value);
            }
            shift = shift.wrapping_add(7);
        }
        if window.len() >= 10 {
            Err(ProtobufError::MalformedVarint { offset })
        } else {
            Err(ProtobufError::Truncated { offset })
        }
    }

    /// A varint's low 32 bits (protobuf-java `readRawVarint32`).
    #[inline]
    fn varint32(&mut self) -> Result<u32, ProtobufError> {
        let v = self.varint()?;
        Ok(u32::try_from(v & 0xffff_ffff).unwrap_or(u32::MAX))
    }

    /// The next tag, or `None` at the end of the (sub-)message.
    #[inline]
    pub fn tag(&mut self) -> Result<Option<Tag>, ProtobufError> {
        if self.at_end() {
            return Ok(None);
        }
        let offset = self.pos;
        let tag = self.varint32()?;
        let field = tag >> 3;
        // protobuf-java `readTag`: "Protocol message contained an invalid tag (zero)."
        if field == 0 {
            return Err(ProtobufError::InvalidTag { offset });
        }
        let wire_type = u8::try_from(tag & 7).unwrap_or(7);
        Ok(Some(Tag {
            field,
            wire_type,
            offset,
        }))
    }

    /// The next field in one step when it has a one-byte tag, wire type 2 and a length of at
    /// most 3 bytes that fits (every field of an aggregate's top level, in practice): its tag
    /// and a reader of its bytes. `None` (nothing consumed) for anything else, which
    /// [`tag`](Self::tag) then reads the general way with the same outcome.
    #[inline(always)]
    pub fn short_len_field(&mut self) -> Option<(Tag, Reader<'a>)> {
        let bytes = self.buf.get(self.pos..self.end)?;
        let (&tag, rest) = bytes.split_first()?;
        // One byte, wire type 2, field number not 0.
        if tag >= 0x80 || tag & 7 != LEN || tag < 8 {
            return None;
        }
        let (len, used) = match *rest {
            [b0, ..] if b0 < 0x80 => (usize::from(b0), 1usize),
            [b0, b1, ..] if b1 < 0x80 => (usize::from(b0 & 0x7f) | usize::from(b1) << 7, 2),
            [b0, b1, b2, ..] if b2 < 0x80 => (
                usize::from(b0 & 0x7f) | usize::from(b1 & 0x7f) << 7 | usize::from(b2) << 14,
                3,
            ),
            _ => return None,
        };
        let start = self.pos.checked_add(1)?.checked_add(used)?;
        let end = start.checked_add(len).filter(|&e| e <= self.end)?;
        let field = Tag {
            field: u32::from(tag >> 3),
            wire_type: LEN,
            offset: self.pos,
        };
        self.pos = end;
        Some((
            field,
            Reader {
                buf: self.buf,
                pos: start,
                end,
            },
        ))
    }

    /// A length-delimited field's contents, as a reader of their bytes.
    #[inline]
    pub fn sub(&mut self) -> Result<Reader<'a>, ProtobufError> {
        let offset = self.pos;
        let len = self.varint32()?;
        // A Java int: a length with the top bit set is negative.
        if len > 0x7fff_ffff {
            return Err(ProtobufError::NegativeLength { offset });
        }
        let len = usize::try_from(len).map_err(|_| ProtobufError::Truncated { offset })?;
        let start = self.pos;
        self.take(len, offset)?;
        Ok(Reader {
            buf: self.buf,
            pos: start,
            end: self.pos,
        })
    }

    /// A length-delimited field's bytes.
    #[inline]
    pub fn bytes(&mut self) -> Result<&'a [u8], ProtobufError> {
        let r = self.sub()?;
        Ok(r.rest())
    }

    /// The bytes left.
    pub fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..self.end).unwrap_or_default()
    }

    /// Skips the value of an unknown field (or a known one with another wire type, which
    /// protobuf-java treats as unknown). `depth` is the nesting level of the current message.
    #[inline]
    pub fn skip(&mut self, tag: Tag, depth: u32) -> Result<(), ProtobufError> {
        match tag.wire_type {
            VARINT => self.varint().map(drop),
            1 => self.take(8, tag.offset).map(drop),
            LEN => self.sub().map(drop),
            3 => self.skip_group(tag, depth.saturating_add(1)),
            4 => Err(ProtobufError::UnexpectedEndGroup { offset: tag.offset }),
            5 => self.take(4, tag.offset).map(drop),
            wire_type => Err(ProtobufError::InvalidWireType {
                offset: tag.offset,
                wire_type,
            }),
        }
    }

    /// Skips a group up to the end-group tag of the same field number.
    fn skip_group(&mut self, start: Tag, depth: u32) -> Result<(), ProtobufError> {
        if depth > MAX_DEPTH {
            return Err(ProtobufError::TooDeep {
                offset: start.offset,
            });
        }
        loop {
            match self.tag()? {
                None => return Err(ProtobufError::UnclosedGroup { offset: self.pos }),
                Some(t) if t.wire_type == 4 => {
                    return if t.field == start.field {
                        Ok(())
                    } else {
                        Err(ProtobufError::UnexpectedEndGroup { offset: t.offset })
                    };
                }
                Some(t) => self.skip(t, depth)?,
            }
        }
    }
}

/// Bytes a varint of `v` takes.
pub(crate) const fn varint_len(v: u64) -> usize {
    match v.leading_zeros() {
        64 => 1,
        lz => 64u32.wrapping_sub(lz).div_ceil(7) as usize,
    }
}

/// Writes the varint of `v` at the start of `out`; returns the bytes written (0 if `out` is too
/// short: callers size `out` with [`varint_len`] first).
#[inline]
pub(crate) fn put_varint(out: &mut [u8], mut v: u64) -> usize {
    let mut n = 0usize;
    for slot in out.iter_mut() {
        let low = u8::try_from(v & 0x7f).unwrap_or(0);
        v >>= 7;
        n = n.wrapping_add(1);
        if v == 0 {
            *slot = low;
            return n;
        }
        *slot = low | 0x80;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_as_protobuf_java_reads_them() {
        let mut r = Reader::new(&[0x96, 0x01], 0, 2);
        assert_eq!(r.varint(), Ok(150));
        // Ten bytes, the last one's high bits dropped.
        let ten = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
        assert_eq!(Reader::new(&ten, 0, 10).varint(), Ok(u64::MAX));
        let eleven = [
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
        ];
        assert_eq!(
            Reader::new(&eleven, 0, 11).varint(),
            Err(ProtobufError::MalformedVarint { offset: 0 })
        );
        assert_eq!(
            Reader::new(&[0x80], 0, 1).varint(),
            Err(ProtobufError::Truncated { offset: 0 })
        );
        let mut buf = [0u8; 10];
        for v in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let n = put_varint(&mut buf, v);
            assert_eq!(n, varint_len(v));
            assert_eq!(Reader::new(&buf, 0, n).varint(), Ok(v));
        }
    }

    #[test]
    fn tags_groups_and_lengths() {
        // Field 0 is refused.
        assert_eq!(
            Reader::new(&[0x02], 0, 1).tag().map(|t| t.is_some()),
            Err(ProtobufError::InvalidTag { offset: 0 })
        );
        // A 10-byte tag keeps its low 32 bits: field 1, wire type 2.
        let mut r = Reader::new(
            &[0x8a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
            0,
            10,
        );
        let t = r.tag().unwrap().unwrap();
        assert_eq!((t.field, t.wire_type), (1, 2));
        // Group 5 holding a varint field, closed by its own end tag.
        let g = [0x2b, 0x08, 0x01, 0x2c];
        let mut r = Reader::new(&g, 0, 4);
        let t = r.tag().unwrap().unwrap();
        assert_eq!(r.skip(t, 0), Ok(()));
        assert!(r.at_end());
        // Closed by another field's end tag.
        let g = [0x2b, 0x34];
        let mut r = Reader::new(&g, 0, 2);
        let t = r.tag().unwrap().unwrap();
        assert_eq!(
            r.skip(t, 0),
            Err(ProtobufError::UnexpectedEndGroup { offset: 1 })
        );
        // Negative length.
        let mut r = Reader::new(&[0x80, 0x80, 0x80, 0x80, 0x08], 0, 5);
        assert_eq!(
            r.sub().map(|_| ()),
            Err(ProtobufError::NegativeLength { offset: 0 })
        );
        // 101 nested groups.
        let mut deep = [0u8; 202];
        for (i, b) in deep.iter_mut().enumerate() {
            *b = if i < 101 { 0x0b } else { 0x0c };
        }
        let mut r = Reader::new(&deep, 0, deep.len());
        let t = r.tag().unwrap().unwrap();
        assert!(matches!(r.skip(t, 0), Err(ProtobufError::TooDeep { .. })));
        let mut r = Reader::new(&deep[1..201], 0, 200);
        let t = r.tag().unwrap().unwrap();
        assert_eq!(r.skip(t, 0), Ok(()));
    }
}
