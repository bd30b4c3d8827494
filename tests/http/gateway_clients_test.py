#!/usr/bin/python3
"""The real arbiterd's HTTP gateway driven by real HTTP clients: aiohttp, requests, http.client, curl.

Replays the trainers' calls the way their own code makes them (spec/trainers.md):
  - OpenRLHF >= v0.9.1 (openrlhf/utils/agent.py, SingleTurnAgentExecutor): one completion per
    POST {"query": [q], "prompts": [p], "labels": [l]}, a new aiohttp.ClientSession per request,
    ClientTimeout(total=180), 5 tries with a 1 s sleep, raise_for_status(), then reads
    rewards / scores (or rewards) / extra_logs;
  - OpenRLHF v0.8.3..v0.9.0 (utils/remote_rm_utils.py): requests.post(url, json=batch, timeout=180)
    with many queries in one request;
  - slime --rm-type remote_rm (slime/rollout/rm_hub/__init__.py): a shared aiohttp session with
    TCPConnector(limit=64), ClientTimeout(total=120), POST {"prompt", "response", "label"}, the
    JSON answer is the reward;
and checks Saturn's 1 / 0 / -1 for satisfying / wrong / missing answers, that the prompt's own
example answer (\\boxed{1101}) is never scored, that every request gets its own answer (a burst of
~2000 concurrent connections, each with its own task and verdict), keep-alive, 400s, curl's
Expect: 100-continue, and a clean SIGTERM.

Environment: ARBITERD and ARBITER_CLI (paths to the binaries; ctest sets them). Loopback only.
Bounded: the whole run has a 240 s budget (ctest TIMEOUT); each request 180 s at most.
"""
import asyncio
import http.client
import itertools
import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import aiohttp
import requests

ARBITERD = os.environ.get("ARBITERD", "build/server/arbiterd")
ARBITER_CLI = os.environ.get("ARBITER_CLI", "build/client/arbiter")
BURST = int(os.environ.get("ARBITER_HTTP_BURST", "2000"))
CHAT_PREFIX = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
CHAT_SUFFIX = "<|im_end|>\n<|im_start|>assistant\n"
EOS = "<|im_end|>"


def parse_clauses(clause):
    """Saturn's encoding '!AD!E & A!B!E' -> [[(var, negated), ...], ...]."""
    clauses = []
    for text in clause.split("&"):
        literals, negated = [], False
        for ch in text.strip():
            if ch == "!":
                negated = True
            else:
                literals.append((ord(ch) - ord("A"), negated))
                negated = False
        clauses.append(literals)
    return clauses


def satisfies(clauses, bits):
    """Saturn compat reading: bit i is variable i; short answers read 0 past the end."""
    value = lambda v: v < len(bits) and bits[v] == "1"
    return all(any(value(v) != neg for v, neg in c) for c in clauses)


def brute_force(clause, k):
    """(a satisfying assignment, an unsatisfying one), both k bits."""
    clauses = parse_clauses(clause)
    good = bad = None
    for bits in ("".join(p) for p in itertools.product("01", repeat=k)):
        if satisfies(clauses, bits):
            good = good or bits
        else:
            bad = bad or bits
    assert good and bad, clause
    return good, bad


class Arbiterd:
    """arbiterd on 127.0.0.1:0 with the gateway on 127.0.0.1:0; ports from its port files."""

    def __init__(self, *flags):
        self.dir = tempfile.TemporaryDirectory(prefix="arbiter_http_")
        grpc_file = os.path.join(self.dir.name, "grpc.port")
        http_file = os.path.join(self.dir.name, "http.port")
        self.log = open(os.path.join(self.dir.name, "arbiterd.log"), "w+")
        self.proc = subprocess.Popen(
            [ARBITERD, "--address=127.0.0.1:0", "--metrics_address=", f"--port_file={grpc_file}",
             "--http_address=127.0.0.1:0", f"--http_port_file={http_file}", *flags],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while not (os.path.exists(grpc_file) and os.path.exists(http_file)):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("arbiterd did not start:\n" + self.output())
            time.sleep(0.05)
        with open(grpc_file) as f:
            self.grpc = f"127.0.0.1:{f.read().strip()}"
        with open(http_file) as f:
            self.base = f"http://127.0.0.1:{f.read().strip()}"

    def output(self):
        if self.log.closed:
            return self.final_output
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        try:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
                    raise
            return self.proc.returncode
        finally:
            self.final_output = self.output()
            self.log.close()
            self.dir.cleanup()


# --- the trainers' client code, as they write it -------------------------------------------------

async def openrlhf_post(url, query, prompt, label):
    """OpenRLHF SingleTurnAgentExecutor._fetch_rewards_via_http + execute, one endpoint."""
    timeout = aiohttp.ClientTimeout(total=180)
    payload = {"query": [query], "prompts": [prompt], "labels": [label]}
    for _ in range(5):
        try:
            async with aiohttp.ClientSession(timeout=timeout) as session:
                async with session.post(url, json=payload) as response:
                    response.raise_for_status()
                    rewards_info = await response.json()
                    return {
                        "reward": rewards_info.get("rewards"),
                        "scores": rewards_info.get("scores") or rewards_info.get("rewards"),
                        "extra_logs": rewards_info.get("extra_logs") or {},
                    }
        except Exception as e:  # OpenRLHF retries on any error, 4xx/5xx included
            last = e
        await asyncio.sleep(1)
    raise RuntimeError(f"Request error for 5 times: {last}")


_slime_session = None


def slime_session():
    global _slime_session
    if _slime_session is None or _slime_session.closed:
        connector = aiohttp.TCPConnector(limit=64, enable_cleanup_closed=True)
        _slime_session = aiohttp.ClientSession(connector=connector,
                                               timeout=aiohttp.ClientTimeout(total=120))
    return _slime_session


async def slime_remote_rm(url, prompt, response_text, label, max_retries=10):
    """slime rm_hub.remote_rm."""
    payload = {"prompt": prompt, "response": response_text, "label": label}
    for attempt in range(max_retries):
        try:
            async with slime_session().post(url, json=payload) as resp:
                resp.raise_for_status()
                return await resp.json()
        except Exception:
            if attempt + 1 >= max_retries:
                raise
            await asyncio.sleep(min(2 ** attempt, 30) + random.random())


# --- the tests -----------------------------------------------------------------------------------

class GatewayClientsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = min(hard, max(soft, 4 * BURST + 256))
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))  # arbiterd inherits it
        cls.burst = min(BURST, (want - 256) // 2)
        cls.server = Arbiterd("--http_max_connections=8192")
        generated = subprocess.run(
            [ARBITER_CLI, "gen", "sat", "--n=3", "--k=5", "--l=5", "--count=3", "--seed=7",
             f"--server={cls.server.grpc}"], capture_output=True, text=True, timeout=60)
        if generated.returncode != 0:
            raise RuntimeError("arbiter gen sat failed: " + generated.stderr)
        cls.tasks = []
        for line in generated.stdout.splitlines():
            row = json.loads(line)
            assert "\\boxed{1101}" in row["prompt"], "Saturn's prompt shows an example answer"
            good, bad = brute_force(row["clause"], row["k"])
            cls.tasks.append({"row": row, "good": good, "bad": bad,
                              "chat_prompt": CHAT_PREFIX + row["prompt"] + CHAT_SUFFIX})
        assert len(cls.tasks) == 3

    @classmethod
    def tearDownClass(cls):
        if _slime_session is not None:
            asyncio.run(_slime_session.close())
        code = cls.server.stop()
        if code != 0:
            raise RuntimeError(f"arbiterd exited {code}:\n{cls.server.output()}")

    def completion(self, task, kind):
        """(completion text, the Saturn score it must get)."""
        if kind == "good":
            return f"Trying values... so the answer is \\boxed{{{task['good']}}}{EOS}", 1.0
        if kind == "bad":
            return f"I believe it is \\boxed{{{task['bad']}}}{EOS}", 0.0
        return f"I could not find an assignment.{EOS}", -1.0

    def test_openrlhf_scores_saturn_one_zero_minus_one(self):
        url = self.server.base + "/get_reward"

        async def run():
            calls = []
            for task in self.tasks:
                for kind in ("good", "bad", "none"):
                    text, expected = self.completion(task, kind)
                    query = task["chat_prompt"] + text
                    calls.append((openrlhf_post(url, query, task["chat_prompt"],
                                                task["row"]["clause"]), expected))
            results = await asyncio.gather(*(c for c, _ in calls))
            return list(zip(results, (e for _, e in calls)))

        for result, expected in asyncio.run(run()):
            self.assertEqual(result["reward"], [expected])
            self.assertEqual(result["scores"], [1.0 if expected == 1.0 else 0.0])
            logs = result["extra_logs"]
            self.assertEqual(set(logs), {"outcome_code", "infra_error", "error", "cached",
                                         "prompt_mismatch"})
            for values in logs.values():  # OpenRLHF makes tensors of them: numbers only
                self.assertEqual(len(values), 1)
                self.assertIsInstance(values[0], float)
            self.assertEqual(logs["prompt_mismatch"], [0.0])

    def test_prompt_example_box_is_never_scored(self):
        """No answer is -1 in both modes, though the prompt holds \\boxed{1101}."""
        url = self.server.base + "/get_reward"
        text, _ = self.completion(self.tasks[0], "none")
        for mode in ("strict", "compat"):
            for task in self.tasks:
                answer = requests.post(f"{url}?verifier=sat&mode={mode}", timeout=180, json={
                    "query": [task["chat_prompt"] + text], "prompts": [task["chat_prompt"]],
                    "labels": [task["row"]["clause"]]}).json()
                self.assertEqual(answer["rewards"], [-1.0], (mode, answer))
                self.assertEqual(answer["outcomes"], ["NO_ANSWER"])
        # The control: scored without stripping, the example box is found (not NO_ANSWER).
        task = self.tasks[0]
        unstripped = requests.post(url, timeout=180, json={
            "query": [task["chat_prompt"] + text], "prompts": [""],
            "labels": [task["row"]["clause"]]}).json()
        self.assertNotEqual(unstripped["outcomes"], ["NO_ANSWER"])

    def test_openrlhf_legacy_batch_with_requests(self):
        queries, prompts, labels, expected = [], [], [], []
        for task in self.tasks:
            for kind in ("good", "bad", "none"):
                text, score = self.completion(task, kind)
                queries.append(task["chat_prompt"] + text)
                prompts.append(task["chat_prompt"])
                labels.append(task["row"]["clause"])
                expected.append(score)
        # A label that is a Saturn row object (JSON-encoded for the verifier) and an envelope.
        row = dict(self.tasks[1]["row"])
        text, score = self.completion(self.tasks[1], "good")
        queries += [self.tasks[1]["chat_prompt"] + text] * 2
        prompts += [self.tasks[1]["chat_prompt"]] * 2
        labels += [row, {"verifier": "sat", "mode": "strict", "ground_truth": row["clause"]}]
        expected += [1.0, 1.0]
        response = requests.post(self.server.base + "/get_reward", timeout=180,
                                 json={"query": queries, "prompts": prompts, "labels": labels})
        response.raise_for_status()
        answer = response.json()
        self.assertEqual(answer["rewards"], expected)
        self.assertEqual(answer["scores"], [1.0 if e == 1.0 else 0.0 for e in expected])
        for values in answer["extra_logs"].values():
            self.assertEqual(len(values), len(queries))
        empty = requests.post(self.server.base + "/get_reward", timeout=180,
                              json={"query": [], "prompts": [], "labels": []}).json()
        self.assertEqual(empty["rewards"], [])
        self.assertEqual(empty["scores"], [])

    def test_per_item_problems_are_200_with_zero(self):
        response = requests.post(self.server.base + "/get_reward", timeout=180, json={
            "query": ["p\\boxed{1}", "p\\boxed{1}"], "prompts": ["p", "p"],
            "labels": [{"verifier": "nope", "ground_truth": "A"}, "not a formula ###"]})
        self.assertEqual(response.status_code, 200)
        answer = response.json()
        self.assertEqual(answer["rewards"], [0.0, 0.0])
        self.assertEqual(answer["scores"], [0.0, 0.0])
        self.assertEqual(answer["extra_logs"]["error"], [1.0, 1.0])

    def test_unreadable_bodies_are_400_with_a_reason(self):
        for body in ("not json", '{"query": ["a"], "prompts": [], "labels": []}',
                     '{"query": "a", "prompts": "b", "labels": "c"}'):
            response = requests.post(self.server.base + "/get_reward", data=body, timeout=60)
            self.assertEqual(response.status_code, 400, body)
            self.assertTrue(response.json()["error"])

    def test_slime_remote_rm_burst_over_64_keepalive_connections(self):
        url = self.server.base + "/slime/reward"

        async def run():
            calls = []
            for i in range(600):
                task = self.tasks[i % 3]
                kind = ("good", "bad", "none")[(i // 3) % 3]
                text, expected = self.completion(task, kind)
                prompt = ([{"role": "user", "content": task["row"]["prompt"]}] if i % 2
                          else task["chat_prompt"])
                calls.append((slime_remote_rm(url, prompt, text, task["row"]["clause"]),
                              expected))
            results = await asyncio.gather(*(c for c, _ in calls))
            return [(r, e) for r, (_, e) in zip(results, calls)]

        for reward, expected in asyncio.run(run()):
            self.assertEqual(reward, expected)

    def test_slime_reward_key_and_null_label(self):
        url = self.server.base + "/slime/reward"
        text, _ = self.completion(self.tasks[0], "good")
        keyed = requests.post(url + "?reward_key=score", timeout=60, json={
            "prompt": "p", "response": text, "label": self.tasks[0]["row"]["clause"]}).json()
        self.assertEqual(keyed["score"], 1.0)
        self.assertEqual(keyed["outcome"], "CORRECT")
        null = requests.post(url, timeout=60, json={"prompt": "p", "response": text,
                                                    "label": None})
        self.assertEqual(null.status_code, 200)
        self.assertEqual(null.json(), 0.0)

    def test_keep_alive_reuses_one_connection(self):
        host = self.server.base[len("http://"):]
        conn = http.client.HTTPConnection(host, timeout=60)
        text, _ = self.completion(self.tasks[2], "good")
        body = json.dumps({"prompt": "p", "response": text,
                           "label": self.tasks[2]["row"]["clause"]})
        sock = None
        for _ in range(20):
            conn.request("POST", "/slime/reward", body, {"Content-Type": "application/json"})
            response = conn.getresponse()
            self.assertEqual(json.loads(response.read()), 1.0)
            self.assertNotEqual(response.getheader("Connection", "").lower(), "close")
            sock = sock or conn.sock
            self.assertIs(conn.sock, sock)  # http.client reconnects only when told to close
        conn.close()

    def test_burst_of_concurrent_openrlhf_connections(self):
        """~2000 requests at once, each on its own new connection (a session per request)."""
        url = self.server.base + "/get_reward"

        async def run():
            calls = []
            for i in range(self.burst):
                task = self.tasks[i % 3]
                kind = ("good", "bad", "none")[(i // 3) % 3]
                text, expected = self.completion(task, kind)
                # Make each request's completion unique, so no answer can be another's.
                text = f"[{i}] " + text
                calls.append((openrlhf_post(url, task["chat_prompt"] + text, task["chat_prompt"],
                                            task["row"]["clause"]), expected))
            start = time.monotonic()
            results = await asyncio.gather(*(c for c, _ in calls))
            return time.monotonic() - start, [(r, e) for r, (_, e) in zip(results, calls)]

        elapsed, results = asyncio.run(run())
        self.assertEqual(len(results), self.burst)
        for result, expected in results:
            self.assertEqual(result["reward"], [expected])
        print(f"burst: {self.burst} OpenRLHF requests (new connection each) in {elapsed:.2f} s",
              file=sys.stderr)

    def test_curl(self):
        task = self.tasks[0]
        text, _ = self.completion(task, "good")
        body = json.dumps({"query": [task["chat_prompt"] + text],
                           "prompts": [task["chat_prompt"]], "labels": [task["row"]["clause"]]})
        self.assertGreater(len(body), 1024)  # curl sends Expect: 100-continue for these
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            f.write(body)
            f.flush()
            start = time.monotonic()
            out = subprocess.run(
                ["curl", "-sS", "--max-time", "60", "-H", "Content-Type: application/json",
                 "-H", "Expect: 100-continue", "--data-binary", f"@{f.name}",
                 self.server.base + "/get_reward"], capture_output=True, text=True, check=True)
            elapsed = time.monotonic() - start
        self.assertEqual(json.loads(out.stdout)["rewards"], [1.0])
        self.assertLess(elapsed, 0.9, "the server should answer 100 Continue, not make curl wait")
        status = subprocess.run(
            ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "60",
             "--data-binary", "not json", self.server.base + "/get_reward"],
            capture_output=True, text=True, check=True).stdout
        self.assertEqual(status, "400")
        health = subprocess.run(["curl", "-s", "--max-time", "60", self.server.base + "/healthz"],
                                capture_output=True, text=True, check=True).stdout
        self.assertEqual(health, "SERVING\n")
        score = subprocess.run(
            ["curl", "-sS", "--max-time", "60", "--data-binary", json.dumps({"groups": [{
                "task": {"verifier": "sat", "ground_truth": task["row"]["clause"]},
                "samples": [{"completion": text}]}]}), self.server.base + "/v1/score"],
            capture_output=True, text=True, check=True).stdout
        self.assertEqual(json.loads(score)["groups"][0]["samples"][0]["outcome"], "CORRECT")


class ShutdownTest(unittest.TestCase):
    def test_sigterm_stops_accepting_and_exits_zero(self):
        server = Arbiterd("--grace_period=5s")
        self.assertEqual(requests.get(server.base + "/healthz", timeout=10).text, "SERVING\n")
        self.assertEqual(server.stop(), 0, server.output())
        with self.assertRaises(requests.ConnectionError):
            requests.get(server.base + "/healthz", timeout=10)


if __name__ == "__main__":
    unittest.main(verbosity=2)
