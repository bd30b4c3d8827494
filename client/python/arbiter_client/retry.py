"""Retry loop shared by the sync and async clients: UNAVAILABLE, RESOURCE_EXHAUSTED and a
CANCELLED that the server side caused.

UNAVAILABLE means the server is unreachable or draining ("retry on another replica": a new
connection attempt may reach another replica behind the same address); RESOURCE_EXHAUSTED means
its admission queue is full (back off). gRPC ends calls that reach a server in the instant it
stops with CANCELLED; this client cancels none of its calls, so a CANCELLED not marked as local
is retried too (Score is deterministic and cached server-side, so resending is safe). Every other
code is raised at once as ArbiterError.
Every retry is logged (logger "arbiter_client.retry", INFO) with the failed attempt's code and the
peer it ran on, also as record attributes ``arbiter_code``, ``arbiter_peer`` (empty when the
attempt never reached a server), ``arbiter_method`` and ``arbiter_attempt``, for counters.
Stateless functions: thread- and loop-safe.
"""
import asyncio
import logging
import random
import re
import time

import grpc

from arbiter_client.config import RetryPolicy
from arbiter_client.errors import ArbiterError, ArbiterUnavailableError

RETRYABLE = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.RESOURCE_EXHAUSTED)


def backoff(policy: RetryPolicy, attempt: int) -> float:
    return random.uniform(0, min(policy.max_backoff, policy.initial_backoff * 2 ** attempt))


def to_error(err: grpc.RpcError, target: str, method: str, attempts: int) -> ArbiterError:
    code, details = err.code(), err.details()
    if code in RETRYABLE:
        hint = ("is arbiterd running there? set ARBITER_SERVER or pass server=" if
                code == grpc.StatusCode.UNAVAILABLE else "the server stayed overloaded: add replicas "
                "or lower the client's max_in_flight")
        return ArbiterUnavailableError(
            f"arbiter {method} at {target}: {code.name} after {attempts} attempt(s): {details} ({hint})",
            code)
    if code == grpc.StatusCode.DEADLINE_EXCEEDED:
        details = f"{details} (raise Options.timeout, or send smaller batches)"
    return ArbiterError(f"arbiter {method} at {target}: {code.name}: {details}", code)


def retryable(err: grpc.RpcError) -> bool:
    """True for the codes above; a CANCELLED only when the server side caused it."""
    if err.code() in RETRYABLE:
        return True
    return (err.code() == grpc.StatusCode.CANCELLED and
            "locally cancelled" not in (err.details() or "").lower())


log = logging.getLogger("arbiter_client.retry")
_PEER = re.compile(r"peer (ipv4:[^ ,\"{}]+|ipv6:\[[^\]]+\]:\d+|unix:[^ ,\"{}]+)")


def peer_of(err: grpc.RpcError) -> str:
    """The address the failed call ran on ("ipv4:10.0.0.2:50051"), or "" when it never reached a
    server. grpcio exposes it only inside the error's debug string for a blocking call."""
    peer = getattr(err, "peer", None)
    if callable(peer):
        try:
            found = peer()
            if found:
                return found
        except Exception:  # pylint: disable=broad-except  # a finished call may refuse
            pass
    debug = getattr(err, "debug_error_string", None)
    match = _PEER.search(debug() or "") if callable(debug) else None
    return match.group(1) if match else ""


def _next_sleep(policy, attempt, err, deadline, method):
    """Seconds to sleep before another attempt, or None to give up."""
    if not retryable(err) or attempt + 1 >= policy.max_attempts:
        return None
    pause = backoff(policy, attempt)
    if time.monotonic() + pause >= deadline:
        return None
    peer = peer_of(err)
    log.info("arbiter %s attempt %d failed with %s at %s: %s; retrying in %.3f s", method,
             attempt + 1, err.code().name, peer or "no server", err.details(), pause,
             extra={"arbiter_code": err.code().name, "arbiter_peer": peer,
                    "arbiter_method": method, "arbiter_attempt": attempt + 1})
    return pause


def _pause(err, pause, policy, wait_ready):
    """Sleeps before the next attempt. After UNAVAILABLE, ``wait_ready(seconds)`` (when given)
    waits for the channel to reconnect instead, which it does actively: a plain sleep would let
    a fail-fast channel sit in TRANSIENT_FAILURE (grpcio 1.51 aborts its connection attempts)."""
    if wait_ready is None or err.code() != grpc.StatusCode.UNAVAILABLE:
        time.sleep(pause)
        return
    started = time.monotonic()
    wait_ready(pause)
    left = pause - (time.monotonic() - started)
    if left > 0:  # connected early: still pause a little, the server may be draining
        time.sleep(min(left, policy.initial_backoff))


def call(fn, policy: RetryPolicy, timeout: float, target: str, method: str, wait_ready=None):
    """Calls ``fn(timeout=seconds_left)`` until it succeeds or fails for good."""
    deadline = time.monotonic() + timeout
    attempt = 0
    while True:
        try:
            return fn(timeout=max(0.001, deadline - time.monotonic()))
        except grpc.RpcError as err:
            pause = _next_sleep(policy, attempt, err, deadline, method)
            if pause is None:
                raise to_error(err, target, method, attempt + 1) from None
            _pause(err, pause, policy, wait_ready)
            attempt += 1


async def call_async(fn, policy: RetryPolicy, timeout: float, target: str, method: str,
                     wait_ready=None):
    """``call`` for coroutines: awaits ``fn(timeout=seconds_left)``; after UNAVAILABLE awaits
    ``wait_ready(seconds)`` (the channel reconnecting) before the short pause."""
    deadline = time.monotonic() + timeout
    attempt = 0
    while True:
        try:
            return await fn(timeout=max(0.001, deadline - time.monotonic()))
        except grpc.RpcError as err:
            pause = _next_sleep(policy, attempt, err, deadline, method)
            if pause is None:
                raise to_error(err, target, method, attempt + 1) from None
            if wait_ready is not None and err.code() == grpc.StatusCode.UNAVAILABLE:
                started = time.monotonic()
                await wait_ready(pause)
                pause = min(max(0.0, pause - (time.monotonic() - started)), policy.initial_backoff)
            await asyncio.sleep(pause)
            attempt += 1
