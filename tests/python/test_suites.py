"""Suites by reference against a real arbiterd: RegisterSuite, Task.ground_truth_ref, and
Options.suite_min_bytes (registered once, NOT_FOUND re-sent inline, same results as inline)."""
from arbiter_client import ArbiterError, Client, messages
from arbiter_client.suites import suite_id
from conftest import start_daemon, stop_daemon


def group(case, group_id="g"):
    return {"group_id": group_id, "task": {"verifier": "sat", "ground_truth": case.formula},
            "samples": [{"completion": case.correct}, {"completion": case.wrong},
                        {"completion": case.no_answer}]}


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
    finally:
        stop_daemon(proc)


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
