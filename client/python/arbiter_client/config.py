"""Client settings: where the server is and how calls behave.

Precedence everywhere: explicit argument > environment variable > default.

- ``ARBITER_SERVER``: "host:port", "host" (port 50051 is added: never a silent 443), "[v6]:port",
  a gRPC target with a scheme ("dns:///host:port", "unix:/path"), or replicas as a
  comma-separated list of IP literals ("10.0.0.2:50051,10.0.0.3:50051"; also a list or tuple as
  the argument). Default "127.0.0.1:50051".
- ``ARBITER_VERIFIER`` / ``ARBITER_MODE``: default verifier and mode of the trainer adapters.
- ``ARBITER_SUITE_MIN_BYTES``: the default of ``Options.suite_min_bytes`` (read when an Options is
  made, e.g. by the adapters' default clients); unset or empty: None.

``Options`` is an immutable value: share it between threads and processes freely.
"""
import dataclasses
import ipaddress
import os
import re

DEFAULT_PORT = 50051
DEFAULT_SERVER = f"127.0.0.1:{DEFAULT_PORT}"
DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024  # the server's --max_message_bytes default

_SCHEMES = ("dns:", "unix:", "unix-abstract:", "ipv4:", "ipv6:", "vsock:")


def resolve_server(server: "str | list | tuple | None" = None) -> str:
    """The gRPC target for ``server`` (or ``$ARBITER_SERVER``, or the default).

    Several replicas (a list or tuple, or a comma-separated string, of IP literals with or
    without port) become one multi-address target, "ipv4:a:p,b:p" or "ipv6:[a]:p,[b]:p", that the
    round_robin policy spreads calls over. Raises ``ValueError`` for an http(s):// URL, which is
    not a gRPC target, and for a list holding a host name or mixed address families (for replicas
    behind a name, give one name that resolves to all of them: "dns:///headless.ns.svc:50051").
    """
    if isinstance(server, (list, tuple)):
        server = ",".join(server)
    target = (server or os.environ.get("ARBITER_SERVER") or DEFAULT_SERVER).strip()
    if "," in target and not target.startswith(_SCHEMES):
        return _multi_address_target(target)
    return _one_target(target)


def _multi_address_target(servers: str) -> str:
    entries = [_one_target(entry.strip()) if entry.strip() else "" for entry in servers.split(",")]
    families = set()
    for entry in entries:
        host = entry.rpartition(":")[0].strip("[]")
        try:
            families.add(ipaddress.ip_address(host).version)
        except ValueError:
            families.add(None)
    if len(families) != 1 or None in families:
        raise ValueError(
            f"arbiter servers {servers!r}: several replicas must be IP literals of one family "
            "(10.0.0.2:50051,10.0.0.3:50051); for replicas behind a name give one name that "
            "resolves to all of them (dns:///arbiter-headless.ns.svc:50051)")
    return f"ipv{families.pop()}:" + ",".join(entries)


def _one_target(target: str) -> str:
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


def _suite_min_bytes() -> int | None:
    value = os.environ.get("ARBITER_SUITE_MIN_BYTES", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValueError(f"ARBITER_SUITE_MIN_BYTES={value!r}: give a number of bytes")
    return int(value)


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
    lb_policy: gRPC load-balancing policy over the addresses the server resolves to. gRPC
        balances per connection: "round_robin" keeps one to every replica and spreads calls over
        the ready ones; "pick_first" sends everything to one. None = gRPC's default.
    keepalive_time, keepalive_timeout: while calls are in flight, ping every keepalive_time
        seconds and drop the connection when a ping stays unanswered keepalive_timeout seconds,
        so a server cut off from the network fails its calls with UNAVAILABLE (retried on another
        replica) within seconds, not at the deadline. The server must allow pings this often
        (arbiterd --keepalive_min_client_interval, 5 s by default). None disables it.
    suite_min_bytes: when set, every scoring call (score, score_stream, the coalesced
        single-group calls; sync and async) sends each inline ground_truth of at least this many
        bytes by reference: registered once per process (RegisterSuite), then named by
        Task.ground_truth_ref (suites.py; e.g. 65536 for code test suites). None: all inline.
        Default: $ARBITER_SUITE_MIN_BYTES, else None.
    """
    timeout: float = 300.0
    max_in_flight: int = 4
    max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES
    max_groups_per_request: int = 8192
    coalesce_window: float = 0.002
    coalesce_max_batch: int = 1024
    retry: RetryPolicy = RetryPolicy()
    lb_policy: str | None = "round_robin"
    keepalive_time: float | None = 10.0
    keepalive_timeout: float = 5.0
    suite_min_bytes: int | None = dataclasses.field(default_factory=_suite_min_bytes)

    def channel_options(self) -> list:
        balancing = [("grpc.lb_policy_name", self.lb_policy)] if self.lb_policy else []
        keepalive = [] if self.keepalive_time is None else [
            ("grpc.keepalive_time_ms", int(self.keepalive_time * 1000)),
            ("grpc.keepalive_timeout_ms", int(self.keepalive_timeout * 1000)),
            # Keep pinging through a long call on which the server sends nothing (gRPC stops
            # after 2 pings without data by default, leaving a cut-off server unnoticed).
            ("grpc.http2.max_pings_without_data", 0),
        ]
        return balancing + keepalive + [
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
