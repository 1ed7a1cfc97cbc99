#!/usr/bin/env python3
"""CBOR forms of the wire corpus (tests/data/wire/), for tests/wire_cbor_corpus.rs.

Every case of a corpus file that is not a negative case is converted from its JSON body to CBOR
the way the AWS SDK for Java writes it (spec/cbor.md), driven by the service model's types (read
from the model file given, not from the crate):

* structure -> map, members in the order the model file lists them, only those present in the
  JSON and not null; members the model does not have are dropped (the Java SDK has no place for
  them); list -> array; map -> map, entries in key order (Java writes a map in its iteration
  order, which is unspecified; key order is one valid order and the one the crate keeps);
* string, enum -> text; blob -> byte string of the base64-decoded bytes; boolean -> true/false;
  integer, long -> the shortest integer; double -> a 64-bit float (0xfb; cbor2 writes some values,
  e.g. infinities, as half floats, so these bytes are written here);
* timestamp -> tag 1 + integer epoch MILLISECONDS (Java: `writeTag(1); writeNumber(getTime())`),
  computed with Decimal from the JSON number's text (epoch seconds, with or without a fraction
  or an exponent), never through a binary float;
* an error -> a map with `__type` (the case's expected code, else the code of its `__type`)
  first, then the exception's modeled members in model order (`message`: the body's `message`,
  else its `Message`); an unmodeled code has only `message`;
* an operation without an input or output shape, or an empty body -> the empty map.

Maps, arrays, text and byte strings, integers, booleans, null and tag 1 + integer are written by
cbor2 (`dumps`, definite lengths, insertion order). cbor2 is never asked to read or write tag 1
as a date: it reads tag 1 as RFC 8949's seconds, which is 1000x off for this protocol.

Besides the Java form (`"form": "java"`), each case gets the tolerant forms a reader must take
(spec/cbor.md), each emitted only where its bytes differ from the Java form's, and each read
back by cbor2 (tag 1 left raw) to show it is well-formed CBOR:

* `indefinite`: every map and array indefinite-length (0xbf / 0x9f ... 0xff; cbor2's
  `indefinite_containers`);
* `chunked`: every text and byte string, keys included, as an indefinite-length string of chunks
  (an empty chunk, then the string split in two at a character boundary), written here;
* `blob-text`: blobs as base64 text strings (as kinesis-mock answers);
* `wide-ints`: every integer one encoding wider than needed (up to 8 bytes), written here;
* `small-floats`: doubles as half or single floats where that is exact, written here;
* `nulls`: `null` for every absent member of every structure;
* `ts-ms`: timestamps as untagged integer milliseconds (only those >= 10^11 ms: below that an
  untagged integer reads as seconds, by the magnitude rule);
* `ts-seconds`: timestamps as untagged 64-bit float seconds (kinesalite's form);
* `ts-tag-float`: timestamps as tag 1 + 64-bit float seconds (what cbor2 writes for a datetime
  with a fraction);
* `no-type`: an error body without `__type` stays without it (the status gives the code);
* `as-sent`: the JSON body as it is, typed by the model: members in the JSON's order, unknown
  members kept (as their JSON values), `null` kept, an error's `__type` as the body gives it
  (`namespace#Code`, `Code:http://...`, or none) and its `message` or `Message` under its own key;
* `all`: indefinite + chunked + blob-text + wide-ints + small-floats + nulls + ts-ms at once.

Negative cases (`expect_error`) are converted too (`"form": "negative"`): by the model where a
value fits its type, as the JSON value is where it does not (a string where an integer belongs
stays a string), a blob that is not valid padded base64 as a text string (which the reader checks
as base64, as in JSON), bytes after the JSON value appended as they are. A body with no JSON value
at all is reported with `"skipped"`.

    python3 tests/peers/cbor_corpus.py corpus MODEL.json CORPUS.jsonl...
    python3 tests/peers/cbor_corpus.py timestamps

`corpus` prints one JSON line per form: `{"source", "id", "form", "cbor_base64"}` (or
`"skipped": why` for a negative case that cannot be converted); `source` is the corpus file's
folder and name (`botocore/kinesis`). `timestamps` prints one 2024 instant in every timestamp form
with what cbor2 reads of each (see `timestamps()`).
"""

import base64
import binascii
import datetime
import json
import os
import struct
import sys
from decimal import ROUND_FLOOR, Decimal

import pinned

pinned.require("cbor2")

import cbor2  # noqa: E402

MILLIS_FROM = 10**11  # the reader's magnitude rule: |v| >= 10^11 is milliseconds


class F64:
    """A double: 0xfb + 8 bytes, or (small-floats) the narrowest float that holds it exactly."""

    def __init__(self, value, small=False):
        self.value = value
        self.small = small

    def encode(self):
        v = self.value
        if self.small:
            for fmt, head in (("e", 0xF9), ("f", 0xFA)):
                try:
                    packed = struct.pack(">" + fmt, v)
                except (OverflowError, struct.error):
                    continue
                if struct.unpack(">" + fmt, packed)[0] == v:
                    return bytes([head]) + packed
        return b"\xfb" + struct.pack(">d", v)


class Raw:
    """Bytes written as they are (hand-made forms cbor2 does not write)."""

    def __init__(self, data):
        self.data = data

    def encode(self):
        return self.data


def head(major, n):
    """The shortest head of major type `major` with argument `n`."""
    m = major << 5
    if n < 24:
        return bytes([m | n])
    for size, info in ((1, 24), (2, 25), (4, 26), (8, 27)):
        if n < 1 << (8 * size):
            return bytes([m | info]) + n.to_bytes(size, "big")
    raise ValueError(f"argument {n} too large")


def wide_int(n):
    """An integer one encoding wider than its shortest (8-byte ones stay as they are)."""
    major, arg = (0, n) if n >= 0 else (1, -1 - n)
    size = {1: 0, 2: 1, 3: 2, 5: 4, 9: 8}[len(head(major, arg))]  # bytes after the head byte
    wider = {0: 1, 1: 2, 2: 4, 4: 8, 8: 8}[size]
    info = {1: 24, 2: 25, 4: 26, 8: 27}[wider]
    return Raw(bytes([(major << 5) | info]) + arg.to_bytes(wider, "big"))


def chunked(major, data):
    """An indefinite-length string: an empty chunk, then `data` in two (text split at a character
    boundary, so each chunk is UTF-8 on its own)."""
    if major == 3:
        text = data
        mid = len(text) // 2
        parts = [b"", text[:mid].encode(), text[mid:].encode()]
    else:
        mid = len(data) // 2
        parts = [b"", data[:mid], data[mid:]]
    out = bytes([(major << 5) | 31])
    for p in parts:
        out += head(major, len(p)) + p
    return Raw(out + b"\xff")


def default(encoder, value):
    if isinstance(value, (F64, Raw)):
        encoder.write(value.encode())
    else:
        raise TypeError(f"cannot write {value!r}")


def dumps(tree, indefinite=False):
    return cbor2.dumps(tree, default=default, indefinite_containers=indefinite)


class Mismatch(Exception):
    pass


def join(path, key):
    return f"{path}.{key}" if path else key


def seconds_to_millis(v, path):
    """Epoch seconds (an int or the Decimal of the JSON number's text) -> integer milliseconds."""
    if isinstance(v, bool) or not isinstance(v, (int, Decimal)):
        raise Mismatch(f"`{path}`: timestamp {v!r} is not a number")
    ms = Decimal(v) * 1000
    whole = ms.to_integral_value(rounding=ROUND_FLOOR)
    if ms != whole:
        # Not in the corpus; the crate rounds half up to the millisecond, as here.
        whole = (ms + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR)
    return int(whole)


def strict_base64(text):
    """The bytes of standard padded base64 `text`, or None."""
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return data if base64.b64encode(data).decode() == text else None


class Converter:
    """JSON value -> CBOR tree, by the model, in the form `flags` names (empty: the Java form)."""

    def __init__(self, shapes, flags, lenient=False):
        self.shapes = shapes
        self.flags = flags
        self.lenient = lenient  # a negative case: what does not fit stays as it is

    def on(self, flag):
        return flag in self.flags or ("all" in self.flags and flag in ALL)

    def text(self, s):
        if self.on("chunked"):
            return chunked(3, s)
        return s

    def bytes_(self, b):
        if self.on("blob-text"):
            return self.text(base64.b64encode(b).decode())
        if self.on("chunked"):
            return chunked(2, b)
        return b

    def int_(self, n):
        return wide_int(n) if self.on("wide-ints") else n

    def double(self, x):
        return F64(float(x), small=self.on("small-floats"))

    def timestamp(self, ms):
        if self.on("ts-ms") and abs(ms) >= MILLIS_FROM:
            return self.int_(ms)
        if self.on("ts-seconds") and abs(ms) < MILLIS_FROM * 1000:
            return F64(float(Decimal(ms) / 1000))
        if self.on("ts-tag-float") and abs(ms) < MILLIS_FROM * 1000:
            return cbor2.CBORTag(1, F64(float(Decimal(ms) / 1000)))
        return cbor2.CBORTag(1, self.int_(ms))

    def generic(self, v, unknown=False):
        """A value as it is: one that does not fit its model type (negative cases only), or an
        unknown member's (`unknown`, the as-sent form)."""
        if not (self.lenient or unknown):
            raise Mismatch(f"{v!r} does not fit the model")
        if isinstance(v, dict):
            return {self.text(k): self.generic(x, unknown) for k, x in v.items()}
        if isinstance(v, list):
            return [self.generic(x, unknown) for x in v]
        if isinstance(v, str):
            return self.text(v)
        if isinstance(v, bool) or v is None:
            return v
        if isinstance(v, int):
            return self.int_(v)
        if isinstance(v, Decimal):
            return self.double(v)
        raise Mismatch(f"{v!r}: not a JSON value")

    def value(self, shape_name, v, path):
        s = self.shapes[shape_name]
        t = s["type"]
        try:
            return self.typed(s, t, v, path)
        except Mismatch:
            if self.lenient:
                return self.generic(v)
            raise

    def typed(self, s, t, v, path):
        def bad():
            raise Mismatch(f"`{path}`: {v!r} is not a {t}")

        if t == "structure":
            if not isinstance(v, dict):
                bad()
            out = {}
            if self.on("as-sent"):
                for name, x in v.items():
                    m = s["members"].get(name)
                    if x is None:
                        out[self.text(name)] = None
                    elif m is None:
                        out[self.text(name)] = self.generic(x, unknown=True)
                    else:
                        out[self.text(name)] = self.value(m["shape"], x, join(path, name))
                return out
            for name, m in s["members"].items():
                x = v.get(name)
                if x is None:
                    if self.on("nulls"):
                        out[self.text(name)] = None
                    continue
                out[self.text(name)] = self.value(m["shape"], x, join(path, name))
            return out
        if t == "list":
            if not isinstance(v, list):
                bad()
            m = s["member"]["shape"]
            return [self.value(m, x, f"{path}[{i}]") for i, x in enumerate(v)]
        if t == "map":
            if not isinstance(v, dict):
                bad()
            m = s["value"]["shape"]
            return {self.text(k): self.value(m, v[k], join(path, k)) for k in sorted(v)}
        if t == "string":
            if not isinstance(v, str):
                bad()
            return self.text(v)
        if t == "blob":
            data = strict_base64(v) if isinstance(v, str) else None
            if data is None:
                if self.lenient and isinstance(v, str):
                    return self.text(v)  # base64 text, checked by the reader
                bad()
            return self.bytes_(data)
        if t == "boolean":
            if not isinstance(v, bool):
                bad()
            return v
        if t in ("integer", "long"):
            if isinstance(v, bool) or not isinstance(v, int):
                bad()
            return self.int_(v)
        if t in ("double", "float"):
            if isinstance(v, bool) or not isinstance(v, (int, Decimal)):
                bad()
            return self.double(v)
        if t == "timestamp":
            if isinstance(v, str):
                raise Mismatch(
                    f"`{path}`: timestamp string {v!r}: the corpus has none outside negative "
                    "cases; convert it here before adding one"
                )
            return self.timestamp(seconds_to_millis(v, path))
        raise Mismatch(f"`{path}`: shape type {t} not handled")


# What the `all` form turns on.
ALL = {"indefinite", "chunked", "blob-text", "wide-ints", "small-floats", "nulls", "ts-ms"}
FORMS = [
    "indefinite",
    "chunked",
    "blob-text",
    "wide-ints",
    "small-floats",
    "nulls",
    "ts-ms",
    "ts-seconds",
    "ts-tag-float",
    "no-type",
    "as-sent",
    "all",
]


def type_to_code(t):
    return t.split(":")[0].rsplit("#", 1)[-1]


def parse_json(text):
    """The JSON value of a body (an empty body is `{}`), numbers as int or exact Decimal."""
    if text.strip() == "":
        return {}
    return json.loads(text, parse_float=Decimal)


def body_shape(model, case):
    op = model["operations"][case["operation"]]
    kind = case["kind"]
    if kind == "event":
        return "SubscribeToShardEvent"
    which = {"request": "input", "response": "output"}[kind]
    return op.get(which, {}).get("shape")


def convert_body(model, case, conv, value):
    """The CBOR tree of a request, response or event body."""
    shape = body_shape(model, case)
    if shape is None:
        return {}  # no shape: the empty map, whatever the body held
    return conv.value(shape, value, "")


def convert_error(model, case, conv, value, form):
    """The CBOR tree of an error body: `__type` first, then the modeled members."""
    if not isinstance(value, dict):
        raise Mismatch("error body is not a JSON object")
    expected = case.get("expected") or {}
    code = expected.get("code")
    if code is None:
        code = type_to_code(value.get("__type") or "")
    if form == "as-sent":
        return convert_error_as_sent(model, conv, value)
    out = {}
    if form == "no-type":
        if "__type" in value or not case.get("status"):
            return None  # not applicable
    else:
        out[conv.text("__type")] = conv.text(code)
    message = value.get("message")
    if message is None:
        message = value.get("Message")
    shape = model["shapes"].get(code)
    if shape is not None and shape.get("exception"):
        for name, m in shape["members"].items():
            x = message if name == "message" else value.get(name)
            if x is None:
                if conv.on("nulls"):
                    out[conv.text(name)] = None
                continue
            out[conv.text(name)] = conv.value(m["shape"], x, name)
    elif message is not None:
        out[conv.text("message")] = conv.text(message)
    elif conv.on("nulls"):
        out[conv.text("message")] = None
    return out


def convert_error_as_sent(model, conv, value):
    """An error body's members as the JSON has them: `__type`, `message` and `Message` as text,
    the exception's other modeled members by the model, unknown members as they are."""
    code = type_to_code(value.get("__type") or "")
    shape = model["shapes"].get(code)
    members = shape["members"] if shape is not None and shape.get("exception") else {}
    out = {}
    for name, x in value.items():
        if x is None:
            out[conv.text(name)] = None
        elif name in ("__type", "message", "Message") and isinstance(x, str):
            out[conv.text(name)] = conv.text(x)
        elif name in members:
            out[conv.text(name)] = conv.value(members[name]["shape"], x, name)
        else:
            out[conv.text(name)] = conv.generic(x, unknown=True)
    return out


def convert(model, case, form):
    """The CBOR bytes of a positive case in `form` (None: the form does not apply)."""
    flags = set() if form == "java" else {form}
    conv = Converter(model["shapes"], flags)
    value = parse_json(case["body"])
    if case["kind"] == "error":
        tree = convert_error(model, case, conv, value, form)
    elif form == "no-type":
        return None
    else:
        tree = convert_body(model, case, conv, value)
    if tree is None:
        return None
    out = dumps(tree, indefinite=conv.on("indefinite"))
    # cbor2 reads back every form (tag 1 left raw: it would take it as seconds).
    cbor2.loads(out, semantic_decoders={1: lambda v, immutable: v})
    return out


def convert_negative(model, case):
    """(bytes, None) for a negative case, or (None, why not)."""
    text = case["body"]
    if text.strip() == "":
        value, rest = {}, ""
    else:
        try:
            value, end = json.JSONDecoder(parse_float=Decimal).raw_decode(text)
        except json.JSONDecodeError as e:
            return None, f"no JSON value to convert ({e.msg})"
        rest = text[end:]
    conv = Converter(model["shapes"], set(), lenient=True)
    if case["kind"] == "error":
        tree = convert_error(model, case, conv, value, "java")
    else:
        tree = convert_body(model, case, conv, value)
    return dumps(tree) + rest.strip().encode(), None


def corpus(model_path, corpus_paths):
    with open(model_path, encoding="utf-8") as f:
        model = json.load(f)
    out = sys.stdout
    for path in corpus_paths:
        source = "/".join(os.path.normpath(path).split(os.sep)[-2:]).removesuffix(".jsonl")
        with open(path, encoding="utf-8") as f:
            cases = [json.loads(line) for line in f if line.strip()]
        for case in cases:
            line = {"source": source, "id": case["id"]}
            try:
                if case.get("expect_error"):
                    data, why = convert_negative(model, case)
                    line["form"] = "negative"
                    if data is None:
                        line["skipped"] = why
                    else:
                        line["cbor_base64"] = base64.b64encode(data).decode()
                    out.write(json.dumps(line) + "\n")
                    continue
                java = convert(model, case, "java")
                for form in ["java"] + FORMS:
                    data = java if form == "java" else convert(model, case, form)
                    if data is not None and (form == "java" or data != java):
                        line["form"] = form
                        line["cbor_base64"] = base64.b64encode(data).decode()
                        out.write(json.dumps(line) + "\n")
            except Mismatch as e:
                sys.exit(f"{source} {case['id']}: {e}")


def timestamps():
    """One instant of 2024 (2024-05-01T12:00:00.123Z) in every timestamp form, in a
    GetShardIterator request body, with what cbor2 reads of each.

    Each line: `form`, `cbor_base64` (the body), `millis` (the instant the writer meant),
    `cbor2_raw` (the number under the tag, read raw), `cbor2_seconds` (the epoch seconds of the
    datetime cbor2 makes of it, as text, or null) and `cbor2_error` (why cbor2 could not make one).
    """
    instant = datetime.datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=datetime.timezone.utc)
    ms = 1714564800123
    assert int(Decimal(str(instant.timestamp())) * 1000) == ms
    whole = instant.replace(microsecond=0)
    forms = [
        # The protocol's form (the Java SDK's), tag written as a plain CBORTag.
        ("tag1-int-ms", cbor2.CBORTag(1, ms), ms),
        ("untagged-int-ms", ms, ms),
        # kinesalite's: untagged float seconds.
        ("untagged-float-seconds", F64(ms / 1000), ms),
        # cbor2's own datetime writing: tag 1 + float seconds (the datetime has a fraction).
        ("cbor2-datetime-fraction", instant, ms),
        # cbor2's datetime at a whole second: tag 1 + INTEGER seconds (RFC 8949), which this
        # protocol reads as milliseconds.
        ("cbor2-datetime-whole", whole, ms - 123),
    ]
    for name, ts, meant in forms:
        body = {
            "ShardId": "shardId-000000000000",
            "ShardIteratorType": "AT_TIMESTAMP",
            "StreamName": "s",
            "Timestamp": ts,
        }
        data = cbor2.dumps(body, default=default, datetime_as_timestamp=True)
        raw = cbor2.loads(data, semantic_decoders={1: lambda v, immutable: v})["Timestamp"]
        seconds, error = None, None
        try:
            read = cbor2.loads(data)["Timestamp"]
            if isinstance(read, datetime.datetime):
                seconds = str(Decimal(read.timestamp()).quantize(Decimal("0.001")))
        except cbor2.CBORDecodeError as e:
            error = f"{e}: {e.__cause__}"
        line = {
            "form": name,
            "cbor_base64": base64.b64encode(data).decode(),
            "millis": meant,
            "cbor2_raw": raw,
            "cbor2_seconds": seconds,
            "cbor2_error": error,
        }
        sys.stdout.write(json.dumps(line) + "\n")


def main():
    args = sys.argv[1:]
    if args[:1] == ["corpus"] and len(args) >= 3:
        corpus(args[1], args[2:])
    elif args == ["timestamps"]:
        timestamps()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
