"""The asyncio arbiter client.

``AsyncClient`` has the sync Client's behaviour (deadlines, retries on UNAVAILABLE and
RESOURCE_EXHAUSTED only, splitting, coalescing) with coroutine methods that may be awaited on
*any* event loop: verl's reward loop, TRL's daemon-thread loop, slime's loop, successive
``asyncio.run`` calls, several loops at once.

Design: it drives the process's ordinary (sync) gRPC channel, created lazily per process like
Client's, and bridges each call's grpc.Future to the awaiting loop (no thread per call). grpcio's
own asyncio stack (grpc.aio) is deliberately not used: its channels belong to one loop, and a
process that has used grpc.aio does not survive fork() (measured: a forked child hangs with
grpcio 1.51 and crashes with 1.60 when it opens a channel; verl's PRIME pool forks). Per event loop
it keeps only an asyncio.Semaphore (max_in_flight); single-group calls from every loop and thread
of the process share one coalescer. Creating one opens nothing; it pickles as its settings.
"""
import asyncio
import os
import threading
import weakref

import grpc

from arbiter_client import batching, messages, results, retry, suites
from arbiter_client.client import Client, make_generate_request


def _transfer(source, target):
    if target.cancelled():
        return
    if source.cancelled():
        target.cancel()
        return
    error = source.exception()
    if error is not None:
        target.set_exception(error)
    else:
        target.set_result(source.result())


class _Mailbox:
    """Hands finished concurrent futures to one event loop in bursts: the first future of a burst
    wakes the loop (call_soon_threadsafe writes to its self-pipe), the rest join the same wake-up.
    A coalesced batch of 256 answers then costs the loop one wake-up, not 256."""

    def __init__(self, loop):
        self._loop = loop
        self._lock = threading.Lock()
        self._items = []

    def post(self, source, waiter):
        with self._lock:
            self._items.append((source, waiter))
            first = len(self._items) == 1
        if first:
            self._loop.call_soon_threadsafe(self._drain)

    def _drain(self):
        with self._lock:
            items, self._items = self._items, []
        for source, waiter in items:
            _transfer(source, waiter)


async def await_grpc(call):
    """Awaits a grpc.Future (from ``multi_callable.future()``) on the running loop."""
    loop = asyncio.get_running_loop()
    waiter = loop.create_future()
    call.add_done_callback(lambda done: loop.call_soon_threadsafe(_transfer, done, waiter))
    try:
        return await waiter
    except asyncio.CancelledError:
        call.cancel()
        raise


class AsyncClient:
    """asyncio client of one arbiter server (``server`` or $ARBITER_SERVER or the default);
    same arguments as Client."""

    def __init__(self, server: str | None = None, options=None, credentials=None,
                 **option_overrides):
        self._sync = Client(server, options, credentials, **option_overrides)
        self.target, self.options = self._sync.target, self._sync.options
        self._lock = threading.Lock()
        # event loop -> (pid, asyncio.Semaphore, _Mailbox)
        self._slots = weakref.WeakKeyDictionary()

    def __getstate__(self):
        return {"sync": self._sync}

    def __setstate__(self, state):
        self.__init__(state["sync"].target, state["sync"].options, state["sync"]._credentials)

    def _loop_state(self):
        loop = asyncio.get_running_loop()
        with self._lock:
            entry = self._slots.get(loop)
            if entry is None or entry[0] != os.getpid():
                entry = self._slots[loop] = (os.getpid(),
                                             asyncio.Semaphore(self.options.max_in_flight),
                                             _Mailbox(loop))
            return entry

    def _loop_slots(self) -> asyncio.Semaphore:
        return self._loop_state()[1]

    async def close(self):
        """Closes this process's channel (shared with every loop of the process)."""
        self._sync.close()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()

    async def _wait_ready(self, seconds):
        await asyncio.get_running_loop().run_in_executor(None, self._sync._wait_ready, seconds)

    async def _call(self, method, stub_name, request, timeout=None):
        timeout = self.options.timeout if timeout is None else timeout
        stub = getattr(self._sync._process(), stub_name)
        return await retry.call_async(
            lambda timeout: await_grpc(stub.future(request, timeout=timeout)),
            self.options.retry, timeout, self.target, method, self._wait_ready)

    async def score(self, groups, shaping=None, *, request_id: str = "",
                    timeout: float | None = None):
        """See Client.score (Options.suite_min_bytes included)."""
        groups = batching.coerce_groups(groups)
        shaping = batching.coerce_shaping(shaping)
        if self.options.suite_min_bytes is not None:
            send = lambda sent: self._score_all(sent, shaping, request_id, timeout)
            return await suites.score_async(self, groups, shaping, send, timeout)
        return await self._score_all(groups, shaping, request_id, timeout)

    async def _score_all(self, groups, shaping, request_id, timeout):
        chunks = batching.split(groups, self.options.max_message_bytes,
                                self.options.max_groups_per_request)
        slots = self._loop_slots()

        async def run(start, chunk):
            async with slots:
                request = batching.make_request(chunk, shaping, request_id)
                return start, await self._call("Score", "score", request, timeout)

        done = await asyncio.gather(*(run(start, chunk) for start, chunk in chunks))
        return done[0][1] if len(done) == 1 else batching.merge(list(done))

    async def score_stream(self, groups, shaping=None, *, request_id: str = "",
                           timeout: float | None = None):
        """See Client.score_stream (an async iterator; the stream is read on a worker thread)."""
        loop = asyncio.get_running_loop()
        stream = self._sync.score_stream(groups, shaping, request_id=request_id, timeout=timeout)
        end = object()
        try:
            while True:
                result = await loop.run_in_executor(None, next, stream, end)
                if result is end:
                    return
                yield result
        finally:
            stream.close()

    async def generate(self, kind: str, params=None, *, timeout: float | None = None):
        """See Client.generate."""
        return await self._call("Generate", "generate", make_generate_request(kind, params),
                                timeout)

    async def register_suite(self, content, *, timeout: float | None = None) -> str:
        """As Client.register_suite: stores ``content``; returns its suite_id."""
        if isinstance(content, bytes):
            content = content.decode("utf-8")
        response = await self._call("RegisterSuite", "register_suite",
                                    messages.RegisterSuiteRequest(content=content), timeout)
        return response.suite_id

    async def list_verifiers(self, *, timeout: float | None = None):
        return await self._call("ListVerifiers", "list_verifiers",
                                messages.ListVerifiersRequest(), timeout)

    async def health(self, service: str = "", *, timeout: float | None = 10.0) -> str:
        response = await self._call("Health.Check", "health",
                                    messages.HealthCheckRequest(service=service), timeout)
        return messages.HealthCheckResponse.ServingStatus.Name(response.status)

    async def score_group_message(self, group):
        """Scores one Group through the process's coalescer; returns its GroupResult."""
        mailbox = self._loop_state()[2]
        waiter = asyncio.get_running_loop().create_future()
        future = self._sync.submit_group(group)
        future.add_done_callback(lambda done: mailbox.post(done, waiter))
        try:
            return await waiter
        except asyncio.CancelledError:
            future.cancel()  # still queued: its group is not sent (coalesce.py)
            raise

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
