"""Client settings: where the server is and how calls behave.

Precedence everywhere: explicit argument > environment variable > default.

- ``ARBITER_SERVER``: "host:port", "host" (port 50051 is added: never a silent 443), "[v6]:port",
  or a gRPC target with a scheme ("dns:///host:port", "unix:/path"). Default "127.0.0.1:50051".
- ``ARBITER_VERIFIER`` / ``ARBITER_MODE``: default verifier and mode of the trainer adapters.

``Options`` is an immutable value: share it between threads and processes freely.
"""
import dataclasses
import os
import re

DEFAULT_PORT = 50051
DEFAULT_SERVER = f"127.0.0.1:{DEFAULT_PORT}"
DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024  # the server's --max_message_bytes default

_SCHEMES = ("dns:", "unix:", "unix-abstract:", "ipv4:", "ipv6:", "vsock:")


def resolve_server(server: str | None = None) -> str:
    """The gRPC target for ``server`` (or ``$ARBITER_SERVER``, or the default).

    Raises ``ValueError`` for an http(s):// URL, which is not a gRPC target.
    """
    target = (server or os.environ.get("ARBITER_SERVER") or DEFAULT_SERVER).strip()
    if target.startswith(_SCHEMES):
        return target
    if "://" in target:
        raise ValueError(
            f"arbiter server {target!r}: give host:port (e.g. 127.0.0.1:{DEFAULT_PORT}); "
            "URLs are for the HTTP gateway, not the gRPC client")
    if target.startswith("["):  # [v6] or [v6]:port
        return target if re.fullmatch(r"\[[^\]]+\]:\d+", target) else f"{target}:{DEFAULT_PORT}"
    if target.count(":") > 1:  # bare IPv6 address
        return f"[{target}]:{DEFAULT_PORT}"
    if re.fullmatch(r"[^:]+:\d+", target):
        return target
    if ":" in target:
        raise ValueError(f"arbiter server {target!r}: the port must be a number")
    return f"{target}:{DEFAULT_PORT}"


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    """Jittered exponential back-off for UNAVAILABLE and RESOURCE_EXHAUSTED only.

    Attempt ``i`` (0-based) that fails retryably sleeps ``U(0, min(max_backoff, initial * 2**i))``
    seconds ("full jitter") before the next; after ``max_attempts`` attempts the last error is
    raised. The call's deadline also ends the retries.
    """
    max_attempts: int = 6
    initial_backoff: float = 0.1
    max_backoff: float = 5.0


@dataclasses.dataclass(frozen=True)
class Options:
    """How a client talks to the server.

    timeout: deadline of a call in seconds, retries included (each attempt gets what is left;
        the server applies it to every item).
    max_in_flight: RPCs in flight at once per process (sync) or per event loop (async).
    max_message_bytes: the server's --max_message_bytes; requests are split below it and
        responses up to it are accepted.
    max_groups_per_request: split requests with more groups than this.
    coalesce_window: seconds a single-group call waits for others to share its RPC.
    coalesce_max_batch: groups per coalesced RPC at most.
    """
    timeout: float = 300.0
    max_in_flight: int = 4
    max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES
    max_groups_per_request: int = 8192
    coalesce_window: float = 0.002
    coalesce_max_batch: int = 1024
    retry: RetryPolicy = RetryPolicy()

    def channel_options(self) -> list:
        return [
            ("grpc.max_receive_message_length", self.max_message_bytes),
            ("grpc.max_send_message_length", self.max_message_bytes),
            # Our retries are explicit (retry.py): keep the channel's own transparent retries only.
            ("grpc.enable_retries", 0),
            # Reconnect on the scale of RetryPolicy, not gRPC's default 1 s .. 120 s, so a
            # restarted or replaced replica is reached within the retries.
            ("grpc.initial_reconnect_backoff_ms", 100),
            ("grpc.min_reconnect_backoff_ms", 100),
            ("grpc.max_reconnect_backoff_ms", 2000),
        ]
