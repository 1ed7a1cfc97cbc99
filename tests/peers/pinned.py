"""Refuse to run against peers other than the pinned ones (tests/peers/requirements.txt).

The committed corpora are what these exact versions make; another botocore writes other bytes,
and the freshness test would then blame the corpus. The tests run the scripts with the project's
own environment (target/tmp/python-peers/, made by tests/common/peers.rs on first use); to run a
script by hand, use that environment's `bin/python`.
"""

import importlib.metadata
import os
import sys

REQUIREMENTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "requirements.txt")


def require(*names):
    """Exit with a message naming the needed versions unless each named package is at its pin."""
    pins = {}
    with open(REQUIREMENTS, encoding="utf-8") as f:
        for line in f:
            line = line.split("#")[0].strip()
            if line:
                name, version = line.split("==")
                pins[name.lower()] = version
    wrong = []
    for name in names:
        want = pins[name.lower()]
        try:
            have = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            have = None
        if have != want:
            wrong.append(f"{name}=={want} (this Python has {have or 'none'})")
    if wrong:
        sys.exit(
            f"{sys.argv[0]} needs {', '.join(wrong)}: run it with the project's environment "
            "(`cargo test` makes it under target/tmp/python-peers/), see tests/peers/pinned.py"
        )
