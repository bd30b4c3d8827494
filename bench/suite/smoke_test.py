#!/usr/bin/python3
"""ctest bench_smoke: runs `bench/run --smoke` (every measure and curve for about a second, into a
temporary directory) and checks that what it writes is well formed and error free: no failed
measure, a complete table row per target, parseable last_run.json, an SVG with points and a CSV
with rows for every curve, and bench/RESULTS.md untouched. Not figures: the smoke run is too short
and the machine too shared for them to mean anything.

  /usr/bin/python3 bench/suite/smoke_test.py --build=BUILD_DIR
"""
import argparse
import json
import math
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parents[2]
VERDICTS = {"met", "**not met**", "not measured"}
COLUMNS = 7
REQUIRED_CHARTS = ["throughput_vs_concurrency", "cost_vs_batch", "cost_vs_group_size",
                   "cost_vs_completion_bytes", "cost_vs_tests", "sat_cost_vs_formula_size",
                   "sat_cost_per_literal", "cost_vs_groups_per_request", "latency_distribution"]


def table_rows(text):
    """The rows of the first table under '## Targets (this run)', split on unescaped '|'."""
    section = text.split("## Targets (this run)", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")][2:]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines]


def check(out_dir, errors):
    def fail(msg):
        errors.append(msg)

    md = (out_dir / "RESULTS.md").read_text()
    if not md.startswith("# Benchmark results\n") or "bench/run --smoke" not in md:
        fail("RESULTS.md: header missing")
    if "failed" in md.split("## Scaling curves", 1)[0].split("## Targets (this run)", 1)[1]:
        fail("RESULTS.md lists failed measures")
    rows = table_rows(md)
    if len(rows) < 10:
        fail(f"RESULTS.md: {len(rows)} target rows, expected at least 10")
    for r in rows:
        if len(r) != COLUMNS:
            fail(f"row with {len(r)} columns: {r[:1]}")
            continue
        target, measured, _, ratio, verdict, load, command = r
        if not target or not measured or not command.startswith("`"):
            fail(f"incomplete row: {target!r}")
        if verdict not in VERDICTS:
            fail(f"{target}: verdict {verdict!r}")
        if ratio and not re.fullmatch(r"[\d.]+×", ratio):
            fail(f"{target}: ratio {ratio!r}")
        if not re.fullmatch(r"\d+\.\d", load):
            fail(f"{target}: load {load!r}")
        if re.search(r"\bnan\b|\binf\b", measured + ratio):
            fail(f"{target}: non-finite figure in {measured!r} {ratio!r}")

    run = json.loads((out_dir / "last_run.json").read_text())
    if run.get("failures"):
        fail(f"last_run.json failures: {run['failures']}")
    if not run.get("smoke") or len(run.get("rows", [])) != len(rows):
        fail("last_run.json: not a smoke run or rows differ from RESULTS.md")

    links = re.findall(r"\]\((curves/[\w]+\.svg)\)", md)
    for name in REQUIRED_CHARTS:
        if f"curves/{name}.svg" not in links:
            fail(f"RESULTS.md does not link the chart {name}")
    for link in links:
        svg = out_dir / link
        try:
            tree = ET.parse(svg)
        except (OSError, ET.ParseError) as e:
            fail(f"{link}: {e}")
            continue
        ns = "{http://www.w3.org/2000/svg}"
        circles = tree.getroot().findall(f"{ns}circle")
        if not circles:
            fail(f"{link}: no points")
        for c in circles:
            if not all(math.isfinite(float(c.get(k))) for k in ("cx", "cy")):
                fail(f"{link}: a point off the chart")
        csv = svg.with_suffix(".csv")
        if csv.exists():  # the latency distribution has no CSV of its own
            lines = csv.read_text().splitlines()
            if len(lines) < 2 or any(len(x.split(",")) != len(lines[0].split(",")) for x in lines):
                fail(f"{csv.name}: malformed CSV")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=str(ROOT / "build"))
    args = parser.parse_args()
    data = pathlib.Path(os.environ.get("ARBITER_SHARED_DIR", ROOT.parent / "shared"))
    if not (data / "data/saturn/test").is_dir():
        print(f"skipped: no Saturn test data under {data} (set ARBITER_SHARED_DIR)")
        return 77  # ctest SKIP_RETURN_CODE
    kept = [ROOT / "bench/RESULTS.md", ROOT / "bench/results/last_run.json"]
    before = [p.stat().st_mtime_ns if p.exists() else None for p in kept]
    with tempfile.TemporaryDirectory(prefix="arbiter-bench-smoke-") as d:
        out_dir = pathlib.Path(d)
        p = subprocess.run(["/usr/bin/python3", str(ROOT / "bench/suite/run.py"), "--smoke",
                            f"--build={args.build}", f"--out_dir={d}"],
                           capture_output=True, text=True, timeout=300)
        errors = []
        if p.returncode != 0:
            errors.append(f"bench/run --smoke exited {p.returncode}")
        try:
            check(out_dir, errors)
        except Exception as e:  # noqa: BLE001 - a missing file is a failure like the others
            errors.append(f"{type(e).__name__}: {e}")
        after = [p.stat().st_mtime_ns if p.exists() else None for p in kept]
        if before != after:
            errors.append("bench/run --smoke wrote into bench/")
        if errors:
            sys.stdout.write(p.stderr[-6000:])
            for e in errors:
                print("FAIL:", e)
            return 1
    print("bench/run --smoke: report well formed, no failures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
