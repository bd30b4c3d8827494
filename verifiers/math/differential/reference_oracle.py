#!/usr/bin/env python3
"""Differential check of the string-matching modes against the reference code itself:
verl 0.9.1's reward_score/math_dapo.py and gsm8k.py, and lm-eval 0.4.13's minerva_math
get_unnormalized_answer + normalize_final_answer, loaded by file path from packages installed with
--no-deps (their package __init__s pull in torch/datasets; these files need only `re`).

usage: reference_oracle.py SITE_PACKAGES math_oracle_cli [seed]   (prints a table; exit 1 on an
unnamed disagreement)"""
import importlib.util
import json
import pathlib
import random
import re
import subprocess
import sys


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def lm_eval_functions(path):
    src = pathlib.Path(path).read_text()
    start = src.index("def get_unnormalized_answer")
    namespace = {"re": re}
    exec(compile(src[start:], path, "exec"), namespace)  # only the two pure functions and lists
    return namespace["get_unnormalized_answer"], namespace["normalize_final_answer"]


ANSWERS = ["34", "\\frac{3}{4}", "\\frac34", "0.75", "1,000", "1,000,000", "0,1", "x = 5",
           "5 \\text{ cm}", "\\$5", "10\\%", "\\sqrt{2}", "\\sqrt2", "\\sqrt[3]{8}", "\\sqrt[3]8",
           "\\left( 1, 2 \\right)", "2 feet", "\\boxed{7}", "\\text{Evelyn}", "90^\\circ",
           "\\textbf{(B)}", "a dog", "3 units", "\\dfrac{1}{2}", "-12", "12.", "**34**"]


def corpus(rng):
    items = []
    for _ in range(400):
        ans = rng.choice(ANSWERS)
        gold = rng.choice([ans, rng.choice(ANSWERS), re.sub(r"[^0-9]", "", ans) or "0"])
        filler = "x" * rng.choice([0, 50, 320])
        dapo = rng.choice(["Answer: %s", "answer : %s", "**Answer:** %s", "Answer: %s.",
                           "The result: \\boxed{%s}", "Answer:\n%s", "ANSWER: %s then more"])
        items.append({"mode": "dapo", "gold": gold, "completion": filler + "\n" + dapo % ans})
        n = rng.choice(["72", "1,234", "-5", "3.50", "42."])
        g = n.replace(",", "")
        gsm = rng.choice(["#### %s", "####%s", "#### $%s", "so #### %s\nbye", "#### %s dollars"])
        items.append({"mode": "gsm8k", "gold": json.dumps({"answer": g, "mode": "gsm8k",
                                                           "gsm8k_parity": True}),
                      "plain_gold": g, "completion": filler + "\n" + gsm % n})
        fa = rng.choice(["Final Answer: The final answer is %s. I hope it is correct.",
                         "Final Answer: The final answer is $%s$. I hope it is correct.",
                         "Final Answer: The final answer is %s"])
        items.append({"mode": "minerva", "gold": gold, "completion": fa % ans})
    return items


def main():
    site, cli = pathlib.Path(sys.argv[1]), sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20261201
    dapo = load(site / "verl/utils/reward_score/math_dapo.py", "verl_math_dapo")
    gsm8k = load(site / "verl/utils/reward_score/gsm8k.py", "verl_gsm8k")
    get_answer, normalize = lm_eval_functions(site / "lm_eval/tasks/minerva_math/utils.py")
    items = corpus(random.Random(seed))
    feed = "".join(json.dumps({"gold": i["gold"], "completion": i["completion"],
                               "mode": i["mode"]}) + "\n" for i in items)
    ours = [json.loads(l) for l in subprocess.run([cli], input=feed, capture_output=True,
                                                  text=True, check=True).stdout.splitlines()]
    rows, bad = {}, 0
    for item, o in zip(items, ours):
        mode, named = item["mode"], None
        if mode == "dapo":
            ref = dapo.compute_score(item["completion"], item["gold"])["score"] > 0
            got = o["correct"]
            tail = item["completion"][-300:]
            if ref != got and not re.findall(r"(?i)Answer\s*:\s*([^\n]+)", tail) \
                    and "\\boxed{" in tail:
                named = "dapo-no-box-fallback"
        elif mode == "gsm8k":
            ref = gsm8k.compute_score(item["completion"], item["plain_gold"]) == 1.0
            got = o["correct"]
        else:
            ref = normalize(get_answer(item["completion"]))
            got = o.get("normalized_prediction", "") if o.get("outcome") != "NO_ANSWER" \
                else "[invalidanswer]"
            got = got if got else ""
            if o.get("outcome") == "NO_ANSWER":
                got = normalize("[invalidanswer]")
        r = rows.setdefault(mode, [0, 0, 0])
        r[0] += 1
        if ref == got:
            r[1] += 1
        elif named:
            r[2] += 1
        else:
            bad += 1
            print("DISAGREE %s gold=%r completion=%r reference=%r arbiter=%r" % (
                mode, item["gold"], item["completion"][-70:], ref, got))
    print("| mode | items | agree | named deviations | outside deviations |")
    print("|---|---:|---:|---:|---:|")
    for mode, (n, a, d) in rows.items():
        print("| %s | %d | %d | %d | %.1f %% |" % (mode, n, a, d, 100.0 * a / (n - d)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
