#include "verifiers/math/internal/ginac_at_point.h"

#include <cmath>
#include <map>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace arbiter::math::internal {
namespace {

using GiNaC::ex;
using GiNaC::numeric;
using Value = std::optional<numeric>;

numeric ToFloat(const numeric& n) { return GiNaC::ex_to<numeric>(ex(n).evalf()); }

// CLN's exp() of an argument x allocates an integer of about |x| bits (floor(x / ln 2)) and
// trigonometric range reduction needs pi to about log10|x| digits: a power tower at a point
// (`t^{2^{89}...}`, extract fuzz target: a 2^51-byte allocation) is refused instead. Values
// beyond e^kMaxLog are "undefined at this point"; nothing a label equals gets there.
constexpr double kMaxLog = 1e6;

bool Small(const numeric& x) { return GiNaC::abs(x).to_double() <= kMaxLog; }

// Numeric functions by GiNaC name: the ones symbolic.cc's converter builds (sqrt is a power),
// and the ones GiNaC's own simplification introduces (abs(exp(z)) = exp(real_part(z))).
Value Function(const std::string& name, const std::vector<numeric>& a) {
  using Fn = numeric (*)(const numeric&);
  struct Unary {
    Fn fn;
    bool needs_small_argument;  // exp-like or periodic: see kMaxLog
  };
  static const std::map<std::string, Unary> kUnary = {
      {"sin", {[](const numeric& x) { return GiNaC::sin(x); }, true}},
      {"cos", {[](const numeric& x) { return GiNaC::cos(x); }, true}},
      {"tan", {[](const numeric& x) { return GiNaC::tan(x); }, true}},
      {"exp", {[](const numeric& x) { return GiNaC::exp(x); }, true}},
      {"sinh", {[](const numeric& x) { return GiNaC::sinh(x); }, true}},
      {"cosh", {[](const numeric& x) { return GiNaC::cosh(x); }, true}},
      {"tanh", {[](const numeric& x) { return GiNaC::tanh(x); }, true}},
      {"abs", {[](const numeric& x) { return GiNaC::abs(x); }, false}},
      {"asin", {[](const numeric& x) { return GiNaC::asin(x); }, false}},
      {"acos", {[](const numeric& x) { return GiNaC::acos(x); }, false}},
      {"atan", {[](const numeric& x) { return GiNaC::atan(x); }, false}},
      {"real_part", {[](const numeric& x) { return x.real(); }, false}},
      {"imag_part", {[](const numeric& x) { return x.imag(); }, false}},
      {"conjugate", {[](const numeric& x) { return GiNaC::ex_to<numeric>(x.conjugate()); }, false}},
      {"csgn", {[](const numeric& x) { return numeric(GiNaC::csgn(x)); }, false}},
  };
  if (a.size() == 1) {
    if (name == "log") return a[0].is_zero() ? Value() : Value(GiNaC::log(a[0]));
    if (name == "factorial") {
      return a[0].is_nonneg_integer() && a[0] <= 5000 ? Value(GiNaC::factorial(a[0])) : Value();
    }
    const auto it = kUnary.find(name);
    if (it == kUnary.end() || (it->second.needs_small_argument && !Small(a[0]))) return {};
    return it->second.fn(a[0]);
  }
  if (name == "atan2" && a.size() == 2 && a[0].is_real() && a[1].is_real()) {
    return GiNaC::atan(a[0], a[1]);
  }
  if (name == "binomial" && a.size() == 2 && a[0].is_integer() && a[1].is_integer() &&
      GiNaC::abs(a[0]) <= 5000) {
    return GiNaC::binomial(a[0], a[1]);
  }
  return std::nullopt;
}

Value Power(const numeric& base, const numeric& exponent) {
  if (base.is_zero()) {
    // GiNaC: pow(0,0) undefined; 0^z with Re z <= 0 a division by zero.
    if (!exponent.real().is_positive()) return std::nullopt;
    return numeric(0);
  }
  // A float base (its precision is Digits, whatever it was); an integer exponent stays exact
  // (repeated squaring: ~log2(n) multiplications), any other one is a float (exp(y log x)).
  // |log result| <= |y| (|log|x|| + pi) must stay within kMaxLog; |x| is taken as a double
  // (a 50-digit log per power made large sums slow), so a base beyond 1e308 is refused too.
  const numeric b = ToFloat(base);
  const double magnitude = GiNaC::abs(b).to_double();
  const double log_size =
      GiNaC::abs(exponent).to_double() * (std::fabs(std::log(magnitude)) + M_PI);
  if (!(log_size <= kMaxLog)) return std::nullopt;
  return b.power(exponent.is_integer() ? exponent : ToFloat(exponent));
}

Value Evaluate(const ex& e, const GiNaC::exmap& at, Budget& budget) {
  if (!budget.Step()) return std::nullopt;
  if (GiNaC::is_a<numeric>(e)) return GiNaC::ex_to<numeric>(e);
  if (GiNaC::is_a<GiNaC::symbol>(e)) {
    const auto it = at.find(e);
    if (it == at.end() || !GiNaC::is_a<numeric>(it->second)) return std::nullopt;
    return GiNaC::ex_to<numeric>(it->second);
  }
  if (GiNaC::is_a<GiNaC::constant>(e)) {
    const ex v = e.evalf();
    return GiNaC::is_a<numeric>(v) ? Value(GiNaC::ex_to<numeric>(v)) : Value();
  }
  std::vector<numeric> ops;
  ops.reserve(e.nops());
  for (size_t i = 0; i < e.nops(); ++i) {
    Value v = Evaluate(e.op(i), at, budget);
    if (!v) return std::nullopt;
    ops.push_back(*std::move(v));
  }
  if (GiNaC::is_a<GiNaC::add>(e)) {
    numeric sum = 0;
    for (const numeric& v : ops) sum = sum.add(v);
    return sum;
  }
  if (GiNaC::is_a<GiNaC::mul>(e)) {
    numeric product = 1;
    for (const numeric& v : ops) product = product.mul(v);
    return product;
  }
  if (GiNaC::is_a<GiNaC::power>(e) && ops.size() == 2) return Power(ops[0], ops[1]);
  if (GiNaC::is_a<GiNaC::function>(e)) {
    return Function(GiNaC::ex_to<GiNaC::function>(e).get_name(), ops);
  }
  return std::nullopt;
}

}  // namespace

GiNaC::exmap FloatPoint(const std::map<std::string, GiNaC::symbol>& symbols, int index) {
  static const int kNumerators[3][4] = {{13, 17, 19, 23}, {29, 31, 37, 41}, {43, 47, 53, 59}};
  const auto& numerators = kNumerators[index % 3];
  GiNaC::exmap at;
  int k = 0;
  for (const auto& [name, sym] : symbols) {
    at[sym] = ToFloat(numeric(numerators[k % 4] + 6 * (k / 4) + 60 * (index / 3), 11));
    ++k;
  }
  return at;
}

std::optional<GiNaC::numeric> ValueAtPoint(const GiNaC::ex& e, const GiNaC::exmap& at,
                                           Budget& budget) {
  try {
    return Evaluate(e, at, budget);
  } catch (const std::bad_alloc&) {
    throw;  // the server's trouble, never "undefined here": the dispatcher masks it
  } catch (const std::exception&) {
    // CLN/GiNaC numeric errors (a float overflow, tan at a float pole): no node was under
    // construction, so nothing leaks; the value is undefined here.
    return std::nullopt;
  }
}

}  // namespace arbiter::math::internal
