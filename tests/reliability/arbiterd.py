"""The real arbiterd for the reliability tests, and the requests they send it.

Interpreter: Debian's /usr/bin/python3 (python3-grpcio, python3-protobuf); the message classes
come from client/python (arbiter_client.messages, no generated code), whose directory the caller
puts on sys.path before importing this module.

Arbiterd(binary, *flags) starts the server on 127.0.0.1:0 (port read from --port_file, metrics on
a free port), waits until it answers (`wrapper` goes before the command and must exec it, so
that pid is the server's), and on exit sends SIGTERM (SIGKILL after 40 s). Calls go
through raw grpc multicallables, not arbiter_client.Client, so that a refusal is seen as it is
(the client would retry RESOURCE_EXHAUSTED).
"""
import os
import pathlib
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

import grpc
from google.protobuf import json_format

from arbiter_client import messages as m


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Arbiterd:
    def __init__(self, binary, *flags, env=None, wrapper=()):
        self.dir = tempfile.TemporaryDirectory(prefix="arbiter-reliability-")
        port_file = pathlib.Path(self.dir.name) / "port"
        self.log_path = pathlib.Path(self.dir.name) / "log"
        self.metrics_port = free_port()
        self._log_file = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [*wrapper, binary, "--address=127.0.0.1:0", f"--port_file={port_file}",
             f"--metrics_address=127.0.0.1:{self.metrics_port}", *flags],
            stdout=subprocess.DEVNULL, stderr=self._log_file,
            env={**os.environ, **(env or {})})
        deadline = time.time() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("arbiterd did not start: " + self.log())
            time.sleep(0.05)
        self.address = f"127.0.0.1:{int(port_file.read_text().strip())}"
        self.channel = grpc.insecure_channel(
            self.address, options=[("grpc.max_receive_message_length", 256 << 20),
                                   ("grpc.max_send_message_length", 256 << 20)])
        self.score_call = self.channel.unary_unary(
            "/arbiter.v1.Arbiter/Score", request_serializer=m.ScoreRequest.SerializeToString,
            response_deserializer=m.ScoreResponse.FromString)
        self.stream_call = self.channel.unary_stream(
            "/arbiter.v1.Arbiter/ScoreStream", request_serializer=m.ScoreRequest.SerializeToString,
            response_deserializer=m.GroupResult.FromString)
        self.raw_score = self.channel.unary_unary(
            "/arbiter.v1.Arbiter/Score", request_serializer=lambda b: b,
            response_deserializer=m.ScoreResponse.FromString)

    @property
    def pid(self):
        return self.proc.pid

    def log(self):
        return self.log_path.read_text(errors="replace")[-4000:]

    def scrape(self):
        url = f"http://127.0.0.1:{self.metrics_port}/metrics"
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode()

    def metric(self, name, **labels):
        """The value of series `name` with exactly `labels` (in any order); 0 if absent."""
        want = {f'{k}="{v}"' for k, v in labels.items()}
        for line in self.scrape().splitlines():
            series, _, value = line.rpartition(" ")
            base, _, rest = series.partition("{")
            if base == name and set(filter(None, rest.rstrip("}").split(","))) == want:
                return float(value)
        return 0.0

    def score(self, groups, timeout):
        return self.score_call(m.ScoreRequest(groups=groups), timeout=timeout)

    def close(self):
        self.channel.close()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log_file.close()
        self.dir.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def group(group_id, task, completions):
    """A Group from a Task as a JSON-able dict (proto3 JSON names) and completion strings."""
    out = m.Group(group_id=group_id, task=json_format.ParseDict(task, m.Task()))
    for i, completion in enumerate(completions):
        out.samples.add(sample_id=f"{group_id}-{i}", completion=completion)
    return out


def sat_group(group_id):
    """Saturn clause "AB & !A!C & B!D": 1100 satisfies it (CORRECT), 0000 does not."""
    return group(group_id, {"verifier": "sat", "ground_truth": "AB & !A!C & B!D"},
                 ["so \\boxed{1100}", "so \\boxed{0000}", "I cannot decide."])


def math_group(group_id, n=7):
    return group(group_id, {"verifier": "math", "ground_truth": str(n)},
                 [f"The answer is \\boxed{{{n}}}", f"The answer is \\boxed{{\\frac{{{2 * n}}}{{2}}}}",
                  f"The answer is \\boxed{{{n + 1}}}"])


def code_task(cpu_seconds=2.0, wall_seconds=5.0, tests=(("3\n", "6\n"),)):
    return {"verifier": "code",
            "code": {"language": "LANGUAGE_PYTHON",
                     "tests": [{"input": i, "expected_output": o} for i, o in tests],
                     "limits": {"cpu_seconds": cpu_seconds, "wall_seconds": wall_seconds}}}


def python_block(source):
    return f"```python\n{source}\n```"


def outcome(sample):
    return m.outcome_name(sample.outcome)


def read_status(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return -1


def descendants(root):
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            parents[int(name)] = read_status(name, "PPid:")
    count = 0
    for pid in parents:
        p, hops = pid, 0
        while p > 1 and hops < 64:
            p, hops = parents.get(p, -1), hops + 1
            if p == root:
                count += 1
                break
    return count


def files_under(path):
    return sum(len(dirs) + len(files) for _, dirs, files in os.walk(path))
