"""Decode event-stream frames with botocore and print what it sees, one JSON line per message.

Usage: python3 tests/peers/botocore_eventstream.py FILE [--chunk-seed N]

FILE holds frames back to back. Without --chunk-seed the whole file is given to
botocore.eventstream.EventStreamBuffer at once; with it, the bytes are fed in random pieces
(1 byte up to twice the average frame, from random.Random(N)) and the messages are collected
as they become available, the way botocore's EventStream reads an HTTP body.

Each output line: {"total_length", "headers_length", "prelude_crc", "message_crc",
"headers": [[name, tag, value], ...] in wire order, "payload": base64}. botocore keeps no header
type, so each value is tagged by its Python type: "bool" (True/False), "int" (types 2, 3, 4, 5
and 8), "bytes" (types 6 and 9, value in base64), "str" (type 7).

Any botocore error propagates: the script exits non-zero with the traceback.
"""

import base64
import json
import random
import sys

from botocore.eventstream import EventStreamBuffer


def tagged(value):
    # bool first: in Python a bool is also an int.
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, int):
        return ["int", value]
    if isinstance(value, bytes):
        return ["bytes", base64.b64encode(value).decode("ascii")]
    if isinstance(value, str):
        return ["str", value]
    raise TypeError(f"unexpected header value type from botocore: {type(value)!r}")


def describe(message):
    prelude = message.prelude
    return {
        "total_length": prelude.total_length,
        "headers_length": prelude.headers_length,
        "prelude_crc": prelude.crc,
        "message_crc": message.crc,
        # A dict keeps insertion order, which is wire order.
        "headers": [[name] + tagged(value) for name, value in message.headers.items()],
        "payload": base64.b64encode(message.payload).decode("ascii"),
    }


def main(argv):
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--chunk-seed"):
        sys.exit(__doc__)
    with open(argv[1], "rb") as f:
        data = f.read()
    buffer = EventStreamBuffer()
    messages = []
    if len(argv) == 2:
        buffer.add_data(data)
        messages.extend(buffer)
    else:
        rng = random.Random(int(argv[3]))
        at = 0
        while at < len(data):
            size = rng.randint(1, 4096)
            buffer.add_data(data[at : at + size])
            at += size
            messages.extend(buffer)
    out = sys.stdout
    for message in messages:
        out.write(json.dumps(describe(message), ensure_ascii=True))
        out.write("\n")
    # Bytes left over would be a frame botocore never returned.
    if buffer._data:
        sys.exit(f"botocore left {len(buffer._data)} bytes undecoded")


if __name__ == "__main__":
    main(sys.argv)
