#!/usr/bin/python3
"""Who may call arbiterd: TLS, mutual TLS and bearer tokens, end to end against a real arbiterd.

Certificates are made here with the openssl CLI. Asserts that a caller without the right
certificate or token is refused (gRPC: handshake failure or UNAUTHENTICATED; HTTP: 401) and that
nothing of its request runs (the server's sample counters stay put); that health stays open for
probes; that reflection is off while tokens are required; that rotated tokens and certificates
are picked up without a restart; that inconsistent TLS flags stop the server at start.

usage: auth_test.py ARBITERD_BINARY CLIENT_PYTHON_DIR        (interpreter: /usr/bin/python3)"""
import json
import pathlib
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

import grpc

ARBITERD = sys.argv[1]
sys.path.insert(0, sys.argv[2])
from arbiter_client import messages as m  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "deploy"))
import render  # noqa: E402

TOKEN, ROTATED = "s3cret-token-1", "s3cret-token-2"
CORRECT = m.POOL.FindEnumTypeByName("arbiter.v1.Outcome").values_by_name["CORRECT"].number


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_ca(d, name):
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name}",
            "-keyout", f"{name}.key", "-out", f"{name}.pem", cwd=d)


def make_cert(d, ca, name, san):
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}", "-keyout",
            f"{name}.key", "-out", f"{name}.csr", cwd=d)
    (d / f"{name}.ext").write_text(f"subjectAltName={san}\n")
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key",
            "-CAcreateserial", "-days", "2", "-extfile", f"{name}.ext", "-out", f"{name}.pem", cwd=d)


def read(d, name):
    return (d / name).read_bytes()


def eventually(attempt, refused_while, timeout=15):
    """Calls attempt() until it returns, while the errors it raises satisfy refused_while (the
    server has not picked up a rotated file yet); re-raises other errors and the last one."""
    deadline = time.time() + timeout
    while True:
        try:
            return attempt()
        except Exception as e:  # noqa: BLE001 - filtered by refused_while
            if not refused_while(e) or time.time() > deadline:
                raise
        time.sleep(0.3)


def score_request(k):
    r = m.ScoreRequest()
    g = r.groups.add()
    g.task.verifier, g.task.ground_truth = "math", str(k)
    g.samples.add().completion = f"\\boxed{{{k}}}"
    return r


class AuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = pathlib.Path(tempfile.mkdtemp(prefix="arbiter-auth-"))
        d = cls.dir
        make_ca(d, "ca")
        make_ca(d, "rogue_ca")
        make_ca(d, "new_ca")
        make_cert(d, "ca", "server", "DNS:localhost,IP:127.0.0.1")
        make_cert(d, "ca", "client", "DNS:trainer")
        make_cert(d, "rogue_ca", "rogue_client", "DNS:trainer")
        make_cert(d, "new_ca", "new_server", "DNS:localhost,IP:127.0.0.1")
        # The server reads copies, so that the test can rotate them.
        (d / "serving.pem").write_bytes(read(d, "server.pem"))
        (d / "serving.key").write_bytes(read(d, "server.key"))
        (d / "tokens").write_text(f"# one token per line\n{TOKEN}\n")
        cls.server = render.Arbiterd(
            ARBITERD, f"--tls_cert_file={d}/serving.pem", f"--tls_key_file={d}/serving.key",
            f"--tls_client_ca_file={d}/ca.pem", f"--auth_tokens_file={d}/tokens",
            "--tls_reload_interval=1s", "--http_address=127.0.0.1:0",
            f"--http_port_file={d}/http_port")
        cls.http_port = int((d / "http_port").read_text())
        cls.target = f"127.0.0.1:{cls.server.grpc_port}"

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def channel(self, ca="ca", client="client"):
        creds = grpc.ssl_channel_credentials(
            root_certificates=read(self.dir, f"{ca}.pem"),
            private_key=read(self.dir, f"{client}.key") if client else None,
            certificate_chain=read(self.dir, f"{client}.pem") if client else None)
        return grpc.secure_channel(self.target, creds,
                                   options=[("grpc.ssl_target_name_override", "localhost")])

    def score(self, channel, token=None, k=4, method="Score"):
        metadata = [("authorization", f"Bearer {token}")] if token else None
        if method == "ScoreStream":
            call = channel.unary_stream("/arbiter.v1.Arbiter/ScoreStream",
                                        request_serializer=m.ScoreRequest.SerializeToString,
                                        response_deserializer=m.GroupResult.FromString)
            return list(call(score_request(k), metadata=metadata, timeout=30))
        call = channel.unary_unary("/arbiter.v1.Arbiter/Score",
                                   request_serializer=m.ScoreRequest.SerializeToString,
                                   response_deserializer=m.ScoreResponse.FromString)
        return call(score_request(k), metadata=metadata, timeout=30)

    def samples_counted(self):
        total = 0.0
        for line in self.server.scrape().splitlines():
            if line.startswith("arbiter_items_total{"):
                total += float(line.rsplit(" ", 1)[1])
        return total

    def rejected_unauthenticated(self):
        for line in self.server.scrape().splitlines():
            if line.startswith('arbiter_rejected_total{reason="unauthenticated"}'):
                return float(line.rsplit(" ", 1)[1])
        return None

    def assertRefused(self, code, fn):
        with self.assertRaises(grpc.RpcError) as caught:
            fn()
        self.assertEqual(caught.exception.code(), code, caught.exception.details())
        return caught.exception

    def test_1_callers_without_certificate_or_token_are_refused_and_nothing_runs(self):
        before, refusals = self.samples_counted(), self.rejected_unauthenticated()
        with grpc.insecure_channel(self.target) as plain:
            self.assertRefused(grpc.StatusCode.UNAVAILABLE, lambda: self.score(plain, TOKEN))
        with self.channel(client=None) as no_cert:
            self.assertRefused(grpc.StatusCode.UNAVAILABLE, lambda: self.score(no_cert, TOKEN))
        with self.channel(client="rogue_client") as rogue:
            self.assertRefused(grpc.StatusCode.UNAVAILABLE, lambda: self.score(rogue, TOKEN))
        with self.channel() as ch:
            for token in [None, "wrong", TOKEN + "x", TOKEN[:-1]]:
                for method in ["Score", "ScoreStream"]:
                    e = self.assertRefused(grpc.StatusCode.UNAUTHENTICATED,
                                           lambda: self.score(ch, token, method=method))
                    self.assertIn("bearer token", e.details())
            for name, request, reply in [("ListVerifiers", m.ListVerifiersRequest, m.ListVerifiersResponse),
                                         ("Generate", m.GenerateRequest, m.GenerateResponse),
                                         ("RegisterSuite", m.RegisterSuiteRequest, m.RegisterSuiteResponse)]:
                call = ch.unary_unary(f"/arbiter.v1.Arbiter/{name}",
                                      request_serializer=request.SerializeToString,
                                      response_deserializer=reply.FromString)
                self.assertRefused(grpc.StatusCode.UNAUTHENTICATED, lambda: call(request(), timeout=10))
        self.assertEqual(self.samples_counted(), before, "a refused request was scored")
        self.assertEqual(self.rejected_unauthenticated(), refusals + 11)

    def test_2_the_right_certificate_and_token_are_served(self):
        with self.channel() as ch:
            response = self.score(ch, TOKEN, k=7)
            self.assertEqual(response.groups[0].samples[0].outcome, CORRECT)
            streamed = self.score(ch, TOKEN, k=8, method="ScoreStream")
            self.assertEqual(streamed[0].samples[0].outcome, CORRECT)

    def test_3_health_is_open_and_reflection_is_off(self):
        with self.channel() as ch:
            health = ch.unary_unary("/grpc.health.v1.Health/Check",
                                    request_serializer=m.HealthCheckRequest.SerializeToString,
                                    response_deserializer=m.HealthCheckResponse.FromString)
            self.assertEqual(health(m.HealthCheckRequest(), timeout=10).status,
                             m.HealthCheckResponse.SERVING)
            reflection = ch.stream_stream(
                "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                request_serializer=lambda b: b, response_deserializer=lambda b: b)
            self.assertRefused(grpc.StatusCode.UNIMPLEMENTED,
                               lambda: list(reflection(iter([b""]), metadata=[
                                   ("authorization", f"Bearer {TOKEN}")], timeout=10)))

    def https(self, req, ca="ca"):
        context = ssl.create_default_context(cafile=str(self.dir / f"{ca}.pem"))
        return urllib.request.urlopen(req, timeout=30, context=context)

    def test_4_http_is_tls_and_needs_the_token_but_healthz_does_not(self):
        with self.assertRaises((urllib.error.URLError, ConnectionError)):  # plaintext: no answer
            urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/healthz", timeout=10)
        with self.assertRaises(urllib.error.URLError):  # a server the client does not trust
            self.https(f"https://127.0.0.1:{self.http_port}/healthz", ca="rogue_ca")
        url = f"https://127.0.0.1:{self.http_port}"
        body = json.dumps({"groups": [{"task": {"verifier": "math", "ground_truth": "5"},
                                       "samples": [{"completion": "\\boxed{5}"}]}]}).encode()
        before = self.samples_counted()
        for headers in [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}]:
            req = urllib.request.Request(f"{url}/v1/score", data=body, headers=headers)
            with self.assertRaises(urllib.error.HTTPError) as caught:
                self.https(req)
            self.assertEqual(caught.exception.code, 401)
            self.assertEqual(caught.exception.headers["WWW-Authenticate"], "Bearer")
        self.assertEqual(self.samples_counted(), before)
        req = urllib.request.Request(f"{url}/v1/score", data=body,
                                     headers={"Authorization": f"Bearer {TOKEN}"})
        with self.https(req) as r:
            self.assertEqual(json.loads(r.read())["groups"][0]["samples"][0]["outcome"], "CORRECT")
        with self.https(f"{url}/healthz") as r:
            self.assertEqual(r.status, 200)

    def test_5_rotated_tokens_and_certificates_apply_without_restart(self):
        (self.dir / "tokens.new").write_text(f"{ROTATED}\n")
        (self.dir / "tokens.new").rename(self.dir / "tokens")
        with self.channel() as ch:
            eventually(lambda: self.score(ch, ROTATED, k=9), refused_while=lambda e: (
                isinstance(e, grpc.RpcError) and e.code() == grpc.StatusCode.UNAUTHENTICATED))
            self.assertRefused(grpc.StatusCode.UNAUTHENTICATED, lambda: self.score(ch, TOKEN))
        for name in ["pem", "key"]:
            (self.dir / f"serving.{name}.new").write_bytes(read(self.dir, f"new_server.{name}"))
        (self.dir / "serving.key.new").rename(self.dir / "serving.key")
        (self.dir / "serving.pem.new").rename(self.dir / "serving.pem")

        def score_trusting_only_the_new_ca():
            with self.channel(ca="new_ca") as ch:
                self.score(ch, ROTATED, k=10)

        eventually(score_trusting_only_the_new_ca, refused_while=lambda e: (
            isinstance(e, grpc.RpcError) and e.code() == grpc.StatusCode.UNAVAILABLE))

        def gateway_presents_the_new_certificate():
            with self.https(f"https://127.0.0.1:{self.http_port}/healthz", ca="new_ca") as r:
                self.assertEqual(r.status, 200)

        eventually(gateway_presents_the_new_certificate,
                   refused_while=lambda e: isinstance(e, urllib.error.URLError))

    def test_6_the_python_client_takes_certificates_and_token_from_the_environment(self):
        import os
        from arbiter_client import Client
        token = (self.dir / "tokens").read_text().split()[-1]  # test_5 may have rotated it
        (self.dir / "client_token").write_text(token + "\n")
        env = {"ARBITER_TLS_CA_FILE": "ca.pem", "ARBITER_TLS_CERT_FILE": "client.pem",
               "ARBITER_TLS_KEY_FILE": "client.key", "ARBITER_TOKEN_FILE": "client_token"}
        if read(self.dir, "serving.pem") == read(self.dir, "new_server.pem"):
            env["ARBITER_TLS_CA_FILE"] = "new_ca.pem"
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update({k: str(self.dir / v) for k, v in env.items()})
        try:
            with Client(self.target) as client:
                self.assertEqual(client.score_one("math", "11", "\\boxed{11}").outcome, "CORRECT")
            os.environ["ARBITER_TOKEN_FILE"] = str(self.dir / "tokens.missing")
            with self.assertRaises(ValueError):
                Client(self.target).score_one("math", "11", "\\boxed{11}")
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

    def test_7_inconsistent_tls_flags_stop_the_server(self):
        for flags, words in [([f"--tls_cert_file={self.dir}/server.pem"], "tls_key_file"),
                             ([f"--tls_client_ca_file={self.dir}/ca.pem"], "mutual TLS"),
                             ([f"--auth_tokens_file={self.dir}/missing"], "cannot be read")]:
            out = subprocess.run([ARBITERD, "--address=127.0.0.1:0", "--metrics_address=", *flags],
                                 capture_output=True, text=True, timeout=60)
            self.assertNotEqual(out.returncode, 0)
            self.assertIn(words, out.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
