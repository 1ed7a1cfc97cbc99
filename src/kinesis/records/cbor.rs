//! `GetRecords` answers and `SubscribeToShardEvent` payloads in CBOR, read straight off the CBOR
//! core ([`crate::cbor::Reader`]) instead of through serde.
//!
//! Only the form the service and the Java SDK write is read here (`spec/cbor.md`, "Writing"):
//! definite maps and arrays, definite text and byte strings, tag 1 + integer milliseconds, and
//! `null` for an absent member; `ChildShards` included. Anything else (an unknown or repeated
//! member, an indefinite length, a chunked string, a base64 text blob, an untagged or float
//! timestamp, bytes after the body, the element budget exceeded, an error of any kind) makes
//! [`get_records`] or [`event`] answer `None`, and the caller parses the body with the serde
//! reader, which gives the same value for every body read here (the tests compare both on the
//! corpus and on mutated bodies) and the typed error, with its path, for a bad one.
//!
//! What the serde reader does per member (a visitor, an `Option` and an identifier match through
//! serde's generated code) is here a match on the member name's bytes: names are compared, not
//! checked as UTF-8, since a name equal to an ASCII constant is valid text.

use alloc::borrow::Cow;
use alloc::vec::Vec;

use crate::blob::Blob;
use crate::cbor::{Item, Reader};
use crate::timestamp::Timestamp;
use crate::wire::ParseOptions;

use super::super::shapes::{
    ChildShard, EncryptionType, GetRecordsOutput, HashKeyRange, Record, SubscribeToShardEvent,
};

/// A `GetRecords` answer in the service's form, or `None` (see the module).
pub(super) fn get_records<'a>(
    body: &'a [u8],
    options: &ParseOptions,
) -> Option<GetRecordsOutput<'a>> {
    let top = read_top(body, b"NextShardIterator", options)?;
    Some(GetRecordsOutput {
        child_shards: top.child_shards,
        millis_behind_latest: top.millis_behind_latest,
        next_shard_iterator: top.text,
        records: top.records,
    })
}

/// A `SubscribeToShardEvent` payload in the service's form, or `None` (see the module).
pub(super) fn event<'a>(
    payload: &'a [u8],
    options: &ParseOptions,
) -> Option<SubscribeToShardEvent<'a>> {
    let top = read_top(payload, b"ContinuationSequenceNumber", options)?;
    Some(SubscribeToShardEvent {
        child_shards: top.child_shards,
        continuation_sequence_number: top.text,
        millis_behind_latest: top.millis_behind_latest,
        records: top.records,
    })
}

/// The members both shapes share, and the one text member that differs (`NextShardIterator` or
/// `ContinuationSequenceNumber`).
struct Top<'a> {
    records: Option<Vec<Record<'a>>>,
    child_shards: Option<Vec<ChildShard<'a>>>,
    millis_behind_latest: Option<i64>,
    text: Option<Cow<'a, str>>,
}

/// The element budget of [`ParseOptions::max_elements`], spent as the serde reader spends it:
/// one per list element and per map entry.
struct Budget(usize);

impl Budget {
    fn spend(&mut self, n: u64) -> Option<()> {
        self.0 = self.0.checked_sub(usize::try_from(n).ok()?)?;
        Some(())
    }
}

/// Which members have been read: a repeated one is the serde reader's "duplicate field" error.
#[derive(Default)]
struct Seen(u8);

impl Seen {
    fn first(&mut self, bit: u8) -> Option<()> {
        if self.0 & bit != 0 {
            return None;
        }
        self.0 |= bit;
        Some(())
    }
}

fn read_top<'a>(body: &'a [u8], text_name: &[u8], options: &ParseOptions) -> Option<Top<'a>> {
    let mut r = Reader::new(body);
    let mut budget = Budget(options.max_elements);
    let mut top = Top {
        records: None,
        child_shards: None,
        millis_behind_latest: None,
        text: None,
    };
    let mut seen = Seen::default();
    members(&mut r, &mut budget, |name, r, budget| {
        if name == b"Records" {
            seen.first(1)?;
            top.records = list_in_place(r, budget, record)?;
        } else if name == b"MillisBehindLatest" {
            seen.first(2)?;
            top.millis_behind_latest = match r.next_item().ok()? {
                Item::Null | Item::Undefined => None,
                item => Some(item.as_i64()?),
            };
        } else if name == text_name {
            seen.first(4)?;
            top.text = text(r)?;
        } else if name == b"ChildShards" {
            seen.first(8)?;
            top.child_shards = list(r, budget, child_shard)?;
        } else {
            return None;
        }
        Some(())
    })?;
    r.end().ok()?;
    Some(top)
}

/// `Some(None)` for `null`; `None` for anything but a definite text string.
fn text<'a>(r: &mut Reader<'a>) -> Option<Option<Cow<'a, str>>> {
    if let Some(t) = r.next_text() {
        return Some(Some(Cow::Borrowed(t)));
    }
    match r.next_item().ok()? {
        Item::Text(t) => Some(Some(Cow::Borrowed(t))),
        Item::Null | Item::Undefined => Some(None),
        _ => None,
    }
}

/// A definite array of `element`s; `Some(None)` for `null`.
fn list<'a, T: Default>(
    r: &mut Reader<'a>,
    budget: &mut Budget,
    element: impl Fn(&mut Reader<'a>, &mut Budget) -> Option<T>,
) -> Option<Option<Vec<T>>> {
    list_in_place(r, budget, |r, budget, slot| {
        *slot = element(r, budget)?;
        Some(())
    })
}

/// A definite array of elements each read into its place in the list (a default value pushed,
/// then filled by `fill`): a large element (a `Record`) is written once, where it stays, not
/// built elsewhere and moved in. `Some(None)` for `null`.
fn list_in_place<'a, T: Default>(
    r: &mut Reader<'a>,
    budget: &mut Budget,
    fill: impl Fn(&mut Reader<'a>, &mut Budget, &mut T) -> Option<()>,
) -> Option<Option<Vec<T>>> {
    let n = match r.next_item().ok()? {
        Item::Array(Some(n)) => n,
        Item::Null | Item::Undefined => return Some(None),
        _ => return None,
    };
    budget.spend(n)?;
    // `n` is within the bytes left (the reader's check: one byte per element at least) and
    // within the element budget just spent, so the whole list is allocated at once inside
    // `ParseOptions`' heap bound (`max_elements × E`), with no growth and no copy.
    let cap = usize::try_from(n).ok()?;
    let mut out: Vec<T> = Vec::with_capacity(cap);
    for _ in 0..n {
        out.push(T::default());
        fill(r, budget, out.last_mut()?)?;
    }
    Some(Some(out))
}

/// The entries of a definite map, each name handed to `member` with the reader at its value.
fn members<'a>(
    r: &mut Reader<'a>,
    budget: &mut Budget,
    mut member: impl FnMut(&[u8], &mut Reader<'a>, &mut Budget) -> Option<()>,
) -> Option<()> {
    let Item::Map(Some(n)) = r.next_item().ok()? else {
        return None;
    };
    budget.spend(n)?;
    for _ in 0..n {
        let name = r.next_ascii_text()?;
        member(name, r, budget)?;
    }
    Some(())
}

fn child_shard<'a>(r: &mut Reader<'a>, budget: &mut Budget) -> Option<ChildShard<'a>> {
    let mut out = ChildShard::default();
    let mut seen = Seen::default();
    members(r, budget, |name, r, budget| {
        match name {
            b"ShardId" => {
                seen.first(1)?;
                out.shard_id = text(r)?;
            }
            b"ParentShards" => {
                seen.first(2)?;
                out.parent_shards = list(r, budget, |r, _| text(r)?)?;
            }
            b"HashKeyRange" => {
                seen.first(4)?;
                out.hash_key_range = match r.peek_major()? {
                    crate::cbor::Major::Map => Some(hash_key_range(r, budget)?),
                    _ => match r.next_item().ok()? {
                        Item::Null | Item::Undefined => None,
                        _ => return None,
                    },
                };
            }
            _ => return None,
        }
        Some(())
    })?;
    Some(out)
}

fn hash_key_range<'a>(r: &mut Reader<'a>, budget: &mut Budget) -> Option<HashKeyRange<'a>> {
    let mut out = HashKeyRange::default();
    let mut seen = Seen::default();
    members(r, budget, |name, r, _| {
        match name {
            b"StartingHashKey" => {
                seen.first(1)?;
                out.starting_hash_key = text(r)?;
            }
            b"EndingHashKey" => {
                seen.first(2)?;
                out.ending_hash_key = text(r)?;
            }
            _ => return None,
        }
        Some(())
    })?;
    Some(out)
}

fn record<'a>(r: &mut Reader<'a>, budget: &mut Budget, out: &mut Record<'a>) -> Option<()> {
    let mut seen = Seen::default();
    members(r, budget, |name, r, _| {
        match name {
            b"SequenceNumber" => {
                seen.first(1)?;
                out.sequence_number = text(r)?;
            }
            b"ApproximateArrivalTimestamp" => {
                seen.first(2)?;
                out.approximate_arrival_timestamp = timestamp(r)?;
            }
            b"Data" => {
                seen.first(4)?;
                out.data = match r.next_bytes() {
                    Some(b) => Some(Blob::from_bytes(b)),
                    None => match r.next_item().ok()? {
                        Item::Null | Item::Undefined => None,
                        _ => return None,
                    },
                };
            }
            b"PartitionKey" => {
                seen.first(8)?;
                out.partition_key = text(r)?;
            }
            b"EncryptionType" => {
                seen.first(16)?;
                out.encryption_type = encryption_type(r)?;
            }
            _ => return None,
        }
        Some(())
    })
}

/// Tag 1 + integer milliseconds (`spec/cbor.md`), by the rule the serde reader uses
/// ([`crate::wire::read_timestamp`]); `Some(None)` for `null`. Tag 1 + a float, and the untagged
/// forms, are left to the serde reader.
fn timestamp(r: &mut Reader<'_>) -> Option<Option<Timestamp>> {
    match r.next_item().ok()? {
        Item::Tag(1) => {}
        Item::Null | Item::Undefined => return Some(None),
        _ => return None,
    }
    match r.next_item().ok()? {
        item @ (Item::Unsigned(_) | Item::Negative(_)) => Some(Some(Timestamp::from_millis(
            crate::wire::read_timestamp(true, &item)?,
        ))),
        _ => None,
    }
}

/// The two values the model knows are matched as bytes; any other text is kept, as the serde
/// reader keeps it.
fn encryption_type<'a>(r: &mut Reader<'a>) -> Option<Option<EncryptionType<'a>>> {
    if let Some(name) = r.next_ascii_text() {
        return Some(Some(match name {
            b"NONE" => EncryptionType::None,
            b"KMS" => EncryptionType::Kms,
            other => EncryptionType::from_cow(Cow::Borrowed(core::str::from_utf8(other).ok()?)),
        }));
    }
    Some(text(r)?.map(EncryptionType::from_cow))
}
