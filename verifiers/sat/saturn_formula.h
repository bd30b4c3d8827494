// Saturn's formula encoding (spec §1.3), parsed into per-clause bitmasks.
//
// A formula is clauses joined by "&" (Saturn writes " & "; spaces around "&" are optional here);
// a clause is literals concatenated, a literal is a capital letter A..Z optionally preceded by
// "!". Variable i is chr('A' + i). Parsing is linear in the input and allocates one mask pair per
// clause. Thread-safety: plain value types and a pure function.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace arbiter::sat {

inline constexpr int kMaxSaturnVars = 26;

struct SaturnFormula {
  // Per clause: bit i set when the clause holds literal i (positive) / !i (negated).
  std::vector<uint64_t> pos;
  std::vector<uint64_t> neg;
  // 1 + the highest variable index seen (0 for no literal at all).
  int max_var = 0;
};

// INVALID_ARGUMENT naming the offending clause or character for: empty input, an empty clause,
// a character other than A..Z, "!", "&" or spaces, "!" not followed by a letter.
absl::StatusOr<SaturnFormula> ParseSaturnFormula(std::string_view text);

// Number of clauses of `formula` left unsatisfied when the variables in `ones` are true and the
// variables in `zeros` are false (a variable in neither set satisfies no literal: Saturn's
// reading of a non-binary character).
inline int CountUnsatisfied(const SaturnFormula& formula, uint64_t ones, uint64_t zeros) {
  int unsatisfied = 0;
  const size_t n = formula.pos.size();
  for (size_t i = 0; i < n; ++i) {
    unsatisfied += ((formula.pos[i] & ones) | (formula.neg[i] & zeros)) == 0;
  }
  return unsatisfied;
}

}  // namespace arbiter::sat
