#!/usr/bin/python3
"""Baseline for bench/results/sat.md: Saturn's SAT reward function, reimplemented faithfully from
spec §1.7 (re.findall(r'\\boxed{(.*?)}') last match, then the clause loop), timed on one core on
exactly the items of verifiers/sat/sat_benchmark.cc: the 100 rows of Saturn's
n3_k7_length40_sample100.jsonl, completion = testdata/bench_reasoning.txt + \\boxed{answer},
even rows the planted solution, odd rows its first bit flipped.

Usage: /usr/bin/python3 bench/sat_baseline.py [--shared=/work/shared] [--seconds=3]
"""
import argparse
import json
import os
import re
import time

BOXED = re.compile(r'\\boxed{(.*?)}')


def calc_sat_value(clause, solution):
    def parse_literals(clause_str):
        literals = []
        i = 0
        while i < len(clause_str):
            if clause_str[i] == '!':
                literals.append(clause_str[i:i + 2])
                i += 2
            else:
                literals.append(clause_str[i])
                i += 1
        return literals

    for subclause in clause.split(' & '):
        satisfied = False
        for lit in parse_literals(subclause):
            neg = lit.startswith('!')
            var = lit[1] if neg else lit
            idx = ord(var) - ord('A')
            val = '0' if idx >= len(solution) else solution[idx]
            if (neg and val == '0') or (not neg and val == '1'):
                satisfied = True
                break
        if not satisfied:
            return 0
    return 1


def reward_func(queries, prompts, labels):
    """Saturn's reward loop (without the final torch.tensor, which is per batch, not per item)."""
    rewards = []
    for query, prompt, clause in zip(queries, prompts, labels):
        response = query[len(prompt):]
        try:
            matches = re.findall(r'\\boxed{(.*?)}', response)
            predicted = matches[-1] if matches else None
            if predicted is not None:
                reward = 1.0 if calc_sat_value(clause, predicted) else 0.0
            else:
                reward = -1.0
        except Exception:  # noqa: BLE001 - mirrors the original's catch-all
            reward = -2.0
        rewards.append(reward)
    return rewards


def main():
    parser = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument('--shared', default=os.path.join(here, '..', '..', 'shared'))
    parser.add_argument('--seconds', type=float, default=3.0)
    args = parser.parse_args()
    reasoning = open(os.path.join(here, '..', 'verifiers', 'sat', 'testdata',
                                  'bench_reasoning.txt')).read()
    rows = [json.loads(line) for line in open(os.path.join(
        args.shared, 'data', 'saturn', 'test', 'n3_k7_length40_sample100.jsonl'))]
    queries, prompts, labels = [], [], []
    for i, row in enumerate(rows):
        answer = row['solution']
        if i % 2 == 1:
            answer = ('0' if answer[0] == '1' else '1') + answer[1:]
        prompts.append(row['prompt'])
        queries.append(row['prompt'] + reasoning + '\\boxed{' + answer + '}')
        labels.append(row['clause'])
    mean = sum(reward_func(queries, prompts, labels)) / len(rows)
    n = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    while time.perf_counter() - start < args.seconds:
        reward_func(queries, prompts, labels)
        n += len(rows)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    # CPU time is the figure to compare with Google Benchmark's CPU column on a shared machine.
    print(f'items={n} wall_seconds={elapsed:.3f} cpu_seconds={cpu:.3f} '
          f'items_per_cpu_second={n / cpu:.0f} items_per_wall_second={n / elapsed:.0f} '
          f'cpu_ns_per_item={cpu / n * 1e9:.0f} mean_score={mean:.2f} '
          f'completion_bytes={len(queries[0]) - len(prompts[0])}')


if __name__ == '__main__':
    main()
