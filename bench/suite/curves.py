"""Scaling curves for bench/run: `arbiter bench --sweep` runs against the suite's server, written
as CSV and charted as SVG (charts.py)."""
import os
import re

from charts import line_chart
from lib import arbiter_bench, arbiter_sweep_csv, display, gbench, load_average

# (name, title, x label, y label, sweep, fixed flags, y of a row, quick sweep)
CURVES = [
    ("throughput_vs_concurrency", "SAT over gRPC: throughput against concurrency",
     "calls in flight", "items/s", "concurrency:1,2,4,8,16",
     ["--workload=sat", "--prompts=32", "--group_size=8"], "items_per_s", "concurrency:1,2,4,8"),
    ("cost_vs_batch", "SAT over gRPC: one request's latency against its size",
     "groups of 8 per request", "p50 latency, ms", "prompts:1,4,16,64,128",
     ["--workload=sat", "--group_size=8", "--concurrency=1"], "p50_ms", "prompts:1,4,16,32"),
    ("cost_vs_group_size", "SAT over gRPC: latency against group size (4 groups)",
     "samples per group (G)", "p50 latency, ms", "group_size:2,8,32,64,128",
     ["--workload=sat", "--prompts=4", "--concurrency=1"], "p50_ms", "group_size:2,8,32"),
    ("cost_vs_completion_bytes", "SAT over gRPC: latency against completion size (64 samples)",
     "bytes per completion", "p50 latency, ms", "completion_bytes:512,4096,16384,32768",
     ["--workload=sat", "--prompts=8", "--group_size=8", "--concurrency=1"], "p50_ms",
     "completion_bytes:512,4096,16384"),
    ("cost_vs_tests", "code over gRPC: latency against tests per task (1 group of 4)",
     "unit tests per task", "p50 latency, ms", "tests:1,2,4,8",
     ["--workload=code", "--prompts=1", "--group_size=4", "--concurrency=1"], "p50_ms",
     "tests:1,2,4"),
]


def _smoke_sweep(sweep):
    key, values = sweep.split(":")
    return key + ":" + ",".join(values.split(",")[:2])


def run_curves(ctx, out_dir):
    """Runs every sweep; writes out_dir/<name>.csv and .svg. Returns [(name, title, command)]."""
    made = []
    for name, title, xlabel, ylabel, sweep, flags, y, quick in CURVES:
        sweep = quick if ctx.quick else sweep
        if ctx.smoke:
            sweep = _smoke_sweep(quick)
        bound = [f"--requests={ctx.scale(60)}", f"--duration={ctx.seconds}s", "--warmup=2",
                 f"--input={ctx.shared}/data/saturn/test"]
        rows, text, cmd = arbiter_sweep_csv(ctx.build, ctx.server,
                                            [*flags, f"--sweep={sweep}", *bound])
        with open(os.path.join(out_dir, name + ".csv"), "w") as f:
            f.write(text)
        points = [(float(r["sweep_value"]), float(r[y])) for r in rows]
        loads = ", ".join(r["load_1m"] for r in rows)
        line_chart(os.path.join(out_dir, name + ".svg"), title, xlabel, ylabel,
                   [(y.replace("_", " "), points)], note=f"load average per point: {loads}")
        made.append((name, title, cmd))
    made.append(formula_size(ctx, out_dir))
    made.append(sat_per_literal(ctx, out_dir))
    return made


# Saturn's test files (n literals per clause, k variables, length clauses), smallest first.
SAT_FILES = ["n3_k5_length20", "n3_k5_length25", "n3_k6_length20", "n3_k7_length20",
             "n4_k7_length20", "n3_k7_length40", "n4_k7_length40", "n4_k8_length40",
             "n5_k8_length40", "n6_k7_length40"]
SAT_FILES_QUICK = ["n3_k5_length20", "n3_k7_length40", "n4_k8_length40", "n6_k7_length40"]


def formula_size(ctx, out_dir):
    """SAT: the server's CPU per completion against the formula's size, one `arbiter bench` run
    per Saturn test file (each file: 100 formulas of one shape). x = literals in the formula
    (clauses × literals per clause), the size the verifier's evaluation walks."""
    files = SAT_FILES_QUICK[:2] if ctx.smoke else SAT_FILES_QUICK if ctx.quick else SAT_FILES
    rows, points, cmd = [], [], ""
    for stem in files:
        n, k, length = (int(v) for v in re.match(r"n(\d+)_k(\d+)_length(\d+)", stem).groups())
        r, cmd = arbiter_bench(ctx.build, ctx.server, [
            "--workload=sat", f"--input={ctx.shared}/data/saturn/test/{stem}_sample100.jsonl",
            "--prompts=32", "--group_size=8", "--concurrency=1", "--warmup=2",
            "--requests=1000000", f"--duration={ctx.seconds}s"])
        per_cpu = r.get("items_per_server_cpu_s") or 0
        us = 1e6 / per_cpu if per_cpu else float("nan")
        rows.append(f"{stem},{n},{k},{length},{n * length},{r['items_per_s']:.0f},{us:.2f},"
                    f"{r['latency_ms']['p50']:.3f},{r['load_average_start'][0]:.2f}")
        if per_cpu:
            points.append((n * length, us))
    with open(os.path.join(out_dir, "sat_cost_vs_formula_size.csv"), "w") as f:
        f.write("file,literals_per_clause,variables,clauses,literals,items_per_s,"
                "server_cpu_us_per_item,p50_ms_per_256,load_1m\n" + "\n".join(rows) + "\n")
    line_chart(os.path.join(out_dir, "sat_cost_vs_formula_size.svg"),
               "SAT over gRPC: server CPU per completion against formula size",
               "literals in the formula (clauses × literals per clause)",
               "server CPU µs per completion", [("server CPU per item", points)],
               note=f"{len(points)} Saturn test files (CSV); load average per point: "
               + ", ".join(r.rsplit(",", 1)[1] for r in rows))
    shown = re.sub(r"(--input=\S+/)n\d+_k\d+_length\d+(_sample100\.jsonl)", r"\1${FILE}\2", cmd)
    return ("sat_cost_vs_formula_size",
            "SAT over gRPC: server CPU per completion against formula size (Saturn's test files)",
            shown + " for FILE in " + " ".join(files))


def sat_per_literal(ctx, out_dir):
    """SAT in process: Check()'s CPU per literal against formula size, both encodings
    (verifiers/sat/formula_size_benchmark.cc: synthetic 3-CNF, 8 to 8192 clauses)."""
    b, argv = gbench(ctx.bin("verifiers/sat/sat_formula_size_benchmark"), "BM_Check",
                     ctx.min_time)
    load = load_average()[0]
    rows, series = [], {}
    for x in b:
        encoding = "saturn" if x["name"].startswith("BM_CheckSaturn") else "dimacs"
        clauses, literals = int(x["name"].split("/")[1]), int(x["literals"])
        ns = x["cpu_time"] * {"ns": 1, "us": 1e3, "ms": 1e6}[x["time_unit"]]
        rows.append(f"{encoding},{clauses},{literals},{ns:.1f},{ns / literals:.3f},{load:.2f}")
        series.setdefault(encoding, []).append((literals, ns / literals))
    with open(os.path.join(out_dir, "sat_cost_per_literal.csv"), "w") as f:
        f.write("encoding,clauses,literals,cpu_ns_per_check,cpu_ns_per_literal,load_1m\n"
                + "\n".join(rows) + "\n")
    names = {"saturn": "Saturn encoding (26 vars)", "dimacs": "DIMACS (64 vars)"}
    line_chart(os.path.join(out_dir, "sat_cost_per_literal.svg"),
               "SAT in process: Check() CPU per literal against formula size",
               "literals in the formula (3 per clause; log scale)", "CPU ns per literal",
               [(names[k], pts) for k, pts in series.items()], logx=True,
               note=f"16 planted 3-CNF formulas per size, answered in turn; load average {load:.1f}")
    return ("sat_cost_per_literal",
            "SAT in process: Check() CPU per literal against formula size (synthetic 3-CNF)",
            display(argv))


def groups_chart(growth, out_dir):
    """A request's time against its number of one-sample groups, from the `growth` measure's
    two benchmarks (the dispatcher alone; over gRPC). Returns (name, title, command)."""
    rows, series = [], []
    for key, name in (("dispatcher", "dispatcher alone"), ("grpc", "over gRPC")):
        points = [(n, n * us / 1e3) for n, us in growth[key]["per_group"]]
        series.append((name, points))
        rows += [f"{key},{n},{ms:.3f},{ms * 1e3 / n:.3f},{growth[key]['load']:.2f}"
                 for n, ms in points]
    with open(os.path.join(out_dir, "cost_vs_groups_per_request.csv"), "w") as f:
        f.write("path,groups,ms_per_request,us_per_group,load_1m\n" + "\n".join(rows) + "\n")
    line_chart(os.path.join(out_dir, "cost_vs_groups_per_request.svg"),
               "A request's time against its number of groups (one sample each)",
               "groups in the request", "ms per request", series, proportional=True,
               note="load average " + ", ".join(f"{growth[k]['load']:.1f}"
                                                for k in ("dispatcher", "grpc")))
    return ("cost_vs_groups_per_request",
            "a request's time against its number of groups (dispatcher alone, over gRPC)",
            "; ".join(growth[k]["command"] for k in ("dispatcher", "grpc")))


def latency_chart(report, path):
    """The latency distribution of one run (percentiles against rank)."""
    lat = report["latency_ms"]
    pts = [(50, lat["p50"]), (90, lat["p90"]), (95, lat["p95"]), (99, lat["p99"]),
           (99.9, lat["p99_9"]), (100, lat["max"])]
    line_chart(path, "SAT over gRPC, 256-sample batches: latency distribution", "percentile",
               "latency, ms", [("latency", pts)],
               note="load average %.1f; %d calls" % (report["load_average_start"][0],
                                                     report["calls_ok"]))
