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


def test_pipes():
    # A fresh work directory and the test's four pipes: (child ends [stdin, stdout, stderr,
    # result], the stdin write end, the Output over the read ends).
    os.mkdir(config.work_dir(), 0o700)
    in_r, in_w = os.pipe2(os.O_CLOEXEC)
    out_r, out_w = os.pipe2(os.O_CLOEXEC)
    err_r, err_w = os.pipe2(os.O_CLOEXEC)
    res_r, res_w = os.pipe2(os.O_CLOEXEC)
    return [in_r, out_w, err_w, res_w], in_w, Output((out_r, err_r, res_r), config.LIMITS)


def close_all(fds):
    for fd in fds:
        os.close(fd)


def finish_test(output, killed_for):
    # After every writer is dead: the rest of the output, then the writable directories wiped.
    # Returns killed_for, now also "output" when the rest passed the cap.
    output.drain()
    if output.out_overflow:
        killed_for = killed_for or "output"
    cleanup.wipe(config.WORK)
    if config.ISOLATED:
        cleanup.wipe(config.SHM)
    return killed_for


def check_supervisor(header):
    if process_state(0) != SUPERVISOR_STATE:
        # The test lowered our own limits or priority, which no unprivileged process can undo
        # and every later forker and child would inherit: the server starts a fresh sandbox for
        # the tests after this one. This test's verdict stands.
        header["retire"] = True
    return header


def run_test(fn_name, stdin_data, args_json):
    # Fresh-process mode: one new child for this test.
    if fn_name and config.RUN != "python":
        stdin_data = args_json.encode()  # an exec'd call wrapper reads its arguments from stdin
    child_fds, in_w, output = test_pipes()
    start = time.monotonic()
    try:
        pid = forker.spawn_test(child_fds, fn_name, args_json)
    finally:
        close_all(child_fds)
    killed_for, exited, _ = watch(pid, in_w, stdin_data, output,
                                  start + config.LIMITS["wall_s"])
    if not exited:
        os.kill(pid, signal.SIGKILL)
    _, wstatus, ru = os.wait4(pid, 0)
    wall = time.monotonic() - start
    if forker.FORKER.pid in cleanup.kill_everything_else(pid, {forker.FORKER.pid}):
        forker.FORKER.pid, forker.FORKER.lost = -1, True
    killed_for = finish_test(output, killed_for)
    if forker.USE_FORKER and not forker.FORKER.intact():
        forker.FORKER.lost = True  # replaced before the next test
    header, blobs = classify(ending(wstatus), ru.ru_utime + ru.ru_stime, ru.ru_maxrss * 1024,
                             wall, killed_for, output)
    return check_supervisor(header), blobs


def watch(pid, in_w, stdin_data, output, deadline, control=-1):
    # Feeds stdin and collects output until the child exits, says on `control` that the test is
    # over (per-completion mode), the wall clock runs out or stdout passes its cap. Returns
    # (killed_for: None|"wall"|"output", exited, done: b""|b"D"|b"R"). Closes in_w.
    pidfd = os.pidfd_open(pid)
    os.set_blocking(in_w, False)
    stdin_view = memoryview(stdin_data)
    poller = select.poll()
    for fd in (output.out_r, output.err_r, output.res_r, pidfd):
        poller.register(fd, select.POLLIN)
    if control >= 0:
        poller.register(control, select.POLLIN)
    if stdin_view:
        poller.register(in_w, select.POLLOUT)
    else:
        os.close(in_w)
        in_w = -1
    killed_for, exited, done = None, False, b""
    while not exited and not killed_for and not done:
        left = deadline - time.monotonic()
        if left <= 0:
            killed_for = "wall"
            break
        for fd, ev in poller.poll(left * 1000):
            if fd == pidfd:
                exited = True
            elif fd == control:
                try:
                    done = os.read(control, 1)
                except OSError:  # reset: the child is gone
                    done = b""
                if not done:  # the child is going away: its exit ends the test
                    poller.unregister(control)
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
    return killed_for, exited, done


def ending(wstatus):
    # (exit code, signal) of a wait status.
    if os.WIFSIGNALED(wstatus):
        return 0, os.WTERMSIG(wstatus)
    return (os.WEXITSTATUS(wstatus) if os.WIFEXITED(wstatus) else 0), 0


def read_record(res):
    # The test's result record: untrusted (the candidate shares the child), so only well-typed
    # fields are used. {} when absent or malformed (with "error" saying so when malformed).
    if not res:
        return {}
    try:
        record = _loads(res)
    except ValueError:
        return {"error": "malformed result record"}
    return record if isinstance(record, dict) else {}


def classify(end, cpu, maxrss, wall, killed_for, output, record=None):
    # The result header and blobs of a test that ended with `end` = (exit code, signal).
    limits = config.LIMITS
    record = read_record(bytes(output.res)) if record is None else record
    if "pages" in record:
        prefetch.learn(record)
    exit_code, sig = end
    header = {"exit_code": exit_code, "signal": sig, "cpu_s": cpu, "wall_s": wall,
              "maxrss": maxrss, "error": str(record.get("error", ""))[:2000]}
    if isinstance(record.get("unequal"), str):  # returned a value no JSON value equals
        header["unequal"] = record["unequal"][:200] or "?"
    memory = record.get("memory") is True
    ret = record["return"].encode() if isinstance(record.get("return"), str) else b""
    types = record["python"].encode() if isinstance(record.get("python"), str) else b""
    if killed_for == "output":
        status = "output"
    elif sig == signal.SIGXCPU or cpu > limits["cpu_s"]:
        status = "cpu"
    elif killed_for == "wall":
        status = "wall"
    elif memory or (sig in (signal.SIGABRT, signal.SIGSEGV) and b"bad_alloc" in output.err) or (
            (sig or exit_code) and any(m in output.err for m in config.MEMORY_MARKERS)):
        status = "memory"
    elif sig:
        status = "signaled"
    else:
        status = "exited"
    header["status"] = status
    return header, [bytes(output.out), bytes(output.err), ret, types]
