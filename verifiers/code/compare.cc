#include "verifiers/code/compare.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "verifiers/code/grader_compare.h"
#include "verifiers/sdk/utf8.h"

namespace arbiter::code {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::vector<absl::string_view> Tokens(absl::string_view text) {
  std::vector<absl::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    const size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

// Lines as token lists, trailing blank lines dropped.
std::vector<std::vector<absl::string_view>> Lines(absl::string_view text) {
  std::vector<std::vector<absl::string_view>> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) lines.push_back(Tokens(line));
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

bool NumbersClose(double got, double expected, double tolerance) {
  if (!std::isfinite(got) || !std::isfinite(expected)) return false;
  const double diff = std::fabs(got - expected);
  return diff <= tolerance || diff <= tolerance * std::fabs(expected);
}

bool FloatTokensMatch(absl::string_view got, absl::string_view expected, double tolerance) {
  const std::vector<absl::string_view> a = Tokens(got);
  const std::vector<absl::string_view> b = Tokens(expected);
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    double x = 0;
    double y = 0;
    if (absl::SimpleAtod(a[i], &x) && absl::SimpleAtod(b[i], &y) && std::isfinite(x) &&
        std::isfinite(y)) {
      if (!NumbersClose(x, y, tolerance)) return false;
    } else if (a[i] != b[i]) {
      return false;
    }
  }
  return true;
}

// An integer and a double compare exactly, as Python compares int and float.
bool IntEqualsDouble(const nlohmann::json& i, double d) {
  if (d != std::floor(d)) return false;
  if (i.is_number_unsigned()) {
    return d >= 0 && d < 0x1p64 && static_cast<uint64_t>(d) == i.get<uint64_t>();
  }
  return d >= -0x1p63 && d < 0x1p63 && static_cast<int64_t>(d) == i.get<int64_t>();
}

bool NumbersEqual(const nlohmann::json& a, const nlohmann::json& b, double tolerance) {
  if (a.is_number_float() || b.is_number_float()) {
    const double x = a.get<double>();
    const double y = b.get<double>();
    if (std::isnan(x) || std::isnan(y)) return false;
    if (tolerance > 0) return NumbersClose(x, y, tolerance);
    if (a.is_number_float() && b.is_number_float()) return x == y;
    return a.is_number_float() ? IntEqualsDouble(b, x) : IntEqualsDouble(a, y);
  }
  // Both integers: compare exactly, across signedness.
  if (a.is_number_unsigned() && b.is_number_unsigned()) {
    return a.get<uint64_t>() == b.get<uint64_t>();
  }
  if (a.is_number_unsigned() || b.is_number_unsigned()) {
    const nlohmann::json& u = a.is_number_unsigned() ? a : b;
    const nlohmann::json& s = a.is_number_unsigned() ? b : a;
    return s.get<int64_t>() >= 0 && static_cast<uint64_t>(s.get<int64_t>()) == u.get<uint64_t>();
  }
  return a.get<int64_t>() == b.get<int64_t>();
}

// Python's view of a boolean next to a number: the integer 0 or 1.
nlohmann::json AsNumber(const nlohmann::json& value) {
  return value.is_boolean() ? nlohmann::json(value.get<bool>() ? 1 : 0) : value;
}

}  // namespace

bool OutputMatches(absl::string_view got, absl::string_view expected, v1::CodeTest::Compare mode,
                   double tolerance) {
  switch (mode) {
    case v1::CodeTest::COMPARE_EXACT:
      return got == expected;
    case v1::CodeTest::COMPARE_FLOAT:
      return FloatTokensMatch(got, expected, tolerance > 0 ? tolerance : kDefaultFloatTolerance);
    case v1::CodeTest::COMPARE_LIVECODEBENCH:
      return LiveCodeBenchOutputMatches(got, expected);
    case v1::CodeTest::COMPARE_APPS:
      return AppsOutputMatches(got, expected);
    case v1::CodeTest::COMPARE_CODECONTESTS:
      return CodeContestsOutputMatches(got, expected);
    case v1::CodeTest::COMPARE_SANDBOXFUSION:
      return SandboxFusionOutputMatches(got, expected);
    case v1::CodeTest::COMPARE_OPEN_R1:
      return OpenR1OutputMatches(got, expected);
    default:
      return Lines(got) == Lines(expected);
  }
}

bool JsonEqual(const nlohmann::json& got, const nlohmann::json& expected, double tolerance,
               bool strict_types) {
  if (!strict_types && (got.is_boolean() || expected.is_boolean()) &&
      (got.is_number() || expected.is_number())) {
    return NumbersEqual(AsNumber(got), AsNumber(expected), tolerance);
  }
  if (got.is_number() && expected.is_number()) {
    if (strict_types && got.is_number_float() != expected.is_number_float()) return false;
    return NumbersEqual(got, expected, tolerance);
  }
  if (got.type() != expected.type()) return false;
  switch (got.type()) {
    case nlohmann::json::value_t::array: {
      if (got.size() != expected.size()) return false;
      for (size_t i = 0; i < got.size(); ++i) {
        if (!JsonEqual(got[i], expected[i], tolerance, strict_types)) return false;
      }
      return true;
    }
    case nlohmann::json::value_t::object: {
      if (got.size() != expected.size()) return false;
      for (auto it = got.begin(); it != got.end(); ++it) {
        auto other = expected.find(it.key());
        if (other == expected.end() || !JsonEqual(it.value(), *other, tolerance, strict_types)) {
          return false;
        }
      }
      return true;
    }
    default:
      return got == expected;  // null, boolean, string (binary never comes from parsing)
  }
}

std::string Snippet(absl::string_view text, size_t max_chars) {
  // Program output is arbitrary bytes; the snippet lands in a proto string, which must be UTF-8
  // (one ill-formed field makes clients reject the whole response), so it is repaired first and
  // cut only between characters.
  std::string repaired;
  if (!sdk::IsValidUtf8(text)) {
    repaired = sdk::ToValidUtf8(text);
    text = repaired;
  }
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (out.size() >= max_chars) {
      out += "...";
      break;
    }
    const char c = text[i];
    if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += '?';  // keep control bytes (terminal escapes) out of messages
    } else {
      const size_t n = std::max<size_t>(1, sdk::Utf8SequenceAt(text, i));
      out.append(text.data() + i, n);
      i += n;
      continue;
    }
    ++i;
  }
  return out;
}

}  // namespace arbiter::code
