#include "verifiers/beam/expr.h"

#include <exception>
#include <string>

#include "absl/strings/str_cat.h"
#include "verifiers/beam/internal/ginac_lock.h"

namespace arbiter::beam {
namespace {

constexpr size_t kMaxExprChars = 256;

bool IsDigitChar(char c) { return c >= '0' && c <= '9'; }

// Whitelists the characters and rewrites every decimal "a.b" as "(ab/10^k)" so GiNaC keeps it
// exact (its parser would make a float).
absl::StatusOr<std::string> Normalize(std::string_view text_view, std::string_view what_view) {
  const std::string text(text_view), what(what_view);
  if (text.size() > kMaxExprChars) {
    return absl::InvalidArgumentError(
        absl::StrCat("beam: ", what, " is longer than ", kMaxExprChars, " characters"));
  }
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (IsDigitChar(c) || c == '.') {
      size_t j = i;
      std::string digits;
      size_t decimals = 0;
      bool dot = false;
      for (; j < text.size() && (IsDigitChar(text[j]) || text[j] == '.'); ++j) {
        if (text[j] == '.') {
          if (dot) return absl::InvalidArgumentError(absl::StrCat("beam: bad number in ", what));
          dot = true;
        } else {
          digits.push_back(text[j]);
          if (dot) ++decimals;
        }
      }
      if (digits.empty() || digits.size() > 30) {
        return absl::InvalidArgumentError(absl::StrCat("beam: bad number in ", what));
      }
      if (decimals == 0) {
        out += digits;
      } else {
        absl::StrAppend(&out, "(", digits, "/1", std::string(decimals, '0'), ")");
      }
      i = j;
      continue;
    }
    if (c == '^') {
      size_t j = i + 1;
      while (j < text.size() && text[j] == ' ') ++j;
      if (j >= text.size() || !IsDigitChar(text[j]) ||
          (j + 1 < text.size() && (IsDigitChar(text[j + 1]) || text[j + 1] == '.'))) {
        return absl::InvalidArgumentError(
            absl::StrCat("beam: ", what, ": exponents must be a single digit"));
      }
      out.push_back('^');
      ++i;
      continue;
    }
    if (c == 'P' || c == 'L' || c == 'q' || c == 'M' || c == '+' || c == '-' || c == '*' ||
        c == '/' || c == '(' || c == ')' || c == ' ') {
      out.push_back(c);
      ++i;
      continue;
    }
    return absl::InvalidArgumentError(absl::StrCat("beam: ", what, " \"", text,
                                                   "\": only numbers, P, L, q, M and + - * / ^ "
                                                   "( ) are allowed"));
  }
  return out;
}

}  // namespace

namespace internal {
absl::Mutex& GinacMutex() {
  static absl::Mutex* mutex = new absl::Mutex();
  return *mutex;
}
}  // namespace internal

const BeamSymbols& Symbols() {
  static const BeamSymbols* symbols = new BeamSymbols();
  return *symbols;
}

bool IsNumber(const GiNaC::ex& e) { return GiNaC::is_a<GiNaC::numeric>(e); }

absl::StatusOr<GiNaC::ex> ParseDescriptionExpr(std::string_view text_view,
                                               std::string_view what_view) {
  const std::string text(text_view), what(what_view);
  if (text.find_first_not_of(' ') == std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat("beam: ", what, " is empty"));
  }
  absl::StatusOr<std::string> normalized = Normalize(text, what);
  if (!normalized.ok()) return normalized.status();
  const BeamSymbols& s = Symbols();
  try {
    GiNaC::symtab table;
    table["P"] = s.P;
    table["L"] = s.L;
    table["q"] = s.q;
    table["M"] = s.M;
    const GiNaC::prototype_table no_functions;
    GiNaC::parser reader(table, /*strict=*/true, no_functions);
    GiNaC::ex e = reader(*normalized);
    return e.normal();
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("beam: cannot parse ", what, " \"", text, "\": ", e.what()));
  }
}

}  // namespace arbiter::beam
