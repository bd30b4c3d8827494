# One test, as the supervisor (pid 1) runs it: pipes, a child, the poll loop (stdin, stdout,
# stderr, result record, wall clock), wait4, cleanup, and the classification of how it ended.
# The supervisor never forks per test, so its memory is never shared copy-on-write and its
# per-test work takes no page faults.
import json
import os
import select
import signal
import time

from harness import cleanup, config, forker, prefetch
from harness.process_state import process_state

_loads = json.loads
SUPERVISOR_STATE = None  # process_state(0) at start, set by main


class Output:
    """What one test wrote: stdout (capped; past the cap the test is killed), stderr (truncated),
    result record (capped)."""

    def __init__(self, fds, limits):
        self.out_r, self.err_r, self.res_r = fds
        self.max_out, self.max_err = limits["max_stdout"], limits["max_stderr"]
        self.out, self.err, self.res = bytearray(), bytearray(), bytearray()
        self.out_overflow = self.res_overflow = False

    def take(self, fd, chunk):
        if fd == self.out_r:
            room = self.max_out - len(self.out)
            self.out_overflow = self.out_overflow or len(chunk) > room
            self.out += chunk[:max(0, room)]
        elif fd == self.err_r:
            self.err += chunk[:max(0, self.max_err - len(self.err))]
        else:
            self.res_overflow = self.res_overflow or len(self.res) + len(chunk) > config.RESULT_CAP
            if len(self.res) < config.RESULT_CAP:
                self.res += chunk

    def drain(self):
        # Every writer is dead: reads what is left without blocking, closes the read ends.
        for fd in (self.out_r, self.err_r, self.res_r):
            os.set_blocking(fd, False)
            while True:
                try:
                    chunk = os.read(fd, 1 << 16)
                except BlockingIOError:
                    break
                if not chunk:
                    break
                self.take(fd, chunk)
            os.close(fd)


def run_test(fn_name, stdin_data, args_json):
    limits = config.LIMITS
    if fn_name and config.RUN != "python":
        stdin_data = args_json.encode()  # an exec'd call wrapper reads its arguments from stdin
    os.mkdir(config.work_dir(), 0o700)
    in_r, in_w = os.pipe2(os.O_CLOEXEC)
    out_r, out_w = os.pipe2(os.O_CLOEXEC)
    err_r, err_w = os.pipe2(os.O_CLOEXEC)
    res_r, res_w = os.pipe2(os.O_CLOEXEC)
    start = time.monotonic()
    try:
        pid = forker.spawn_test([in_r, out_w, err_w, res_w], fn_name, args_json)
    finally:
        for fd in (in_r, out_w, err_w, res_w):
            os.close(fd)
    output = Output((out_r, err_r, res_r), limits)
    killed_for, exited = watch(pid, in_w, stdin_data, output, start + limits["wall_s"])
    if not exited:
        os.kill(pid, signal.SIGKILL)
    _, wstatus, ru = os.wait4(pid, 0)
    wall = time.monotonic() - start
    cleanup.kill_everything_else(pid, forker.FORKER)
    output.drain()
    if output.out_overflow:
        killed_for = killed_for or "output"
    cleanup.wipe(config.WORK)
    if config.ISOLATED:
        cleanup.wipe(config.SHM)
    if forker.USE_FORKER and not forker.FORKER.intact():
        forker.FORKER.lost = True  # replaced before the next test
    header, blobs = classify(wstatus, ru, wall, killed_for, limits, bytes(output.out),
                             bytes(output.err), bytes(output.res))
    if process_state(0) != SUPERVISOR_STATE:
        # The test lowered our own limits or priority, which no unprivileged process can undo
        # and every later forker and child would inherit: the server starts a fresh sandbox for
        # the tests after this one. This test's verdict stands.
        header["retire"] = True
    return header, blobs


def watch(pid, in_w, stdin_data, output, deadline):
    # Feeds stdin and collects output until the child exits, the wall clock runs out or stdout
    # passes its cap. Returns (killed_for: None|"wall"|"output", exited). Closes in_w.
    pidfd = os.pidfd_open(pid)
    os.set_blocking(in_w, False)
    stdin_view = memoryview(stdin_data)
    poller = select.poll()
    for fd in (output.out_r, output.err_r, output.res_r, pidfd):
        poller.register(fd, select.POLLIN)
    if stdin_view:
        poller.register(in_w, select.POLLOUT)
    else:
        os.close(in_w)
        in_w = -1
    killed_for, exited = None, False
    while not exited and not killed_for:
        left = deadline - time.monotonic()
        if left <= 0:
            killed_for = "wall"
            break
        for fd, ev in poller.poll(left * 1000):
            if fd == pidfd:
                exited = True
            elif fd == in_w:
                try:
                    stdin_view = stdin_view[os.write(in_w, stdin_view[:1 << 16]):]
                except (BrokenPipeError, BlockingIOError):
                    stdin_view = stdin_view[:0] if ev & select.POLLERR else stdin_view
                if not stdin_view or ev & (select.POLLERR | select.POLLHUP):
                    poller.unregister(in_w)
                    os.close(in_w)
                    in_w = -1
            else:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    poller.unregister(fd)
                    continue
                output.take(fd, chunk)
                if output.out_overflow or output.res_overflow:
                    killed_for = "output"
    os.close(pidfd)
    if in_w >= 0:
        os.close(in_w)
    return killed_for, exited


def classify(wstatus, ru, wall, killed_for, limits, out, err, res):
    cpu = ru.ru_utime + ru.ru_stime
    header = {"exit_code": 0, "signal": 0, "cpu_s": cpu, "wall_s": wall,
              "maxrss": ru.ru_maxrss * 1024, "error": ""}
    ret = b""
    memory = False
    if res:
        try:
            record = _loads(res)
            if isinstance(record, dict) and "pages" in record:
                prefetch.learn(record)
            if isinstance(record, dict):
                header["error"] = str(record.get("error", ""))[:2000]
                memory = record.get("memory") is True
                if isinstance(record.get("return"), str):
                    ret = record["return"].encode()
        except ValueError:
            header["error"] = "malformed result record"
    if os.WIFSIGNALED(wstatus):
        header["signal"] = os.WTERMSIG(wstatus)
    elif os.WIFEXITED(wstatus):
        header["exit_code"] = os.WEXITSTATUS(wstatus)
    sig = header["signal"]
    if killed_for == "output":
        status = "output"
    elif sig == signal.SIGXCPU or cpu > limits["cpu_s"]:
        status = "cpu"
    elif killed_for == "wall":
        status = "wall"
    elif memory or (sig in (signal.SIGABRT, signal.SIGSEGV) and b"bad_alloc" in err) or (
            (sig or header["exit_code"]) and any(m in err for m in config.MEMORY_MARKERS)):
        status = "memory"
    elif sig:
        status = "signaled"
    else:
        status = "exited"
    header["status"] = status
    return header, [out, err, ret]
