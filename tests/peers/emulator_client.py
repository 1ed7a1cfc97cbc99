"""What the boto3 scripts against the example emulator (tests/peers/boto3_emulator*.py) share:
a client pointed at it, an error's code and text, and milliseconds since the epoch.

The scripts import it by name: Python puts a script's own folder first on its path.
"""

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def client(endpoint, service="kinesis", validate=True, read_timeout=30):
    """A boto3 client of `service` for the emulator at `endpoint`: made-up credentials, one
    attempt per call, client-side parameter validation on or off."""
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(
            parameter_validation=validate,
            retries={"max_attempts": 1},
            connect_timeout=5,
            read_timeout=read_timeout,
        ),
    )


def error_of(call):
    """The code, message and HTTP status of the ClientError `call` raises, or what it
    returned."""
    try:
        result = call()
    except ClientError as error:
        return {
            "code": error.response["Error"]["Code"],
            "message": error.response["Error"].get("Message"),
            "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
        }
    return {"code": None, "returned": repr(result)[:300]}


def millis(value):
    """A datetime as milliseconds since the epoch."""
    return int(round(value.timestamp() * 1000))
