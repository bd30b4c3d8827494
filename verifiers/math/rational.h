// Exact rationals on 128-bit integers for the lock-free fast path.
//
// Most answers (integers, fractions, decimals, percentages, small powers) evaluate exactly in
// 128 bits; every operation reports overflow instead of wrapping, and the caller then falls back
// to the symbolic path (GiNaC, arbitrary precision). Values are always reduced with a positive
// denominator. Plain value type, thread-compatible.
#pragma once

#include <optional>
#include <string>

#include "absl/numeric/int128.h"
#include "absl/strings/string_view.h"

namespace arbiter::math {

struct Rational {
  __int128 num = 0;
  __int128 den = 1;

  bool operator==(const Rational& o) const { return num == o.num && den == o.den; }
  double ToDouble() const { return static_cast<double>(num) / static_cast<double>(den); }
  bool IsInteger() const { return den == 1; }
};

// Parses "12", "0.75", "4.5e33", "1e-3"; nullopt on overflow or bad text.
std::optional<Rational> ParseDecimal(absl::string_view text);

std::optional<Rational> Add(const Rational& a, const Rational& b);
std::optional<Rational> Mul(const Rational& a, const Rational& b);
Rational Negate(const Rational& a);
// nullopt for 1/0 or overflow.
std::optional<Rational> Inverse(const Rational& a);
// a^n for an integer n with |n| <= 256; nullopt on overflow or 0^-n.
std::optional<Rational> PowInt(const Rational& a, __int128 n);
// The exact rational square root (or k-th root) when there is one.
std::optional<Rational> RootExact(const Rational& a, int k);

// Rounds to `digits` decimals (half away from zero) and compares: Math-Verify's float rule.
bool EqualRounded(double a, double b, int digits);

std::string ToString(const Rational& r);

}  // namespace arbiter::math
