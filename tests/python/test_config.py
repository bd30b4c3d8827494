"""Server address resolution, import-time side effects, batch splitting (no server needed)."""
import subprocess
import sys

import pytest

from arbiter_client import batching, config, messages, results
from arbiter_client.errors import ArbiterError


@pytest.mark.parametrize("given,want", [
    ("example.org", "example.org:50051"),
    ("example.org:7000", "example.org:7000"),
    ("10.0.0.5", "10.0.0.5:50051"),
    ("[::1]", "[::1]:50051"),
    ("[::1]:9", "[::1]:9"),
    ("::1", "[::1]:50051"),
    ("dns:///svc.ns:50051", "dns:///svc.ns:50051"),
    ("unix:/tmp/a.sock", "unix:/tmp/a.sock"),
])
def test_resolve_server_adds_the_default_port_never_443(given, want):
    assert config.resolve_server(given) == want


@pytest.mark.parametrize("given,want", [
    ("10.0.0.2:7000,10.0.0.3", "ipv4:10.0.0.2:7000,10.0.0.3:50051"),
    (["10.0.0.2", "10.0.0.3:1"], "ipv4:10.0.0.2:50051,10.0.0.3:1"),
    (("[::1]:7000", "::2"), "ipv6:[::1]:7000,[::2]:50051"),
    ("10.0.0.2, 10.0.0.3", "ipv4:10.0.0.2:50051,10.0.0.3:50051"),
    ("ipv4:10.0.0.2:1,10.0.0.3:1", "ipv4:10.0.0.2:1,10.0.0.3:1"),
])
def test_resolve_server_makes_one_target_of_several_replicas(given, want):
    assert config.resolve_server(given) == want


@pytest.mark.parametrize("given", ["a.svc:1,b.svc:1", "10.0.0.2,[::1]", "10.0.0.2,", ["10.0.0.2", "x"]])
def test_resolve_server_refuses_lists_no_target_can_hold(given):
    with pytest.raises(ValueError, match="dns:///"):
        config.resolve_server(given)


def test_channel_options_balance_round_robin_and_keep_alive():
    opts = dict(config.Options().channel_options())
    assert opts["grpc.lb_policy_name"] == "round_robin"
    assert opts["grpc.keepalive_time_ms"] == 10_000
    assert opts["grpc.keepalive_timeout_ms"] == 5_000
    assert opts["grpc.http2.max_pings_without_data"] == 0
    plain = dict(config.Options(lb_policy=None, keepalive_time=None).channel_options())
    assert "grpc.lb_policy_name" not in plain and "grpc.keepalive_time_ms" not in plain


def test_resolve_server_precedence(monkeypatch):
    monkeypatch.delenv("ARBITER_SERVER", raising=False)
    assert config.resolve_server() == "127.0.0.1:50051"
    monkeypatch.setenv("ARBITER_SERVER", "envhost")
    assert config.resolve_server() == "envhost:50051"
    assert config.resolve_server("arg:1") == "arg:1"


def test_suite_min_bytes_defaults_to_the_environment(monkeypatch):
    from arbiter_client import Options
    monkeypatch.delenv("ARBITER_SUITE_MIN_BYTES", raising=False)
    assert Options().suite_min_bytes is None
    monkeypatch.setenv("ARBITER_SUITE_MIN_BYTES", "65536")
    assert Options().suite_min_bytes == 65536
    assert Options(suite_min_bytes=None).suite_min_bytes is None  # explicit wins
    monkeypatch.setenv("ARBITER_SUITE_MIN_BYTES", "64k")
    with pytest.raises(ValueError, match="ARBITER_SUITE_MIN_BYTES"):
        Options()


def test_resolve_server_rejects_urls():
    with pytest.raises(ValueError, match="host:port"):
        config.resolve_server("https://example.org")


def test_import_opens_no_channel_and_starts_no_thread():
    code = ("import threading, arbiter_client, arbiter_client.adapters.verl, "
            "arbiter_client.adapters.trl, arbiter_client.adapters.slime, "
            "arbiter_client.adapters.openrlhf\n"
            "c = arbiter_client.Client('127.0.0.1:1')\n"
            "print(threading.active_count(), c._state)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "None"]


def _group(i, size):
    return results.make_group("sat", "A", ["x" * size], group_id=str(i))


def test_split_by_count_and_bytes_keeps_order():
    groups = [_group(i, 1000) for i in range(10)]
    chunks = batching.split(groups, max_bytes=10**9, max_groups=3)
    assert [len(c) for _, c in chunks] == [3, 3, 3, 1]
    assert [s for s, _ in chunks] == [0, 3, 6, 9]
    big = [_group(i, 30_000) for i in range(10)]
    chunks = batching.split(big, max_bytes=64 * 1024 + 100_000, max_groups=1000)
    assert all(sum(g.ByteSize() for g in c) <= 100_000 for _, c in chunks)
    assert [g.group_id for _, c in chunks for g in c] == [str(i) for i in range(10)]
    assert len(chunks) == 4


def test_split_refuses_a_group_over_the_limit():
    with pytest.raises(ArbiterError, match="max_message_bytes"):
        batching.split([_group(0, 200_000)], max_bytes=64 * 1024 + 1000, max_groups=10)


def test_groups_accept_dicts_and_foreign_messages():
    as_dict = {"group_id": "g", "task": {"verifier": "sat", "ground_truth": "A"},
               "samples": [{"completion": "c"}]}
    group = batching.coerce_groups([as_dict])[0]
    assert group.task.ground_truth == "A" and group.samples[0].completion == "c"
    with pytest.raises(TypeError, match="list of groups"):
        batching.coerce_groups(as_dict)
    with pytest.raises(ValueError, match="groups\\[0\\]"):
        batching.coerce_groups([{"task": {"nope": 1}}])
    assert messages.coerce(group, messages.Group, "g") is group


def test_non_string_labels_are_sent_as_json():
    group = results.make_group("code", {"inputs": ["1"], "outputs": ["2"]}, ["c"])
    assert group.task.ground_truth == '{"inputs": ["1"], "outputs": ["2"]}'
    assert not group.task.mode  # mode only when given
    assert results.make_group("sat", "A", ["c"], mode="compat").task.mode == "compat"
