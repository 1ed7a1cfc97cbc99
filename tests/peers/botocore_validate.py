#!/usr/bin/env python3
"""botocore's client-side parameter validator as the peer for request validation
(tests/validate_botocore.rs).

Reads one case per line on stdin, a JSON object {"operation": "<Kinesis operation>", "body":
<the request's JSON body>}. The body is brought into the form a botocore caller passes
(`client.put_record(**params)`): blob members whose text is base64 become the bytes it
encodes (text that is not base64 stays text, which botocore also takes for a blob); timestamps
stay numbers (epoch seconds, which botocore takes); every value of the wrong type is kept as it
is, so that botocore sees the type error. Then
`botocore.validate.ParamValidator().validate(params, operation_model.input_shape)` runs on it,
with the Kinesis model botocore ships.

Prints one JSON line per case: {"valid": true} or {"valid": false, "report": "<botocore's
report>"}. All cases run in this one process.
"""

import base64
import binascii
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pinned  # noqa: E402

pinned.require("botocore")

import botocore.session  # noqa: E402
from botocore.validate import ParamValidator  # noqa: E402

MODEL = botocore.session.get_session().get_service_model("kinesis")
VALIDATOR = ParamValidator()


def as_params(value, shape):
    """`value` (decoded JSON) in botocore's input form for `shape`; wrong types kept."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members = shape.members
        return {
            name: as_params(v, members[name]) if name in members else v
            for name, v in value.items()
        }
    if kind == "list" and isinstance(value, list):
        return [as_params(v, shape.member) for v in value]
    if kind == "map" and isinstance(value, dict):
        return {k: as_params(v, shape.value) for k, v in value.items()}
    if kind == "blob" and isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return value
    return value


def verdict(operation, body):
    shape = MODEL.operation_model(operation).input_shape
    report = VALIDATOR.validate(as_params(body, shape), shape)
    if report.has_errors():
        return {"valid": False, "report": report.generate_report()}
    return {"valid": True}


for line in sys.stdin:
    if not line.strip():
        continue
    case = json.loads(line)
    print(json.dumps(verdict(case["operation"], case["body"])), flush=False)
sys.stdout.flush()
