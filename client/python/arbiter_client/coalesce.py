"""Coalescing of concurrent single-group calls into one batched Score RPC (threads).

Trainers that score one completion per call (verl's reward loop, OpenRLHF's ``asyncio.to_thread``,
PRIME's workers) would otherwise pay one RPC per sample. ``ThreadCoalescer.submit(group)`` queues
the group and returns a ``concurrent.futures.Future`` of its GroupResult. A flusher thread sends
a batch when ``max_batch`` groups are waiting or ``window`` seconds after the first one arrived,
and only when one of the ``max_in_flight`` RPC slots is free: while all are busy, waiting groups
pile up into the next (bigger) batch, so batches grow with load and latency stays at one window
when idle. Each caller gets exactly its own group's result (or the RPC's exception).

Thread-safe. Not fork-safe by itself: the owner (client.py) makes a new one per process.
"""
import concurrent.futures
import threading
import time

from arbiter_client import batching
from arbiter_client.errors import ArbiterError


class ThreadCoalescer:
    def __init__(self, send, slots: threading.BoundedSemaphore, executor, window: float,
                 max_batch: int, max_bytes: int):
        """``send(groups) -> ScoreResponse`` does one (retried) RPC; it runs on ``executor`` while
        holding one of ``slots``."""
        self._send, self._slots, self._executor = send, slots, executor
        self._window, self._max_batch = window, max_batch
        self._max_bytes = max_bytes - 64 * 1024
        self._cv = threading.Condition()
        self._pending = []  # [(group, size, future)]
        self._first_at = 0.0
        self._thread = None

    def submit(self, group) -> concurrent.futures.Future:
        future = concurrent.futures.Future()
        size = batching.group_wire_size(group)
        with self._cv:
            if self._thread is None:
                self._thread = threading.Thread(target=self._flush_loop, name="arbiter-coalescer",
                                                daemon=True)
                self._thread.start()
            self._pending.append((group, size, future))
            if len(self._pending) == 1:
                self._first_at = time.monotonic()
                self._cv.notify()
            elif len(self._pending) >= self._max_batch:
                self._cv.notify()
        return future

    def _take_batch(self) -> list:
        """Called with the lock held: the oldest groups, up to max_batch and max_bytes."""
        batch, total = [], 0
        for item in self._pending:
            if batch and (len(batch) >= self._max_batch or total + item[1] > self._max_bytes):
                break
            batch.append(item)
            total += item[1]
        del self._pending[:len(batch)]
        self._first_at = time.monotonic()
        return batch

    def _flush_loop(self):
        while True:
            with self._cv:
                while not self._pending:
                    self._cv.wait()
                while len(self._pending) < self._max_batch:
                    remaining = self._first_at + self._window - time.monotonic()
                    if remaining <= 0:
                        break
                    self._cv.wait(remaining)
            self._slots.acquire()  # wait for a free RPC slot; groups keep arriving meanwhile
            with self._cv:
                batch = self._take_batch()
            self._executor.submit(self._run, batch)

    def _run(self, batch):
        try:
            # A caller may have cancelled its future meanwhile (a thread's cancel(), a cancelled
            # coroutine in AsyncClient.score_group_message): its group is not sent, and
            # the rest can no longer be cancelled, so setting their results cannot fail midway
            # and strand the callers after it.
            batch = [item for item in batch if item[2].set_running_or_notify_cancel()]
            if batch:
                self._resolve(batch)
        finally:
            self._slots.release()

    def _resolve(self, batch):
        try:
            response = self._send([group for group, _, _ in batch])
        except ArbiterError as err:
            if err.code is not None and err.code.name == "INVALID_ARGUMENT" and len(batch) > 1:
                # The server refused the request as a whole because of some group(s): resend in
                # halves so that only the culprits' callers see the error.
                half = len(batch) // 2
                self._resolve(batch[:half])
                self._resolve(batch[half:])
                return
            for _, _, future in batch:
                future.set_exception(err)
            return
        except BaseException as err:  # a bug or KeyboardInterrupt: callers must not hang
            for _, _, future in batch:
                future.set_exception(err)
            raise
        for (_, _, future), result in zip(batch, response.groups):
            future.set_result(result)
        for _, _, future in batch[len(response.groups):]:
            future.set_exception(ArbiterError(
                f"server answered {len(response.groups)} groups for a batch of {len(batch)}"))
