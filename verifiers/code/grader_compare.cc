#include "verifiers/code/grader_compare.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "verifiers/code/python_text.h"

namespace arbiter::code {
namespace {

using Lines = std::vector<absl::string_view>;

// ---- LiveCodeBench ----

Lines LcbStrippedLines(absl::string_view text) {
  Lines lines = py::SplitNewline(py::Strip(text));
  for (absl::string_view& line : lines) line = py::Strip(line);
  return lines;
}

// convert_line_to_decimals on both lines, then list equality.
bool LcbDecimalLinesEqual(absl::string_view got, absl::string_view expected) {
  const Lines a = py::SplitWhitespace(got);
  const Lines b = py::SplitWhitespace(expected);
  std::vector<py::Decimal> x;
  std::vector<py::Decimal> y;
  for (absl::string_view token : a) {
    std::optional<py::Decimal> d = py::ParseDecimal(token);
    if (!d.has_value()) return false;
    x.push_back(*std::move(d));
  }
  for (absl::string_view token : b) {
    std::optional<py::Decimal> d = py::ParseDecimal(token);
    if (!d.has_value()) return false;
    y.push_back(*std::move(d));
  }
  if (x.size() != y.size()) return false;
  for (size_t i = 0; i < x.size(); ++i) {
    if (!py::DecimalEqual(x[i], y[i])) return false;
  }
  return true;
}

// ---- APPS ----

// Every element parsed with float(), or nullopt when one is not a float.
std::optional<std::vector<double>> Floats(const Lines& items) {
  std::vector<double> out;
  for (absl::string_view item : items) {
    std::optional<double> value = py::ParseFloat(item);
    if (!value.has_value()) return std::nullopt;
    out.push_back(*value);
  }
  return out;
}

// numpy.allclose(got, expected) with its defaults (rtol 1e-5, atol 1e-8, NaN never close).
bool AllClose(const std::vector<double>& got, const std::vector<double>& expected) {
  if (got.size() != expected.size()) return false;
  for (size_t i = 0; i < got.size(); ++i) {
    const double a = got[i];
    const double b = expected[i];
    if (std::isinf(a) || std::isinf(b)) {
      if (a != b) return false;
      continue;
    }
    if (!(std::fabs(a - b) <= 1e-8 + 1e-5 * std::fabs(b))) return false;
  }
  return true;
}

// A Python set of frozensets, as sorted unique vectors.
template <typename T>
std::vector<std::vector<T>> SetOfSets(std::vector<std::vector<T>> sets) {
  for (std::vector<T>& set : sets) {
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
  }
  std::sort(sets.begin(), sets.end());
  sets.erase(std::unique(sets.begin(), sets.end()), sets.end());
  return sets;
}

// Each token rounded to 3 decimals, or nullopt when a token is not a float or is NaN (a NaN
// member never equals the other side's, different, NaN object).
std::optional<std::vector<std::vector<double>>> RoundedSets(const std::vector<Lines>& sets) {
  std::vector<std::vector<double>> out;
  for (const Lines& set : sets) {
    std::optional<std::vector<double>> values = Floats(set);
    if (!values.has_value()) return std::nullopt;
    for (double& value : *values) {
      if (std::isnan(value)) return std::nullopt;
      value = py::Round3(value);
    }
    out.push_back(*std::move(values));
  }
  return SetOfSets(std::move(out));
}

bool AppsTokenSetsMatch(const Lines& output, const Lines& expected_lines) {
  std::vector<Lines> got_sets;
  for (absl::string_view line : output) {
    Lines tokens = py::SplitWhitespace(line);
    if (!tokens.empty()) got_sets.push_back(std::move(tokens));  // filter(len, ...)
  }
  std::vector<Lines> want_sets;
  for (absl::string_view line : expected_lines) want_sets.push_back(py::SplitWhitespace(line));
  if (SetOfSets(got_sets) == SetOfSets(want_sets)) return true;
  const auto got_rounded = RoundedSets(got_sets);
  const auto want_rounded = RoundedSets(want_sets);
  return got_rounded.has_value() && want_rounded.has_value() && *got_rounded == *want_rounded;
}

// ---- CodeContests ----

std::vector<std::string> SplitAndLowercase(absl::string_view text) {
  std::vector<std::string> parts =
      absl::StrSplit(text, absl::ByAnyChar(" \n\t\r\v"), absl::SkipEmpty());
  for (std::string& part : parts) absl::AsciiStrToLower(&part);
  return parts;
}

bool ValuesMatch(absl::string_view a, absl::string_view b) {
  int ai = 0;
  int bi = 0;
  double ad = 0;
  double bd = 0;
  const bool a_int = absl::SimpleAtoi(a, &ai);
  const bool b_int = absl::SimpleAtoi(b, &bi);
  const bool a_double = absl::SimpleAtod(a, &ad);
  const bool b_double = absl::SimpleAtod(b, &bd);
  if ((!a_int && !a_double) || (!b_int && !b_double)) return a == b;
  if (a_double || b_double) return std::abs(ad - bd) < 1e-5;
  return ai == bi;
}

// ---- SandboxFusion ----

bool SandboxFusionFloatEqual(absl::string_view got, absl::string_view expected) {
  const std::optional<double> a = py::ParseFloat(got);
  const std::optional<double> b = py::ParseFloat(expected);
  if (!a.has_value() || !b.has_value()) return false;
  return std::fabs(*a - *b) / std::max(std::fabs(*b), 1e-10) < 1e-5;
}

}  // namespace

bool LiveCodeBenchOutputMatches(absl::string_view got, absl::string_view expected) {
  const Lines a = LcbStrippedLines(got);
  const Lines b = LcbStrippedLines(expected);
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i] && !LcbDecimalLinesEqual(a[i], b[i])) return false;
  }
  return true;
}

bool AppsOutputMatches(absl::string_view got, absl::string_view expected) {
  const Lines output = py::SplitLines(got);  // Capturing() keeps stdout.splitlines()
  const absl::string_view want = py::Strip(expected);
  if (py::Strip(absl::StrJoin(output, "\n")) == want) return true;
  Lines stripped = output;
  for (absl::string_view& line : stripped) line = py::Strip(line);
  if (py::Strip(absl::StrJoin(stripped, "\n")) == want) return true;
  if (output.size() == 1 && output[0] == expected) return true;
  // "Try one more time without \n": expected lines, empty ones dropped before stripping.
  Lines expected_lines;
  for (absl::string_view line : py::SplitNewline(expected)) {
    if (!line.empty()) expected_lines.push_back(py::Strip(line));
  }
  if (output == expected_lines) return true;
  Lines nonempty;
  for (absl::string_view line : output) {
    if (!line.empty()) nonempty.push_back(line);
  }
  if (nonempty == expected_lines) return true;
  const auto got_floats = Floats(nonempty);
  const auto want_floats = Floats(expected_lines);
  if (got_floats.has_value() && want_floats.has_value() && AllClose(*got_floats, *want_floats)) {
    return true;
  }
  return AppsTokenSetsMatch(nonempty, expected_lines);
}

bool CodeContestsOutputMatches(absl::string_view got, absl::string_view expected) {
  const std::vector<std::string> a = SplitAndLowercase(got);
  const std::vector<std::string> b = SplitAndLowercase(expected);
  if (a == b) return true;
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!ValuesMatch(a[i], b[i])) return false;
  }
  return true;
}

bool SandboxFusionOutputMatches(absl::string_view got, absl::string_view expected) {
  Lines a = py::SplitNewline(py::Strip(got));
  Lines b = py::SplitNewline(py::Strip(expected));
  if (a.size() == b.size() + 1 && a.back().empty()) a.pop_back();
  if (b.size() == a.size() + 1 && b.back().empty()) b.pop_back();
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string x = absl::AsciiStrToLower(a[i]);
    const std::string y = absl::AsciiStrToLower(b[i]);
    if (py::Strip(x) == py::Strip(y)) continue;
    if (!SandboxFusionFloatEqual(x, y)) return false;
  }
  return true;
}

bool OpenR1OutputMatches(absl::string_view got, absl::string_view expected) {
  const Lines a = py::SplitNewline(py::Strip(got));
  const Lines b = py::SplitNewline(expected);
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (py::Strip(a[i]) != py::Strip(b[i])) return false;
  }
  return true;
}

}  // namespace arbiter::code
