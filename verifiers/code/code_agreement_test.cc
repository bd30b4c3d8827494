// Agreement with the datasets' own graders: every case under testdata/graded/ (a dataset label
// in its own format, a completion, and the decision its grader made, with source and licence)
// scored through the real sandbox; the test fails on any disagreement and prints
// agreeing/total per dataset (the table in README.md "Grader agreement"). Skips (with the
// reason) where bubblewrap cannot create namespaces.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "verifiers/code/code_verifier.h"
#include "verifiers/code/sandbox/sandbox_test_util.h"

namespace arbiter::code {
namespace {

struct GradedCase {
  std::string file;
  nlohmann::json json;
};

std::vector<GradedCase> LoadCases() {
  const char* root = std::getenv("ARBITER_SOURCE_DIR");
  const std::filesystem::path dir =
      std::filesystem::path(root != nullptr ? root : ".") / "verifiers/code/testdata/graded";
  std::vector<GradedCase> cases;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    cases.push_back({entry.path().filename().string(), nlohmann::json::parse(text.str())});
  }
  std::sort(cases.begin(), cases.end(),
            [](const GradedCase& a, const GradedCase& b) { return a.file < b.file; });
  return cases;
}

TEST(GraderAgreement, EveryGradedCaseScoresAsItsGraderDecided) {
  ARBITER_REQUIRE_SANDBOX(runner);
  auto verifier = CodeVerifier::Create({std::move(runner), RunLimits(), RunLimits()});
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  const std::vector<GradedCase> cases = LoadCases();
  ASSERT_GE(cases.size(), 7u) << "testdata/graded/ is missing cases";
  std::map<std::string, std::pair<int, int>> agreement;  // dataset → (agreeing, total)
  for (const GradedCase& c : cases) {
    v1::Task task;
    task.set_verifier("code");
    task.set_ground_truth(c.json.at("ground_truth").dump());
    v1::Sample sample;
    sample.set_completion(c.json.at("completion").get<std::string>());
    auto results = sdk::ScoreGroup(**verifier, task, {sample}, {});
    ASSERT_TRUE(results.ok()) << c.file << ": " << results.status();
    const v1::SampleResult& result = (*results)[0];
    ASSERT_NE(result.outcome(), v1::INFRA_ERROR) << c.file << ": " << result.message();
    const bool accepted = result.outcome() == v1::CORRECT;
    const bool grader_accepts = c.json.at("grader_accepts").get<bool>();
    EXPECT_EQ(accepted, grader_accepts)
        << c.file << ": " << v1::Outcome_Name(result.outcome()) << " " << result.message();
    auto& [agree, total] = agreement[c.json.at("dataset").get<std::string>()];
    agree += accepted == grader_accepts ? 1 : 0;
    ++total;
  }
  for (const auto& [dataset, counts] : agreement) {
    std::cout << "agreement " << dataset << ": " << counts.first << "/" << counts.second << "\n";
  }
}

}  // namespace
}  // namespace arbiter::code
