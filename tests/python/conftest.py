"""Shared fixtures: a real arbiterd on 127.0.0.1:0 and Saturn tasks solved by brute force.

The daemon is $ARBITER_DAEMON, else <repo>/build/server/arbiterd. A missing daemon fails the
session (never a silent skip).
"""
import itertools
import os
import pathlib
import subprocess
import tempfile
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


def daemon_path() -> str:
    path = os.environ.get("ARBITER_DAEMON") or str(REPO / "build" / "server" / "arbiterd")
    if not os.access(path, os.X_OK):
        pytest.fail(f"arbiterd not found at {path}: build it (scripts/build) or set ARBITER_DAEMON")
    return path


def start_daemon(*flags, address="127.0.0.1:0"):
    """Starts arbiterd; returns (process, "127.0.0.1:port") once it serves."""
    tmp = tempfile.mkdtemp(prefix="arbiter-pytest-")
    port_file = os.path.join(tmp, "port")
    log = open(os.path.join(tmp, "log"), "wb")
    proc = subprocess.Popen([daemon_path(), f"--address={address}", f"--port_file={port_file}",
                             "--metrics_address=", *flags], stdout=log, stderr=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if os.path.exists(port_file) and open(port_file).read().strip():
            return proc, f"127.0.0.1:{open(port_file).read().strip()}"
        if proc.poll() is not None:
            break
        time.sleep(0.02)
    proc.kill()
    pytest.fail(f"arbiterd did not start: {open(os.path.join(tmp, 'log')).read()[-2000:]}")


def stop_daemon(proc):
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def server():
    proc, target = start_daemon()
    old = os.environ.get("ARBITER_SERVER")
    os.environ["ARBITER_SERVER"] = target  # adapters and child processes find it here
    yield target
    if old is None:
        os.environ.pop("ARBITER_SERVER", None)
    else:
        os.environ["ARBITER_SERVER"] = old
    stop_daemon(proc)


def satisfies(formula: str, bits: str) -> bool:
    """Saturn encoding: clauses joined by '&', a clause is an OR of literals 'X' / '!X'."""
    for clause in formula.split("&"):
        literals, negate, ok = clause.strip(), False, False
        for ch in literals:
            if ch == "!":
                negate = True
                continue
            value = bits[ord(ch) - ord("A")] == "1"
            ok = ok or (value != negate)
            negate = False
        if not ok:
            return False
    return True


def brute_force(formula: str, k: int):
    """(a satisfying assignment, a falsifying one) over k variables, by enumeration."""
    good = bad = None
    for combo in itertools.product("01", repeat=k):
        bits = "".join(combo)
        if satisfies(formula, bits):
            good = good or bits
        else:
            bad = bad or bits
        if good and bad:
            break
    return good, bad


class SatCase:
    """A generated task with completions that must score 1, 0 and -1."""

    def __init__(self, formula: str, k: int, prompt: str):
        self.formula, self.k, self.prompt = formula, k, prompt
        good, bad = brute_force(formula, k)
        assert good and bad, f"no satisfying/falsifying assignment for {formula}"
        pad = "Let me check each clause in turn. " * 30  # ~1 KB of reasoning
        self.correct = f"{pad}So the answer is \\boxed{{{good}}}"
        self.wrong = f"{pad}So the answer is \\boxed{{{bad}}}"
        self.no_answer = f"{pad}I cannot decide."


@pytest.fixture(scope="session")
def sat_cases(server):
    from arbiter_client import Client
    response = Client(server).generate("sat", {"n": 3, "k": 5, "l": 6, "count": 6, "seed": 11})
    cases = [SatCase(t.sat.clause, t.sat.k, t.prompt) for t in response.tasks]
    assert len(cases) == 6 and all(c.formula for c in cases)
    return cases
