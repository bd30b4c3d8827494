#include "verifiers/beam/expr.h"

#include <exception>
#include <string>

#include "absl/strings/str_cat.h"
#include "verifiers/beam/answer_parser.h"
#include "verifiers/beam/internal/ginac_lock.h"

namespace arbiter::beam {
namespace {

constexpr size_t kMaxExprChars = 256;

bool IsDigitChar(char c) { return c >= '0' && c <= '9'; }

// Whitelists the characters (no LaTeX, no functions, no other symbols) and bounds exponents.
absl::Status Validate(std::string_view text_view, std::string_view what_view) {
  const std::string text(text_view), what(what_view);
  if (text.size() > kMaxExprChars) {
    return absl::InvalidArgumentError(
        absl::StrCat("beam: ", what, " is longer than ", kMaxExprChars, " characters"));
  }
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '^') {
      size_t j = i + 1;
      while (j < text.size() && text[j] == ' ') ++j;
      if (j >= text.size() || !IsDigitChar(text[j]) ||
          (j + 1 < text.size() && (IsDigitChar(text[j + 1]) || text[j + 1] == '.'))) {
        return absl::InvalidArgumentError(
            absl::StrCat("beam: ", what, ": exponents must be a single digit"));
      }
      continue;
    }
    if (IsDigitChar(c) || c == '.' || c == 'P' || c == 'L' || c == 'q' || c == 'M' || c == '+' ||
        c == '-' || c == '*' || c == '/' || c == '(' || c == ')' || c == ' ') {
      continue;
    }
    return absl::InvalidArgumentError(absl::StrCat("beam: ", what, " \"", text,
                                                   "\": only numbers, P, L, q, M and + - * / ^ "
                                                   "( ) are allowed"));
  }
  return absl::OkStatus();
}

}  // namespace

namespace internal {
absl::Mutex& GinacMutex() {
  static auto* mutex = new absl::Mutex();
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
  if (text.find_first_not_of(' ') == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("beam: ", what, " is empty"));
  }
  if (absl::Status st = Validate(text, what); !st.ok()) return st;
  // The answer parser, over this restricted alphabet: exact decimals, no exceptions escape.
  absl::StatusOr<GiNaC::ex> e = ParseAnswerExpr(text);
  if (!e.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("beam: cannot parse ", what, " \"", text, "\": ", e.status().message()));
  }
  return e;
}

}  // namespace arbiter::beam
