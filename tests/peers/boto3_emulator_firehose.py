#!/usr/bin/env python3
"""boto3's Firehose client against the example emulator (examples/emulator/), driven by
tests/emulator_firehose.rs.

Usage: boto3_emulator_firehose.py ENDPOINT     e.g. http://127.0.0.1:40123

Creates two DirectPut delivery streams, puts records (one PutRecord, a PutRecordBatch of 500
with binary data of every length 0..299 and every byte value, one more PutRecord), reads back
what landed through the example's own read-out (GET ENDPOINT/_firehose/NAME, not part of the AWS
API), and tries the refused requests. Prints one JSON document; the Rust test makes every
assertion. Data bytes are hex strings.
"""

import base64
import json
import random
import sys
import urllib.error
import urllib.request

from emulator_client import client, error_of


STREAM = "emulator-firehose"


def read_out(endpoint, name):
    """The example's read-out: (status, [{"id", "data" (hex)}])."""
    try:
        with urllib.request.urlopen(f"{endpoint}/_firehose/{name}", timeout=20) as answer:
            lines = answer.read().decode().splitlines()
            status = answer.status
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    records = [json.loads(line) for line in lines]
    return status, [{"id": r["RecordId"], "data": base64.b64decode(r["Data"]).hex()}
                    for r in records]


def main():
    endpoint = sys.argv[1]
    firehose = client(endpoint, "firehose")
    unchecked = client(endpoint, "firehose", validate=False)
    rng = random.Random(4)
    out = {"puts": []}

    arn = firehose.create_delivery_stream(
        DeliveryStreamName=STREAM, DeliveryStreamType="DirectPut",
        S3DestinationConfiguration={"RoleARN": "arn:aws:iam::000000000000:role/firehose",
                                    "BucketARN": "arn:aws:s3:::emulator-bucket"},
    )["DeliveryStreamARN"]
    firehose.create_delivery_stream(DeliveryStreamName=STREAM + "-other")
    out["arn"] = arn
    description = firehose.describe_delivery_stream(
        DeliveryStreamName=STREAM)["DeliveryStreamDescription"]
    out["describe"] = {k: description.get(k) for k in [
        "DeliveryStreamName", "DeliveryStreamARN", "DeliveryStreamStatus", "DeliveryStreamType",
        "HasMoreDestinations"]}
    out["list"] = firehose.list_delivery_streams()
    out["list"].pop("ResponseMetadata")
    out["list_paged"] = firehose.list_delivery_streams(Limit=1)
    out["list_paged"].pop("ResponseMetadata")

    def put(data):
        answer = firehose.put_record(DeliveryStreamName=STREAM, Record={"Data": data})
        out["puts"].append({"data": data.hex(), "id": answer["RecordId"]})

    put(b"first")
    batch = [rng.randbytes(i % 300) for i in range(499)] + [bytes(range(256))]
    answer = firehose.put_record_batch(DeliveryStreamName=STREAM,
                                       Records=[{"Data": d} for d in batch])
    out["batch_failed"] = answer["FailedPutCount"]
    out["batch_answers"] = len(answer["RequestResponses"])
    for data, entry in zip(batch, answer["RequestResponses"], strict=True):
        out["puts"].append({"data": data.hex(), "id": entry["RecordId"]})
    put(b"last\x00\xff")

    out["landed_status"], out["landed"] = read_out(endpoint, STREAM)
    out["other_status"], out["other"] = read_out(endpoint, STREAM + "-other")
    out["missing_status"], out["missing"] = read_out(endpoint, "no-such-delivery-stream")

    big = bytes(1000 * 1024)
    out["errors"] = {
        "missing_put": error_of(lambda: firehose.put_record(
            DeliveryStreamName="no-such-delivery-stream", Record={"Data": b"x"})),
        "missing_batch": error_of(lambda: firehose.put_record_batch(
            DeliveryStreamName="no-such-delivery-stream", Records=[{"Data": b"x"}])),
        "missing_describe": error_of(lambda: firehose.describe_delivery_stream(
            DeliveryStreamName="no-such-delivery-stream")),
        "in_use": error_of(lambda: firehose.create_delivery_stream(DeliveryStreamName=STREAM)),
        "batch_501": error_of(lambda: unchecked.put_record_batch(
            DeliveryStreamName=STREAM, Records=[{"Data": b"x"}] * 501)),
        "batch_5_mib": error_of(lambda: unchecked.put_record_batch(
            DeliveryStreamName=STREAM, Records=[{"Data": big}] * 5)),
        "batch_5_mib_missing": error_of(lambda: unchecked.put_record_batch(
            DeliveryStreamName="no-such-delivery-stream", Records=[{"Data": big}] * 5)),
        "unimplemented": error_of(lambda: firehose.list_tags_for_delivery_stream(
            DeliveryStreamName=STREAM)),
    }
    # The refused batches left nothing behind.
    out["landed_after_errors"] = len(read_out(endpoint, STREAM)[1])
    firehose.delete_delivery_stream(DeliveryStreamName=STREAM + "-other")
    out["after_delete"] = firehose.list_delivery_streams()["DeliveryStreamNames"]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
