#!/usr/bin/env python3
"""Read SubscribeToShard event streams with botocore's own event-stream reader.

Input (stdin): JSON lines `{"id": "...", "stream": "<base64 of the whole response body>"}`.
Output (stdout): one JSON line per input line, in order:

    {"id": "...", "initial": {"event_type": "initial-response", "payload": "{}"},
     "items": [{"event": <canonical SubscribeToShardEvent>},
               {"error": {"code": "...", "message": "..."}},
               {"other": {}}]}

Each stream goes through `botocore.eventstream.EventStream` with the SubscribeToShard output's
event-stream shape (from OUR model file, tests/model/kinesis-2013-12-02.json) and botocore's JSON
event-stream parser, exactly as a boto3 client reads a real response: `get_initial_response()`
first, then iteration; a modeled exception or an error message raises `EventStreamError`, whose
code and message are recorded before iteration continues. Canonical form: blobs as base64,
timestamps as integer epoch milliseconds (see gen_wire_corpus.py). Any failure exits non-zero.
"""

import base64
import datetime
import json
import os
import sys

from botocore.eventstream import EventStream
from botocore.exceptions import EventStreamError
from botocore.model import ServiceModel
from botocore.parsers import create_parser

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def canon(shape, v):
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
        return base64.b64encode(v).decode()
    if t == "timestamp":
        d = v - EPOCH
        micros = (d.days * 86400 + d.seconds) * 1_000_000 + d.microseconds
        return (micros + 500) // 1000
    return v


class RawBody:
    """What EventStream expects of an HTTP body: `stream()` yielding chunks, and `close()`."""

    def __init__(self, data):
        self.data = data

    def stream(self):
        # Uneven chunks, so frames are split across reads as they are on a real connection.
        i, step = 0, 1
        while i < len(self.data):
            yield self.data[i:i + step]
            i += step
            step = step * 3 + 1

    def close(self):
        pass


def main():
    with open(os.path.join(ROOT, "tests/model/kinesis-2013-12-02.json"), encoding="utf-8") as f:
        model = ServiceModel(json.load(f), service_name="kinesis")
    op = model.operation_model("SubscribeToShard")
    stream_shape = op.output_shape.members["EventStream"]
    event_shape = stream_shape.members["SubscribeToShardEvent"]
    parser = create_parser("json")
    for line in sys.stdin:
        if not line.strip():
            continue
        case = json.loads(line)
        raw = RawBody(base64.b64decode(case["stream"]))
        es = EventStream(raw, stream_shape, parser._event_stream_parser, "SubscribeToShard")
        first = es.get_initial_response()
        out = {"id": case["id"], "initial": {"event_type": first.headers.get(":event-type"),
                                               "payload": first.payload.decode("utf-8")}, "items": []}
        while True:
            try:
                for ev in es:
                    if "SubscribeToShardEvent" in ev:
                        out["items"].append({"event": canon(event_shape, ev["SubscribeToShardEvent"])})
                    else:
                        out["items"].append({"other": ev})
                break
            except EventStreamError as e:
                err = e.response["Error"]
                out["items"].append({"error": {"code": err["Code"], "message": err["Message"]}})
        print(json.dumps(out, ensure_ascii=False, separators=(",", ":")), flush=True)


if __name__ == "__main__":
    main()
