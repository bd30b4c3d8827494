// The answer forms accepted for DIMACS tasks (README "DIMACS answers"), read from the capture of
// the last \boxed{} after trimming ASCII whitespace:
//   - "UNSAT" or "UNSATISFIABLE" (any case): the formula has no model;
//   - a bit string of exactly V characters 0/1 with no spaces: character i is variable i + 1
//     (two or more 0/1 characters without spaces are always read as a bit string);
//   - otherwise signed literals separated by whitespace ("1 -2 3", optionally ending in a single
//     0, optionally preceded by a "v" as in SAT-competition output): listed variables take the
//     sign given, unlisted ones are false.
// Anything else is malformed: a bit string of the wrong length, a non-integer token, a variable
// outside 1..V, a 0 that is not the last token, a variable listed with both signs.
//
// Cost linear in the capture plus the formula's used variables; allocates (DIMACS tasks are not
// the hot path). Thread-safe (pure functions).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "verifiers/sat/dimacs.h"

namespace arbiter::sat {

// The assignment is rendered in the verdict's detail only for formulas with at most this many
// variables (the detail would otherwise be as large as the header claims).
inline constexpr int64_t kMaxRenderedVars = 4096;

struct DimacsAnswer {
  enum class Kind { kMalformed, kAssignment, kUnsat };
  Kind kind = Kind::kMalformed;
  // kMalformed: why.
  std::string error;
  // kAssignment: per dense variable of the formula, 1 = true, 0 = false.
  std::vector<int8_t> values;
  // kAssignment and V <= kMaxRenderedVars: the assignment as a V-character bit string.
  std::string rendered;
};

DimacsAnswer ParseDimacsAnswer(const CnfFormula& formula, std::string_view capture);

// Clauses of `formula` unsatisfied by `values` (one entry per dense variable).
int64_t CountUnsatisfied(const CnfFormula& formula, const std::vector<int8_t>& values);

}  // namespace arbiter::sat
