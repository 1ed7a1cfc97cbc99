#!/usr/bin/env python3
"""botocore as the peer for timestamp parsing (tests/timestamp_botocore.rs).

Reads one timestamp per line on stdin: a JSON value (number or string) as it appears in a
response body. Parses it exactly as botocore's JSON response parser does for a `timestamp`
member (botocore.parsers.BaseJSONParser._handle_timestamp -> botocore.utils.parse_timestamp),
and prints one line per input: the epoch milliseconds (integer, computed from the timezone-aware
datetime without float rounding), or "error".
"""

import datetime
import json
import sys

from botocore.parsers import create_parser

PARSER = create_parser("json")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def millis(value):
    dt = PARSER._timestamp_parser(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    delta = dt - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000


for line in sys.stdin:
    line = line.rstrip("\n")
    try:
        print(millis(json.loads(line)))
    except Exception:  # noqa: BLE001 - any failure is "error" for the comparison
        print("error")
