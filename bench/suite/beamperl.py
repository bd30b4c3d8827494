"""BeamPERL's reward functions as the beam compat row's baseline: bench/beamperl_baseline.py (our
Python port) timed on beam_benchmark's completion, and cross-checked against arbiterd's beam
verifier in compat mode on CASES (format, accuracy and score must agree on every case)."""
import json
import subprocess

from lib import ROOT, display, run

PY = "/usr/bin/python3"
PORT = str(ROOT / "bench/beamperl_baseline.py")
THINK = "<think>\nR_B * 2L = 3P * 0.6L\n</think>\n"
GOLD = ["2.1P", "0.9P"]
# (completion, gold): each exercises one rule of spec §3.4 (ASCII only: arbiter's compat mode
# reads only ASCII digits, a documented divergence).
CASES = [
    (THINK + "R_A = \\boxed{2.1P}, R_B = \\boxed{0.9P}", GOLD),
    (THINK + "\\boxed{2.0P} and \\boxed{0.9P}", GOLD),                       # wrong value
    ("<think>x</think>\n\\boxed{2.1P} \\boxed{0.9P}", GOLD),                  # no "\n" before tag
    (THINK + "\\boxed{R_A = \\dfrac{21P}{10}, R_B = \\frac{9}{10}P}", GOLD),  # fractions
    (THINK + "\\boxed{0.9P, 1.0P, 2.1P}", GOLD),                             # extras pass
    (THINK + "R_A = 2.1P, R_B = 0.9P", GOLD),                                # no box
    (THINK + "</think>\n\\boxed{2.1P; 0.9P}", GOLD),  # a second tag sharing the first's "\n"
    (THINK + "\n</think>\n\\boxed{2.1P; 0.9P}", GOLD),                       # tag twice
    (THINK + "\\boxed{ }", GOLD),                                            # blank box
    (THINK + "\\boxed{0} \\boxed{3P}", ["0", "3P"]),                         # zero reaction
    (THINK + "\\boxed{0P}", ["0", "0"]),                                     # "0P": two zeros
    (THINK + "\\boxed{-0.333333P} \\boxed{\\tfrac{4P}{3}}", ["-0.333333P", "1.333333P"]),
    (THINK + "\\boxed{\\frac{P}{3}, \\frac{2}{3} P}", ["0.333333P", "0.666667P"]),
    ("<THINK>\n</ Think >\n\\boxed{2.1P, 0.9P}", GOLD),                        # loose closing tag
    (THINK + "\\boxed{\\boxed{2.1P} 0.9P}", GOLD),                           # nested boxes
]


def crosscheck(ctx):
    """Scores CASES with the port and with arbiterd (compat mode); raises on any disagreement.
    Returns a short description for the row."""
    port_out = subprocess.run([PY, PORT, "--score"], input="".join(
        json.dumps({"completion": c, "gold": g}) + "\n" for c, g in CASES),
        capture_output=True, text=True, timeout=60, check=True).stdout
    ported = [json.loads(line) for line in port_out.splitlines()]
    groups = "".join(json.dumps({"task": {"verifier": "beam", "ground_truth": json.dumps(g)},
                                 "samples": [{"completion": c}]}) + "\n" for c, g in CASES)
    out = subprocess.run([ctx.bin("client/arbiter"), "score", f"--server={ctx.server.address}",
                          "--input=-", "--output=-", "--concurrency=1"], input=groups,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    results = [json.loads(line) for line in out.splitlines()]
    if len(results) != len(CASES) or len(ported) != len(CASES):
        raise RuntimeError("BeamPERL cross-check: %d cases, %d port results, %d arbiter results"
                           % (len(CASES), len(ported), len(results)))
    for i, (p, r) in enumerate(zip(ported, sorted(results, key=lambda x: x["group_index"]))):
        s = r["samples"][0]
        ours = (bool(s["beam"].get("format_ok")), bool(s["beam"].get("accuracy_ok")))
        if ours != (bool(p["format"]), bool(p["accuracy"])) or abs(s["score"] - p["score"]) > 1e-9:
            raise RuntimeError(f"BeamPERL cross-check: case {i} {CASES[i]!r}: port {p}, "
                               f"arbiter format/accuracy {ours} score {s['score']}")
    return f"{len(CASES)} completions score the same in the port and in arbiter's compat mode"


def baseline(seconds):
    """The port's completions per CPU-second on beam_benchmark's completion, and the command."""
    argv = [PY, PORT, f"--seconds={seconds}"]
    fields = dict(kv.split("=") for kv in run(argv, 120).split())
    if float(fields["mean_score"]) != 1.0:
        raise RuntimeError(f"BeamPERL port scored {fields['mean_score']} on the bench completion")
    return float(fields["items_per_cpu_second"]), display(argv)
