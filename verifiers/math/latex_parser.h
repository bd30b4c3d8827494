// Parses one answer (LaTeX or plain text, already cut out of a completion) into an Expr.
//
// Grammar, loosest first: a top-level comma list (a bare list is a kTuple with text "bare",
// compared as a set), relations (=, <, <=, >, >=, !=, chains), sums, products (explicit and
// implicit: `2x`, `3\sqrt{3}`, `(x-1)(x+1)`), unary minus, powers (right-associative), postfix
// `!` and `%` (= x/100), and primaries: numbers, letters (`x_1` is one symbol), \pi, e, i,
// \infty, \frac{a}{b} and \frac13, \sqrt[n]{x} and \sqrt3, functions (\sin, \ln, \log_b, ...),
// |x|, brackets ( `(a,b)` tuple, `[a,b]` `[a,b)` `(a,b]` intervals, `\{a,b\}` set ), \cup,
// pmatrix/bmatrix/matrix environments, and \text{...} (a unit after a quantity is dropped; text
// alone is a kText answer). A leading `2\frac{1}{2}` is the mixed number 5/2.
//
// Limits (ParseLimits) bound nesting depth, node count and literal length; exceeding one is
// RESOURCE_EXHAUSTED naming the cap. Anything else that does not parse is INVALID_ARGUMENT.
// Pure and thread-safe; time linear in the input.
#pragma once

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "verifiers/math/expr.h"

namespace arbiter::math {

struct ParseLimits {
  int max_depth = 64;
  size_t max_nodes = 4096;
  size_t max_literal_digits = 1000;
  size_t max_input_bytes = 16384;
};

absl::StatusOr<Expr> ParseAnswer(absl::string_view text, const ParseLimits& limits = {});

}  // namespace arbiter::math
