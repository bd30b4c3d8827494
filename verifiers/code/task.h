// The `code` verifier's parsed task: a typed CodeTask (or one parsed from ground_truth) with every
// default resolved, the tests validated, the sandbox inputs built and the expected JSON values
// parsed once per group.
//
// Thread-safety: immutable after PrepareCodeTask; shared read-only by every Check of a group.
#pragma once

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "arbiter/v1/arbiter.pb.h"
#include "nlohmann/json.hpp"
#include "verifiers/code/code.pb.h"
#include "verifiers/code/sandbox/runner.h"
#include "verifiers/sdk/verifier.h"

namespace arbiter::code {

struct PreparedCodeTask : sdk::PreparedTask {
  // Language, policy, extract rule and VerpoParams resolved; limits as used.
  v1::CodeTask task;
  Language language = Language::kPython;
  RunLimits limits;
  // One per test, same order: what enters the sandbox (no expected values).
  std::vector<TestInput> inputs;
  // Call-based tests: the expected value (null for stdin tests).
  std::vector<nlohmann::json> expected_json;
};

// INVALID_ARGUMENT naming the problem when the task is not a code task, has no tests, has a
// malformed test (bad args/expected JSON, call-based tests in a language without them), bad enum
// values, VeRPO parameters out of range, or limits above the caps.
absl::StatusOr<std::unique_ptr<const PreparedCodeTask>> PrepareCodeTask(const v1::Task& task,
                                                                        const RunLimits& defaults,
                                                                        const RunLimits& caps);

}  // namespace arbiter::code
