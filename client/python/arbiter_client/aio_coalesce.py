"""Coalescing of concurrent single-group coroutines on one event loop into one Score RPC.

The asyncio twin of coalesce.py (same policy: a batch leaves when ``max_batch`` groups wait or
``window`` seconds after the first, and only when an RPC slot is free). One instance belongs to
one event loop; aio_client.py keeps one per loop. Not thread-safe: call it only from its loop.
"""
import asyncio

from arbiter_client import batching
from arbiter_client.errors import ArbiterError


class LoopCoalescer:
    def __init__(self, send, slots: asyncio.Semaphore, window: float, max_batch: int,
                 max_bytes: int):
        """``send(groups)`` is a coroutine doing one (retried) RPC, awaited holding a slot."""
        self._send, self._slots = send, slots
        self._window, self._max_batch = window, max_batch
        self._max_bytes = max_bytes - 64 * 1024
        self._pending = []  # [(group, size, future)]
        self._first_at = 0.0
        self._wakeup = asyncio.Event()
        self._flusher = None
        self._tasks = set()

    async def submit(self, group):
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._pending.append((group, batching.group_wire_size(group), future))
        if len(self._pending) == 1:
            self._first_at = loop.time()
            self._wakeup.set()
        elif len(self._pending) >= self._max_batch:
            self._wakeup.set()
        if self._flusher is None or self._flusher.done():
            self._flusher = loop.create_task(self._flush_loop())
        return await future

    def _take_batch(self, now: float) -> list:
        batch, total = [], 0
        for item in self._pending:
            if batch and (len(batch) >= self._max_batch or total + item[1] > self._max_bytes):
                break
            batch.append(item)
            total += item[1]
        del self._pending[:len(batch)]
        self._first_at = now
        return batch

    async def _flush_loop(self):
        loop = asyncio.get_running_loop()
        while True:
            while not self._pending:
                self._wakeup.clear()
                await self._wakeup.wait()
            while len(self._pending) < self._max_batch:
                remaining = self._first_at + self._window - loop.time()
                if remaining <= 0:
                    break
                self._wakeup.clear()
                try:
                    await asyncio.wait_for(self._wakeup.wait(), remaining)
                except asyncio.TimeoutError:
                    break
            await self._slots.acquire()
            batch = self._take_batch(loop.time())
            task = loop.create_task(self._run(batch))
            self._tasks.add(task)  # keep a reference until done
            task.add_done_callback(self._tasks.discard)

    async def _run(self, batch):
        try:
            await self._resolve(batch)
        finally:
            self._slots.release()

    async def _resolve(self, batch):
        try:
            response = await self._send([group for group, _, _ in batch])
        except ArbiterError as err:
            if err.code is not None and err.code.name == "INVALID_ARGUMENT" and len(batch) > 1:
                half = len(batch) // 2
                await self._resolve(batch[:half])
                await self._resolve(batch[half:])
                return
            _fail(batch, err)
            return
        except BaseException as err:
            _fail(batch, err)
            raise
        for (_, _, future), result in zip(batch, response.groups):
            if not future.done():
                future.set_result(result)
        _fail(batch[len(response.groups):], ArbiterError(
            f"server answered {len(response.groups)} groups for a batch of {len(batch)}"))


def _fail(batch, err):
    for _, _, future in batch:
        if not future.done():
            future.set_exception(err)
