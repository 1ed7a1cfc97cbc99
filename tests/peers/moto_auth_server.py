#!/usr/bin/env python3
"""A moto 5.2.1 server on 127.0.0.1 (free port) with IAM authentication + authorization ON.

How moto's auth works (moto/core/authorization.py, moto/iam/access_control.py):
  * every BaseResponse.call_action (Kinesis and Firehose included, JSON protocol / X-Amz-Target)
    runs ActionAuthenticatorMixin._authenticate_and_authorize_action: once
    ActionAuthenticatorMixin.request_count >= settings.INITIAL_NO_AUTH_ACTION_COUNT
    (env INITIAL_NO_AUTH_ACTION_COUNT, default inf = auth off) the request is checked;
    before that, each action only increments request_count.
  * POST /moto-api/reset-auth with body N sets INITIAL_NO_AUTH_ACTION_COUNT = N and resets the
    counter. This script does the setup with auth off, then posts "0": auth is on from then on.
  * The check recomputes the SigV4 signature with botocore's own SigV4Auth over the headers named
    in SignedHeaders, the raw body and the X-Amz-Date header, and compares it to Signature=.
    It does NOT compare X-Amz-Date with the clock, nor check the credential-scope date.

Setup: IAM user "sigv4-user" + access key + managed policy allowing kinesis:* and firehose:*;
role "sigv4-role" with the same inline policy, assumed via STS (temporary credentials with a
session token, for testing x-amz-security-token); Kinesis stream "sigv4-live", 1 shard, ACTIVE.

stdout: ONE JSON line
  {"port", "access_key_id", "secret_access_key", "region": "us-east-1", "stream": "sigv4-live",
   "session": {"access_key_id", "secret_access_key", "session_token"}}
then serves until stdin is closed, and shuts down.
"""
import json
import logging
import os
import sys
import urllib.request

from pinned import require

require("moto", "boto3", "botocore", "flask", "flask-cors")

import boto3  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

REGION = "us-east-1"
STREAM = "sigv4-live"
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["kinesis:*", "firehose:*"], "Resource": "*"}
        ],
    }
)
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
        ],
    }
)


def main():
    # Auth off while we set up (moto's default is inf already; make it explicit for this process).
    os.environ.setdefault("INITIAL_NO_AUTH_ACTION_COUNT", "inf")
    # werkzeug logs each request to stderr; keep only errors (stdout carries just the JSON line).
    if not os.environ.get("MOTO_VERBOSE"):
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        _, port = server.get_host_and_port()
        endpoint = f"http://127.0.0.1:{port}"

        def client(name):
            return boto3.client(
                name,
                endpoint_url=endpoint,
                region_name=REGION,
                aws_access_key_id="setup",
                aws_secret_access_key="setup",
            )

        iam = client("iam")
        iam.create_user(UserName="sigv4-user")
        arn = iam.create_policy(PolicyName="sigv4-kinesis-firehose", PolicyDocument=POLICY)[
            "Policy"
        ]["Arn"]
        iam.attach_user_policy(UserName="sigv4-user", PolicyArn=arn)
        key = iam.create_access_key(UserName="sigv4-user")["AccessKey"]

        role_arn = iam.create_role(RoleName="sigv4-role", AssumeRolePolicyDocument=TRUST)[
            "Role"
        ]["Arn"]
        iam.put_role_policy(RoleName="sigv4-role", PolicyName="kf", PolicyDocument=POLICY)
        tmp = client("sts").assume_role(RoleArn=role_arn, RoleSessionName="sigv4")[
            "Credentials"
        ]

        kinesis = client("kinesis")
        kinesis.create_stream(StreamName=STREAM, ShardCount=1)
        status = kinesis.describe_stream_summary(StreamName=STREAM)["StreamDescriptionSummary"][
            "StreamStatus"
        ]
        if status != "ACTIVE":
            raise RuntimeError(f"stream {STREAM} is {status}")

        # Switch authentication + authorization ON for every later action.
        with urllib.request.urlopen(
            urllib.request.Request(
                f"{endpoint}/moto-api/reset-auth",
                data=b"0",
                method="POST",
                # not form-encoded, or Flask eats the body into request.form
                headers={"Content-Type": "text/plain"},
            )
        ) as r:
            r.read()

        sys.stdout.write(
            json.dumps(
                {
                    "port": port,
                    "access_key_id": key["AccessKeyId"],
                    "secret_access_key": key["SecretAccessKey"],
                    "region": REGION,
                    "stream": STREAM,
                    "session": {
                        "access_key_id": tmp["AccessKeyId"],
                        "secret_access_key": tmp["SecretAccessKey"],
                        "session_token": tmp["SessionToken"],
                    },
                }
            )
            + "\n"
        )
        sys.stdout.flush()
        # Serve until stdin is closed.
        while sys.stdin.buffer.read(65536):
            pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
