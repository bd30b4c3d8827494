// The string-matching reference graders, ported bit for bit except where the spec names a
// deviation: verl `math_dapo` (dapo), verl `gsm8k`, lm-eval `minerva_math`'s extraction, and a
// multiple-choice letter reader. Each returns what it extracted (nullopt = nothing, NO_ANSWER)
// and whether it matched the gold. Pure and thread-safe.
#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace arbiter::math {

struct StringGrade {
  std::optional<std::string> extracted;  // nullopt: nothing to extract
  std::string normalized_prediction;
  std::string normalized_gold;
  bool correct = false;
};

// verl math_dapo.compute_score: last 300 characters; `(?i)Answer\s*:\s*([^\n]+)` last match
// ("[INVALID]" when none, which verl scores -1 like a wrong answer: reported as nullopt here);
// Minerva normalisation of both; string equality. strict_box_verify: the last \boxed{} of the
// last 100 characters, compared verbatim with the gold.
StringGrade GradeDapo(absl::string_view completion, absl::string_view gold, bool strict_box);

// verl gsm8k.compute_score. strict: last `#### (\-?[0-9\.\,]+)`, `,` and `$` removed; flexible:
// the last number-like run that is not "" or ".". parity=false (default) applies the two named
// deviations: the whole completion is searched and one trailing '.' is stripped.
StringGrade GradeGsm8k(absl::string_view completion, absl::string_view gold, bool flexible,
                       bool parity);

// lm-eval minerva_math get_unnormalized_answer: "Final Answer: The final answer is(.*?). I hope
// it is correct." (the end sequence appended first). nullopt when absent.
std::optional<std::string> MinervaExtract(absl::string_view completion);

// A letter among `choices`: the last \boxed{X} (X a letter, maybe "(B)" or "\text{B}"), else the
// last "answer is (B)" / "answer: B" / "option B" pattern, else a completion that is the letter.
StringGrade GradeMultipleChoice(absl::string_view completion, absl::string_view gold,
                                absl::string_view choices);

}  // namespace arbiter::math
