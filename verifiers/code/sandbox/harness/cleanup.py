# What the supervisor does after every test so that nothing of it reaches the next: reap, kill
# every other process of the sandbox, wipe the writable directories.
import os
import signal
import time

from harness import config


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


def reap(watched):
    # Reaps every exited child (test processes and their orphans) without blocking. Returns False
    # when `watched` (the forker's pid) was among them.
    alive = True
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return alive
        if pid == 0:
            return alive
        if pid == watched:
            alive = False


def kill_everything_else(pgid, forker):
    # `forker`: the supervisor's Forker handle (spared, and marked lost if it was reaped).
    if not config.ISOLATED:  # no pid namespace: kill(-1) would hit the host; the test's group only
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        return
    # We are pid 1 of the sandbox's pid namespace, so /proc lists every process in it; all but
    # us and the forker are the test's. Orphans are reparented to us and reaped here (zombies
    # count toward RLIMIT_NPROC). A fork bomb racing us loses: each round kills what it sees.
    for _ in range(20000):
        if not reap(forker.pid):
            forker.pid = -1
            forker.lost = True
        others = [int(n) for n in os.listdir("/proc") if n.isdigit()]
        others = [pid for pid in others if pid != 1 and pid != forker.pid]
        if not others:
            return
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.0001)

