//! The `AggregatedRecord` message: one validating pass that counts the tables and checks every
//! record, then cheap re-reads of records and table entries from the checked bytes.
//!
//! ```text
//! message AggregatedRecord {
//!   repeated string partition_key_table     = 1;
//!   repeated string explicit_hash_key_table = 2;
//!   repeated Record records                 = 3;
//! }
//! message Record {
//!   required uint64 partition_key_index     = 1;
//!   optional uint64 explicit_hash_key_index = 2;
//!   required bytes  data                    = 3;
//!   repeated Tag    tags                    = 4;
//! }
//! message Tag { required string key = 1; optional string value = 2; }
//! ```
//!
//! A field with a known number but another wire type is an unknown field to protobuf-java (its
//! generated parser switches on the whole tag), so it is skipped here too.

use super::wire::{ProtobufError, Reader, Tag, LEN, VARINT};

/// `AggregatedRecord.partition_key_table`.
pub(crate) const PARTITION_KEY_TABLE: u32 = 1;
/// `AggregatedRecord.explicit_hash_key_table`.
pub(crate) const EXPLICIT_HASH_KEY_TABLE: u32 = 2;
/// `AggregatedRecord.records`.
pub(crate) const RECORDS: u32 = 3;

/// What the validating pass learnt: table sizes, where each repeated field starts, and where
/// the first table entries are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Shape {
    /// The first entries of the partition key table.
    pub partition_key_index: TableIndex,
    /// The first entries of the explicit hash key table.
    pub explicit_hash_key_index: TableIndex,
    pub partition_keys: usize,
    pub explicit_hash_keys: usize,
    pub records: usize,
    /// Offset of the first tag of each repeated field (the end of the message if none).
    pub first_partition_key: usize,
    pub first_explicit_hash_key: usize,
    pub first_record: usize,
    /// The largest `partition_key_index` of any record (as written, before the KCL's cast).
    pub max_partition_key_index: u64,
    /// The largest `explicit_hash_key_index` of any record; `None` when no record has one.
    pub max_explicit_hash_key_index: Option<u64>,
    /// Whether some record has no explicit hash key (its hash key is its partition key's MD5).
    pub any_without_explicit_hash_key: bool,
}

/// One `Record`, its scalars resolved (last one wins).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RawRecord<'a> {
    pub partition_key_index: u64,
    pub explicit_hash_key_index: Option<u64>,
    pub data: &'a [u8],
}

/// Checks `buf[start..end]` as an `AggregatedRecord` the way protobuf-java's `parseFrom` does
/// (every record and tag parsed, required fields present) and measures it.
pub(crate) fn scan(buf: &[u8], start: usize, end: usize) -> Result<Shape, ProtobufError> {
    let mut r = Reader::new(buf, start, end);
    let mut shape = Shape::default();
    let mut first = [None::<usize>; 3];
    loop {
        let (tag, sub) = match r.short_len_field() {
            Some(field) => field,
            None => match r.tag()? {
                None => break,
                Some(tag) if tag.wire_type == LEN => (tag, r.sub()?),
                Some(tag) => {
                    r.skip(tag, 0)?;
                    continue;
                }
            },
        };
        let slot = match tag.field {
            PARTITION_KEY_TABLE => {
                shape.partition_keys = shape.partition_keys.saturating_add(1);
                shape.partition_key_index.push(&sub, r.pos());
                first.get_mut(0)
            }
            EXPLICIT_HASH_KEY_TABLE => {
                shape.explicit_hash_keys = shape.explicit_hash_keys.saturating_add(1);
                shape.explicit_hash_key_index.push(&sub, r.pos());
                first.get_mut(1)
            }
            RECORDS => {
                let record = parse_record(sub, true)?;
                shape.records = shape.records.saturating_add(1);
                shape.max_partition_key_index = shape
                    .max_partition_key_index
                    .max(record.partition_key_index);
                match record.explicit_hash_key_index {
                    Some(i) => {
                        let max = shape.max_explicit_hash_key_index.get_or_insert(i);
                        *max = (*max).max(i);
                    }
                    None => shape.any_without_explicit_hash_key = true,
                }
                first.get_mut(2)
            }
            // An unknown length-delimited field: its bytes were skipped.
            _ => None,
        };
        if let Some(slot) = slot {
            slot.get_or_insert(tag.offset);
        }
    }
    let [pk, ehk, rec] = first;
    shape.first_partition_key = pk.unwrap_or(end);
    shape.first_explicit_hash_key = ehk.unwrap_or(end);
    shape.first_record = rec.unwrap_or(end);
    Ok(shape)
}

/// Parses one `Record` (the reader holds exactly its bytes). With `check_tags`, every `Tag` is
/// parsed for its required `key`; without, tags are skipped (for records already checked).
#[inline]
pub(crate) fn parse_record(
    r: Reader<'_>,
    check_tags: bool,
) -> Result<RawRecord<'_>, ProtobufError> {
    match canonical_record(r.rest()) {
        Some(record) => Ok(record),
        None => parse_fields(r, check_tags),
    }
}

/// [`parse_record`] field by field.
#[inline(never)]
fn parse_fields(mut r: Reader<'_>, check_tags: bool) -> Result<RawRecord<'_>, ProtobufError> {
    let offset = r.pos();
    let mut partition_key_index = None;
    let mut explicit_hash_key_index = None;
    let mut data = None;
    while let Some(tag) = r.tag()? {
        match (tag.field, tag.wire_type) {
            (1, VARINT) => partition_key_index = Some(r.varint()?),
            (2, VARINT) => explicit_hash_key_index = Some(r.varint()?),
            (3, LEN) => data = Some(r.bytes()?),
            (4, LEN) => {
                let t = r.sub()?;
                if check_tags {
                    check_tag(t)?;
                }
            }
            _ => r.skip(tag, 1)?,
        }
    }
    // kpl.md: "the protobuf parses with every required field present".
    let missing = |field| ProtobufError::MissingRequired {
        offset,
        message: "Record",
        field,
    };
    Ok(RawRecord {
        partition_key_index: partition_key_index.ok_or(missing("partition_key_index"))?,
        explicit_hash_key_index,
        data: data.ok_or(missing("data"))?,
    })
}

/// A varint of at most 3 bytes at `bytes[i..]` and the offset after it (longer ones, and the
/// end of the input, are left to [`Reader::varint`]).
#[inline(always)]
fn short_varint(bytes: &[u8], i: usize) -> Option<(u64, usize)> {
    let b0 = u64::from(*bytes.get(i)?);
    if b0 < 0x80 {
        return Some((b0, i.wrapping_add(1)));
    }
    let b1 = u64::from(*bytes.get(i.wrapping_add(1))?);
    if b1 < 0x80 {
        return Some(((b0 & 0x7f) | b1 << 7, i.wrapping_add(2)));
    }
    let b2 = u64::from(*bytes.get(i.wrapping_add(2))?);
    if b2 < 0x80 {
        return Some(((b0 & 0x7f) | (b1 & 0x7f) << 7 | b2 << 14, i.wrapping_add(3)));
    }
    None
}

/// The layout every KPL and this crate's Aggregator write, `08 index [10 index] 1A len data`
/// with the data ending the record and short varints, read in one step; `None` for anything
/// else, which [`parse_record`] then reads field by field. Such a record is valid protobuf
/// with both required fields and no tags, so accepting it here decides nothing differently.
#[inline(always)]
fn canonical_record(bytes: &[u8]) -> Option<RawRecord<'_>> {
    if bytes.first() != Some(&0x08) {
        return None;
    }
    let (partition_key_index, mut i) = short_varint(bytes, 1)?;
    let mut explicit_hash_key_index = None;
    if bytes.get(i) == Some(&0x10) {
        let (index, next) = short_varint(bytes, i.wrapping_add(1))?;
        explicit_hash_key_index = Some(index);
        i = next;
    }
    if bytes.get(i) != Some(&0x1a) {
        return None;
    }
    let (len, start) = short_varint(bytes, i.wrapping_add(1))?;
    let data = bytes.get(start..)?;
    (u64::try_from(data.len()).ok()? == len).then_some(RawRecord {
        partition_key_index,
        explicit_hash_key_index,
        data,
    })
}

/// Checks one `Tag`: its required `key` is present.
fn check_tag(mut r: Reader<'_>) -> Result<(), ProtobufError> {
    let offset = r.pos();
    let mut key = false;
    while let Some(tag) = r.tag()? {
        match (tag.field, tag.wire_type) {
            (1, LEN) => {
                r.sub()?;
                key = true;
            }
            (2, LEN) => {
                r.sub()?;
            }
            _ => r.skip(tag, 2)?,
        }
    }
    if key {
        Ok(())
    } else {
        Err(ProtobufError::MissingRequired {
            offset,
            message: "Tag",
            field: "key",
        })
    }
}

/// Walks the records of a checked message in order.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RecordCursor<'a> {
    r: Reader<'a>,
}

impl<'a> RecordCursor<'a> {
    pub fn new(buf: &'a [u8], shape: &Shape, end: usize) -> Self {
        RecordCursor {
            r: Reader::new(buf, shape.first_record, end),
        }
    }

    /// The next record; `None` at the end (or, never for a checked message, on bad bytes).
    #[inline]
    pub fn next_record(&mut self) -> Option<RawRecord<'a>> {
        loop {
            let (tag, sub) = next_len_field(&mut self.r)?;
            if tag.field == RECORDS {
                return parse_record(sub, false).ok();
            }
        }
    }
}

/// The next length-delimited field of a checked message, others skipped; `None` at the end
/// (or, never for a checked message, on bad bytes).
#[inline(always)]
fn next_len_field<'a>(r: &mut Reader<'a>) -> Option<(Tag, Reader<'a>)> {
    loop {
        if let Some(field) = r.short_len_field() {
            return Some(field);
        }
        let tag = r.tag().ok()??;
        if tag.wire_type == LEN {
            return Some((tag, r.sub().ok()?));
        }
        r.skip(tag, 0).ok()?;
    }
}

/// Table entries whose place the validating pass remembers, per table.
const CACHED_ENTRIES: usize = 64;

/// Where the first [`CACHED_ENTRIES`] entries of a table are, as the validating pass found
/// them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TableIndex {
    /// `(start, end)` of entries `0..cached` in the record.
    entries: [(u32, u32); CACHED_ENTRIES],
    cached: usize,
    /// Offset just past the last cached entry's field (where a walk for later entries starts).
    after: usize,
}

impl Default for TableIndex {
    fn default() -> Self {
        TableIndex {
            entries: [(0, 0); CACHED_ENTRIES],
            cached: 0,
            after: 0,
        }
    }
}

impl TableIndex {
    /// Notes the next entry (its bytes are `entry`'s, its field ends at `after`).
    #[inline]
    fn push(&mut self, entry: &Reader<'_>, after: usize) {
        let start = entry.pos();
        let end = start.saturating_add(entry.rest().len());
        if let (Some(slot), Ok(start), Ok(end)) = (
            self.entries.get_mut(self.cached),
            u32::try_from(start),
            u32::try_from(end),
        ) {
            *slot = (start, end);
            self.cached = self.cached.saturating_add(1);
            self.after = after;
        }
    }
}

/// Looks entries of one table up by index in a checked message: the first
/// [`CACHED_ENTRIES`] directly (tables of up to 64 keys, the usual case, are never walked);
/// past those, forward from the last lookup, or from the first uncached entry for a smaller
/// index.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TableCursor<'a> {
    field: u32,
    buf: &'a [u8],
    index: TableIndex,
    at: Reader<'a>,
    /// The reader just past the last cached entry (where a walk restarts).
    after_cache: Reader<'a>,
    next_index: usize,
}

impl<'a> TableCursor<'a> {
    pub fn new(buf: &'a [u8], field: u32, first: usize, end: usize, index: &TableIndex) -> Self {
        let start = if index.cached > 0 { index.after } else { first };
        let start = Reader::new(buf, start, end);
        TableCursor {
            field,
            buf,
            index: *index,
            at: start,
            after_cache: start,
            next_index: index.cached,
        }
    }

    /// Entry `index`, or `None` past the end of the table.
    #[inline]
    pub fn get(&mut self, index: usize) -> Option<&'a [u8]> {
        if index < self.index.cached {
            let &(start, end) = self.index.entries.get(index)?;
            return self.buf.get(start as usize..end as usize);
        }
        if index < self.next_index {
            self.at = self.after_cache;
            self.next_index = self.index.cached;
        }
        while let Some((tag, sub)) = next_len_field(&mut self.at) {
            if tag.field == self.field {
                let i = self.next_index;
                self.next_index = i.saturating_add(1);
                if i == index {
                    return Some(sub.rest());
                }
            }
        }
        None
    }
}

#[cfg(test)]
// Test data: random values cut to bytes and lengths on purpose.
#[allow(clippy::cast_possible_truncation)]
mod tests {
    use super::*;

    /// The one-step reading agrees with the field-by-field one on every record it accepts:
    /// records of the canonical shape with indexes and lengths of every varint width, and
    /// random mutations of them.
    #[test]
    fn canonical_records_read_as_protobuf_java_reads_them() {
        let mut next = super::super::test_rng(0x9e37_79b9_7f4a_7c15u64);
        let mut accepted = 0;
        for case in 0..50_000u32 {
            let mut b = [0u8; 64];
            let mut n = 0;
            let put = |b: &mut [u8; 64], n: &mut usize, v: u64| {
                *n += super::super::wire::put_varint(&mut b[*n..], v);
            };
            let width = |r: u64| match r % 4 {
                0 => r % 128,
                1 => r % 16_384,
                2 => r % 2_097_152,
                _ => r,
            };
            b[n] = 0x08;
            n += 1;
            put(&mut b, &mut n, width(next()));
            if case % 2 == 0 {
                b[n] = 0x10;
                n += 1;
                put(&mut b, &mut n, width(next()));
            }
            b[n] = 0x1a;
            n += 1;
            let len = next() % 8;
            put(&mut b, &mut n, len);
            n += len as usize;
            // Mutate a byte in half of the cases, and cut or extend the end in some.
            if case % 3 == 0 {
                let i = (next() % n as u64) as usize;
                b[i] = next() as u8;
            }
            let end = match case % 5 {
                0 => n.saturating_sub(1),
                1 => n + 1,
                _ => n,
            };
            let bytes = &b[..end];
            if let Some(fast) = canonical_record(bytes) {
                accepted += 1;
                let slow = parse_fields(Reader::new(bytes, 0, bytes.len()), true);
                assert_eq!(slow, Ok(fast), "{bytes:02x?}");
            }
        }
        assert!(accepted > 10_000, "{accepted}");
    }

    /// Lookups past the remembered entries, in any order, find what a plain list holds:
    /// tables of 1 to 200 entries interleaved with records and unknown fields.
    #[test]
    fn table_lookups_past_the_cache() {
        let mut next = super::super::test_rng(0x1234_5678_9abc_def1u64);
        for entries in [1usize, 63, 64, 65, 130, 200] {
            let mut buf = [0u8; 8192];
            let mut n = 0;
            let mut offsets = [(0usize, 0usize); 200];
            for (i, offset) in offsets.iter_mut().enumerate().take(entries) {
                // An unknown field, a record and an entry of the other table in between.
                let fields: [&[u8]; 3] = [
                    &[0x2a, 0x01, 0x00],
                    &[0x1a, 0x04, 0x08, 0x00, 0x1a, 0x00],
                    &[0x12, 0x01, b'9'],
                ];
                for field in fields {
                    if next().is_multiple_of(2) {
                        buf[n..n + field.len()].copy_from_slice(field);
                        n += field.len();
                    }
                }
                let len = 1 + i % 3;
                buf[n] = 0x0a;
                buf[n + 1] = len as u8;
                *offset = (n + 2, len);
                for b in &mut buf[n + 2..n + 2 + len] {
                    *b = next() as u8;
                }
                n += 2 + len;
            }
            let shape = scan(&buf, 0, n).map_err(|_| ()).unwrap();
            assert_eq!(shape.partition_keys, entries);
            let mut cursor = TableCursor::new(
                &buf,
                PARTITION_KEY_TABLE,
                shape.first_partition_key,
                n,
                &shape.partition_key_index,
            );
            for _ in 0..1_000 {
                let i = (next() % (entries as u64 + 2)) as usize;
                let want = offsets[..entries]
                    .get(i)
                    .map(|&(at, len)| &buf[at..at + len]);
                assert_eq!(cursor.get(i), want, "{entries} entries, index {i}");
            }
        }
    }
}
