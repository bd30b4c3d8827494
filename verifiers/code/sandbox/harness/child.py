# A test child: runs the candidate once and reports how it ended. Cloned by the forker (or the
# supervisor), which already gave it its own process group, the test's pipes on fds 0-3 (stdin,
# stdout, stderr, result record) and nothing else, its work directory, oom_score_adj 1000, the
# default SIGPIPE action and the test's rlimits (forker.c). The result record (fd 3) is a JSON
# object {return?, error?, memory?}; the candidate shares this process, so the supervisor treats
# the record as untrusted (it never learns an expected value, so forging gains nothing).
import builtins
import errno
import json
import os
import signal
import sys
import traceback

from harness import config, prefetch, program

_dumps = json.dumps
_loads = json.loads
_learn = False  # report the pages written (prefetch.written_pages) in the result record


def child_main(fn_name, args_json, learn=False):
    global _learn
    _learn = learn
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if config.RUN != "python":
        os.execve(config.RUN[0], config.RUN, os.environ)
    # sys.stdin/stdout/stderr are the supervisor's CHILD_STDIO: made once, never used before.
    result = None
    code = 0
    try:
        if fn_name:
            code, result = call_function(fn_name, args_json)
        else:
            exec(program.compiled(False), {"__name__": "__main__", "__builtins__": builtins})
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
            return failed(e)
        result = {"error": "OSError: %s" % e, "memory": True}
        code = 1
    except BaseException as e:  # noqa: B036 — the candidate's failure, reported as data
        failed(e)
    finish(code, result)


def call_function(fn_name, args_json):
    # Call-based test: `fn_name` at the top level, or a method of `Solution()`.
    ns = {"__name__": "solution", "__builtins__": builtins}
    exec(program.compiled(True), ns)
    fn = ns.get(fn_name)
    if not callable(fn) and isinstance(ns.get("Solution"), type):
        fn = getattr(ns["Solution"](), fn_name, None)
    if not callable(fn):
        return 1, {"error": "NameError: no function named %r" % fn_name}
    args = _loads(args_json) if args_json else []
    if not isinstance(args, list):
        args = [args]
    value = fn(*args)
    try:
        return 0, {"return": _dumps(value)}
    except (TypeError, ValueError) as e:
        return 1, {"error": "unserialisable return value: %s" % e}


def failed(e):
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
    if _learn:
        try:
            result = dict(result or {}, pages=prefetch.written_pages())
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
