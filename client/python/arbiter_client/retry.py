"""Retry loop shared by the sync and async clients: UNAVAILABLE and RESOURCE_EXHAUSTED only.

UNAVAILABLE means the server is unreachable or draining ("retry on another replica": a new
connection attempt may reach another replica behind the same address); RESOURCE_EXHAUSTED means
its admission queue is full (back off). Every other code is raised at once as ArbiterError.
Stateless functions: thread- and loop-safe.
"""
import asyncio
import random
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


def _next_sleep(policy, attempt, err, deadline):
    """Seconds to sleep before another attempt, or None to give up."""
    if err.code() not in RETRYABLE or attempt + 1 >= policy.max_attempts:
        return None
    pause = backoff(policy, attempt)
    return pause if time.monotonic() + pause < deadline else None


def call(fn, policy: RetryPolicy, timeout: float, target: str, method: str):
    """Calls ``fn(timeout=seconds_left)`` until it succeeds or fails for good."""
    deadline = time.monotonic() + timeout
    attempt = 0
    while True:
        try:
            return fn(timeout=max(0.001, deadline - time.monotonic()))
        except grpc.RpcError as err:
            pause = _next_sleep(policy, attempt, err, deadline)
            if pause is None:
                raise to_error(err, target, method, attempt + 1) from None
            time.sleep(pause)
            attempt += 1


async def call_async(fn, policy: RetryPolicy, timeout: float, target: str, method: str):
    """``call`` for coroutines: awaits ``fn(timeout=seconds_left)``."""
    deadline = time.monotonic() + timeout
    attempt = 0
    while True:
        try:
            return await fn(timeout=max(0.001, deadline - time.monotonic()))
        except grpc.RpcError as err:
            pause = _next_sleep(policy, attempt, err, deadline)
            if pause is None:
                raise to_error(err, target, method, attempt + 1) from None
            await asyncio.sleep(pause)
            attempt += 1
