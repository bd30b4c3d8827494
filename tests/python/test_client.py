"""Client and AsyncClient against a real arbiterd: scores, errors, splitting, streaming, retries."""
import asyncio
import socket
import threading
import time

import pytest

from arbiter_client import (ArbiterError, ArbiterUnavailableError, AsyncClient, Client,
                            RetryPolicy, messages)
from conftest import start_daemon, stop_daemon

FAST_RETRY = RetryPolicy(max_attempts=3, initial_backoff=0.01, max_backoff=0.02)


def sat_group(case, group_id="g"):
    return {"group_id": group_id, "task": {"verifier": "sat", "ground_truth": case.formula},
            "samples": [{"completion": case.correct}, {"completion": case.wrong},
                        {"completion": case.no_answer}]}


def outcomes(result):
    return [(messages.outcome_name(s.outcome), s.score) for s in result.samples]


EXPECTED = [("CORRECT", 1.0), ("INCORRECT", 0.0), ("NO_ANSWER", -1.0)]


def test_score_returns_saturn_scores_and_a_bad_group_fails_alone(server, sat_cases):
    client = Client(server)
    bad = {"group_id": "bad", "task": {"verifier": "sat", "ground_truth": "not a formula"},
           "samples": [{"completion": "x"}]}
    typed = messages.coerce(sat_group(sat_cases[1], "typed"), messages.Group, "g")
    response = client.score([sat_group(sat_cases[0]), bad, typed])
    assert [g.group_id for g in response.groups] == ["g", "bad", "typed"]
    assert outcomes(response.groups[0]) == EXPECTED
    assert response.groups[1].status.code == 3 and response.groups[1].status.message
    assert outcomes(response.groups[2]) == EXPECTED
    assert response.server.version


def test_score_one_and_score_group_return_plain_dataclasses(server, sat_cases):
    client = Client(server)
    case = sat_cases[2]
    got = [client.score_one("sat", case.formula, c) for c in (case.correct, case.wrong, case.no_answer)]
    assert [(s.outcome, s.score) for s in got] == EXPECTED
    group = client.score_group("sat", case.formula, [case.correct, case.no_answer])
    assert group.ok and [s.outcome for s in group.samples] == ["CORRECT", "NO_ANSWER"]
    failed = client.score_group("sat", "", [case.correct])
    assert not failed.ok and failed.status_code == "INVALID_ARGUMENT"
    assert failed.samples[0].outcome == "ERROR" and failed.samples[0].is_problem


def test_split_batches_come_back_whole_and_in_order(server, sat_cases):
    client = Client(server, max_groups_per_request=2, max_message_bytes=64 * 1024 + 8000)
    groups = [sat_group(sat_cases[i % len(sat_cases)], f"g{i}") for i in range(15)]
    calls = []
    original = client._score_chunk
    client._score_chunk = lambda chunk, *a, **k: calls.append(len(chunk)) or original(chunk, *a, **k)
    response = client.score(groups)
    assert len(calls) >= 8 and sum(calls) == 15  # split by count (2) and by bytes
    assert [g.group_id for g in response.groups] == [f"g{i}" for i in range(15)]
    assert [g.group_index for g in response.groups] == list(range(15))
    assert all(outcomes(g) == EXPECTED for g in response.groups)


def test_score_stream_yields_every_group_once(server, sat_cases):
    client = Client(server, max_groups_per_request=4)
    groups = [sat_group(c, f"s{i}") for i, c in enumerate(sat_cases)] * 2
    seen = sorted((r.group_index, r.group_id) for r in client.score_stream(groups))
    assert [i for i, _ in seen] == list(range(len(groups)))
    assert [gid for _, gid in seen] == [g["group_id"] for g in groups]


def test_generate_list_verifiers_health(server):
    client = Client(server)
    assert client.health() == "SERVING"
    names = [v.name for v in client.list_verifiers().verifiers]
    assert "sat" in names and names == sorted(names)
    response = client.generate("sat", {"n": 3, "k": 4, "l": 3, "count": 2, "seed": 1})
    assert len(response.tasks) == 2 and response.tasks[0].sat.clause
    with pytest.raises(ValueError, match="params"):
        client.generate("nonsense", {"n": 1})


def test_unknown_verifier_fails_its_group_and_the_neighbours_are_scored(server, sat_cases):
    client = Client(server, retry=FAST_RETRY)
    case = sat_cases[0]
    response = client.score([
        {"task": {"verifier": "no-such", "ground_truth": "A"}, "samples": [{"completion": "x"}]},
        {"task": {"verifier": "sat", "ground_truth": case.formula},
         "samples": [{"completion": case.correct}]},
    ])
    assert response.groups[0].status.code == 3  # INVALID_ARGUMENT, for that group only
    assert "unknown verifier 'no-such'" in response.groups[0].status.message
    assert response.groups[1].status.code == 0
    assert response.groups[1].samples[0].score == 1.0


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_server_raises_loudly_after_bounded_retries():
    client = Client(f"127.0.0.1:{_free_port()}", retry=FAST_RETRY)
    started = time.monotonic()
    with pytest.raises(ArbiterUnavailableError, match="UNAVAILABLE after 3 attempt"):
        client.score_one("sat", "A", "x")
    assert time.monotonic() - started < 10


def test_retries_reach_a_server_that_comes_up_late(sat_cases):
    port = _free_port()
    holder = {}
    timer = threading.Timer(0.6, lambda: holder.update(p=start_daemon(address=f"127.0.0.1:{port}")))
    timer.start()
    try:
        client = Client(f"127.0.0.1:{port}",
                        retry=RetryPolicy(max_attempts=40, initial_backoff=0.05, max_backoff=0.3))
        case = sat_cases[0]
        assert client.score_one("sat", case.formula, case.correct).outcome == "CORRECT"
    finally:
        timer.join()
        if "p" in holder:
            stop_daemon(holder["p"][0])


class FlakyServer:
    """An in-process gRPC server whose Score fails with ``codes`` in turn, then answers."""

    def __init__(self, codes):
        import concurrent.futures
        import grpc
        self.codes, self.attempts = list(codes), 0

        def score(request, context):
            self.attempts += 1
            if self.codes:
                context.abort(self.codes.pop(0), "flaky")
            response = messages.ScoreResponse()
            for i, group in enumerate(request.groups):
                result = response.groups.add(group_index=i, group_id=group.group_id)
                for _ in group.samples:
                    result.samples.add(outcome=1, score=1.0, reward=1.0)
            return response

        handler = grpc.method_handlers_generic_handler("arbiter.v1.Arbiter", {
            "Score": grpc.unary_unary_rpc_method_handler(
                score, request_deserializer=messages.ScoreRequest.FromString,
                response_serializer=messages.ScoreResponse.SerializeToString)})
        self.server = grpc.server(concurrent.futures.ThreadPoolExecutor(2))
        self.server.add_generic_rpc_handlers((handler,))
        self.target = f"127.0.0.1:{self.server.add_insecure_port('127.0.0.1:0')}"
        self.server.start()


def test_only_unavailable_and_resource_exhausted_are_retried():
    import grpc
    codes = grpc.StatusCode
    group = [{"task": {"verifier": "sat", "ground_truth": "A"}, "samples": [{"completion": "x"}]}]
    flaky = FlakyServer([codes.RESOURCE_EXHAUSTED, codes.UNAVAILABLE])
    assert len(Client(flaky.target, retry=FAST_RETRY).score(group).groups) == 1
    assert flaky.attempts == 3
    flaky = FlakyServer([codes.RESOURCE_EXHAUSTED] * 5)
    with pytest.raises(ArbiterUnavailableError, match="RESOURCE_EXHAUSTED after 3 attempt"):
        Client(flaky.target, retry=FAST_RETRY).score(group)
    assert flaky.attempts == 3
    for code in (codes.INVALID_ARGUMENT, codes.INTERNAL, codes.DEADLINE_EXCEEDED):
        flaky = FlakyServer([code])
        with pytest.raises(ArbiterError, match=code.name):
            Client(flaky.target, retry=FAST_RETRY).score(group)
        assert flaky.attempts == 1
    flaky = FlakyServer([codes.UNAVAILABLE])
    assert asyncio.run(AsyncClient(flaky.target, retry=FAST_RETRY).score_one("sat", "A", "x")).correct
    assert flaky.attempts == 2


def test_a_request_over_the_server_queue_is_refused_not_retried():
    proc, target = start_daemon("--max_queued_items=1")
    try:
        client = Client(target, retry=FAST_RETRY)
        group = {"task": {"verifier": "sat", "ground_truth": "A"},
                 "samples": [{"completion": "x"}, {"completion": "y"}]}
        with pytest.raises(ArbiterError, match="INVALID_ARGUMENT.*max_queued_items"):
            client.score([group])
    finally:
        stop_daemon(proc)


def test_async_client_on_several_loops_and_threads(server, sat_cases):
    client = AsyncClient(server)
    case = sat_cases[3]

    async def once():
        response = await client.score([sat_group(case)])
        one = await client.score_one("sat", case.formula, case.wrong)
        streamed = [r async for r in client.score_stream([sat_group(case)] * 3)]
        return outcomes(response.groups[0]), one.outcome, len(streamed)

    want = (EXPECTED, "INCORRECT", 3)
    assert asyncio.run(once()) == want
    assert asyncio.run(once()) == want  # a new loop: a new channel, the old loop is closed
    got = []
    thread = threading.Thread(target=lambda: got.append(asyncio.run(once())))
    thread.start()
    thread.join()
    assert got == [want]
    assert asyncio.run(client.health()) == "SERVING"
