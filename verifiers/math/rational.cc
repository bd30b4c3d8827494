#include "verifiers/math/rational.h"

#include <cmath>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace arbiter::math {
namespace {

__int128 Abs(__int128 v) { return v < 0 ? -v : v; }

__int128 Gcd(__int128 a, __int128 b) {
  a = Abs(a);
  b = Abs(b);
  while (b != 0) {
    const __int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

std::optional<Rational> Make(__int128 num, __int128 den) {
  if (den == 0) return std::nullopt;
  if (den < 0) {
    num = -num;
    den = -den;
  }
  const __int128 g = Gcd(num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  return Rational{num, den};
}

constexpr __int128 kLimit = (static_cast<__int128>(1) << 120);

bool Fits(__int128 v) { return v < kLimit && v > -kLimit; }

}  // namespace

std::optional<Rational> ParseDecimal(absl::string_view text) {
  __int128 num = 0;
  __int128 den = 1;
  bool after_point = false;
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && text[i] == '-') negative = true, ++i;
  bool any = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (after_point) return std::nullopt;
      after_point = true;
      continue;
    }
    if (c == 'e' || c == 'E') break;
    if (c < '0' || c > '9') return std::nullopt;
    any = true;
    if (__builtin_mul_overflow(num, 10, &num) || __builtin_add_overflow(num, c - '0', &num)) {
      return std::nullopt;
    }
    if (after_point && __builtin_mul_overflow(den, 10, &den)) return std::nullopt;
    if (!Fits(num) || !Fits(den)) return std::nullopt;
  }
  if (!any) return std::nullopt;
  std::optional<Rational> r = Make(negative ? -num : num, den);
  if (i < text.size()) {  // exponent
    const long exponent = std::strtol(std::string(text.substr(i + 1)).c_str(), nullptr, 10);
    if (exponent > 40 || exponent < -40) return std::nullopt;
    std::optional<Rational> scale = PowInt(Rational{10, 1}, exponent);
    if (!scale || !r) return std::nullopt;
    r = Mul(*r, *scale);
  }
  return r;
}

std::optional<Rational> Add(const Rational& a, const Rational& b) {
  __int128 x, y, num, den;
  if (__builtin_mul_overflow(a.num, b.den, &x) || __builtin_mul_overflow(b.num, a.den, &y) ||
      __builtin_add_overflow(x, y, &num) || __builtin_mul_overflow(a.den, b.den, &den)) {
    return std::nullopt;
  }
  if (!Fits(num) || !Fits(den)) return std::nullopt;
  return Make(num, den);
}

std::optional<Rational> Mul(const Rational& a, const Rational& b) {
  const __int128 g1 = Gcd(a.num, b.den);
  const __int128 g2 = Gcd(b.num, a.den);
  const __int128 an = g1 > 1 ? a.num / g1 : a.num;
  const __int128 bd = g1 > 1 ? b.den / g1 : b.den;
  const __int128 bn = g2 > 1 ? b.num / g2 : b.num;
  const __int128 ad = g2 > 1 ? a.den / g2 : a.den;
  __int128 num, den;
  if (__builtin_mul_overflow(an, bn, &num) || __builtin_mul_overflow(ad, bd, &den)) {
    return std::nullopt;
  }
  if (!Fits(num) || !Fits(den)) return std::nullopt;
  return Make(num, den);
}

Rational Negate(const Rational& a) { return Rational{-a.num, a.den}; }

std::optional<Rational> Inverse(const Rational& a) { return Make(a.den, a.num); }

std::optional<Rational> PowInt(const Rational& a, __int128 n) {
  if (n > 256 || n < -256) {
    if (a.num == 1 && a.den == 1) return a;
    if (a.num == 0 && n > 0) return a;
    return std::nullopt;
  }
  std::optional<Rational> base = a;
  if (n < 0) {
    base = Inverse(a);
    n = -n;
  }
  if (!base) return std::nullopt;
  Rational result{1, 1};
  for (__int128 i = 0; i < n; ++i) {
    std::optional<Rational> next = Mul(result, *base);
    if (!next) return std::nullopt;
    result = *next;
  }
  return result;
}

namespace {
std::optional<__int128> IntRoot(__int128 v, int k) {
  if (v < 0) {
    if (k % 2 == 0) return std::nullopt;
    std::optional<__int128> r = IntRoot(-v, k);
    if (!r) return std::nullopt;
    return -*r;
  }
  const double guess = std::pow(static_cast<double>(v), 1.0 / k);
  for (__int128 c = static_cast<__int128>(guess) - 1; c <= static_cast<__int128>(guess) + 1; ++c) {
    if (c < 0) continue;
    __int128 p = 1;
    bool overflow = false;
    for (int i = 0; i < k && !overflow; ++i) overflow = __builtin_mul_overflow(p, c, &p);
    if (!overflow && p == v) return c;
  }
  return std::nullopt;
}
}  // namespace

std::optional<Rational> RootExact(const Rational& a, int k) {
  if (k < 1 || k > 64) return std::nullopt;
  std::optional<__int128> n = IntRoot(a.num, k);
  std::optional<__int128> d = IntRoot(a.den, k);
  if (!n || !d) return std::nullopt;
  return Make(*n, *d);
}

bool EqualRounded(double a, double b, int digits) {
  const double scale = std::pow(10.0, digits);
  const double ra = std::round(a * scale);
  const double rb = std::round(b * scale);
  if (!std::isfinite(ra) || !std::isfinite(rb)) return a == b;
  return ra == rb;
}

std::string ToString(const Rational& r) {
  auto str = [](__int128 v) {
    const bool negative = v < 0;
    unsigned __int128 u = negative ? -static_cast<unsigned __int128>(v) : v;
    std::string digits;
    do {
      digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
      u /= 10;
    } while (u != 0);
    return negative ? "-" + digits : digits;
  };
  if (r.den == 1) return str(r.num);
  return absl::StrCat(str(r.num), "/", str(r.den));
}

}  // namespace arbiter::math
