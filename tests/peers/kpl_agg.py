#!/usr/bin/env python3
"""aws-kinesis-agg 1.2.3 (PyPI) and the `protobuf` package as peers of the kpl module's tests
(tests/kpl_peers.rs).

Usage:
  kpl_agg.py vectors     Deterministic sets of user records aggregated by aws_kinesis_agg's
        RecordAggregator (the library's own code, at several max sizes). One JSON line per set:
        {"case", "max_size", "inputs": [{"pk","ehk","data"}], "entries": [{"pk","ehk","data"}],
        "python": [[{"pk","ehk","data","sub"}] per entry]} with data in base64; "python" is what
        the library's own deaggregator reads back from each entry.
  kpl_agg.py read FILE   FILE: JSON lines {"data": base64}. One answer per line:
        {"deagg": [{"pk","ehk","data","sub"}] or null when the library passes the record through,
         "protobuf": {"pk_table": [...], "ehk_table": [...], "records": [{"pk_index",
         "ehk_index" (null when absent), "data"}]} or null when the bytes are not an aggregate}.
        "protobuf" parses the bytes between magic and digest with a message class made here from
        the schema of spec/kpl.md (descriptor_pb2), independent of the library's generated code.
Exit status 0 unless something broke.
"""

import base64
import hashlib
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pinned  # noqa: E402

pinned.require("aws-kinesis-agg", "protobuf", "six")

from aws_kinesis_agg import aggregator, deaggregator  # noqa: E402
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory  # noqa: E402

MAGIC = b"\xf3\x89\x9a\xc2"


def schema():
    """The AggregatedRecord message class, built from the schema in spec/kpl.md."""
    f = descriptor_pb2.FileDescriptorProto(name="kpl_peer.proto", package="kplpeer", syntax="proto2")
    F = descriptor_pb2.FieldDescriptorProto
    tag = f.message_type.add(name="Tag")
    tag.field.add(name="key", number=1, label=F.LABEL_REQUIRED, type=F.TYPE_STRING)
    tag.field.add(name="value", number=2, label=F.LABEL_OPTIONAL, type=F.TYPE_STRING)
    rec = f.message_type.add(name="Record")
    rec.field.add(name="partition_key_index", number=1, label=F.LABEL_REQUIRED, type=F.TYPE_UINT64)
    rec.field.add(name="explicit_hash_key_index", number=2, label=F.LABEL_OPTIONAL, type=F.TYPE_UINT64)
    rec.field.add(name="data", number=3, label=F.LABEL_REQUIRED, type=F.TYPE_BYTES)
    rec.field.add(name="tags", number=4, label=F.LABEL_REPEATED, type=F.TYPE_MESSAGE, type_name=".kplpeer.Tag")
    agg = f.message_type.add(name="AggregatedRecord")
    agg.field.add(name="partition_key_table", number=1, label=F.LABEL_REPEATED, type=F.TYPE_STRING)
    agg.field.add(name="explicit_hash_key_table", number=2, label=F.LABEL_REPEATED, type=F.TYPE_STRING)
    agg.field.add(name="records", number=3, label=F.LABEL_REPEATED, type=F.TYPE_MESSAGE, type_name=".kplpeer.Record")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(f)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("kplpeer.AggregatedRecord"))


AggregatedRecord = schema()


def b64(b):
    return base64.b64encode(b).decode("ascii")


def text(v):
    if v is None:
        return None
    return v.decode("utf-8") if isinstance(v, bytes) else v


def python_deaggregate(data):
    """The library's deaggregator on one record (Lambda's event form); None = passed through."""
    event = {"kinesis": {"kinesisSchemaVersion": "1.0", "sequenceNumber": "1",
                         "approximateArrivalTimestamp": 0, "partitionKey": "outer",
                         "data": base64.b64encode(data)}}
    out = []
    for r in deaggregator.iter_deaggregate_records(event):
        k = r["kinesis"]
        if "subSequenceNumber" not in k:
            assert base64.b64decode(k["data"]) == data
            return None
        out.append({"pk": text(k["partitionKey"]), "ehk": text(k["explicitHashKey"]),
                    "data": k["data"].decode("ascii"), "sub": k["subSequenceNumber"]})
    return out


def protobuf_read(data):
    if not data.startswith(MAGIC) or len(data) <= len(MAGIC) + 16:
        return None
    body, digest = data[4:-16], data[-16:]
    if hashlib.md5(body).digest() != digest:
        return None
    ar = AggregatedRecord()
    ar.ParseFromString(body)
    return {
        "pk_table": list(ar.partition_key_table),
        "ehk_table": list(ar.explicit_hash_key_table),
        "records": [{"pk_index": r.partition_key_index,
                     "ehk_index": r.explicit_hash_key_index if r.HasField("explicit_hash_key_index") else None,
                     "data": b64(r.data)} for r in ar.records],
    }


def random_key(rng):
    alphabet = ["a", "b", "k", "0", "-", " ", "é", "漢", "🦀", "\n", "\u0000"]
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))


def cases():
    rng = random.Random(20261201)
    yield "two", 51200, [("pk1", None, b"hello"), ("pk2", "12345", b"world")]
    yield "one", 51200, [("only", None, b"alone")]
    yield "empty data", 51200, [("k", None, b""), ("k", None, b""), ("j", None, b"x")]
    yield "shared keys", 51200, [("user-%d" % (i % 3), None, bytes([i]) * i) for i in range(20)]
    yield "ehk max", 51200, [("a", "340282366920938463463374607431768211455", b"top"),
                             ("b", "0", b"bottom"), ("c", None, b"md5")]
    yield "big records", 51200, [("big-%d" % i, None, bytes(range(256)) * 40) for i in range(12)]
    for n in range(40):
        max_size = rng.choice([1024, 4096, 51200])
        records = []
        for _ in range(rng.randint(1, 60)):
            pk = random_key(rng)
            ehk = str(rng.randrange(2 ** 128)) if rng.random() < 0.3 else None
            data = bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 10, 100, 1000 if max_size > 1024 else 500])))
            records.append((pk, ehk, data))
        yield "random %d" % n, max_size, records


def vectors():
    for name, max_size, records in cases():
        agg = aggregator.RecordAggregator(max_size=max_size)
        full = []
        for pk, ehk, data in records:
            out = agg.add_user_record(pk, data, ehk)
            if out is not None:
                full.append(out)
        last = agg.clear_and_get()
        if last is not None:
            full.append(last)
        entries = []
        python = []
        for rec in full:
            pk, ehk, data = rec.get_contents()
            entries.append({"pk": text(pk), "ehk": text(ehk), "data": b64(data)})
            python.append(python_deaggregate(data))
        inputs = [{"pk": pk, "ehk": ehk, "data": b64(data)} for pk, ehk, data in records]
        print(json.dumps({"case": name, "max_size": max_size, "inputs": inputs,
                          "entries": entries, "python": python}))


def read(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            data = base64.b64decode(json.loads(line)["data"], validate=True)
            print(json.dumps({"deagg": python_deaggregate(data), "protobuf": protobuf_read(data)}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["vectors"]:
        vectors()
    elif sys.argv[1:2] == ["read"] and len(sys.argv) == 3:
        read(sys.argv[2])
    else:
        sys.exit(__doc__)
