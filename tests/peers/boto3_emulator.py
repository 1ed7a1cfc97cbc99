#!/usr/bin/env python3
"""boto3 against the example emulator (examples/emulator/), driven by tests/emulator_boto3.rs.

Usage: boto3_emulator.py ENDPOINT     e.g. http://127.0.0.1:40123

Runs one scenario on a fresh emulator and prints one JSON document with what boto3 sent and
what it got back; the Rust test makes every assertion. Data bytes are hex strings, hash keys and
sequence numbers decimal strings, timestamps milliseconds since the epoch.
"""

import datetime
import json
import random
import sys
import time

from emulator_client import client, error_of, millis


STREAM = "emulator-boto3"
SHARDS = 4


def read_all(kinesis, shard_id, **start):
    """Every record from an iterator until the shard's end (pages of 100), bounded."""
    iterator = kinesis.get_shard_iterator(StreamName=STREAM, ShardId=shard_id, **start)[
        "ShardIterator"
    ]
    records = []
    for _ in range(1000):
        page = kinesis.get_records(ShardIterator=iterator, Limit=100)
        records += [
            {
                "seq": r["SequenceNumber"],
                "key": r["PartitionKey"],
                "data": r["Data"].hex(),
                "arrival": millis(r["ApproximateArrivalTimestamp"]),
            }
            for r in page["Records"]
        ]
        iterator = page["NextShardIterator"]
        if not page["Records"] and page["MillisBehindLatest"] == 0:
            break
    return records


def main():
    endpoint = sys.argv[1]
    kinesis = client(endpoint)
    unchecked = client(endpoint, validate=False)
    rng = random.Random(17)
    out = {"puts": []}

    def put_record(group, data, key, ehk=None):
        args = {"StreamName": STREAM, "Data": data, "PartitionKey": key}
        if ehk is not None:
            args["ExplicitHashKey"] = ehk
        answer = kinesis.put_record(**args)
        out["puts"].append(
            {"group": group, "data": data.hex(), "key": key, "ehk": ehk,
             "shard": answer["ShardId"], "seq": answer["SequenceNumber"]}
        )

    def put_records(group, records):
        answer = kinesis.put_records(StreamName=STREAM, Records=records)
        assert answer["FailedRecordCount"] == 0, answer
        for sent, got in zip(records, answer["Records"], strict=True):
            out["puts"].append(
                {"group": group, "data": sent["Data"].hex(), "key": sent["PartitionKey"],
                 "ehk": sent.get("ExplicitHashKey"), "shard": got["ShardId"],
                 "seq": got["SequenceNumber"]}
            )

    kinesis.create_stream(StreamName=STREAM, ShardCount=SHARDS)
    kinesis.get_waiter("stream_exists").wait(
        StreamName=STREAM, WaiterConfig={"Delay": 1, "MaxAttempts": 5}
    )
    description = kinesis.describe_stream(StreamName=STREAM)["StreamDescription"]
    out["describe"] = {
        "name": description["StreamName"],
        "arn": description["StreamARN"],
        "status": description["StreamStatus"],
        "has_more_shards": description["HasMoreShards"],
        "shards": [
            {"id": s["ShardId"], "start": s["HashKeyRange"]["StartingHashKey"],
             "end": s["HashKeyRange"]["EndingHashKey"],
             "first_seq": s["SequenceNumberRange"]["StartingSequenceNumber"]}
            for s in description["Shards"]
        ],
    }
    summary = kinesis.describe_stream_summary(StreamName=STREAM)["StreamDescriptionSummary"]
    out["summary"] = {"open_shard_count": summary["OpenShardCount"],
                      "status": summary["StreamStatus"]}
    kinesis.create_stream(StreamName=STREAM + "-other", ShardCount=1)
    out["list_streams"] = kinesis.list_streams()["StreamNames"]
    out["list_shards"] = [s["ShardId"] for s in kinesis.list_shards(StreamName=STREAM)["Shards"]]
    paged = kinesis.list_shards(StreamName=STREAM, MaxResults=3)
    rest = kinesis.list_shards(NextToken=paged["NextToken"])
    out["list_shards_paged"] = [s["ShardId"] for s in paged["Shards"] + rest["Shards"]]

    # Puts: one record, a batch of 500 (Unicode, 256-character and plain keys, some explicit
    # hash keys, data of every length from 0 to 299 bytes), then explicit hash keys one by one.
    put_record("single", b"hello", "a")
    batch = []
    for i in range(500):
        key = [f"ключ-日本-🎉-{i}", "ü" * 250 + f"{i:06d}", f"pk-{i}"][i % 3]
        record = {"Data": rng.randbytes(i % 300), "PartitionKey": key}
        if i % 50 == 7:
            record["ExplicitHashKey"] = str(rng.getrandbits(128))
        batch.append(record)
    put_records("batch", batch)
    for ehk in [0, 2**126 - 1, 2**126, 2**127, 3 * 2**126 + 5, 2**128 - 1]:
        put_record("explicit", rng.randbytes(8), f"explicit-{ehk}", str(ehk))

    # LATEST: iterators taken now see only what comes after (one record per shard).
    shard_ids = [s["id"] for s in out["describe"]["shards"]]
    latest = {
        shard: kinesis.get_shard_iterator(
            StreamName=STREAM, ShardId=shard, ShardIteratorType="LATEST"
        )["ShardIterator"]
        for shard in shard_ids
    }
    for i in range(SHARDS):
        put_record("latest", f"latest-{i}".encode(), f"latest-{i}", str(i * 2**126 + 1))
    out["latest"] = {}
    for shard, iterator in latest.items():
        page = kinesis.get_records(ShardIterator=iterator)
        out["latest"][shard] = [
            {"seq": r["SequenceNumber"], "key": r["PartitionKey"], "data": r["Data"].hex(),
             "arrival": millis(r["ApproximateArrivalTimestamp"])}
            for r in page["Records"]
        ]

    # AT_TIMESTAMP: a whole second with nothing put in it before, then a batch after it.
    time.sleep(1.05 - (time.time() % 1.0))
    mark = datetime.datetime.fromtimestamp(int(time.time()), datetime.timezone.utc)
    put_records("timed", [{"Data": f"timed-{i}".encode(), "PartitionKey": f"timed-{i}"}
                          for i in range(20)])
    out["timestamp_mark"] = millis(mark)

    out["reads"] = {"TRIM_HORIZON": {}, "AT_TIMESTAMP": {}, "AT_SEQUENCE_NUMBER": {},
                    "AFTER_SEQUENCE_NUMBER": {}}
    for shard in shard_ids:
        everything = read_all(kinesis, shard, ShardIteratorType="TRIM_HORIZON")
        out["reads"]["TRIM_HORIZON"][shard] = everything
        out["reads"]["AT_TIMESTAMP"][shard] = read_all(
            kinesis, shard, ShardIteratorType="AT_TIMESTAMP", Timestamp=mark)
        middle = everything[len(everything) // 2]["seq"]
        out["reads"]["AT_SEQUENCE_NUMBER"][shard] = {"from": middle, "records": read_all(
            kinesis, shard, ShardIteratorType="AT_SEQUENCE_NUMBER",
            StartingSequenceNumber=middle)}
        out["reads"]["AFTER_SEQUENCE_NUMBER"][shard] = {"from": middle, "records": read_all(
            kinesis, shard, ShardIteratorType="AFTER_SEQUENCE_NUMBER",
            StartingSequenceNumber=middle)}

    # The errors, as the service sends them.
    out["errors"] = {
        "missing_stream": error_of(lambda: kinesis.describe_stream(StreamName="no-such-stream")),
        "missing_stream_put": error_of(lambda: kinesis.put_record(
            StreamName="no-such-stream", Data=b"x", PartitionKey="k")),
        "in_use": error_of(lambda: kinesis.create_stream(StreamName=STREAM, ShardCount=1)),
        "empty_partition_key": error_of(lambda: unchecked.put_record(
            StreamName=STREAM, Data=b"x", PartitionKey="")),
        "shard_count_zero": error_of(lambda: unchecked.create_stream(
            StreamName="zero-shards", ShardCount=0)),
        "shard_count_text": error_of(lambda: unchecked.create_stream(
            StreamName="text-shards", ShardCount="two")),
        "hash_key_2_128": error_of(lambda: kinesis.put_record(
            StreamName=STREAM, Data=b"x", PartitionKey="k", ExplicitHashKey=str(2**128))),
        "iterator_without_sequence": error_of(lambda: kinesis.get_shard_iterator(
            StreamName=STREAM, ShardId=shard_ids[0], ShardIteratorType="AT_SEQUENCE_NUMBER")),
        "unimplemented": error_of(lambda: kinesis.add_tags_to_stream(
            StreamName=STREAM, Tags={"team": "streams"})),
    }
    kinesis.delete_stream(StreamName=STREAM + "-other")
    out["after_delete"] = kinesis.list_streams()["StreamNames"]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
