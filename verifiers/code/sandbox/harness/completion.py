# Per-completion mode, the child's side: ONE process runs all of a completion's tests, one after
# another, the way APPS's and LiveCodeBench's own graders do (but each test still gets a fresh
# global namespace, fresh stdio, an empty cwd and a fresh CPU budget). Started by the supervisor
# with its control socket on fd 0 (forker.c's set-up: own process group, rlimits, cwd).
# Per test, on the control socket:
#   in:  "=II" lengths of fn_name and args_json + SCM_RIGHTS [stdin, stdout, stderr, result]
#        pipe ends, then the two strings
#   out: one byte once the test is over: b"D" (ready for the next) or b"R" (this process is
#        retiring: the test left state behind that could reach the next test; the supervisor
#        starts a fresh process for the rest). The result record (fd 3) carries exit_code.
# If the program ends the process itself (os._exit, a signal, a limit), the supervisor sees it
# exit and reads the verdict from the wait status, as in fresh-process mode.
import builtins
import os
import resource
import signal
import socket
import struct
import sys

from harness import child, config
from harness.process_state import WATCHED_LIMITS, process_state

CONTROL_FD = -1  # the control socket, moved to the last descriptor RLIMIT_NOFILE allows


class Snapshot:
    """Interpreter and process state a test could change so that it reaches the next test.
    What can be put back is put back before every test; what cannot retires the process."""

    def __init__(self):
        self.builtins = dict(vars(builtins))
        self.handlers = {s: signal.getsignal(s) for s in signal.valid_signals()
                         if s not in (signal.SIGKILL, signal.SIGSTOP)}
        self.process = own_state()
        self.environ = dict(os.environ)
        self.recursion = sys.getrecursionlimit()
        self.control = os.fstat(CONTROL_FD).st_ino
        self.umask = os.umask(0o022)
        os.umask(self.umask)

    def restore(self):
        sys.setrecursionlimit(self.recursion)
        sys.settrace(None)
        sys.setprofile(None)
        os.umask(self.umask)
        sys.argv = ["solution.py"]
        threading = sys.modules.get("threading")
        if threading is not None:
            threading.stack_size(0)

    def changed(self):
        # Why the process must retire, or "" when it may run the next test.
        threading = sys.modules.get("threading")
        if threading is not None and threading.active_count() > 1:
            return "threads still running"
        if dict(vars(builtins)) != self.builtins:
            return "builtins changed"
        for s, handler in self.handlers.items():
            if signal.getsignal(s) != handler:
                return "signal handler changed"
        if own_state() != self.process:
            return "limits, priority or affinity changed"
        if os.environ != self.environ:
            return "environment changed"
        return ""


def own_state():
    # process_state(0) but the CPU limit, which serve() itself moves per test.
    limits, *rest = process_state(0)
    return [v for r, v in zip(WATCHED_LIMITS, limits) if r != resource.RLIMIT_CPU], rest


def serve():
    global CONTROL_FD
    CONTROL_FD = resource.getrlimit(resource.RLIMIT_NOFILE)[0] - 1
    os.dup2(0, CONTROL_FD, inheritable=False)
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2, 3):
        os.dup2(null, fd)
    os.close(null)
    sock = socket.socket(fileno=CONTROL_FD)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    snapshot = Snapshot()
    cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    while True:
        request = receive(sock)
        if request is None:
            os._exit(0)  # the supervisor is done with us
        fn_name, args_json = request
        reap_children()  # killed by the supervisor after the last test
        snapshot.restore()
        os.chdir(config.work_dir())
        # A fresh CPU budget: the soft limit is what this process has used so far + the test's.
        used = resource.getrusage(resource.RUSAGE_SELF)
        budget = int(used.ru_utime + used.ru_stime) + max(1, int(-(-config.LIMITS["cpu_s"] // 1)))
        resource.setrlimit(resource.RLIMIT_CPU, (min(budget, cpu_hard), cpu_hard))
        sys.stdin = open(0, "r", closefd=False)
        sys.stdout = open(1, "w", closefd=False)
        sys.stderr = open(2, "w", closefd=False)
        ns = {"__name__": "__main__" if not fn_name else "solution", "__builtins__": builtins}
        code, result = child.run_program(ns, fn_name, args_json)
        code = child.run_to_completion(ns, code)
        child.write_record(dict(result or {}, exit_code=code))
        why = snapshot.changed() or control_changed(snapshot)
        null = os.open("/dev/null", os.O_RDWR)
        for fd in (0, 1, 2, 3):  # the test's pipe ends: the supervisor drains to EOF
            os.dup2(null, fd)
        os.close(null)
        try:
            sock.sendall(b"R" if why else b"D")
        except OSError:
            os._exit(code)  # the program broke the channel: end as this test ended
        if why:
            os._exit(code)


def control_changed(snapshot):
    try:
        return "" if os.fstat(CONTROL_FD).st_ino == snapshot.control else "control channel"
    except OSError:
        return "control channel"


def receive(sock):
    try:
        data, fds, _, _ = socket.recv_fds(sock, 8, 4)
    except OSError:
        return None
    if len(data) != 8 or len(fds) != 4:
        return None
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    name_len, args_len = struct.unpack("=II", data)
    body = b""
    while len(body) < name_len + args_len:
        chunk = sock.recv(name_len + args_len - len(body))
        if not chunk:
            return None
        body += chunk
    return body[:name_len].decode("utf-8", "replace"), body[name_len:].decode("utf-8", "replace")


def reap_children():
    # The program's own children, which the supervisor killed after the last test: their zombies
    # would count toward RLIMIT_NPROC in this one.
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                return
        except ChildProcessError:
            return
