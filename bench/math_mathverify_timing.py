#!/usr/bin/env python3
"""Times Math-Verify on the items the math benchmark uses (verifiers/math/testdata/
bench_items.jsonl), called as verl's/TRL's wrappers call it (see verifiers/math/differential/
mathverify_oracle.py): per-item wall and CPU time, excluding the import. Prints median, p95, p99,
max. Run it with the differential test's virtual environment:

  ${XDG_CACHE_HOME:-$HOME/.cache}/arbiter/venvs/mathverify/bin/python bench/math_mathverify_timing.py
"""
import json
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "verifiers" / "math" / "differential"))

t0 = time.perf_counter()
import mathverify_oracle  # noqa: E402  (imports math_verify)
import_s = time.perf_counter() - t0


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main():
    items = [json.loads(line) for line in open(ROOT / "verifiers/math/testdata/bench_items.jsonl")]
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    wall, cpu = [], []
    for _ in range(rounds):
        for item in items:
            w0, c0 = time.perf_counter(), time.process_time()
            try:
                mathverify_oracle.judge(item["gold"], item["completion"])
            except Exception:  # noqa: BLE001 - timing only
                pass
            wall.append((time.perf_counter() - w0) * 1e6)
            cpu.append((time.process_time() - c0) * 1e6)
    print("math-verify import: %.2f s; %d item checks" % (import_s, len(wall)))
    for name, v in (("wall", wall), ("cpu", cpu)):
        print("%s us: median %.0f  p95 %.0f  p99 %.0f  max %.0f" % (
            name, statistics.median(v), pct(v, 0.95), pct(v, 0.99), max(v)))


if __name__ == "__main__":
    main()
