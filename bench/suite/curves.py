"""Scaling curves for bench/run: `arbiter bench --sweep` runs against the suite's server, written
as CSV and charted as SVG (charts.py)."""
import os

from charts import line_chart
from lib import arbiter_sweep_csv

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


def run_curves(ctx, out_dir):
    """Runs every sweep; writes out_dir/<name>.csv and .svg. Returns [(name, title, command)]."""
    made = []
    for name, title, xlabel, ylabel, sweep, flags, y, quick in CURVES:
        sweep = quick if ctx.quick else sweep
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
    return made


def latency_chart(report, path):
    """The latency distribution of one run (percentiles against rank)."""
    lat = report["latency_ms"]
    pts = [(50, lat["p50"]), (90, lat["p90"]), (95, lat["p95"]), (99, lat["p99"]),
           (99.9, lat["p99_9"]), (100, lat["max"])]
    line_chart(path, "SAT over gRPC, 256-sample batches: latency distribution", "percentile",
               "latency, ms", [("latency", pts)],
               note="load average %.1f; %d calls" % (report["load_average_start"][0],
                                                     report["calls_ok"]))
