# The candidate's Python program, compiled once per session before forking: compile() costs
# several milliseconds of CPU here, more than the fork itself, and every test of a session runs
# the same program. A compile error (or MemoryError) is kept and raised inside each test's child,
# where the candidate's failures are reported, exactly as if the child had compiled it.
# Nothing of the candidate is executed here.

# Call-based tests run with the imports LeetCode-style solutions assume (`List[int]`, ...),
# except the verifier's own entries (assert-style tests: names starting with PLAIN_CALL_PREFIX,
# runner.h kPlainCallPrefix), which run the program as written, as HumanEval's and MBPP's graders do.
PLAIN_CALL_PREFIX = "__arbiter_"
PRELUDE = (
    "import sys, math, itertools, collections, heapq, bisect, functools, string, re, random\n"
    "from typing import *\n"
    "from collections import Counter, OrderedDict, deque, defaultdict\n"
    "from functools import lru_cache, reduce, cache\n"
    "from itertools import accumulate, product, permutations, combinations\n"
    "from heapq import heappush, heappop, heapify\n"
    "from math import sqrt, ceil, floor, gcd, inf, log, log2\n"
)
COMPILED = {}


def precompile(source):
    for with_prelude in (False, True):
        try:
            text = (PRELUDE + source) if with_prelude else source
            COMPILED[with_prelude] = compile(text, "<solution>", "exec")
        except BaseException as e:  # noqa: B036 — reported by the test child
            COMPILED[with_prelude] = e


def compiled(with_prelude):
    code = COMPILED[with_prelude]
    if isinstance(code, BaseException):
        raise code
    return code
