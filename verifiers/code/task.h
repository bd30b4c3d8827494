// The `code` verifier's parsed task: a typed CodeTask (or one parsed from ground_truth) with every
// default resolved, the tests validated, the sandbox inputs built and the expected JSON values
// parsed once per group.
//
// Thread-safety: immutable after PrepareCodeTask; shared read-only by every Check of a group.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "arbiter/v1/arbiter.pb.h"
#include "nlohmann/json.hpp"
#include "verifiers/code/code.pb.h"
#include "verifiers/code/sandbox/runner.h"
#include "verifiers/sdk/verifier.h"

namespace arbiter::code {

// Assert-style tests (CodeTest.test_code) run as a call of this function, which the turn runner
// appends to the program and which executes the test code and returns True: the verdict needs
// its return value, which a program that exits early never produces.
// Its name carries kPlainCallPrefix (runner.h), so the program runs without the call prelude.
inline constexpr char kAssertEntry[] = "__arbiter_run_asserts";
static_assert(absl::string_view(kAssertEntry).substr(0, sizeof(kPlainCallPrefix) - 1) ==
              kPlainCallPrefix);

struct PreparedCodeTask : sdk::PreparedTask {
  // Policy, extract rule and VerpoParams resolved; limits as used. `task.language()` stays
  // unspecified when the completion chooses.
  v1::CodeTask task;
  // Languages a fenced block may be tagged with, and the language an untagged block runs as.
  std::vector<v1::CodeTask::Language> languages;
  v1::CodeTask::Language untagged_language = v1::CodeTask::LANGUAGE_PYTHON;
  RunLimits limits;
  // One per test, same order: what enters the sandbox (no expected values).
  std::vector<TestInput> inputs;
  // Call-based tests: the expected value (null for stdin tests).
  std::vector<nlohmann::json> expected_json;
  // Notes from reading ground_truth (CodeDetail.task_notes).
  std::vector<std::string> notes;
};

// What the verifier hands the server for one group: the prepared task, shared with the
// verifier's PreparedTaskCache and every other group whose task carries the same label.
struct SharedCodeTask : sdk::PreparedTask {
  explicit SharedCodeTask(std::shared_ptr<const PreparedCodeTask> p) : prepared(std::move(p)) {}
  std::shared_ptr<const PreparedCodeTask> prepared;  // never null
};

// The comparison a Task.mode names ("livecodebench", "apps", "codecontests", "sandboxfusion",
// "open_r1", "exact", "whitespace", "float"); COMPARE_UNSPECIFIED for "". INVALID_ARGUMENT
// listing the names otherwise.
absl::StatusOr<v1::CodeTest::Compare> CompareFromMode(absl::string_view mode);

// INVALID_ARGUMENT naming the problem when the task is not a code task, has no tests, has a
// malformed test (bad args/expected JSON, a function-call test no allowed language can run),
// bad enum values, VeRPO parameters out of range, or limits above the caps. `mode_compare`
// (from Task.mode) replaces the comparison of every ground_truth test and of every typed test
// that leaves it unspecified.
absl::StatusOr<std::unique_ptr<const PreparedCodeTask>> PrepareCodeTask(
    const v1::Task& task, const RunLimits& defaults, const RunLimits& caps,
    v1::CodeTest::Compare mode_compare = v1::CodeTest::COMPARE_UNSPECIFIED);

// The task's execution mode, or `server_default` when it leaves it unset.
ExecutionMode ExecutionModeOf(const v1::CodeTask& task, ExecutionMode server_default);

}  // namespace arbiter::code
