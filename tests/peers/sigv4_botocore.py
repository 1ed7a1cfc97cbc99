#!/usr/bin/env python3
"""SigV4 reference peer: signs Kinesis/Firehose JSON-protocol POSTs with botocore 1.44.5.

stdin: one JSON object per line:
  {"id", "access_key_id", "secret_access_key", "session_token": str|null, "region",
   "service": "kinesis"|"firehose", "amz_date": "YYYYMMDDTHHMMSSZ", "host" (may carry ":port"),
   "target", "content_type", "body_base64"}
stdout: one JSON object per input line:
  {"id", "headers": {lowercased name: value for every header on the signed AWSRequest}}
With --canonical, each output line also carries "canonical_request" and "string_to_sign".

The clock: botocore.auth.SigV4Auth.add_auth() takes the time from
`botocore.auth.get_current_datetime()` (imported into botocore.auth from botocore.compat; it
returns a naive UTC datetime). That module-level name is patched for each request.
"""
import base64
import datetime
import json
import sys
from unittest import mock

from pinned import require

require("botocore")

import botocore.auth  # noqa: E402
from botocore.auth import SIGV4_TIMESTAMP, SigV4Auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402


class _RecordingSigV4Auth(SigV4Auth):
    """SigV4Auth that keeps the canonical request and string to sign it computed (for --canonical)."""

    recorded = None

    def string_to_sign(self, request, canonical_request):
        sts = super().string_to_sign(request, canonical_request)
        self.recorded = (canonical_request, sts)
        return sts


def sign(req, want_canonical=False):
    creds = Credentials(
        req["access_key_id"], req["secret_access_key"], req.get("session_token") or None
    )
    body = base64.b64decode(req["body_base64"])
    headers = {
        "host": req["host"],
        "x-amz-target": req["target"],
        "content-type": req["content_type"],
    }
    aws_req = AWSRequest(method="POST", url=f"https://{req['host']}/", headers=headers, data=body)
    now = datetime.datetime.strptime(req["amz_date"], SIGV4_TIMESTAMP)  # naive UTC, as botocore's
    signer = _RecordingSigV4Auth(creds, req["service"], req["region"])
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=now):
        signer.add_auth(aws_req)
    out = {"id": req["id"], "headers": {k.lower(): v for k, v in aws_req.headers.items()}}
    if want_canonical:
        out["canonical_request"], out["string_to_sign"] = signer.recorded
    return out


def main():
    want_canonical = "--canonical" in sys.argv[1:]
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        sys.stdout.write(json.dumps(sign(req, want_canonical), sort_keys=True) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
