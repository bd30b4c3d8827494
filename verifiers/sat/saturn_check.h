// Checking a boxed answer against a Saturn formula (spec §1.7), in both modes.
//
// strict (the paper): the capture, trimmed of ASCII whitespace, must be exactly k characters of
//   0/1 that satisfy every clause.
// compat (Saturn's reward_func.py bit for bit): position i of the capture, counted in code points,
//   is variable i; '1' makes positive literals true, '0' negated ones, any other character
//   neither; positions past the end read as '0'; extra characters are ignored.
//
// No allocation; cost O(|capture| + clauses). Thread-safe (pure functions).
#pragma once

#include <string_view>

#include "verifiers/sat/saturn_formula.h"

namespace arbiter::sat {

struct SaturnVerdict {
  // strict: the capture is a full k-bit assignment; compat: always true (a box was found).
  bool format_ok = false;
  // Every clause is satisfied (strict: only when format_ok).
  bool satisfied = false;
  // Clauses left unsatisfied (diagnostic; strict and malformed: 0).
  int unsatisfied = 0;
  // The assignment as read, one character per variable: '0', '1', or '?' (compat: a character
  // that is neither). Empty for a malformed strict answer.
  char assignment[kMaxSaturnVars] = {};
  int assignment_size = 0;

  std::string_view assignment_view() const { return {assignment, size_t(assignment_size)}; }
};

// Preconditions: formula.max_var <= k <= kMaxSaturnVars.
SaturnVerdict CheckSaturnStrict(const SaturnFormula& formula, int k, std::string_view capture);
SaturnVerdict CheckSaturnCompat(const SaturnFormula& formula, int k, std::string_view capture);

}  // namespace arbiter::sat
