#!/usr/bin/env python3
"""boto3 subscribes to the example emulator (examples/emulator/), driven by
tests/emulator_subscribe.rs.

Usage: boto3_emulator_subscribe.py ENDPOINT     e.g. http://127.0.0.1:40123

The emulator runs with a short subscription (--subscription-seconds). The script registers a
consumer, describes and lists it, subscribes through botocore's EventStream from TRIM_HORIZON,
AT_SEQUENCE_NUMBER and LATEST while it puts records, tries a second subscription at once, a
takeover after 5 seconds, the errors before streaming, then deregisters the consumer. It prints
one JSON document with what boto3 sent and got; the Rust test makes every assertion. Data bytes
are hex strings, timestamps milliseconds since the epoch.
"""

import json
import sys
import threading
import time

from botocore.exceptions import EventStreamError

from emulator_client import client, error_of, millis

STREAM = "emulator-subscribe"


def record(r):
    return {"seq": r["SequenceNumber"], "key": r["PartitionKey"], "data": r["Data"].hex(),
            "arrival": millis(r["ApproximateArrivalTimestamp"])}


def read_events(answer, until=None, on_first_event=None):
    """Every event of a subscription: records, continuation and lag per event, the exception
    that ended it if any, and how long it lasted. Stops early once `until(records)` holds."""
    started = time.monotonic()
    events, records, error = [], [], None
    # botocore read the initial-response already (subscribe_to_shard fails without one).
    stream = answer["EventStream"]
    try:
        for i, event in enumerate(stream):
            body = event["SubscribeToShardEvent"]
            got = [record(r) for r in body["Records"]]
            records += got
            events.append({"records": len(got),
                           "continuation": body["ContinuationSequenceNumber"],
                           "behind": body["MillisBehindLatest"],
                           "child_shards": body.get("ChildShards")})
            if i == 0 and on_first_event is not None:
                on_first_event()
            if until is not None and until(records):
                break
    except EventStreamError as e:
        error = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]}
    finally:
        stream.close()
    return {"events": events, "records": records, "error": error,
            "seconds": time.monotonic() - started}


def main():
    endpoint = sys.argv[1]
    kinesis = client(endpoint)
    unchecked = client(endpoint, validate=False)
    out = {"puts": []}

    def put(data, key, shard_hash="1"):
        answer = kinesis.put_record(StreamName=STREAM, Data=data, PartitionKey=key,
                                    ExplicitHashKey=shard_hash)
        out["puts"].append({"data": data.hex(), "key": key, "shard": answer["ShardId"],
                            "seq": answer["SequenceNumber"]})

    kinesis.create_stream(StreamName=STREAM, ShardCount=2)
    stream_arn = kinesis.describe_stream_summary(StreamName=STREAM)[
        "StreamDescriptionSummary"]["StreamARN"]
    out["stream_arn"] = stream_arn
    shard = "shardId-000000000000"

    # Consumers: register two, describe one both ways, list, page.
    registered = kinesis.register_stream_consumer(StreamARN=stream_arn, ConsumerName="reader")
    consumer = registered["Consumer"]
    out["registered"] = {"arn": consumer["ConsumerARN"], "name": consumer["ConsumerName"],
                         "status": consumer["ConsumerStatus"],
                         "created": millis(consumer["ConsumerCreationTimestamp"])}
    arn = consumer["ConsumerARN"]
    kinesis.register_stream_consumer(StreamARN=stream_arn, ConsumerName="another")
    by_arn = kinesis.describe_stream_consumer(ConsumerARN=arn)["ConsumerDescription"]
    by_name = kinesis.describe_stream_consumer(StreamARN=stream_arn, ConsumerName="reader")[
        "ConsumerDescription"]
    out["described"] = [
        {"arn": d["ConsumerARN"], "name": d["ConsumerName"], "status": d["ConsumerStatus"],
         "stream_arn": d["StreamARN"], "created": millis(d["ConsumerCreationTimestamp"])}
        for d in (by_arn, by_name)
    ]
    out["listed"] = [c["ConsumerName"] for c in
                     kinesis.list_stream_consumers(StreamARN=stream_arn)["Consumers"]]
    page = kinesis.list_stream_consumers(StreamARN=stream_arn, MaxResults=1)
    rest = kinesis.list_stream_consumers(StreamARN=stream_arn, NextToken=page["NextToken"])
    out["listed_paged"] = [c["ConsumerName"] for c in page["Consumers"] + rest["Consumers"]]

    # Records before the subscription (every byte value, an empty record, a large one).
    put(bytes(range(256)), "before-0")
    put(b"", "before-1")
    put(bytes(i % 251 for i in range(300_000)), "before-2")
    put(b"other shard", "before-3", str(2**127 + 1))

    # TRIM_HORIZON: the records before, then the ones put while subscribed.
    answer = kinesis.subscribe_to_shard(
        ConsumerARN=arn, ShardId=shard, StartingPosition={"Type": "TRIM_HORIZON"})
    out["status"] = answer["ResponseMetadata"]["HTTPStatusCode"]
    out["content_type"] = answer["ResponseMetadata"]["HTTPHeaders"].get("content-type")

    def put_while_subscribed():
        time.sleep(0.3)
        for i in range(5):
            put(f"during-{i}".encode(), f"during-{i}")
            time.sleep(0.1)

    # The second subscription, at once: refused.
    out["second"] = error_of(lambda: kinesis.subscribe_to_shard(
        ConsumerARN=arn, ShardId=shard, StartingPosition={"Type": "LATEST"}))
    writer = threading.Thread(target=put_while_subscribed)
    writer.start()
    out["trim_horizon"] = read_events(answer, until=lambda records: len(records) >= 8)
    writer.join()

    # AT_SEQUENCE_NUMBER from the second record, after the 5 seconds: takes over.
    time.sleep(5.1)
    from_seq = out["puts"][1]["seq"]
    out["at_sequence_from"] = from_seq
    answer = kinesis.subscribe_to_shard(
        ConsumerARN=arn, ShardId=shard,
        StartingPosition={"Type": "AT_SEQUENCE_NUMBER", "SequenceNumber": from_seq})
    out["at_sequence"] = read_events(answer, until=lambda records: len(records) >= 7)

    # LATEST: only what is put after; then it runs to its end (the emulator's short
    # subscription), with an empty event when idle.
    time.sleep(5.1)
    answer = kinesis.subscribe_to_shard(
        ConsumerARN=arn, ShardId=shard, StartingPosition={"Type": "LATEST"})
    out["latest"] = read_events(
        answer, on_first_event=lambda: put(b"latest", "latest"))

    # A takeover: the first subscription ends with ResourceInUseException.
    time.sleep(5.1)
    first = kinesis.subscribe_to_shard(
        ConsumerARN=arn, ShardId=shard, StartingPosition={"Type": "LATEST"})
    time.sleep(5.1)
    second = kinesis.subscribe_to_shard(
        ConsumerARN=arn, ShardId=shard, StartingPosition={"Type": "LATEST"})
    put(b"after takeover", "takeover")
    out["taken_over"] = read_events(first)
    out["taking_over"] = read_events(second, until=lambda records: len(records) >= 1)

    # The errors before streaming.
    missing_arn = f"{stream_arn}/consumer/nobody:1"
    out["errors"] = {
        "missing_consumer": error_of(lambda: kinesis.subscribe_to_shard(
            ConsumerARN=missing_arn, ShardId=shard, StartingPosition={"Type": "LATEST"})),
        "missing_shard": error_of(lambda: kinesis.subscribe_to_shard(
            ConsumerARN=arn, ShardId="shardId-000000000009",
            StartingPosition={"Type": "TRIM_HORIZON"})),
        "no_sequence": error_of(lambda: kinesis.subscribe_to_shard(
            ConsumerARN=arn, ShardId="shardId-000000000001",
            StartingPosition={"Type": "AT_SEQUENCE_NUMBER"})),
        "other_shard_sequence": error_of(lambda: kinesis.subscribe_to_shard(
            ConsumerARN=arn, ShardId="shardId-000000000001",
            StartingPosition={"Type": "AT_SEQUENCE_NUMBER", "SequenceNumber": from_seq})),
        "bad_type": error_of(lambda: unchecked.subscribe_to_shard(
            ConsumerARN=arn, ShardId="shardId-000000000001",
            StartingPosition={"Type": "FROM_THE_MIDDLE"})),
        "bad_arn": error_of(lambda: unchecked.subscribe_to_shard(
            ConsumerARN="not-an-arn", ShardId=shard, StartingPosition={"Type": "LATEST"})),
        "duplicate": error_of(lambda: kinesis.register_stream_consumer(
            StreamARN=stream_arn, ConsumerName="reader")),
        "register_missing_stream": error_of(lambda: kinesis.register_stream_consumer(
            StreamARN=stream_arn + "-gone", ConsumerName="reader")),
        "describe_missing": error_of(lambda: kinesis.describe_stream_consumer(
            ConsumerARN=missing_arn)),
        "describe_missing_name": error_of(lambda: kinesis.describe_stream_consumer(
            StreamARN=stream_arn, ConsumerName="nobody")),
        "describe_neither": error_of(lambda: kinesis.describe_stream_consumer(
            ConsumerName="reader")),
    }

    # Deregister: gone from the list and from describe; a subscription then ends.
    other_shard = "shardId-000000000001"
    answer = kinesis.subscribe_to_shard(
        ConsumerARN=arn, ShardId=other_shard, StartingPosition={"Type": "TRIM_HORIZON"})
    kinesis.deregister_stream_consumer(ConsumerARN=arn)
    out["deregistered_subscription"] = read_events(answer)
    kinesis.deregister_stream_consumer(StreamARN=stream_arn, ConsumerName="another")
    out["after_deregister"] = {
        "listed": kinesis.list_stream_consumers(StreamARN=stream_arn)["Consumers"],
        "describe": error_of(lambda: kinesis.describe_stream_consumer(ConsumerARN=arn)),
        "deregister_again": error_of(lambda: kinesis.deregister_stream_consumer(
            ConsumerARN=arn)),
    }

    # The stream deleted mid-subscription: ResourceNotFoundException as an exception event.
    again = kinesis.register_stream_consumer(StreamARN=stream_arn, ConsumerName="reader")
    answer = kinesis.subscribe_to_shard(
        ConsumerARN=again["Consumer"]["ConsumerARN"], ShardId=shard,
        StartingPosition={"Type": "LATEST"})
    # With a consumer registered: counted in the summary, and DeleteStream refused unless told
    # to delete the consumers too.
    out["consumer_count"] = kinesis.describe_stream_summary(
        StreamName=STREAM)["StreamDescriptionSummary"]["ConsumerCount"]
    out["delete_refused"] = error_of(lambda: kinesis.delete_stream(StreamName=STREAM))
    kinesis.delete_stream(StreamName=STREAM, EnforceConsumerDeletion=True)
    out["stream_deleted"] = read_events(answer)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
