#include "verifiers/math/evaluate.h"

#include <cmath>
#include <set>

#include "absl/hash/hash.h"
#include "absl/time/clock.h"

namespace arbiter::math {

Budget::Budget(absl::Duration cpu, const sdk::VerifyContext* ctx)
    : deadline_(absl::Now() + cpu), ctx_(ctx) {}

bool Budget::Step() {
  if (exceeded_) return false;
  if ((++steps_ & 255u) != 0) return true;
  if (absl::Now() >= deadline_ || (ctx_ != nullptr && ctx_->Done())) exceeded_ = true;
  return !exceeded_;
}

namespace {

using Complex = std::complex<double>;

std::optional<Rational> ExactPow(const Expr& e, Budget& budget) {
  std::optional<Rational> base = ExactValue(e.args[0], budget);
  std::optional<Rational> exp = ExactValue(e.args[1], budget);
  if (!base || !exp) return std::nullopt;
  if (exp->den == 1) return PowInt(*base, exp->num);
  // Rational exponent p/q: exact only when the q-th root is rational.
  if (exp->den > 64) return std::nullopt;
  if (base->num < 0) return std::nullopt;
  std::optional<Rational> root = RootExact(*base, static_cast<int>(exp->den));
  if (!root) return std::nullopt;
  return PowInt(*root, exp->num);
}

std::optional<Rational> ExactFunction(const Expr& e, Budget& budget) {
  if (e.args.size() != 1) return std::nullopt;
  std::optional<Rational> arg = ExactValue(e.args[0], budget);
  if (!arg) return std::nullopt;
  if (e.text == "sqrt") {
    if (arg->num < 0) return std::nullopt;
    return RootExact(*arg, 2);
  }
  if (e.text == "abs") return arg->num < 0 ? Negate(*arg) : *arg;
  return std::nullopt;
}

}  // namespace

std::optional<Rational> ExactValue(const Expr& e, Budget& budget) {
  if (!budget.Step()) return std::nullopt;
  switch (e.op) {
    case Op::kNumber:
      return ParseDecimal(e.text);
    case Op::kNeg: {
      std::optional<Rational> v = ExactValue(e.args[0], budget);
      if (!v) return std::nullopt;
      return Negate(*v);
    }
    case Op::kAdd:
    case Op::kMul: {
      std::optional<Rational> acc = e.op == Op::kAdd ? Rational{0, 1} : Rational{1, 1};
      for (const Expr& a : e.args) {
        std::optional<Rational> v = ExactValue(a, budget);
        if (!v) return std::nullopt;
        acc = e.op == Op::kAdd ? Add(*acc, *v) : Mul(*acc, *v);
        if (!acc) return std::nullopt;
      }
      return acc;
    }
    case Op::kPow:
      return ExactPow(e, budget);
    case Op::kFunction:
      return ExactFunction(e, budget);
    case Op::kFactorial: {
      std::optional<Rational> n = ExactValue(e.args[0], budget);
      if (!n || n->den != 1 || n->num < 0 || n->num > 33) return std::nullopt;
      Rational acc{1, 1};
      for (__int128 k = 2; k <= n->num; ++k) acc.num *= k;
      return acc;
    }
    default:
      return std::nullopt;
  }
}

namespace {

double SymbolValue(const std::string& name, int index) {
  // Deterministic, away from 0 and 1 (where many distinct expressions coincide) and small
  // enough that powers stay finite: 1.1 .. 2.9.
  const size_t h = absl::HashOf(name, index);
  return 1.1 + static_cast<double>(h % 1000003) / 1000003.0 * 1.8;
}

Complex NumericFunction(const Expr& e, const Point& p, Budget& budget) {
  std::vector<Complex> args;
  for (const Expr& a : e.args) args.push_back(NumericValue(a, p, budget));
  const std::string& f = e.text;
  if (args.empty()) return {NAN, 0};
  const Complex x = args[0];
  if (f == "sqrt") return std::sqrt(x);
  if (f == "sin") return std::sin(x);
  if (f == "cos") return std::cos(x);
  if (f == "tan") return std::tan(x);
  if (f == "cot") return 1.0 / std::tan(x);
  if (f == "sec") return 1.0 / std::cos(x);
  if (f == "csc") return 1.0 / std::sin(x);
  if (f == "ln" || f == "log") return std::log(x);
  if (f == "log10") return std::log10(x);
  if (f == "exp") return std::exp(x);
  if (f == "abs") return std::abs(x);
  if (f == "arcsin") return std::asin(x);
  if (f == "arccos") return std::acos(x);
  if (f == "arctan") return std::atan(x);
  if (f == "sinh") return std::sinh(x);
  if (f == "cosh") return std::cosh(x);
  if (f == "tanh") return std::tanh(x);
  if (f == "binom" && args.size() == 2) {
    const double n = args[0].real();
    const double k = args[1].real();
    return std::exp(std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1));
  }
  return {NAN, 0};
}

}  // namespace

Complex NumericValue(const Expr& e, const Point& p, Budget& budget) {
  if (!budget.Step()) return {NAN, 0};
  switch (e.op) {
    case Op::kNumber: {
      std::optional<Rational> r = ParseDecimal(e.text);
      return r ? r->ToDouble() : std::strtod(e.text.c_str(), nullptr);
    }
    case Op::kSymbol:
      return SymbolValue(e.text, p.index);
    case Op::kConstant:
      if (e.text == "pi") return M_PI;
      if (e.text == "e") return M_E;
      if (e.text == "i") return Complex(0, 1);
      return INFINITY;
    case Op::kNeg:
      return -NumericValue(e.args[0], p, budget);
    case Op::kAdd: {
      Complex acc = 0;
      for (const Expr& a : e.args) acc += NumericValue(a, p, budget);
      return acc;
    }
    case Op::kMul: {
      Complex acc = 1;
      for (const Expr& a : e.args) acc *= NumericValue(a, p, budget);
      return acc;
    }
    case Op::kPow: {
      const Complex b = NumericValue(e.args[0], p, budget);
      const Complex x = NumericValue(e.args[1], p, budget);
      if (x.imag() == 0 && x.real() == std::round(x.real()) && std::abs(x.real()) < 1e6) {
        return std::pow(b, static_cast<int>(x.real()));
      }
      // Real odd roots of negative reals stay real (cube root of -8 is -2), as in sympy's
      // real_root reading of \sqrt[3]{-8}.
      if (b.imag() == 0 && b.real() < 0 && x.imag() == 0) {
        const double inv = 1.0 / x.real();
        if (inv == std::round(inv) && static_cast<long>(inv) % 2 != 0) {
          return -std::pow(-b.real(), x.real());
        }
      }
      return std::pow(b, x);
    }
    case Op::kFunction:
      return NumericFunction(e, p, budget);
    case Op::kFactorial: {
      const Complex v = NumericValue(e.args[0], p, budget);
      return std::tgamma(v.real() + 1);
    }
    default:
      return {NAN, 0};
  }
}

bool IsConstant(const Expr& e) {
  if (e.op == Op::kSymbol) return false;
  for (const Expr& a : e.args) {
    if (!IsConstant(a)) return false;
  }
  return true;
}

namespace {
void CollectSymbols(const Expr& e, std::set<std::string>& out) {
  if (e.op == Op::kSymbol) out.insert(e.text);
  for (const Expr& a : e.args) CollectSymbols(a, out);
}
}  // namespace

std::vector<std::string> Symbols(const Expr& e) {
  std::set<std::string> s;
  CollectSymbols(e, s);
  return {s.begin(), s.end()};
}

}  // namespace arbiter::math
