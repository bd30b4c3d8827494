#!/usr/bin/python3
"""ScoreStream's completion race: many short streams at once, every one answered in full.

usage: stream_race_test.py ARBITERD_BINARY CLIENT_PYTHON_DIR [--seconds=12]
                                                            (interpreter: /usr/bin/python3)

16 threads each open ScoreStream calls of one SAT group, back to back, for --seconds. A stream's
last group is written by gRPC's reaction thread while the dispatcher's worker marks the stream
complete; the two met without a common lock once, and the worker touched the reactor after the
reaction thread had finished and deleted it (ASan/UBSan: "invalid vptr" in
ScoreStreamReactor::Pump; a release build may crash or corrupt memory). Asserted: every stream
returns its one group CORRECT, and the server is alive at the end. Probabilistic: under the
sanitizer build (the CI job) the old code failed in 2 of 4 runs of 10–30 s (and twice in the soak
of CI runs); a release build rarely shows it.
"""
import argparse
import sys
import threading
import time

parser = argparse.ArgumentParser()
parser.add_argument("arbiterd")
parser.add_argument("client_python")
parser.add_argument("--seconds", type=float, default=12)
ARGS = parser.parse_args()
sys.path.insert(0, ARGS.client_python)
import arbiterd as a  # noqa: E402  (tests/reliability, beside this file)


def main():
    failures, counts = [], []
    with a.Arbiterd(ARGS.arbiterd, "--cpu_threads=2") as server:
        stop = time.monotonic() + ARGS.seconds

        def run(t):
            n = 0
            while time.monotonic() < stop and not failures:
                try:
                    got = list(server.stream_call(
                        a.m.ScoreRequest(groups=[a.sat_group(f"s{t}-{n}")]), timeout=30))
                except Exception as e:  # noqa: BLE001 - any failure is the finding
                    failures.append(f"stream {t}-{n}: {str(e)[:300]}")
                    return
                if len(got) != 1 or a.outcome(got[0].samples[0]) != "CORRECT":
                    failures.append(f"stream {t}-{n}: answered {got}")
                    return
                n += 1
            counts.append(n)

        threads = [threading.Thread(target=run, args=(t,)) for t in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        status = server.proc.poll()
        if status is not None:
            failures.append(f"arbiterd exited with status {status}")
        if failures:
            failures.append("server log ends:\n" + server.log())
    print(f"stream race: {sum(counts)} streams of one group in {ARGS.seconds:.0f} s")
    for f in failures:
        print("  " + f)
    print("stream race: " + ("FAILED" if failures else "PASSED"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
