# What a test (same uid) can change in the supervisor or the forker from outside, and every
# later child would inherit: rlimits, nice, scheduler, CPU affinity. Compared with a snapshot
# taken at start after every test.
import os
import resource

WATCHED_LIMITS = [getattr(resource, n) for n in dir(resource) if n.startswith("RLIMIT_")]


def process_state(pid):
    return ([resource.prlimit(pid, r) for r in WATCHED_LIMITS],
            os.getpriority(os.PRIO_PROCESS, pid),
            os.sched_getscheduler(pid),
            os.sched_getaffinity(pid))
