// Exact values a + b·√m (a, b rational; m > 1 squarefree, m = -1 for i, or b = 0): the lock-free
// exact arithmetic of the math verifier, wide enough for the radicals of competition answers
// (`3\sqrt{3}` = `\sqrt{27}`, `\frac{\sqrt{2}}{2}` = `\frac{1}{\sqrt{2}}`, `\frac{1+\sqrt5}{2}`).
//
// The representation is canonical, so equality is field equality. Operations that would leave
// the field (two different radicands in one sum, a root of an irrational) or overflow 128 bits
// return nullopt; the caller then takes the symbolic path. Plain value type.
#pragma once

#include <optional>
#include <string>

#include "verifiers/math/rational.h"

namespace arbiter::math {

struct Surd {
  Rational a;
  Rational b;      // zero when the value is rational
  __int128 m = 0;  // squarefree radicand > 1 when b != 0

  static Surd Of(const Rational& r) { return Surd{r, Rational{0, 1}, 0}; }
  bool IsRational() const { return b.num == 0; }
  bool operator==(const Surd& o) const { return a == o.a && b == o.b && (b.num == 0 || m == o.m); }
  // NaN for non-real values (m = -1, b != 0).
  double ToDouble() const;
};

std::optional<Surd> Add(const Surd& x, const Surd& y);
std::optional<Surd> Mul(const Surd& x, const Surd& y);
Surd Negate(const Surd& x);
std::optional<Surd> Inverse(const Surd& x);
std::optional<Surd> PowInt(const Surd& x, __int128 n);
// √r of a rational r >= 0 as k·√m; nullopt when r < 0 or its radicand is too large to factor
// cheaply (> 10^12).
std::optional<Surd> SqrtOf(const Rational& r);

std::string ToString(const Surd& s);

}  // namespace arbiter::math
