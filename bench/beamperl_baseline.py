#!/usr/bin/python3
"""BeamPERL's two reward functions in Python, the same-run baseline of bench/run's beam compat row.

Our port (written here, not copied) of `format_reward` and `accuracy_reward` in BeamPERL's
`BeamRL/beamrl/rewards.py` (LAMM-MIT/BeamPERL, commit f2110d9 "Fix fraction-coefficient parsing
in accuracy reward", the HEAD version; spec methods.md §3.4), with the same regular expressions
and the same order of extraction passes, so it scores exactly as the authors' code:
  - format: "\\n</think>\\n" occurs exactly once and, after it, some `\\boxed{...}` whose text
    up to the first '}' is not blank;
  - accuracy: the text after the last `</\\s*think\\s*>` (any case; none: empty), every
    brace-balanced `\\boxed{}` joined by " ; " (gold: the raw text when it has no box),
    \\dfrac/\\tfrac read as \\frac, then the coefficient passes \\frac{cP}{d}, \\frac{P}{d},
    \\frac{c}{d}P, cP (skipping covered spans), standalone zeros (never skipped), bare P; gold
    values consumed greedily by the first unused prediction within 1e-4;
  - TRL's weighted sum with the recipe's weights: 0.333·format + 0.667·accuracy.
Left out: the authors' print() calls (several lines per completion), as in DESIGN §5's ≈ 47 k/s
("printing silenced"); this makes the baseline faster than the original, so the ratio is
conservative. Patterns are compiled once (the original relies on `re`'s cache).

Timing input: the completion of verifiers/beam/beam_benchmark.cc's BM_CompatScore (keep
`bench_completion()` in step with its Completion()), gold ["2.1P", "0.9P"], scored in TRL-shaped
batches of 16 (conversational completions, one gold list per completion); CPU time per completion.

  /usr/bin/python3 bench/beamperl_baseline.py [--seconds=3]      # timing, one line key=value
  /usr/bin/python3 bench/beamperl_baseline.py --score < in.jsonl  # {"completion", "gold"} lines
                                                                  # -> {"format","accuracy","score"}
Standard library only.
"""
import argparse
import json
import re
import sys
import time

NUM = r"[+-]?\d+(?:\.\d+)?(?:/\d+(?:\.\d+)?)?"  # a signed decimal, optionally over another
SYM = r"P"
THINK_END = "\n</think>\n"
FORMAT_BOX = re.compile(r"\\boxed\s*{\s*([^}]*)\s*}", re.DOTALL)
CLOSE_THINK = re.compile(r"</\s*think\s*>", re.IGNORECASE)
BOX_OPEN = re.compile(r"\\boxed\s*{")
ANY_FRAC = re.compile(r"\\[dt]?frac")
# The passes that are not span-checked against each other (rewards.py's A, A2, A3).
FRAC_PASSES = [
    # \frac{c [*|\cdot] P}{d} -> c/d
    (re.compile(rf"\\frac\s*{{\s*({NUM})\s*(?:\\cdot|\*)?\s*{SYM}\s*}}\s*{{\s*({NUM})\s*}}"),
     lambda m: _number(m.group(1)) / _number(m.group(2))),
    # \frac{P}{d} -> 1/d
    (re.compile(rf"\\frac\s*{{\s*{SYM}\s*}}\s*{{\s*({NUM})\s*}}"),
     lambda m: 1.0 / _number(m.group(1))),
    # \frac{c}{d} [*|\cdot] P -> c/d
    (re.compile(rf"\\frac\s*{{\s*({NUM})\s*}}\s*{{\s*({NUM})\s*}}\s*(?:\\cdot|\*)?\s*{SYM}\b"),
     lambda m: _number(m.group(1)) / _number(m.group(2))),
]
TIMES_P = re.compile(rf"({NUM})\s*(?:\\cdot|\*)?\s*{SYM}\b")
ZERO = re.compile(r"(?<![\d.])0(?:\.0+)?(?![\d.])")
BARE_P = re.compile(rf"\b{SYM}\b")
FORMAT_WEIGHT, ACCURACY_WEIGHT, TOLERANCE = 0.333, 0.667, 1e-4


def _number(text):
    """float() of a NUM match; 'a/b' divides (ZeroDivisionError and ValueError propagate)."""
    text = text.strip()
    if "/" not in text:
        return float(text)
    top, bottom = text.split("/", 1)
    return float(top) / float(bottom)


def _format_ok(text):
    if text.count(THINK_END) != 1:
        return False
    tail = text[text.rfind(THINK_END) + len(THINK_END):]
    return any(inner.strip() for inner in FORMAT_BOX.findall(tail))


def _after_think(text):
    last = None
    for last in CLOSE_THINK.finditer(text):
        pass
    return text[last.end():] if last else ""


def _boxes(text):
    """Contents of every `\\boxed{` (nested ones too), brace-balanced; unclosed ones dropped."""
    found = []
    for opening in BOX_OPEN.finditer(text):
        depth, i = 1, opening.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        if depth == 0:
            found.append(text[opening.end():i - 1])
    return found


def _overlaps(span, spans):
    return any(not (span[1] <= s or e <= span[0]) for s, e in spans)


def coefficients(text, gold):
    """The coefficients of P in `text`, left to right (rewards.py's extract_coeffs_times_symbol)."""
    boxes = _boxes(text)
    hay = " ; ".join(boxes) if boxes else (text if gold else "")
    hay = ANY_FRAC.sub(r"\\frac", hay)
    found = []  # (start, end, value); sorted by start at the end, stable
    for pattern, value in FRAC_PASSES:
        for m in pattern.finditer(hay):
            try:
                found.append((m.start(), m.end(), value(m)))
            except (ValueError, ZeroDivisionError):
                pass
    covered = [(s, e) for s, e, _ in found]
    for m in TIMES_P.finditer(hay):
        if not _overlaps(m.span(), covered):
            try:
                found.append((m.start(), m.end(), _number(m.group(1))))
                covered.append(m.span())
            except (ValueError, ZeroDivisionError):
                pass
    for m in ZERO.finditer(hay):  # zeros are neither checked nor recorded as covered
        found.append((m.start(), m.end(), float(m.group(0))))
    for m in BARE_P.finditer(hay):
        if not _overlaps(m.span(), covered):
            found.append((m.start(), m.end(), 1.0))
            covered.append(m.span())
    found.sort(key=lambda item: item[0])
    return [value for _, _, value in found]


def _accuracy_ok(text, gold_terms):
    unused = coefficients(_after_think(text), gold=False)
    for want in coefficients(" ; ".join(gold_terms), gold=True):
        hit = next((i for i, got in enumerate(unused) if abs(got - want) <= TOLERANCE), None)
        if hit is None:
            return False
        del unused[hit]
    return True


def format_reward(completions, **kwargs):
    """TRL reward function: completions are [[{"content": text}], ...]; 1.0 or 0.0 each."""
    return [1.0 if _format_ok(c[0]["content"]) else 0.0 for c in completions]


def accuracy_reward(completions, solution, **kwargs):
    """TRL reward function: `solution` holds one gold list (["2.1P", "0.9P"]) per completion."""
    return [1.0 if _accuracy_ok(c[0]["content"], gold) else 0.0
            for c, gold in zip(completions, solution)]


def scores(completions, solution):
    """What GRPO gets: TRL's weighted sum of the two rewards."""
    return [FORMAT_WEIGHT * f + ACCURACY_WEIGHT * a for f, a in
            zip(format_reward(completions), accuracy_reward(completions, solution))]


def bench_completion():
    """beam_benchmark.cc's Completion(): ~1.6 KB of reasoning, then the two boxed reactions."""
    think = "<think>\n"
    while len(think) < 1600:
        think += ("Taking moments about the pin at x = 0: R_B * 2L = 3P * 0.6L, so R_B = 0.9P. "
                  "Vertical balance gives R_A = 3P - 0.9P = 2.1P. ")
    return think + "\n</think>\nThe reactions are R_A = \\boxed{2.1P} and R_B = \\boxed{0.9P}."


def score_lines():
    for line in sys.stdin:
        if line.strip():
            row = json.loads(line)
            text = row["completion"]
            f, a = _format_ok(text), _accuracy_ok(text, row["gold"])
            print(json.dumps({"format": float(f), "accuracy": float(a),
                              "score": FORMAT_WEIGHT * f + ACCURACY_WEIGHT * a}))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--score", action="store_true", help="score JSON lines from stdin")
    args = parser.parse_args()
    if args.score:
        return score_lines()
    batch = [[{"content": bench_completion()}]] * 16
    gold = [["2.1P", "0.9P"]] * len(batch)
    mean = sum(scores(batch, gold)) / len(batch)
    n, start, cpu_start = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < args.seconds:
        scores(batch, gold)
        n += len(batch)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(f"items={n} wall_seconds={wall:.3f} cpu_seconds={cpu:.3f} "
          f"items_per_cpu_second={n / cpu:.0f} items_per_wall_second={n / wall:.0f} "
          f"cpu_ns_per_item={cpu / n * 1e9:.0f} mean_score={mean:.3f} "
          f"completion_bytes={len(bench_completion())}")


if __name__ == "__main__":
    main()
