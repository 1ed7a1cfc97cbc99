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

use super::wire::{ProtobufError, Reader, LEN, VARINT};

/// `AggregatedRecord.partition_key_table`.
pub(crate) const PARTITION_KEY_TABLE: u32 = 1;
/// `AggregatedRecord.explicit_hash_key_table`.
pub(crate) const EXPLICIT_HASH_KEY_TABLE: u32 = 2;
/// `AggregatedRecord.records`.
pub(crate) const RECORDS: u32 = 3;

/// What the validating pass learnt: table sizes and where each repeated field starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Shape {
    pub partition_keys: usize,
    pub explicit_hash_keys: usize,
    pub records: usize,
    /// Offset of the first tag of each repeated field (the end of the message if none).
    pub first_partition_key: usize,
    pub first_explicit_hash_key: usize,
    pub first_record: usize,
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
    while let Some(tag) = r.tag()? {
        match (tag.field, tag.wire_type) {
            (PARTITION_KEY_TABLE, LEN) => {
                r.sub()?;
                shape.partition_keys = shape.partition_keys.saturating_add(1);
            }
            (EXPLICIT_HASH_KEY_TABLE, LEN) => {
                r.sub()?;
                shape.explicit_hash_keys = shape.explicit_hash_keys.saturating_add(1);
            }
            (RECORDS, LEN) => {
                let record = r.sub()?;
                parse_record(record, true)?;
                shape.records = shape.records.saturating_add(1);
            }
            _ => {
                r.skip(tag, 0)?;
                continue;
            }
        }
        let slot = match tag.field {
            PARTITION_KEY_TABLE => first.get_mut(0),
            EXPLICIT_HASH_KEY_TABLE => first.get_mut(1),
            _ => first.get_mut(2),
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
pub(crate) fn parse_record(
    mut r: Reader<'_>,
    check_tags: bool,
) -> Result<RawRecord<'_>, ProtobufError> {
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
    pub fn next_record(&mut self) -> Option<RawRecord<'a>> {
        while let Ok(Some(tag)) = self.r.tag() {
            if (tag.field, tag.wire_type) == (RECORDS, LEN) {
                let sub = self.r.sub().ok()?;
                return parse_record(sub, false).ok();
            }
            self.r.skip(tag, 0).ok()?;
        }
        None
    }
}

/// Looks entries of one table up by index in a checked message: forward from the last lookup,
/// from the start for a smaller index, and the last entry found is remembered (records that
/// share a key cost nothing).
#[derive(Clone, Copy, Debug)]
pub(crate) struct TableCursor<'a> {
    field: u32,
    start: Reader<'a>,
    at: Reader<'a>,
    next_index: usize,
    last: Option<(usize, &'a [u8])>,
}

impl<'a> TableCursor<'a> {
    pub fn new(buf: &'a [u8], field: u32, first: usize, end: usize) -> Self {
        let start = Reader::new(buf, first, end);
        TableCursor {
            field,
            start,
            at: start,
            next_index: 0,
            last: None,
        }
    }

    /// Entry `index`, or `None` past the end of the table.
    pub fn get(&mut self, index: usize) -> Option<&'a [u8]> {
        if let Some((i, bytes)) = self.last {
            if i == index {
                return Some(bytes);
            }
        }
        if index < self.next_index {
            self.at = self.start;
            self.next_index = 0;
        }
        while let Ok(Some(tag)) = self.at.tag() {
            if (tag.field, tag.wire_type) == (self.field, LEN) {
                let bytes = self.at.bytes().ok()?;
                let i = self.next_index;
                self.next_index = i.saturating_add(1);
                if i == index {
                    self.last = Some((i, bytes));
                    return Some(bytes);
                }
            } else {
                self.at.skip(tag, 0).ok()?;
            }
        }
        None
    }
}
