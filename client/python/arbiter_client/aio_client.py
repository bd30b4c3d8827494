"""The asyncio arbiter client (grpc.aio).

A grpc.aio channel belongs to the event loop that created it, so ``AsyncClient`` keeps one
channel, one in-flight semaphore and one coalescer *per event loop* (and per process), created
lazily on first use in that loop: the same object works from the verl reward loop, TRL's
daemon-thread loop, slime's loop, or successive ``asyncio.run`` calls. State of a loop that has
been garbage-collected goes with it. Creating one opens nothing; it pickles as its settings.

Same behaviour as the sync Client (deadlines, retries on UNAVAILABLE / RESOURCE_EXHAUSTED only,
splitting, coalescing of single-group calls); each method is a coroutine to await on the loop
that calls it.
"""
import asyncio
import dataclasses
import os
import threading
import weakref

import grpc

from arbiter_client import batching, messages, results, retry
from arbiter_client.aio_coalesce import LoopCoalescer
from arbiter_client.client import make_generate_request
from arbiter_client.config import Options, resolve_server

_SERVICE = "/arbiter.v1.Arbiter/"


class _LoopState:
    def __init__(self, target: str, options: Options, credentials):
        self.pid = os.getpid()
        opts = options.channel_options()
        self.channel = (grpc.aio.secure_channel(target, credentials, opts) if credentials
                        else grpc.aio.insecure_channel(target, opts))
        rpc = lambda name, req, resp: self.channel.unary_unary(
            _SERVICE + name, request_serializer=req.SerializeToString,
            response_deserializer=resp.FromString)
        self.score = rpc("Score", messages.ScoreRequest, messages.ScoreResponse)
        self.generate = rpc("Generate", messages.GenerateRequest, messages.GenerateResponse)
        self.list_verifiers = rpc("ListVerifiers", messages.ListVerifiersRequest,
                                  messages.ListVerifiersResponse)
        self.health = self.channel.unary_unary(
            "/grpc.health.v1.Health/Check",
            request_serializer=messages.HealthCheckRequest.SerializeToString,
            response_deserializer=messages.HealthCheckResponse.FromString)
        self.score_stream = self.channel.unary_stream(
            _SERVICE + "ScoreStream", request_serializer=messages.ScoreRequest.SerializeToString,
            response_deserializer=messages.GroupResult.FromString)
        self.slots = asyncio.Semaphore(options.max_in_flight)
        self.coalescer = None


class AsyncClient:
    """asyncio client of one arbiter server (``server`` or $ARBITER_SERVER or the default)."""

    def __init__(self, server: str | None = None, options: Options | None = None,
                 credentials=None, **option_overrides):
        self.target = resolve_server(server)
        self.options = dataclasses.replace(options or Options(), **option_overrides)
        self._credentials = credentials
        self._lock = threading.Lock()
        self._states = weakref.WeakKeyDictionary()  # event loop -> _LoopState

    def __getstate__(self):
        return {"target": self.target, "options": self.options, "credentials": self._credentials}

    def __setstate__(self, state):
        self.__init__(state["target"], state["options"], state["credentials"])

    def _loop_state(self) -> _LoopState:
        loop = asyncio.get_running_loop()
        with self._lock:
            state = self._states.get(loop)
            if state is None or state.pid != os.getpid():
                state = _LoopState(self.target, self.options, self._credentials)
                self._states[loop] = state
            return state

    async def close(self):
        """Closes the calling loop's channel (other loops' channels are left alone)."""
        loop = asyncio.get_running_loop()
        with self._lock:
            state = self._states.pop(loop, None)
        if state is not None and state.pid == os.getpid():
            await state.channel.close()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()

    async def _call(self, method, stub, request, timeout=None):
        timeout = self.options.timeout if timeout is None else timeout
        return await retry.call_async(lambda timeout: stub(request, timeout=timeout),
                                      self.options.retry, timeout, self.target, method,
                                      self._loop_state().channel)

    async def _score_chunk(self, groups, shaping=None, request_id="", timeout=None):
        state = self._loop_state()
        return await self._call("Score", state.score,
                                batching.make_request(groups, shaping, request_id), timeout)

    async def score(self, groups, shaping=None, *, request_id: str = "",
                    timeout: float | None = None):
        """See Client.score."""
        groups = batching.coerce_groups(groups)
        shaping = batching.coerce_shaping(shaping)
        chunks = batching.split(groups, self.options.max_message_bytes,
                                self.options.max_groups_per_request)
        state = self._loop_state()

        async def run(start, chunk):
            async with state.slots:
                return start, await self._score_chunk(chunk, shaping, request_id, timeout)

        done = await asyncio.gather(*(run(start, chunk) for start, chunk in chunks))
        return done[0][1] if len(done) == 1 else batching.merge(list(done))

    async def score_stream(self, groups, shaping=None, *, request_id: str = "",
                           timeout: float | None = None):
        """See Client.score_stream (an async iterator)."""
        from arbiter_client.streaming import stream_async
        async for result in stream_async(self, groups, shaping, request_id, timeout):
            yield result

    async def generate(self, kind: str, params=None, *, timeout: float | None = None):
        """See Client.generate."""
        return await self._call("Generate", self._loop_state().generate,
                                make_generate_request(kind, params), timeout)

    async def list_verifiers(self, *, timeout: float | None = None):
        return await self._call("ListVerifiers", self._loop_state().list_verifiers,
                                messages.ListVerifiersRequest(), timeout)

    async def health(self, service: str = "", *, timeout: float | None = 10.0) -> str:
        response = await self._call("Health.Check", self._loop_state().health,
                                    messages.HealthCheckRequest(service=service), timeout)
        return messages.HealthCheckResponse.ServingStatus.Name(response.status)

    async def score_group_message(self, group):
        """Scores one Group through this loop's coalescer; returns its GroupResult."""
        group = messages.coerce(group, messages.Group, "group")
        state = self._loop_state()
        if state.coalescer is None:
            state.coalescer = LoopCoalescer(
                self._score_chunk, state.slots, self.options.coalesce_window,
                self.options.coalesce_max_batch, self.options.max_message_bytes)
        return await state.coalescer.submit(group)

    async def score_group(self, verifier: str, ground_truth, completions,
                          mode: str | None = None, shaping=None) -> results.GroupScore:
        """See Client.score_group."""
        completions = list(completions)
        group = results.make_group(verifier, ground_truth, completions, mode, shaping=shaping)
        return results.group_score(await self.score_group_message(group), len(completions))

    async def score_one(self, verifier: str, ground_truth, completion: str,
                        mode: str | None = None) -> results.SampleScore:
        """See Client.score_one."""
        return (await self.score_group(verifier, ground_truth, [completion], mode)).samples[0]
