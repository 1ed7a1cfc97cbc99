#!/usr/bin/env python3
"""Generate the botocore wire corpus: tests/data/wire/botocore/{kinesis,firehose}.jsonl.

Every operation of both service models (read from tests/model/, not from botocore's own copy) gets
request, response and error bodies, and every expected value comes from botocore itself:

* requests: parameters generated from the input shape, serialized by botocore's JSON serializer
  (`create_serializer('json')`, with botocore's parameter validation on); `expected` is those
  parameters in canonical form. Each body is also parsed back with botocore's JSON parser against
  the input shape, and the generator stops if the two disagree. Extra request variants (timestamp
  forms, `\\/` escapes, spacing) are written here and `expected` is botocore's parse of them.
* responses, events and errors: bodies written here following the wire rules (every timestamp
  form, escapes, unknown members, `null` members, unknown enum values, i64 extremes), then parsed by
  botocore (`create_parser('json')`); `expected` is botocore's parsed value in canonical form.
* negative cases (`"expect_error": true`, with `error_path`): bodies our parser must reject.

Canonical form: structures and maps are JSON objects holding only present members (`null` =
absent), blobs are standard padded base64 strings, timestamps are integer epoch milliseconds,
numbers and strings as they are. Errors: `{"code", "message", "members"}` where `code` and
`message` are botocore's `Error.Code` / `Error.Message` and `members` botocore's modeled parse of
the exception shape (without `message`).

Deterministic: a fixed random seed; run it twice and the output is byte-identical.

    python3 tests/peers/gen_wire_corpus.py            # rewrite the committed files
    python3 tests/peers/gen_wire_corpus.py --check    # exit 1 if the committed files differ
"""

import argparse
import base64
import datetime
import json
import os
import random
import sys

import pinned

from botocore.model import ServiceModel
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from botocore.validate import ParamValidator

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = {
    "kinesis": "tests/model/kinesis-2013-12-02.json",
    "firehose": "tests/model/firehose-2015-08-04.json",
}
NAMESPACES = {
    "kinesis": "com.amazonaws.kinesis.v20131202",
    "firehose": "com.amazonaws.firehose.v20150804",
}
OUT_DIR = os.path.join(ROOT, "tests", "data", "wire", "botocore")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
I64_MAX = 9223372036854775807

# Strings that exercise the JSON string grammar: quotes, backslashes, `/`, control characters,
# U+2028/U+2029 (legal raw in JSON), non-ASCII, astral-plane characters (surrogate pairs when
# escaped), DEL.
EDGE_STRINGS = [
    'quote"inside',
    "back\\slash\\",
    "slash/and/more/",
    "ctl\x00\x01\x1f\n\t\r\b\f end",
    "line\u2028sep\u2029para",
    "héllo wörld ñ",
    "emoji 😀🚀 and 𝄞",
    "日本語テキスト",
    "del\x7fchar",
    "mixed \"/\\ 😀\u2028\n",
]
PLAIN_WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]


class Num:
    """A JSON number written verbatim (to control its exact textual form)."""

    def __init__(self, text):
        self.text = text


def dump(value, ascii_only=False, escape_slash=False, spaced=False):
    """Serialize a JSON value, with control over escaping and number text."""
    colon, comma = (": ", ", ") if spaced else (":", ",")

    def rec(v):
        if isinstance(v, Num):
            return v.text
        if v is None:
            return "null"
        if v is True:
            return "true"
        if v is False:
            return "false"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, float):
            return repr(v)
        if isinstance(v, str):
            s = json.dumps(v, ensure_ascii=ascii_only)
            return s.replace("/", "\\/") if escape_slash else s
        if isinstance(v, dict):
            return "{" + comma.join(rec(k) + colon + rec(x) for k, x in v.items()) + "}"
        if isinstance(v, list):
            return "[" + comma.join(rec(x) for x in v) + "]"
        raise TypeError(type(v))

    return rec(value)


def millis_of(dt):
    delta = dt - EPOCH
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    # Round to the nearest millisecond (botocore goes through a float for numeric timestamps).
    return (micros + 500) // 1000 if micros >= 0 else -((-micros + 500) // 1000)


def timestamp_text(ms, form):
    """The textual forms of an epoch-seconds number seen on the wire."""
    secs, frac = divmod(ms, 1000)
    if form == "int" and frac == 0:
        return str(secs)
    if form in ("int", "dec"):
        return f"{secs}.{frac:03d}".rstrip("0") if frac else f"{secs}.0"
    digits = str(ms)
    exp = len(digits) - 1 - 3
    mant = (digits[0] + "." + digits[1:]).rstrip("0")
    if mant.endswith("."):
        mant += "0"
    if form == "E":
        return f"{mant}E{exp}"
    return f"{mant}e+{exp:02d}"


TIMESTAMP_FORMS = ["dec", "int", "E", "e+"]


class Gen:
    """Values for a shape, as botocore parameters (bytes, datetime, ...)."""

    def __init__(self, rng, mode, edge=False, unknown_enums=False):
        self.rng = rng
        self.mode = mode  # "full" | "min" | "rand"
        self.edge = edge  # use the edge strings
        self.unknown_enums = unknown_enums

    def value(self, shape, depth=0):
        if depth > 24:
            raise RuntimeError("recursion in " + shape.name)
        t = shape.type_name
        m = shape.metadata
        r = self.rng
        if t == "structure":
            out = {}
            required = set(shape.required_members)
            for name, member in shape.members.items():
                if name in required or self.mode == "full" or (self.mode == "rand" and r.random() < 0.5):
                    out[name] = self.value(member, depth + 1)
            return out
        if t == "list":
            n = self.count(m)
            return [self.value(shape.member, depth + 1) for _ in range(n)]
        if t == "map":
            n = self.count(m)
            out = {}
            while len(out) < n:
                out[self.value(shape.key, depth + 1) + str(len(out))] = self.value(shape.value, depth + 1)
            return out
        if t == "string":
            if shape.enum:
                if self.unknown_enums and r.random() < 0.5:
                    return "FUTURE_VALUE_2030"
                return r.choice(shape.enum)
            return self.string(m)
        if t == "integer":
            lo = m.get("min", 0)
            hi = m.get("max", 2147483647)
            return r.choice([lo, hi, r.randint(lo, hi)])
        if t == "long":
            lo = m.get("min", 0)
            hi = m.get("max", I64_MAX)
            return r.choice([lo, hi, r.randint(lo, hi)])
        if t == "boolean":
            return r.random() < 0.5
        if t == "double":
            return r.choice([0.0, 0.5, 1.0, 0.123456789, 1e-7, 0.75])
        if t == "blob":
            lo = m.get("min", 0)
            hi = min(m.get("max", 64), 64)
            n = r.randint(lo, hi)
            if r.random() < 0.3:
                return (b"\xff\xfe\xfb" * 30)[:n]  # base64 full of `/` and `+`
            return bytes(r.getrandbits(8) for _ in range(n))
        if t == "timestamp":
            ms = r.randint(946684800000, 1893456000000)
            if r.random() < 0.3:
                ms -= ms % 1000
            return EPOCH + datetime.timedelta(milliseconds=ms)
        raise ValueError(t)

    def count(self, m):
        lo = m.get("min", 0)
        hi = m.get("max", 1 << 30)
        n = {"full": 2, "min": 0, "rand": self.rng.randint(0, 3)}[self.mode]
        return max(lo, min(hi, n))

    def string(self, m):
        lo = m.get("min", 0)
        hi = m.get("max", 1 << 30)
        if self.edge:
            s = self.rng.choice(EDGE_STRINGS)
        else:
            s = self.rng.choice(PLAIN_WORDS) + "-" + str(self.rng.randint(0, 99999))
        s = s[:hi]
        if len(s) < lo:
            s += "x" * (lo - len(s))
        return s


def canon(shape, v):
    """botocore's value of a shape -> canonical JSON."""
    if v is None:
        return None
    t = shape.type_name
    if t == "structure":
        return {k: canon(shape.members[k], x) for k, x in v.items() if x is not None and k in shape.members}
    if t == "list":
        return [canon(shape.member, x) for x in v]
    if t == "map":
        return {k: canon(shape.value, x) for k, x in v.items()}
    if t == "blob":
        if isinstance(v, str):
            v = v.encode()
        return base64.b64encode(v).decode()
    if t == "timestamp":
        return millis_of(v)
    return v


def to_wire(shape, v, rng, ts_form=None):
    """botocore parameters -> the JSON value a server writes (Num for timestamps)."""
    t = shape.type_name
    if t == "structure":
        return {k: to_wire(shape.members[k], x, rng, ts_form) for k, x in v.items()}
    if t == "list":
        return [to_wire(shape.member, x, rng, ts_form) for x in v]
    if t == "map":
        return {k: to_wire(shape.value, x, rng, ts_form) for k, x in v.items()}
    if t == "blob":
        return base64.b64encode(v).decode()
    if t == "timestamp":
        return Num(timestamp_text(millis_of(v), ts_form or rng.choice(TIMESTAMP_FORMS)))
    return v


def add_noise(shape, w, rng, nulls, unknown):
    """Sprinkle unknown members and explicit nulls for absent optional members over a wire value."""
    t = shape.type_name
    if t == "structure" and isinstance(w, dict):
        for k, x in list(w.items()):
            add_noise(shape.members[k], x, rng, nulls, unknown)
        if nulls:
            for k in shape.members:
                if k not in w and k not in shape.required_members:
                    w[k] = None
        if unknown:
            w["UnknownMember" + str(rng.randint(0, 9))] = rng.choice(
                [1, "text", None, [1, {"a": []}], {"Nested": {"Deep": [True, 2.5, "x"]}}]
            )
    elif t == "list":
        for x in w:
            add_noise(shape.member, x, rng, nulls, unknown)
    elif t == "map":
        for x in w.values():
            add_noise(shape.value, x, rng, nulls, unknown)


class Corpus:
    def __init__(self, service):
        self.service = service
        with open(os.path.join(ROOT, MODELS[service]), encoding="utf-8") as f:
            self.model = ServiceModel(json.load(f), service_name=service)
        self.serializer = create_serializer("json")
        self.parser = create_parser("json")
        self.lines = []
        self.ids = set()

    def emit(self, case):
        assert case["id"] not in self.ids, case["id"]
        self.ids.add(case["id"])
        case = {"service": self.service, **case}
        order = ["id", "service", "operation", "kind", "status", "body", "expected", "error_code",
                 "expect_error", "error_path", "note"]
        self.lines.append(json.dumps({k: case[k] for k in order if k in case}, ensure_ascii=False, separators=(",", ":")))

    def botocore_parse(self, body, shape, status=200):
        resp = {"status_code": status, "headers": {}, "body": body.encode("utf-8")}
        parsed = self.parser.parse(resp, shape)
        parsed.pop("ResponseMetadata", None)
        return parsed

    # ---- requests -------------------------------------------------------------------------
    def requests(self, op):
        shape = op.input_shape
        rng = random.Random(f"{self.service}/{op.name}/request")
        variants = [("full", Gen(rng, "full")), ("min", Gen(rng, "min")),
                    ("edge", Gen(rng, "full", edge=True, unknown_enums=True))]
        variants += [(f"rand{i}", Gen(rng, "rand", edge=i % 2 == 1)) for i in range(3)]
        for tag, gen in variants:
            params = gen.value(shape)
            body = self.serializer.serialize_to_request(params, op)["body"].decode("utf-8")
            expected = canon(shape, params)
            back = canon(shape, self.botocore_parse(body, shape))
            if back != expected:
                sys.exit(f"botocore disagrees with itself on {op.name} {tag}: {back} != {expected}")
            self.emit({"id": f"{self.service}/{op.name}/request/{tag}", "operation": op.name,
                       "kind": "request", "body": body, "expected": expected})
        # Request bodies written here (other timestamp forms, escapes), expected = botocore's parse.
        has_ts = "timestamp" in json.dumps(self.shape_types(shape))
        for i, (ascii_only, escape_slash, spaced) in enumerate(
                [(True, True, False), (False, False, True)] + ([(False, True, False)] * 4 if has_ts else [])):
            params = Gen(rng, "full", edge=True).value(shape)
            wire = to_wire(shape, params, rng, ts_form=TIMESTAMP_FORMS[i % 4] if has_ts else None)
            body = dump(wire, ascii_only, escape_slash, spaced)
            expected = canon(shape, self.botocore_parse(body, shape))
            self.emit({"id": f"{self.service}/{op.name}/request/written{i}", "operation": op.name,
                       "kind": "request", "body": body, "expected": expected})

    def shape_types(self, shape, seen=None):
        seen = seen if seen is not None else set()
        if shape.name in seen:
            return []
        seen.add(shape.name)
        out = [shape.type_name]
        for child in (list(getattr(shape, "members", {}).values())
                      + [getattr(shape, x) for x in ("member", "key", "value") if hasattr(shape, x)]):
            out += self.shape_types(child, seen)
        return out

    # ---- responses ------------------------------------------------------------------------
    def responses(self, op):
        shape = op.output_shape
        name = op.name
        if shape is None:
            for tag, body in [("empty-object", "{}"), ("empty-body", ""), ("unknown-member", '{"Extra":1}')]:
                self.emit({"id": f"{self.service}/{name}/response/{tag}", "operation": name,
                           "kind": "response", "body": body, "expected": {}})
            return
        if shape.members.get("EventStream") is not None and shape.members["EventStream"].serialization.get("eventstream"):
            return  # SubscribeToShard: an event stream, see kind "event" and tests/wire_subscribe.rs
        rng = random.Random(f"{self.service}/{name}/response")
        variants = [
            ("full", Gen(rng, "full"), {}),
            ("min", Gen(rng, "min"), {}),
            ("edge", Gen(rng, "full", edge=True, unknown_enums=True), {"ascii_only": True}),
            ("edge-raw", Gen(rng, "full", edge=True), {"escape_slash": True, "spaced": True}),
            ("nulls-unknown", Gen(rng, "rand", edge=True), {"nulls": True, "unknown": True}),
            ("rand0", Gen(rng, "rand"), {}),
            ("rand1", Gen(rng, "rand", edge=True, unknown_enums=True), {"unknown": True}),
        ]
        for tag, gen, opts in variants:
            self.response_case(name, shape, f"{self.service}/{name}/response/{tag}", gen.value(shape), rng, **opts)

    def response_case(self, name, shape, case_id, params, rng, ascii_only=False, escape_slash=False,
                      spaced=False, nulls=False, unknown=False, ts_form=None, kind="response"):
        wire = to_wire(shape, params, rng, ts_form)
        if nulls or unknown:
            add_noise(shape, wire, rng, nulls, unknown)
        body = dump(wire, ascii_only, escape_slash, spaced)
        expected = canon(shape, self.botocore_parse(body, shape))
        if expected != canon(shape, params):
            sys.exit(f"botocore parsed {case_id} differently from what was generated")
        self.emit({"id": case_id, "operation": name, "kind": kind, "body": body, "expected": expected})

    # ---- errors ---------------------------------------------------------------------------
    def errors(self, op):
        rng = random.Random(f"{self.service}/{op.name}/error")
        ns = NAMESPACES[self.service]
        for err in op.error_shapes:
            code = err.name
            status = 500 if err.metadata.get("fault") else 400
            forms = [("plain", code), ("namespaced", f"{ns}#{code}"),
                     ("coral", f"{code}:http://internal.amazon.com/coral/com.amazon.coral.service/")]
            for i, (form, type_field) in enumerate(forms):
                body = {"__type": type_field}
                msg_key = ["message", "Message", None][(i + len(code)) % 3]
                if msg_key:
                    body[msg_key] = rng.choice(EDGE_STRINGS + ["Stream foo under account 123 not found."])
                for mname, mshape in err.members.items():
                    if mname != "message":
                        body[mname] = Gen(rng, "full").value(mshape)
                self.error_case(op.name, f"{self.service}/{op.name}/error/{code}/{form}", dump(body), status)
        # Codes the operation does not model, and bodies without __type.
        self.error_case(op.name, f"{self.service}/{op.name}/error/unmodeled",
                        dump({"__type": f"{ns}#ThrottledByMaintenance", "message": "slow down"}), 400)

    def error_case(self, name, case_id, body, status):
        resp = {"status_code": status, "headers": {}, "body": body.encode("utf-8")}
        parsed = self.parser.parse(resp, self.model.operation_model(name).output_shape)
        code = parsed["Error"]["Code"]
        members = {}
        err_shape = self.model.shape_for_error_code(code)
        if err_shape is not None:  # what botocore's endpoint does: _add_modeled_error_fields
            members = canon(err_shape, self.parser.parse(resp, err_shape))
            members.pop("message", None)
        expected = {"code": code, "message": parsed["Error"]["Message"], "members": members}
        self.emit({"id": case_id, "operation": name, "kind": "error", "status": status, "body": body,
                   "expected": expected, "error_code": code})

    # ---- special cases --------------------------------------------------------------------
    def specials(self):
        if self.service == "kinesis":
            self.kinesis_specials()
        else:
            self.firehose_specials()
        # bodies without __type: the HTTP status decides (botocore: the status as the code)
        self.error_case("ListStreams" if self.service == "kinesis" else "ListDeliveryStreams",
                        f"{self.service}/error/no-type-500", '{"message":"internal"}', 500)

    def kinesis_specials(self):
        m = self.model
        gr = m.operation_model("GetRecords").output_shape
        rng = random.Random("kinesis/specials")
        # every timestamp form of the spec, literally
        for i, text in enumerate(["1441215410", "1441215410.867", "1441215410.0", "1.441215410867E9",
                                  "1.441215410867e+09"]):
            body = ('{"Records":[{"SequenceNumber":"49590338271490256608559692538361571095921575989136588898",'
                    '"ApproximateArrivalTimestamp":' + text + ',"Data":"XzxkYXRhPl8w","PartitionKey":"pk"}],'
                    '"NextShardIterator":"AAAA","MillisBehindLatest":0}')
            self.emit({"id": f"kinesis/GetRecords/response/timestamp-form{i}", "operation": "GetRecords",
                       "kind": "response", "body": body, "expected": canon(gr, self.botocore_parse(body, gr))})
        # i64 extremes
        for v in (0, I64_MAX):
            body = '{"Records":[],"NextShardIterator":"AAAA","MillisBehindLatest":%d}' % v
            self.emit({"id": f"kinesis/GetRecords/response/millis-behind-{v}", "operation": "GetRecords",
                       "kind": "response", "body": body, "expected": canon(gr, self.botocore_parse(body, gr))})
        # base64 with escaped slashes, empty blob, empty records
        body = '{"Records":[{"SequenceNumber":"1","Data":"\\/\\/79+w==","PartitionKey":"a\\/b"},' \
               '{"SequenceNumber":"2","Data":"","PartitionKey":""}],"MillisBehindLatest":5}'
        self.emit({"id": "kinesis/GetRecords/response/escaped-slash-blob", "operation": "GetRecords",
                   "kind": "response", "body": body, "expected": canon(gr, self.botocore_parse(body, gr))})
        # SubscribeToShardEvent payloads (kind "event")
        ev = m.shape_for("SubscribeToShardEvent")
        for tag, gen, opts in [("full", Gen(rng, "full"), {}), ("min", Gen(rng, "min"), {}),
                               ("edge", Gen(rng, "full", edge=True), {"ascii_only": True, "unknown": True}),
                               ("rand", Gen(rng, "rand"), {"nulls": True})]:
            self.response_case("SubscribeToShard", ev, f"kinesis/SubscribeToShard/event/{tag}",
                               gen.value(ev), rng, kind="event", **opts)
        for v in (0, I64_MAX):
            body = '{"Records":[],"ContinuationSequenceNumber":"7","MillisBehindLatest":%d}' % v
            self.emit({"id": f"kinesis/SubscribeToShard/event/millis-behind-{v}", "operation": "SubscribeToShard",
                       "kind": "event", "body": body, "expected": canon(ev, self.botocore_parse(body, ev))})
        # Negative cases: our parser must reject these (botocore would not always notice).
        neg = [
            ("PutRecords", "request", "bad-base64", '{"StreamName":"s","Records":[{"Data":"QUJD","PartitionKey":"a"},'
             '{"Data":"not base64!","PartitionKey":"b"}]}', "Records[1].Data"),
            ("PutRecords", "request", "missing-data", '{"StreamName":"s","Records":[{"PartitionKey":"a"}]}',
             "Records[0].Data"),
            ("PutRecords", "request", "records-not-a-list", '{"StreamName":"s","Records":{"Data":"QUJD"}}', "Records"),
            ("PutRecord", "request", "data-number", '{"StreamName":"s","Data":123,"PartitionKey":"p"}', "Data"),
            ("PutRecord", "request", "missing-data", '{"StreamName":"s","PartitionKey":"p"}', "Data"),
            ("PutRecord", "request", "unpadded-base64", '{"StreamName":"s","Data":"QQ","PartitionKey":"p"}', "Data"),
            ("GetRecords", "request", "limit-string", '{"ShardIterator":"AAAA","Limit":"10"}', "Limit"),
            ("GetRecords", "request", "limit-fraction", '{"ShardIterator":"AAAA","Limit":1.5}', "Limit"),
            ("GetRecords", "request", "limit-overflow", '{"ShardIterator":"AAAA","Limit":2147483648}', "Limit"),
            ("GetRecords", "request", "missing-iterator", '{"Limit":10}', "ShardIterator"),
            ("GetShardIterator", "request", "timestamp-string",
             '{"StreamName":"s","ShardId":"shardId-000000000000","ShardIteratorType":"AT_TIMESTAMP",'
             '"Timestamp":"2015-09-02T17:36:50Z"}', "Timestamp"),
            ("ListStreams", "request", "not-json", '{"Limit":', ""),
            ("ListStreams", "request", "trailing-garbage", '{}x', ""),
            ("ListStreams", "request", "top-level-array", '[]', ""),
            ("GetRecords", "response", "bad-base64", '{"Records":[{"SequenceNumber":"1","Data":"@@@@",'
             '"PartitionKey":"p"}],"MillisBehindLatest":0}', "Records[0].Data"),
            ("GetRecords", "response", "millis-string", '{"Records":[],"MillisBehindLatest":"5"}', "MillisBehindLatest"),
            ("GetRecords", "response", "millis-overflow", '{"Records":[],"MillisBehindLatest":9223372036854775808}',
             "MillisBehindLatest"),
            ("GetRecords", "response", "timestamp-bool", '{"Records":[{"SequenceNumber":"1","Data":"",'
             '"PartitionKey":"p","ApproximateArrivalTimestamp":true}]}', "Records[0].ApproximateArrivalTimestamp"),
        ]
        self.negatives(neg)

    def firehose_specials(self):
        m = self.model
        rng = random.Random("firehose/specials")
        # the deepest shapes, every nested member filled, with edge strings too
        for name, kind in [("CreateDeliveryStream", "request"), ("DescribeDeliveryStream", "response"),
                           ("UpdateDestination", "request")]:
            op = m.operation_model(name)
            shape = op.input_shape if kind == "request" else op.output_shape
            for i in range(3):
                params = Gen(rng, "full", edge=i == 1, unknown_enums=i == 2).value(shape)
                if kind == "request":
                    body = self.serializer.serialize_to_request(params, op)["body"].decode("utf-8")
                    expected = canon(shape, params)
                    assert canon(shape, self.botocore_parse(body, shape)) == expected
                    self.emit({"id": f"firehose/{name}/request/deep{i}", "operation": name, "kind": kind,
                               "body": body, "expected": expected})
                else:
                    self.response_case(name, shape, f"firehose/{name}/response/deep{i}", params, rng,
                                       ascii_only=i == 1, unknown=i == 2)
        neg = [
            ("PutRecordBatch", "request", "bad-base64",
             '{"DeliveryStreamName":"d","Records":[{"Data":"QUJD"},{"Data":"QUJD"},{"Data":"QQ"}]}', "Records[2].Data"),
            ("PutRecord", "request", "missing-record", '{"DeliveryStreamName":"d"}', "Record"),
            ("PutRecord", "request", "record-data-list", '{"DeliveryStreamName":"d","Record":{"Data":[]}}', "Record.Data"),
            ("CreateDeliveryStream", "request", "missing-name", '{"DeliveryStreamType":"DirectPut"}',
             "DeliveryStreamName"),
            ("CreateDeliveryStream", "request", "nested-missing-role",
             '{"DeliveryStreamName":"d","ExtendedS3DestinationConfiguration":{"BucketARN":"arn:aws:s3:::b"}}',
             "ExtendedS3DestinationConfiguration.RoleARN"),
            ("CreateDeliveryStream", "request", "nested-wrong-type",
             '{"DeliveryStreamName":"d","ExtendedS3DestinationConfiguration":{"RoleARN":"r","BucketARN":"b",'
             '"BufferingHints":{"SizeInMBs":"5"}}}', "ExtendedS3DestinationConfiguration.BufferingHints.SizeInMBs"),
            ("PutRecordBatch", "response", "failed-count-string",
             '{"FailedPutCount":"0","RequestResponses":[]}', "FailedPutCount"),
        ]
        self.negatives(neg)

    def negatives(self, neg):
        validator = ParamValidator()
        for name, kind, tag, body, path in neg:
            if tag.startswith("missing") or "-missing-" in tag:
                # botocore's own validator must agree that a required member is missing.
                report = validator.validate(json.loads(body), self.model.operation_model(name).input_shape)
                if "Missing required parameter" not in report.generate_report():
                    sys.exit(f"{name} {tag}: botocore does not consider {path} required")
            self.emit({"id": f"{self.service}/{name}/{kind}/reject-{tag}", "operation": name, "kind": kind,
                       "body": body, "expect_error": True, "error_path": path})

    def build(self):
        for name in self.model.operation_names:
            op = self.model.operation_model(name)
            self.requests(op)
            self.responses(op)
            self.errors(op)
        self.specials()
        return "\n".join(self.lines) + "\n"


def main():
    pinned.require("botocore")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed files instead of writing")
    ap.add_argument("--out", default=OUT_DIR, help="output directory")
    args = ap.parse_args()
    status = 0
    for service in MODELS:
        text = Corpus(service).build()
        path = os.path.join(args.out, f"{service}.jsonl")
        if args.check:
            with open(path, encoding="utf-8") as f:
                if f.read() != text:
                    print(f"{path} is stale: rerun tests/peers/gen_wire_corpus.py", file=sys.stderr)
                    status = 1
        else:
            os.makedirs(args.out, exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print(f"{path}: {text.count(chr(10))} cases", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
