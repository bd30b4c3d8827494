// Suites by reference end to end: `arbiter score --suite_min_bytes` against the real arbiterd
// registers each large ground truth once, sends Task.ground_truth_ref, and writes exactly the
// results the inline form gives.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/cli_fixture.h"

namespace arbiter::integration {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;

// Satisfied by 1010 (score 1), not by 1101 (score 0); no box scores -1.
constexpr char kFormula[] = "!A!BC & A!BD & AB!C & BCD";

json Group(const std::string& id) {
  return {{"group_id", id},
          {"task", {{"verifier", "sat"}, {"ground_truth", kFormula}}},
          {"samples",
           {{{"completion", "so \\boxed{1010}"}},
            {{"completion", "so \\boxed{1101}"}},
            {{"completion", "no answer"}}}}};
}

// What must not differ between the two forms (`cached` may: the second run hits the cache).
json Verdicts(const json& result) {
  json out = json::array();
  for (const json& s : result["samples"]) {
    out.push_back({s["outcome"], s["score"], s["reward"], s["advantage"]});
  }
  return {result["group_id"], result["status"]["code"], out};
}

class SuitesCliTest : public CliFixture {};

TEST_F(SuitesCliTest, GroundTruthsByReferenceScoreAsInline) {
  const std::vector<json> groups = {Group("a"), Group("b"), Group("c")};
  const std::vector<json> inline_results = Score(groups);
  const std::string input = WriteLines("suites.jsonl", groups);
  const RunResult run = Cli({"score", "--input=" + input, "--output=-", "--suite_min_bytes=1"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr("3 group(s) sent their ground truth by reference, 0 re-sent"));
  const std::vector<json> by_reference = ParseLines(run.out);
  ASSERT_EQ(by_reference.size(), inline_results.size()) << run.out;
  for (size_t i = 0; i < by_reference.size(); ++i) {
    EXPECT_EQ(Verdicts(by_reference[i]), Verdicts(inline_results[i])) << by_reference[i];
  }
  EXPECT_EQ(by_reference[0]["samples"][0]["outcome"], "CORRECT");
}

}  // namespace
}  // namespace arbiter::integration
