"""ScoreStream with resumption: on a retryable failure only the groups not yet received are sent
again, so a caller sees every group exactly once, in completion order.

Large batches are streamed chunk by chunk (split as for Score). With Options.suite_min_bytes set,
large ground truths travel by reference (suites.py): a result the server answers NOT_FOUND for a
reference is not yielded; its group is streamed again inline after the others (under whole-batch
shaping the results are held to the end and, if any was lost, the whole batch is streamed again
inline). Used by Client.score_stream and AsyncClient.score_stream (which reads it on a worker
thread); holds no state between calls beyond the process's registered suite ids.
"""
import time

import grpc

from arbiter_client import batching, retry, suites


def stream_sync(client, groups, shaping, request_id, timeout):
    groups = batching.coerce_groups(groups)
    shaping = batching.coerce_shaping(shaping)
    timeout = client.options.timeout if timeout is None else timeout
    deadline = time.monotonic() + timeout
    if client.options.suite_min_bytes is None:
        yield from _resumable(client, groups, shaping, request_id, deadline)
    else:
        yield from _by_reference(client, groups, shaping, request_id, deadline)


def _left(deadline) -> float:
    return max(0.001, deadline - time.monotonic())


def _by_reference(client, groups, shaping, request_id, deadline):
    plan = suites.ByReference(client._process().suites, groups, shaping,
                              client.options.suite_min_bytes)
    suites.register(plan, client.register_suite, _left(deadline))
    held, lost = [], []
    for result in _resumable(client, plan.substitute(), shaping, request_id, deadline):
        if plan.lost(result.group_index, result):
            lost.append(result.group_index)
        elif plan.whole_batch:
            held.append(result)
        else:
            yield result
    inline = plan.redo(lost) if lost else []
    if inline is None:
        yield from _resumable(client, groups, shaping, request_id, deadline)
        return
    yield from held
    for result in _resumable(client, inline, shaping, request_id, deadline):
        result.group_index = lost[result.group_index]
        yield result


def _resumable(client, groups, shaping, request_id, deadline):
    """Streams ``groups`` until all are received or the deadline; ``group_index`` = position in
    ``groups``."""
    received, attempt = set(), 0
    while True:
        todo = [i for i in range(len(groups)) if i not in received]
        if not todo:
            return
        try:
            for start, chunk in batching.split([groups[i] for i in todo],
                                               client.options.max_message_bytes,
                                               client.options.max_groups_per_request):
                request = batching.make_request(chunk, shaping, request_id)
                state = client._process()
                with state.slots:
                    call = state.score_stream(request, timeout=_left(deadline))
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
