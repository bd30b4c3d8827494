"""The Python client's side of tests/replicas: scores one batch over and over through
arbiter_client.Client spread round-robin over the replicas, until told to stop.

    python_load.py --target=IP:PORT,IP:PORT,... --reference=IP:PORT --batch=batch.jsonl --dir=D

Scores the batch once on the reference server, then repeats rounds on the replicas until the file
D/stop exists (the round under way completes first). Writes, as they happen:
- D/rounds.jsonl: per round {"round": n, "groups": count, "error": "" or why it differs from the
  reference (any sample scored differently, a group missing or failed, an exception)};
- D/retries.jsonl: per retry {"code", "peer", "method", "attempt"} from the client's
  "arbiter_client.retry" log records.
Exit 0 when every round matched the reference; 1 otherwise (the files say why); 2 on bad usage.
"""
import argparse
import collections
import json
import logging
import os
import sys
import time

from google.protobuf import json_format

from arbiter_client import Client, Options, RetryPolicy, messages


class _RetryFile(logging.Handler):
    def __init__(self, path):
        super().__init__(logging.INFO)
        self._out = open(path, "a", buffering=1)

    def emit(self, record):
        self._out.write(json.dumps({"code": record.arbiter_code, "peer": record.arbiter_peer,
                                    "method": record.arbiter_method,
                                    "attempt": record.arbiter_attempt}) + "\n")


def _differences(batch, response, reference):
    if len(response.groups) != len(batch):
        return f"{len(response.groups)} results for {len(batch)} groups"
    for group, got, want in zip(batch, response.groups, reference.groups):
        if got.group_id != group.group_id or got.status.code != 0:
            return f"group {group.group_id}: {got}"
        for i, (a, b) in enumerate(zip(got.samples, want.samples)):
            if (a.outcome, a.score, a.reward) != (b.outcome, b.score, b.reward):
                return f"{group.group_id} sample {i} scored twice differently: {a} vs {b}"
        if len(got.samples) != len(want.samples):
            return f"{group.group_id}: {len(got.samples)} samples, reference {len(want.samples)}"
    return ""


def main():
    parser = argparse.ArgumentParser()
    for flag in ("--target", "--reference", "--batch", "--dir"):
        parser.add_argument(flag, required=True)
    parser.add_argument("--keepalive", type=float, default=1.0)
    parser.add_argument("--max_in_flight", type=int, default=8)
    args = parser.parse_args()
    batch = [json_format.Parse(line, messages.Group()) for line in open(args.batch) if line.strip()]
    log = logging.getLogger("arbiter_client.retry")
    log.setLevel(logging.INFO)
    log.addHandler(_RetryFile(os.path.join(args.dir, "retries.jsonl")))

    reference = Client(args.reference).score(batch)
    outcomes = collections.Counter(messages.outcome_name(s.outcome)
                                   for g in reference.groups for s in g.samples)
    if (any(g.status.code for g in reference.groups) or outcomes["INFRA_ERROR"]
            or not all(outcomes[o] for o in ("CORRECT", "INCORRECT", "NO_ANSWER"))):
        print(f"python_load: unusable reference scoring: {dict(outcomes)}", file=sys.stderr)
        return 1
    options = Options(timeout=60.0, max_in_flight=args.max_in_flight, max_groups_per_request=16,
                      keepalive_time=args.keepalive, keepalive_timeout=args.keepalive,
                      retry=RetryPolicy(max_attempts=6, initial_backoff=0.05, max_backoff=0.5))
    client = Client(args.target.split(","), options)
    failed = False
    with open(os.path.join(args.dir, "rounds.jsonl"), "a", buffering=1) as rounds:
        n = 0
        while not os.path.exists(os.path.join(args.dir, "stop")):
            started = time.monotonic()
            try:
                error = _differences(batch, client.score(batch), reference)
            except Exception as err:  # pylint: disable=broad-except  # reported, then exit 1
                error = f"{type(err).__name__}: {err}"
            failed = failed or bool(error)
            rounds.write(json.dumps({"round": n, "groups": len(batch), "error": error,
                                     "seconds": round(time.monotonic() - started, 3)}) + "\n")
            n += 1
    client.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
