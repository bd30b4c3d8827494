#!/usr/bin/python3
"""Fault injection against the real arbiterd: each fault gets its documented outcome, and the
server serves afterwards (README.md has the table of faults, outcomes and tests).

usage: faults_test.py ARBITERD_BINARY CLIENT_PYTHON_DIR        (interpreter: /usr/bin/python3)

The scratch-directory tests need root and mount namespaces (`unshare -m`, a small tmpfs as
--code_cache_dir); they skip with the reason where those are missing. Every test is bounded in
time (a few seconds to ~30 s).
"""
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import grpc

ARBITERD = sys.argv[1]
sys.path.insert(0, sys.argv[2])
import arbiterd as a  # noqa: E402  (tests/reliability, beside this file)

m = a.m
DOUBLE = "print(int(input()) * 2)"
LOOP = "while True:\n    pass"


def cpp_block(tag):
    return ("```cpp\n#include <iostream>\nint main() { long x; std::cin >> x; "
            f"std::cout << 2 * x << std::endl; }}  // {tag}\n```")


def code_group(group_id, completions, cpu_seconds=2.0, wall_seconds=5.0, languages=None):
    task = a.code_task(cpu_seconds, wall_seconds)
    if languages:
        del task["code"]["language"]
        task["code"]["languages"] = languages
    return a.group(group_id, task, completions)


def wait_for_no_descendants(pid, seconds=15):
    deadline = time.monotonic() + seconds
    while a.descendants(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return a.descendants(pid)


def still_serves(test, server):
    sat = server.score([a.sat_group("after")], timeout=20).groups[0].samples[0]
    test.assertEqual(a.outcome(sat), "CORRECT")
    code = server.score([code_group("after-code", [a.python_block(f"{DOUBLE}\n# after")])],
                        timeout=30).groups[0].samples[0]
    test.assertEqual(a.outcome(code), "CORRECT", code)


def can_mount_namespaces():
    if os.geteuid() != 0:
        return "needs root (a tmpfs in a private mount namespace)"
    if shutil.which("unshare") is None:
        return "util-linux unshare is not installed"
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c",
                            "mount -t tmpfs -o size=1m tmpfs /mnt"], capture_output=True,
                           text=True)
    if probe.returncode != 0:
        return f"cannot mount a tmpfs in a new mount namespace: {probe.stderr.strip()}"
    return ""


class ScratchFaultTest(unittest.TestCase):
    """--code_cache_dir on a 16 MiB tmpfs with 256 inodes, private to the server's mount namespace
    (the test reaches it through /proc/PID/root), filled while the server runs."""

    def test_full_scratch_is_infra_error_naming_directory_and_error_then_recovers(self):
        reason = can_mount_namespaces()
        if reason:
            self.skipTest(reason)
        with tempfile.TemporaryDirectory(prefix="arbiter-scratch-") as mountpoint:
            os.chmod(mountpoint, 0o755)
            wrapper = ["unshare", "-m", "--propagation", "private", "sh", "-c",
                       f"mount -t tmpfs -o size=16m,nr_inodes=256,mode=1777 tmpfs {mountpoint} "
                       '&& exec "$@"', "sh"]
            with a.Arbiterd(ARBITERD, f"--code_cache_dir={mountpoint}",
                            "--sandbox_concurrency=1", wrapper=wrapper) as server:
                inside = pathlib.Path(f"/proc/{server.pid}/root{mountpoint}")
                both = ["LANGUAGE_CPP", "LANGUAGE_PYTHON"]
                for fault in ("bytes", "inodes"):
                    fillers = fill(inside, fault)
                    r = server.score([code_group(f"full-{fault}", [
                        cpp_block(fault), a.python_block(f"{DOUBLE}\n# {fault}")],
                        languages=both)], timeout=60).groups[0]
                    cpp, python = r.samples
                    # The compiled language needs the scratch directory: the server's trouble,
                    # masked, with the directory and errno's text; never a compile error.
                    self.assertEqual(a.outcome(cpp), "INFRA_ERROR", cpp)
                    self.assertIn(mountpoint, cpp.message)
                    self.assertIn("No space left on device", cpp.message)
                    # Python runs on the sandbox's own tmpfs: unaffected.
                    self.assertEqual(a.outcome(python), "CORRECT", python)
                    self.assertIn("No space left on device", server.log())
                    for f in fillers:
                        f.unlink()
                    again = server.score([code_group(f"freed-{fault}", [cpp_block(f"{fault} 2")],
                                                     languages=both)], timeout=60)
                    self.assertEqual(a.outcome(again.groups[0].samples[0]), "CORRECT", again)
                still_serves(self, server)

    def test_read_only_scratch_is_infra_error_naming_directory_then_recovers(self):
        """The scratch directory turned read-only under a running server: a fresh read-only bind
        mount over it in the server's mount namespace (the server's own open lock file keeps the
        tmpfs itself from being remounted read-only), removed afterwards."""
        reason = can_mount_namespaces()
        if reason:
            self.skipTest(reason)
        if shutil.which("nsenter") is None:
            self.skipTest("util-linux nsenter is not installed")
        with tempfile.TemporaryDirectory(prefix="arbiter-scratch-") as mountpoint:
            os.chmod(mountpoint, 0o755)
            wrapper = ["unshare", "-m", "--propagation", "private", "sh", "-c",
                       f"mount -t tmpfs -o size=16m,mode=1777 tmpfs {mountpoint} "
                       '&& exec "$@"', "sh"]
            with a.Arbiterd(ARBITERD, f"--code_cache_dir={mountpoint}",
                            "--sandbox_concurrency=1", wrapper=wrapper) as server:
                def in_server_namespace(command):
                    subprocess.run(["nsenter", "-t", str(server.pid), "-m", "sh", "-c", command],
                                   check=True, capture_output=True, text=True)
                in_server_namespace(f"mount --bind {mountpoint} {mountpoint} && "
                                    f"mount -o remount,bind,ro {mountpoint}")
                both = ["LANGUAGE_CPP", "LANGUAGE_PYTHON"]
                r = server.score([code_group("read-only", [
                    cpp_block("ro"), a.python_block(f"{DOUBLE}\n# ro")], languages=both)],
                    timeout=60).groups[0]
                cpp, python = r.samples
                self.assertEqual(a.outcome(cpp), "INFRA_ERROR", cpp)
                self.assertIn(mountpoint, cpp.message)
                self.assertIn("Read-only file system", cpp.message)
                self.assertEqual(a.outcome(python), "CORRECT", python)
                self.assertIn("Read-only file system", server.log())
                in_server_namespace(f"umount {mountpoint}")  # the writable tmpfs again
                again = server.score([code_group("writable-again", [cpp_block("ro 2")],
                                                 languages=both)], timeout=60)
                self.assertEqual(a.outcome(again.groups[0].samples[0]), "CORRECT", again)
                still_serves(self, server)


def fill(directory, fault):
    """Fills `directory` (its bytes, or its inodes) until the kernel says ENOSPC."""
    fillers = []
    try:
        if fault == "bytes":
            path = directory / "filler"
            fillers.append(path)
            with open(path, "wb") as f:
                while True:
                    f.write(b"\0" * (1 << 20))
                    f.flush()
        else:
            for i in range(100000):
                path = directory / f"filler-{i}"
                path.touch()
                fillers.append(path)
    except OSError:
        pass
    return fillers


class DeadlineTest(unittest.TestCase):
    def test_deadline_mid_batch_delivers_finished_items_and_masks_the_rest(self):
        # The server's cap (3 s) ends the batch while the client still waits (30 s): the answer
        # arrives, finished items scored, unfinished ones INFRA_ERROR "deadline exceeded...".
        with a.Arbiterd(ARBITERD, "--max_deadline=3s", "--default_deadline=3s",
                        "--sandbox_concurrency=1") as server:
            started = time.monotonic()
            response = server.score([
                a.sat_group("sat"),
                code_group("code", [a.python_block(f"{DOUBLE}\n# first"),
                                    a.python_block(f"{LOOP}\n# running at the deadline"),
                                    a.python_block(f"{LOOP}\n# still queued")],
                           cpu_seconds=12, wall_seconds=20)], timeout=30)
            elapsed = time.monotonic() - started
            self.assertLess(elapsed, 15)
            sat, code = response.groups
            self.assertEqual([a.outcome(s) for s in sat.samples],
                             ["CORRECT", "INCORRECT", "NO_ANSWER"])
            first, running, queued = code.samples
            self.assertEqual(a.outcome(first), "CORRECT", first)
            for sample in (running, queued):
                self.assertEqual(a.outcome(sample), "INFRA_ERROR", sample)
                self.assertIn("deadline", sample.message)
            self.assertEqual(queued.message, "deadline exceeded before verification")
            self.assertEqual(wait_for_no_descendants(server.pid), 0)
            still_serves(self, server)


class CancellationTest(unittest.TestCase):
    def test_client_cancelling_a_stream_stops_its_programs_and_the_server_serves_on(self):
        with a.Arbiterd(ARBITERD, "--sandbox_concurrency=2") as server:
            call = server.stream_call(m.ScoreRequest(groups=[
                a.sat_group("sat"),
                code_group("loops", [a.python_block(f"{LOOP}\n# {k}") for k in range(4)],
                           cpu_seconds=12, wall_seconds=30)]), timeout=60)
            first = next(call)
            self.assertEqual(first.group_id, "sat")
            deadline = time.monotonic() + 20
            while a.descendants(server.pid) == 0 and time.monotonic() < deadline:
                time.sleep(0.05)  # the loops' sandboxes are up
            self.assertGreater(a.descendants(server.pid), 0)
            call.cancel()
            self.assertEqual(wait_for_no_descendants(server.pid), 0,
                             "sandbox processes outlived the cancelled call")
            deadline = time.monotonic() + 10  # counted once the killed checks have returned
            while (server.metric("arbiter_infra_errors_total", verifier="code",
                                 cause="cancelled") < 1 and time.monotonic() < deadline):
                time.sleep(0.1)
            self.assertGreaterEqual(server.metric("arbiter_infra_errors_total", verifier="code",
                                                  cause="cancelled"), 1)
            # The lanes and the admission estimate are free again: code is answered at once.
            started = time.monotonic()
            still_serves(self, server)
            self.assertLess(time.monotonic() - started, 20)


class LauncherKilledTest(unittest.TestCase):
    def test_sandbox_killed_from_outside_answers_the_batch_and_the_server_serves_on(self):
        # SIGKILL to the sandbox's host-side process (bwrap, which the launcher becomes) while a
        # test runs, as the host's OOM killer or an operator would: INFRA_ERROR (the server's
        # trouble, masked), never a verdict charged to the model.
        with a.Arbiterd(ARBITERD, "--sandbox_concurrency=1") as server:
            result = {}
            call = threading.Thread(target=lambda: result.setdefault("r", server.score(
                [code_group("killed", [a.python_block(f"{LOOP}\n# killed"),
                                       a.python_block(f"{DOUBLE}\n# next")],
                            cpu_seconds=12, wall_seconds=10)], timeout=60)))
            call.start()
            deadline = time.monotonic() + 20
            children = []
            while not children and time.monotonic() < deadline:
                children = [int(p) for p in os.listdir("/proc")
                            if p.isdigit() and a.read_status(int(p), "PPid:") == server.pid]
                time.sleep(0.05)
            self.assertTrue(children, "no sandbox started")
            time.sleep(0.5)
            for pid in children:
                os.kill(pid, signal.SIGKILL)
            call.join(timeout=60)
            killed, following = result["r"].groups[0].samples
            # What holds today, and must keep holding: the batch is answered, the next program
            # is scored, nothing is left behind, the server serves.
            self.assertEqual(a.outcome(following), "CORRECT", following)
            self.assertEqual(wait_for_no_descendants(server.pid), 0)
            still_serves(self, server)
            print(f"sandbox killed mid-test: {a.outcome(killed)}: {killed.message[:100]}")
            self.assertEqual(a.outcome(killed), "INFRA_ERROR", killed)
            self.assertIn("sandbox process killed from outside", killed.message)


class MessageTest(unittest.TestCase):
    def test_oversize_and_malformed_requests_are_refused_with_a_clear_status(self):
        with a.Arbiterd(ARBITERD, "--max_message_bytes=1048576") as server:
            big = a.group("big", {"verifier": "sat", "ground_truth": "AB"}, ["x" * (2 << 20)])
            with self.assertRaises(grpc.RpcError) as refused:
                server.score([big], timeout=20)
            self.assertEqual(refused.exception.code(), grpc.StatusCode.RESOURCE_EXHAUSTED)
            print(f"oversize: {refused.exception.details()}")

            with self.assertRaises(grpc.RpcError) as garbage:
                server.raw_score(b"\xff\xff\xff\xff", timeout=20)
            self.assertEqual(garbage.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
            self.assertTrue(garbage.exception.details())
            print(f"garbage: {garbage.exception.details()}")

            valid = m.ScoreRequest(groups=[a.group("u", {"verifier": "sat", "ground_truth": "A"},
                                                   ["MARK"])]).SerializeToString()
            with self.assertRaises(grpc.RpcError) as utf8:
                server.raw_score(valid.replace(b"MARK", b"\xc3\x28AB"), timeout=20)
            self.assertEqual(utf8.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
            self.assertIn("groups[0].samples[0].completion", utf8.exception.details())
            still_serves(self, server)


class HugeInputTest(unittest.TestCase):
    """Bounded time and a clear outcome for inputs far beyond anything a trainer sends."""

    def timed(self, server, groups, bound, timeout=120):
        started = time.monotonic()
        response = server.score(groups, timeout=timeout)
        elapsed = time.monotonic() - started
        self.assertLess(elapsed, bound)
        return response, elapsed

    def test_huge_formula_group_request_and_nesting(self):
        with a.Arbiterd(ARBITERD, "--max_queued_items=200000") as server:
            # A 10 MB Saturn formula: 1.6 M clauses.
            formula = " & ".join(["AB", "!A!C", "B!D"] * 400000)[:10 << 20].rsplit(" & ", 1)[0]
            response, elapsed = self.timed(server, [a.group(
                "formula", {"verifier": "sat", "ground_truth": formula},
                ["\\boxed{1100}", "\\boxed{0000}"])], bound=60)
            result = response.groups[0]
            print(f"10 MB formula: {elapsed:.1f} s, status {result.status.code} "
                  f"{result.status.message[:120]!r}, outcomes "
                  f"{[a.outcome(s) for s in result.samples]}")
            if result.status.code == 0:
                self.assertEqual([a.outcome(s) for s in result.samples],
                                 ["CORRECT", "INCORRECT"])
            else:
                self.assertTrue(result.status.message)

            # 10,000 samples in one group.
            completions = [f"{i}: \\boxed{{{i % 16:04b}}}" for i in range(10000)]
            response, elapsed = self.timed(server, [a.group(
                "wide", {"verifier": "sat", "ground_truth": "AB & !A!C & B!D"}, completions)],
                bound=60)
            outcomes = [a.outcome(s) for s in response.groups[0].samples]
            print(f"10,000 samples: {elapsed:.1f} s")
            self.assertEqual(len(outcomes), 10000)
            self.assertNotIn("INFRA_ERROR", outcomes)
            self.assertEqual(outcomes[12], "CORRECT")  # 1100

            # 100,000 groups in one request (one sample each).
            groups = [m.Group(group_id=f"g{i}", task=m.Task(verifier="math",
                                                            ground_truth=str(i % 97)))
                      for i in range(100000)]
            for i, g in enumerate(groups):
                g.samples.add(completion=f"\\boxed{{{i % 97}}}")
            response, elapsed = self.timed(server, groups, bound=100, timeout=120)
            print(f"100,000 groups: {elapsed:.1f} s")
            self.assertEqual(len(response.groups), 100000)
            self.assertTrue(all(g.status.code == 0 and a.outcome(g.samples[0]) == "CORRECT"
                                for g in response.groups))

            # 50,000 nested braces, for each text verifier.
            nested = "\\boxed{" * 50000 + "1" + "}" * 50000
            braces = "{" * 50000
            tasks = {"sat": "AB & !A!C & B!D", "math": "1", "beam": '["2.1P", "0.9P"]'}
            response, elapsed = self.timed(server, [
                a.group(v, {"verifier": v, "ground_truth": t}, [nested, braces])
                for v, t in tasks.items()], bound=30)
            print(f"50,000 nested braces (sat, math, beam): {elapsed:.1f} s, "
                  f"{[[a.outcome(s) for s in g.samples] for g in response.groups]}")
            for g in response.groups:
                self.assertEqual(g.status.code, 0, g.status)
                for s in g.samples:
                    self.assertIn(a.outcome(s), ("INCORRECT", "NO_ANSWER"), s)
            still_serves(self, server)

    def test_more_samples_than_the_admission_bound_is_refused_at_once(self):
        with a.Arbiterd(ARBITERD, "--max_queued_items=1000") as server:
            started = time.monotonic()
            with self.assertRaises(grpc.RpcError) as refused:
                server.score([a.group("g", {"verifier": "sat", "ground_truth": "A"},
                                      ["\\boxed{1}"] * 1001)], timeout=20)
            self.assertLess(time.monotonic() - started, 5)
            self.assertEqual(refused.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
            self.assertIn("max_queued_items", refused.exception.details())
            still_serves(self, server)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
