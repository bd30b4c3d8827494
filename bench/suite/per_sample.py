"""bench/run's per-sample rows (DESIGN §5: "per-sample HTTP / coalesced Python calls ≥ 10× the
requests/s of a FastAPI/uvicorn server wrapping Saturn's Python reward, same load generator, same
run"). Both compare against the same baseline server, bench/trainer_traffic/saturn_fastapi.py on
uvicorn[standard] (uvloop, httptools), started right after our figure:

- http: slime's per-sample POSTs from one load generator (`arbiter bench --transport=slime`) to
  the gateway, then to the baseline;
- coalesced: 256 asyncio callers of the Python client's `AsyncClient.score_one` in one process
  (how the verl/OpenRLHF/slime adapters call), against 256 aiohttp callers posting to the
  baseline, both from bench/trainer_traffic/load.py.
"""
import contextlib
import json
import os
import subprocess
import tempfile
import time

from lib import ROOT, VENVS, arbiter_bench, display, ensure_venv, met, row, run

# The venv `bench` of bench/trainer_traffic/run, with its spec (keep the two in step): either
# tool makes it and the other reuses it.
BENCH_VENV_SPEC = ["fastapi", "uvicorn[standard]", "aiohttp", "grpcio>=1.85.3", "protobuf"]
TRAFFIC = ROOT / "bench/trainer_traffic"


def bench_venv(ctx):
    """(the bench venv's python, "") or (None, why it cannot be had)."""
    if ctx.smoke:
        return None, "not run in --smoke"
    try:
        return ensure_venv(os.path.join(VENVS, "bench"), BENCH_VENV_SPEC), ""
    except Exception as e:  # noqa: BLE001 - no package index: say so in the row
        return None, str(e).splitlines()[0][:120]


@contextlib.contextmanager
def fastapi_server(venv_python):
    """The baseline on 127.0.0.1:0; yields (pid, port, argv as displayed); stopped on exit."""
    port_file = os.path.join(tempfile.mkdtemp(prefix="arbiter-fastapi-"), "port")
    argv = [venv_python, str(TRAFFIC / "saturn_fastapi.py"), f"--port_file={port_file}",
            "--loop=uvloop", "--http=httptools"]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=str(TRAFFIC))
    try:
        port = ""
        for _ in range(300):
            if proc.poll() is not None:
                raise RuntimeError(f"FastAPI server exited {proc.returncode}")
            if os.path.exists(port_file):
                port = open(port_file).read().strip()
                if port:
                    break
            time.sleep(0.1)
        if not port:
            raise RuntimeError("FastAPI server wrote no port in 30 s")
        yield proc.pid, port, display([a for a in argv if not a.startswith("--port_file")])
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def http(ctx):
    """Per-sample slime traffic, one load generator (arbiter bench), gateway vs FastAPI/uvicorn
    wrapping Saturn's Python reward. The FastAPI venv is made (or found) first, so the two runs
    are back to back."""
    flags = ["--transport=slime", "--workload=sat", f"--input={ctx.shared}/data/saturn/test",
             "--concurrency=64", "--requests=1000000", f"--duration={ctx.seconds}s"]
    target = ("per-sample HTTP (slime protocol) ≥ 10× a FastAPI/uvicorn server wrapping "
              "Saturn's Python reward, same load generator")
    venv_python, why_not = bench_venv(ctx)
    ours, cmd = arbiter_bench(ctx.build, ctx.server, flags, http=ctx.server.http)
    measured = f"{ours['rpc_per_s']:,.0f} req/s (p99 {ours['latency_ms']['p99']:.1f} ms)"
    measured += server_cpu_per_request(ours)
    if venv_python is None:
        return [row(target, measured, "not measured", f"`{cmd}`",
                    f"FastAPI baseline not run ({why_not})")]
    with fastapi_server(venv_python) as (pid, port, base_cmd):
        base, _ = arbiter_bench(ctx.build, ctx.server, flags, http=f"127.0.0.1:{port}",
                                server_pid=pid)
    ratio = ours["rpc_per_s"] / max(1e-9, base["rpc_per_s"])
    command = f"`{cmd}` against arbiterd, then against `{base_cmd}`"
    rows = [row(target, measured, met(ratio >= 10), command,
                f"{base['rpc_per_s']:,.0f} req/s (p99 {base['latency_ms']['p99']:.1f} ms)"
                + server_cpu_per_request(base), ratio)]
    # The same two runs in CPU per request: load-robust (on a loaded shared box the req/s ratio
    # moves with each server's share of the CPUs: uvicorn is one thread), and what the CPU costs
    # predict on idle cores, with the load generator on them too (bench/results/limits.md).
    ours_us, base_us = us_per_request(ours, "server_cpu_s"), us_per_request(base, "server_cpu_s")
    client_us, base_client_us = (us_per_request(ours, "client_cpu_s"),
                                 us_per_request(base, "client_cpu_s"))
    if ours_us and base_us and client_us and base_client_us:
        cpus = ours.get("cpus") or 2
        ours_cap = cpus * 1e6 / (client_us + ours_us)
        base_cap = min(1e6 / base_us, cpus * 1e6 / (base_client_us + base_us))  # one process
        rows.append(row(
            "per-sample HTTP, the same two runs in server CPU per request: FastAPI/uvicorn's ≥ 10× "
            "the gateway's (load-robust view of the row above)",
            f"{ours_us:,.0f} µs per request (load generator {client_us:,.0f} µs); on {cpus} idle "
            f"cores these costs allow ≈ {ours_cap:,.0f} vs ≈ {base_cap:,.0f} req/s (uvicorn: one "
            f"process, one core): {ours_cap / base_cap:.1f}×, and ≤ "
            f"{cpus * 1e6 / client_us / base_cap:.1f}× for a server costing nothing",
            met(base_us / ours_us >= 10), command,
            f"{base_us:,.0f} µs per request (load generator {base_client_us:,.0f} µs)",
            base_us / ours_us))
    return rows


def coalesced(ctx):
    """The Python client's coalesced per-sample calls against the same baseline, one Python load
    generator (load.py) for both: 256 callers each, Saturn tasks from `arbiter gen sat`."""
    target = ("coalesced Python calls (256 asyncio callers of `AsyncClient.score_one`, one "
              "process) ≥ 10× FastAPI/uvicorn driven by the same Python load generator")
    venv_python, why_not = bench_venv(ctx)
    load = [str(TRAFFIC / "load.py"), "--concurrency=256", f"--seconds={ctx.seconds}",
            "--warmup=1"]
    shown = f"`{display(['<bench venv>/bin/python', *load])} --target=client-async`"
    if venv_python is None:
        return [row(target, why_not, "not measured", shown)]
    work = tempfile.mkdtemp(prefix="arbiter-coalesced-")
    tasks = os.path.join(work, "tasks.jsonl")
    gen = [ctx.bin("client/arbiter"), "gen", "sat", "--n=3", "--k=5", "--l=5", "--count=64",
           "--seed=7", f"--server={ctx.server.address}"]
    with open(tasks, "w") as f:
        f.write(run(gen, 60))
    env = {"PYTHONPATH": str(ROOT / "client/python")}
    argv = [venv_python, *load, f"--tasks={tasks}"]

    def measure(*extra):
        out = run([*argv, *extra], 60 + 4 * ctx.seconds, env=env)
        report = json.loads(next(l for l in reversed(out.splitlines()) if l.startswith("{")))
        if report["errors"]:
            raise RuntimeError(f"{report['errors']} wrong answers from {display(extra)}")
        return report

    ours = measure("--target=client-async", f"--server={ctx.server.address}")
    with fastapi_server(venv_python) as (_, port, base_cmd):
        base = measure("--target=http", f"--url=http://127.0.0.1:{port}/slime/reward")
    ratio = ours["rps"] / max(1e-9, base["rps"])
    return [row(target,
                f"{ours['rps']:,.0f} req/s (p50 {ours['p50_ms']:.1f} ms, p99 "
                f"{ours['p99_ms']:.1f} ms); calling process "
                f"{ours['client_cpu_s'] / max(1, ours['requests']) * 1e6:,.0f} µs CPU per call",
                met(ratio >= 10),
                f"{shown} against arbiterd; `--target=http` (aiohttp) against `{base_cmd}`; "
                f"tasks: `{display(gen[:-1])}`",
                f"{base['rps']:,.0f} req/s (p50 {base['p50_ms']:.1f} ms, p99 "
                f"{base['p99_ms']:.1f} ms)", ratio)]


def us_per_request(report, key):
    """`key` (server_cpu_s, client_cpu_s) of an `arbiter bench` report in µs per successful call,
    or None when not measured."""
    cpu, calls = report.get(key), report.get("calls_ok") or 0
    return cpu / calls * 1e6 if cpu and calls else None


def server_cpu_per_request(report):
    """'; server N µs CPU per request' from an `arbiter bench` report ('' when not measured)."""
    us = us_per_request(report, "server_cpu_s")
    return f"; server {us:,.0f} µs CPU per request" if us else ""
