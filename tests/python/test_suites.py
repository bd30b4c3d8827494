"""Suites by reference against a real arbiterd: RegisterSuite, Task.ground_truth_ref, and
Options.suite_min_bytes (registered once, NOT_FOUND re-sent inline, same results as inline)."""
import pytest

from arbiter_client import ArbiterError, AsyncClient, Client, messages
from arbiter_client.suites import suite_id
from conftest import start_daemon, stop_daemon


def group(case, group_id="g"):
    return {"group_id": group_id, "task": {"verifier": "sat", "ground_truth": case.formula},
            "samples": [{"completion": case.correct}, {"completion": case.wrong},
                        {"completion": case.no_answer}]}


def group_message(case, group_id="g"):
    return messages.coerce(group(case, group_id), messages.Group, "group")


def verdicts(response):
    return [[(s.outcome, s.score, s.reward, s.advantage) for s in g.samples]
            for g in response.groups]


def test_register_suite_returns_the_content_hash_and_a_reference_scores_as_inline(server, sat_cases):
    client = Client(server)
    case = sat_cases[0]
    assert client.register_suite(case.formula) == suite_id(case.formula)
    assert client.register_suite(case.formula.encode()) == suite_id(case.formula)  # idempotent
    by_ref = group(case)
    by_ref["task"] = {"verifier": "sat", "ground_truth_ref": suite_id(case.formula)}
    unknown = group(case, "unknown")
    unknown["task"] = {"verifier": "sat", "ground_truth_ref": suite_id("never registered")}
    both = group(case, "both")
    both["task"]["ground_truth_ref"] = suite_id(case.formula)
    response = client.score([by_ref, unknown, both, group(sat_cases[1], "plain")])
    inline = client.score([group(case)])
    assert verdicts(response)[0] == verdicts(inline)[0]
    assert response.groups[1].status.code == 5  # NOT_FOUND, that group only
    assert "RegisterSuite" in response.groups[1].status.message
    assert response.groups[2].status.code == 3  # INVALID_ARGUMENT: both forms
    assert response.groups[3].status.code == 0 and len(response.groups[3].samples) == 3


def test_suite_min_bytes_sends_large_ground_truths_by_reference_once(server, sat_cases):
    plain = Client(server)
    client = Client(server, suite_min_bytes=1)
    groups = [group(c, f"g{i}") for i, c in enumerate(sat_cases[:3])] * 2
    expected = verdicts(plain.score(groups))
    for _ in range(2):
        assert verdicts(client.score(groups)) == expected
    refs = client._process().suites
    assert refs.by_reference == 12 and refs.resent_inline == 0
    # Below the threshold everything stays inline.
    small = Client(server, suite_min_bytes=10**6)
    assert verdicts(small.score(groups)) == expected
    assert small._process().suites.by_reference == 0


def test_a_suite_the_server_evicted_is_resent_inline_then_registered_again(sat_cases):
    a, b = sat_cases[0], sat_cases[1]
    # Room for either formula but not both (each costs its size + 256 bytes of bookkeeping).
    room = 2 * 256 + len(a.formula) + len(b.formula) - 1
    proc, target = start_daemon(f"--suite_store_bytes={room}")
    try:
        client = Client(target, suite_min_bytes=1)
        expected = verdicts(Client(target).score([group(a)]))
        assert verdicts(client.score([group(a)])) == expected
        client.register_suite(b.formula)  # evicts a behind the client's back
        assert verdicts(client.score([group(a)])) == expected
        refs = client._process().suites
        assert refs.resent_inline == 1
        assert verdicts(client.score([group(a)])) == expected  # registered again
        assert refs.resent_inline == 1 and refs.by_reference == 3
    finally:
        stop_daemon(proc)


def test_a_disabled_store_refuses_registration_and_scores_go_inline(sat_cases):
    proc, target = start_daemon("--suite_store_bytes=0")
    try:
        try:
            Client(target).register_suite("x")
            raise AssertionError("expected FAILED_PRECONDITION")
        except ArbiterError as err:
            assert err.code.name == "FAILED_PRECONDITION"
        client = Client(target, suite_min_bytes=1)
        response = client.score([group(sat_cases[0])])
        assert messages.outcome_name(response.groups[0].samples[0].outcome) == "CORRECT"
        assert client._process().suites.by_reference == 0
        # The stream and the coalescer, each on a client of its own, fall back the same way.
        expected = verdicts(response)
        streamed = Client(target, suite_min_bytes=1)
        assert verdicts(stream(streamed, [group(sat_cases[0])])) == expected
        single = Client(target, suite_min_bytes=1, coalesce_window=0.0)
        assert verdicts(coalesced(single, [group_message(sat_cases[0])])) == expected
        for each in (streamed, single):
            refs = each._process().suites
            assert refs.by_reference == 0 and refs.claim([group_message(sat_cases[1])], 1) == {}
    finally:
        stop_daemon(proc)


def test_a_suite_being_registered_is_claimed_by_one_call_only(sat_cases):
    from arbiter_client.suites import SuiteRefs

    refs = SuiteRefs()
    groups = [group_message(c) for c in sat_cases[:2]] * 2
    first = refs.claim(groups, 1)
    assert sorted(first) == sorted({suite_id(c.formula) for c in sat_cases[:2]})
    assert refs.claim(groups, 1) == {}  # another call meanwhile: inline, no second upload
    assert all(g.task.ground_truth for g in refs.substitute(groups, 1))  # not registered yet
    a, b = list(first)
    refs.record(a, None)
    refs.release(b)  # e.g. that call was cancelled: the next one claims it
    assert list(refs.claim(groups, 1)) == [b]
    sent = refs.substitute(groups, 1)
    assert [g.task.ground_truth_ref == a for g in sent] == [
        suite_id(g.task.ground_truth) == a for g in groups]
    assert refs.claim(groups, len(sat_cases[0].formula) + 10**6) == {}  # all below threshold


def test_async_client_sends_large_ground_truths_by_reference_too(server, sat_cases):
    import asyncio

    from arbiter_client import AsyncClient

    groups = [group(c, f"g{i}") for i, c in enumerate(sat_cases[:3])] * 2
    expected = verdicts(Client(server).score(groups))

    async def run():
        client = AsyncClient(server, suite_min_bytes=1)
        first = await client.score(groups)
        second = await client.score(groups)
        return client, first, second

    client, first, second = asyncio.run(run())
    assert verdicts(first) == expected and verdicts(second) == expected
    refs = client._sync._process().suites
    assert refs.by_reference == 12 and refs.resent_inline == 0


# -- every scoring path: score_stream (sync, async) and the coalesced single-group calls --------
# These start their own arbiterd with metrics on, and prove from the server's side that a suite
# was registered once (arbiter_requests_total{rpc="RegisterSuite"}) and then referenced
# (arbiter_suite_lookups_total{result="hit"}), or lost and recovered (result="miss").

def start_with_metrics(*flags):
    """(process, target, metrics URL) of an arbiterd serving Prometheus metrics."""
    import os
    import time

    proc, target = start_daemon("--metrics_address=127.0.0.1:0", *flags)
    port_file = next(a for a in proc.args if a.startswith("--port_file=")).split("=", 1)[1]
    log = os.path.join(os.path.dirname(port_file), "log")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for line in open(log):
            if "metrics on port" in line:
                return proc, target, f"http://127.0.0.1:{line.split()[4]}/metrics"
        time.sleep(0.02)
    stop_daemon(proc)
    raise AssertionError("arbiterd did not report its metrics port")


def kill(proc):
    """Stops a daemon started by start_with_metrics: SIGKILL, as its metrics server takes over a
    second to drain and nothing of it needs to outlive the test."""
    proc.kill()
    proc.wait(10)


def metric(url, name, **labels):
    import urllib.request

    want = [f'{k}="{v}"' for k, v in labels.items()]
    total = 0.0
    for line in urllib.request.urlopen(url, timeout=10).read().decode().splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            if all(w in line for w in want):
                total += float(line.rsplit(" ", 1)[1])
    return total


def registrations(url):
    return metric(url, "arbiter_requests_total", rpc="RegisterSuite", code="OK")


def lookups(url, result):
    return metric(url, "arbiter_suite_lookups_total", result=result)


def stream(client, groups, shaping=None):
    """score_stream of a Client or an AsyncClient, as a ScoreResponse-like list in request order
    (every index exactly once)."""
    import asyncio

    if hasattr(client, "_sync"):
        async def collect():
            return [r async for r in client.score_stream(groups, shaping)]
        results = asyncio.run(collect())
    else:
        results = list(client.score_stream(groups, shaping))
    assert sorted(r.group_index for r in results) == list(range(len(groups)))
    response = messages.ScoreResponse()
    response.groups.extend(sorted(results, key=lambda r: r.group_index))
    return response


def sync_refs(client):
    return (client._sync if hasattr(client, "_sync") else client)._process().suites


def two_formulas_room(a, b):
    """--suite_store_bytes with room for either formula but not both (size + 256 bytes each)."""
    return f"--suite_store_bytes={2 * 256 + len(a.formula) + len(b.formula) - 1}"


@pytest.mark.parametrize("kind", [Client, AsyncClient], ids=["sync", "async"])
def test_score_stream_registers_a_large_suite_once_then_sends_its_reference(sat_cases, kind):
    proc, target, url = start_with_metrics()
    try:
        groups = [group(c, f"g{i}") for i, c in enumerate(sat_cases[:3])] * 2
        expected = verdicts(Client(target).score(groups))
        assert verdicts(stream(Client(target), groups)) == expected  # inline: no suites
        assert registrations(url) == 0 and lookups(url, "hit") == 0
        client = kind(target, suite_min_bytes=1)
        for _ in range(2):
            assert verdicts(stream(client, groups)) == expected
        assert registrations(url) == 3  # one per distinct formula, not per group or call
        assert lookups(url, "hit") == 12 and lookups(url, "miss") == 0
        assert sync_refs(client).by_reference == 12
        big = kind(target, suite_min_bytes=10**6)  # below the threshold: inline
        assert verdicts(stream(big, groups)) == expected
        assert registrations(url) == 3 and lookups(url, "hit") == 12
    finally:
        kill(proc)


@pytest.mark.parametrize("kind", [Client, AsyncClient], ids=["sync", "async"])
def test_score_stream_resends_an_evicted_suite_inline_with_the_inline_results(sat_cases, kind):
    a, b = sat_cases[0], sat_cases[1]
    proc, target, url = start_with_metrics(two_formulas_room(a, b))
    try:
        client = kind(target, suite_min_bytes=1)
        # a is registered, then b (evicting a): a's reference is NOT_FOUND, re-streamed inline.
        groups = [group(a, "a"), group(b, "b")]
        expected = verdicts(Client(target).score(groups))
        assert verdicts(stream(client, groups)) == expected
        assert registrations(url) == 2
        assert lookups(url, "miss") == 1 and lookups(url, "hit") == 1
        refs = sync_refs(client)
        assert refs.resent_inline == 1 and refs.by_reference == 2
        # Next time a is registered again (evicting b, which is then lost and resent in turn).
        assert verdicts(stream(client, [group(a, "a")])) == [expected[0]]
        assert registrations(url) == 3 and lookups(url, "hit") == 2
        assert refs.resent_inline == 1
    finally:
        kill(proc)


def test_score_stream_resends_a_pair_whole_when_one_of_its_suites_was_lost(sat_cases):
    a, b = sat_cases[0], sat_cases[1]
    proc, target, url = start_with_metrics(two_formulas_room(a, b))
    try:
        pair = [group(a, "a"), group(b, "b")]
        pair[0].update(pair_id="p", pair_role="PAIR_ROLE_POSITIVE")
        pair[1].update(pair_id="p", pair_role="PAIR_ROLE_NEGATIVE")
        inline = Client(target).score(pair)
        assert all(g.status.code == 0 for g in inline.groups)
        client = Client(target, suite_min_bytes=1)
        got = stream(client, pair)
        assert lookups(url, "miss") == 1  # a was lost, so b's pair-shaped result was dropped too
        assert verdicts(got) == verdicts(inline)
        assert sync_refs(client).resent_inline == 1
    finally:
        kill(proc)


def coalesced(client, groups):
    """Each group through the process's coalescer (sync threads or an event loop), as a
    ScoreResponse-like list in order."""
    import asyncio

    if hasattr(client, "_sync"):
        async def gather():
            return await asyncio.gather(*(client.score_group_message(g) for g in groups))
        results = asyncio.run(gather())
    else:
        futures = [client.submit_group(g) for g in groups]
        results = [f.result() for f in futures]
    response = messages.ScoreResponse()
    response.groups.extend(results)
    return response


@pytest.mark.parametrize("kind", [Client, AsyncClient], ids=["sync", "async"])
def test_coalesced_calls_register_a_large_suite_once_then_send_its_reference(sat_cases, kind):
    proc, target, url = start_with_metrics()
    try:
        groups = [group_message(c, f"g{i}")
                  for i, c in enumerate(sat_cases[:3])] * 2
        expected = verdicts(Client(target).score(groups))
        # One coalesced batch per round: it leaves when all six groups are waiting.
        client = kind(target, suite_min_bytes=1, coalesce_window=30.0, coalesce_max_batch=6)
        for _ in range(2):
            assert verdicts(coalesced(client, groups)) == expected
        assert registrations(url) == 3
        assert lookups(url, "hit") == 12 and lookups(url, "miss") == 0
        # score_one / score_group take the same path.
        one = Client(target, suite_min_bytes=1, coalesce_window=0.0)
        sample = one.score_one("sat", sat_cases[3].formula, sat_cases[3].correct)
        assert sample.outcome == "CORRECT"
        assert one.score_group("sat", sat_cases[3].formula, [sat_cases[3].wrong]).samples[0] \
            .outcome == "INCORRECT"
        assert registrations(url) == 4 and lookups(url, "hit") == 14
    finally:
        kill(proc)


@pytest.mark.parametrize("kind", [Client, AsyncClient], ids=["sync", "async"])
def test_coalesced_calls_resend_an_evicted_suite_inline_with_the_inline_results(sat_cases, kind):
    a, b = sat_cases[0], sat_cases[1]
    proc, target, url = start_with_metrics(two_formulas_room(a, b))
    try:
        groups = [group_message(a, "a"), group_message(b, "b")]
        expected = verdicts(Client(target).score(groups))
        client = kind(target, suite_min_bytes=1, coalesce_window=30.0, coalesce_max_batch=2)
        assert verdicts(coalesced(client, groups)) == expected
        assert registrations(url) == 2
        assert lookups(url, "miss") == 1 and lookups(url, "hit") == 1
        assert sync_refs(client).resent_inline == 1
    finally:
        kill(proc)


def test_a_restarted_server_loses_its_suites_and_coalesced_calls_recover_inline(sat_cases):
    proc, target, url = start_with_metrics()
    try:
        groups = [group_message(c, f"g{i}")
                  for i, c in enumerate(sat_cases[:2])]
        expected = verdicts(Client(target).score(groups))
        client = Client(target, suite_min_bytes=1, coalesce_window=30.0, coalesce_max_batch=2)
        assert verdicts(coalesced(client, groups)) == expected
        kill(proc)  # a crash: the store is gone
        proc, _ = start_daemon(address=target)  # same port, empty store
        assert verdicts(coalesced(client, groups)) == expected  # both NOT_FOUND, resent inline
        refs = sync_refs(client)
        assert refs.resent_inline == 2 and refs.by_reference == 4
        assert verdicts(coalesced(client, groups)) == expected  # registered again
        assert refs.resent_inline == 2 and refs.by_reference == 6
    finally:
        kill(proc)


def test_adapters_default_clients_take_suite_min_bytes_from_the_environment(sat_cases,
                                                                            monkeypatch):
    from arbiter_client.adapters import common

    monkeypatch.setenv("ARBITER_SUITE_MIN_BYTES", "1")
    proc, target, url = start_with_metrics()
    try:
        case = sat_cases[4]
        for completion, outcome in ((case.correct, "CORRECT"), (case.wrong, "INCORRECT")):
            assert common.score_one("sat", None, case.formula, completion, target).outcome \
                == outcome
        assert registrations(url) == 1 and lookups(url, "hit") == 2
    finally:
        kill(proc)
