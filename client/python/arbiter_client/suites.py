"""Ground truths by reference: RegisterSuite once, ``Task.ground_truth_ref`` afterwards.

A trainer resends the same prompt's tests with every group, step and epoch. With
``Options.suite_min_bytes`` set, ``Client.score`` and ``AsyncClient.score`` register each distinct
inline ``ground_truth``
of at least that many bytes once per process (its id, the SHA-256 of the content, is computed
here) and sends the id instead. A group the server answers NOT_FOUND (a replica that never saw the
registration, or evicted it) is re-sent inline and its id forgotten, so a later batch registers it
again: results are always those of the inline form. (``score_stream`` and the coalesced per-sample
calls send ground truths inline.) When pairs or GRPO-λ shape the batch as a
whole, the whole batch is re-sent inline. A server that refuses registration (older server:
UNIMPLEMENTED; disabled store: FAILED_PRECONDITION) gets everything inline from then on; a suite
too big for its store (INVALID_ARGUMENT) stays inline.

Thread-safe (one lock around the set of registered ids).
"""
import hashlib
import threading

import grpc

from arbiter_client import messages
from arbiter_client.errors import ArbiterError

_NOT_FOUND = grpc.StatusCode.NOT_FOUND.value[0]
_REFUSE_ALL = (grpc.StatusCode.UNIMPLEMENTED, grpc.StatusCode.FAILED_PRECONDITION)


def suite_id(content) -> str:
    """Lowercase hex SHA-256 of ``content`` (str as UTF-8, or bytes): RegisterSuite's id."""
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    return hashlib.sha256(data).hexdigest()


class SuiteRefs:
    """The ids this process has registered on its channel's server."""

    def __init__(self):
        self._lock = threading.Lock()
        self._registered = set()
        self._inline = set()  # too big for the server's store: always inline
        self._refused = False
        self.by_reference = 0  # groups sent by reference
        self.resent_inline = 0  # groups re-sent inline after NOT_FOUND

    def pending(self, groups: list, min_bytes: int) -> dict:
        """The distinct inline ground truths of at least ``min_bytes`` not registered yet, as
        {suite_id: content}: register each, then ``record`` the outcome."""
        out = {}
        if self._refused:
            return out
        for group in groups:
            task = group.task
            if task.WhichOneof("kind") != "ground_truth":
                continue
            data = task.ground_truth.encode("utf-8")
            if len(data) < min_bytes:
                continue
            sid = suite_id(data)
            with self._lock:
                known = sid in self._registered or sid in self._inline
            if not known:
                out[sid] = task.ground_truth
        return out

    def record(self, sid: str, error: ArbiterError | None) -> None:
        """The outcome of registering ``sid``: None (stored), or the error, which is raised
        again unless it means "send inline" (refused: everything inline from now on; too big:
        this suite inline)."""
        if error is None:
            with self._lock:
                self._registered.add(sid)
        elif error.code in _REFUSE_ALL:
            self._refused = True
        elif error.code == grpc.StatusCode.INVALID_ARGUMENT:
            with self._lock:
                self._inline.add(sid)
        else:
            raise error

    def substitute(self, groups: list, min_bytes: int) -> list:
        """``groups`` with each inline ground_truth of at least ``min_bytes`` that is registered
        replaced by its reference (copies; ``groups`` is left as it is)."""
        out = []
        for group in groups:
            task = group.task
            if self._refused or task.WhichOneof("kind") != "ground_truth":
                out.append(group)
                continue
            data = task.ground_truth.encode("utf-8")
            sid = suite_id(data) if len(data) >= min_bytes else None
            with self._lock:
                registered = sid in self._registered
            if not registered:
                out.append(group)
                continue
            sent = messages.Group()
            sent.CopyFrom(group)
            sent.task.ClearField("ground_truth")
            sent.task.ground_truth_ref = sid
            out.append(sent)
            with self._lock:
                self.by_reference += 1
        return out

    def not_found(self, groups: list, sent: list, response) -> list:
        """Positions of the groups this substituted (``groups`` -> ``sent``) that the server
        answered NOT_FOUND; their ids are forgotten."""
        positions = []
        for i, result in enumerate(response.groups):
            ref = sent[i].task.ground_truth_ref if i < len(sent) else ""
            if result.status.code == _NOT_FOUND and ref and not groups[i].task.ground_truth_ref:
                with self._lock:
                    self._registered.discard(ref)
                    self.resent_inline += 1
                positions.append(i)
        return positions


def shapes_whole_batch(groups: list, shaping) -> bool:
    """As the server's shaping::NeedsWholeBatch: pairs or a GRPO-λ stage."""
    lam = messages.Shaping.STAGE_GRPO_LAMBDA
    for group in groups:
        if group.pair_id:
            return True
        effective = group.shaping if group.HasField("shaping") else shaping
        if effective is not None and lam in effective.stages:
            return True
    return False


def redo_inline(groups: list, shaping, redo: list) -> list | None:
    """What to re-send inline after NOT_FOUND at positions ``redo``: those groups, or all of them
    (None) when shaping needs the whole batch together."""
    if shapes_whole_batch(groups, shaping):
        return None
    return [groups[i] for i in redo]


def patch(response, redo: list, again):
    """``response`` with its groups at ``redo`` replaced by ``again``'s, in order."""
    for k, i in enumerate(redo):
        result = again.groups[k]
        result.group_index = i
        response.groups[i].CopyFrom(result)
    return response


def score_with_refs(client, groups: list, shaping, request_id: str, timeout):
    """Client.score with large ground truths by reference (see the module docstring)."""
    refs = client._process().suites
    min_bytes = client.options.suite_min_bytes
    for sid, content in refs.pending(groups, min_bytes).items():
        try:
            client.register_suite(content, timeout=timeout)
            refs.record(sid, None)
        except ArbiterError as err:
            refs.record(sid, err)
    sent = refs.substitute(groups, min_bytes)
    response = client._score_all(sent, shaping, request_id, timeout)
    redo = refs.not_found(groups, sent, response)
    if not redo:
        return response
    inline = redo_inline(groups, shaping, redo)
    if inline is None:
        return client._score_all(groups, shaping, request_id, timeout)
    return patch(response, redo, client._score_all(inline, shaping, request_id, timeout))


async def score_with_refs_async(client, groups: list, shaping, request_id: str, timeout):
    """AsyncClient.score with large ground truths by reference: as score_with_refs, awaited
    (registrations run concurrently)."""
    import asyncio

    refs = client._sync._process().suites
    min_bytes = client.options.suite_min_bytes
    pending = refs.pending(groups, min_bytes)

    async def register(sid, content):
        try:
            await client.register_suite(content, timeout=timeout)
            refs.record(sid, None)
        except ArbiterError as err:
            refs.record(sid, err)

    await asyncio.gather(*(register(sid, content) for sid, content in pending.items()))
    sent = refs.substitute(groups, min_bytes)
    response = await client._score_all(sent, shaping, request_id, timeout)
    redo = refs.not_found(groups, sent, response)
    if not redo:
        return response
    inline = redo_inline(groups, shaping, redo)
    if inline is None:
        return await client._score_all(groups, shaping, request_id, timeout)
    return patch(response, redo, await client._score_all(inline, shaping, request_id, timeout))
