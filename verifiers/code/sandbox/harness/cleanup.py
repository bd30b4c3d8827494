# What the supervisor does after every test so that nothing of it reaches the next: reap, kill
# every other process of the sandbox, wipe the writable directories.
import os
import signal
import time

from harness import config


def stop_helper(pid, sock):
    """Kills and reaps a helper process of the supervisor (the forker, a completion process) and
    closes its control socket; returns the (pid, sock) of no helper: (-1, None)."""
    if pid > 0:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except OSError:
            pass
    if sock is not None:
        sock.close()
    return -1, None


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
    # Reaps every exited child (test processes and their orphans) without blocking. Returns the
    # pids of `watched` (the forker, a completion child) that were among them.
    gone = set()
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return gone
        if pid == 0:
            return gone
        if pid in watched:
            gone.add(pid)


def _group_members(pgid):
    members = []
    for name in os.listdir("/proc"):
        try:
            with open("/proc/%s/stat" % name, "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            if int(fields[2]) == pgid:
                members.append(int(name))
        except (OSError, ValueError, IndexError):
            continue
    return members


def _zombie_of(pid, keep):
    # A dead child of a process we keep (a completion process's): only its parent can reap it,
    # which the completion process does before its next test.
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return fields[0] == b"Z" and int(fields[1]) in keep
    except (OSError, ValueError, IndexError):
        return False


def kill_everything_else(pgid, keep):
    # Kills every process of the test but those in `keep` (the forker, a completion child);
    # returns the pids of `keep` that turned out to have died (reaped here).
    if not config.ISOLATED:
        # No pid namespace: kill(-1) would hit the host; the test's process group only.
        victims = [p for p in _group_members(pgid) if p not in keep] if pgid in keep else None
        try:
            if victims is None:
                os.killpg(pgid, signal.SIGKILL)
            for pid in victims or ():
                os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        return set()
    # We are pid 1 of the sandbox's pid namespace, so /proc lists every process in it; all but
    # us and `keep` are the test's. Orphans are reparented to us and reaped here (zombies count
    # toward RLIMIT_NPROC). A fork bomb racing us loses: each round kills what it sees.
    gone = set()
    for _ in range(20000):
        gone |= reap(keep)
        others = [int(n) for n in os.listdir("/proc") if n.isdigit()]
        others = [pid for pid in others if pid != 1 and (pid not in keep or pid in gone)]
        others = [pid for pid in others if not _zombie_of(pid, keep)]
        if not others:
            return gone
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.0001)
    return gone
