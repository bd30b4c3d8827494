// Tolerant parser of a model's boxed answers (symbolic mode) into GiNaC expressions.
//
// SplitAnswers (no GiNaC): each \boxed{} content is split at top-level ',', ';', '&', "\\",
// \quad, \qquad and "and"; an item "label = expr" keeps the label (text before the last '=').
// ParseAnswerExpr: LaTeX-ish arithmetic over numbers (decimals exact: 0.25 = 1/4) and the
// symbols P, L, q, M: + - (also U+2212 and U+2013), * \cdot \times · ×, / \div, ^ (integer
// exponents |n| ≤ 9), ( ) [ ] { }, \left \right, \frac \dfrac \tfrac (also \frac12), implicit
// products (0.25P, 3PL/4, 2(P+q)), spaces \, \; \! ~, \text{..}/\mathrm{..} (a lone symbol is
// that symbol, anything else is ignored: units and words), \uparrow/\downarrow ignored, a
// trailing '.'. Anything else is INVALID_ARGUMENT with the offending position; malformed input
// never crashes (fuzzed: answer_fuzz.cc). Bounded: 2000 characters, nesting depth 64, at most 4
// powers of non-numeric bases, total degree ≤ 12 (so expanding an answer stays cheap).
//
// Thread-safety: ParseAnswerExpr needs internal::GinacMutex() held; SplitAnswers is pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "verifiers/beam/internal/ginac.h"

namespace arbiter::beam {

struct AnswerItem {
  // Label with spaces, braces, '_', '$' and \text/\mathrm wrappers removed ("R_{A}" → "RA");
  // empty when there is none.
  std::string label;
  std::string_view expr;
};

std::vector<AnswerItem> SplitAnswers(std::string_view box);

absl::StatusOr<GiNaC::ex> ParseAnswerExpr(std::string_view text);

}  // namespace arbiter::beam
