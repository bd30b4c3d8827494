#!/usr/bin/python3
"""Bounded soak: mixed load against the real arbiterd, watching what it holds.

usage: soak.py ARBITERD_BINARY CLIENT_PYTHON_DIR [--duration=60] [--warmup=10]
               [--rss_growth_mib=64] [--report=FILE]          (interpreter: /usr/bin/python3)

Server: --sandbox_concurrency=2 --cpu_threads=2 --cache_entries=2000 (the cache fills within the
warm-up, so its growth is not mistaken for a leak), TMPDIR a private directory. Load, one thread
each, for --duration seconds: SAT batches (Score and ScoreStream alternately), math batches, beam
batches, and code batches mixing a correct program, a wrong one, an exception, an infinite loop,
an output flood, a memory bomb, a fork bomb and non-ASCII output (1 s CPU, 2 s wall per test).
Completions are distinct per round, so every item is checked. Every second: the server's RSS
(/proc/PID/status VmRSS), open descriptors (/proc/PID/fd), descendant processes, and files under
its TMPDIR.

Asserted: every RPC answers OK with every group and sample (no INFRA_ERROR anywhere: none is
expected with these limits and a 60 s deadline); each program kind gets its outcome; RSS grows
less than --rss_growth_mib from the --warmup mark to the end (the bound is skipped, saying so,
for an AddressSanitizer build, whose quarantine holds freed memory); after the load stops,
descriptors, processes and temporary files return to their idle baseline within 15 s. Prints the
RSS curve; --report writes the figures as Markdown (bench/results/soak.md).
"""
import argparse
import os
import sys
import tempfile
import threading
import time

import grpc

parser = argparse.ArgumentParser()
parser.add_argument("arbiterd")
parser.add_argument("client_python")
parser.add_argument("--duration", type=float, default=60)
parser.add_argument("--warmup", type=float, default=10)
parser.add_argument("--rss_growth_mib", type=float, default=64)
parser.add_argument("--report", default="")
ARGS = parser.parse_args()
sys.path.insert(0, ARGS.client_python)
import arbiterd as a  # noqa: E402  (tests/reliability, beside this file)

CODE_KINDS = [  # (name, program, outcome)
    ("correct", "print(int(input()) * 2)", "CORRECT"),
    ("wrong", "print(int(input()) + 1)", "INCORRECT"),
    ("exception", "input()\nraise ValueError('boom')", "INCORRECT"),
    ("infinite_loop", "while True:\n    pass", "INCORRECT"),
    ("output_flood", "import sys\nwhile True:\n    sys.stdout.write('y' * 65536)", "INCORRECT"),
    ("memory_bomb", "x = []\nwhile True:\n    x.append(bytearray(1 << 26))", "INCORRECT"),
    ("fork_bomb", "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n"
                  "        pass", "INCORRECT"),
    ("non_ascii", "input()\nprint('€Привет' * 50000)", "INCORRECT"),
]


class Load:
    def __init__(self, server):
        self.server = server
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.errors = []
        self.requests = {}
        self.items = {}
        self.code_outcomes = {}
        self.round = 0

    def next_round(self):
        with self.lock:
            self.round += 1
            return self.round

    def record(self, kind, groups, results):
        errors = []
        if len(results) != len(groups):
            errors.append(f"{kind}: {len(results)} results for {len(groups)} groups")
        for g, r in zip(groups, results):
            if r.status.code != 0 or len(r.samples) != len(g.samples):
                errors.append(f"{kind} {g.group_id}: status {r.status}, {len(r.samples)} samples")
            for s in r.samples:
                if a.outcome(s) == "INFRA_ERROR":
                    errors.append(f"{kind} {g.group_id}: INFRA_ERROR {s.message}")
        with self.lock:
            self.errors += errors
            self.requests[kind] = self.requests.get(kind, 0) + 1
            self.items[kind] = self.items.get(kind, 0) + sum(len(g.samples) for g in groups)

    def call(self, kind, groups, stream=False):
        try:
            if stream:
                results = sorted(self.server.stream_call(a.m.ScoreRequest(groups=groups),
                                                         timeout=60),
                                 key=lambda r: r.group_index)
            else:
                results = list(self.server.score(groups, timeout=60).groups)
        except grpc.RpcError as e:
            with self.lock:
                self.errors.append(f"{kind}: {e.code()}: {e.details()}")
            return None
        self.record(kind, groups, results)
        return results

    def sat(self):
        while not self.stop.is_set():
            n = self.next_round()
            groups = []
            for g in range(8):
                bits = [f"{(n + g + j) % 16:04b}" for j in range(6)]
                groups.append(a.group(f"sat-{n}-{g}",
                                      {"verifier": "sat", "ground_truth": "AB & !A!C & B!D"},
                                      [f"try {n}.{g}.{j}: \\boxed{{{b}}}"
                                       for j, b in enumerate(bits)] + [f"no idea {n}.{g}"]))
            self.call("sat", groups, stream=n % 2 == 0)
            time.sleep(0.02)

    def math(self):
        while not self.stop.is_set():
            n = self.next_round()
            groups = [a.group(f"math-{n}-{g}", {"verifier": "math", "ground_truth": str(n + g)},
                              [f"{n}: \\boxed{{{n + g}}}", f"{n}: \\boxed{{\\frac{{{2 * (n + g)}}}{{2}}}}",
                               f"{n}: \\boxed{{x^{g} + {n}}}", f"{n}: I give up"])
                      for g in range(4)]
            self.call("math", groups)
            time.sleep(0.02)

    def beam(self):
        while not self.stop.is_set():
            n = self.next_round()
            groups = [a.group(f"beam-{n}-{g}", {"verifier": "beam",
                                                "ground_truth": '["2.1P", "0.9P"]'},
                              [f"Round {n}.\n</think>\n\\boxed{{2.1P, 0.9P}}",
                               f"Round {n}.\n</think>\n\\boxed{{1.5P, 1.5P}}",
                               f"Round {n}. No box."]) for g in range(3)]
            self.call("beam", groups)
            time.sleep(0.02)

    def code(self):
        while not self.stop.is_set():
            n = self.next_round()
            task = a.code_task(cpu_seconds=1, wall_seconds=2,
                               tests=[(f"{n}\n", f"{2 * n}\n"), (f"{n + 1}\n", f"{2 * n + 2}\n")])
            group = a.group(f"code-{n}", task,
                            [a.python_block(f"{program}\n# {n}") for _, program, _ in CODE_KINDS])
            results = self.call("code", [group])
            if results:
                with self.lock:
                    for (name, _, want), sample in zip(CODE_KINDS, results[0].samples):
                        self.code_outcomes.setdefault(name, set()).add(a.outcome(sample))
                        if a.outcome(sample) != want:
                            self.errors.append(f"code {name}: {a.outcome(sample)}, want {want}: "
                                               f"{sample.message[:200]}")


def sample(server, tmpdir, started):
    return {"t": time.monotonic() - started, "rss_kib": a.read_status(server.pid, "VmRSS:"),
            "fds": len(os.listdir(f"/proc/{server.pid}/fd")), "procs": a.descendants(server.pid),
            "tmp": a.files_under(tmpdir)}


def asan_build(binary):
    with open(binary, "rb") as f:
        return b"__asan_init" in f.read()


def main():
    failures = []
    tmp = tempfile.TemporaryDirectory(prefix="arbiter-soak-tmp-")
    os.chmod(tmp.name, 0o1777)  # like /tmp: the sandbox user reaches the server's files there
    flags = ["--sandbox_concurrency=2", "--cpu_threads=2", "--cache_entries=2000"]
    with a.Arbiterd(ARGS.arbiterd, *flags, env={"TMPDIR": tmp.name}) as server:
        load = Load(server)
        # One round of each kind first, so that the baseline holds what an idle server that has
        # served keeps (connection, compile-cache directory).
        load.call("sat", [a.sat_group("warm")])
        load.call("code", [a.group("warm-code", a.code_task(), [a.python_block(
            "print(int(input()) * 2)")])])
        time.sleep(1)
        baseline = sample(server, tmp.name, time.monotonic())
        print(f"soak: baseline fds {baseline['fds']}, processes {baseline['procs']}, "
              f"temp files {baseline['tmp']}, RSS {baseline['rss_kib'] / 1024:.1f} MiB")

        started = time.monotonic()
        threads = [threading.Thread(target=f) for f in (load.sat, load.math, load.beam, load.code)]
        for t in threads:
            t.start()
        curve = []
        while time.monotonic() - started < ARGS.duration:
            curve.append(sample(server, tmp.name, started))
            time.sleep(1)
        load.stop.set()
        for t in threads:
            t.join(timeout=90)
            if t.is_alive():
                failures.append("a load thread did not finish within 90 s")
        curve.append(sample(server, tmp.name, started))
        settled, waited = None, 0.0
        while waited < 15:
            settled = sample(server, tmp.name, started)
            if (settled["fds"] <= baseline["fds"] and settled["procs"] <= baseline["procs"]
                    and settled["tmp"] <= baseline["tmp"]):
                break
            time.sleep(0.5)
            waited += 0.5
        try:
            alive = server.score([a.sat_group("after")], timeout=10).groups[0].samples[0]
            if a.outcome(alive) != "CORRECT":
                failures.append(f"the server does not serve after the soak: {alive}")
        except grpc.RpcError as e:
            failures.append(f"the server does not serve after the soak ({e.code().name}; "
                            f"arbiterd exit status {server.proc.poll()}); its log ends:\n"
                            + server.log())
        log = server.log()

    at_warmup = next((s for s in curve if s["t"] >= ARGS.warmup), curve[-1])
    after = [s for s in curve if s["t"] >= at_warmup["t"]]
    growth = (max(s["rss_kib"] for s in after) - at_warmup["rss_kib"]) / 1024
    final_growth = (curve[-1]["rss_kib"] - at_warmup["rss_kib"]) / 1024
    print("soak: RSS curve (s: MiB, fds, processes, temp files)")
    for s in curve[::5] + ([curve[-1]] if (len(curve) - 1) % 5 else []):
        print(f"  {s['t']:6.1f}: {s['rss_kib'] / 1024:7.1f} MiB  fds {s['fds']:3d}  "
              f"procs {s['procs']:3d}  tmp {s['tmp']:3d}")
    print(f"soak: requests {load.requests}, samples {load.items}")
    print(f"soak: RSS growth from the {at_warmup['t']:.0f} s mark: max {growth:+.1f} MiB, at the end "
          f"{final_growth:+.1f} MiB (bound {ARGS.rss_growth_mib} MiB)")
    print(f"soak: after the load: fds {settled['fds']} (baseline {baseline['fds']}), processes "
          f"{settled['procs']} ({baseline['procs']}), temp files {settled['tmp']} "
          f"({baseline['tmp']}) after {waited:.1f} s")
    print(f"soak: code outcomes by program: "
          f"{ {k: sorted(v) for k, v in load.code_outcomes.items()} }")

    failures += load.errors[:20]
    if ARGS.duration >= 20 and any(load.requests.get(k, 0) < 2
                                   for k in ("sat", "math", "beam", "code")):
        failures.append(f"too little load ran: {load.requests}")
    if asan_build(ARGS.arbiterd):
        print("soak: RSS bound not checked: AddressSanitizer build (its quarantine holds freed "
              "memory)")
    elif growth >= ARGS.rss_growth_mib:
        failures.append(f"RSS grew {growth:.1f} MiB after warm-up (bound {ARGS.rss_growth_mib})")
    if settled["fds"] > baseline["fds"]:
        failures.append(f"descriptors leaked: {settled['fds']} open, baseline {baseline['fds']}")
    if settled["procs"] > baseline["procs"]:
        failures.append(f"processes left: {settled['procs']}, baseline {baseline['procs']}")
    if settled["tmp"] > baseline["tmp"]:
        failures.append(f"temporary files left: {settled['tmp']}, baseline {baseline['tmp']}")
    tmp.cleanup()

    if ARGS.report:
        write_report(curve, baseline, settled, at_warmup, growth, final_growth, load, failures)
    if failures:
        print("soak: FAILED\n  " + "\n  ".join(failures) + "\nserver log tail:\n" + log[-2000:])
        return 1
    print("soak: PASSED")
    return 0


def write_report(curve, baseline, settled, at_warmup, growth, final_growth, load, failures):
    rows = "\n".join(f"| {s['t']:.0f} | {s['rss_kib'] / 1024:.1f} | {s['fds']} | {s['procs']} | "
                     f"{s['tmp']} |" for s in curve[::5] + [curve[-1]])
    command = ("/usr/bin/python3 tests/reliability/soak.py build/server/arbiterd client/python "
               f"--duration={ARGS.duration:g} --report=bench/results/soak.md")
    with open(ARGS.report, "w") as out:
        out.write(f"""# Soak ({ARGS.duration:g} s, {time.strftime('%Y-%m-%d')})

Command: `{command}` (ctest `reliability_soak` runs the same for 60 s without the report).
Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end (shared with other
builds). Server: `--sandbox_concurrency=2 --cpu_threads=2 --cache_entries=2000`.
Result: **{"PASSED" if not failures else "FAILED: " + "; ".join(failures)}**.

| | |
|---|---|
| requests | {", ".join(f"{k} {v}" for k, v in sorted(load.requests.items()))} |
| samples | {", ".join(f"{k} {v}" for k, v in sorted(load.items.items()))} |
| RSS at the {at_warmup['t']:.0f} s mark | {at_warmup['rss_kib'] / 1024:.1f} MiB |
| RSS growth after it | max {growth:+.1f} MiB, at the end {final_growth:+.1f} MiB (bound {ARGS.rss_growth_mib:g} MiB) |
| descriptors | baseline {baseline['fds']}, after the load {settled['fds']} |
| descendant processes | baseline {baseline['procs']}, after the load {settled['procs']} |
| files under TMPDIR | baseline {baseline['tmp']}, after the load {settled['tmp']} |
| unexpected errors | {len(load.errors)} |

Code programs per round (1 s CPU, 2 s wall, 2 tests): {", ".join(k for k, _, _ in CODE_KINDS)};
outcomes seen: {"; ".join(f"{k} {'/'.join(sorted(v))}" for k, v in load.code_outcomes.items())}.

RSS curve (every 5 s):

| t (s) | RSS (MiB) | fds | processes | temp files |
|---|---|---|---|---|
{rows}
""")


if __name__ == "__main__":
    sys.exit(main())
