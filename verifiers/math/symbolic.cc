#include "verifiers/math/symbolic.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "verifiers/beam/internal/ginac.h"
#include "verifiers/beam/internal/ginac_lock.h"
#include "verifiers/math/internal/ginac_at_point.h"

namespace arbiter::math {
namespace {

using GiNaC::ex;

struct Converter {
  const SymbolicLimits& limits;
  Budget& budget;
  std::map<std::string, GiNaC::symbol> symbols;
  std::string cap;        // set when a cap was hit
  std::string undefined;  // set when the value is undefined (a division by zero)

  ex Fail(std::string what) {
    if (cap.empty()) cap = std::move(what);
    return 0;
  }

  ex Undefined(std::string what) {
    if (undefined.empty()) undefined = std::move(what);
    return 0;
  }

  bool Stopped() const { return !cap.empty() || !undefined.empty(); }

  // GiNaC::pow(base, exponent), except where GiNaC would throw: zero to a power whose real part
  // is not positive. GiNaC throws from inside the constructor of the ex (power::eval()), after
  // allocating the power object, and never frees that object (ex::construct_from_basic deletes
  // a refcount-0 heap object only when eval() returns): ~100 bytes leaked per such answer
  // (`1/0`, `\log_1 2`, `0^{-2}`, `\sqrt[0]{2}`, `\cot 0`, and 0^0, found by the extract fuzz
  // target). So such a power never reaches GiNaC.
  ex SafePow(const ex& base, const ex& exponent) {
    if (base.is_zero()) {
      if (!GiNaC::is_a<GiNaC::numeric>(exponent)) {
        // Undefined for exponents with a non-positive real part: refused here, whatever the
        // exponent's value would be.
        return Undefined("zero to a symbolic power");
      }
      if (exponent.is_zero()) return Undefined("0^0");  // GiNaC: "pow(0,0) is undefined"
      if (!GiNaC::ex_to<GiNaC::numeric>(exponent).real().is_positive()) {
        return Undefined("division by zero");
      }
    }
    return GiNaC::pow(base, exponent);
  }

  ex Number(const std::string& text) {
    // Exact: digits chunk by chunk (GiNaC's string constructor reads "0.75" as a float).
    GiNaC::numeric value = 0;
    GiNaC::numeric scale = 1;
    bool after_point = false;
    size_t i = 0;
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '.') {
        after_point = true;
        continue;
      }
      if (c == 'e' || c == 'E') break;
      if (c < '0' || c > '9') continue;
      value = value * 10 + (c - '0');
      if (after_point) scale *= 10;
    }
    GiNaC::numeric result = value / scale;
    if (!text.empty() && text[0] == '-') result = -result;
    if (i < text.size()) {
      const long exponent = std::strtol(text.c_str() + i + 1, nullptr, 10);
      if (std::labs(exponent) > limits.max_exponent) return Fail("exponent height");
      result *= GiNaC::pow(GiNaC::numeric(10), GiNaC::numeric(exponent));
    }
    return result;
  }

  // log2 of |value| of a constant subtree, roughly; 0 when not constant or unknown.
  static double MagnitudeBits(const ex& v) {
    if (!GiNaC::is_a<GiNaC::numeric>(v)) return 0;
    const auto& n = GiNaC::ex_to<GiNaC::numeric>(v);
    if (n.is_zero()) return 0;
    if (n.is_rational()) {
      const double bits = std::max(GiNaC::numer(n).int_length(), GiNaC::denom(n).int_length());
      return bits;
    }
    return 64;
  }

  ex Pow(const Expr& e) {
    ex base = Convert(e.args[0]);
    ex exponent = Convert(e.args[1]);
    if (Stopped()) return 0;
    if (GiNaC::is_a<GiNaC::numeric>(exponent)) {
      const auto& n = GiNaC::ex_to<GiNaC::numeric>(exponent);
      if (!n.is_rational()) return SafePow(base, exponent);
      const GiNaC::numeric num = GiNaC::abs(GiNaC::numer(n));
      if (num > limits.max_exponent) return Fail("exponent height");
      const double bits = MagnitudeBits(base) * num.to_double();
      if (bits > limits.max_result_bits) return Fail("integer size");
    } else if (GiNaC::is_a<GiNaC::numeric>(base) && !base.is_zero() && base != 1 && base != -1) {
      return Fail("exponent height");  // a symbolic exponent on a number: 2^{2^x} ...
    }
    return SafePow(base, exponent);
  }

  ex Function(const Expr& e) {
    std::vector<ex> args;
    for (const Expr& a : e.args) args.push_back(Convert(a));
    if (args.empty() || Stopped()) return 0;
    const std::string& f = e.text;
    const ex& x = args[0];
    if (f == "sqrt") return GiNaC::sqrt(x);
    if (f == "sin") return GiNaC::sin(x);
    if (f == "cos") return GiNaC::cos(x);
    if (f == "tan") return GiNaC::tan(x);
    if (f == "cot") return SafePow(GiNaC::tan(x), -1);
    if (f == "sec") return SafePow(GiNaC::cos(x), -1);
    if (f == "csc") return SafePow(GiNaC::sin(x), -1);
    if (f == "ln" || f == "log") return GiNaC::log(x);
    if (f == "log10") return GiNaC::log(x) / GiNaC::log(ex(10));
    if (f == "exp") return GiNaC::exp(x);
    // Held unless numeric: GiNaC's abs() of a power or exponential of a symbolic exponent is
    // |b|^real_part(y), and the real part of a product of n (complex) symbols is 2^(n-1) terms
    // (|(\pi+1)^{c t T T ...}|: latex fuzz target, a timeout). Points evaluate it numerically.
    if (f == "abs") return GiNaC::is_a<GiNaC::numeric>(x) ? GiNaC::abs(x) : GiNaC::abs(x).hold();
    if (f == "arcsin") return GiNaC::asin(x);
    if (f == "arccos") return GiNaC::acos(x);
    if (f == "arctan") return GiNaC::atan(x);
    if (f == "sinh") return GiNaC::sinh(x);
    if (f == "cosh") return GiNaC::cosh(x);
    if (f == "tanh") return GiNaC::tanh(x);
    if (f == "binom" && args.size() == 2) return GiNaC::binomial(args[0], args[1]);
    return Fail(absl::StrCat("unsupported function ", f));
  }

  ex Convert(const Expr& e) {
    if (!budget.Step()) return Fail("cpu budget");
    if (Stopped()) return 0;
    switch (e.op) {
      case Op::kNumber:
        return Number(e.text);
      case Op::kSymbol: {
        auto it = symbols.find(e.text);
        if (it == symbols.end()) it = symbols.emplace(e.text, GiNaC::symbol(e.text)).first;
        return it->second;
      }
      case Op::kConstant:
        if (e.text == "pi") return GiNaC::Pi;
        if (e.text == "e") return GiNaC::exp(ex(1));
        if (e.text == "i") return GiNaC::I;
        return Fail("infinity");
      case Op::kNeg:
        return -Convert(e.args[0]);
      case Op::kAdd: {
        ex acc = 0;
        for (const Expr& a : e.args) acc += Convert(a);
        return acc;
      }
      case Op::kMul: {
        ex acc = 1;
        for (const Expr& a : e.args) acc *= Convert(a);
        return acc;
      }
      case Op::kPow:
        return Pow(e);
      case Op::kFunction:
        return Function(e);
      case Op::kFactorial: {
        ex n = Convert(e.args[0]);
        if (GiNaC::is_a<GiNaC::numeric>(n) && GiNaC::ex_to<GiNaC::numeric>(n).is_integer() &&
            GiNaC::abs(GiNaC::ex_to<GiNaC::numeric>(n)) > limits.max_factorial) {
          return Fail("factorial argument");
        }
        return GiNaC::factorial(n);
      }
      default:
        return Fail("structure in a scalar");
    }
  }
};

std::atomic<uint64_t> g_calls{0};
std::atomic<uint64_t> g_locked_nanos{0};

// Holds the GiNaC lock for its lifetime and accounts the time held.
class TimedGinacLock {
 public:
  TimedGinacLock()
      : lock_(&beam::internal::GinacMutex()), start_(std::chrono::steady_clock::now()) {}
  ~TimedGinacLock() {
    g_calls.fetch_add(1, std::memory_order_relaxed);
    g_locked_nanos.fetch_add(
        static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                  std::chrono::steady_clock::now() - start_)
                                  .count()),
        std::memory_order_relaxed);
  }

 private:
  absl::MutexLock lock_;
  std::chrono::steady_clock::time_point start_;
};

// The value Converter::Number gives a number's text, as a double: digits with anything else
// skipped, as Converter::Number reads it (strtod stopped at the first non-digit).
double NumberValue(const std::string& text) {
  double value = 0;
  double scale = 1;
  bool after_point = false;
  size_t i = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') after_point = true;
    if (c == 'e' || c == 'E') break;
    if (c < '0' || c > '9') continue;
    value = value * 10 + (c - '0');
    if (after_point) scale *= 10;
  }
  value /= scale;
  if (i < text.size()) value *= std::pow(10.0, std::strtod(text.c_str() + i + 1, nullptr));
  return value;
}

// An upper estimate of the degree of the expanded polynomial (symbols count 1, integer powers
// multiply). Sums raised to powers and products of sums are what make expand() explode, also
// inside function arguments and exponents, which normal() expands too: a function or a power of
// a constant counts as its argument's or exponent's degree (|(x+1)^{99999}|, latex fuzz target:
// a timeout).
double Degree(const Expr& e) {
  switch (e.op) {
    case Op::kSymbol:
      return 1;
    case Op::kAdd: {
      double d = 0;
      for (const Expr& a : e.args) d = std::max(d, Degree(a));
      return d;
    }
    case Op::kMul: {
      double d = 0;
      for (const Expr& a : e.args) d += Degree(a);
      return d;
    }
    case Op::kNeg:
      return Degree(e.args[0]);
    case Op::kPow: {
      const double base = Degree(e.args[0]);
      if (base == 0) return Degree(e.args[1]);
      if (e.args[1].op == Op::kNumber ||
          (e.args[1].op == Op::kNeg && e.args[1].args[0].op == Op::kNumber)) {
        const Expr& n = e.args[1].op == Op::kNeg ? e.args[1].args[0] : e.args[1];
        // A bare symbol's power does not expand, but normal()'s polynomial gcd evaluates it at
        // integers: x^{22222222222} is a number of 10^11 bits (latex fuzz target: timeouts).
        return base * std::max(1.0, std::fabs(NumberValue(n.text)));
      }
      if (IsConstant(e.args[1])) {
        // A constant exponent that is not a literal (`99 \cdot 999`, `10^5`): its value.
        Budget budget(absl::Milliseconds(50), nullptr);
        const double v = std::abs(NumericValue(e.args[1], Point{0}, budget));
        return std::isfinite(v) ? base * std::max(1.0, v) : HUGE_VAL;
      }
      return base + Degree(e.args[1]);
    }
    case Op::kFunction:
    case Op::kFactorial: {
      double d = 0;
      for (const Expr& a : e.args) d = std::max(d, Degree(a));
      return d;
    }
    default:
      return 0;
  }
}

bool ContainsSum(const ex& e) {
  for (auto it = e.preorder_begin(); it != e.preorder_end(); ++it) {
    if (GiNaC::is_a<GiNaC::add>(*it)) return true;
  }
  return false;
}

// An upper bound on the absolute value of the constant term e has once expanded: what expand()
// and normal() split off an exponent and raise a sum to. -999 (1 - x^2) has constant term -999
// although the tree holds no integer beyond 1. Infinite for anything normal() could turn into
// an unbounded number: a quotient or a function of a symbolic argument.
double ConstantTermBound(const ex& e) {
  if (GiNaC::is_a<GiNaC::numeric>(e)) {
    const auto& n = GiNaC::ex_to<GiNaC::numeric>(e);
    return n.is_rational() ? GiNaC::abs(n).to_double() : HUGE_VAL;
  }
  if (GiNaC::is_a<GiNaC::symbol>(e) || GiNaC::is_a<GiNaC::constant>(e)) return 0;
  if (GiNaC::is_a<GiNaC::add>(e)) {
    double sum = 0;
    for (const ex& term : e) sum += ConstantTermBound(term);
    return sum;
  }
  if (GiNaC::is_a<GiNaC::mul>(e)) {
    // A symbol times a quotient may still be a number (x \cdot x^{-1}): infinity wins over 0.
    double product = 1;
    for (const ex& factor : e) {
      const double bound = ConstantTermBound(factor);
      if (bound == HUGE_VAL) return HUGE_VAL;
      product *= bound;
    }
    return product;
  }
  if (GiNaC::is_a<GiNaC::power>(e)) {
    const ex& exponent = e.op(1);
    if (GiNaC::is_a<GiNaC::numeric>(exponent) &&
        GiNaC::ex_to<GiNaC::numeric>(exponent).is_pos_integer()) {
      const double base = ConstantTermBound(e.op(0));
      return base == 0 ? 0 : std::pow(base, GiNaC::ex_to<GiNaC::numeric>(exponent).to_double());
    }
    // A symbol to a constant power has no constant term; anything else may become one.
    return GiNaC::is_a<GiNaC::symbol>(e.op(0)) && GiNaC::is_a<GiNaC::numeric>(exponent) ? 0
                                                                                        : HUGE_VAL;
  }
  return HUGE_VAL;
}

// Whether expand() or normal() could raise a sum to an integer power beyond the degree cap.
// Degree() bounds the tree, but GiNaC finds integers the tree does not show: expand() splits the
// constant term off an exponent, (x+1)^{6958 - 8R} = (x+1)^6958 (x+1)^{-8R}, also once the
// exponent itself is expanded, (x+1)^{-999 (1 - x^2)} (latex fuzz target: timeouts, the second
// in CI inside cln::binomial), and products merge powers, (x+1)^{200} (x+1)^{200}.
bool HasLargePowerOfSum(const ex& e, double max_degree) {
  for (auto it = e.preorder_begin(); it != e.preorder_end(); ++it) {
    if (!GiNaC::is_a<GiNaC::power>(*it) || !ContainsSum(it->op(0))) continue;
    const ex& exponent = it->op(1);
    // A number that is not an integer stays an exponent: (x+1)^{1001/2} is not expanded.
    if (GiNaC::is_a<GiNaC::numeric>(exponent) &&
        !GiNaC::ex_to<GiNaC::numeric>(exponent).is_integer()) {
      continue;
    }
    if (ConstantTermBound(exponent) > max_degree) return true;
  }
  return false;
}

// An upper estimate of how many terms expand() makes of e: sums add, products multiply, a sum
// raised to n (or to an exponent whose expanded constant term is up to n: GiNaC splits it off)
// has up to C(n+k-1, k-1) terms for k terms in the base. The degree cap does not bound this:
// (1 - x y z w v)^{52 - 2x} stays under degree 256 and expands to millions of terms (latex fuzz
// target in CI: 5.8 s, 35 s under ASan). Functions count their arguments' terms.
constexpr double kMaxExpandedTerms = 20000;

double ExpandedTerms(const ex& e) {
  if (GiNaC::is_a<GiNaC::add>(e) || GiNaC::is_a<GiNaC::function>(e)) {
    double sum = 0;
    for (const ex& op : e) sum += ExpandedTerms(op);
    return std::max(sum, 1.0);
  }
  if (GiNaC::is_a<GiNaC::mul>(e)) {
    double product = 1;
    for (const ex& op : e) product *= ExpandedTerms(op);
    return product;
  }
  if (GiNaC::is_a<GiNaC::power>(e)) {
    const double k = ExpandedTerms(e.op(0));
    if (k <= 1) return ExpandedTerms(e.op(1));
    const ex& exponent = e.op(1);
    const double n = std::floor(GiNaC::is_a<GiNaC::numeric>(exponent) &&
                                        GiNaC::ex_to<GiNaC::numeric>(exponent).is_rational()
                                    ? GiNaC::abs(GiNaC::ex_to<GiNaC::numeric>(exponent)).to_double()
                                    : ConstantTermBound(exponent));
    if (!std::isfinite(n)) return HUGE_VAL;
    if (n < 2) return k;
    // C(n + k - 1, k - 1) through lgamma: no overflow, infinite when huge.
    return std::exp(std::lgamma(n + k) - std::lgamma(k) - std::lgamma(n + 1)) *
           ExpandedTerms(exponent);
  }
  return 1;
}

// Whether normal() may run on e (already expanded): its polynomial gcd has no budget, and its
// cost grows with the degrees and the size of what it cancels. One second of gcd on a
// fuzz-found answer whose expansion holds a few hundred terms of degree up to 99 (latex fuzz
// target: 15 s under ASan). Beyond these bounds the 50-digit point test decides alone.
bool CheapToNormalize(const ex& e) {
  constexpr int kMaxNodes = 2000;
  constexpr double kMaxExponent = 64;
  int nodes = 0;
  for (auto it = e.preorder_begin(); it != e.preorder_end(); ++it) {
    if (++nodes > kMaxNodes) return false;
    if (!GiNaC::is_a<GiNaC::power>(*it)) continue;
    const ex& exponent = it->op(1);
    if (GiNaC::is_a<GiNaC::numeric>(exponent) &&
        GiNaC::abs(GiNaC::ex_to<GiNaC::numeric>(exponent)).to_double() > kMaxExponent) {
      return false;
    }
  }
  return true;
}

SymbolicResult Capped(const std::string& cap) {
  return {SymbolicResult::Kind::kCapExceeded, absl::StrCat("answer exceeds the ", cap, " cap")};
}

// Neither equal nor provably different: the answer has no value (e.g. a division by zero).
SymbolicResult Undefined(const std::string& what) {
  return {SymbolicResult::Kind::kUnknown, absl::StrCat("undefined: ", what)};
}

enum class AtPoints { kVanishes, kDiffers, kUndefined };

// |a - b| at three rational points with 50 digits, relative to |a| + |b| there (the sides'
// values, not GiNaC::abs(a): GiNaC rewrites |e^{i x y ...}| into sums of real and imaginary
// parts of every factor, 2^n terms; extract fuzz target, a timeout). Floats through
// internal::ValueAtPoint, never ex::subs (exact powers of huge height, leaked nodes). A point
// where a side is undefined (a pole of a removable singularity) is replaced by the next.
AtPoints VanishesAtPoints(const ex& diff, const ex& a, const ex& b,
                          const std::map<std::string, GiNaC::symbol>& s, Budget& budget) {
  int defined = 0;
  for (int index = 0; index < 6 && defined < 3; ++index) {
    const GiNaC::exmap at = internal::FloatPoint(s, index);
    const std::optional<GiNaC::numeric> d = internal::ValueAtPoint(diff, at, budget);
    const std::optional<GiNaC::numeric> va = internal::ValueAtPoint(a, at, budget);
    const std::optional<GiNaC::numeric> vb = internal::ValueAtPoint(b, at, budget);
    if (budget.Exceeded()) return AtPoints::kUndefined;
    if (!d || !va || !vb) continue;
    ++defined;
    // In GiNaC numbers, not doubles: the sides may be far beyond 1e308 (inf <= inf).
    static const GiNaC::numeric kTolerance("1e-35");
    const GiNaC::numeric scale = GiNaC::abs(*va) + GiNaC::abs(*vb);
    if (!(GiNaC::abs(*d) <= kTolerance * (scale > 1 ? scale : GiNaC::numeric(1)))) {
      return AtPoints::kDiffers;
    }
  }
  return defined == 3 ? AtPoints::kVanishes : AtPoints::kUndefined;
}

// GiNaC's evaluation precision is process-global (guarded by the GiNaC lock): set for a scope.
class DigitsScope {
 public:
  explicit DigitsScope(int digits) : saved_(GiNaC::Digits) { GiNaC::Digits = digits; }
  ~DigitsScope() { GiNaC::Digits = saved_; }
  DigitsScope(const DigitsScope&) = delete;
  DigitsScope& operator=(const DigitsScope&) = delete;

 private:
  const long saved_;
};

}  // namespace

SymbolicStats GetSymbolicStats() {
  return {g_calls.load(std::memory_order_relaxed), g_locked_nanos.load(std::memory_order_relaxed)};
}

SymbolicResult SymbolicEqual(const Expr& a, const Expr& b, Budget& budget,
                             const SymbolicLimits& limits) {
  if (Degree(a) > limits.max_degree || Degree(b) > limits.max_degree) {
    return Capped("expression degree");
  }
  TimedGinacLock lock;
  try {
    Converter c{limits, budget, {}, {}, {}};
    ex ea = c.Convert(a);
    ex eb = c.Convert(b);
    if (!c.cap.empty()) return Capped(c.cap);
    if (!c.undefined.empty()) return Undefined(c.undefined);
    if (HasLargePowerOfSum(ea, limits.max_degree) || HasLargePowerOfSum(eb, limits.max_degree)) {
      return Capped("expression degree");
    }
    if (ExpandedTerms(ea) + ExpandedTerms(eb) > kMaxExpandedTerms) {
      return Capped("expression size");
    }
    ex diff = (ea - eb).expand();
    if (CheapToNormalize(diff)) diff = GiNaC::normal(diff);
    if (diff.is_zero()) return {SymbolicResult::Kind::kEqual, "symbolic"};
    if (GiNaC::is_a<GiNaC::numeric>(diff) && GiNaC::ex_to<GiNaC::numeric>(diff).is_rational()) {
      return {SymbolicResult::Kind::kDifferent, "exact"};
    }
    AtPoints at_points;
    {
      const DigitsScope digits(50);  // restored on the way out, exceptions included
      at_points = VanishesAtPoints(diff, ea, eb, c.symbols, budget);
    }
    switch (at_points) {
      case AtPoints::kVanishes:
        return {SymbolicResult::Kind::kEqual, "symbolic-50-digits"};
      case AtPoints::kDiffers:
        return {SymbolicResult::Kind::kDifferent, "symbolic"};
      case AtPoints::kUndefined:
        break;
    }
    if (budget.Exceeded()) return Capped("cpu budget");
    return Undefined("at a sample point");
  } catch (const std::bad_alloc&) {
    throw;  // the server's trouble, never a verdict: the dispatcher masks it
  } catch (const std::exception& e) {
    return {SymbolicResult::Kind::kUnknown, absl::StrCat("GiNaC: ", e.what())};
  }
}

SymbolicResult SymbolicProportional(const Expr& a, const Expr& b, int* sign, Budget& budget,
                                    const SymbolicLimits& limits) {
  if (Degree(a) > limits.max_degree || Degree(b) > limits.max_degree) {
    return Capped("expression degree");
  }
  TimedGinacLock lock;
  try {
    Converter c{limits, budget, {}, {}, {}};
    ex ea = c.Convert(a);
    ex eb = c.Convert(b);
    if (!c.cap.empty()) return Capped(c.cap);
    if (!c.undefined.empty()) return Undefined(c.undefined);
    if (HasLargePowerOfSum(ea, limits.max_degree) || HasLargePowerOfSum(eb, limits.max_degree)) {
      return Capped("expression degree");
    }
    if (ExpandedTerms(ea) + ExpandedTerms(eb) > kMaxExpandedTerms) {
      return Capped("expression size");
    }
    // The zero test on the expanded divisor: (x+1)^2 - x^2 - 2x - 1 is zero only once expanded,
    // and GiNaC leaks the quotient it throws from (see Converter::SafePow).
    const ex divisor = eb.expand();
    if (divisor.is_zero()) return {SymbolicResult::Kind::kDifferent, "zero"};
    const ex numerator = ea.expand();
    if (!CheapToNormalize(numerator) || !CheapToNormalize(divisor)) {
      return Capped("expression size");
    }
    ex q = GiNaC::normal(numerator / divisor);
    if (GiNaC::is_a<GiNaC::numeric>(q) && !q.is_zero() &&
        GiNaC::ex_to<GiNaC::numeric>(q).is_real()) {
      *sign = GiNaC::ex_to<GiNaC::numeric>(q).is_positive() ? 1 : -1;
      return {SymbolicResult::Kind::kEqual, "symbolic"};
    }
    return {SymbolicResult::Kind::kDifferent, "symbolic"};
  } catch (const std::bad_alloc&) {
    throw;  // the server's trouble, never a verdict: the dispatcher masks it
  } catch (const std::exception& e) {
    return {SymbolicResult::Kind::kUnknown, absl::StrCat("GiNaC: ", e.what())};
  }
}

}  // namespace arbiter::math
