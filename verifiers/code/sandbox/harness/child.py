# A test child: runs the candidate once and reports how it ended. Cloned by the forker (or the
# supervisor), which already gave it its own process group, the test's pipes on fds 0-3 (stdin,
# stdout, stderr, result record) and nothing else, its work directory, oom_score_adj 1000, the
# default SIGPIPE action and the test's rlimits (forker.c). The result record (fd 3) is a JSON
# object {return?, error?, memory?}; the candidate shares this process, so the supervisor treats
# the record as untrusted (it never learns an expected value, so forging gains nothing).
import atexit
import builtins
import errno
import gc
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
        # Function-call tests: the toolchain's call wrapper reads the arguments from stdin.
        argv = config.CALL + [fn_name] if fn_name and config.CALL else config.RUN
        os.execve(argv[0], argv, os.environ)
    # sys.stdin/stdout/stderr are the supervisor's CHILD_STDIO: made once, never used before.
    ns = {"__name__": "__main__" if not fn_name else "solution", "__builtins__": builtins}
    code, result = run_program(ns, fn_name, args_json)
    code = run_to_completion(ns, code)
    finish(code, result)


def run_program(ns, fn_name, args_json):
    # Runs the program (and the call) in `ns`; (exit code, result record or None) as
    # `python3 solution.py` would end, before the interpreter's own shutdown.
    try:
        if fn_name:
            return call_function(ns, fn_name, args_json)
        exec(program.compiled(False), ns)
        return 0, None
    except SystemExit as e:
        if e.code is not None and not isinstance(e.code, int):
            print(e.code, file=sys.stderr)
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        return code, ({"error": "SystemExit: %r" % (e.code,)} if fn_name else None)
    except MemoryError:
        return 1, {"error": "MemoryError", "memory": True}
    except BaseException as e:  # noqa: B036 — the candidate's failure, reported as data
        if isinstance(e, OSError) and e.errno == errno.ENOMEM:
            return 1, {"error": "OSError: %s" % e, "memory": True}
        try:
            traceback.print_exc()
        except BaseException:  # noqa: B036
            pass
        return 1, {"error": "%s: %s" % (type(e).__name__, str(e)[:1000])}


def run_to_completion(ns, code):
    # What the interpreter does when `python3 solution.py` ends (Py_FinalizeEx), so a program
    # that does its work in a thread (a common way to get a bigger stack) or at exit is run to
    # its end: wait for every non-daemon thread (also after sys.exit or an uncaught exception),
    # run the atexit handlers, flush sys.stdout/sys.stderr, then drop the program's globals so
    # that file objects it never flushed (`out = open(1, "w")`) flush as they are destroyed.
    # Returns the exit code (a SystemExit raised by an atexit handler does not change it, as in
    # CPython). Daemon threads are not waited for, as in CPython.
    try:
        threading = sys.modules.get("threading")
        if threading is not None:
            me = threading.current_thread()
            while True:
                alive = [t for t in threading.enumerate()
                         if t is not me and not t.daemon and t.is_alive()]
                if not alive:
                    break
                for t in alive:
                    t.join()
        atexit._run_exitfuncs()
        atexit._clear()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:  # noqa: B036 — a closed or replaced stream: as CPython, go on
                pass
        ns.clear()
        gc.collect()
    except BaseException:  # noqa: B036 — e.g. KeyboardInterrupt while joining
        pass
    return code


def call_function(ns, fn_name, args_json):
    # Call-based test: `fn_name` at the top level, or a method of `Solution()`.
    exec(program.compiled(not fn_name.startswith(program.PLAIN_CALL_PREFIX)), ns)
    fn = ns.get(fn_name)
    if not callable(fn) and isinstance(ns.get("Solution"), type):
        fn = getattr(ns["Solution"](), fn_name, None)
    if not callable(fn):
        return 1, {"error": "NameError: no function named %r" % fn_name}
    args = _loads(args_json) if args_json else []
    if isinstance(args, dict):  # {"apps_int_keys": [...]}: the server asks for APPS's conversion
        args = apps_int_keys(args.get("apps_int_keys", []))
    if not isinstance(args, list):
        args = [args]
    value = fn(*args)
    try:
        text = _dumps(value, allow_nan=False, default=json_number)
    except Unequal as e:
        return 0, {"unequal": str(e)}
    except TypeError:  # a dict key JSON cannot write (a tuple, a frozenset, ...)
        return 0, {"unequal": "a dict with a key JSON cannot carry"}
    except ValueError as e:  # a container holding itself, a NaN or an infinity
        what = "a container holding itself" if "ircular" in str(e) else "a NaN or an infinity"
        return 0, {"unequal": what}
    return 0, {"return": text, "python": python_types(value, text)}


class Unequal(Exception):
    # The returned value holds a part that no value json.loads makes can equal under Python's
    # `==`, so the whole value equals no expected value: a set, a generator, an object of the
    # program's own class... The graders compare with `==` and find it unequal (WRONG_ANSWER); an
    # object's own __eq__ is never consulted here (one that is always true must not pass).
    pass


def json_number(o):
    # json.dumps's fallback: a number JSON cannot write whose `==` with ints and floats is exact
    # (Decimal, Fraction, complex) becomes the int or float it equals, as the graders' `==` would
    # find it; none equal (1/3, 1j, a NaN) or any other type: Unequal. Only exact types (never a
    # subclass with its own __eq__) and only as data: a forged ratio only states a value.
    t = type(o)
    try:
        if t is complex:
            if o.imag == 0:
                return o.real
        elif any(t is r for r in _ratio_types()):
            n, d = o.as_integer_ratio()
            if type(n) is int and type(d) is int and d > 0:
                if d == 1:
                    return n
                x = n / d
                if x.as_integer_ratio() == (n, d):
                    return x
    except (ArithmeticError, ValueError, TypeError):  # an infinity, a NaN
        pass
    raise Unequal("a %s (no JSON value equals it)" % t.__name__[:100])


def _ratio_types():
    # Decimal and Fraction, if the program imported them (a returned one was).
    return tuple(getattr(sys.modules.get(m), n, None) for m, n in
                 (("decimal", "Decimal"), ("fractions", "Fraction")))


def apps_int_keys(args):
    # As APPS's testing_util: a first argument that is a dict gets int keys and is passed alone;
    # left as it was when a key is not an int.
    if isinstance(args, list) and args and isinstance(args[0], dict):
        try:
            return [{int(k): v for k, v in args[0].items()}]
        except Exception:
            pass
    return args


def python_types(value, text):
    # JSON loses what the graders' `==` sees: tuple vs list, non-string dict keys. "exact" when
    # json.loads(text) == value (one C-speed comparison), else the value in a tagged encoding the
    # server compares per grader mode: containers ["tuple"|"list"|"dict", items] (dict items
    # [key, value] pairs), scalars as themselves.
    try:
        if _loads(text) == value:
            return "exact"
        return _dumps(tagged(value))
    except Exception:  # a hostile __eq__, or nesting too deep: the JSON text alone decides
        return ""


def tagged(value):
    if isinstance(value, dict):
        return ["dict", [[tagged(k), tagged(v)] for k, v in value.items()]]
    if isinstance(value, tuple):
        return ["tuple", [tagged(v) for v in value]]
    if isinstance(value, list):
        return ["list", [tagged(v) for v in value]]
    return value


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
        write_record(result)
    os._exit(code)


def write_record(result):
    data = memoryview(_dumps(result).encode())
    try:
        while data:
            data = data[os.write(3, data):]
    except OSError:
        pass
