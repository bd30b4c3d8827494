"""Shared helpers of the deploy checks: render a kustomization, and start arbiterd to read the
metric names it really exports. Interpreter: /usr/bin/python3 (Debian's, with python3-yaml)."""
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import yaml


def kustomize_command():
    """`kubectl kustomize` or a standalone `kustomize`; None when neither is installed."""
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    for candidate in [shutil.which("kustomize"),
                      pathlib.Path.home() / ".cache/arbiter/tools/kustomize"]:
        if candidate and os.access(candidate, os.X_OK):
            return [str(candidate), "build"]
    return None


def render(directory):
    out = subprocess.run(kustomize_command() + [str(directory)], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"kustomize {directory} failed: {out.stderr.strip()}")
    return [d for d in yaml.safe_load_all(out.stdout) if d]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Arbiterd:
    """arbiterd on loopback with gRPC on a free port and metrics on another; stops on exit."""

    def __init__(self, binary, *flags):
        self.dir = tempfile.TemporaryDirectory()
        port_file = pathlib.Path(self.dir.name) / "port"
        self.metrics_port = free_port()
        self.proc = subprocess.Popen(
            [binary, "--address=127.0.0.1:0", f"--port_file={port_file}",
             f"--metrics_address=127.0.0.1:{self.metrics_port}", *flags],
            stdout=subprocess.DEVNULL, stderr=open(pathlib.Path(self.dir.name) / "log", "w"))
        deadline = time.time() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("arbiterd did not start: " + self.log())
            time.sleep(0.05)
        self.grpc_port = int(port_file.read_text().strip())

    def log(self):
        return (pathlib.Path(self.dir.name) / "log").read_text()[-2000:]

    def scrape(self):
        url = f"http://127.0.0.1:{self.metrics_port}/metrics"
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.dir.cleanup()


def metric_names(exposition):
    """Every series name in a Prometheus text exposition (histograms give _bucket/_sum/_count)."""
    names = set()
    for line in exposition.splitlines():
        if line and not line.startswith("#"):
            names.add(line.split("{")[0].split(" ")[0])
    return names
