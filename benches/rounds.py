"""Measure a bench group in short interleaved rounds and report each function's minimum.

Usage: python3 benches/rounds.py BENCH GROUP [ROUNDS] [--ours PREFIX] [--cpu N] [--filter REGEX]

On a host whose speed drifts (a shared VM: the same floor measured 1.6 to 4.4 ms within minutes
here), one long criterion run per function compares functions measured at different times, and
the ratio carries the drift. This runs `cargo bench --bench BENCH -- GROUP` ROUNDS times (default
5) with short warm-up and measurement times, so every function is measured in every round, and
prints per input:

- each function's minimum over the rounds (the run least disturbed by the host) and every
  round's time;
- for each function of ours (id starts with PREFIX, default "kinesis-codec") the ratio
  peer_min / our_min against every other function, and the ratio within each round (both sides
  measured minutes apart at most), as the range the host allowed.

With --filter REGEX only the group's benches whose id matches REGEX run (criterion's filter, e.g.
`eventstream_encode/.*/1KiB`); every round reports only what criterion measured in it.

With --cpu N the bench is pinned to that core (`taskset`), away from whatever else runs. Reads
and overwrites criterion's results under $CARGO_TARGET_DIR/criterion (else target/criterion).
"""

import os
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ratios import human_time, load  # noqa: E402


def main(argv):
    args = argv[1:]
    ours_prefix = "kinesis-codec"
    cpu = None
    bench_filter = None
    positional = []
    while args:
        arg = args.pop(0)
        if arg == "--ours":
            ours_prefix = args.pop(0)
        elif arg == "--cpu":
            cpu = args.pop(0)
        elif arg == "--filter":
            bench_filter = args.pop(0)
        elif arg in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            positional.append(arg)
    if len(positional) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    bench, group = positional[0], positional[1]
    rounds = int(positional[2]) if len(positional) == 3 else 5
    criterion_dir = Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "criterion"

    command = ["cargo", "bench", "--bench", bench, "--", "--warm-up-time", "0.5"]
    command += ["--measurement-time", "1.5", bench_filter or group]
    if cpu is not None:
        if shutil.which("taskset") is None:
            print("--cpu needs taskset", file=sys.stderr)
            return 2
        command = ["taskset", "-c", cpu] + command

    # times[input][function] = [mean_ns of each round]
    times = defaultdict(lambda: defaultdict(list))
    for r in range(rounds):
        print(f"round {r + 1}/{rounds}: {' '.join(command)}", file=sys.stderr)
        started = time.time()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            return done.returncode
        measured = load(criterion_dir, {group}, since=started)[group]
        if not measured:
            print(f"criterion measured nothing of group {group} in this round: check GROUP and "
                  "--filter", file=sys.stderr)
            return 1
        for inp, per in measured.items():
            for function, (ns, _) in per.items():
                times[inp][function].append(ns)

    for inp in sorted(times):
        per = times[inp]
        print(f"## {group} {inp}\n")
        for function in sorted(per):
            each = " ".join(human_time(ns) for ns in per[function])
            print(f"- {function}: min {human_time(min(per[function]))} (rounds: {each})")
        ours = [f for f in per if f.startswith(ours_prefix)]
        for o in sorted(ours):
            for p in sorted(f for f in per if f != o and not f.startswith(ours_prefix)):
                within = [pt / ot for pt, ot in zip(per[p], per[o])]
                print(
                    f"- {p} / {o}: {min(per[p]) / min(per[o]):.2f} on minima; within rounds "
                    f"{min(within):.2f} to {max(within):.2f}"
                )
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
