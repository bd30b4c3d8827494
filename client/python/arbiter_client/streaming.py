"""ScoreStream with resumption: on a retryable failure only the groups not yet received are sent
again, so a caller sees every group exactly once, in completion order.

Large batches are streamed chunk by chunk (split as for Score). Used by Client.score_stream and
AsyncClient.score_stream (which reads it on a worker thread); holds no state between calls.
"""
import time

import grpc

from arbiter_client import batching, retry


def _plan(client, groups, shaping):
    groups = batching.coerce_groups(groups)
    shaping = batching.coerce_shaping(shaping)
    return groups, shaping


def _missing(groups, received):
    """The indices of ``groups`` not yet received, and their chunks."""
    return [i for i in range(len(groups)) if i not in received]


def stream_sync(client, groups, shaping, request_id, timeout):
    groups, shaping = _plan(client, groups, shaping)
    timeout = client.options.timeout if timeout is None else timeout
    deadline = time.monotonic() + timeout
    received, attempt = set(), 0
    while True:
        todo = _missing(groups, received)
        if not todo:
            return
        try:
            for start, chunk in batching.split([groups[i] for i in todo],
                                               client.options.max_message_bytes,
                                               client.options.max_groups_per_request):
                request = batching.make_request(chunk, shaping, request_id)
                state = client._process()
                with state.slots:
                    call = state.score_stream(request,
                                              timeout=max(0.001, deadline - time.monotonic()))
                    for result in call:
                        index = todo[start + result.group_index]
                        result.group_index = index
                        received.add(index)
                        yield result
            return
        except grpc.RpcError as err:
            pause = retry._next_sleep(client.options.retry, attempt, err, deadline,
                                     "ScoreStream")
            if pause is None:
                raise retry.to_error(err, client.target, "ScoreStream", attempt + 1) from None
            retry._pause(err, pause, client.options.retry, client._wait_ready)
            attempt += 1
