"""Saturn's SAT reward (arXiv 2505.16368), ported to plain Python in our own words: the logic the
baseline server wraps and the load generator uses to know each request's expected answer.
Any python3."""
import re

# The answer is the LAST \boxed{...} in the response (non-greedy, so up to the first "}" after
# it, same line). The assignment string gives variable i (A=0, B=1, ...) the i-th character;
# positions past its end count as "0". The formula is Saturn's clause string, clauses joined by
# " & ", each a run of literals "A" or "!A". Reward: 1.0 when every clause has a true literal,
# 0.0 when one has none, -1.0 when the response holds no box at all.
_BOX = re.compile(r"\\boxed{(.*?)}")


def _literals(clause: str):
    pos = 0
    while pos < len(clause):
        if clause[pos] == "!":
            yield True, clause[pos + 1]
            pos += 2
        else:
            yield False, clause[pos]
            pos += 1


def assignment_satisfies(formula: str, bits: str) -> bool:
    for clause in formula.split(" & "):
        for negated, var in _literals(clause):
            index = ord(var) - ord("A")
            value = bits[index] if index < len(bits) else "0"
            if value == ("0" if negated else "1"):
                break
        else:
            return False
    return True


def saturn_reward(response: str, formula: str) -> float:
    boxes = _BOX.findall(response)
    if not boxes:
        return -1.0
    return 1.0 if assignment_satisfies(formula, boxes[-1]) else 0.0


