"""One load generator for every target: per-sample SAT reward requests with 2 KB completions.

Interpreter: the bench venv (aiohttp; grpcio + protobuf and client/python on PYTHONPATH for the
client targets); `run` sets it up.

Targets (the same request mix for all):
  --target=http          POST {"prompt", "response", "label"} to --url (slime's remote_rm form;
                         the FastAPI baseline and arbiter's /slime/reward?verifier=sat alike);
                         aiohttp, one keep-alive session per process, --procs processes with
                         --concurrency callers each.
  --target=client        arbiter_client.Client().score_one("sat", clause, completion) from
                         --concurrency threads of ONE process (the client coalesces them).
  --target=client-async  AsyncClient().score_one from --concurrency coroutines of one process.

Request i uses task i % len(tasks); i % 4 in {0, 1}: the task's solution boxed, 2: the solution
with its first bit flipped, 3: no \\boxed at all. Every completion is exactly --completion_bytes
bytes and unique (it starts with a tag naming phase, process and index), so no cache answers it.
Every answer is checked against the expected Saturn reward (computed locally with the baseline's
port). Timing: all processes start at --start_at (epoch seconds), run --warmup seconds unrecorded,
then --seconds recorded (requests completing inside the window count; their latencies are the
percentiles). Prints one JSON line.
"""
import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import sys
import threading
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from saturn_reward import saturn_reward  # noqa: E402

FILLER = open(os.path.join(here, "..", "..", "verifiers", "sat", "testdata",
                           "bench_reasoning.txt")).read()


class Mix:
    def __init__(self, tasks, completion_bytes, tag):
        self.tasks, self.size, self.tag = tasks, completion_bytes, tag

    def item(self, i):
        """(task, completion, expected reward) of request i."""
        task = self.tasks[i % len(self.tasks)]
        kind = i % 4
        if kind in (0, 1):
            tail = f"\n\nSo the assignment is \\boxed{{{task['solution']}}}"
        elif kind == 2:
            bits = task["solution"]
            tail = f"\n\nSo the assignment is \\boxed{{{'1' if bits[0] == '0' else '0'}{bits[1:]}}}"
        else:
            tail = "\n\nI could not finish."
        head = f"[{self.tag}-{i}] "
        room = self.size - len(head) - len(tail)
        filler = (FILLER * (room // len(FILLER) + 1))[:room]
        completion = head + filler + tail
        return task, completion, saturn_reward(completion, task["clause"])


def cpu_now():
    t = os.times()
    return t.user + t.system


class Window:
    """Records latencies of calls that complete inside [start, end] (epoch seconds)."""

    def __init__(self, start, end):
        self.start, self.end = start, end
        self.latencies, self.errors, self.calls = [], 0, 0
        self.cpu = [None, None]
        self.lock = threading.Lock()
        threading.Thread(target=self._sample_cpu, daemon=True).start()

    def _sample_cpu(self):
        for k, at in enumerate((self.start, self.end)):
            time.sleep(max(0.0, at - time.time()))
            self.cpu[k] = cpu_now()

    def record(self, latency, ok):
        now = time.time()
        with self.lock:
            self.calls += 1
            if not ok:
                self.errors += 1
            if self.start <= now <= self.end:
                self.latencies.append(latency)

    def result(self):
        while self.cpu[1] is None:
            time.sleep(0.01)
        return {"latencies": self.latencies, "errors": self.errors, "calls": self.calls,
                "cpu": self.cpu[1] - self.cpu[0]}


async def http_process(args, mix, proc, window, stop_at):
    import aiohttp
    connector = aiohttp.TCPConnector(limit=args.concurrency)
    counter = iter(range(proc, 1 << 62, args.procs))
    headers = {"Content-Type": "application/json"}
    async with aiohttp.ClientSession(connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=180)) as session:
        async def caller():
            while time.time() < stop_at:
                task, completion, expected = mix.item(next(counter))
                body = json.dumps({"prompt": task["prompt"], "response": completion,
                                   "label": task["clause"]})
                start = time.perf_counter()
                ok = False
                try:
                    async with session.post(args.url, data=body, headers=headers) as response:
                        text = await response.read()
                        ok = response.status == 200 and float(text) == expected
                except Exception as err:  # noqa: BLE001 - counted as an error
                    print(f"load: {type(err).__name__}: {err}", file=sys.stderr)
                window.record(time.perf_counter() - start, ok)

        await asyncio.gather(*(caller() for _ in range(args.concurrency)))


def client_threads(args, mix, window, stop_at):
    from arbiter_client import Client
    client = Client(args.server)
    counter = iter(range(1 << 62))
    lock = threading.Lock()

    def caller():
        while time.time() < stop_at:
            with lock:
                i = next(counter)
            task, completion, expected = mix.item(i)
            start = time.perf_counter()
            ok = False
            try:
                ok = client.score_one("sat", task["clause"], completion).score == expected
            except Exception as err:  # noqa: BLE001
                print(f"load: {type(err).__name__}: {err}", file=sys.stderr)
            window.record(time.perf_counter() - start, ok)

    threads = [threading.Thread(target=caller) for _ in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client.close()


async def client_async(args, mix, window, stop_at):
    from arbiter_client import AsyncClient
    client = AsyncClient(args.server)
    counter = iter(range(1 << 62))

    async def caller():
        while time.time() < stop_at:
            task, completion, expected = mix.item(next(counter))
            start = time.perf_counter()
            ok = False
            try:
                ok = (await client.score_one("sat", task["clause"], completion)).score == expected
            except Exception as err:  # noqa: BLE001
                print(f"load: {type(err).__name__}: {err}", file=sys.stderr)
            window.record(time.perf_counter() - start, ok)

    await asyncio.gather(*(caller() for _ in range(args.concurrency)))
    await client.close()


def process(args, proc, out):
    tasks = [json.loads(line) for line in open(args.tasks)]
    mix = Mix(tasks, args.completion_bytes, f"{args.tag}-{proc}")
    time.sleep(max(0.0, args.start_at - time.time()))
    window = Window(args.start_at + args.warmup, args.start_at + args.warmup + args.seconds)
    stop_at = window.end + 0.2
    if args.target == "http":
        asyncio.run(http_process(args, mix, proc, window, stop_at))
    elif args.target == "client":
        client_threads(args, mix, window, stop_at)
    else:
        asyncio.run(client_async(args, mix, window, stop_at))
    out.put(window.result())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", choices=["http", "client", "client-async"], required=True)
    parser.add_argument("--url", help="http: the full reward URL")
    parser.add_argument("--server", help="client: arbiterd's gRPC host:port")
    parser.add_argument("--tasks", required=True, help="JSON lines with clause, prompt, solution")
    parser.add_argument("--procs", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=256, help="callers per process")
    parser.add_argument("--completion_bytes", type=int, default=2048)
    parser.add_argument("--start_at", type=float, default=0.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--tag", default="t")
    args = parser.parse_args()
    if args.target != "http" and args.procs != 1:
        parser.error("the client targets run in one process (coalescing is per process)")
    if not args.start_at:
        args.start_at = time.time() + 1.0
    out = multiprocessing.get_context("fork").Queue()
    procs = [multiprocessing.get_context("fork").Process(target=process, args=(args, p, out))
             for p in range(args.procs)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    latencies = sorted(x for r in results for x in r["latencies"])
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [float("nan")] * 99
    print(json.dumps({
        "target": args.target, "procs": args.procs, "concurrency": args.concurrency,
        "seconds": args.seconds, "requests": len(latencies),
        "rps": len(latencies) / args.seconds, "p50_ms": q[49] * 1e3, "p99_ms": q[98] * 1e3,
        "errors": sum(r["errors"] for r in results), "calls": sum(r["calls"] for r in results),
        "client_cpu_s": sum(r["cpu"] for r in results)}))


if __name__ == "__main__":
    main()
