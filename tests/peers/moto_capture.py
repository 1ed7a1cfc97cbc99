#!/usr/bin/env python3
"""Capture moto's Kinesis and Firehose wire bodies: tests/data/wire/moto/{kinesis,firehose}.jsonl.

moto 5.2.1 runs in-process (`mock_aws`); boto3 1.44.5 calls every operation moto implements. The
raw bodies are taken from botocore's event hooks: `before-send` (registered first, so it runs
before moto's stub answers) sees the serialized request, `after-call` / `after-call-error` see the
raw HTTP response, error responses included (some calls provoke errors on purpose: a stream that
does not exist, an invalid shard iterator, a duplicate name).

Output lines: {"id","service","operation","kind":"request|response|error","status","body"}.
The operations moto does not implement are listed in tests/data/wire/moto/UNIMPLEMENTED.md.
moto's clock and ids are not fixed, so bodies change from run to run; tests compare semantically.

    python3 tests/peers/moto_capture.py              # rewrite the committed files
    python3 tests/peers/moto_capture.py --out DIR    # write elsewhere (the tests use a temp dir)
"""

import argparse
import datetime
import json
import os
import sys

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import pinned  # noqa: E402

pinned.require("boto3", "botocore", "moto")

import boto3  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from botocore import xform_name  # noqa: E402
from moto import mock_aws  # noqa: E402
from moto.firehose.responses import FirehoseResponse  # noqa: E402
from moto.kinesis.responses import KinesisResponse  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(ROOT, "tests", "data", "wire", "moto")
REGION = "us-east-1"
ACCOUNT = "123456789012"


class Recorder:
    """Collects the raw bodies of one client's calls through botocore's event hooks."""

    def __init__(self, service, client):
        self.service = service
        self.lines = []
        self.called = set()
        self.n = 0
        self.pending = None
        ev = client.meta.events
        ev.register_first("before-send.*", self.before_send)
        ev.register("after-call.*", self.after_call)
        ev.register("after-call-error.*", self.after_call_error)

    def before_send(self, request, **_):
        body = request.body
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        target = request.headers.get("X-Amz-Target", b"")
        if isinstance(target, bytes):
            target = target.decode()
        self.pending = (target.split(".", 1)[1], body or "")

    def after_call(self, http_response, model, **_):
        op = model.name
        pending_op, req_body = self.pending
        assert pending_op == op, (pending_op, op)
        self.n += 1
        status = http_response.status_code
        body = http_response.content.decode("utf-8")
        kind = "response" if status < 300 else "error"
        base = f"{self.service}/{op}/{self.n:03d}"
        self.lines.append({"id": base + "/request", "service": self.service, "operation": op,
                           "kind": "request", "body": req_body})
        self.lines.append({"id": f"{base}/{kind}", "service": self.service, "operation": op,
                           "kind": kind, "status": status, "body": body})
        self.called.add(op)

    def after_call_error(self, exception, **_):
        raise RuntimeError(f"{self.pending}: no HTTP response ({exception!r})")


def call(client, method, expect_error=False, **params):
    try:
        out = getattr(client, method)(**params)
    except ClientError as e:
        if not expect_error:
            raise RuntimeError(f"{method} failed unexpectedly: {e}") from e
        return e.response
    if expect_error:
        raise RuntimeError(f"{method} succeeded but an error was expected")
    return out


def kinesis_calls(k):
    c = lambda m, **p: call(k, m, **p)  # noqa: E731
    e = lambda m, **p: call(k, m, expect_error=True, **p)  # noqa: E731
    c("create_stream", StreamName="s1", ShardCount=2)
    c("create_stream", StreamName="s2", StreamModeDetails={"StreamMode": "ON_DEMAND"})
    e("create_stream", StreamName="s1", ShardCount=1)
    arn = c("describe_stream", StreamName="s1")["StreamDescription"]["StreamARN"]
    c("describe_stream", StreamName="s1", Limit=1)
    c("describe_stream_summary", StreamName="s1")
    c("describe_stream_summary", StreamARN=arn)
    c("list_streams")
    c("list_streams", Limit=1)
    shards = c("list_shards", StreamName="s1")["Shards"]
    c("list_shards", StreamName="s1", MaxResults=1)
    c("put_record", StreamName="s1", Data=b"hello", PartitionKey="pk")
    c("put_record", StreamName="s1", Data=b"\x00\xff\xfe/+=", PartitionKey="ключ 😀 \"q\" \\ /")
    c("put_record", StreamName="s1", Data=b"", PartitionKey="empty", ExplicitHashKey="1")
    c("put_records", StreamName="s1", Records=[
        {"Data": b"one", "PartitionKey": "a"},
        {"Data": bytes(range(256)), "PartitionKey": "b", "ExplicitHashKey": "170141183460469231731687303715884105728"},
        {"Data": "text\u2028line".encode(), "PartitionKey": "c\n"},
    ])
    c("put_records", StreamARN=arn, Records=[{"Data": b"x" * 1000, "PartitionKey": "big"}])
    for shard in shards:
        it = c("get_shard_iterator", StreamName="s1", ShardId=shard["ShardId"],
               ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        c("get_records", ShardIterator=it)
        c("get_records", ShardIterator=it, Limit=1)
    c("get_shard_iterator", StreamName="s1", ShardId=shards[0]["ShardId"], ShardIteratorType="AT_TIMESTAMP",
      Timestamp=datetime.datetime(2020, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.timezone.utc))
    c("get_shard_iterator", StreamName="s1", ShardId=shards[0]["ShardId"], ShardIteratorType="LATEST")
    e("get_records", ShardIterator="c3RyZWFtOnNoYXJkOjE=")
    e("describe_stream", StreamName="missing")
    e("put_record", StreamName="missing", Data=b"x", PartitionKey="p")
    e("delete_stream", StreamName="missing")
    e("list_shards", StreamName="missing")
    c("increase_stream_retention_period", StreamName="s1", RetentionPeriodHours=48)
    c("decrease_stream_retention_period", StreamName="s1", RetentionPeriodHours=24)
    e("decrease_stream_retention_period", StreamName="s1", RetentionPeriodHours=1)
    c("add_tags_to_stream", StreamName="s1", Tags={"team": "blue", "ключ": "значение"})
    c("list_tags_for_stream", StreamName="s1")
    c("list_tags_for_stream", StreamName="s1", Limit=1)
    c("remove_tags_from_stream", StreamName="s1", TagKeys=["team"])
    c("enable_enhanced_monitoring", StreamName="s1", ShardLevelMetrics=["IncomingBytes", "OutgoingRecords"])
    c("disable_enhanced_monitoring", StreamName="s1", ShardLevelMetrics=["IncomingBytes"])
    consumer = c("register_stream_consumer", StreamARN=arn, ConsumerName="c1")["Consumer"]
    c("list_stream_consumers", StreamARN=arn)
    c("describe_stream_consumer", ConsumerARN=consumer["ConsumerARN"])
    c("describe_stream_consumer", StreamARN=arn, ConsumerName="c1")
    e("describe_stream_consumer", StreamARN=arn, ConsumerName="missing")
    c("deregister_stream_consumer", ConsumerARN=consumer["ConsumerARN"])
    c("start_stream_encryption", StreamName="s1", EncryptionType="KMS", KeyId="alias/aws/kinesis")
    c("describe_stream_summary", StreamName="s1")
    c("stop_stream_encryption", StreamName="s1", EncryptionType="KMS", KeyId="alias/aws/kinesis")
    c("split_shard", StreamName="s1", ShardToSplit=shards[0]["ShardId"],
      NewStartingHashKey="85070591730234615865843651857942052864")
    c("list_shards", StreamName="s1")
    children = c("list_shards", StreamName="s1")["Shards"][-2:]
    c("merge_shards", StreamName="s1", ShardToMerge=children[0]["ShardId"], AdjacentShardToMerge=children[1]["ShardId"])
    e("merge_shards", StreamName="s1", ShardToMerge="shardId-000000000099", AdjacentShardToMerge="shardId-000000000098")
    c("describe_stream", StreamName="s1")
    e("update_shard_count", StreamName="s2", TargetShardCount=4, ScalingType="UNIFORM_SCALING")
    s2 = c("describe_stream_summary", StreamName="s2")["StreamDescriptionSummary"]["StreamARN"]
    c("update_stream_mode", StreamARN=s2, StreamModeDetails={"StreamMode": "PROVISIONED"})
    c("update_shard_count", StreamName="s2", TargetShardCount=4, ScalingType="UNIFORM_SCALING")
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                         "Action": "kinesis:GetRecords", "Resource": arn}]})
    c("put_resource_policy", ResourceARN=arn, Policy=policy)
    c("get_resource_policy", ResourceARN=arn)
    c("delete_resource_policy", ResourceARN=arn)
    c("describe_limits")
    c("delete_stream", StreamName="s2")
    c("list_streams")


def firehose_calls(f):
    c = lambda m, **p: call(f, m, **p)  # noqa: E731
    e = lambda m, **p: call(f, m, expect_error=True, **p)  # noqa: E731
    role = f"arn:aws:iam::{ACCOUNT}:role/firehose"
    s3_client = boto3.client("s3", region_name=REGION)  # moto delivers records to real (mock) buckets
    for bucket in ("bucket", "bucket2"):
        s3_client.create_bucket(Bucket=bucket)
    s3 = {
        "RoleARN": role, "BucketARN": "arn:aws:s3:::bucket", "Prefix": "p/", "ErrorOutputPrefix": "err/",
        "BufferingHints": {"SizeInMBs": 5, "IntervalInSeconds": 300}, "CompressionFormat": "GZIP",
        "EncryptionConfiguration": {"NoEncryptionConfig": "NoEncryption"},
        "CloudWatchLoggingOptions": {"Enabled": True, "LogGroupName": "g", "LogStreamName": "s"},
        "ProcessingConfiguration": {"Enabled": True, "Processors": [{"Type": "Lambda", "Parameters": [
            {"ParameterName": "LambdaArn", "ParameterValue": "arn:aws:lambda:us-east-1:123456789012:function:f"}]}]},
        "S3BackupMode": "Disabled",
    }
    c("create_delivery_stream", DeliveryStreamName="d1", DeliveryStreamType="DirectPut",
      ExtendedS3DestinationConfiguration=s3, Tags=[{"Key": "team", "Value": "blue"}])
    c("create_delivery_stream", DeliveryStreamName="d2", S3DestinationConfiguration={
        "RoleARN": role, "BucketARN": "arn:aws:s3:::bucket2"})
    e("create_delivery_stream", DeliveryStreamName="d1", ExtendedS3DestinationConfiguration=s3)
    desc = c("describe_delivery_stream", DeliveryStreamName="d1")["DeliveryStreamDescription"]
    c("describe_delivery_stream", DeliveryStreamName="d2", Limit=1)
    e("describe_delivery_stream", DeliveryStreamName="missing")
    c("list_delivery_streams")
    c("list_delivery_streams", Limit=1, DeliveryStreamType="DirectPut")
    c("tag_delivery_stream", DeliveryStreamName="d1", Tags=[{"Key": "env", "Value": "test"}, {"Key": "ключ"}])
    c("list_tags_for_delivery_stream", DeliveryStreamName="d1")
    c("list_tags_for_delivery_stream", DeliveryStreamName="d1", Limit=1)
    c("untag_delivery_stream", DeliveryStreamName="d1", TagKeys=["env"])
    e("list_tags_for_delivery_stream", DeliveryStreamName="missing")
    c("put_record", DeliveryStreamName="d1", Record={"Data": b"hello\n"})
    c("put_record", DeliveryStreamName="d1", Record={"Data": "😀 \"/\\\u2028".encode()})
    c("put_record_batch", DeliveryStreamName="d1", Records=[{"Data": b"a"}, {"Data": bytes(range(256))}, {"Data": b""}])
    e("put_record", DeliveryStreamName="missing", Record={"Data": b"x"})
    c("update_destination", DeliveryStreamName="d1", CurrentDeliveryStreamVersionId=desc["VersionId"],
      DestinationId=desc["Destinations"][0]["DestinationId"],
      ExtendedS3DestinationUpdate={"Prefix": "q/", "BufferingHints": {"SizeInMBs": 10, "IntervalInSeconds": 60}})
    c("describe_delivery_stream", DeliveryStreamName="d1")
    c("start_delivery_stream_encryption", DeliveryStreamName="d1",
      DeliveryStreamEncryptionConfigurationInput={"KeyType": "AWS_OWNED_CMK"})
    c("describe_delivery_stream", DeliveryStreamName="d1")
    c("stop_delivery_stream_encryption", DeliveryStreamName="d1")
    c("delete_delivery_stream", DeliveryStreamName="d2")
    e("delete_delivery_stream", DeliveryStreamName="missing")


def unimplemented(client, responses_cls):
    ops = client.meta.service_model.operation_names
    return [op for op in ops if not hasattr(responses_cls, xform_name(op))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=OUT_DIR, help="output directory")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    notes = ["# Operations moto 5.2.1 does not implement", "",
             "Written by tests/peers/moto_capture.py; no bodies of these are captured.", ""]
    with mock_aws():
        for service, calls, cls in [("kinesis", kinesis_calls, KinesisResponse),
                                    ("firehose", firehose_calls, FirehoseResponse)]:
            client = boto3.client(service, region_name=REGION)
            rec = Recorder(service, client)
            calls(client)
            missing = unimplemented(client, cls)
            implemented = [op for op in client.meta.service_model.operation_names if op not in missing]
            not_called = sorted(set(implemented) - rec.called)
            if not_called:
                sys.exit(f"{service}: implemented by moto but not called: {not_called}")
            with open(os.path.join(args.out, f"{service}.jsonl"), "w", encoding="utf-8") as f:
                for line in rec.lines:
                    f.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
            notes.append(f"- {service} ({len(missing)} of {len(missing) + len(implemented)}): "
                         + (", ".join(missing) or "none"))
            print(f"{service}: {len(rec.lines)} bodies, {len(implemented)} operations", file=sys.stderr)
    with open(os.path.join(args.out, "UNIMPLEMENTED.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(notes) + "\n")


if __name__ == "__main__":
    main()
