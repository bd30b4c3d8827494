#include "verifiers/math/compare.h"

#include <cmath>
#include <complex>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "verifiers/math/latex_parser.h"
#include "verifiers/math/rational.h"
#include "verifiers/math/symbolic.h"

namespace arbiter::math {
namespace {

using Complex = std::complex<double>;

Comparison Result(bool equal, std::string method) { return {equal, std::move(method), false}; }

Comparison FromSymbolic(const SymbolicResult& r) {
  switch (r.kind) {
    case SymbolicResult::Kind::kEqual:
      return Result(true, r.message);
    case SymbolicResult::Kind::kDifferent:
      return Result(false, r.message);
    case SymbolicResult::Kind::kCapExceeded:
      return {false, absl::StrCat("cap: ", r.message), true};
    case SymbolicResult::Kind::kUnknown:
      break;
  }
  return Result(false, r.message.empty() ? "undecided" : r.message);
}

bool HasInfinity(const Expr& e) {
  if (e.op == Op::kConstant && e.text == "inf") return true;
  for (const Expr& a : e.args) {
    if (HasInfinity(a)) return true;
  }
  return false;
}

bool Close(Complex a, Complex b, double tol) {
  return std::abs(a - b) <= tol * std::max({1.0, std::abs(a), std::abs(b)});
}

Comparison ScalarEqual(const Expr& a, const Expr& b, const CompareOptions& o, Budget& budget) {
  if (HasInfinity(a) || HasInfinity(b)) return Result(ToString(a) == ToString(b), "structure");
  // (Complex surds have no real double: `*ea == *eb` below decides them exactly.)
  const bool decimal = HasDecimal(a) || HasDecimal(b);
  std::optional<Surd> ea = ExactValue(a, budget);
  std::optional<Surd> eb = ExactValue(b, budget);
  if (ea && eb) {
    if (*ea == *eb) return Result(true, "exact");
    if (decimal) {
      return Result(EqualRounded(ea->ToDouble(), eb->ToDouble(), o.float_rounding), "rounded");
    }
    return Result(false, "exact");
  }
  if (decimal && IsConstant(a) && IsConstant(b)) {
    const Complex va = NumericValue(a, Point{0}, budget);
    const Complex vb = NumericValue(b, Point{0}, budget);
    if (std::isfinite(va.real()) && std::isfinite(vb.real()) && std::abs(va.imag()) < 1e-12 &&
        std::abs(vb.imag()) < 1e-12) {
      return Result(EqualRounded(va.real(), vb.real(), o.float_rounding), "rounded");
    }
  }
  for (int p = 0; p < 3; ++p) {
    const Complex va = NumericValue(a, Point{p}, budget);
    const Complex vb = NumericValue(b, Point{p}, budget);
    const bool finite = std::isfinite(va.real()) && std::isfinite(va.imag()) &&
                        std::isfinite(vb.real()) && std::isfinite(vb.imag());
    if (finite && !Close(va, vb, 1e-6)) return Result(false, "numeric");
  }
  // Random-point identity testing with exact arithmetic (Schwartz-Zippel): polynomials and
  // rational functions over Q(√m) agree at four pseudo-random integer points only if they are
  // identical, up to a probability of (degree / 10^4)^4. A point where they differ exactly is a
  // proof of inequality. Lock-free; GiNaC only when a side leaves the exact field.
  {
    bool all_exact = true;
    for (int p = 0; p < 4 && all_exact; ++p) {
      const Point point{p};
      std::optional<Surd> va = ExactValue(a, budget, &point);
      std::optional<Surd> vb = ExactValue(b, budget, &point);
      if (!va || !vb) {
        all_exact = false;
      } else if (!(*va == *vb)) {
        return Result(false, "exact-points");
      }
    }
    if (all_exact) return Result(true, "exact-points");
  }
  if (budget.Exceeded()) return {false, "cap: cpu budget", true};
  return FromSymbolic(SymbolicEqual(a, b, budget));
}

// lhs - rhs, as a tree.
Expr Difference(const Expr& lhs, const Expr& rhs) {
  return MakeNode(Op::kAdd, {lhs, MakeNode(Op::kNeg, {rhs})});
}

// `a > b` becomes `b < a`; returns the op in {"=", "!=", "<", "<="}.
std::pair<std::string, Expr> Normalized(const Expr& rel) {
  std::string op = rel.text;
  const Expr* lhs = &rel.args[0];
  const Expr* rhs = &rel.args[1];
  if (op == ">" || op == ">=") {
    std::swap(lhs, rhs);
    op = op == ">" ? "<" : "<=";
  }
  return {op, Difference(*rhs, *lhs)};
}

Comparison RelationEqual(const Expr& a, const Expr& b, const CompareOptions& o, Budget& budget) {
  if (a.args.size() != 2 || b.args.size() != 2 || a.text == "mixed" || b.text == "mixed") {
    return Result(ToString(a) == ToString(b), "structure");
  }
  auto [op_a, da] = Normalized(a);
  auto [op_b, db] = Normalized(b);
  if (op_a != op_b) return Result(false, "structure");
  // Same relation when da = k * db for a constant k (k > 0 for inequalities).
  Complex ratio;
  for (int p = 0; p < 3; ++p) {
    const Complex va = NumericValue(da, Point{p}, budget);
    const Complex vb = NumericValue(db, Point{p}, budget);
    if (std::abs(vb) < 1e-12 && std::abs(va) < 1e-12) continue;
    if (std::abs(vb) < 1e-12 || std::abs(va) < 1e-12) return Result(false, "numeric");
    const Complex r = va / vb;
    if (p > 0 && std::isfinite(r.real()) && !Close(r, ratio, 1e-6)) {
      return Result(false, "numeric");
    }
    ratio = r;
  }
  (void)o;
  // Exact ratios at four points (see ScalarEqual): equal non-zero ratios mean proportional.
  std::optional<Surd> first;
  bool all_exact = true;
  for (int p = 0; p < 4 && all_exact; ++p) {
    const Point point{p};
    std::optional<Surd> va = ExactValue(da, budget, &point);
    std::optional<Surd> vb = ExactValue(db, budget, &point);
    std::optional<Surd> inv = vb ? Inverse(*vb) : std::nullopt;
    std::optional<Surd> r = va && inv ? Mul(*va, *inv) : std::nullopt;
    if (!r || r->IsRational() == false || r->a.num == 0) {
      all_exact = false;
    } else if (first && !(*first == *r)) {
      return Result(false, "exact-points");
    } else {
      first = r;
    }
  }
  if (all_exact && first) {
    const bool positive = first->a.num > 0;
    if (op_a != "=" && op_a != "!=" && !positive) return Result(false, "exact-points");
    return Result(true, "exact-points");
  }
  int sign = 0;
  Comparison c = FromSymbolic(SymbolicProportional(da, db, &sign, budget));
  if (c.equal && op_a != "=" && op_a != "!=" && sign < 0) return Result(false, "symbolic");
  return c;
}

bool IsList(const Expr& e) { return e.op == Op::kTuple || e.op == Op::kSet; }

Comparison Unordered(const std::vector<Expr>& a, const std::vector<Expr>& b,
                     const CompareOptions& o, Budget& budget) {
  if (a.size() != b.size()) return Result(false, "structure");
  if (a.size() > 64) return {false, "cap: set size", true};
  std::vector<bool> used(b.size(), false);
  for (const Expr& x : a) {
    bool found = false;
    for (size_t j = 0; j < b.size() && !found; ++j) {
      if (used[j]) continue;
      if (Compare(x, b[j], o, budget).equal) used[j] = found = true;
    }
    if (!found) return Result(false, "structure");
  }
  return Result(true, "structure");
}

Comparison Ordered(const std::vector<Expr>& a, const std::vector<Expr>& b, const CompareOptions& o,
                   Budget& budget) {
  if (a.size() != b.size()) return Result(false, "structure");
  Comparison last = Result(true, "structure");
  for (size_t i = 0; i < a.size(); ++i) {
    Comparison c = Compare(a[i], b[i], o, budget);
    if (!c.equal) return c;
    last = c;
  }
  return last;
}

std::string Letters(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (absl::ascii_isalnum(c)) out.push_back(absl::ascii_tolower(c));
  }
  return out;
}

Comparison TextEqual(const Expr& a, const Expr& b, const CompareOptions& o, Budget& budget) {
  const Expr& text = a.op == Op::kText ? a : b;
  const Expr& other = a.op == Op::kText ? b : a;
  if (other.op == Op::kText) return Result(Letters(a.text) == Letters(b.text), "text");
  // `\text{5}` against 5: read the text as an answer.
  absl::StatusOr<Expr> parsed = ParseAnswer(text.text);
  if (parsed.ok() && parsed->op != Op::kText && IsConstant(*parsed)) {
    return Compare(*parsed, other, o, budget);
  }
  return Result(Letters(text.text) == Letters(ToString(other)), "text");
}

// Drops `x =` / a chain's earlier sides when the other answer is not an equation.
const Expr& LastSide(const Expr& e) {
  if (e.op == Op::kRelation && e.text == "=" && !e.args.empty()) {
    if (e.args.size() > 2 || e.args[0].op == Op::kSymbol) return e.args.back();
  }
  return e;
}

}  // namespace

Comparison Compare(const Expr& gold_in, const Expr& pred_in, const CompareOptions& o,
                   Budget& budget) {
  if (!budget.Step()) return {false, "cap: cpu budget", true};
  // Identical trees are equal whatever they contain (and cost nothing to decide).
  if (gold_in.op == pred_in.op && NodeCount(gold_in) < 512 &&
      ToString(gold_in) == ToString(pred_in)) {
    return Result(true, "identical");
  }
  const bool gold_rel = gold_in.op == Op::kRelation;
  const bool pred_rel = pred_in.op == Op::kRelation;
  const Expr& gold = gold_rel && !pred_rel ? LastSide(gold_in) : gold_in;
  const Expr& pred = pred_rel && !gold_rel ? LastSide(pred_in) : pred_in;
  if (gold.op == Op::kText || pred.op == Op::kText) return TextEqual(gold, pred, o, budget);
  if (gold.op == Op::kRelation && pred.op == Op::kRelation) {
    return RelationEqual(gold, pred, o, budget);
  }
  if (IsScalar(gold) && IsScalar(pred)) return ScalarEqual(gold, pred, o, budget);
  if (IsList(gold) && IsList(pred)) {
    const bool ordered =
        gold.op == Op::kTuple && pred.op == Op::kTuple && gold.text.empty() && pred.text.empty();
    return ordered ? Ordered(gold.args, pred.args, o, budget)
                   : Unordered(gold.args, pred.args, o, budget);
  }
  if (gold.op == Op::kInterval || pred.op == Op::kInterval) {
    const Expr& x = gold.op == Op::kInterval ? gold : pred;
    const Expr& y = gold.op == Op::kInterval ? pred : gold;
    if (y.op == Op::kTuple && y.args.size() == 2 && !x.left_closed && !x.right_closed) {
      return Ordered(x.args, y.args, o, budget);
    }
    if (y.op != Op::kInterval || x.left_closed != y.left_closed ||
        x.right_closed != y.right_closed) {
      return Result(false, "structure");
    }
    return Ordered(x.args, y.args, o, budget);
  }
  if (gold.op == Op::kUnion && pred.op == Op::kUnion) {
    return Unordered(gold.args, pred.args, o, budget);
  }
  if (gold.op == Op::kMatrix && pred.op == Op::kMatrix) {
    if (gold.rows != pred.rows || gold.cols != pred.cols) return Result(false, "structure");
    return Ordered(gold.args, pred.args, o, budget);
  }
  return Result(false, "structure");
}

}  // namespace arbiter::math
