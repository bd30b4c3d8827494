// Minerva's `normalize_final_answer` (Lewkowycz et al. 2022, appendix D), as lm-eval's
// minerva_math task and verl's math_dapo reward copy it, ported step by step: the last `=`
// side; the SUBSTITUTIONS and REMOVED_EXPRESSIONS lists; the `$..$`, \text, \textbf, \overline,
// \boxed, `frac12` and `sqrt2` regex rewrites; `$` removal; commas dropped from a digit string;
// strip. Python's regex semantics are kept (`.` stops at a newline; `[^{]` does not).
// Pure and thread-safe; linear time.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace arbiter::math {

std::string MinervaNormalize(absl::string_view final_answer);

// lm-eval 0.4.13's revision of the same function (lm_eval/tasks/minerva_math/utils.py), which the
// minerva mode follows: unit words are removed at word boundaries first and never inside a LaTeX
// command name (`\left` keeps its "ft"); `\sqrt[3]a` becomes `\sqrt[3]{a}`; commas are dropped
// only from a true thousands-grouped integer (`-?\d{1,3}(,\d{3})+`); no final strip.
std::string LmEvalNormalize(absl::string_view final_answer);

// Python's `text[-n:]` in code points (UTF-8).
absl::string_view LastCodePoints(absl::string_view text, size_t n);

}  // namespace arbiter::math
