#!/usr/bin/env python3
"""Joins the corpus, Math-Verify's verdicts and arbiter's verdicts; prints the agreement table
per category (Markdown) and every disagreement. A disagreement whose item matches a named
deliberate deviation in deviations.json is counted apart; any other disagreement fails (exit 1).

usage: compare_verdicts.py corpus.jsonl mathverify.jsonl arbiter.jsonl deviations.json"""
import json
import re
import statistics
import sys


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    corpus, mv, ours = (load(p) for p in sys.argv[1:4])
    with open(sys.argv[4]) as f:
        deviations = json.load(f)
    rows = {}
    unexplained = []
    for item, m, o in zip(corpus, mv, ours):
        r = rows.setdefault(item["category"], {"n": 0, "agree": 0, "deviation": 0})
        r["n"] += 1
        if m["correct"] == o["correct"]:
            r["agree"] += 1
            continue
        named = None
        for d in deviations:
            if re.search(d["gold"], item["gold"]) and re.search(d["completion"], item["completion"]) \
                    and d["arbiter"] == o["correct"]:
                named = d["name"]
                break
        if named:
            r["deviation"] += 1
        else:
            unexplained.append((item, m, o))
        print("DISAGREE [%s] id=%d gold=%r completion=%r math_verify=%s (%s) arbiter=%s (%s)" % (
            named or "UNEXPLAINED", item["id"], item["gold"], item["completion"][-80:],
            m["correct"], m["extracted"], o["correct"], o.get("extracted", o.get("error"))))
    print()
    print("| category | items | agree | named deviations | agreement | outside deviations |")
    print("|---|---:|---:|---:|---:|---:|")
    tot = {"n": 0, "agree": 0, "deviation": 0}
    for cat, r in rows.items():
        for k in tot:
            tot[k] += r[k]
        outside = r["n"] - r["deviation"]
        print("| %s | %d | %d | %d | %.1f %% | %.1f %% |" % (
            cat, r["n"], r["agree"], r["deviation"], 100.0 * r["agree"] / r["n"],
            100.0 * r["agree"] / outside if outside else 100.0))
    outside = tot["n"] - tot["deviation"]
    print("| **all** | %d | %d | %d | %.1f %% | %.1f %% |" % (
        tot["n"], tot["agree"], tot["deviation"], 100.0 * tot["agree"] / tot["n"],
        100.0 * tot["agree"] / outside))
    mv_us = [m["us"] for m in mv]
    our_us = [o["us"] for o in ours if "us" in o]
    print()
    print("per-item time, same items: Math-Verify median %.0f us, p99 %.0f us, max %.0f us; "
          "arbiter (Prepare+Check, one process, cold caches) median %.1f us, p99 %.1f us, max %.1f us" % (
              statistics.median(mv_us), sorted(mv_us)[int(0.99 * len(mv_us))], max(mv_us),
              statistics.median(our_us), sorted(our_us)[int(0.99 * len(our_us))], max(our_us)))
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
