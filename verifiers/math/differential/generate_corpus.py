#!/usr/bin/env python3
"""Generates the differential corpus: (category, gold, completion) answer pairs, deterministic
in --seed. Writes JSON Lines to stdout. Categories follow spec/math.md §3.1 and §6."""
import argparse
import json
import random
from fractions import Fraction

WRAPS = [
    "So the answer is $\\boxed{%s}$.",
    "Therefore, the final answer is $\\boxed{%s}$.",
    "<think>\nworking...\n</think>\nThe result is $\\boxed{%s}$",
    "We get \\[\\boxed{%s}\\]",
]


def wrap(rng, answer):
    return rng.choice(WRAPS) % answer


def frac_latex(f):
    if f.denominator == 1:
        return str(f.numerator)
    sign = "-" if f < 0 else ""
    return "%s\\frac{%d}{%d}" % (sign, abs(f.numerator), f.denominator)


def integers(rng, out):
    for _ in range(40):
        n = rng.randint(-999, 99999)
        out.append(("integer", str(n), wrap(rng, str(n))))
        out.append(("integer", str(n), wrap(rng, str(n + rng.choice([-1, 1, 10])))))
        if n >= 1000:
            out.append(("integer", str(n), wrap(rng, "{:,}".format(n))))
        out.append(("integer", str(n), wrap(rng, "x = %d" % n)))


def fractions(rng, out):
    for _ in range(40):
        f = Fraction(rng.randint(-50, 50), rng.randint(2, 16))
        g = frac_latex(f)
        if f.denominator == 1:
            continue
        out.append(("fraction", g, wrap(rng, g)))
        out.append(("fraction", g, wrap(rng, g.replace("\\frac", "\\dfrac"))))
        out.append(("fraction", g, wrap(rng, "%d/%d" % (f.numerator, f.denominator))))
        out.append(("fraction", g, wrap(rng, frac_latex(1 / f if f != 0 else f + 1))))
        out.append(("fraction", g, wrap(rng, "%.6f" % float(f))))
        out.append(("fraction", g, wrap(rng, "%.2f" % float(f))))


def radicals(rng, out):
    for _ in range(25):
        k = rng.randint(2, 9)
        m = rng.choice([2, 3, 5, 6, 7, 10])
        g = "%d\\sqrt{%d}" % (k, m)
        out.append(("radical", g, wrap(rng, "\\sqrt{%d}" % (k * k * m))))
        out.append(("radical", g, wrap(rng, g)))
        out.append(("radical", g, wrap(rng, "\\sqrt{%d}" % (k * k * m + 1))))
        out.append(("radical", g, wrap(rng, "\\frac{%d\\sqrt{%d}}{2}" % (2 * k, m))))


def polynomials(rng, out):
    for _ in range(25):
        a = rng.randint(1, 6)
        b = rng.randint(1, 6)
        g = "x^2 %+d x %+d" % (a + b, a * b)
        out.append(("polynomial", g.replace(" ", ""), wrap(rng, "(x+%d)(x+%d)" % (a, b))))
        out.append(("polynomial", g.replace(" ", ""), wrap(rng, "(x+%d)(x-%d)" % (a, b))))
        out.append(("polynomial", "%d\\pi" % a, wrap(rng, "\\pi \\cdot %d" % a)))
        out.append(("polynomial", "%d\\pi" % a, wrap(rng, "%d\\pi" % (a + 1))))


def relations(rng, out):
    for _ in range(20):
        m = rng.randint(-5, 5) or 2
        c = rng.randint(-9, 9)
        g = "y=%dx%+d" % (m, c)
        out.append(("relation", g, wrap(rng, "y = %d %+dx" % (c, m))))
        out.append(("relation", g, wrap(rng, "y = %dx %+d" % (m, c + 1))))
        k = rng.randint(1, 9)
        out.append(("relation", "x<%d" % k, wrap(rng, "%d > x" % k)))
        out.append(("relation", "x<%d" % k, wrap(rng, "x \\le %d" % k)))
        out.append(("relation", "x \\geq %d" % k, wrap(rng, "x \\ge %d" % k)))


def intervals(rng, out):
    for _ in range(20):
        a = rng.randint(-9, 5)
        b = a + rng.randint(1, 9)
        lo, hi = rng.choice("[("), rng.choice("])")
        g = "%s%d,%d%s" % (lo, a, b, hi)
        out.append(("interval", g, wrap(rng, "%s%d, %d%s" % (lo, a, b, hi))))
        flip = "(" if lo == "[" else "["
        out.append(("interval", g, wrap(rng, "%s%d, %d%s" % (flip, a, b, hi))))
        out.append(("interval", "[%d,\\infty)" % a, wrap(rng, "[%d, \\infty)" % a)))
        out.append(("interval", "(-\\infty,%d)" % a, wrap(rng, "(-\\infty, %d]" % a)))


def tuples_sets(rng, out):
    for _ in range(20):
        a, b = rng.randint(-9, 9), rng.randint(-9, 9)
        out.append(("tuple_set", "(%d,%d)" % (a, b), wrap(rng, "(%d, %d)" % (a, b))))
        if a != b:
            out.append(("tuple_set", "(%d,%d)" % (a, b), wrap(rng, "(%d, %d)" % (b, a))))
        out.append(("tuple_set", "\\{%d,%d\\}" % (a, b), wrap(rng, "\\{%d, %d\\}" % (b, a))))
        out.append(("tuple_set", "%d, %d" % (a, b), wrap(rng, "%d, %d" % (b, a))))


def matrices(rng, out):
    for _ in range(12):
        v = [rng.randint(-5, 5) for _ in range(4)]
        g = "\\begin{pmatrix} %d & %d \\\\ %d & %d \\end{pmatrix}" % tuple(v)
        out.append(("matrix", g, wrap(rng, g.replace("pmatrix", "bmatrix"))))
        w = list(v)
        w[3] += 1
        out.append(("matrix", g, wrap(rng, "\\begin{pmatrix} %d & %d \\\\ %d & %d \\end{pmatrix}" % tuple(w))))


def percents_units(rng, out):
    for _ in range(15):
        p = rng.randint(1, 99)
        out.append(("percent_unit", "%d\\%%" % p, wrap(rng, "%d\\%%" % p)))
        out.append(("percent_unit", "%d\\%%" % p, wrap(rng, "%d\\%%" % (p + 1))))
        out.append(("percent_unit", "%d" % p, wrap(rng, "%d\\text{ cm}" % p)))
        out.append(("percent_unit", "%d^\\circ" % p, wrap(rng, "%d^{\\circ}" % p)))
        out.append(("percent_unit", "%d^\\circ" % p, wrap(rng, "%d" % p)))


def texts(rng, out):
    for name in ["Evelyn", "Tuesday", "odd", "even", "neither", "Bob", "yes", "no"]:
        out.append(("text", "\\text{%s}" % name, wrap(rng, "\\text{%s}" % name)))
        out.append(("text", "\\text{%s}" % name, wrap(rng, "\\text{%s}" % name.upper())))
        out.append(("text", "\\text{%s}" % name, wrap(rng, "\\text{Alice}")))


def extraction(rng, out):
    for _ in range(20):
        n = rng.randint(1, 500)
        out.append(("extraction", str(n), "Final Answer: The final answer is $%d$. I hope it is correct." % n))
        out.append(("extraction", str(n), "Adding up, we get %d apples in total." % n))
        out.append(("extraction", str(n), "The answer is $%d$." % n))
        out.append(("extraction", str(n), "**Answer:** %d" % n))
        out.append(("extraction", str(n), "We try %d first, then %d. So $\\boxed{%d}$ and that is all." % (n + 1, n + 2, n)))
        out.append(("extraction", str(n), "I could not finish this problem."))


def dataset_shapes(rng, out):
    rows = [
        ("\\left( 3, \\frac{\\pi}{2} \\right)", "$\\boxed{(3, \\frac{\\pi}{2})}$"),
        ("p - q", "$\\boxed{p-q}$"),
        ("p - q", "$\\boxed{-q + p}$"),
        ("\\text{Evelyn}", "$\\boxed{\\text{Evelyn}}$"),
        ("90^\\circ", "$\\boxed{90^\\circ}$"),
        ("14{,}916", "$\\boxed{14916}$"),
        ("14{,}916", "$\\boxed{14,916}$"),
        ("[2,5)", "$\\boxed{[2,5)}$"),
        ("18", "She has 9 eggs, so she makes $18.\n#### 18"),
        ("34", "$\\boxed{34}$"),
        ("025", "$\\boxed{25}$"),
        ("025", "$\\boxed{025}$"),
        ("142.0", "$\\boxed{142}$"),
        ("142.0", "$\\boxed{142.5}$"),
        ("8.7 \\times 10^{8}", "$\\boxed{8.7 \\times 10^8}$"),
        ("8.7 \\times 10^{8}", "$\\boxed{870000000}$"),
        ("4.5e33", "$\\boxed{4.5 \\times 10^{33}}$"),
        ("$4,-\\frac{4}{3}$", "$\\boxed{4, -\\frac{4}{3}}$"),
        ("$4,-\\frac{4}{3}$", "$\\boxed{-\\frac{4}{3}, 4}$"),
        ("$-3+11 i$", "$\\boxed{-3+11i}$"),
        ("$-3+11 i$", "$\\boxed{-3-11i}$"),
        ("\\frac{1}{2004!}", "$\\boxed{\\frac{1}{2006!}}$"),
        ("\\begin{pmatrix} 2 & 0 \\\\ 0 & 2 \\end{pmatrix}", "$\\boxed{\\begin{pmatrix} 2 & 0 \\\\ 0 & 2 \\end{pmatrix}}$"),
    ]
    for gold, completion in rows:
        out.append(("dataset_shape", gold, completion))
    for i in range(10):
        g = ["%.2f\n" % (0.01 * (i + 1)), "%.2f\n" % (0.01 * (i + 2))]
        out.append(("dataset_shape", json.dumps(g), "$\\boxed{%s}$" % g[1].strip()))
        out.append(("dataset_shape", json.dumps(g), "$\\boxed{%s}$" % "0.5"))


def hard_cases(rng, out):
    rows = [
        ("\\frac{1}{2}", "The answer is 1/2."),
        ("\\frac{1}{2}", "$\\boxed{\\frac12}$"),
        ("\\frac{\\sqrt{3}}{2}", "$\\boxed{0.866025}$"),
        ("\\frac{\\sqrt{3}}{2}", "$\\boxed{0.87}$"),
        ("\\frac{\\sqrt{3}}{2}", "$\\boxed{\\sin 60^\\circ}$"),
        ("\\frac{\\sqrt{2}}{2}", "$\\boxed{\\frac{1}{\\sqrt{2}}}$"),
        ("3", "$\\boxed{x=3}$"),
        ("x=3", "$\\boxed{3}$"),
        ("2", "$\\boxed{a = 1 + 1 = 2}$"),
        ("5", "$\\boxed{5\\%}$"),
        ("0.05", "$\\boxed{5\\%}$"),
        ("50", "$\\boxed{0.5}$"),
        ("\\pi", "$\\boxed{3.14}$"),
        ("\\pi", "$\\boxed{3.141593}$"),
        ("2\\frac{1}{2}", "$\\boxed{\\frac{5}{2}}$"),
        ("\\infty", "$\\boxed{\\infty}$"),
        ("(-\\infty, 1) \\cup (2, \\infty)", "$\\boxed{(-\\infty,1)\\cup(2,\\infty)}$"),
        ("(-\\infty, 1) \\cup (2, \\infty)", "$\\boxed{(2,\\infty)\\cup(-\\infty,1)}$"),
        ("1, 2, 3", "$\\boxed{3, 2, 1}$"),
        ("1, 2, 3", "$\\boxed{1, 2}$"),
        ("\\{1,2,3\\}", "$\\boxed{\\{1,2,3\\}}$"),
        ("e^{i\\pi}", "$\\boxed{-1}$"),
        ("\\log_2 8", "$\\boxed{3}$"),
        ("\\ln e^2", "$\\boxed{2}$"),
        ("\\binom{5}{2}", "$\\boxed{10}$"),
        ("10", "$\\boxed{\\binom{5}{2}}$"),
        ("5!", "$\\boxed{120}$"),
        ("\\sqrt[3]{8}", "$\\boxed{2}$"),
        ("|x|", "$\\boxed{|x|}$"),
        ("2x+3", "$\\boxed{3+2x}$"),
        ("\\frac{x+1}{x-1}", "$\\boxed{\\frac{1+x}{x-1}}$"),
        ("\\frac{x+1}{x-1}", "$\\boxed{\\frac{x-1}{x+1}}$"),
        ("a^2+b^2", "$\\boxed{b^2+a^2}$"),
        ("\\text{B}", "$\\boxed{B}$"),
        ("\\text{(C)}", "$\\boxed{\\text{(C)}}$"),
        ("12", "The answer is $\\boxed{12}$ cm"),
        ("1000", "$\\boxed{1\\,000}$"),
        ("0.5", "$\\boxed{\\frac{1}{2}}$"),
        ("0.333", "$\\boxed{\\frac{1}{3}}$"),
        ("-\\frac{1}{2}", "$\\boxed{-0.5}$"),
        ("\\dfrac{7}{2}", "$\\boxed{3.5}$"),
        ("x \\in [1, 2]", "$\\boxed{[1,2]}$"),
        ("y = x", "$\\boxed{x = y}$"),
        ("3", "The final answer is 3"),
        ("3", "So, the answer: $x = 3$"),
        ("4", "I think it's 4 or 5. Let me check: 5."),
        ("\\sqrt{2}", "$\\boxed{1.41421356}$"),
        ("\\sqrt{2}", "$\\boxed{1.4142}$"),
        ("2^{10}", "$\\boxed{1024}$"),
        ("10^{-3}", "$\\boxed{0.001}$"),
        ("\\$5.00", "$\\boxed{5}$"),
        ("\\frac{3}{4}", "\\boxed{\\frac{3}{4}} and also \\boxed{\\frac{4}{3}}"),
        ("5", "The answer is 5 apples and 3 oranges"),
        ("5", "$\\boxed{5}$ or $\\boxed{6}$"),
        ("6", "$\\boxed{5}$ or $\\boxed{6}$"),
        ("5", "$\\boxed{x=5}$"),
        ("5", "$\\boxed{\\text{5 apples}}$"),
        ("\\frac{1}{2}", "the answer is \\frac{1}{2}"),
        ("0.5", "the answer is 1/2"),
        ("5", "The answer is five."),
        ("\\{1, 2\\}", "The solutions are $1$ and $2$."),
        ("1, 2", "The solutions are $x = 1$ and $x = 2$."),
        ("3", "$\\boxed{3.0}$"),
        ("3", "$\\boxed{3.}$"),
        ("\\frac{1}{3}", "$\\boxed{0.\\overline{3}}$"),
        ("100", "$\\boxed{10^2}$"),
        ("-1", "$\\boxed{- 1}$"),
        ("2", "$\\boxed{\\sqrt{4}}$"),
        ("x^2", "$\\boxed{x \\cdot x}$"),
        ("\\infty", "$\\boxed{\\infty}$ (diverges)"),
        ("(1,2)", "$\\boxed{(1,2)}$ and $(3,4)$ is not"),
        ("2", "The answer is $\\boxed{2}$. Note that $3$ is wrong."),
        ("3", "The answer is $\\boxed{2}$. Note that $3$ is wrong."),
        ("12", "$12$ cm"),
        ("\\frac{5}{2}", "$\\boxed{2\\frac{1}{2}}$"),
        ("80", "$\\boxed{80\\%}$"),
        ("0.8", "$\\boxed{80\\%}$"),
        ("a", "$\\boxed{a}$"),
        ("\\text{(A)}", "$\\boxed{A}$"),
        ("x", "$\\boxed{y}$"),
        ("\\sqrt{2}+\\sqrt{3}", "$\\boxed{\\sqrt{3}+\\sqrt{2}}$"),
        ("\\sqrt{2}+\\sqrt{3}", "$\\boxed{\\sqrt{5+2\\sqrt{6}}}$"),
        ("\\frac{1+\\sqrt{5}}{2}", "$\\boxed{\\frac{2}{\\sqrt{5}-1}}$"),
        ("\\log_2 3", "$\\boxed{\\frac{\\ln 3}{\\ln 2}}$"),
        ("\\dfrac{\\pi}{4}", "$\\boxed{45^\\circ}$"),
        ("\\pm 2", "$\\boxed{\\pm 2}$"),
        ("\\pm 2", "$\\boxed{2, -2}$"),
        ("1 \\pm \\sqrt{3}", "$\\boxed{1+\\sqrt{3}, 1-\\sqrt{3}}$"),
        ("\\text{(C)}", "$\\boxed{\\text{(C)}}$"),
        ("\\$18.90", "$\\boxed{18.90}$"),
        ("k = 2", "$\\boxed{2}$"),
        ("\\{-2, 2\\}", "$\\boxed{-2, 2}$"),
        ("x \\in (1,2)", "$\\boxed{(1, 2)}$"),
        ("(-\\infty, -2] \\cup [2, \\infty)", "$\\boxed{(-\\infty,-2]\\cup[2,\\infty)}$"),
        ("\\frac{\\sqrt{3}}{3}", "$\\boxed{\\frac{1}{\\sqrt{3}}}$"),
        ("2^{2010}", "$\\boxed{2^{2010}}$"),
        ("2^{2010}", "$\\boxed{2^{2011}}$"),
        ("10!", "$\\boxed{3628800}$"),
        ("\\binom{10}{3}", "$\\boxed{120}$"),
        ("\\text{even}", "$\\boxed{\\text{Even}}$"),
        ("5\\text{ cm}^2", "$\\boxed{5}$"),
        ("3:4", "$\\boxed{3:4}$"),
        ("\\sqrt[4]{16}", "$\\boxed{2}$"),
    ]
    for gold, completion in rows:
        out.append(("hard", gold, completion))


RANDOM_WRAPS = [
    "The answer is $%s$.",
    "**Final answer:** $%s$",
    "Thus we get \\[ %s \\]",
    "Putting it together, $\\boxed{%s}$. Check: 3 + 4 = 7.",
    "We conclude that the value is $%s$",
    "Final Answer: The final answer is $%s$. I hope it is correct.",
    "So the answer: $%s$",
]


def random_expressions(rng, out):
    """Random answers and random rewrites of them (equal and unequal), in random wrappers."""
    for _ in range(60):
        a, b = rng.randint(1, 9), rng.randint(-9, 9) or 1
        c = rng.randint(2, 9)
        kind = rng.randrange(6)
        if kind == 0:  # polynomial in x: expanded vs factored / reordered / perturbed
            gold = "x^2 %+d x %+d" % (a + b, a * b)
            preds = ["(x %+d)(x %+d)" % (a, b), "%+d + x^2 %+d x" % (a * b, a + b),
                     "(x %+d)(x %+d)" % (a, b + 1)]
        elif kind == 1:  # surds
            gold = "\\frac{%d\\sqrt{%d}}{%d}" % (a, c, c)
            preds = ["\\frac{%d}{\\sqrt{%d}}" % (a, c), "%d\\sqrt{%d}" % (a, c),
                     "\\sqrt{%s}" % frac_latex(Fraction(a * a, c))]
        elif kind == 2:  # unsimplified fraction sums
            f = Fraction(a, c) + Fraction(b, c + 1)
            gold = frac_latex(f)
            preds = ["\\frac{%d}{%d}+\\frac{%d}{%d}" % (a, c, b, c + 1),
                     "\\frac{%d}{%d}" % (f.numerator * 2, f.denominator * 2),
                     "\\frac{%d}{%d}-\\frac{%d}{%d}" % (a, c, b, c + 1)]
        elif kind == 3:  # negative fractions written three ways
            gold = "-\\frac{%d}{%d}" % (a, c)
            preds = ["\\frac{-%d}{%d}" % (a, c), "\\frac{%d}{-%d}" % (a, c),
                     "\\frac{%d}{%d}" % (a, c)]
        elif kind == 4:  # pi multiples and fractions of pi
            gold = "\\frac{%d\\pi}{%d}" % (a, c)
            preds = ["\\frac{%d}{%d}\\pi" % (a, c), "%.6f" % (a * 3.141592653589793 / c),
                     "\\frac{%d\\pi}{%d}" % (a + 1, c)]
        else:  # powers and roots
            gold = str(a ** 3)
            preds = ["%d^3" % a, "\\sqrt{%d}" % (a ** 6), "\\sqrt[3]{%d}" % (a ** 9),
                     "%d^{3}" % (a + 1)]
        for pred in preds:
            out.append(("random_expr", gold, rng.choice(RANDOM_WRAPS) % pred))


def free_text(rng, out):
    """Completions with reasoning, several numbers and inline math, answer stated last in varied
    ways (and sometimes followed by more text): exercises the extraction priorities."""
    endings = [
        "So the answer is $%s$.",
        "Therefore the answer is %s.",
        "The final answer is $\\boxed{%s}$",
        "Answer: %s",
        "Hence $x = %s$.",
        "We find $%s$, as required.",
        "The result is %s. Let me double check: yes.",
        "$\\boxed{%s}$\n\nThis completes the proof.",
    ]
    for _ in range(80):
        n = rng.randint(2, 300)
        a, b = rng.randint(1, 20), rng.randint(1, 20)
        ans = rng.choice([str(n), frac_latex(Fraction(n, rng.randint(2, 9))), str(n) + ".5"])
        gold = ans if rng.random() < 0.6 else str(n + 1)
        body = ("First, $%d + %d = %d$. Then we multiply by %d to get %d. " %
                (a, b, a + b, a, a * (a + b)))
        out.append(("free_text", gold, body + rng.choice(endings) % ans))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20261201)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = []
    for gen in [integers, fractions, radicals, polynomials, relations, intervals, tuples_sets,
                matrices, percents_units, texts, extraction, dataset_shapes, hard_cases, random_expressions, free_text]:
        gen(rng, out)
    for i, (category, gold, completion) in enumerate(out):
        print(json.dumps({"id": i, "category": category, "gold": gold, "completion": completion}))


if __name__ == "__main__":
    main()
