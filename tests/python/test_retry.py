"""Which failures the client retries: UNAVAILABLE, RESOURCE_EXHAUSTED, and a CANCELLED the
server side caused (gRPC ends calls that reach a stopping server that way), never a local
cancellation or a client error."""
import logging

import grpc
import pytest

from arbiter_client.config import RetryPolicy
from arbiter_client.errors import ArbiterError
from arbiter_client.retry import call, peer_of, retryable


class _Error(grpc.RpcError):
    def __init__(self, code, details=""):
        super().__init__()
        self._code, self._details = code, details

    def code(self):
        return self._code

    def details(self):
        return self._details


def test_retryable_codes():
    assert retryable(_Error(grpc.StatusCode.UNAVAILABLE))
    assert retryable(_Error(grpc.StatusCode.RESOURCE_EXHAUSTED))
    assert retryable(_Error(grpc.StatusCode.CANCELLED, "Cancelled"))
    assert not retryable(_Error(grpc.StatusCode.CANCELLED, "Locally cancelled by application!"))
    for code in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.DEADLINE_EXCEEDED,
                 grpc.StatusCode.INTERNAL, grpc.StatusCode.UNIMPLEMENTED):
        assert not retryable(_Error(code)), code


class _Blocking(_Error):
    """Like grpcio's error of a blocking call: the peer only inside the debug string."""

    def debug_error_string(self):
        return ('UNKNOWN:Error received from peer ipv4:10.0.0.3:50051 {grpc_message:"Socket '
                'closed", grpc_status:14, created_time:"2026-12-01T05:00:00+00:00"}')


def test_each_retry_is_logged_with_code_and_peer(caplog):
    calls = []

    def fn(timeout):
        calls.append(timeout)
        if len(calls) < 3:
            raise _Blocking(grpc.StatusCode.UNAVAILABLE, "Socket closed")
        return "ok"

    policy = RetryPolicy(max_attempts=5, initial_backoff=0.001, max_backoff=0.002)
    with caplog.at_level(logging.INFO, logger="arbiter_client.retry"):
        assert call(fn, policy, 10.0, "ipv4:10.0.0.2:1,10.0.0.3:1", "Score") == "ok"
    records = [r for r in caplog.records if r.name == "arbiter_client.retry"]
    assert [(r.arbiter_code, r.arbiter_peer, r.arbiter_attempt) for r in records] == [
        ("UNAVAILABLE", "ipv4:10.0.0.3:50051", 1), ("UNAVAILABLE", "ipv4:10.0.0.3:50051", 2)]
    assert "retrying" in records[0].getMessage()


def test_a_final_failure_is_not_logged_as_a_retry(caplog):
    def fn(timeout):
        raise _Error(grpc.StatusCode.INVALID_ARGUMENT, "bad")

    with caplog.at_level(logging.INFO, logger="arbiter_client.retry"):
        with pytest.raises(ArbiterError):
            call(fn, RetryPolicy(), 10.0, "t", "Score")
    assert not [r for r in caplog.records if r.name == "arbiter_client.retry"]
    assert peer_of(_Error(grpc.StatusCode.UNAVAILABLE)) == ""
