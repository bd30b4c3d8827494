// The math_verify mode (Math-Verify 0.8 semantics, spec §3.1) and the minerva mode's symbolic
// half: parse golds once, then extract, parse and compare one completion.
//
// ParseGold: a gold with `$`, `\(`, `\[` or `\boxed` is extracted like a completion; otherwise it
// is bare LaTeX parsed whole (Math-Verify #70/#29 parse such golds to nothing). INVALID_ARGUMENT
// naming the gold when it does not parse. Grading never fails. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "verifiers/math/compare.h"
#include "verifiers/math/evaluate.h"
#include "verifiers/math/expr.h"

namespace arbiter::math {

struct ParsedGold {
  std::string raw;
  Expr expr;
};

absl::StatusOr<ParsedGold> ParseGold(absl::string_view gold);

struct MathGrade {
  enum class Verdict { kCorrect, kIncorrect, kNoAnswer };
  Verdict verdict = Verdict::kNoAnswer;
  std::string extracted;
  std::string normalized_prediction;
  std::string normalized_gold;
  std::string method;
  bool capped = false;  // a cap or the CPU budget decided
};

MathGrade GradeMathVerify(absl::string_view completion, const std::vector<ParsedGold>& golds,
                          const CompareOptions& options, Budget& budget);

// Parses `answer` (an already extracted answer) and compares it with the golds.
MathGrade GradeParsed(absl::string_view answer, const std::vector<ParsedGold>& golds,
                      const CompareOptions& options, Budget& budget);

}  // namespace arbiter::math
