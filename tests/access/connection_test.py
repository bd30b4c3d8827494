#!/usr/bin/python3
"""Connections end so that new replicas receive traffic: with --max_connection_age, arbiterd sends
GOAWAY to an aged connection, calls in flight finish within the grace, and the client's channel
reconnects by itself (gRPC balances per connection, so this is what spreads a long-lived
trainer's load over replicas added later).

usage: connection_test.py ARBITERD_BINARY CLIENT_PYTHON_DIR      (interpreter: /usr/bin/python3)"""
import sys
import threading
import time
import unittest

import grpc

ARBITERD = sys.argv[1]
sys.path.insert(0, sys.argv[2])
from arbiter_client import messages as m  # noqa: E402
import pathlib  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "deploy"))
import render  # noqa: E402


class ConnectionAgeTest(unittest.TestCase):
    def test_aged_connections_are_replaced_and_calls_keep_working(self):
        with render.Arbiterd(ARBITERD, "--max_connection_age=1s",
                             "--max_connection_age_grace=5s") as server:
            states, lock = [], threading.Lock()

            def watch(state):
                with lock:
                    states.append(state)

            channel = grpc.insecure_channel(f"127.0.0.1:{server.grpc_port}")
            channel.subscribe(watch, try_to_connect=True)
            call = channel.unary_unary("/arbiter.v1.Arbiter/ListVerifiers",
                                       request_serializer=m.ListVerifiersRequest.SerializeToString,
                                       response_deserializer=m.ListVerifiersResponse.FromString)
            answered = 0
            deadline = time.time() + 4.5
            while time.time() < deadline:  # every call answered while connections age out
                self.assertTrue(call(m.ListVerifiersRequest(), timeout=10).verifiers)
                answered += 1
                time.sleep(0.05)
            channel.unsubscribe(watch)
            channel.close()
            with lock:
                ready = states.count(grpc.ChannelConnectivity.READY)
            # The first connection and at least two replacements in 4.5 s of 1 s-old connections.
            self.assertGreaterEqual(ready, 3, f"connectivity states seen: {states}")
            self.assertGreater(answered, 20)

    def test_connections_live_on_without_a_maximum_age(self):
        with render.Arbiterd(ARBITERD, "--max_connection_age=0") as server:
            states = []
            channel = grpc.insecure_channel(f"127.0.0.1:{server.grpc_port}")
            channel.subscribe(states.append, try_to_connect=True)
            grpc.channel_ready_future(channel).result(timeout=10)
            # Without tokens, server reflection is on: list_services (field 7, empty) answers.
            reflection = channel.stream_stream(
                "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                request_serializer=lambda b: b, response_deserializer=lambda b: b)
            replies = list(reflection(iter([b"\x3a\x00"]), timeout=10))
            self.assertIn(b"arbiter.v1.Arbiter", replies[0])
            time.sleep(2.5)
            channel.close()
            self.assertEqual(states.count(grpc.ChannelConnectivity.READY), 1, states)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
