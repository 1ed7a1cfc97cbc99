"""Print time and ratio tables from criterion's results, for any bench group.

Usage: python3 benches/ratios.py [--criterion DIR] [--ours PREFIX] [GROUP...]

Reads DIR/<group>/**/new/{benchmark.json,estimates.json} (DIR defaults to
$CARGO_TARGET_DIR/criterion, else target/criterion) and prints, per group and per input, the
mean time of every function, and for each function of ours (its id starts with PREFIX, default
"kinesis-codec") the ratio peer_time / our_time of every other function: above 1 means ours is
that many times faster; for a floor such as a bare CRC, 0.95 means ours takes 5% longer than the
floor. For each floor (an id ending in "-floor") it also prints peer_time / floor_time for every
peer that is not a floor: the most any implementation bounded by that floor can gain over that
peer. Without GROUP, every group found is printed.
"""

import json
import os
import sys
from collections import defaultdict
from pathlib import Path


def load(criterion_dir, groups, since=None):
    # results[group][input] = {function: (mean_ns, bytes)}; with `since` (a time.time()), only
    # the results criterion wrote from then on.
    results = defaultdict(lambda: defaultdict(dict))
    for bench in criterion_dir.glob("**/new/benchmark.json"):
        if since is not None and (bench.parent / "estimates.json").stat().st_mtime < since:
            continue
        meta = json.loads(bench.read_text())
        group = meta["group_id"]
        if groups and group not in groups:
            continue
        estimates = json.loads((bench.parent / "estimates.json").read_text())
        mean_ns = estimates["mean"]["point_estimate"]
        throughput = meta.get("throughput") or {}
        size = throughput.get("Bytes") or throughput.get("BytesDecimal") or throughput.get("Elements")
        function = meta["function_id"] or meta["full_id"]
        results[group][meta.get("value_str") or ""][function] = (mean_ns, size)
    return results


def human_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def main(argv):
    args = argv[1:]
    criterion_dir = Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "criterion"
    ours_prefix = "kinesis-codec"
    groups = []
    while args:
        arg = args.pop(0)
        if arg == "--criterion":
            criterion_dir = Path(args.pop(0))
        elif arg == "--ours":
            ours_prefix = args.pop(0)
        elif arg in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            groups.append(arg)
    results = load(criterion_dir, set(groups))
    if not results:
        print(f"no criterion results under {criterion_dir}", file=sys.stderr)
        return 1
    for group in sorted(results):
        inputs = results[group]
        functions = sorted({f for per in inputs.values() for f in per})
        ours = [f for f in functions if f.startswith(ours_prefix)]
        peers = [f for f in functions if not f.startswith(ours_prefix)]
        floors = [p for p in peers if p.endswith("-floor")]
        ratio_cols = [(o, p) for o in ours for p in peers]
        ratio_cols += [(f, p) for f in floors for p in peers if p not in floors]
        header = ["input"] + functions + [f"{p} / {o}" for o, p in ratio_cols]
        rows = []
        order = sorted(inputs, key=lambda i: min((v[1] or 0) for v in inputs[i].values()))
        for inp in order:
            per = inputs[inp]
            row = [inp]
            for f in functions:
                if f in per:
                    ns, size = per[f]
                    gbs = f" ({size / ns:.3g} GB/s)" if size else ""
                    row.append(human_time(ns) + gbs)
                else:
                    row.append("-")
            for o, p in ratio_cols:
                row.append(f"{per[p][0] / per[o][0]:.2f}" if o in per and p in per else "-")
            rows.append(row)
        widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
        print(f"## {group}\n")
        print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
        print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        for r in rows:
            print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
