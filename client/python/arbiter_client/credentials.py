"""Channel credentials from the environment, for servers that require callers
(arbiterd's ``--tls_cert_file``, ``--tls_client_ca_file``, ``--auth_tokens_file``).

Used by every Client created without ``credentials`` (so the trainer adapters too), read when the
process opens its channel:

- ``ARBITER_TLS_CA_FILE``: PEM bundle that signed the server's certificate: TLS on.
- ``ARBITER_TLS_CERT_FILE`` / ``ARBITER_TLS_KEY_FILE``: this client's certificate and key
  (mutual TLS); both or neither.
- ``ARBITER_TOKEN_FILE`` (first line) or ``ARBITER_TOKEN``: sent as ``authorization: Bearer``
  on every call. Without TLS a token is only sent to a loopback server (gRPC refuses to send
  call credentials in the clear elsewhere).

None of them set: a plaintext channel, as before.
"""
import os
import pathlib

import grpc


def _read(name: str) -> bytes | None:
    path = os.environ.get(name)
    if not path:
        return None
    try:
        return pathlib.Path(path).read_bytes()
    except OSError as e:
        raise ValueError(f"{name}={path!r} cannot be read: {e.strerror}") from None


def _token() -> str | None:
    path = os.environ.get("ARBITER_TOKEN_FILE")
    if path:
        lines = (_read("ARBITER_TOKEN_FILE") or b"").decode().split("\n")
        token = lines[0].strip()
        if not token:
            raise ValueError(f"ARBITER_TOKEN_FILE={path!r} holds no token on its first line")
        return token
    return os.environ.get("ARBITER_TOKEN") or None


def credentials_from_environment():
    """grpc.ChannelCredentials built from the variables above, or None when none is set."""
    ca, cert, key = (_read(n) for n in ("ARBITER_TLS_CA_FILE", "ARBITER_TLS_CERT_FILE",
                                        "ARBITER_TLS_KEY_FILE"))
    if (cert is None) != (key is None):
        raise ValueError("ARBITER_TLS_CERT_FILE and ARBITER_TLS_KEY_FILE must be set together")
    if cert is not None and ca is None:
        raise ValueError("a client certificate needs ARBITER_TLS_CA_FILE (TLS) as well")
    token = _token()
    if ca is None and token is None:
        return None
    channel = (grpc.ssl_channel_credentials(ca, key, cert) if ca is not None
               else grpc.local_channel_credentials(grpc.LocalConnectionType.LOCAL_TCP))
    if token is None:
        return channel
    return grpc.composite_channel_credentials(channel, grpc.access_token_call_credentials(token))
