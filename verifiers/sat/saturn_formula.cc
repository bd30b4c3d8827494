#include "verifiers/sat/saturn_formula.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "verifiers/sat/internal/text.h"

namespace arbiter::sat {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsVar(char c) { return c >= 'A' && c <= 'Z'; }

}  // namespace

absl::StatusOr<SaturnFormula> ParseSaturnFormula(std::string_view text) {
  SaturnFormula formula;
  uint64_t pos = 0;
  uint64_t neg = 0;
  bool clause_has_literal = false;
  auto finish_clause = [&](size_t at) -> absl::Status {
    if (!clause_has_literal) {
      return absl::InvalidArgumentError(absl::StrCat(
          "saturn formula: empty clause number ", formula.pos.size() + 1, " (at byte ", at, ")"));
    }
    formula.pos.push_back(pos);
    formula.neg.push_back(neg);
    pos = neg = 0;
    clause_has_literal = false;
    return absl::OkStatus();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (IsSpace(c)) continue;
    if (c == '&') {
      if (absl::Status s = finish_clause(i); !s.ok()) return s;
      continue;
    }
    bool negated = false;
    size_t at = i;
    if (c == '!') {
      negated = true;
      if (i + 1 >= text.size() || !IsVar(text[i + 1])) {
        return absl::InvalidArgumentError(
            absl::StrCat("saturn formula: '!' at byte ", i, " is not followed by a variable A..Z"));
      }
      at = ++i;
    }
    const char v = text[at];
    if (!IsVar(v)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "saturn formula: unexpected character '", internal::Escape(text.substr(at, 1)),
          "' at byte ", at, " (expected A..Z, '!', '&' or a space)"));
    }
    const int index = v - 'A';
    (negated ? neg : pos) |= uint64_t{1} << index;
    if (index + 1 > formula.max_var) formula.max_var = index + 1;
    clause_has_literal = true;
  }
  if (absl::Status s = finish_clause(text.size()); !s.ok()) {
    if (formula.pos.empty()) return absl::InvalidArgumentError("saturn formula: no clause");
    return s;
  }
  return formula;
}

}  // namespace arbiter::sat
