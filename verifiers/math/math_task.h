// The resolved form of a `math` task: mode, golds and options, from any of the three ways a
// trainer can send one (spec §2): a typed arbiter.math.v1.MathTask in Task.extension; a plain
// `ground_truth` label (a string, a JSON array of strings, a number) with the mode in Task.mode;
// or a `ground_truth` JSON object {"answer": ..., "mode": ..., options in snake_case}.
//
// ResolveMathTask fails with INVALID_ARGUMENT naming the problem: an unknown mode (listing the
// modes), a malformed option, no gold. Pure and thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "arbiter/v1/arbiter.pb.h"
#include "verifiers/math/math.pb.h"

namespace arbiter::math {

enum class Mode { kMathVerify, kDapo, kGsm8k, kMinerva, kMultipleChoice };

inline constexpr char kModeList[] = "math_verify, dapo, gsm8k, minerva, multiple_choice";

struct MathConfig {
  Mode mode = Mode::kMathVerify;
  std::string mode_name = "math_verify";
  std::vector<std::string> golds;
  std::string answer_after;
  int float_rounding = 6;
  double correct_score = 1.0;
  double incorrect_score = 0.0;
  double no_answer_score = 0.0;
  bool strict_box_verify = false;
  bool gsm8k_flexible = false;
  bool gsm8k_parity = false;
  std::string choices = "ABCD";
  absl::Duration cpu_budget = absl::Seconds(1);
};

absl::StatusOr<MathConfig> ResolveMathTask(const arbiter::v1::Task& task);

// MathTask fields from a typed task (the extension), for tests and the JSON form.
absl::StatusOr<MathConfig> ConfigFromMathTask(const arbiter::math::v1::MathTask& task,
                                              const std::string& fallback_mode);

}  // namespace arbiter::math
