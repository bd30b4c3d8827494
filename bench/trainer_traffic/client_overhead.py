"""(d) The Python client's added cost per sample over raw gRPC, batches of 256.

Interpreter: the bench venv (grpcio, protobuf) with client/python on PYTHONPATH; `run` sets it up.
  python client_overhead.py --server=127.0.0.1:PORT --tasks=tasks.jsonl [--iterations=200]

One Score request of 256 groups x 1 sample (SAT, 2 KB completions, the load generator's mix) is
sent repeatedly, four ways, interleaved call by call (order shuffled each iteration) so that load
from other work hits all four alike:
  raw-bytes   a bare grpc unary_unary stub sending the request pre-serialized (bytes in),
              ScoreResponse.FromString on the answer;
  raw         the same stub taking the ScoreRequest message (SerializeToString per call): what a
              hand-written gRPC caller does;
  client      Client.score(list of 256 Group messages);
  client-dict Client.score(list of 256 proto3-JSON dicts), the documented convenience form.
All four carry the same bytes on the wire (checked). The request repeats, so after the first call
the server answers from its result cache: the server's share is the same small figure for all.
Reported per path: median wall time and median CPU time of this process (all threads) per call,
and the difference to `raw` per sample in microseconds. Prints one JSON line.
"""
import argparse
import json
import os
import random
import statistics
import sys
import time

import grpc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load import Mix  # noqa: E402
from arbiter_client import Client, messages  # noqa: E402
from arbiter_client.batching import make_request  # noqa: E402
from arbiter_client.config import Options  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--tasks", required=True)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()

    tasks = [json.loads(line) for line in open(args.tasks)]
    mix = Mix(tasks, 2048, "overhead")
    dicts, expected = [], []
    for i in range(args.batch):
        task, completion, reward = mix.item(i)
        dicts.append({"group_id": str(i), "task": {"verifier": "sat", "ground_truth": task["clause"]},
                      "samples": [{"completion": completion}]})
        expected.append(reward)
    groups = [messages.coerce(d, messages.Group, "group") for d in dicts]
    request = make_request(groups)
    wire = request.SerializeToString()

    client = Client(args.server)
    channel = grpc.insecure_channel(args.server, Options().channel_options())
    raw_bytes_stub = channel.unary_unary("/arbiter.v1.Arbiter/Score", request_serializer=None,
                                         response_deserializer=messages.ScoreResponse.FromString)
    raw_stub = channel.unary_unary("/arbiter.v1.Arbiter/Score",
                                   request_serializer=messages.ScoreRequest.SerializeToString,
                                   response_deserializer=messages.ScoreResponse.FromString)
    paths = {
        "raw-bytes": lambda: raw_bytes_stub(wire, timeout=60),
        "raw": lambda: raw_stub(request, timeout=60),
        "client": lambda: client.score(groups),
        "client-dict": lambda: client.score(dicts),
    }
    assert make_request(client_groups := [messages.coerce(d, messages.Group, "g") for d in dicts]
                        ).SerializeToString() == wire
    del client_groups
    for name, call in paths.items():
        scores = [g.samples[0].score for g in call().groups]
        if scores != expected:
            raise SystemExit(f"client_overhead: {name} scored {scores[:8]}..., expected "
                             f"{expected[:8]}...")
    wall = {name: [] for name in paths}
    cpu = {name: [] for name in paths}
    order = list(paths)
    for it in range(args.warmup + args.iterations):
        random.shuffle(order)
        for name in order:
            c0, w0 = time.process_time(), time.perf_counter()
            paths[name]()
            w1, c1 = time.perf_counter(), time.process_time()
            if it >= args.warmup:
                wall[name].append(w1 - w0)
                cpu[name].append(c1 - c0)
    out = {"batch": args.batch, "iterations": args.iterations, "request_bytes": len(wire),
           "grpcio": grpc.__version__}
    import google.protobuf
    out["protobuf"] = google.protobuf.__version__
    from google.protobuf.internal import api_implementation
    out["protobuf_backend"] = api_implementation.Type()
    for name in paths:
        out[name] = {"wall_ms_p50": statistics.median(wall[name]) * 1e3,
                     "wall_ms_mean": statistics.fmean(wall[name]) * 1e3,
                     "cpu_ms_p50": statistics.median(cpu[name]) * 1e3,
                     "cpu_ms_mean": statistics.fmean(cpu[name]) * 1e3}
    for name in ("client", "client-dict", "raw"):
        for base in ("raw", "raw-bytes"):
            if name == base:
                continue
            out[f"{name}-vs-{base}_us_per_sample"] = {
                "wall_p50": (statistics.median(wall[name]) - statistics.median(wall[base]))
                * 1e6 / args.batch,
                "cpu_p50": (statistics.median(cpu[name]) - statistics.median(cpu[base]))
                * 1e6 / args.batch}
    print(json.dumps(out))
    client.close()
    channel.close()


if __name__ == "__main__":
    main()
