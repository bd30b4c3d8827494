#include "verifiers/code/python_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace arbiter::code::py {
namespace {

unsigned char At(absl::string_view text, size_t pos) {
  return pos < text.size() ? static_cast<unsigned char>(text[pos]) : 0;
}

// Length of the line break at text[pos] (\r\n counts as one), or 0.
size_t LineBreakAt(absl::string_view text, size_t pos) {
  const unsigned char c = At(text, pos);
  if (c == '\r') return At(text, pos + 1) == '\n' ? 2 : 1;
  if (c == '\n' || c == '\v' || c == '\f' || (c >= 0x1c && c <= 0x1e)) return 1;
  if (c == 0xc2 && At(text, pos + 1) == 0x85) return 2;
  if (c == 0xe2 && At(text, pos + 1) == 0x80 &&
      (At(text, pos + 2) == 0xa8 || At(text, pos + 2) == 0xa9))
    return 3;
  return 0;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Consumes digit ("_"? digit)* at text[pos]; appends the digits to `out`. False when there is
// no digit or an underscore is not between two digits.
bool DigitPart(absl::string_view text, size_t& pos, std::string& out) {
  if (pos >= text.size() || !IsDigit(text[pos])) return false;
  while (pos < text.size()) {
    if (IsDigit(text[pos])) {
      out.push_back(text[pos++]);
    } else if (text[pos] == '_' && pos + 1 < text.size() && IsDigit(text[pos + 1])) {
      ++pos;
    } else {
      break;
    }
  }
  return true;
}

struct Number {
  bool negative = false;
  std::string integer;
  std::string fraction;
  bool has_exponent = false;
  bool exponent_negative = false;
  std::string exponent;
};

// The shared float()/Decimal() grammar for finite numbers; `text` already stripped.
std::optional<Number> ParseNumber(absl::string_view text) {
  Number n;
  size_t pos = 0;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) n.negative = text[pos++] == '-';
  const bool has_integer = DigitPart(text, pos, n.integer);
  bool has_fraction = false;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    has_fraction = DigitPart(text, pos, n.fraction);
  }
  if (!has_integer && !has_fraction) return std::nullopt;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    n.has_exponent = true;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      n.exponent_negative = text[pos++] == '-';
    }
    if (!DigitPart(text, pos, n.exponent)) return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  return n;
}

// Sign and the rest of a special value (inf, nan, ...) in lower case.
std::pair<bool, std::string> SignedWord(absl::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  return {negative, absl::AsciiStrToLower(text)};
}

}  // namespace

size_t SpaceAt(absl::string_view text, size_t pos) {
  const unsigned char c = At(text, pos);
  if (c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f)) return 1;
  const unsigned char c1 = At(text, pos + 1);
  const unsigned char c2 = At(text, pos + 2);
  if (c == 0xc2 && (c1 == 0x85 || c1 == 0xa0)) return 2;
  if (c == 0xe1 && c1 == 0x9a && c2 == 0x80) return 3;  // U+1680
  if (c == 0xe2 && c1 == 0x80 &&
      ((c2 >= 0x80 && c2 <= 0x8a) || c2 == 0xa8 || c2 == 0xa9 || c2 == 0xaf))
    return 3;                                           // U+2000-200A, U+2028, U+2029, U+202F
  if (c == 0xe2 && c1 == 0x81 && c2 == 0x9f) return 3;  // U+205F
  if (c == 0xe3 && c1 == 0x80 && c2 == 0x80) return 3;  // U+3000
  return 0;
}

absl::string_view Strip(absl::string_view text) {
  size_t begin = 0;
  while (size_t n = SpaceAt(text, begin)) begin += n;
  // Scan forward for the end of the last non-space character: multi-byte spaces cannot be
  // recognised reliably from their last byte.
  size_t end = begin;
  for (size_t pos = begin; pos < text.size();) {
    if (size_t n = SpaceAt(text, pos)) {
      pos += n;
    } else {
      end = ++pos;
    }
  }
  return text.substr(begin, end - begin);
}

std::vector<absl::string_view> SplitWhitespace(absl::string_view text) {
  std::vector<absl::string_view> out;
  size_t pos = 0;
  while (pos < text.size()) {
    while (size_t n = SpaceAt(text, pos)) pos += n;
    const size_t start = pos;
    while (pos < text.size() && SpaceAt(text, pos) == 0) ++pos;
    if (pos > start) out.push_back(text.substr(start, pos - start));
  }
  return out;
}

std::vector<absl::string_view> SplitNewline(absl::string_view text) {
  return absl::StrSplit(text, '\n');
}

std::vector<absl::string_view> SplitLines(absl::string_view text) {
  std::vector<absl::string_view> out;
  size_t start = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    if (size_t n = LineBreakAt(text, pos)) {
      out.push_back(text.substr(start, pos - start));
      pos += n;
      start = pos;
    } else {
      ++pos;
    }
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

std::optional<double> ParseFloat(absl::string_view text) {
  text = Strip(text);
  const auto [negative, word] = SignedWord(text);
  if (word == "inf" || word == "infinity") return negative ? -HUGE_VAL : HUGE_VAL;
  if (word == "nan") return std::nan("");
  const std::optional<Number> n = ParseNumber(text);
  if (!n.has_value()) return std::nullopt;
  std::string clean = n->negative ? "-" : "";
  clean += n->integer.empty() ? "0" : n->integer;
  if (!n->fraction.empty()) clean += "." + n->fraction;
  if (n->has_exponent) clean += (n->exponent_negative ? "e-" : "e") + n->exponent;
  return std::strtod(clean.c_str(), nullptr);  // overflow: ±HUGE_VAL, as Python's float()
}

std::optional<Decimal> ParseDecimal(absl::string_view text) {
  text = Strip(text);
  Decimal d;
  const auto [negative, word] = SignedWord(text);
  d.negative = negative;
  if (word == "inf" || word == "infinity") {
    d.kind = Decimal::Kind::kInfinity;
    return d;
  }
  for (absl::string_view nan : {"nan", "snan"}) {
    if (absl::StartsWith(word, nan) &&
        std::all_of(word.begin() + nan.size(), word.end(), IsDigit)) {
      d.kind = Decimal::Kind::kNaN;
      return d;
    }
  }
  const std::optional<Number> n = ParseNumber(text);
  if (!n.has_value()) return std::nullopt;
  const size_t exponent_start = n->exponent.find_first_not_of('0');
  const std::string exponent =
      exponent_start == std::string::npos ? "0" : n->exponent.substr(exponent_start);
  if (exponent.size() > 15) return std::nullopt;
  d.exponent = std::strtoll(exponent.c_str(), nullptr, 10) * (n->exponent_negative ? -1 : 1);
  d.exponent -= static_cast<int64_t>(n->fraction.size());
  std::string digits = n->integer + n->fraction;
  const size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return d;  // zero
  const size_t last = digits.find_last_not_of('0');
  d.exponent += static_cast<int64_t>(digits.size() - 1 - last);
  d.digits = digits.substr(first, last - first + 1);
  return d;
}

bool DecimalEqual(const Decimal& a, const Decimal& b) {
  if (a.kind == Decimal::Kind::kNaN || b.kind == Decimal::Kind::kNaN) return false;
  if (a.kind != b.kind) return false;
  if (a.kind == Decimal::Kind::kInfinity) return a.negative == b.negative;
  if (a.digits.empty() || b.digits.empty()) return a.digits.empty() && b.digits.empty();
  return a.negative == b.negative && a.digits == b.digits && a.exponent == b.exponent;
}

double Round3(double x) {
  if (!std::isfinite(x)) return x;
  char buffer[400];  // the largest double has 309 integer digits
  std::snprintf(buffer, sizeof(buffer), "%.3f", x);
  const double rounded = std::strtod(buffer, nullptr);
  return rounded == 0 ? 0.0 : rounded;
}

}  // namespace arbiter::code::py
