#include "verifiers/math/evaluate.h"

#include <cmath>
#include <set>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
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

__int128 ExactSymbolValue(const std::string& name, int index) {
  return 100 + static_cast<__int128>(absl::HashOf(name, index, 0x5eed) % 10000);
}

std::optional<Surd> ExactPow(const Expr& e, Budget& budget, const Point* point) {
  std::optional<Surd> base = ExactValue(e.args[0], budget, point);
  std::optional<Surd> exp = ExactValue(e.args[1], budget, point);
  if (!base || !exp || !exp->IsRational()) return std::nullopt;
  const Rational& x = exp->a;
  if (x.den == 1) return PowInt(*base, x.num);
  if (!base->IsRational() || base->a.num < 0) return std::nullopt;
  if (x.den == 2) {
    std::optional<Surd> root = SqrtOf(base->a);
    if (!root) return std::nullopt;
    return PowInt(*root, x.num);
  }
  if (x.den > 64) return std::nullopt;
  std::optional<Rational> root = RootExact(base->a, static_cast<int>(x.den));
  if (!root) return std::nullopt;
  std::optional<Rational> r = PowInt(*root, x.num);
  if (!r) return std::nullopt;
  return Surd::Of(*r);
}

std::optional<Surd> ExactFunction(const Expr& e, Budget& budget, const Point* point) {
  if (e.args.size() != 1) return std::nullopt;
  std::optional<Surd> arg = ExactValue(e.args[0], budget, point);
  if (!arg) return std::nullopt;
  if (e.text == "sqrt") {
    if (!arg->IsRational()) return std::nullopt;
    return SqrtOf(arg->a);
  }
  if (e.text == "abs") return arg->ToDouble() < 0 ? Negate(*arg) : *arg;
  return std::nullopt;
}

}  // namespace

std::optional<Surd> ExactValue(const Expr& e, Budget& budget, const Point* point) {
  if (!budget.Step()) return std::nullopt;
  switch (e.op) {
    case Op::kNumber: {
      std::optional<Rational> r = ParseDecimal(e.text);
      if (!r) return std::nullopt;
      return Surd::Of(*r);
    }
    case Op::kSymbol:
      if (point == nullptr) return std::nullopt;
      return Surd::Of(Rational{ExactSymbolValue(e.text, point->index), 1});
    case Op::kConstant:
      // i is algebraic: exactly √-1. π and e are transcendental, so an identity that holds with
      // them as independent indeterminates holds for their values: at a point they are symbols.
      if (e.text == "i") return Surd{Rational{0, 1}, Rational{1, 1}, -1};
      if (point == nullptr || e.text == "inf") return std::nullopt;
      return Surd::Of(Rational{ExactSymbolValue(absl::StrCat("\\", e.text), point->index), 1});
    case Op::kNeg: {
      std::optional<Surd> v = ExactValue(e.args[0], budget, point);
      if (!v) return std::nullopt;
      return Negate(*v);
    }
    case Op::kAdd:
    case Op::kMul: {
      std::optional<Surd> acc = Surd::Of(Rational{e.op == Op::kAdd ? 0 : 1, 1});
      for (const Expr& a : e.args) {
        std::optional<Surd> v = ExactValue(a, budget, point);
        if (!v) return std::nullopt;
        acc = e.op == Op::kAdd ? Add(*acc, *v) : Mul(*acc, *v);
        if (!acc) return std::nullopt;
      }
      return acc;
    }
    case Op::kPow:
      return ExactPow(e, budget, point);
    case Op::kFunction:
      return ExactFunction(e, budget, point);
    case Op::kFactorial: {
      std::optional<Surd> n = ExactValue(e.args[0], budget, point);
      if (!n || !n->IsRational() || n->a.den != 1 || n->a.num < 0 || n->a.num > 33) {
        return std::nullopt;
      }
      Rational acc{1, 1};
      for (__int128 k = 2; k <= n->a.num; ++k) acc.num *= k;
      return Surd::Of(acc);
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
      if (e.text == "i") return {0, 1};
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
        // fmod, not a cast to long: 1/x may be far beyond any integer type (10^{-99 ...}:
        // latex fuzz target, UBSan float-cast-overflow).
        if (inv == std::round(inv) && std::fabs(std::fmod(inv, 2.0)) == 1.0) {
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
