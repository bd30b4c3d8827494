"""Ground truths by reference: RegisterSuite once, ``Task.ground_truth_ref`` afterwards.

A trainer resends the same prompt's tests with every group, step and epoch. With
``Options.suite_min_bytes`` set, every scoring call (``score``, ``score_stream``, and the coalesced
``submit_group`` / ``score_group`` / ``score_one``, sync and async) registers each distinct inline
``ground_truth`` of at least that many bytes once per process (its id, the SHA-256 of the
content, is computed here) and sends the id instead. A group the server answers NOT_FOUND (a
replica that never saw the registration, or evicted it) is re-sent inline and its id forgotten,
so a later call registers it again: results are always those of the inline form. When pairs or
GRPO-λ shape the batch as a whole, the whole batch is re-sent inline (a stream holds such a
batch's results until it knows none was lost; the server hands them over together anyway). A
server that refuses registration (older server: UNIMPLEMENTED; disabled store:
FAILED_PRECONDITION) gets everything inline from then on; a suite too big for its store
(INVALID_ARGUMENT) stays inline. A suite another call of the process is registering right now is
sent inline by this one rather than uploaded twice.

``ByReference`` is one call's plan (what to register, what to send, what was lost and what to
re-send); ``score`` / ``score_async`` drive it for a batch, streaming.py for a stream. The
coalescer's batches go through ``score``. Thread-safe (one lock around the process's ids).
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


def _large_id(group, min_bytes: int) -> str | None:
    """The suite id of ``group``'s inline ground_truth when it has one of at least min_bytes."""
    task = group.task
    if task.WhichOneof("kind") != "ground_truth":
        return None
    data = task.ground_truth.encode("utf-8")
    return suite_id(data) if len(data) >= min_bytes else None


class SuiteRefs:
    """The ids this process has registered on its channel's server."""

    def __init__(self):
        self._lock = threading.Lock()
        self._registered = set()
        self._claimed = set()  # being registered by some call right now
        self._inline = set()  # too big for the server's store: always inline
        self._refused = False
        self.by_reference = 0  # groups sent by reference
        self.resent_inline = 0  # groups re-sent inline after NOT_FOUND

    def claim(self, groups: list, min_bytes: int) -> dict:
        """The distinct inline ground truths of at least ``min_bytes`` that are neither
        registered nor being registered, as {suite_id: content}, now claimed by the caller:
        register each, then ``record`` (or ``release``) every one."""
        out = {}
        if self._refused:
            return out
        for group in groups:
            sid = _large_id(group, min_bytes)
            if sid is None or sid in out:
                continue
            with self._lock:
                if sid in self._registered or sid in self._inline or sid in self._claimed:
                    continue
                self._claimed.add(sid)
            out[sid] = group.task.ground_truth
        return out

    def release(self, sid: str) -> None:
        """Gives up a claim without an outcome (the registration was cancelled)."""
        with self._lock:
            self._claimed.discard(sid)

    def record(self, sid: str, error: ArbiterError | None) -> None:
        """The outcome of registering claimed ``sid``: None (stored), or the error, which is
        raised again unless it means "send inline" (refused: everything inline from now on; too
        big: this suite inline)."""
        with self._lock:
            self._claimed.discard(sid)
            if error is None:
                self._registered.add(sid)
            elif error.code in _REFUSE_ALL:
                self._refused = True
            elif error.code == grpc.StatusCode.INVALID_ARGUMENT:
                self._inline.add(sid)
            else:
                raise error

    def substitute(self, groups: list, min_bytes: int) -> list:
        """``groups`` with each inline ground_truth of at least ``min_bytes`` that is registered
        replaced by its reference (copies; ``groups`` is left as it is)."""
        out = []
        for group in groups:
            sid = None if self._refused else _large_id(group, min_bytes)
            with self._lock:
                registered = sid in self._registered
                if registered:
                    self.by_reference += 1
            if not registered:
                out.append(group)
                continue
            sent = messages.Group()
            sent.CopyFrom(group)
            sent.task.ClearField("ground_truth")
            sent.task.ground_truth_ref = sid
            out.append(sent)
        return out

    def lost(self, group, sent, result) -> bool:
        """Whether ``result`` is NOT_FOUND for a reference substituted into ``sent`` (from
        ``group``); if so its id is forgotten and the group counted as re-sent inline."""
        ref = sent.task.ground_truth_ref
        if result.status.code != _NOT_FOUND or not ref or group.task.ground_truth_ref:
            return False
        with self._lock:
            self._registered.discard(ref)
            self.resent_inline += 1
        return True


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


class ByReference:
    """One scoring call of ``groups`` (under request-level ``shaping``) by reference:
    ``to_register`` (claimed; report each outcome with ``registered``), then send
    ``substitute()``; ``lost(i, result)`` tells a result to drop and re-send inline, and
    ``redo(lost)`` what to re-send: those groups, or None for all of them (whole-batch shaping)."""

    def __init__(self, refs: SuiteRefs, groups: list, shaping, min_bytes: int):
        self.groups, self.shaping = groups, shaping
        self.whole_batch = shapes_whole_batch(groups, shaping)
        self._refs, self._min_bytes = refs, min_bytes
        self.to_register = refs.claim(groups, min_bytes)
        self._unreported = set(self.to_register)
        self.sent = groups

    def registered(self, sid: str, error: ArbiterError | None = None) -> None:
        self._unreported.discard(sid)
        self._refs.record(sid, error)

    def abandon(self) -> None:
        """Releases the claims no outcome was reported for (a cancelled or failed call)."""
        for sid in self._unreported:
            self._refs.release(sid)
        self._unreported.clear()

    def substitute(self) -> list:
        self.sent = self._refs.substitute(self.groups, self._min_bytes)
        return self.sent

    def lost(self, index: int, result) -> bool:
        return 0 <= index < len(self.sent) and self._refs.lost(self.groups[index],
                                                                self.sent[index], result)

    def lost_in(self, response) -> list:
        """Positions of ``response``'s groups (in ``sent`` order) that were lost."""
        return [i for i, result in enumerate(response.groups) if self.lost(i, result)]

    def redo(self, lost: list) -> list | None:
        return None if self.whole_batch else [self.groups[i] for i in lost]


def register(plan: ByReference, register_suite, timeout) -> None:
    """Registers ``plan.to_register`` one by one with ``register_suite(content, timeout=)``."""
    try:
        for sid, content in plan.to_register.items():
            try:
                register_suite(content, timeout=timeout)
                plan.registered(sid)
            except ArbiterError as err:
                plan.registered(sid, err)
    finally:
        plan.abandon()


async def register_async(plan: ByReference, register_suite, timeout) -> None:
    """As ``register``, awaiting the registrations concurrently."""
    import asyncio

    async def one(sid, content):
        try:
            await register_suite(content, timeout=timeout)
            plan.registered(sid)
        except ArbiterError as err:
            plan.registered(sid, err)

    try:
        await asyncio.gather(*(one(sid, content) for sid, content in plan.to_register.items()))
    finally:
        plan.abandon()


def patch(response, lost: list, again):
    """``response`` with its groups at ``lost`` replaced by ``again``'s, in order."""
    for k, i in enumerate(lost):
        result = again.groups[k]
        result.group_index = i
        response.groups[i].CopyFrom(result)
    return response


def score(client, groups: list, shaping, send, timeout):
    """``send(groups) -> ScoreResponse`` with large ground truths by reference (see the module
    docstring); ``client`` (a Client) registers."""
    plan = ByReference(client._process().suites, groups, shaping, client.options.suite_min_bytes)
    register(plan, client.register_suite, timeout)
    response = send(plan.substitute())
    lost = plan.lost_in(response)
    if not lost:
        return response
    inline = plan.redo(lost)
    return send(groups) if inline is None else patch(response, lost, send(inline))


async def score_async(client, groups: list, shaping, send, timeout):
    """As ``score`` with an AsyncClient and an awaitable ``send``."""
    plan = ByReference(client._sync._process().suites, groups, shaping,
                       client.options.suite_min_bytes)
    await register_async(plan, client.register_suite, timeout)
    response = await send(plan.substitute())
    lost = plan.lost_in(response)
    if not lost:
        return response
    inline = plan.redo(lost)
    return await send(groups) if inline is None else patch(response, lost, await send(inline))
