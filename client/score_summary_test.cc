#include "client/score_summary.h"

#include <string>

#include "gtest/gtest.h"

namespace arbiter::client {
namespace {

TEST(PassAtK, SpecVectors) {  // methods.md §0.2
  EXPECT_DOUBLE_EQ(PassAtK(12, 3, 1), 0.25);
  EXPECT_NEAR(PassAtK(12, 3, 3), 1.0 - 84.0 / 220.0, 1e-12);
  EXPECT_EQ(PassAtK(12, 0, 3), 0.0);
  EXPECT_EQ(PassAtK(4, 2, 3), 1.0);  // n − c < k
}

v1::GroupResult Group(const std::vector<v1::Outcome>& outcomes) {
  v1::GroupResult group;
  group.mutable_status();
  for (v1::Outcome outcome : outcomes) {
    v1::SampleResult* sample = group.add_samples();
    sample->set_outcome(outcome);
    sample->set_score(outcome == v1::CORRECT ? 1.0 : 0.0);
  }
  return group;
}

TEST(ScoreSummary, CountsOutcomesAveragesScoresAndLeavesInfraErrorsOutOfPassAtK) {
  ScoreSummary summary({1, 2});
  summary.Add(Group({v1::CORRECT, v1::INCORRECT, v1::INFRA_ERROR}));  // n = 2, c = 1
  summary.Add(Group({v1::INCORRECT, v1::NO_ANSWER}));                 // n = 2, c = 0
  summary.Add(Group({v1::CORRECT}));                                  // n = 1: not in pass@2
  v1::GroupResult failed;
  failed.mutable_status()->set_code(3);
  summary.Add(failed);
  EXPECT_EQ(summary.groups_ok(), 3);
  EXPECT_EQ(summary.groups_failed(), 1);
  const std::string report = summary.Report();
  EXPECT_NE(report.find("3 scored, 1 failed (1 INVALID_ARGUMENT)"), std::string::npos) << report;
  EXPECT_NE(report.find("CORRECT=2"), std::string::npos) << report;
  EXPECT_NE(report.find("INFRA_ERROR=1"), std::string::npos) << report;
  EXPECT_NE(report.find("mean score: 0.400000 over 5 verified samples"), std::string::npos)
      << report;
  // pass@1 = (1/2 + 0 + 1) / 3; pass@2 = (1 + 0) / 2.
  EXPECT_NE(report.find("pass@1: 0.500000 over 3 groups"), std::string::npos) << report;
  EXPECT_NE(report.find("pass@2: 0.500000 over 2 groups"), std::string::npos) << report;
}

}  // namespace
}  // namespace arbiter::client
