"""Process-wide default clients, one per server address, and module-level shortcuts.

``default_client()`` / ``default_async_client()`` return the same object for the same resolved
address within a process (a forked child gets fresh channels: see Client). The trainer adapters
use these, so every call in a process shares one channel and one coalescer. Thread-safe.
"""
import threading

from arbiter_client.aio_client import AsyncClient
from arbiter_client.client import Client
from arbiter_client.config import resolve_server

_lock = threading.Lock()
_sync = {}
_async = {}


def default_client(server: str | None = None) -> Client:
    target = resolve_server(server)
    with _lock:
        client = _sync.get(target)
        if client is None:
            client = _sync[target] = Client(target)
        return client


def default_async_client(server: str | None = None) -> AsyncClient:
    target = resolve_server(server)
    with _lock:
        client = _async.get(target)
        if client is None:
            client = _async[target] = AsyncClient(target)
        return client


def score_one(verifier: str, ground_truth, completion: str, mode: str | None = None, *,
              server: str | None = None):
    """Scores one completion with the default client; returns a results.SampleScore."""
    return default_client(server).score_one(verifier, ground_truth, completion, mode)


def score_group(verifier: str, ground_truth, completions, mode: str | None = None, shaping=None,
                *, server: str | None = None):
    """Scores one group with the default client; returns a results.GroupScore."""
    return default_client(server).score_group(verifier, ground_truth, completions, mode, shaping)
