// Agreement with the datasets' own graders: every case under testdata/graded/ (a dataset label
// in its own format, a completion, and the decision its grader made, with source and licence;
// one case per `.json` file, or one per line of a `.jsonl` file)
// scored through the real sandbox; the test fails on any disagreement and prints
// agreeing/total per dataset (the table in GRADING.md "Grader agreement"). Skips (with the
// reason) where bubblewrap cannot create namespaces.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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
    const std::string name = entry.path().filename().string();
    std::ifstream in(entry.path());
    if (entry.path().extension() == ".json") {
      std::stringstream text;
      text << in.rdbuf();
      cases.push_back({name, nlohmann::json::parse(text.str())});
    } else if (entry.path().extension() == ".jsonl") {  // one case per line
      int line_number = 0;
      for (std::string line; std::getline(in, line);) {
        ++line_number;
        if (!line.empty()) {
          cases.push_back({absl::StrCat(name, ":", line_number), nlohmann::json::parse(line)});
        }
      }
    }
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
  ASSERT_GE(cases.size(), 35u) << "testdata/graded/ is missing cases";
  struct Counts {
    int agreeing = 0, total = 0, rejected = 0;  // rejected: by the dataset's grader
  };
  std::map<std::string, Counts> agreement;  // "dataset (grader)" → counts
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
    Counts& counts = agreement[absl::StrCat(c.json.at("dataset").get<std::string>(), " (",
                                            c.json.at("grader").get<std::string>(), ")")];
    counts.agreeing += accepted == grader_accepts ? 1 : 0;
    counts.rejected += grader_accepts ? 0 : 1;
    ++counts.total;
  }
  for (const auto& [dataset, counts] : agreement) {
    std::cout << "agreement " << dataset << ": " << counts.agreeing << "/" << counts.total
              << ", rejected by the grader " << counts.rejected << "\n";
  }
}

}  // namespace
}  // namespace arbiter::code
