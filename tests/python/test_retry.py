"""Which failures the client retries: UNAVAILABLE, RESOURCE_EXHAUSTED, and a CANCELLED the
server side caused (gRPC ends calls that reach a stopping server that way), never a local
cancellation or a client error."""
import grpc

from arbiter_client.retry import retryable


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
