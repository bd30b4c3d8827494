"""Ground truths by reference: RegisterSuite once, ``Task.ground_truth_ref`` afterwards.

A trainer resends the same prompt's tests with every group, step and epoch. With
``Options.suite_min_bytes`` set, ``Client.score`` registers each distinct inline ``ground_truth``
of at least that many bytes once per process (its id, the SHA-256 of the content, is computed
here) and sends the id instead. A group the server answers NOT_FOUND (a replica that never saw the
registration, or evicted it) is re-sent inline and its id forgotten, so a later batch registers it
again: results are always those of the inline form. When pairs or GRPO-λ shape the batch as a
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
        self._refused = False
        self.by_reference = 0  # groups sent by reference
        self.resent_inline = 0  # groups re-sent inline after NOT_FOUND

    def substitute(self, groups: list, min_bytes: int, register) -> list:
        """``groups`` with each inline ground_truth of at least ``min_bytes`` replaced by its
        reference, registered through ``register(content) -> suite_id`` when not yet known."""
        out = []
        for group in groups:
            task = group.task
            if self._refused or task.WhichOneof("kind") != "ground_truth":
                out.append(group)
                continue
            content = task.ground_truth
            data = content.encode("utf-8")
            if len(data) < min_bytes:
                out.append(group)
                continue
            sid = suite_id(data)
            if not self._ensure(sid, content, register):
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

    def _ensure(self, sid: str, content: str, register) -> bool:
        with self._lock:
            if sid in self._registered:
                return True
        try:
            register(content)  # concurrent duplicates are harmless: registration is idempotent
        except ArbiterError as err:
            if err.code in _REFUSE_ALL:
                self._refused = True
                return False
            if err.code == grpc.StatusCode.INVALID_ARGUMENT:
                return False
            raise
        with self._lock:
            self._registered.add(sid)
        return True

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


def score_with_refs(client, groups: list, shaping, request_id: str, timeout):
    """Client.score with large ground truths by reference (see the module docstring)."""
    refs = client._process().suites
    sent = refs.substitute(groups, client.options.suite_min_bytes,
                           lambda content: client.register_suite(content, timeout=timeout))
    response = client._score_all(sent, shaping, request_id, timeout)
    redo = refs.not_found(groups, sent, response)
    if not redo:
        return response
    if shapes_whole_batch(groups, shaping):
        return client._score_all(groups, shaping, request_id, timeout)
    again = client._score_all([groups[i] for i in redo], shaping, request_id, timeout)
    for k, i in enumerate(redo):
        result = again.groups[k]
        result.group_index = i
        response.groups[i].CopyFrom(result)
    return response
