# arbiter sandbox harness: runs INSIDE the bubblewrap sandbox, as pid 1 of its pid namespace.
#
# Trusted code, started once per session from a warm interpreter. Protocol (see README.md):
# frames on fd 0 (requests from the server) and fd 1 (responses), each frame a 4-byte big-endian
# header length, a JSON header, then the raw blobs whose lengths the header lists in "blobs".
#   init  {"op":"init","lang":"python"|"cpp","limits":{...}} + [program]  -> {"op":"ready"}
#   test  {"op":"test","fn_name":str} + [stdin, args_json]               -> result header +
#         [stdout, stderr, return_json]
# For each test the harness forks a fresh child in a fresh empty directory under /work, with
# rlimits set, runs the candidate there, and afterwards kills every other process of the pid
# namespace (kill(-1)) and wipes /work and /dev/shm, so nothing of one test reaches the next.
# Nothing of the candidate is compiled or executed in this parent process.
import builtins
import errno
import gc
import io
import json
import os
import resource
import select
import signal
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
    try:
        import ctypes
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


def kill_everything_else(pgid):
    if not ISOLATED:  # no pid namespace: kill(-1) would hit the host; the test's group only
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        return
    # We are pid 1 of the sandbox's pid namespace: kill(-1) reaches every other process in it,
    # orphans are reparented to us, and we reap them (zombies count toward RLIMIT_NPROC).
    for _ in range(20000):
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        except ChildProcessError:
            return
        time.sleep(0.0001)


def set_limits(limits):
    cpu = max(1, int(-(-limits["cpu_s"] // 1)))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    mem = limits["memory_bytes"]
    resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    resource.setrlimit(resource.RLIMIT_NPROC, (limits["nproc"], limits["nproc"]))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits["nofile"], limits["nofile"]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["fsize"], limits["fsize"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def child_main(lang, program, fn_name, args_json, limits, work):
    os.chdir(work)
    try:  # under a cgroup OOM the kernel should pick the test, never the harness
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass
    os.closerange(4, 1 << 16)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    set_limits(limits)
    if lang == "cpp":
        os.execve(PROGRAM_BINARY, ["prog"], os.environ)
    sys.stdin = open(0, "r", closefd=False)
    sys.stdout = open(1, "w", closefd=False)
    sys.stderr = open(2, "w", closefd=False)
    sys.argv = ["solution.py"]
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


def finish(code, result):
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        pass
    if result is not None:
        data = memoryview(_dumps(result).encode())
        try:
            while data:
                data = data[os.write(3, data):]
        except OSError:
            pass
    os._exit(code)


def run_test(lang, program, limits, fn_name, stdin_data, args_json):
    work = os.path.join(WORK, "t")
    os.mkdir(work, 0o700)
    in_r, in_w = os.pipe2(os.O_CLOEXEC)
    out_r, out_w = os.pipe2(os.O_CLOEXEC)
    err_r, err_w = os.pipe2(os.O_CLOEXEC)
    res_r, res_w = os.pipe2(os.O_CLOEXEC)
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.setpgid(0, 0)
            for src, dst in ((in_r, 0), (out_w, 1), (err_w, 2), (res_w, 3)):
                os.dup2(src, dst)
            child_main(lang, program, fn_name, args_json, limits, work)
        finally:
            os._exit(127)
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
    return classify(wstatus, ru, wall, killed_for, limits, bytes(out), bytes(err), bytes(res))


def classify(wstatus, ru, wall, killed_for, limits, out, err, res):
    cpu = ru.ru_utime + ru.ru_stime
    header = {"exit_code": 0, "signal": 0, "cpu_s": cpu, "wall_s": wall,
              "maxrss": ru.ru_maxrss * 1024, "error": ""}
    ret = b""
    memory = False
    if res:
        try:
            record = _loads(res)
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
    global WORK, PROGRAM_BINARY, ISOLATED
    init, blobs = read_frame()
    lang, limits = init["lang"], init["limits"]
    ISOLATED = init.get("isolated", True) is True
    WORK = init.get("work", WORK)
    PROGRAM_BINARY = init.get("binary", PROGRAM_BINARY)
    if ISOLATED and os.getpid() != 1:
        # kill(-1) is only safe as pid 2 of our own pid namespace: refuse rather than hit the host.
        sys.stderr.write("harness: isolated mode outside a pid namespace\n")
        os._exit(2)
    program = blobs[0].decode("utf-8", "replace") if blobs else ""
    if lang != "cpp":
        precompile(program)
    wipe(WORK)
    # Everything allocated so far is moved out of the collector's reach: a collection in a test
    # child would otherwise touch (and copy-on-write) every page of the warm heap.
    gc.collect()
    gc.freeze()
    write_frame({"op": "ready"})
    while True:
        try:
            req, blobs = read_frame()
        except EOFError:
            return
        header, out_blobs = run_test(lang, program, limits, req.get("fn_name", ""),
                                     blobs[0], blobs[1].decode("utf-8", "replace"))
        write_frame(header, out_blobs)


main()
