//! Resharding: SplitShard, MergeShards and UpdateShardCount (`UNIFORM_SCALING`) on the streams
//! in memory, with the range math and the checks of the crate's `hashkey` module.
//!
//! A reshard closes its parents (they keep their records and stay listed, with an
//! `EndingSequenceNumber`) and appends its children with the next shard indexes, each naming its
//! parents. It takes effect at once: the service goes through `UPDATING` for a while, this
//! example goes straight back to `ACTIVE`.
//!
//! UpdateShardCount closes every open shard and makes the target count of equal shards
//! ([`uniform_scaling`]), each with the closed shards its range overlaps as parents. The service
//! gets there by splits and merges, so its new shards have one or two parents; here a new shard
//! may overlap three or more old ones when the old ones were uneven. All of them are listed in
//! `ChildShards[].ParentShards`; a shard's `ParentShardId` and `AdjacentParentShardId` name the
//! first two.

use kinesis_codec::hashkey::{
    self, merge_shards, split_shard, uniform_scaling, HashKey, ReshardError, ScalingError, ShardId,
};

use crate::state::{Failure, Shard, Stream, Streams, ACCOUNT};

/// What UpdateShardCount answers: the open shard count before and after.
#[derive(Debug, Clone, Copy)]
pub struct ShardCounts {
    /// Open shards before.
    pub current: u32,
    /// Open shards after.
    pub target: u32,
}

impl Streams {
    /// SplitShard: closes `shard` and makes two children, split at `new_starting_hash_key`.
    pub fn split(
        &mut self,
        name: &str,
        shard: &str,
        new_starting_hash_key: &str,
        now: i64,
    ) -> Result<(), Failure> {
        let stream = self.get(name)?;
        let id = shard_id(stream, shard)?;
        let shards = hashkey_shards(stream);
        // The model's pattern takes 39 digits, which reach past 2^128 - 1: such a key is outside
        // every shard's range, and gets the same text.
        let key = new_starting_hash_key
            .parse::<HashKey>()
            .map_err(|_| out_of_range(stream, id, new_starting_hash_key))?;
        let children = split_shard(&shards, id, key).map_err(|error| refusal(stream, &error))?;
        self.check_shard_limit(0, 1)?;
        let stream = self.get_mut(name)?;
        close(stream, &[id], now);
        for child in children {
            let shard = Shard::new(child.shard.id, child.shard.range, vec![child.parent], now);
            stream.shards.push(shard);
        }
        Ok(())
    }

    /// MergeShards: closes `shard` and `adjacent` and makes one child covering both.
    pub fn merge(
        &mut self,
        name: &str,
        shard: &str,
        adjacent: &str,
        now: i64,
    ) -> Result<(), Failure> {
        let stream = self.get_mut(name)?;
        let (id, adjacent_id) = (shard_id(stream, shard)?, shard_id(stream, adjacent)?);
        let child = merge_shards(&hashkey_shards(stream), id, adjacent_id)
            .map_err(|error| refusal(stream, &error))?;
        close(stream, &[id, adjacent_id], now);
        let parents = vec![child.parent, adjacent_id];
        stream
            .shards
            .push(Shard::new(child.shard.id, child.shard.range, parents, now));
        Ok(())
    }

    /// UpdateShardCount with `UNIFORM_SCALING`: closes every open shard and makes `target`
    /// equal ones (see the module docs for their parents).
    pub fn update_shard_count(
        &mut self,
        name: &str,
        target: u32,
        now: i64,
    ) -> Result<ShardCounts, Failure> {
        let stream = self.get(name)?;
        let open = stream.open_count();
        let current = u32::try_from(open).unwrap_or(u32::MAX);
        if target == current {
            // ferrokinesis's text (src/store.rs, update_shard_count_with_reservation).
            return Err(Failure {
                code: "InvalidArgumentException",
                message: format!(
                    "TargetShardCount {target} is the same as the current shard count {current}."
                ),
            });
        }
        let ranges = uniform_scaling(current, target).map_err(|error| scaling_refusal(&error))?;
        self.check_shard_limit(open, target)?;
        let stream = self.get_mut(name)?;
        let old: Vec<(ShardId, hashkey::HashKeyRange)> = stream
            .shards
            .iter()
            .filter(|shard| shard.is_open())
            .map(|shard| (shard.id, shard.range))
            .collect();
        let closing: Vec<ShardId> = old.iter().map(|(id, _)| *id).collect();
        close(stream, &closing, now);
        let mut next = hashkey::next_shard_id(&hashkey_shards(stream));
        for range in ranges {
            let id = next.ok_or_else(|| refusal(stream, &ReshardError::ShardIdsExhausted))?;
            let mut parents: Vec<(ShardId, hashkey::HashKeyRange)> = old
                .iter()
                .filter(|(_, old)| old.start() <= range.end() && range.start() <= old.end())
                .copied()
                .collect();
            parents.sort_by_key(|(_, range)| range.start());
            let parents = parents.into_iter().map(|(id, _)| id).collect();
            stream.shards.push(Shard::new(id, range, parents, now));
            next = id.next();
        }
        Ok(ShardCounts { current, target })
    }
}

/// The stream's shards as the `hashkey` module's reshard checks take them.
fn hashkey_shards(stream: &Stream) -> Vec<hashkey::Shard> {
    stream.shards.iter().map(Shard::as_hashkey).collect()
}

/// Closes the shards named `ids`.
fn close(stream: &mut Stream, ids: &[ShardId], now: i64) {
    for shard in &mut stream.shards {
        if ids.contains(&shard.id) {
            shard.closed_millis = Some(now);
        }
    }
}

/// The id of a shard of `stream`, or the service's `ResourceNotFoundException` (kinesalite's
/// text, actions/splitShard.js and mergeShards.js, as [`ReshardError::ShardNotFound`] renders
/// it).
fn shard_id(stream: &Stream, shard: &str) -> Result<ShardId, Failure> {
    match stream
        .position(shard)
        .and_then(|index| stream.shards.get(index))
    {
        Some(found) => Ok(found.id),
        None => Err(Failure {
            code: "ResourceNotFoundException",
            message: format!(
                "Could not find shard {shard} in stream {} under account {ACCOUNT}.",
                stream.name
            ),
        }),
    }
}

/// The service's answer to a split or merge the `hashkey` module refuses: its code, and the
/// text [`ReshardError::message`] renders (kinesalite's texts, from actions/splitShard.js and
/// mergeShards.js, and the service's closed-shard text of spec/hashkey.md).
fn refusal(stream: &Stream, error: &ReshardError) -> Failure {
    Failure {
        code: error.error_code(),
        message: error.message(&stream.name, ACCOUNT).to_string(),
    }
}

/// The split text for a `NewStartingHashKey` that is not a hash key at all (above 2^128 - 1),
/// worded as kinesalite words a key outside the shard (actions/splitShard.js).
fn out_of_range(stream: &Stream, id: ShardId, key: &str) -> Failure {
    let shard = stream.shards.iter().find(|shard| shard.id == id);
    let (start, end) = shard.map_or((HashKey::MIN, HashKey::MAX), |shard| {
        (shard.range.start(), shard.range.end())
    });
    Failure {
        code: "InvalidArgumentException",
        message: format!(
            "NewStartingHashKey {key} used in SplitShard() on shard {id} in stream {} under \
             account {ACCOUNT} is not both greater than one plus the shard's StartingHashKey \
             {start} and less than the shard's EndingHashKey {end}.",
            stream.name
        ),
    }
}

/// UpdateShardCount beyond what `UNIFORM_SCALING` allows. The service documents these limits
/// (at most double, at least half, at most 10,000 per call) but no message text is known here:
/// the code is the one the API reference gives for exceeded limits, the texts are this
/// example's own (listed in the README).
fn scaling_refusal(error: &ScalingError) -> Failure {
    let message = match *error {
        ScalingError::BelowHalf {
            current,
            target,
            min,
        } => format!(
            "UpdateShardCount cannot scale down below half the current open shard count: \
             current {current}, target {target}, lowest allowed {min}."
        ),
        ScalingError::AboveDouble {
            current,
            target,
            max,
        } => format!(
            "UpdateShardCount cannot scale up over double the current open shard count: \
             current {current}, target {target}, highest allowed {max}."
        ),
        ScalingError::AboveLimit { target, max } => {
            format!("UpdateShardCount cannot scale to {target} shards: the most is {max}.")
        }
        other => format!("UpdateShardCount refused: {other}."),
    };
    Failure {
        code: "LimitExceededException",
        message,
    }
}
