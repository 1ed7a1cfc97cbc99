#!/usr/bin/env python3
"""botocore (and moto) as the peer for the producer module's tests (tests/producer_*.rs).

Usage:
  botocore_producer.py bodies FILE   FILE: one request per line, "<Service>.<Operation>\t<body>".
        Each body is parsed with json.loads, its Data members base64-decoded (strictly),
        validated with botocore.validate.ParamValidator against the operation's input shape,
        serialized back with botocore's json serializer and compared semantically with the body.
        Prints one JSON line per body: {"ok": true, "params": {...}} with blobs as hex strings,
        or {"ok": false, "error": "..."}.
  botocore_producer.py responses     Prints JSON lines {"service","operation","status","body",
        "parsed"} for response and error bodies written the way botocore's serializer writes JSON
        (json.dumps, in several styles), with "parsed" what botocore's json parser makes of them.
  botocore_producer.py moto          The same form, for real moto (mock_aws) responses captured
        at the HTTP layer: PutRecord(s), PutRecordBatch, and error responses.
Exit status 0 unless something broke.
"""

import base64
import binascii
import json
import os
import sys

import botocore.session
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from botocore.validate import ParamValidator

SESSION = botocore.session.get_session()
MODELS = {
    "Kinesis": SESSION.get_service_model("kinesis"),
    "Firehose": SESSION.get_service_model("firehose"),
}


def to_jsonable(v):
    """Parsed botocore values as JSON: bytes as hex, datetimes never appear here."""
    if isinstance(v, (bytes, bytearray)):
        return {"hex": bytes(v).hex()}
    if isinstance(v, dict):
        return {k: to_jsonable(x) for k, x in v.items() if k != "ResponseMetadata"}
    if isinstance(v, list):
        return [to_jsonable(x) for x in v]
    return v


def decode_blobs(params, op):
    """Base64-decodes every Data member (the only blobs of these inputs), strictly."""

    def dec(s):
        if not isinstance(s, str):
            raise ValueError("Data is not a string")
        return base64.b64decode(s.encode("ascii"), validate=True)

    if op in ("PutRecord",) and "Data" in params:
        params["Data"] = dec(params["Data"])
    if "Record" in params:
        params["Record"]["Data"] = dec(params["Record"]["Data"])
    for r in params.get("Records", []):
        r["Data"] = dec(r["Data"])
    return params


def check_body(service, op, body):
    model = MODELS[service]
    opm = model.operation_model(op)
    original = json.loads(body)
    params = decode_blobs(json.loads(body), op)
    report = ParamValidator().validate(params, opm.input_shape)
    if report.has_errors():
        raise ValueError("botocore validation: " + report.generate_report())
    req = create_serializer("json").serialize_to_request(params, opm)
    reserialized = json.loads(req["body"])
    if reserialized != original:
        raise ValueError(f"botocore re-serialization differs: {reserialized!r} != {original!r}")
    target = req["headers"]["X-Amz-Target"]
    ctype = req["headers"]["Content-Type"]
    return {"params": to_jsonable(params), "target": target, "content_type": ctype}


def cmd_bodies(path):
    with open(path, "rb") as f:
        data = f.read()
    for line in data.split(b"\n"):
        if not line:
            continue
        head, body = line.split(b"\t", 1)
        service, op = head.decode().split(".", 1)
        try:
            out = check_body(service, op, body.decode("utf-8"))
            out["ok"] = True
        except (ValueError, binascii.Error, KeyError, TypeError) as e:
            out = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(out))


def parse_with_botocore(service, op, status, body):
    opm = MODELS[service].operation_model(op)
    parser = create_parser("json")
    resp = {"status_code": status, "headers": {}, "body": body}
    shape = opm.output_shape if status < 300 else None
    return to_jsonable(parser.parse(resp, shape))


# Strings that exercise escaping: quotes, backslashes, control characters, non-ASCII, astral
# characters (surrogate pairs when ensure_ascii), U+2028/2029, slashes.
TRICKY = [
    "plain",
    'quote " and backslash \\',
    "ctl \x00\x01\x1f\t\n\r\b\f",
    "caf\u00e9 \u65e5\u672c \U0001F600",
    "line\u2028para\u2029",
    "a/b</script>",
    "",
]

STYLES = [
    {},  # json.dumps defaults: ensure_ascii, ", " and ": "
    {"ensure_ascii": False},
    {"separators": (",", ":")},
    {"indent": 2},
]


def dumps_slash_escaped(obj):
    """Some encoders escape '/' as '\\/'."""
    return json.dumps(obj, separators=(",", ":")).replace("/", "\\/")


def response_cases():
    cases = []
    recs = []
    for i, s in enumerate(TRICKY):
        if i % 3 == 1:
            recs.append({"ErrorCode": "ProvisionedThroughputExceededException", "ErrorMessage": s})
        elif i % 3 == 2:
            recs.append({"ErrorCode": "InternalFailure", "ErrorMessage": s, "Extra": [1, {"x": None}]})
        else:
            recs.append({"SequenceNumber": "4959" + str(i) * 20, "ShardId": "shardId-00000000000" + str(i)})
    failed = sum(1 for r in recs if "ErrorCode" in r)
    cases.append(("Kinesis", "PutRecords", 200, {"FailedRecordCount": failed, "Records": recs, "EncryptionType": "KMS"}))
    cases.append(("Kinesis", "PutRecords", 200, {"FailedRecordCount": 0, "Records": [{"SequenceNumber": "1", "ShardId": "shardId-000000000000"}] * 500}))
    cases.append(("Kinesis", "PutRecords", 200, {"Records": [{"SequenceNumber": "1", "ShardId": None}], "EncryptionType": None, "Unknown": {"a": [True, False, None, 1.5e3]}}))
    cases.append(("Kinesis", "PutRecord", 200, {"ShardId": "shardId-000000000003", "SequenceNumber": "49590338271490256608559692538361571095921575989136588898", "EncryptionType": "NONE"}))
    cases.append(("Kinesis", "PutRecord", 200, {"ShardId": TRICKY[1], "SequenceNumber": TRICKY[3]}))
    entries = []
    for i, s in enumerate(TRICKY):
        if i % 2:
            entries.append({"ErrorCode": "ServiceUnavailableException", "ErrorMessage": s})
        else:
            entries.append({"RecordId": s + str(i)})
    cases.append(("Firehose", "PutRecordBatch", 200, {"FailedPutCount": sum(1 for e in entries if "ErrorCode" in e), "Encrypted": True, "RequestResponses": entries}))
    cases.append(("Firehose", "PutRecordBatch", 200, {"FailedPutCount": 0, "Encrypted": False, "RequestResponses": []}))
    cases.append(("Firehose", "PutRecord", 200, {"RecordId": "49546986683135544286507457936321625675700192471156785154", "Encrypted": False}))
    cases.append(("Firehose", "PutRecord", 200, {"RecordId": TRICKY[2]}))
    for t in [
        "com.amazonaws.kinesis.v20131202#ResourceNotFoundException",
        "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.service/",
        "ResourceNotFoundException",
        "a#b#ProvisionedThroughputExceededException:x#y:z",
    ]:
        cases.append(("Kinesis", "PutRecords", 400, {"__type": t, "message": "Stream s under account 1 not found."}))
    cases.append(("Kinesis", "PutRecords", 400, {"__type": "ValidationException", "Message": TRICKY[2]}))
    cases.append(("Firehose", "PutRecordBatch", 400, {"__type": "InvalidKMSResourceException", "code": "x", "message": TRICKY[3]}))
    cases.append(("Firehose", "PutRecordBatch", 500, {"__type": "ServiceUnavailableException"}))
    out = []
    for service, op, status, obj in cases:
        bodies = [json.dumps(obj, **style) for style in STYLES] + [dumps_slash_escaped(obj)]
        for body in bodies:
            out.append({
                "service": service, "operation": op, "status": status, "body": body,
                "parsed": parse_with_botocore(service, op, status, body.encode("utf-8")),
            })
    return out


def moto_cases():
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    import boto3
    from botocore.exceptions import ClientError
    from moto import mock_aws

    captured = []

    def capture(service):
        def hook(operation_model, response_dict, **_):
            captured.append({
                "service": service,
                "operation": operation_model.name,
                "status": response_dict["status_code"],
                "body": response_dict["body"].decode("utf-8"),
            })
        return hook

    out = []

    def call(fn, **kw):
        n = len(captured)
        try:
            parsed = fn(**kw)
        except ClientError as e:
            parsed = e.response
        if len(captured) != n + 1:
            raise RuntimeError("expected exactly one captured response")
        case = captured[-1]
        case["parsed"] = to_jsonable(parsed)
        out.append(case)

    with mock_aws():
        kin = boto3.client("kinesis", region_name="us-east-1")
        kin.meta.events.register("before-parse.kinesis.*", capture("Kinesis"))
        kin.create_stream(StreamName="s", ShardCount=4)
        arn = kin.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]["StreamARN"]
        call(kin.put_record, StreamName="s", Data=b"hello", PartitionKey="k")
        call(kin.put_record, StreamARN=arn, Data=b"\x00\xff", PartitionKey="caf\u00e9", ExplicitHashKey="0")
        call(kin.put_records, StreamName="s", Records=[
            {"Data": bytes([i]) * i, "PartitionKey": f"key-{i}"} for i in range(1, 40)
        ])
        call(kin.put_records, StreamARN=arn, Records=[
            # (moto finds no shard for 2**128 - 1: it compares with < at the range end)
            {"Data": b"x", "PartitionKey": "p", "ExplicitHashKey": str(2**127)}
        ])
        call(kin.put_records, StreamName="missing", Records=[{"Data": b"x", "PartitionKey": "p"}])
        call(kin.put_record, StreamName="missing", Data=b"x", PartitionKey="p")

        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="producer-test-bucket")
        fh = boto3.client("firehose", region_name="us-east-1")
        fh.meta.events.register("before-parse.firehose.*", capture("Firehose"))
        fh.create_delivery_stream(
            DeliveryStreamName="d",
            S3DestinationConfiguration={
                "RoleARN": "arn:aws:iam::123456789012:role/r",
                "BucketARN": "arn:aws:s3:::producer-test-bucket",
            },
        )
        call(fh.put_record, DeliveryStreamName="d", Record={"Data": b"one"})
        call(fh.put_record_batch, DeliveryStreamName="d", Records=[{"Data": bytes([i]) * 3} for i in range(20)])
        call(fh.put_record_batch, DeliveryStreamName="missing", Records=[{"Data": b"x"}])
        call(fh.put_record, DeliveryStreamName="missing", Record={"Data": b"x"})
    return out


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "bodies":
        cmd_bodies(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "responses":
        for c in response_cases():
            print(json.dumps(c))
    elif len(sys.argv) == 2 and sys.argv[1] == "moto":
        for c in moto_cases():
            print(json.dumps(c))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
