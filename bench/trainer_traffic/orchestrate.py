"""Runs the whole trainer-traffic comparison; `run` calls it with the bench venv's python.

Starts arbiterd (gRPC + HTTP gateway, default settings) and the FastAPI/uvicorn baseline in two
configurations, generates Saturn tasks with `arbiter gen sat`, then for each round runs load.py
against every target in turn, sampling each server's CPU time (/proc/PID/stat) over the same
recorded window, and finally client_overhead.py. Stops every process it started. Loopback only.
Writes results.json and summary.md to --out and prints the summary.
"""
import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
TICK = os.sysconf("SC_CLK_TCK")
children = []


def server_cpu(pid):
    """utime + stime of pid and its threads, seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def loadavg():
    return open("/proc/loadavg").read().split()[:3]


def wait_file(path, proc, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if os.path.exists(path) and open(path).read().strip():
            return open(path).read().strip()
        if proc.poll() is not None:
            raise SystemExit(f"orchestrate: {proc.args[0]} exited with {proc.returncode}")
        time.sleep(0.05)
    raise SystemExit(f"orchestrate: {path} not written within {seconds} s")


def wait_binary(path, seconds=300):
    deadline = time.time() + seconds
    while not os.access(path, os.X_OK):  # someone may be rebuilding it right now
        if time.time() > deadline:
            raise SystemExit(f"orchestrate: {path} missing")
        time.sleep(2)


def start(argv, log, affinity=None, env=None):
    def pre():
        os.setpgrp()
        if affinity is not None:
            os.sched_setaffinity(0, affinity)
    proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, preexec_fn=pre, env=env)
    children.append(proc)
    return proc


def stop_all():
    for proc in children:
        if proc.poll() is None:
            proc.terminate()
    for proc in children:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=256, help="callers in all")
    parser.add_argument("--http_procs", type=int, default=2, help="load processes for HTTP")
    parser.add_argument("--tasks", type=int, default=64)
    parser.add_argument("--pin", action="store_true",
                        help="servers on CPU 0, load generator on CPU 1 (else both share all)")
    parser.add_argument("--overhead_iterations", type=int, default=200)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    env = dict(os.environ, PYTHONPATH=os.path.join(REPO, "client", "python"))
    server_cpus = {0} if args.pin else None
    load_cpus = {1} if args.pin else None
    meta = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "loadavg_start": loadavg(),
            "nproc": os.cpu_count(), "python": platform.python_version(),
            "commit": subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                                     capture_output=True, text=True).stdout.strip(),
            "pin": args.pin, "argv": sys.argv[1:]}
    try:
        meta["cpu"] = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                           if line.startswith("model name"))
    except StopIteration:
        pass
    work = tempfile.mkdtemp(prefix="trainer_traffic.")
    log = open(os.path.join(args.out, "servers.log"), "w")
    try:
        daemon = os.path.join(REPO, "build", "server", "arbiterd")
        cli = os.path.join(REPO, "build", "client", "arbiter")
        wait_binary(daemon)
        arbiterd = start([daemon, "--address=127.0.0.1:0", f"--port_file={work}/grpc.port",
                          "--metrics_address=", "--http_address=127.0.0.1:0",
                          f"--http_port_file={work}/http.port"], log, server_cpus)
        grpc_port = wait_file(f"{work}/grpc.port", arbiterd)
        http_port = wait_file(f"{work}/http.port", arbiterd)
        baselines = {}
        for name, loop, http in (("fastapi-h11", "asyncio", "h11"),
                                 ("fastapi-uvloop-httptools", "uvloop", "httptools")):
            proc = start([sys.executable, os.path.join(HERE, "saturn_fastapi.py"),
                          f"--port_file={work}/{name}.port", f"--loop={loop}", f"--http={http}"],
                         log, server_cpus)
            baselines[name] = (proc, wait_file(f"{work}/{name}.port", proc))
        wait_binary(cli)
        tasks = os.path.join(work, "tasks.jsonl")
        with open(tasks, "w") as f:
            subprocess.run([cli, "gen", "sat", "--n=3", "--k=5", "--l=5", f"--count={args.tasks}",
                            "--seed=7", f"--server=127.0.0.1:{grpc_port}"], stdout=f, check=True,
                           timeout=60)
        meta["versions"] = subprocess.run(
            [sys.executable, "-c", "import fastapi, uvicorn, aiohttp, grpc, google.protobuf as p;"
             "print(f'fastapi {fastapi.__version__}, uvicorn {uvicorn.__version__}, aiohttp "
             "{aiohttp.__version__}, grpcio {grpc.__version__}, protobuf {p.__version__}')"],
            capture_output=True, text=True).stdout.strip()

        per_proc = args.concurrency // args.http_procs
        targets = {
            "fastapi-h11": (baselines["fastapi-h11"][0].pid,
                            ["--target=http", f"--url=http://127.0.0.1:{baselines['fastapi-h11'][1]}/slime/reward",
                             f"--procs={args.http_procs}", f"--concurrency={per_proc}"]),
            "fastapi-uvloop-httptools": (baselines["fastapi-uvloop-httptools"][0].pid,
                            ["--target=http", f"--url=http://127.0.0.1:{baselines['fastapi-uvloop-httptools'][1]}/slime/reward",
                             f"--procs={args.http_procs}", f"--concurrency={per_proc}"]),
            "gateway": (arbiterd.pid,
                        ["--target=http", f"--url=http://127.0.0.1:{http_port}/slime/reward?verifier=sat",
                         f"--procs={args.http_procs}", f"--concurrency={per_proc}"]),
            "client-threads": (arbiterd.pid, ["--target=client", f"--server=127.0.0.1:{grpc_port}",
                                              f"--concurrency={args.concurrency}"]),
            "client-asyncio": (arbiterd.pid, ["--target=client-async",
                                              f"--server=127.0.0.1:{grpc_port}",
                                              f"--concurrency={args.concurrency}"]),
        }
        runs = []
        for rnd in range(args.rounds):
            for name, (pid, extra) in targets.items():
                start_at = time.time() + 1.5
                argv = [sys.executable, os.path.join(HERE, "load.py"), f"--tasks={tasks}",
                        f"--start_at={start_at}", f"--warmup={args.warmup}",
                        f"--seconds={args.seconds}", f"--tag={name}-{rnd}"] + extra
                la = loadavg()
                load = start(argv, open(os.path.join(args.out, f"load-{name}-{rnd}.log"), "w"),
                             load_cpus, env)
                time.sleep(max(0.0, start_at + args.warmup - time.time()))
                c0 = server_cpu(pid)
                time.sleep(max(0.0, start_at + args.warmup + args.seconds - time.time()))
                c1 = server_cpu(pid)
                load.wait(timeout=120)
                lines = open(os.path.join(args.out, f"load-{name}-{rnd}.log")).read().splitlines()
                result = json.loads(next(l for l in reversed(lines) if l.startswith("{")))
                result.update(name=name, round=rnd, loadavg=la, server_cpu_s=c1 - c0,
                              server_cpu_us_per_req=(c1 - c0) * 1e6 / max(1, result["requests"]),
                              client_cpu_us_per_req=result["client_cpu_s"] * 1e6
                              / max(1, result["requests"]))
                runs.append(result)
                print(f"round {rnd} {name:26s} {result['rps']:8.0f} req/s  p50 "
                      f"{result['p50_ms']:6.1f} ms  p99 {result['p99_ms']:6.1f} ms  errors "
                      f"{result['errors']}  server CPU {result['server_cpu_us_per_req']:5.0f} µs/req"
                      f"  load-gen CPU {result['client_cpu_us_per_req']:5.0f} µs/req  "
                      f"(loadavg {' '.join(la)})", flush=True)
        overhead = subprocess.run(
            [sys.executable, os.path.join(HERE, "client_overhead.py"),
             f"--server=127.0.0.1:{grpc_port}", f"--tasks={tasks}",
             f"--iterations={args.overhead_iterations}"],
            capture_output=True, text=True, env=env, timeout=300,
            preexec_fn=(lambda: os.sched_setaffinity(0, load_cpus)) if args.pin else None)
        if overhead.returncode:
            raise SystemExit("orchestrate: client_overhead failed:\n" + overhead.stderr)
        overhead = json.loads(overhead.stdout.strip().splitlines()[-1])
        meta["loadavg_end"] = loadavg()
    finally:
        stop_all()
    summary = summarize(meta, runs, overhead)
    json.dump({"meta": meta, "runs": runs, "overhead": overhead},
              open(os.path.join(args.out, "results.json"), "w"), indent=1)
    open(os.path.join(args.out, "summary.md"), "w").write(summary)
    print(summary)
    if any(r["errors"] for r in runs):
        raise SystemExit("orchestrate: some answers were wrong (see errors)")


def summarize(meta, runs, overhead):
    lines = [f"date {meta['date']}, commit {meta['commit']}, {meta['nproc']} cores "
             f"({meta.get('cpu', '?')}), load average at start {' '.join(meta['loadavg_start'])}, "
             f"at end {' '.join(meta['loadavg_end'])}; "
             + ("servers pinned to CPU 0, load generator to CPU 1" if meta["pin"]
                else "servers and load generator share all cores"),
             meta.get("versions", ""), "",
             "| target | round | req/s | p50 ms | p99 ms | errors | server CPU µs/req | "
             "load-gen CPU µs/req | load avg (1 min) |", "|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        lines.append(f"| {r['name']} | {r['round']} | {r['rps']:,.0f} | {r['p50_ms']:.1f} | "
                     f"{r['p99_ms']:.1f} | {r['errors']} | {r['server_cpu_us_per_req']:.0f} | "
                     f"{r['client_cpu_us_per_req']:.0f} | {r['loadavg'][0]} |")
    best = {}
    for r in runs:
        best.setdefault(r["name"], []).append(r)
    med = {k: statistics.median(x["rps"] for x in v) for k, v in best.items()}
    cpu = {k: statistics.median(x["server_cpu_us_per_req"] for x in v) for k, v in best.items()}
    lines += ["", "Ratios (median over rounds of req/s; server CPU per request in brackets):"]
    for base in ("fastapi-h11", "fastapi-uvloop-httptools"):
        for ours in ("gateway", "client-threads", "client-asyncio"):
            lines.append(f"- {ours} / {base}: {med[ours] / med[base]:.1f}x req/s "
                         f"[{cpu[base] / cpu[ours]:.1f}x less server CPU per request]")
    o = overhead
    lines += ["", f"(d) batch of {o['batch']} (request {o['request_bytes']:,} bytes), "
              f"{o['iterations']} interleaved calls per path, grpcio {o['grpcio']}, protobuf "
              f"{o['protobuf']} ({o['protobuf_backend']}):", "",
              "| path | wall p50 ms | CPU p50 ms (this process) |", "|---|---|---|"]
    for name in ("raw-bytes", "raw", "client", "client-dict"):
        lines.append(f"| {name} | {o[name]['wall_ms_p50']:.2f} | {o[name]['cpu_ms_p50']:.2f} |")
    lines.append("")
    for key in ("client-vs-raw", "client-vs-raw-bytes", "client-dict-vs-raw",
                "client-dict-vs-raw-bytes", "raw-vs-raw-bytes"):
        d = o[key + "_us_per_sample"]
        lines.append(f"- {key}: {d['wall_p50']:+.1f} µs/sample wall, {d['cpu_p50']:+.1f} µs/sample CPU")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
