#!/usr/bin/env python3
"""Math-Verify's verdict (and per-item time) for each JSON line {"gold", "completion"} on stdin,
called as verl's and TRL's wrappers call it: the gold, when it has no LaTeX delimiters, is wrapped
in \\boxed{} and parsed with LatexExtractionConfig; a JSON list of golds is any-of; the completion
is parsed with the default (LaTeX + expression) configs; verify() with its defaults."""
import json
import sys
import time

from math_verify import ExprExtractionConfig, LatexExtractionConfig, parse, verify


def golds_of(label):
    if label.startswith("["):
        try:
            value = json.loads(label)
            if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                return value
        except ValueError:
            pass
    return [label]


def has_delimiters(gold):
    return any(d in gold for d in ("$", "\\(", "\\[", "\\boxed"))


def judge(gold_label, completion):
    pred = parse(completion, extraction_config=[LatexExtractionConfig(), ExprExtractionConfig()])
    for gold in golds_of(gold_label):
        g = gold.strip()
        text = g if has_delimiters(g) else "\\boxed{" + g + "}"
        parsed = parse(text, extraction_config=[LatexExtractionConfig(), ExprExtractionConfig()])
        if verify(parsed, pred):
            return True, pred
    return False, pred


def main():
    for line in sys.stdin:
        item = json.loads(line)
        start = time.perf_counter()
        try:
            ok, pred = judge(item["gold"], item["completion"])
            extracted = str(pred[-1]) if pred else ""
        except Exception as e:  # noqa: BLE001 - a crash is a verdict of "not correct"
            ok, extracted = False, "error: %s" % e
        us = (time.perf_counter() - start) * 1e6
        print(json.dumps({"id": item["id"], "correct": ok, "extracted": extracted, "us": us}))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
