"""Concurrent single-sample calls share RPCs; each caller gets its own result; fork and pickle."""
import asyncio
import concurrent.futures
import multiprocessing
import pickle
import subprocess
import sys
import threading

from arbiter_client import AsyncClient, Client, results


def counting(client):
    """Wraps the client's RPC so tests can see how many RPCs carried how many groups."""
    sizes = []
    original = client._score_chunk

    def wrapped(groups, *args, **kwargs):
        sizes.append(len(groups))
        return original(groups, *args, **kwargs)

    client._score_chunk = wrapped
    return sizes


def expected_for(cases, i):
    case = cases[i % len(cases)]
    kind = i % 3
    completion = (case.correct, case.wrong, case.no_answer)[kind]
    return case.formula, completion, ("CORRECT", "INCORRECT", "NO_ANSWER")[kind]


def test_threads_are_coalesced_and_each_gets_its_own_result(server, sat_cases):
    client = Client(server, coalesce_window=0.05, coalesce_max_batch=256)
    sizes = counting(client)
    n = 48
    barrier = threading.Barrier(n)

    def call(i):
        formula, completion, want = expected_for(sat_cases, i)
        barrier.wait()
        return client.score_one("sat", formula, completion).outcome, want

    with concurrent.futures.ThreadPoolExecutor(n) as pool:
        got = list(pool.map(call, range(n)))
    assert all(outcome == want for outcome, want in got)
    assert sum(sizes) == n
    assert len(sizes) <= n // 4, f"calls were not coalesced: RPC sizes {sizes}"


def test_coroutines_are_coalesced_and_a_bad_one_fails_alone(server, sat_cases):
    client = AsyncClient(server, coalesce_window=0.05)
    sizes = counting(client._sync)  # async callers share the process's coalescer

    async def main():
        calls = [client.score_one("sat", *expected_for(sat_cases, i)[:2]) for i in range(40)]
        calls.append(client.score_one("no-such-verifier", "A", "x"))
        return await asyncio.gather(*calls, return_exceptions=True)

    got = asyncio.run(main())
    for i, result in enumerate(got[:40]):
        assert result.outcome == expected_for(sat_cases, i)[2]
    # An unknown verifier fails its own group: only its caller gets an ERROR result.
    assert got[40].outcome == "ERROR" and "unknown verifier" in got[40].message
    assert sizes[0] == 41 and len(sizes) < 20


def test_a_cancelled_coroutine_does_not_strand_its_batch(server, sat_cases):
    """asyncio.wait_for or a task's cancel() while the call waits in the coalescer: the others in
    its batch still get their results, and the cancelled group is not sent."""
    client = AsyncClient(server, coalesce_window=0.3)
    sizes = counting(client._sync)

    async def main():
        tasks = [asyncio.ensure_future(client.score_one("sat", *expected_for(sat_cases, i)[:2]))
                 for i in range(12)]
        await asyncio.sleep(0.05)  # all queued, the window still open
        tasks[0].cancel()
        rest = await asyncio.wait_for(asyncio.gather(*tasks[1:]), timeout=20)
        return tasks[0].cancelled(), rest

    cancelled, rest = asyncio.run(main())
    assert cancelled
    assert [r.outcome for r in rest] == [expected_for(sat_cases, i)[2] for i in range(1, 12)]
    assert sum(sizes) == 11


def test_a_cancelled_future_does_not_strand_its_batch(server, sat_cases):
    client = Client(server, coalesce_window=0.3)
    groups = []
    for i in range(6):
        formula, completion, _ = expected_for(sat_cases, i)
        groups.append(results.make_group("sat", formula, [completion]))
    futures = [client.submit_group(g) for g in groups]
    assert futures[2].cancel()
    got = [f.result(timeout=20) for i, f in enumerate(futures) if i != 2]
    want = [expected_for(sat_cases, i)[2] for i in range(6) if i != 2]
    assert [results.group_score(r, 1).samples[0].outcome for r in got] == want


def test_async_callers_on_two_loops_share_batches(server, sat_cases):
    client = AsyncClient(server, coalesce_window=0.1)
    sizes = counting(client._sync)
    barrier = threading.Barrier(2)
    got = {}

    def run(name, offset):
        async def main():
            barrier.wait()
            return await asyncio.gather(*(client.score_one("sat", *expected_for(sat_cases, i)[:2])
                                          for i in range(offset, offset + 20)))
        got[name] = [r.outcome for r in asyncio.run(main())]

    threads = [threading.Thread(target=run, args=(n, o)) for n, o in (("a", 0), ("b", 20))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got["a"] == [expected_for(sat_cases, i)[2] for i in range(20)]
    assert got["b"] == [expected_for(sat_cases, i)[2] for i in range(20, 40)]
    assert sum(sizes) == 40 and len(sizes) <= 4


def _score_in_child(args):
    client, formula, completion = args
    return client.score_one("sat", formula, completion).outcome


def test_forked_children_get_their_own_channel(server, sat_cases):
    client = Client(server)
    case = sat_cases[0]
    assert client.score_one("sat", case.formula, case.correct).outcome == "CORRECT"  # parent first
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(4, mp_context=context) as pool:
        got = list(pool.map(_score_in_child, [(client, case.formula, c)
                                              for c in (case.correct, case.wrong) * 4]))
    assert got == ["CORRECT", "INCORRECT"] * 4
    assert client.score_one("sat", case.formula, case.wrong).outcome == "INCORRECT"  # parent after


def test_client_pickles_as_settings_and_works_in_a_fresh_interpreter(server, sat_cases):
    case = sat_cases[1]
    client = Client(server)
    client.score_one("sat", case.formula, case.correct)  # has a live channel when pickled
    blob = pickle.dumps((client, case.formula, case.no_answer))
    code = ("import pickle, sys\nc, f, x = pickle.loads(sys.stdin.buffer.read())\n"
            "print(c.score_one('sat', f, x).outcome)")
    out = subprocess.run([sys.executable, "-c", code], input=blob, capture_output=True, check=True)
    assert out.stdout.decode().strip() == "NO_ANSWER"
