"""Plumbing for bench/run: processes, the server under test, Google Benchmark and `arbiter bench`
runs, the machine's state. Standard library only (runs under Debian's /usr/bin/python3)."""
import json
import os
import pathlib
import platform
import shlex
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load_average():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def machine():
    model = platform.processor() or "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs, {model}, {platform.system()} {platform.release()}"


def commit():
    out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return out.stdout.strip() + (" (+ uncommitted changes)" if dirty else "")


def run(argv, timeout, env=None, check=True):
    """Runs argv; returns stdout. Raises RuntimeError with stderr on failure or timeout."""
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                           env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"timed out after {timeout} s: {shlex.join(map(str, argv))}")
    if check and p.returncode != 0:
        raise RuntimeError(f"exit {p.returncode}: {shlex.join(map(str, argv))}\n{p.stderr[-2000:]}")
    return p.stdout


def display(argv):
    """A command as a reader would type it from the repository root."""
    shown = shlex.join(str(a).replace(str(ROOT) + "/", "") for a in argv)
    return shown.replace(os.path.expanduser("~") + "/", "~/")  # after quoting: ~ must not be


def gbench(binary, pattern, min_time, timeout=600):
    """Google Benchmark results matching `pattern`, as dicts (JSON output)."""
    argv = [binary, f"--benchmark_filter={pattern}", f"--benchmark_min_time={min_time}",
            "--benchmark_format=json"]
    shared = os.environ.get("ARBITER_SHARED_DIR", str(ROOT.parent / "shared"))
    out = json.loads(run(argv, timeout, env={"ARBITER_SHARED_DIR": shared,
                                             "ARBITER_SOURCE_DIR": str(ROOT)}))
    for b in out["benchmarks"]:
        if b.get("error_occurred"):
            raise RuntimeError(f"{b['name']}: {b.get('error_message')}")
    return out["benchmarks"], argv


class Server:
    """arbiterd on 127.0.0.1:0 (gRPC and the HTTP gateway), ready when `arbiter health` says
    SERVING; stopped with SIGTERM (SIGKILL after 30 s) by stop() or the context manager."""

    def __init__(self, build, extra=()):
        self.build = pathlib.Path(build)
        self.dir = tempfile.TemporaryDirectory(prefix="arbiter-bench-")
        d = self.dir.name
        self.argv = [str(self.build / "server/arbiterd"), "--address=127.0.0.1:0",
                     f"--port_file={d}/port", "--metrics_address=",
                     "--http_address=127.0.0.1:0", f"--http_port_file={d}/http_port", *extra]
        self.log = open(f"{d}/log", "w")
        self.proc = subprocess.Popen(self.argv, stdout=self.log, stderr=self.log)
        self.address = "127.0.0.1:" + self._wait_file(f"{d}/port")
        self.http = "127.0.0.1:" + self._wait_file(f"{d}/http_port")
        for _ in range(300):
            if subprocess.run([str(self.build / "client/arbiter"), "health",
                               f"--server={self.address}", "--timeout=1s"],
                              capture_output=True).returncode == 0:
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("arbiterd did not become SERVING")

    def _wait_file(self, path):
        for _ in range(600):
            if self.proc.poll() is not None:
                raise RuntimeError("arbiterd exited: " + open(self.log.name).read()[-2000:])
            if os.path.exists(path) and open(path).read().strip():
                return open(path).read().strip()
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"arbiterd wrote no {path}")

    @property
    def pid(self):
        return self.proc.pid

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        self.dir.cleanup()


def arbiter_bench(build, server, flags, timeout=900, http=None, server_pid=None):
    """`arbiter bench ... --json` against `server` (its HTTP side at `http` when given; server CPU
    read from `server_pid`, default arbiterd's); returns (report, argv as displayed)."""
    argv = [str(pathlib.Path(build) / "client/arbiter"), "bench", f"--server={server.address}",
            f"--server_pid={server_pid or server.pid}", *flags, "--json"]
    if http:
        argv.insert(3, f"--http={http}")
    p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    if p.returncode not in (0, 1) or not p.stdout.strip():
        raise RuntimeError(f"exit {p.returncode}: {display(argv)}\n{p.stderr[-2000:]}")
    shown = [a for a in argv if not a.startswith(("--server=", "--server_pid=", "--http="))]
    return json.loads(p.stdout), display(shown)


def arbiter_sweep_csv(build, server, flags, timeout=1800):
    """`arbiter bench ... --csv` with a --sweep; returns (rows as dicts, argv as displayed)."""
    argv = [str(pathlib.Path(build) / "client/arbiter"), "bench", f"--server={server.address}",
            *flags, "--csv"]
    p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    lines = [line for line in p.stdout.splitlines() if line]
    if p.returncode not in (0, 1) or len(lines) < 2:
        raise RuntimeError(f"exit {p.returncode}: {display(argv)}\n{p.stderr[-2000:]}")
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","))) for line in lines[1:]]
    return rows, p.stdout, display([a for a in argv if not a.startswith("--server=")])


def ensure_venv(path, requirements, timeout=600):
    """A venv at `path` (made by Debian's /usr/bin/python3 -m venv) with `requirements`
    pip-installed from the package index; made once and cached, and made again when its
    `.spec` (the requirements, space-separated, as bench/trainer_traffic/run writes it) differs.
    Built beside, then renamed, so an interrupted install never leaves a half venv. pip keeps its
    downloads in its shared cache ($PIP_CACHE_DIR, else ~/.cache/pip), so a remade venv
    downloads nothing again. Each step is bounded by `timeout` seconds. Returns its python."""
    python = os.path.join(path, "bin", "python")
    spec = " ".join(requirements)
    try:
        with open(os.path.join(path, ".spec")) as f:
            current = f.read().strip()
    except OSError:
        current = None
    if os.path.exists(python) and current in (None, spec):
        return python  # None: made before .spec existed (bench/run's symbeam venv)
    staging = path + ".partial"
    subprocess.run(["rm", "-rf", staging], check=True)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    run(["/usr/bin/python3", "-m", "venv", staging], timeout)
    run([os.path.join(staging, "bin", "python"), "-m", "pip", "install", "--quiet",
         "--disable-pip-version-check", *requirements], timeout)
    with open(os.path.join(staging, ".spec"), "w") as f:
        f.write(spec + "\n")
    # pip and the scripts carry the staging path in their shebangs; bin/python is a symlink and
    # the package import paths are relative, so `bin/python` works after the rename.
    subprocess.run(["rm", "-rf", path], check=True)
    os.rename(staging, path)
    return python


PY = "/usr/bin/python3"
VENVS = os.environ.get("ARBITER_VENV_DIR") or os.path.join(
    os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "arbiter", "venvs")


def row(target, measured, verdict, command, baseline="", ratio=None):
    """One row of RESULTS.md's table, stamped with the load average when it was measured."""
    return {"target": target, "measured": measured, "baseline": baseline,
            "ratio": "" if ratio is None else f"{ratio:.1f}×", "verdict": verdict,
            "command": command, "load": "%.1f" % load_average()[0]}


def met(ok):
    return "met" if ok else "**not met**"
