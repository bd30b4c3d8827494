// Equivalence of two parsed answers (Math-Verify 0.8 semantics; spec §3.1).
//
// Order of checks for scalars: exact 128-bit rationals; when either side has a decimal literal,
// both rounded to `float_rounding` decimals; a lock-free numeric screen at three points that
// rejects most unequal pairs; then the symbolic path (symbolic.h) for the rest. Relations match
// on the same solution set (flipped inequalities, scaled equations); a leading `x =` on one side
// and the last side of an `a = b = c` chain are dropped when the other side is not an equation.
// Intervals compare brackets and endpoints; finite sets and bare lists unordered; tuples
// ordered; matrices by shape then elements; text case-insensitively.
//
// Pure apart from the Budget; thread-safe (the symbolic path locks internally).
#pragma once

#include <string>

#include "verifiers/math/evaluate.h"
#include "verifiers/math/expr.h"

namespace arbiter::math {

struct CompareOptions {
  int float_rounding = 6;
};

struct Comparison {
  bool equal = false;
  // "exact", "rounded", "numeric", "symbolic", "structure", "text", "cap: ...", "budget".
  std::string method;
  // A resource cap decided the verdict (the answer is not verifiable as written).
  bool capped = false;
};

Comparison Compare(const Expr& gold, const Expr& pred, const CompareOptions& options,
                   Budget& budget);

}  // namespace arbiter::math
