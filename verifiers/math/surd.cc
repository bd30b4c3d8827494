#include "verifiers/math/surd.h"

#include <cmath>
#include <cstdint>

#include "absl/strings/str_cat.h"

namespace arbiter::math {
namespace {

bool SameField(const Surd& x, const Surd& y, __int128* m) {
  if (x.IsRational()) {
    *m = y.m;
    return true;
  }
  if (y.IsRational() || x.m == y.m) {
    *m = x.m;
    return true;
  }
  return false;
}

Surd Normalised(Surd s) {
  if (s.b.num == 0) s.m = 0;
  return s;
}

// Trial division up to √(10^8) = 10^4 keeps the worst case near 100 µs.
constexpr __int128 kMaxRadicand = 100000000;

}  // namespace

double Surd::ToDouble() const {
  if (b.num != 0 && m < 0) return NAN;
  return a.ToDouble() + (b.num == 0 ? 0.0 : b.ToDouble() * std::sqrt(static_cast<double>(m)));
}

std::optional<Surd> Add(const Surd& x, const Surd& y) {
  __int128 m = 0;
  if (!SameField(x, y, &m)) return std::nullopt;
  std::optional<Rational> a = Add(x.a, y.a);
  std::optional<Rational> b = Add(x.b, y.b);
  if (!a || !b) return std::nullopt;
  return Normalised(Surd{*a, *b, m});
}

std::optional<Surd> Mul(const Surd& x, const Surd& y) {
  __int128 m = 0;
  if (!SameField(x, y, &m)) return std::nullopt;
  // (a1 + b1√m)(a2 + b2√m) = a1a2 + b1b2·m + (a1b2 + a2b1)√m
  std::optional<Rational> aa = Mul(x.a, y.a);
  std::optional<Rational> bb = Mul(x.b, y.b);
  std::optional<Rational> ab = Mul(x.a, y.b);
  std::optional<Rational> ba = Mul(x.b, y.a);
  if (!aa || !bb || !ab || !ba) return std::nullopt;
  std::optional<Rational> bbm = m == 0 ? Rational{0, 1} : Mul(*bb, Rational{m, 1});
  if (!bbm) return std::nullopt;
  std::optional<Rational> a = Add(*aa, *bbm);
  std::optional<Rational> b = Add(*ab, *ba);
  if (!a || !b) return std::nullopt;
  return Normalised(Surd{*a, *b, m});
}

Surd Negate(const Surd& x) { return Surd{Negate(x.a), Negate(x.b), x.m}; }

std::optional<Surd> Inverse(const Surd& x) {
  if (x.IsRational()) {
    std::optional<Rational> r = Inverse(x.a);
    if (!r) return std::nullopt;
    return Surd::Of(*r);
  }
  // 1/(a + b√m) = (a - b√m) / (a² - b²m)
  std::optional<Rational> a2 = Mul(x.a, x.a);
  std::optional<Rational> b2 = Mul(x.b, x.b);
  if (!a2 || !b2) return std::nullopt;
  std::optional<Rational> b2m = Mul(*b2, Rational{x.m, 1});
  if (!b2m) return std::nullopt;
  std::optional<Rational> norm = Add(*a2, Negate(*b2m));
  if (!norm || norm->num == 0) return std::nullopt;
  std::optional<Rational> inv = Inverse(*norm);
  if (!inv) return std::nullopt;
  std::optional<Rational> a = Mul(x.a, *inv);
  std::optional<Rational> b = Mul(Negate(x.b), *inv);
  if (!a || !b) return std::nullopt;
  return Normalised(Surd{*a, *b, x.m});
}

std::optional<Surd> PowInt(const Surd& x, __int128 n) {
  if (x.IsRational()) {
    std::optional<Rational> r = PowInt(x.a, n);
    if (!r) return std::nullopt;
    return Surd::Of(*r);
  }
  if (n > 64 || n < -64) return std::nullopt;
  std::optional<Surd> base = n < 0 ? Inverse(x) : std::optional<Surd>(x);
  if (!base) return std::nullopt;
  Surd result = Surd::Of(Rational{1, 1});
  for (__int128 i = 0; i < (n < 0 ? -n : n); ++i) {
    std::optional<Surd> next = Mul(result, *base);
    if (!next) return std::nullopt;
    result = *next;
  }
  return result;
}

std::optional<Surd> SqrtOf(const Rational& r) {
  if (r.num < 0) return std::nullopt;
  if (r.num == 0) return Surd::Of(r);
  // √(n/d) = √(n·d)/d; n·d = k²·m with m squarefree.
  __int128 nd = 0;
  if (__builtin_mul_overflow(r.num, r.den, &nd) || nd > kMaxRadicand) return std::nullopt;
  uint64_t k = 1;
  auto m = static_cast<uint64_t>(nd);
  for (uint64_t p = 2; p * p <= m; ++p) {
    while (m % (p * p) == 0) {
      m /= p * p;
      k *= p;
    }
  }
  const Rational coefficient =
      *Mul(Rational{static_cast<__int128>(k), 1}, *Inverse(Rational{r.den, 1}));
  if (m == 1) return Surd::Of(coefficient);
  return Surd{Rational{0, 1}, coefficient, static_cast<__int128>(m)};
}

std::string ToString(const Surd& s) {
  if (s.IsRational()) return ToString(s.a);
  return absl::StrCat(ToString(s.a), " + ", ToString(s.b), "*sqrt(", ToString(Rational{s.m, 1}),
                      ")");
}

}  // namespace arbiter::math
