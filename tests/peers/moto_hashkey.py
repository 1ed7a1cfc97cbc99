"""Ask moto (an independent Kinesis emulator) how it lays out, routes and reshards.

Run by tests/hashkey_moto.rs. Prints one JSON document on stdout:
  ranges:  {N: [[shard_id, start, end], ...]} from ListShards after CreateStream(N)
  records: [{shards, partition_key, explicit_hash_key, shard_id | error}] from PutRecord
  reshard: [{op, args, shards_after: [[id, start, end, parent, adjacent_parent, open]]}]
  refused: [{op, args, code, message}] for requests moto refuses where it agrees with the service
Partition keys are generated here (seeded), not chosen by the Rust side.
"""

import json
import random
import sys

import boto3
from moto import mock_aws

REGION = "us-east-1"
RANGE_COUNTS = list(range(1, 65)) + [100, 127, 128, 255, 256, 500, 512, 1000, 1024, 4096, 10000]
RECORD_COUNTS_ALL_KEYS = [3, 7, 16, 100, 1000]
RECORD_COUNTS_SOME_KEYS = [1, 2, 4, 5, 8, 17, 64, 128, 10000]


def partition_keys(rng):
    keys = ["a", "b", "0", "partitionKey", "user-42", " ", "\t", "\u0000", "a\nb"]
    alphabet_ascii = [chr(c) for c in range(32, 127)]
    for _ in range(150):
        n = rng.randint(1, 40)
        keys.append("".join(rng.choice(alphabet_ascii) for _ in range(n)))
    # Unicode from several scripts, and emoji (astral plane: two UTF-16 units each).
    scripts = [(0x00C0, 0x024F), (0x0370, 0x03FF), (0x0400, 0x04FF), (0x0590, 0x05FF),
               (0x0600, 0x06FF), (0x3040, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3),
               (0x1F300, 0x1F5FF), (0x1F600, 0x1F64F), (0x1F900, 0x1F9FF)]
    for _ in range(120):
        lo, hi = rng.choice(scripts)
        n = rng.randint(1, 30)
        keys.append("".join(chr(rng.randint(lo, hi)) for _ in range(n)))
    keys += ["\U0001F600", "\U0001F468\u200D\U0001F469\u200D\U0001F467", "caf\u00e9", "cafe\u0301"]
    # Long keys: 256 characters (the service's limit), ASCII, mixed, and all emoji.
    for _ in range(10):
        keys.append("".join(rng.choice(alphabet_ascii) for _ in range(256)))
    for _ in range(5):
        keys.append("".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(256)))
    for _ in range(5):
        keys.append("".join(chr(rng.randint(0x1F600, 0x1F64F)) for _ in range(256)))
    return keys


def list_all_shards(client, name):
    shards, token = [], None
    while True:
        kwargs = {"NextToken": token} if token else {"StreamName": name}
        page = client.list_shards(**kwargs)
        shards += page["Shards"]
        token = page.get("NextToken")
        if not token:
            return shards


def shard_row(s):
    r = s["HashKeyRange"]
    return [s["ShardId"], r["StartingHashKey"], r["EndingHashKey"], s.get("ParentShardId"),
            s.get("AdjacentParentShardId"), "EndingSequenceNumber" not in s["SequenceNumberRange"]]


def put(client, name, pk, ehk):
    args = {"StreamName": name, "Data": b"x", "PartitionKey": pk}
    if ehk is not None:
        args["ExplicitHashKey"] = ehk
    try:
        return {"shard_id": client.put_record(**args)["ShardId"]}
    except Exception as e:  # moto fails on keys equal to a range end: report, do not hide
        return {"error": type(e).__name__ + ": " + str(e)[:200]}


def main():
    rng = random.Random(20261121)
    keys = partition_keys(rng)
    out = {"ranges": {}, "records": [], "reshard": [], "refused": []}
    with mock_aws():
        client = boto3.client("kinesis", region_name=REGION)
        for n in RANGE_COUNTS:
            name = f"ranges-{n}"
            client.create_stream(StreamName=name, ShardCount=n)
            out["ranges"][str(n)] = [shard_row(s)[:3] for s in list_all_shards(client, name)]

        for n in RECORD_COUNTS_ALL_KEYS + RECORD_COUNTS_SOME_KEYS:
            name = f"ranges-{n}"
            chosen = keys if n in RECORD_COUNTS_ALL_KEYS else rng.sample(keys, 60)
            for pk in chosen:
                out["records"].append({"shards": n, "partition_key": pk, "explicit_hash_key": None,
                                       **put(client, name, pk, None)})
            # Explicit hash keys: random values, each shard's start, its start + 1, and its end
            # (where moto's `key < end` finds no shard).
            rows = out["ranges"][str(n)]
            explicit = [str(rng.getrandbits(128)) for _ in range(20)]
            for row in rows[:50]:
                explicit += [row[1], str(int(row[1]) + 1), row[2]]
            for ehk in explicit:
                out["records"].append({"shards": n, "partition_key": "ignored", "explicit_hash_key": ehk,
                                       **put(client, name, "ignored", ehk)})

        # A random sequence of valid splits and in-order merges of adjacent open shards.
        for start_count in [1, 2, 3, 5]:
            name = f"reshard-{start_count}"
            client.create_stream(StreamName=name, ShardCount=start_count)
            for _ in range(25):
                shards = [shard_row(s) for s in list_all_shards(client, name)]
                open_shards = sorted([s for s in shards if s[5]], key=lambda s: int(s[1]))
                pairs = [(a, b) for a, b in zip(open_shards, open_shards[1:])]
                if pairs and rng.random() < 0.4:
                    a, b = rng.choice(pairs)
                    op, args = "merge", [a[0], b[0]]
                    client.merge_shards(StreamName=name, ShardToMerge=a[0], AdjacentShardToMerge=b[0])
                else:
                    s = rng.choice([s for s in open_shards if int(s[2]) - int(s[1]) >= 3])
                    k = rng.randint(int(s[1]) + 2, int(s[2]) - 1)
                    op, args = "split", [s[0], str(k)]
                    client.split_shard(StreamName=name, ShardToSplit=s[0], NewStartingHashKey=str(k))
                out["reshard"].append({"stream": name, "initial_shards": start_count, "op": op,
                                       "args": args,
                                       "shards_after": [shard_row(s) for s in list_all_shards(client, name)]})

        # Refusals where moto's rule is the service's: a closed shard, non-adjacent or reversed
        # merges, an unknown shard.
        name = "refused"
        client.create_stream(StreamName=name, ShardCount=3)
        rows = [shard_row(s) for s in list_all_shards(client, name)]
        mid = str((int(rows[0][1]) + int(rows[0][2])) // 2)
        client.split_shard(StreamName=name, ShardToSplit=rows[0][0], NewStartingHashKey=mid)
        attempts = [("split", [rows[0][0], mid]),
                    ("merge", [rows[2][0], rows[1][0]]),
                    ("merge", ["shardId-000000000004", rows[2][0]]),
                    ("split", ["shardId-000000000042", mid])]
        for op, args in attempts:
            try:
                if op == "split":
                    client.split_shard(StreamName=name, ShardToSplit=args[0], NewStartingHashKey=args[1])
                else:
                    client.merge_shards(StreamName=name, ShardToMerge=args[0], AdjacentShardToMerge=args[1])
                out["refused"].append({"op": op, "args": args, "code": None, "message": None})
            except client.exceptions.ClientError as e:
                out["refused"].append({"op": op, "args": args, "code": e.response["Error"]["Code"],
                                       "message": e.response["Error"]["Message"]})
        out["refused_shards"] = [shard_row(s) for s in list_all_shards(client, name)]
        out["account_id"] = boto3.client("sts", region_name=REGION).get_caller_identity()["Account"]
    json.dump(out, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
