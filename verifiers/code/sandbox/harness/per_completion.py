# Per-completion mode, the supervisor's side: the tests of a session run one after another in one
# completion process (completion.py), which the supervisor clones once; when a test ends that
# process (crash, signal, os._exit, a limit: it is killed on wall and output limits) or leaves
# state behind ("R"), a fresh one runs the remaining tests. Everything else is as in
# fresh-process mode: the same pipes, poll loop, kills of every other process, wipes of /work and
# /dev/shm and classification; CPU time is this test's share of the process's (/proc, not the
# child's word), peak memory the process's peak so far.
import ctypes
import os
import signal
import socket
import struct
import sys
import time

from harness import cleanup, completion, config, forker, supervisor

_TICK = os.sysconf("SC_CLK_TCK")


class CompletionProcess:
    def __init__(self):
        self.pid = -1
        self.sock = None

    def start(self, tests):
        sup, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        null = os.open("/dev/null", os.O_RDWR)
        # The CPU hard limit covers every test; completion.py lowers the soft one per test.
        limits = (ctypes.c_longlong * 6)(*forker.RLIMITS)
        limits[1] = limits[0] * tests + 1
        limits[3] -= 1  # RLIMIT_NPROC: the server counts a forker, which this mode does not have
        pid = forker.LIB.arbiter_spawn_test((ctypes.c_int * 4)(child_end.fileno(), null, null, null),
                                            config.work_dir().encode(), limits)
        if pid == 0:
            try:
                sup.detach()  # forker.c closed every fd but 0-3
                sys.stdin, sys.stdout, sys.stderr = forker.CHILD_STDIO
                completion.serve()
            finally:
                os._exit(127)
        child_end.close()
        os.close(null)
        if pid < 0:
            sup.close()
            raise OSError(-pid, "fork: %s" % os.strerror(-pid))
        self.pid, self.sock = pid, sup

    def stop(self):
        self.pid, self.sock = cleanup.stop_helper(self.pid, self.sock)

    def send(self, fds, fn_name, args_json):
        name, args = fn_name.encode(), args_json.encode()
        socket.send_fds(self.sock, [struct.pack("=II", len(name), len(args))], fds)
        self.sock.sendall(name + args)


PROCESS = CompletionProcess()
TESTS_LEFT = 0  # set by main: how many tests the session announced


def cpu_seconds(pid):
    # utime + stime + cutime + cstime of `pid` (its waited-for children count, as in wait4).
    with open("/proc/%d/stat" % pid, "rb") as f:
        fields = f.read().rsplit(b")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / _TICK


def peak_memory(pid):
    with open("/proc/%d/status" % pid, "rb") as f:
        for line in f:
            if line.startswith(b"VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def run_test(fn_name, stdin_data, args_json):
    global TESTS_LEFT
    child_fds, in_w, output = supervisor.test_pipes()
    try:
        for attempt in (0, 1):  # a process that died between tests costs a fresh one, once
            if PROCESS.pid <= 0:
                PROCESS.start(max(1, TESTS_LEFT))
            try:
                cpu_before = cpu_seconds(PROCESS.pid)
                start = time.monotonic()
                PROCESS.send(child_fds, fn_name, args_json)
                break
            except OSError:
                PROCESS.stop()
                if attempt:
                    raise
    finally:
        supervisor.close_all(child_fds)
    TESTS_LEFT -= 1
    pid = PROCESS.pid
    killed_for, exited, done = supervisor.watch(pid, in_w, stdin_data, output,
                                                start + config.LIMITS["wall_s"],
                                                PROCESS.sock.fileno())
    if done:
        wall = time.monotonic() - start
        cpu, maxrss = cpu_seconds(pid) - cpu_before, peak_memory(pid)
        if pid in cleanup.kill_everything_else(pid, {pid}) or done != b"D":
            PROCESS.stop()
        killed_for = supervisor.finish_test(output, killed_for)
        record = supervisor.read_record(bytes(output.res))
        code = record.get("exit_code")
        end = ((code & 0xFF) if isinstance(code, int) else 1, 0)  # as os._exit(code) would
    else:
        if not exited:
            os.kill(pid, signal.SIGKILL)
        _, wstatus, ru = os.wait4(pid, 0)
        wall = time.monotonic() - start
        PROCESS.pid = -1
        PROCESS.stop()
        cpu, maxrss = ru.ru_utime + ru.ru_stime - cpu_before, ru.ru_maxrss * 1024
        cleanup.kill_everything_else(pid, set())
        killed_for = supervisor.finish_test(output, killed_for)
        record, end = None, supervisor.ending(wstatus)
    header, blobs = supervisor.classify(end, cpu, maxrss, wall, killed_for, output, record)
    return supervisor.check_supervisor(header), blobs
