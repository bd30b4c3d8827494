// Python's string and number primitives, reimplemented over UTF-8 bytes, for the comparison
// modes that reproduce Python graders (grader_compare.h): what `str.strip()`, `str.split()`,
// `str.splitlines()`, `float()` and `decimal.Decimal()` do to a program's output.
//
// Whitespace is Python's `str.isspace()` set: ASCII \t \n \v \f \r, space, \x1c-\x1f, and the
// Unicode spaces U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
// Line breaks are `str.splitlines()`'s: \n, \r, \r\n, \v, \f, \x1c-\x1e, U+0085, U+2028, U+2029.
// Numbers: ASCII digits only (Python also accepts other Unicode decimal digits; no dataset
// output uses them).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace arbiter::code::py {

// Length of the whitespace character at text[pos], or 0.
size_t SpaceAt(absl::string_view text, size_t pos);

// str.strip() with no argument.
absl::string_view Strip(absl::string_view text);

// str.split() with no argument: runs of whitespace separate, no empty tokens.
std::vector<absl::string_view> SplitWhitespace(absl::string_view text);

// str.split("\n"): always at least one element.
std::vector<absl::string_view> SplitNewline(absl::string_view text);

// str.splitlines() without keepends: no trailing empty element for a final line break.
std::vector<absl::string_view> SplitLines(absl::string_view text);

// float(text): surrounding whitespace allowed; sign; digits with single underscores between
// them; optional fraction and exponent; "inf", "infinity", "nan" in any case. Overflow gives ±inf
// as Python does. std::nullopt where Python raises ValueError.
std::optional<double> ParseFloat(absl::string_view text);

// A decimal.Decimal built from a string, kept exactly (no context rounding, as the constructor
// does): equality is numeric (Decimal("1.10") == Decimal("1.1"), -0 == 0).
struct Decimal {
  enum class Kind { kFinite, kInfinity, kNaN };
  Kind kind = Kind::kFinite;
  bool negative = false;
  std::string digits;    // significant digits, no leading or trailing zeros; empty = zero
  int64_t exponent = 0;  // value = digits × 10^exponent
};

// Decimal(text) grammar (surrounding whitespace allowed, underscores between digits); "inf",
// "infinity", "nan", "snan" with optional NaN payload digits, any case. std::nullopt where Python
// raises InvalidOperation, and for exponents beyond ±10^15 (then callers compare text).
std::optional<Decimal> ParseDecimal(absl::string_view text);

// Decimal.__eq__: NaNs never equal; infinities by sign; finite values numerically.
bool DecimalEqual(const Decimal& a, const Decimal& b);

// round(x, 3) as Python computes it (correctly rounded from the exact binary value, ties to
// even), with -0.0 folded into 0.0 (they are equal members of a Python set).
double Round3(double x);

}  // namespace arbiter::code::py
