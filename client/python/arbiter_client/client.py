"""The synchronous arbiter client.

``Client`` is thread-safe and fork-safe: its channel, worker threads and coalescer are created
lazily, on first use, once per process (a forked child, e.g. verl's PRIME ProcessPoolExecutor,
builds its own; it never touches the parent's). It pickles as its settings only, so it can travel
inside a function to a Ray actor or a spawned process. Creating one opens nothing.

Every RPC has a deadline (Options.timeout) and is retried with jittered exponential back-off on
UNAVAILABLE and RESOURCE_EXHAUSTED only (config.RetryPolicy); then ArbiterUnavailableError is raised.
At most Options.max_in_flight RPCs run at once per process. Large batches are split by serialized
size and group count and sent concurrently; results come back in request order.
"""
import concurrent.futures
import dataclasses
import os
import threading
import weakref

import grpc

from arbiter_client import batching, messages, results, retry, suites
from arbiter_client.coalesce import ThreadCoalescer
from arbiter_client.config import Options, resolve_server
from arbiter_client.credentials import credentials_from_environment

_SERVICE = "/arbiter.v1.Arbiter/"
_LIVE = weakref.WeakSet()


def _reset_after_fork():
    for client in list(_LIVE):
        client._lock = threading.Lock()  # the parent's may have been held by another thread
        client._state = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


class _ProcessState:
    """What must not cross a fork: the channel, threads, the in-flight semaphore."""

    def __init__(self, target: str, options: Options, credentials):
        self.pid = os.getpid()
        opts = options.channel_options()
        self.channel = (grpc.secure_channel(target, credentials, opts) if credentials
                        else grpc.insecure_channel(target, opts))
        rpc = lambda name, req, resp: self.channel.unary_unary(
            _SERVICE + name, request_serializer=req.SerializeToString,
            response_deserializer=resp.FromString)
        self.score = rpc("Score", messages.ScoreRequest, messages.ScoreResponse)
        self.generate = rpc("Generate", messages.GenerateRequest, messages.GenerateResponse)
        self.list_verifiers = rpc("ListVerifiers", messages.ListVerifiersRequest,
                                  messages.ListVerifiersResponse)
        self.register_suite = rpc("RegisterSuite", messages.RegisterSuiteRequest,
                                  messages.RegisterSuiteResponse)
        self.suites = suites.SuiteRefs()  # ids registered on this channel's server
        self.health = self.channel.unary_unary(
            "/grpc.health.v1.Health/Check",
            request_serializer=messages.HealthCheckRequest.SerializeToString,
            response_deserializer=messages.HealthCheckResponse.FromString)
        self.score_stream = self.channel.unary_stream(
            _SERVICE + "ScoreStream", request_serializer=messages.ScoreRequest.SerializeToString,
            response_deserializer=messages.GroupResult.FromString)
        self.slots = threading.BoundedSemaphore(options.max_in_flight)
        self.executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=options.max_in_flight, thread_name_prefix="arbiter-rpc")
        self.coalescer = None


class Client:
    """Synchronous client of one arbiter server (``server`` or $ARBITER_SERVER or the default).

    ``credentials``: grpc.ChannelCredentials for TLS and tokens; default: from the environment
    (``credentials.py``: ARBITER_TLS_CA_FILE, ARBITER_TOKEN_FILE, ...), else a plaintext channel
    (loopback or a trusted cluster network: see the README's trust model).
    """

    def __init__(self, server: str | None = None, options: Options | None = None,
                 credentials=None, **option_overrides):
        self.target = resolve_server(server)
        self.options = dataclasses.replace(options or Options(), **option_overrides)
        self._credentials = credentials
        self._lock = threading.Lock()
        self._state = None
        _LIVE.add(self)

    def __getstate__(self):
        return {"target": self.target, "options": self.options, "credentials": self._credentials}

    def __setstate__(self, state):
        self.__init__(state["target"], state["options"], state["credentials"])

    def _process(self) -> _ProcessState:
        state = self._state
        if state is not None and state.pid == os.getpid():
            return state
        with self._lock:
            if self._state is None or self._state.pid != os.getpid():
                credentials = self._credentials or credentials_from_environment()
                self._state = _ProcessState(self.target, self.options, credentials)
            return self._state

    def close(self):
        """Closes this process's channel; the client reopens one if used again."""
        with self._lock:
            state, self._state = self._state, None
        if state is not None and state.pid == os.getpid():
            state.executor.shutdown(wait=False)
            state.channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _call(self, method: str, stub, request, timeout=None):
        timeout = self.options.timeout if timeout is None else timeout
        return retry.call(lambda timeout: stub(request, timeout=timeout), self.options.retry,
                          timeout, self.target, method, self._wait_ready)

    def _wait_ready(self, seconds: float):
        """Waits up to ``seconds`` for this process's channel to (re)connect."""
        try:
            grpc.channel_ready_future(self._process().channel).result(timeout=seconds)
        except grpc.FutureTimeoutError:
            pass

    def _score_chunk(self, groups, shaping=None, request_id="", timeout=None):
        state = self._process()
        return self._call("Score", state.score,
                          batching.make_request(groups, shaping, request_id), timeout)

    # -- batch API ---------------------------------------------------------------------------

    def score(self, groups, shaping=None, *, request_id: str = "", timeout: float | None = None):
        """Scores ``groups`` (Group messages or proto3-JSON dicts); returns a ScoreResponse whose
        ``groups[i]`` is the result of ``groups[i]``. A malformed group fails alone (its
        ``status``); RPC failures raise ArbiterError. With Options.suite_min_bytes set, large
        ground truths travel by reference (suites.py)."""
        groups = batching.coerce_groups(groups)
        shaping = batching.coerce_shaping(shaping)
        if self.options.suite_min_bytes is not None:
            send = lambda sent: self._score_all(sent, shaping, request_id, timeout)
            return suites.score(self, groups, shaping, send, timeout)
        return self._score_all(groups, shaping, request_id, timeout)

    def _score_all(self, groups, shaping, request_id, timeout):
        chunks = batching.split(groups, self.options.max_message_bytes,
                                self.options.max_groups_per_request)
        state = self._process()
        if len(chunks) == 1:
            with state.slots:
                return self._score_chunk(groups, shaping, request_id, timeout)

        def run(chunk):
            try:
                return chunk[0], self._score_chunk(chunk[1], shaping, request_id, timeout)
            finally:
                state.slots.release()

        futures = []
        for chunk in chunks:
            state.slots.acquire()
            futures.append(state.executor.submit(run, chunk))
        return batching.merge([f.result() for f in futures])

    def score_stream(self, groups, shaping=None, *, request_id: str = "",
                     timeout: float | None = None):
        """Yields each GroupResult as soon as the server has it (``group_index`` = position in
        ``groups``). On a retryable failure mid-stream, only the groups not yet received are
        sent again. With Options.suite_min_bytes set, large ground truths travel by reference
        (suites.py)."""
        from arbiter_client.streaming import stream_sync
        yield from stream_sync(self, groups, shaping, request_id, timeout)

    def generate(self, kind: str, params=None, *, timeout: float | None = None):
        """Seeded task generation: ``generate("sat", {"n": 3, "k": 5, "l": 5, "count": 4,
        "seed": 7})``; returns a GenerateResponse. ``params`` is the message (or dict) for the
        ``kind``'s field of GenerateRequest.params."""
        return self._call("Generate", self._process().generate,
                          make_generate_request(kind, params), timeout)

    def register_suite(self, content, *, timeout: float | None = None) -> str:
        """Stores ``content`` (a ground truth, str) on the server the call reaches and returns its
        suite_id (= suites.suite_id(content)), for ``Task.ground_truth_ref``. Idempotent."""
        if isinstance(content, bytes):
            content = content.decode("utf-8")
        response = self._call("RegisterSuite", self._process().register_suite,
                              messages.RegisterSuiteRequest(content=content), timeout)
        return response.suite_id

    def list_verifiers(self, *, timeout: float | None = None):
        """Names, versions and defaults of the hosted verifiers (ListVerifiersResponse)."""
        return self._call("ListVerifiers", self._process().list_verifiers,
                          messages.ListVerifiersRequest(), timeout)

    def health(self, service: str = "", *, timeout: float | None = 10.0) -> str:
        """grpc.health.v1 status: "SERVING", "NOT_SERVING" (starting or draining), ... Raises
        ArbiterUnavailableError when the server cannot be reached."""
        response = self._call("Health.Check", self._process().health,
                              messages.HealthCheckRequest(service=service), timeout)
        return messages.HealthCheckResponse.ServingStatus.Name(response.status)

    # -- single-group API (coalesced) --------------------------------------------------------

    def submit_group(self, group) -> concurrent.futures.Future:
        """Queues one Group on this process's coalescer; returns a Future of its GroupResult
        (or of the ArbiterError that failed its RPC). Thread-safe; concurrent callers, threads
        and event loops alike, share RPCs (deadline: Options.timeout per call). With
        Options.suite_min_bytes set, large ground truths travel by reference (suites.py)."""
        group = messages.coerce(group, messages.Group, "group")
        state = self._process()
        if state.coalescer is None:
            with self._lock:
                if state.coalescer is None:
                    state.coalescer = ThreadCoalescer(
                        self._score_coalesced, state.slots, state.executor,
                        self.options.coalesce_window, self.options.coalesce_max_batch,
                        self.options.max_message_bytes)
        return state.coalescer.submit(group)

    def _score_coalesced(self, groups):
        """One coalesced batch (it fits one request): one Score RPC, by reference when
        Options.suite_min_bytes is set. Runs holding an RPC slot, so it takes no other."""
        if self.options.suite_min_bytes is None:
            return self._score_chunk(groups)
        return suites.score(self, groups, None, self._score_chunk, None)

    def score_group_message(self, group):
        """Scores one Group through the coalescer; blocks; returns its GroupResult."""
        return self.submit_group(group).result()

    def score_group(self, verifier: str, ground_truth, completions, mode: str | None = None,
                    shaping=None) -> results.GroupScore:
        """Scores ``completions`` of one task (its dataset label ``ground_truth``, sent
        unchanged); returns a GroupScore of plain dataclasses. Never raises for a bad task (the
        samples' outcome is "ERROR"); raises ArbiterError when the server fails."""
        completions = list(completions)
        group = results.make_group(verifier, ground_truth, completions, mode, shaping=shaping)
        return results.group_score(self.score_group_message(group), len(completions))

    def score_one(self, verifier: str, ground_truth, completion: str,
                  mode: str | None = None) -> results.SampleScore:
        """Scores one completion; returns a SampleScore (see results.py for outcomes)."""
        return self.score_group(verifier, ground_truth, [completion], mode).samples[0]


def make_generate_request(kind: str, params=None):
    request = messages.GenerateRequest(kind=kind)
    if params is not None:
        field = request.DESCRIPTOR.fields_by_name.get(kind)
        if field is None or field.message_type is None:
            raise ValueError(f"Generate kind {kind!r} takes no params message here; kinds with "
                             f"params: {sorted(f.name for f in request.DESCRIPTOR.oneofs_by_name['params'].fields)}")
        cls = messages.message_class(field.message_type.full_name)
        getattr(request, kind).CopyFrom(messages.coerce(params, cls, "params"))
    return request
