#include "verifiers/math/internal/ginac_at_point.h"

#include <map>
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

// Numeric functions by GiNaC name: the ones symbolic.cc's converter builds (sqrt is a power),
// and the ones GiNaC's own simplification introduces (abs(exp(z)) = exp(real_part(z))).
Value Function(const std::string& name, const std::vector<numeric>& a) {
  using Fn = numeric (*)(const numeric&);
  static const std::map<std::string, Fn> kUnary = {
      {"sin", [](const numeric& x) { return GiNaC::sin(x); }},
      {"cos", [](const numeric& x) { return GiNaC::cos(x); }},
      {"tan", [](const numeric& x) { return GiNaC::tan(x); }},
      {"exp", [](const numeric& x) { return GiNaC::exp(x); }},
      {"abs", [](const numeric& x) { return GiNaC::abs(x); }},
      {"asin", [](const numeric& x) { return GiNaC::asin(x); }},
      {"acos", [](const numeric& x) { return GiNaC::acos(x); }},
      {"atan", [](const numeric& x) { return GiNaC::atan(x); }},
      {"sinh", [](const numeric& x) { return GiNaC::sinh(x); }},
      {"cosh", [](const numeric& x) { return GiNaC::cosh(x); }},
      {"tanh", [](const numeric& x) { return GiNaC::tanh(x); }},
      {"real_part", [](const numeric& x) { return x.real(); }},
      {"imag_part", [](const numeric& x) { return x.imag(); }},
      {"conjugate", [](const numeric& x) { return GiNaC::ex_to<numeric>(x.conjugate()); }},
      {"csgn", [](const numeric& x) { return numeric(GiNaC::csgn(x)); }},
  };
  if (a.size() == 1) {
    if (name == "log") return a[0].is_zero() ? Value() : Value(GiNaC::log(a[0]));
    if (name == "factorial") {
      return a[0].is_nonneg_integer() ? Value(GiNaC::factorial(a[0])) : Value();
    }
    const auto it = kUnary.find(name);
    if (it != kUnary.end()) return it->second(a[0]);
  }
  if (name == "atan2" && a.size() == 2 && a[0].is_real() && a[1].is_real()) {
    return GiNaC::atan(a[0], a[1]);
  }
  if (name == "binomial" && a.size() == 2 && a[0].is_integer() && a[1].is_integer()) {
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
  const numeric b = ToFloat(base);
  return b.power(exponent.is_integer() ? exponent : ToFloat(exponent));
}

Value Evaluate(const ex& e, const GiNaC::exmap& at) {
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
    Value v = Evaluate(e.op(i), at);
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

std::optional<GiNaC::numeric> ValueAtPoint(const GiNaC::ex& e, const GiNaC::exmap& at) {
  try {
    return Evaluate(e, at);
  } catch (const std::exception&) {
    // CLN/GiNaC numeric errors (a float overflow, tan at a float pole): no node was under
    // construction, so nothing leaks; the value is undefined here.
    return std::nullopt;
  }
}

}  // namespace arbiter::math::internal
