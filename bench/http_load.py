#!/usr/bin/python3
"""Load generator for arbiterd's HTTP gateway: per-sample SAT requests as the trainers send them.

  --style slime     one shared aiohttp session per process, TCPConnector(limit=concurrency)
                    (keep-alive, as slime's remote_rm);
  --style openrlhf  a new aiohttp session (a new connection) per request, as OpenRLHF's agent.

Prints requests/s and latency percentiles over all processes. Every answer is checked against
the expected Saturn score (1 for a satisfying assignment, 0 for a wrong one).
Example (arbiterd --http_address=127.0.0.1:8080 running):
  /usr/bin/python3 bench/http_load.py --url=http://127.0.0.1:8080 --style=slime \
      --concurrency=256 --requests=20000 --procs=2
"""
import argparse
import asyncio
import multiprocessing
import statistics
import time

import aiohttp

CLAUSE = "!AD!E & A!B!E & A!BD & A!D!E & AC!D"  # arbiter gen sat --n=3 --k=5 --l=5 --seed=7, id 0
GOOD, BAD = "11110", "00010"
PROMPT = "<|im_start|>user\nSolve the SAT problem ... \\boxed{1101} ...<|im_end|>\n<|im_start|>assistant\n"


def payload(style, i):
    bits, expected = (GOOD, 1.0) if i % 2 == 0 else (BAD, 0.0)
    completion = f"[{i}] the answer is \\boxed{{{bits}}}<|im_end|>"
    if style == "slime":
        return {"prompt": PROMPT, "response": completion, "label": CLAUSE}, expected
    return {"query": [PROMPT + completion], "prompts": [PROMPT], "labels": [CLAUSE]}, expected


async def run(args, first, count):
    path = "/slime/reward" if args.style == "slime" else "/get_reward"
    url = args.url.rstrip("/") + path
    latencies, errors = [], 0
    queue = iter(range(first, first + count))
    shared = None
    if args.style == "slime":
        shared = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=args.concurrency),
                                       timeout=aiohttp.ClientTimeout(total=180))

    async def worker():
        nonlocal errors
        for i in queue:
            body, expected = payload(args.style, i)
            start = time.perf_counter()
            try:
                if shared is not None:
                    async with shared.post(url, json=body) as response:
                        response.raise_for_status()
                        answer = await response.json()
                else:
                    async with aiohttp.ClientSession(
                            timeout=aiohttp.ClientTimeout(total=180)) as session:
                        async with session.post(url, json=body) as response:
                            response.raise_for_status()
                            answer = (await response.json())["rewards"][0]
                if answer != expected:
                    errors += 1
            except Exception:
                errors += 1
            latencies.append(time.perf_counter() - start)

    await asyncio.gather(*(worker() for _ in range(args.concurrency)))
    if shared is not None:
        await shared.close()
    return latencies, errors


def process(args, first, count, out):
    out.put(asyncio.run(run(args, first, count)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--style", choices=["slime", "openrlhf"], default="slime")
    parser.add_argument("--concurrency", type=int, default=256, help="in flight, per process")
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--procs", type=int, default=1)
    args = parser.parse_args()
    out = multiprocessing.Queue()
    share = args.requests // args.procs
    procs = [multiprocessing.Process(target=process, args=(args, p * share, share, out))
             for p in range(args.procs)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    elapsed = time.perf_counter() - start
    for p in procs:
        p.join()
    latencies = sorted(x for r in results for x in r[0])
    errors = sum(r[1] for r in results)
    q = statistics.quantiles(latencies, n=100)
    print(f"{args.style}: {len(latencies)} requests, {args.procs}x{args.concurrency} in flight, "
          f"{len(latencies) / elapsed:.0f} req/s, p50 {q[49] * 1e3:.1f} ms, "
          f"p99 {q[98] * 1e3:.1f} ms, errors {errors}")
    raise SystemExit(1 if errors else 0)


if __name__ == "__main__":
    main()
