#!/usr/bin/python3
"""Overload behaves: with the sandbox saturated by hostile code, SAT and math requests on the same
server stay fast (they run on the CPU pool, not the sandbox pool), and sandbox work beyond
capacity is refused at once with RESOURCE_EXHAUSTED and a retry hint instead of expiring queued.

usage: overload_test.py ARBITERD_BINARY CLIENT_PYTHON_DIR      (interpreter: /usr/bin/python3)

Server: --sandbox_concurrency=2. Hostile items: `while True: pass` with 3 s CPU and wall limits
(every item ends TIME_LIMIT after ~3 s, whatever the machine's load). After one warm-up request
(the admission estimate learns the item time), 6 threads flood the sandbox for FLOOD_SECONDS with
2-item requests and a 15 s deadline, retrying 0.25 s after a refusal, while a prober sends SAT
and math requests every 50 ms. Asserted:
  - every SAT/math request answers correctly within LATENCY_BOUND (2 s; typically milliseconds);
  - refusals happen, each within REFUSAL_BOUND (1 s, against a 15 s deadline), RESOURCE_EXHAUSTED
    with "sandbox saturated: ~N items queued ... retry in ~S s", and counted in
    arbiter_rejected_total{reason="sandbox_saturated"};
  - every admitted hostile sample ends TIME_LIMIT (INCORRECT): none expired in the queue;
  - the server serves afterwards. Bounded: about 35 s.
"""
import re
import sys
import threading
import time
import unittest

import grpc

ARBITERD = sys.argv[1]
sys.path.insert(0, sys.argv[2])
import arbiterd as a  # noqa: E402  (tests/reliability, beside this file)

FLOOD_SECONDS = 15.0
FLOOD_DEADLINE = 15.0
LATENCY_BOUND = 2.0
REFUSAL_BOUND = 1.0
HINT = re.compile(r"^sandbox saturated: ~\d+ items queued .*; retry in ~\d+ s$")

_counter = iter(range(10**9))
_counter_lock = threading.Lock()


def hostile_group():
    with _counter_lock:
        n = next(_counter)
    return a.group(f"loop-{n}", a.code_task(cpu_seconds=3, wall_seconds=3),
                   [a.python_block(f"while True:\n    pass\n# {n}.{k}") for k in range(2)])


class OverloadTest(unittest.TestCase):
    def test_sandbox_flood_is_refused_fast_and_cpu_work_stays_fast(self):
        with a.Arbiterd(ARBITERD, "--sandbox_concurrency=2", "--cpu_threads=2") as server:
            warm = server.score([hostile_group()], timeout=60)
            self.assertEqual([a.outcome(s) for s in warm.groups[0].samples],
                             ["INCORRECT", "INCORRECT"], warm)

            stop = threading.Event()
            lock = threading.Lock()
            admitted, refusals, failures, probes = [], [], [], []

            def flood():
                while not stop.is_set():
                    started = time.monotonic()
                    try:
                        response = server.score([hostile_group()], timeout=FLOOD_DEADLINE)
                        with lock:
                            admitted.append((time.monotonic() - started, response))
                    except grpc.RpcError as e:
                        with lock:
                            if e.code() == grpc.StatusCode.RESOURCE_EXHAUSTED:
                                refusals.append((time.monotonic() - started, e.details()))
                            else:
                                failures.append(f"{e.code()}: {e.details()}")
                        time.sleep(0.25)

            def probe():
                k = 0
                while not stop.is_set():
                    k += 1
                    groups = [a.sat_group(f"sat-{k}")] if k % 2 else [a.math_group(f"math-{k}", k)]
                    started = time.monotonic()
                    try:
                        response = server.score(groups, timeout=10)
                        outcomes = [a.outcome(s) for s in response.groups[0].samples]
                        want = (["CORRECT", "INCORRECT", "NO_ANSWER"] if k % 2
                                else ["CORRECT", "CORRECT", "INCORRECT"])
                        with lock:
                            probes.append(time.monotonic() - started)
                            if outcomes != want:
                                failures.append(f"probe {k}: {outcomes}, want {want}")
                    except grpc.RpcError as e:
                        with lock:
                            failures.append(f"probe {k}: {e.code()}: {e.details()}")
                    time.sleep(0.05)

            threads = [threading.Thread(target=flood) for _ in range(6)]
            threads.append(threading.Thread(target=probe))
            for t in threads:
                t.start()
            time.sleep(FLOOD_SECONDS)
            stop.set()
            for t in threads:
                t.join(timeout=FLOOD_DEADLINE + 30)
                self.assertFalse(t.is_alive(), "a client thread did not finish")

            print(f"overload: {len(probes)} SAT/math probes, max latency {max(probes):.3f} s "
                  f"(bound {LATENCY_BOUND} s); {len(admitted)} hostile requests admitted "
                  f"(max {max(d for d, _ in admitted):.1f} s), {len(refusals)} refused "
                  f"(max {max(d for d, _ in refusals):.3f} s, bound {REFUSAL_BOUND} s)"
                  if probes and admitted and refusals else "overload: incomplete run")
            if refusals:
                print(f"overload: a refusal: {refusals[0][1]}")
            self.assertEqual(failures, [])
            self.assertGreaterEqual(len(probes), 20)
            self.assertLess(max(probes), LATENCY_BOUND)

            self.assertGreater(len(refusals), 0, "the flood never exceeded the sandbox")
            for duration, details in refusals:
                self.assertLess(duration, REFUSAL_BOUND, details)
                self.assertRegex(details, HINT)
            self.assertEqual(server.metric("arbiter_rejected_total", reason="sandbox_saturated"),
                             len(refusals))

            self.assertGreater(len(admitted), 2, "the sandbox was never kept busy")
            for duration, response in admitted:
                for sample in response.groups[0].samples:
                    self.assertEqual(a.outcome(sample), "INCORRECT",
                                     f"an admitted hostile item after {duration:.1f} s: {sample}")

            after = server.score([a.sat_group("after")], timeout=10)
            self.assertEqual(a.outcome(after.groups[0].samples[0]), "CORRECT")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
