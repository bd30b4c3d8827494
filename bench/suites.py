#!/usr/bin/python3
"""Suites by reference: request bytes and wall time of scoring code groups whose 1 MB test suite
is sent inline every time vs registered once and named by Task.ground_truth_ref.

Shape: --groups groups x --group_size completions of one prompt, whose ground truth is an
APPS-style stdin/stdout suite of about --suite_bytes (tests of ~16 KB input each, as in
CodeContests' large tests), scored --steps times (a trainer resends the
same prompt's tests every step/epoch). The completions carry no program (NO_ANSWER at once, no
sandbox), and a per-step tag keeps the result cache out of it, so the figure is what the tests'
bytes cost: the client building and sending them, the server parsing, hashing and preparing
them. Bytes = serialized Score (and RegisterSuite) requests the client sent.
Example (arbiterd running, e.g. scripts/serve or build/server/arbiterd --address=127.0.0.1:50051):
  PYTHONPATH=client/python /usr/bin/python3 bench/suites.py --server=127.0.0.1:50051
"""
import argparse
import json
import time

from arbiter_client import Client, batching, messages


def suite(target_bytes: int) -> str:
    inputs, outputs, size, i = [], [], 0, 0
    while size < target_bytes:
        line = " ".join(str((i * 7919 + j) % 100003) for j in range(2500)) + "\n"
        inputs.append(line)
        outputs.append(f"{sum(int(x) for x in line.split())}\n")
        size += len(line) + len(outputs[-1]) + 8
        i += 1
    return json.dumps({"inputs": inputs, "outputs": outputs})


def groups(truth: str, n: int, size: int, tag: str) -> list:
    out = []
    for g in range(n):
        group = messages.Group(group_id=f"g{g}")
        group.task.verifier = "code"
        group.task.ground_truth = truth
        for s in range(size):
            group.samples.add(completion=f"[{tag}/{g}/{s}] I could not write the program.")
        out.append(group)
    return out


class Counting(Client):
    """A Client that counts the bytes of the requests it sends."""
    sent = 0

    def _score_chunk(self, groups, shaping=None, request_id="", timeout=None):
        self.sent += batching.make_request(groups, shaping, request_id).ByteSize()
        return super()._score_chunk(groups, shaping, request_id, timeout)

    def register_suite(self, content, *, timeout=None):
        self.sent += messages.RegisterSuiteRequest(content=content).ByteSize()
        return super().register_suite(content, timeout=timeout)


def run(args, mode: str, truth: str) -> list:
    client = Counting(args.server, timeout=600,
                      suite_min_bytes=(64 * 1024 if mode == "reference" else None))
    rows = []
    for step in range(args.steps):
        before = client.sent
        batch = groups(truth, args.groups, args.group_size, f"{mode}-{step}-{time.time()}")
        start = time.perf_counter()
        response = client.score(batch)
        wall = time.perf_counter() - start
        bad = [g.status.message for g in response.groups if g.status.code != 0]
        assert not bad, bad[:1]
        outcomes = {messages.outcome_name(s.outcome) for g in response.groups for s in g.samples}
        rows.append((mode, step + 1, client.sent - before, wall, ",".join(sorted(outcomes))))
    client.close()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="127.0.0.1:50051")
    parser.add_argument("--groups", type=int, default=64)
    parser.add_argument("--group_size", type=int, default=8)
    parser.add_argument("--suite_bytes", type=int, default=1 << 20)
    parser.add_argument("--steps", type=int, default=3)
    args = parser.parse_args()
    truth = suite(args.suite_bytes)
    print(f"suite: {len(truth)} bytes, {len(json.loads(truth)['inputs'])} tests; "
          f"{args.groups} groups x {args.group_size} completions, {args.steps} steps")
    print("| mode | step | request bytes | wall s | outcomes |")
    print("|---|---|---|---|---|")
    for mode in ("inline", "reference", "inline", "reference"):
        for row in run(args, mode, truth):
            print(f"| {row[0]} | {row[1]} | {row[2]:,} | {row[3]:.2f} | {row[4]} |")


if __name__ == "__main__":
    main()
