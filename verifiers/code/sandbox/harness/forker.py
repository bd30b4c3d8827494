# Starting test children. Per session the supervisor starts a forker (pid 2): a warm interpreter
# holding the compiled candidate that does nothing per test but run the C loop in forker.c
# (receive the test's four pipe ends and its call, clone(CLONE_PARENT) one child, reply with its
# pid), so the children are the supervisor's own and it reaps them. A session announced as one
# test has no forker: the supervisor clones that child itself. A test may kill, stop or re-limit
# the forker (same uid): the supervisor checks it after every test and replaces it if it changed.
import ctypes
import gc
import os
import signal
import socket
import struct
import sys

from harness import child, cleanup, config, prefetch
from harness.process_state import process_state

LIB = None  # forker.c, loaded with ctypes.PyDLL (the GIL stays held across its calls)
CHILD_STDIO = None  # the test children's sys.stdin/stdout/stderr, made before any fork
RLIMITS = None  # the test's rlimits as forker.c applies them


def load_library():
    # Loaded, and the children's stdio objects made, here in the supervisor before any fork, so
    # the forker inherits both instead of building them in freshly copy-on-write memory. The
    # stdio objects are over fds 0-2 (the server's socket and log pipe: not a tty, not seekable,
    # like the pipes a test child will have there) and never used by the supervisor.
    global LIB, CHILD_STDIO, RLIMITS
    limits = config.LIMITS
    LIB = ctypes.PyDLL(config.FORKER_LIBRARY)
    LIB.arbiter_fork.restype = ctypes.c_long
    LIB.arbiter_fork.argtypes = ()
    LIB.arbiter_spawn_test.restype = ctypes.c_long
    LIB.arbiter_spawn_test.argtypes = (ctypes.POINTER(ctypes.c_int), ctypes.c_char_p,
                                       ctypes.POINTER(ctypes.c_longlong))
    LIB.arbiter_forker_loop.restype = ctypes.c_int
    LIB.arbiter_forker_loop.argtypes = (
        ctypes.c_int, ctypes.c_char_p, ctypes.POINTER(ctypes.c_longlong),
        ctypes.POINTER(ctypes.c_uint32), ctypes.POINTER(ctypes.c_char_p))
    CHILD_STDIO = (open(0, "r", closefd=False), open(1, "w", closefd=False),
                   open(2, "w", closefd=False))
    # cpu soft and hard, address space, processes, open files, file size.
    cpu = max(1, int(-(-limits["cpu_s"] // 1)))
    RLIMITS = (ctypes.c_longlong * 6)(cpu, cpu + 1, limits["memory_bytes"], limits["nproc"],
                                       limits["nofile"], limits["fsize"])


class Forker:
    """The supervisor's handle on the forker process: start, ask for a child, check, replace."""

    def __init__(self):
        self.pid = -1
        self.sock = None
        self.lost = False
        self.baseline = None
        self.has_prefetch = False

    def start(self):
        sup, fork_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = LIB.arbiter_fork()  # once per session (again only if a test broke the forker)
        if pid == 0:
            try:
                sup.close()
                forker_main(fork_end)
            finally:
                os._exit(127)
        fork_end.close()
        if pid < 0:
            sup.close()
            raise OSError(-pid, "fork: %s" % os.strerror(-pid))
        self.pid, self.sock, self.lost, self.has_prefetch = pid, sup, False, False
        if sup.recv(1) != b"R":
            raise RuntimeError("the forker did not start (see its error above)")
        self.baseline = process_state(pid)

    def intact(self):
        if self.pid in cleanup.reap({self.pid}):  # died (a zombie would answer the checks below)
            self.pid = -1
            self.lost = True
        if self.lost or self.pid <= 0:
            return False
        try:
            os.kill(self.pid, signal.SIGCONT)  # undoes a SIGSTOP sent by the test
            return process_state(self.pid) == self.baseline
        except OSError:
            return False

    def stop(self):
        self.pid, self.sock = cleanup.stop_helper(self.pid, self.sock)

    def spawn(self, fds, fn_name, args_json, learn):
        # Sends the child's pipe ends and its call (and, once per forker, the learnt prefetch
        # list); returns the new child's pid.
        name, args = fn_name.encode(), args_json.encode()
        pages = b"" if self.has_prefetch else prefetch.PREFETCH
        socket.send_fds(self.sock, [struct.pack("=IIII", len(name), len(args), len(pages),
                                                1 if learn else 0)], fds)
        self.sock.sendall(name + args + pages)
        self.has_prefetch = self.has_prefetch or bool(pages)
        reply = b""
        while len(reply) < 4:
            chunk = self.sock.recv(4 - len(reply))
            if not chunk:
                raise ConnectionError("the forker is gone")
            reply += chunk
        (pid,) = struct.unpack("=i", reply)
        if pid <= 0:
            raise OSError(-pid, "clone: %s" % os.strerror(-pid))
        return pid


def forker_main(sock):
    # The forker: warm, holding the compiled candidate, and otherwise idle; its loop is C.
    # Nothing of the supervisor's but the socket: a replacement forker is started mid-test, when
    # the supervisor holds that test's pipes, and must not keep their write ends open.
    os.dup2(sock.detach(), 3)
    os.closerange(4, 1 << 16)
    # fds 0-2 become /dev/null: the forker never touches the server's channel, and received fds
    # are >= 4, so a child's dup2 onto 0-3 cannot clobber one of them.
    sys.stdin, sys.stdout, sys.stderr = CHILD_STDIO
    sys.argv = ["solution.py"]
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    # The child resumes exactly where the forker is, single-threaded, like after os.fork() but
    # without the at-fork hooks (so `random` is not reseeded: every test of a session starts from
    # the state seeded when the harness started).
    loop = LIB.arbiter_forker_loop
    lens = (ctypes.c_uint32 * 3)()
    body = ctypes.c_char_p()
    gc.freeze()  # what was allocated since the supervisor's freeze (a collection would fault)
    os.write(3, b"R")
    if loop(3, config.work_dir().encode(), RLIMITS, lens, ctypes.byref(body)) != 0:
        os._exit(0)  # the supervisor is gone
    request = ctypes.string_at(body, lens[0] + lens[1])
    try:
        child.child_main(request[:lens[0]].decode("utf-8", "replace"),
                         request[lens[0]:].decode("utf-8", "replace"), lens[2] & 1)
    finally:
        os._exit(127)


FORKER = Forker()
USE_FORKER = True  # False: a one-test session, whose child the supervisor clones itself


def spawn_test(fds, fn_name, args_json):
    # A new test child with `fds` as its stdin, stdout, stderr and result pipe ends; its pid.
    if not USE_FORKER:
        pid = LIB.arbiter_spawn_test((ctypes.c_int * 4)(*fds), config.work_dir().encode(),
                                     RLIMITS)
        if pid == 0:
            try:
                sys.stdin, sys.stdout, sys.stderr = CHILD_STDIO
                sys.argv = ["solution.py"]
                child.child_main(fn_name, args_json)
            finally:
                os._exit(127)
        if pid < 0:
            raise OSError(-pid, "fork: %s" % os.strerror(-pid))
        return pid
    # A test that broke the forker (killed, stopped or re-limited it) costs a new forker, once.
    for attempt in (0, 1):
        if FORKER.pid <= 0 or FORKER.lost:
            FORKER.stop()
            FORKER.start()
        # The first few tests (until one reports) teach the forker which pages children write.
        learn = prefetch.should_learn(config.RUN == "python")
        try:
            return FORKER.spawn(fds, fn_name, args_json, learn)
        except (ConnectionError, BrokenPipeError):
            if attempt:
                raise
            FORKER.lost = True
