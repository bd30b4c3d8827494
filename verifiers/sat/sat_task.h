// Reading a Task addressed to the `sat` verifier into a typed SatTask with every default resolved.
//
// Task.sat is taken as is. Task.ground_truth is either
//   - Saturn's clause string ("!A!BC & A!BD"), or DIMACS text (auto-detected), or
//   - a JSON object with Saturn's row fields: "clause" (required) and "k" (optional, wins over the
//     letters seen), plus optional "mode" ("strict" | "compat"), "format" ("saturn" | "dimacs" |
//     "auto") and "unsat_budget_ms"; other row fields (id, n_sat, solution, prompt) are ignored.
// After resolution format is SATURN or DIMACS, mode STRICT or COMPAT, and unsat_budget_ms > 0.
// Errors are INVALID_ARGUMENT naming the field. Thread-safe (pure functions).
#pragma once

#include "absl/status/statusor.h"
#include "arbiter/v1/arbiter.pb.h"
#include "verifiers/sat/sat.pb.h"

namespace arbiter::sat {

inline constexpr int kDefaultUnsatBudgetMs = 1000;
inline constexpr int kMaxUnsatBudgetMs = 60000;

absl::StatusOr<v1::SatTask> ParseGroundTruth(std::string_view ground_truth);

// Typed task or ground truth -> resolved SatTask (format, mode and budget defaults applied).
absl::StatusOr<v1::SatTask> ResolveSatTask(const v1::Task& task);

}  // namespace arbiter::sat
