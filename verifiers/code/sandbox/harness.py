# arbiter sandbox harness: runs INSIDE the bubblewrap sandbox, as pid 1 of its pid namespace.
#
# Trusted code, started once per session from a warm interpreter. Protocol (see README.md):
# frames on fd 0 (requests from the server) and fd 1 (responses), each frame a 4-byte big-endian
# header length, a JSON header, then the raw blobs whose lengths the header lists in "blobs".
#   init  {"op":"init","lang":"python"|"cpp","limits":{...}} + [program]  -> {"op":"ready"}
#   test  {"op":"test","fn_name":str} + [stdin, args_json]               -> result header +
#         [stdout, stderr, return_json]
# Two trusted processes share the work:
# - the supervisor (this process, pid 1) speaks the protocol, feeds stdin, collects output,
#   enforces the wall clock, reaps, cleans up and classifies. It never forks per test, so its
#   memory is never shared copy-on-write and its per-test work takes no page faults.
# - the forker (pid 2), a warm interpreter holding the compiled candidate, does nothing per test
#   but clone(CLONE_PARENT) one fresh child, which becomes the supervisor's child (and a sibling
#   of the forker), so the supervisor reaps it and reads its rusage as before.
# Each test child starts in a fresh empty directory under /work with rlimits set; afterwards the
# supervisor kills every other process of the pid namespace and wipes /work and /dev/shm, so
# nothing of one test reaches the next. A test may kill, stop or re-limit the forker (same uid):
# the supervisor checks it after every test and replaces it if it changed.
# Nothing of the candidate is compiled or executed in either trusted process.
import builtins
import ctypes
import errno
import gc
import json
import os
import resource
import select
import signal
import socket
import struct
import sys
import time
import traceback

# Warm imports: the modules candidates commonly use are imported once here, before forking.
# Kept short on purpose: every preloaded page is a page each test child may copy on write.
import bisect, collections, functools, heapq, itertools, math, random, re, string  # noqa: E401,F401
import typing  # noqa: E401,F401

# Overridden by the init frame when running without isolation (no pid namespace, host dirs).
WORK = "/work"
SHM = "/dev/shm"
PROGRAM_BINARY = "/arbiter/prog"
ISOLATED = True
PRELUDE = (
    "import sys, math, itertools, collections, heapq, bisect, functools, string, re, random\n"
    "from typing import *\n"
    "from collections import Counter, OrderedDict, deque, defaultdict\n"
    "from functools import lru_cache, reduce, cache\n"
    "from itertools import accumulate, product, permutations, combinations\n"
    "from heapq import heappush, heappop, heapify\n"
    "from math import sqrt, ceil, floor, gcd, inf, log, log2\n"
)
RESULT_CAP = 16 << 20
_dumps = json.dumps
_loads = json.loads


def make_undumpable():
    # Same uid as the candidate: without this it could open /proc/<harness>/fd/1 and forge frames.
    # Inherited by the forker and by every test child (fork copies the flag).
    try:
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE, 0
    except Exception:
        pass


def read_exact(n):
    chunks = []
    while n > 0:
        b = os.read(0, min(n, 1 << 20))
        if not b:
            raise EOFError
        chunks.append(b)
        n -= len(b)
    return b"".join(chunks)


def read_frame():
    (size,) = struct.unpack(">I", read_exact(4))
    header = _loads(read_exact(size))
    return header, [read_exact(n) for n in header.get("blobs", [])]


def write_frame(header, blobs=()):
    header["blobs"] = [len(b) for b in blobs]
    data = _dumps(header).encode()
    view = memoryview(struct.pack(">I", len(data)) + data + b"".join(blobs))
    while view:
        view = view[os.write(1, view):]


def wipe(path):
    # Empties `path` without recursion and without long paths (a test may leave a tree deeper
    # than the recursion limit or PATH_MAX, or directories without permissions): subdirectories
    # have their entries hoisted to the top, then go. Every writer is dead by now. If this still
    # fails the harness dies, and the server restarts a fresh sandbox: nothing leaks either way.
    top = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    hoisted = 0
    try:
        while True:
            names = os.listdir(top)
            if not names:
                return
            for name in names:
                try:
                    os.unlink(name, dir_fd=top)
                    continue
                except IsADirectoryError:
                    pass
                except FileNotFoundError:
                    continue
                sub = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=top)
                try:
                    os.fchmod(sub, 0o700)
                    for child in os.listdir(sub):
                        hoisted += 1
                        try:
                            os.rename(child, ".w%d" % hoisted, src_dir_fd=sub, dst_dir_fd=top)
                        except PermissionError:  # moving a directory rewrites its "..": needs w
                            os.chmod(child, 0o700, dir_fd=sub)
                            os.rename(child, ".w%d" % hoisted, src_dir_fd=sub, dst_dir_fd=top)
                finally:
                    os.close(sub)
                os.rmdir(name, dir_fd=top)
    finally:
        os.close(top)


def reap():
    # Reaps every exited child (test processes and their orphans) without blocking. Returns False
    # when the forker was among them.
    forker_alive = True
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return forker_alive
        if pid == 0:
            return forker_alive
        if pid == FORKER.pid:
            forker_alive = False
            FORKER.pid = -1


def kill_everything_else(pgid):
    if not ISOLATED:  # no pid namespace: kill(-1) would hit the host; the test's group only
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        return
    # We are pid 1 of the sandbox's pid namespace, so /proc lists every process in it; all but
    # us and the forker are the test's. Orphans are reparented to us and reaped here (zombies
    # count toward RLIMIT_NPROC). A fork bomb racing us loses: each round kills what it sees.
    for _ in range(20000):
        if not reap():
            FORKER.lost = True
        others = [int(n) for n in os.listdir("/proc") if n.isdigit()]
        others = [pid for pid in others if pid != 1 and pid != FORKER.pid]
        if not others:
            return
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.0001)


def child_main(lang, fn_name, args_json, learn=False):
    # A fresh test child, cloned by the forker, which already gave it its own process group,
    # the test's pipes on fds 0-3 and nothing else, its work directory, oom_score_adj 1000, the
    # default SIGPIPE action and the test's rlimits (forker.c).
    global LEARN
    LEARN = learn
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if lang == "cpp":
        os.execve(PROGRAM_BINARY, ["prog"], os.environ)
    # sys.stdin/stdout/stderr are CHILD_STDIO: made once by the supervisor, never used before.
    result = None
    code = 0
    try:
        if fn_name:
            ns = {"__name__": "solution", "__builtins__": builtins}
            exec(compiled(True), ns)
            fn = ns.get(fn_name)
            if not callable(fn) and isinstance(ns.get("Solution"), type):
                fn = getattr(ns["Solution"](), fn_name, None)
            if not callable(fn):
                result = {"error": "NameError: no function named %r" % fn_name}
                code = 1
            else:
                args = _loads(args_json) if args_json else []
                if not isinstance(args, list):
                    args = [args]
                value = fn(*args)
                try:
                    result = {"return": _dumps(value)}
                except (TypeError, ValueError) as e:
                    result = {"error": "unserialisable return value: %s" % e}
                    code = 1
        else:
            exec(compiled(False), {"__name__": "__main__", "__builtins__": builtins})
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if e.code is not None and not isinstance(e.code, int):
            print(e.code, file=sys.stderr)
        result = {"error": "SystemExit: %r" % (e.code,)} if fn_name else None
    except MemoryError:
        result = {"error": "MemoryError", "memory": True}
        code = 1
    except OSError as e:
        if e.errno != errno.ENOMEM:
            return child_failed(e, fn_name)
        result = {"error": "OSError: %s" % e, "memory": True}
        code = 1
    except BaseException as e:  # noqa: B036 — the candidate's failure, reported as data
        child_failed(e, fn_name)
    finish(code, result)


# Things of the supervisor and the forker a test (same uid) can change from outside and every
# later child would inherit.
WATCHED_LIMITS = [getattr(resource, n) for n in dir(resource) if n.startswith("RLIMIT_")]


def process_state(pid):
    return ([resource.prlimit(pid, r) for r in WATCHED_LIMITS],
            os.getpriority(os.PRIO_PROCESS, pid),
            os.sched_getscheduler(pid),
            os.sched_getaffinity(pid))


SUPERVISOR_STATE = None  # process_state(0) at start
FORKER_LIBRARY = "/arbiter/forker.so"  # forker.c, bound read-only by the server


class Forker:
    """The supervisor's handle on the forker process: start, ask for a child, check, replace."""

    def __init__(self):
        self.pid = -1
        self.sock = None
        self.lost = False
        self.baseline = None
        self.has_prefetch = False

    def start(self, lang, limits, work):
        sup, fork_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = LIB.arbiter_fork()  # once per session (again only if a test broke the forker)
        if pid == 0:
            try:
                sup.close()
                forker_main(fork_end, lang, limits, work)
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
        if not reap():  # it died (a zombie would still answer the checks below)
            self.lost = True
        if self.lost or self.pid <= 0:
            return False
        try:
            os.kill(self.pid, signal.SIGCONT)  # undoes a SIGSTOP sent by the test
            return process_state(self.pid) == self.baseline
        except OSError:
            return False

    def stop(self):
        if self.pid > 0:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
        if self.sock is not None:
            self.sock.close()
        self.pid, self.sock = -1, None

    def spawn(self, fds, fn_name, args_json, learn):
        # Sends the child's pipe ends and its call (and, once per forker, the learnt prefetch
        # list); returns the new child's pid.
        name, args = fn_name.encode(), args_json.encode()
        prefetch = b"" if self.has_prefetch else PREFETCH
        socket.send_fds(self.sock, [struct.pack("=IIII", len(name), len(args), len(prefetch),
                                                1 if learn else 0)], fds)
        self.sock.sendall(name + args + prefetch)
        self.has_prefetch = self.has_prefetch or bool(prefetch)
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


def forker_main(sock, lang, limits, work):
    # The forker: warm, holding the compiled candidate, and otherwise idle. Its loop is C
    # (forker.c): per test it receives four pipe ends and the call, clones the child, and replies
    # with its pid, touching (and copy-on-write faulting) as few pages as possible.
    # Nothing of the supervisor's but the socket: a replacement forker is started mid-test, when
    # the supervisor holds that test's pipes, and must not keep their write ends open.
    os.dup2(sock.detach(), 3)
    os.closerange(4, 1 << 16)
    # The children's stdio objects, made by the supervisor and never used; fds 0-2 become
    # /dev/null: the forker never touches the server's channel, and received fds are >= 4, so a
    # child's dup2 onto 0-3 cannot clobber one of them.
    sys.stdin, sys.stdout, sys.stderr = CHILD_STDIO
    sys.argv = ["solution.py"]
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    # PyDLL keeps the GIL held across the call: the child resumes exactly where the forker is,
    # single-threaded, like after os.fork() but without the at-fork hooks (so `random` is not
    # reseeded: every test of a session starts from the state seeded when the harness started).
    loop = LIB.arbiter_forker_loop
    lens = (ctypes.c_uint32 * 3)()
    body = ctypes.c_char_p()
    gc.freeze()  # what was allocated since the supervisor's freeze (a collection would fault)
    os.write(3, b"R")
    if loop(3, work.encode(), RLIMITS, lens, ctypes.byref(body)) != 0:
        os._exit(0)  # the supervisor is gone
    request = ctypes.string_at(body, lens[0] + lens[1])
    try:
        child_main(lang, request[:lens[0]].decode("utf-8", "replace"),
                   request[lens[0]:].decode("utf-8", "replace"), lens[2] & 1)
    finally:
        os._exit(127)


FORKER = Forker()
LIB = None
CHILD_STDIO = None
RLIMITS = None
USE_FORKER = True


def load_forker_library(limits):
    # Loaded, and the children's stdio objects made, here in the supervisor before any fork, so
    # the forker inherits both instead of building them in freshly copy-on-write memory. The
    # stdio objects are over fds 0-2 (the server's socket and log pipe: not a tty, not seekable,
    # like the pipes a test child will have there) and never used by the supervisor.
    global LIB, CHILD_STDIO, RLIMITS
    LIB = ctypes.PyDLL(FORKER_LIBRARY)
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
    # The test's rlimits, applied by forker.c in each child: cpu soft and hard, address space,
    # processes, open files, file size.
    cpu = max(1, int(-(-limits["cpu_s"] // 1)))
    RLIMITS = (ctypes.c_longlong * 6)(cpu, cpu + 1, limits["memory_bytes"], limits["nproc"],
                                       limits["nofile"], limits["fsize"])


# The candidate compiled once per session, before forking: compile() costs several milliseconds
# of CPU here, more than the fork itself, and every test of a session runs the same program.
# A compile error (or MemoryError) is kept and raised inside each test's child, where the
# candidate's failures are reported, exactly as if the child had compiled it.
COMPILED = {}


def precompile(program):
    for with_prelude in (False, True):
        try:
            source = (PRELUDE + program) if with_prelude else program
            COMPILED[with_prelude] = compile(source, "<solution>", "exec")
        except BaseException as e:  # noqa: B036 — reported by the test child
            COMPILED[with_prelude] = e


def compiled(with_prelude):
    code = COMPILED[with_prelude]
    if isinstance(code, BaseException):
        raise code
    return code


def child_failed(e, fn_name):
    try:
        traceback.print_exc()
    except BaseException:
        pass
    finish(1, {"error": "%s: %s" % (type(e).__name__, str(e)[:1000])})


LEARN = False  # in a test child: report the pages it wrote (see written_pages)
PREFETCH = b""  # in the supervisor: the validated list, packed for forker.c
PREFETCH_MAX_RANGES = 256
PREFETCH_MAX_PAGES = 2048  # 8 MiB with 4 KiB pages
LEARN_ATTEMPTS = 0  # in the supervisor: learning requests made so far (at most 3)


def written_pages():
    # The pages this test child wrote in the mappings it shares with the forker: present and
    # mapped by this process alone (pagemap bits 63 and 56). Reported once per session, so the
    # forker can have later children break their copy-on-write sharing in bulk (forker.c).
    page = resource.getpagesize()
    # pagemap is closed to a non-dumpable process (inherited from the harness). This child is
    # the candidate's own and about to exit: making it dumpable exposes it only to its own test.
    ctypes.CDLL(None).prctl(4, 1, 0, 0, 0)  # PR_SET_DUMPABLE, 1
    with open("/proc/self/maps", "rb") as f:
        maps = f.read().split(b"\n")
    ranges = []
    fd = os.open("/proc/self/pagemap", os.O_RDONLY)
    try:
        for line in maps:
            fields = line.split()
            if len(fields) < 2 or fields[1][1:2] != b"w" or fields[1][3:4] != b"p":
                continue
            lo, hi = (int(x, 16) for x in fields[0].split(b"-"))
            count = (hi - lo) // page
            if count > 1 << 16:  # a large reservation: not the interpreter's working set
                continue
            data = os.pread(fd, count * 8, lo // page * 8)
            start = None
            for i, entry in enumerate(struct.unpack("=%dQ" % (len(data) // 8), data) + (0,)):
                written = entry >> 63 & 1 and entry >> 56 & 1
                if written and start is None:
                    start = i
                elif not written and start is not None:
                    ranges.append([lo + start * page, (i - start) * page])
                    start = None
    finally:
        os.close(fd)
    return ranges


def learn_prefetch(record):
    # The supervisor's side: a child's page list is untrusted data (the candidate shares the
    # child and can write the result pipe), so it is bounded and checked before it is used. At
    # worst a forged list makes this program's own later tests slower or hit their memory limit.
    global PREFETCH
    pages = record.get("pages") if isinstance(record, dict) else None
    if not isinstance(pages, list) or not pages or len(pages) > PREFETCH_MAX_RANGES:
        return
    page, packed, total = resource.getpagesize(), [], 0
    for item in pages:
        if (not isinstance(item, list) or len(item) != 2 or
                not all(isinstance(v, int) and v > 0 for v in item) or
                item[0] % page or item[1] % page or item[0] + item[1] >= 1 << 63):
            return
        total += item[1] // page
        packed.append(struct.pack("=QQ", *item))
    if total <= PREFETCH_MAX_PAGES:
        PREFETCH = b"".join(packed)


def finish(code, result):
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        pass
    if LEARN:
        try:
            result = dict(result or {}, pages=written_pages())
        except BaseException:  # noqa: B036 — learning is an optimisation, never a failure
            pass
    if result is not None:
        data = memoryview(_dumps(result).encode())
        try:
            while data:
                data = data[os.write(3, data):]
        except OSError:
            pass
    os._exit(code)


def spawn_test(lang, limits, fds, fn_name, args_json):
    global LEARN_ATTEMPTS
    if not USE_FORKER:  # a one-test session: fork the child here (see main)
        pid = LIB.arbiter_spawn_test((ctypes.c_int * 4)(*fds), os.path.join(WORK, "t").encode(),
                                     RLIMITS)
        if pid == 0:
            try:
                sys.stdin, sys.stdout, sys.stderr = CHILD_STDIO
                sys.argv = ["solution.py"]
                child_main(lang, fn_name, args_json)
            finally:
                os._exit(127)
        if pid < 0:
            raise OSError(-pid, "fork: %s" % os.strerror(-pid))
        return pid
    # A test that broke the forker (killed, stopped or re-limited it) costs a new forker, once.
    for attempt in (0, 1):
        if FORKER.pid <= 0 or FORKER.lost:
            FORKER.stop()
            FORKER.start(lang, limits, os.path.join(WORK, "t"))
        # The first few tests (until one reports) teach the forker which pages children write.
        learn = lang != "cpp" and not PREFETCH and LEARN_ATTEMPTS < 3
        LEARN_ATTEMPTS += learn
        try:
            return FORKER.spawn(fds, fn_name, args_json, learn)
        except (ConnectionError, BrokenPipeError):
            if attempt:
                raise
            FORKER.lost = True


def run_test(lang, limits, fn_name, stdin_data, args_json):
    work = os.path.join(WORK, "t")
    os.mkdir(work, 0o700)
    in_r, in_w = os.pipe2(os.O_CLOEXEC)
    out_r, out_w = os.pipe2(os.O_CLOEXEC)
    err_r, err_w = os.pipe2(os.O_CLOEXEC)
    res_r, res_w = os.pipe2(os.O_CLOEXEC)
    start = time.monotonic()
    try:
        pid = spawn_test(lang, limits, [in_r, out_w, err_w, res_w], fn_name, args_json)
    finally:
        for fd in (in_r, out_w, err_w, res_w):
            os.close(fd)
    pidfd = os.pidfd_open(pid)
    os.set_blocking(in_w, False)
    out, err, res = bytearray(), bytearray(), bytearray()
    stdin_view = memoryview(stdin_data)
    killed_for = None
    deadline = start + limits["wall_s"]
    poller = select.poll()
    open_fds = {out_r: out, err_r: err, res_r: res}
    for fd in open_fds:
        poller.register(fd, select.POLLIN)
    poller.register(pidfd, select.POLLIN)
    if stdin_view:
        poller.register(in_w, select.POLLOUT)
    else:
        os.close(in_w)
        in_w = -1
    exited = False
    while not exited:
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
                buf = open_fds[fd]
                if fd == out_r and len(out) + len(chunk) > limits["max_stdout"]:
                    out += chunk[:limits["max_stdout"] - len(out)]
                    killed_for = "output"
                elif fd == err_r:
                    err += chunk[:max(0, limits["max_stderr"] - len(err))]
                elif fd == res_r:
                    if len(res) + len(chunk) > RESULT_CAP:
                        killed_for = "output"
                    res += chunk
                else:
                    buf += chunk
        if killed_for:
            break
    if not exited:
        os.kill(pid, signal.SIGKILL)
    _, wstatus, ru = os.wait4(pid, 0)
    wall = time.monotonic() - start
    kill_everything_else(pid)
    # Every writer is dead now: drain what is left without blocking.
    for fd, buf in open_fds.items():
        os.set_blocking(fd, False)
        while True:
            try:
                chunk = os.read(fd, 1 << 16)
            except BlockingIOError:
                break
            if not chunk:
                break
            if fd == out_r:
                room = limits["max_stdout"] - len(out)
                if len(chunk) > room:
                    killed_for = killed_for or "output"
                out += chunk[:max(0, room)]
            elif fd == err_r:
                err += chunk[:max(0, limits["max_stderr"] - len(err))]
            elif len(res) < RESULT_CAP:
                res += chunk
        os.close(fd)
    os.close(pidfd)
    if in_w >= 0:
        os.close(in_w)
    wipe(WORK)
    if ISOLATED:
        wipe(SHM)
    if USE_FORKER and not FORKER.intact():
        FORKER.lost = True  # replaced before the next test
    header, blobs = classify(wstatus, ru, wall, killed_for, limits, bytes(out), bytes(err),
                             bytes(res))
    if process_state(0) != SUPERVISOR_STATE:
        # The test lowered our own limits or priority, which no unprivileged process can undo
        # and every later forker and child would inherit: the server starts a fresh sandbox for
        # the tests after this one. This test's verdict stands.
        header["retire"] = True
    return header, blobs


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
                learn_prefetch(record)
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
    elif memory or (sig in (signal.SIGABRT, signal.SIGSEGV) and b"bad_alloc" in err):
        status = "memory"
    elif sig:
        status = "signaled"
    else:
        status = "exited"
    header["status"] = status
    return header, [out, err, ret]


def main():
    make_undumpable()
    # As pid 1 of the namespace we only receive signals we handle: ignore the ones Python
    # handles by default, so a test cannot kill or interrupt us.
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.closerange(3, 1 << 16)
    global WORK, PROGRAM_BINARY, ISOLATED, FORKER_LIBRARY, USE_FORKER, SUPERVISOR_STATE
    SUPERVISOR_STATE = process_state(0)
    init, blobs = read_frame()
    lang, limits = init["lang"], init["limits"]
    ISOLATED = init.get("isolated", True) is True
    WORK = init.get("work", WORK)
    PROGRAM_BINARY = init.get("binary", PROGRAM_BINARY)
    FORKER_LIBRARY = init.get("forker", FORKER_LIBRARY)
    if ISOLATED and os.getpid() != 1:
        # Killing every other process is only safe in our own pid namespace: refuse rather than
        # hit the host.
        sys.stderr.write("harness: isolated mode outside a pid namespace\n")
        os._exit(2)
    program = blobs[0].decode("utf-8", "replace") if blobs else ""
    if lang != "cpp":
        precompile(program)
    load_forker_library(limits)
    wipe(WORK)
    # Everything allocated so far is moved out of the collector's reach, before any fork: a
    # collection in a forked process would otherwise touch (and copy-on-write fault) every page
    # of the warm heap.
    gc.collect()
    gc.freeze()
    # The forker costs a fork and ~10 ms of set-up once; it pays for itself from the second test.
    # A session announced as one test (the server says how many follow) forks it from here.
    USE_FORKER = init.get("tests", 2) != 1
    if USE_FORKER:
        FORKER.start(lang, limits, os.path.join(WORK, "t"))
    write_frame({"op": "ready"})
    while True:
        try:
            req, blobs = read_frame()
        except EOFError:
            FORKER.stop()
            return
        header, out_blobs = run_test(lang, limits, req.get("fn_name", ""),
                                     blobs[0], blobs[1].decode("utf-8", "replace"))
        write_frame(header, out_blobs)


main()
