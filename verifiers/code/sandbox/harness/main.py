# The supervisor's start and request loop (pid 1 of the sandbox's pid namespace): read the init
# frame, compile the candidate, start the forker, answer `ready`, then run one test per frame.
#   init {"op":"init","run":"python"|[argv],"mode":"fresh"|"completion","limits":{...},
#         "isolated","tests"[,"work","forker"]} + [program]  -> {"op":"ready"}
#   test {"op":"test","fn_name":str} + [stdin, args_json] -> result header +
#        [stdout, stderr, return_json, python_types]
import atexit
import ctypes
import gc
import os
import signal
import sys

from harness import cleanup, config, forker, per_completion, program, protocol, supervisor
from harness.process_state import process_state

# Warm imports: the modules candidates commonly use are imported once here, before forking.
# Kept short on purpose: every preloaded page is a page each test child may copy on write.
import bisect, collections, functools, heapq, itertools, math, random, re, string  # noqa: E401,F401
import typing  # noqa: E401,F401


def make_undumpable():
    # Same uid as the candidate: without this it could open /proc/<harness>/fd/1 and forge frames.
    # Inherited by the forker and by every test child (fork copies the flag).
    try:
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE, 0
    except Exception:
        pass


def configure(init):
    config.RUN = init.get("run", "python")
    config.CALL = init.get("call", [])
    config.MEMORY_MARKERS = [m.encode() for m in init.get("memory_markers", [])]
    config.LIMITS = init["limits"]
    config.ISOLATED = init.get("isolated", True) is True
    config.WORK = init.get("work", config.WORK)
    config.FORKER_LIBRARY = init.get("forker", config.FORKER_LIBRARY)


def main():
    make_undumpable()
    # As pid 1 of the namespace we only receive signals we handle: ignore the ones Python
    # handles by default, so a test cannot kill or interrupt us.
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.closerange(3, 1 << 16)
    supervisor.SUPERVISOR_STATE = process_state(0)
    init, blobs = protocol.read_frame()
    configure(init)
    if config.ISOLATED and os.getpid() != 1:
        # Killing every other process is only safe in our own pid namespace: refuse rather than
        # hit the host.
        sys.stderr.write("harness: isolated mode outside a pid namespace\n")
        os._exit(2)
    if config.RUN == "python":
        program.precompile(blobs[0].decode("utf-8", "replace") if blobs else "")
    forker.load_library()
    cleanup.wipe(config.WORK)
    # The children run atexit handlers as the program's own (child.run_to_completion): none of
    # the harness's modules may leave one there.
    atexit._clear()
    # Everything allocated so far is moved out of the collector's reach, before any fork: a
    # collection in a forked process would otherwise touch (and copy-on-write fault) every page
    # of the warm heap.
    gc.collect()
    gc.freeze()
    # The forker costs a fork and ~10 ms of set-up once; it pays for itself from the second test.
    # A session announced as one test (the server says how many follow) forks it from here.
    # Per-completion mode (Python only: an exec'd program runs one test) needs no forker: its
    # one process per completion is cloned from here.
    batched = init.get("mode") == "completion" and config.RUN == "python"
    per_completion.TESTS_LEFT = init.get("tests", 2)
    forker.USE_FORKER = init.get("tests", 2) != 1 and not batched
    if forker.USE_FORKER:
        forker.FORKER.start()
    run_test = per_completion.run_test if batched else supervisor.run_test
    protocol.write_frame({"op": "ready"})
    while True:
        try:
            req, blobs = protocol.read_frame()
        except EOFError:
            forker.FORKER.stop()
            per_completion.PROCESS.stop()
            return
        header, out_blobs = run_test(req.get("fn_name", ""), blobs[0],
                                                blobs[1].decode("utf-8", "replace"))
        protocol.write_frame(header, out_blobs)
