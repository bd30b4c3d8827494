// The shaping vectors of spec §0.1, §4.4, §5.3, §6.1 and §6.2, end to end: the real arbiterd
// scores `sat` groups whose verdicts produce the vectors' binary outcomes, and
// `arbiter score --shaping=JSON` applies the stages. The library-level tests are in
// shaping; these prove the same numbers come out of the service and the CLI.
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/cli_fixture.h"

namespace arbiter::integration {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;

// Spec §1.7's formula: 1010 satisfies it (score 1), 1101 does not (score 0), no box scores -1.
constexpr char kFormula[] = "!A!BC & A!BD & AB!C & BCD";

json Sample(int verdict, double logprob = 0, int64_t tokens = 0) {
  json s = {{"completion", verdict > 0    ? "so \\boxed{1010}"
                           : verdict == 0 ? "so \\boxed{1101}"
                                          : "no answer"}};
  s["logprob"] = logprob;
  s["num_tokens"] = tokens;
  return s;
}

json Group(const std::string& id, const std::vector<json>& samples) {
  return {{"group_id", id},
          {"task", {{"verifier", "sat"}, {"sat", {{"formula", kFormula}, {"k", 4}}}}},
          {"samples", samples}};
}

// Outcomes as a string of 1/0 (spec §5's notation), no log-probs.
json BinaryGroup(const std::string& id, const std::string& outcomes) {
  std::vector<json> samples;
  for (char c : outcomes) samples.push_back(Sample(c == '1' ? 1 : 0));
  return Group(id, samples);
}

std::vector<double> Field(const json& group, const char* name) {
  std::vector<double> out;
  for (const json& s : group["samples"]) out.push_back(s[name].get<double>());
  return out;
}

MATCHER_P2(AllNear, expected, tolerance, "") {
  if (arg.size() != expected.size()) return false;
  for (size_t i = 0; i < arg.size(); ++i) {
    if (!(std::fabs(arg[i] - expected[i]) <= tolerance)) {
      *result_listener << "element " << i << " is " << arg[i] << ", expected " << expected[i];
      return false;
    }
  }
  return true;
}

class ShapingCliTest : public CliFixture {
 protected:
  std::vector<json> Score(const std::vector<json>& groups, const json& shaping) {
    return CliFixture::Score(groups, {"--shaping=" + shaping.dump()});
  }
};

TEST_F(ShapingCliTest, ZScoreUnbiasedMatchesOpenRlhfGroupNorm) {
  // Spec §1.7: rewards [1, 1, 0, -1, 0, 1, 0, 0], unbiased std, ε = 1e-9.
  const std::vector<json> samples = {Sample(1), Sample(1), Sample(0), Sample(-1),
                                     Sample(0), Sample(1), Sample(0), Sample(0)};
  const auto results = Score({Group("g", samples)},
                             {{"normalizer", "NORMALIZER_ZSCORE_UNBIASED"}, {"epsilon", 1e-9}});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_THAT(Field(results[0], "score"), AllNear(std::vector<double>{1, 1, 0, -1, 0, 1, 0, 0}, 0));
  EXPECT_THAT(Field(results[0], "advantage"),
              AllNear(std::vector<double>{1.060660, 1.060660, -0.353553, -1.767767, -0.353553,
                                          1.060660, -0.353553, -0.353553},
                      1e-6));
}

TEST_F(ShapingCliTest, UnlikelinessVectorsHoldAndDefaultsAreEchoed) {
  const json shaping = {{"stages", {"STAGE_UNLIKELINESS"}},
                        {"normalizer", "NORMALIZER_ZSCORE_UNBIASED"}};
  // §4.4 case 1 (G = 4), case 2 (G = 8) and case 3 (all correct: skipped).
  const json case1 =
      Group("case1", {Sample(1, -0.2), Sample(1, -0.9), Sample(0, -0.5), Sample(1, -0.4)});
  const json case2 =
      Group("case2", {Sample(1, -0.10), Sample(0, -0.35), Sample(1, -0.62), Sample(1, -0.05),
                      Sample(0, -0.80), Sample(0, -0.20), Sample(1, -0.41), Sample(0, -0.15)});
  const json case3 =
      Group("case3", {Sample(1, -0.1), Sample(1, -0.2), Sample(1, -0.3), Sample(1, -0.4)});
  const auto results = Score({case1, case2, case3}, shaping);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_THAT(Field(results[0], "reward"),
              AllNear(std::vector<double>{0.8125, 1.0, 0.0, 0.875}, 1e-12));
  EXPECT_THAT(Field(results[0], "advantage"),
              AllNear(std::vector<double>{0.309304, 0.721709, -1.477785, 0.446772}, 1e-6));
  EXPECT_THAT(Field(results[1], "advantage"),
              AllNear(std::vector<double>{0.795216, -0.927752, 1.126556, 0.728948, -0.927752,
                                          -0.927752, 1.060288, -0.927752},
                      1e-6));
  EXPECT_TRUE(results[2]["stats"]["skipped"].get<bool>()) << results[2].dump();
  EXPECT_THAT(Field(results[2], "advantage"), AllNear(std::vector<double>{0, 0, 0, 0}, 0));
  // The response echoes the resolved parameters (β defaulted to 0.25).
  EXPECT_EQ(results[0]["stats"]["resolved_shaping"]["unlikeliness"]["beta"], 0.25)
      << results[0]["stats"].dump();
}

TEST_F(ShapingCliTest, NanLogprobIsRefusedNamingTheSampleWhileNeighboursAreShaped) {
  json bad = Group("bad", {Sample(1, -0.2), Sample(0, -0.5)});
  bad["samples"][1]["logprob"] = "NaN";  // proto3 JSON spelling of a NaN double
  const json good = Group("good", {Sample(1, -0.2), Sample(0, -0.5)});
  const auto results = Score({bad, good}, {{"stages", {"STAGE_UNLIKELINESS"}}});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0]["status"]["code"], 3) << results[0].dump();  // INVALID_ARGUMENT
  EXPECT_THAT(results[0]["status"]["message"].get<std::string>(), HasSubstr("sample 1"));
  EXPECT_THAT(results[0]["status"]["message"].get<std::string>(), HasSubstr("NaN"));
  EXPECT_EQ(results[1]["status"]["code"], 0) << results[1].dump();
  for (const json& r : results) {
    for (double a : Field(r, "advantage")) EXPECT_TRUE(std::isfinite(a));
  }
}

TEST_F(ShapingCliTest, PairWeightedGrpoModesCAndDMatchSpecVectors) {
  json positive = BinaryGroup("q+", "10000000");
  positive["pair_id"] = "p";
  positive["pair_role"] = "PAIR_ROLE_POSITIVE";
  json negative = BinaryGroup("q-", "11111110");
  negative["pair_id"] = "p";
  negative["pair_role"] = "PAIR_ROLE_NEGATIVE";

  const auto mode_c = Score({positive, negative},
                            {{"normalizer", "NORMALIZER_ZSCORE_POPULATION"},
                             {"pair", {{"mode", "MODE_PAIR_POOLED_SPARSE"}, {"lambda_neg", 1}}}});
  ASSERT_EQ(mode_c.size(), 2u);
  EXPECT_THAT(Field(mode_c[0], "advantage"),
              AllNear(std::vector<double>{2.828419, 0, 0, 0, 0, 0, 0, 0}, 1e-5));
  EXPECT_THAT(Field(mode_c[1], "advantage"),
              AllNear(std::vector<double>{0, 0, 0, 0, 0, 0, 0, -2.828419}, 1e-5));

  const auto mode_d =
      Score({positive, negative}, {{"normalizer", "NORMALIZER_ZSCORE_POPULATION"},
                                   {"pair", {{"mode", "MODE_PROMPT_WEIGHT"}, {"lambda_neg", 2}}}});
  ASSERT_EQ(mode_d.size(), 2u);
  EXPECT_NEAR(Field(mode_d[0], "advantage")[0], 2.645749, 1e-5);
  EXPECT_NEAR(Field(mode_d[0], "advantage")[1], -0.377964, 1e-5);
  EXPECT_NEAR(Field(mode_d[1], "advantage")[0], 0.755928, 2e-5);
  EXPECT_NEAR(Field(mode_d[1], "advantage")[7], -5.291498, 2e-5);
}

TEST_F(ShapingCliTest, LengthBudgetTotalRewardMatchesSpec) {
  // §6.1: step 450 gives B = 87; correct with 100 tokens scores 0.6 + 0.3·0.850575 + 0.1.
  const json group = Group("len", {Sample(1, 0, 100), Sample(0, 0, 60), Sample(-1, 0, 87)});
  const auto results =
      Score({group}, {{"stages", {"STAGE_LENGTH_BUDGET"}}, {"length_budget", {{"step", "450"}}}});
  ASSERT_EQ(results.size(), 1u);
  // Wrong but formatted: 0.3·(60/87) + 0.1; no answer: only the length term.
  EXPECT_THAT(Field(results[0], "reward"),
              AllNear(std::vector<double>{0.955172, 0.306897, 0.3}, 1e-6));
}

TEST_F(ShapingCliTest, GrpoLambdaRewardsOnlyTheTopGroupByLength) {
  // §6.2: λ = 0.2 of five groups picks g1 (ratio 0.75); its correct lengths 300, 500, 400.
  const json g1 =
      Group("g1", {Sample(1, 0, 300), Sample(1, 0, 500), Sample(1, 0, 400), Sample(0, 0, 900)});
  const std::vector<json> groups = {g1, BinaryGroup("g2", "1000"), BinaryGroup("g3", "0000"),
                                    BinaryGroup("g4", "1100"), BinaryGroup("g5", "1010")};
  const auto results = Score(groups, {{"stages", {"STAGE_GRPO_LAMBDA"}}});
  ASSERT_EQ(results.size(), 5u);
  EXPECT_THAT(Field(results[0], "reward"),
              AllNear(std::vector<double>{0.863738, 0.536262, 0.7, 0}, 1e-6));
  EXPECT_THAT(Field(results[1], "reward"), AllNear(std::vector<double>{1, 0, 0, 0}, 0));
  EXPECT_THAT(Field(results[4], "reward"), AllNear(std::vector<double>{1, 0, 1, 0}, 0));
}

}  // namespace
}  // namespace arbiter::integration
