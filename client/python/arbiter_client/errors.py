"""Exceptions raised by the clients. Per-group problems are never exceptions: they come back as a
GroupResult with a non-OK ``status`` (see results.py)."""


class ArbiterError(Exception):
    """An RPC failed as a whole. ``code`` is the grpc.StatusCode (None for client-side errors)."""

    def __init__(self, message: str, code=None):
        super().__init__(message)
        self.code = code


class ArbiterUnavailableError(ArbiterError):
    """The server could not be reached or stayed overloaded through every retry.

    Raised after the bounded retries of RetryPolicy on UNAVAILABLE or RESOURCE_EXHAUSTED; the
    message names the server and says what to check.
    """
