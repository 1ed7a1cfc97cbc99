#!/usr/bin/env python3
"""boto3 reshards a stream of the example emulator (examples/emulator/), driven by
tests/emulator_reshard.rs.

Usage: boto3_emulator_reshard.py ENDPOINT     e.g. http://127.0.0.1:40123

Creates a stream of 2 shards, puts records, splits shard 0, merges the upper child with shard 1,
scales the 2 open shards to 3 with UpdateShardCount, putting records after each step; then reads
every shard from TRIM_HORIZON to its end, starting at the shards without parents and following
ChildShards, and tries the refused reshards. Prints one JSON document; the Rust test makes every
assertion. Data bytes are hex strings, hash keys and sequence numbers decimal strings.
"""

import json
import random
import sys

from emulator_client import client, error_of


STREAM = "emulator-reshard"


def shape(shard):
    return {
        "id": shard["ShardId"],
        "parent": shard.get("ParentShardId"),
        "adjacent_parent": shard.get("AdjacentParentShardId"),
        "start": shard["HashKeyRange"]["StartingHashKey"],
        "end": shard["HashKeyRange"]["EndingHashKey"],
        "first_seq": shard["SequenceNumberRange"]["StartingSequenceNumber"],
        "end_seq": shard["SequenceNumberRange"].get("EndingSequenceNumber"),
    }


def read_shard(kinesis, shard_id):
    """Every record of a shard from TRIM_HORIZON, in pages of 7, to the end of a closed shard
    (no NextShardIterator) or to the newest record of an open one; bounded."""
    iterator = kinesis.get_shard_iterator(
        StreamName=STREAM, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    out = {"records": [], "children": None, "ended": False}
    for _ in range(1000):
        page = kinesis.get_records(ShardIterator=iterator, Limit=7)
        out["records"] += [
            {"seq": r["SequenceNumber"], "key": r["PartitionKey"], "data": r["Data"].hex()}
            for r in page["Records"]
        ]
        if "ChildShards" in page:
            out["children"] = [
                {"id": c["ShardId"], "parents": c["ParentShards"],
                 "start": c["HashKeyRange"]["StartingHashKey"],
                 "end": c["HashKeyRange"]["EndingHashKey"]}
                for c in page["ChildShards"]
            ]
        iterator = page.get("NextShardIterator")
        if iterator is None:
            out["ended"] = True
            break
        if not page["Records"] and page["MillisBehindLatest"] == 0:
            break
    return out


def main():
    endpoint = sys.argv[1]
    kinesis = client(endpoint)
    rng = random.Random(1717)
    out = {"puts": []}

    def put(phase, count):
        """`count` records: one PutRecord, the rest in one PutRecords; binary data of every
        length 0..63, random keys, every fifth with an explicit hash key."""
        records = []
        for i in range(count):
            record = {"Data": rng.randbytes(rng.randrange(64)),
                      "PartitionKey": f"{phase}-{i}-{rng.getrandbits(32)}"}
            if i % 5 == 4:
                record["ExplicitHashKey"] = str(rng.getrandbits(128))
            records.append(record)
        first = records[0]
        answers = [kinesis.put_record(StreamName=STREAM, **first)]
        batch = kinesis.put_records(StreamName=STREAM, Records=records[1:])
        assert batch["FailedRecordCount"] == 0, batch
        answers += batch["Records"]
        for sent, got in zip(records, answers, strict=True):
            out["puts"].append({
                "phase": phase, "data": sent["Data"].hex(), "key": sent["PartitionKey"],
                "ehk": sent.get("ExplicitHashKey"), "shard": got["ShardId"],
                "seq": got["SequenceNumber"]})

    kinesis.create_stream(StreamName=STREAM, ShardCount=2)
    put("created", 60)
    kinesis.split_shard(StreamName=STREAM, ShardToSplit="shardId-000000000000",
                        NewStartingHashKey=str(2**126))
    put("split", 60)
    kinesis.merge_shards(StreamName=STREAM, ShardToMerge="shardId-000000000003",
                         AdjacentShardToMerge="shardId-000000000001")
    put("merged", 60)
    scaled = kinesis.update_shard_count(StreamName=STREAM, TargetShardCount=3,
                                        ScalingType="UNIFORM_SCALING")
    out["update_shard_count"] = {k: scaled.get(k) for k in
                                 ["StreamName", "CurrentShardCount", "TargetShardCount"]}
    put("scaled", 60)

    description = kinesis.describe_stream(StreamName=STREAM)["StreamDescription"]
    out["status"] = description["StreamStatus"]
    out["describe"] = [shape(s) for s in description["Shards"]]
    out["list_shards"] = [shape(s) for s in kinesis.list_shards(StreamName=STREAM)["Shards"]]
    out["open_shard_count"] = kinesis.describe_stream_summary(
        StreamName=STREAM)["StreamDescriptionSummary"]["OpenShardCount"]
    out["filters"] = {
        name: [s["ShardId"] for s in kinesis.list_shards(
            StreamName=STREAM, ShardFilter=shard_filter)["Shards"]]
        for name, shard_filter in {
            "AT_LATEST": {"Type": "AT_LATEST"},
            "AT_TRIM_HORIZON": {"Type": "AT_TRIM_HORIZON"},
            "FROM_TRIM_HORIZON": {"Type": "FROM_TRIM_HORIZON"},
            "AFTER_SHARD_ID": {"Type": "AFTER_SHARD_ID", "ShardId": "shardId-000000000004"},
        }.items()
    }

    # Read as a consumer does: the shards without parents first, then each child once all of
    # its parents are read to their ends.
    roots = out["filters"]["AT_TRIM_HORIZON"]
    out["reads"] = {}
    out["read_order"] = []
    parents_of = {}
    pending = list(roots)
    while pending:
        shard = pending.pop(0)
        if shard in out["reads"]:
            continue
        if any(p not in out["reads"] for p in parents_of.get(shard, [])):
            pending.append(shard)
            continue
        read = read_shard(kinesis, shard)
        out["reads"][shard] = read
        out["read_order"].append(shard)
        for child in read["children"] or []:
            parents_of[child["id"]] = child["parents"]
            pending.append(child["id"])

    def split(shard, key):
        return lambda: kinesis.split_shard(StreamName=STREAM, ShardToSplit=shard,
                                           NewStartingHashKey=key)

    def merge(shard, adjacent):
        return lambda: kinesis.merge_shards(StreamName=STREAM, ShardToMerge=shard,
                                            AdjacentShardToMerge=adjacent)

    def scale(target):
        return lambda: kinesis.update_shard_count(StreamName=STREAM, TargetShardCount=target,
                                                  ScalingType="UNIFORM_SCALING")

    open_shards = {s["id"]: s for s in out["describe"] if s["end_seq"] is None}
    five = open_shards["shardId-000000000005"]
    out["errors"] = {
        "split_key_above": split("shardId-000000000005", str(int(five["end"]) + 1)),
        "split_key_start_plus_one": split("shardId-000000000005",
                                          str(int(five["start"]) + 1)),
        "split_key_2_128": split("shardId-000000000005", str(2**128)),
        "split_closed": split("shardId-000000000000", "12345"),
        "split_missing_shard": split("shardId-000000000099", "12345"),
        "split_missing_stream": lambda: kinesis.split_shard(
            StreamName="no-such-stream", ShardToSplit="shardId-000000000000",
            NewStartingHashKey="12345"),
        "merge_not_adjacent": merge("shardId-000000000005", "shardId-000000000007"),
        "merge_reversed": merge("shardId-000000000006", "shardId-000000000005"),
        "merge_closed": merge("shardId-000000000002", "shardId-000000000004"),
        "scale_above_double": scale(7),
        "scale_below_half": scale(1),
        "scale_same": scale(3),
    }
    out["errors"] = {name: error_of(call) for name, call in out["errors"].items()}
    # Nothing refused changed the shards.
    out["after_errors"] = [shape(s) for s in kinesis.list_shards(StreamName=STREAM)["Shards"]]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
