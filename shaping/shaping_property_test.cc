// Property tests of ShapeBatch over random and extreme inputs (seed printed on failure).
#include <cfloat>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "shaping/shaping.h"

namespace arbiter::shaping {
namespace {

using v1::Shaping;

double ExtremeDouble(std::mt19937_64& rng) {
  static const double kValues[] = {0,        1,         -1,     0.5,      DBL_MAX, -DBL_MAX,
                                   DBL_MIN,  1e308,     -1e308, 1e-308,   1e150,   -1e200,
                                   INFINITY, -INFINITY, NAN,    4.9e-324, 123.456};
  if (rng() % 3 == 0) return std::uniform_real_distribution<double>(-10, 10)(rng);
  return kValues[rng() % std::size(kValues)];
}

double FiniteExtreme(std::mt19937_64& rng) {
  double x = ExtremeDouble(rng);
  return std::isfinite(x) ? x : -1.0;
}

Shaping RandomShaping(std::mt19937_64& rng) {
  Shaping s;
  std::vector<Shaping::Stage> stages = {Shaping::STAGE_LENGTH_BUDGET, Shaping::STAGE_GRPO_LAMBDA,
                                        Shaping::STAGE_UNLIKELINESS};
  std::shuffle(stages.begin(), stages.end(), rng);
  for (auto stage : stages) {
    if (rng() % 2) s.add_stages(stage);
  }
  s.set_normalizer(static_cast<v1::Normalizer>(rng() % 5));
  if (rng() % 2) s.set_epsilon(rng() % 2 ? 0.0 : 1e-3);
  if (rng() % 2) s.mutable_unlikeliness()->set_beta(rng() % 2 ? 1.0 : 0.0);
  s.mutable_unlikeliness()->set_likelihood(
      static_cast<v1::UnlikelinessParams::Likelihood>(rng() % 3));
  s.mutable_length_budget()->set_step(static_cast<int64_t>(rng() % 1000000));
  if (rng() % 2) s.mutable_length_budget()->set_lambda_length(rng() % 2 ? 1e15 : -1e15);
  if (rng() % 2) s.mutable_length_budget()->set_shape(v1::LengthBudgetParams::SHAPE_BAND);
  if (rng() % 2) s.mutable_grpo_lambda()->set_alpha(1e6);
  if (rng() % 2) s.mutable_grpo_lambda()->set_lambda(1.0);
  s.mutable_pair()->set_mode(static_cast<v1::PairParams::Mode>(rng() % 4));
  if (rng() % 2) s.mutable_pair()->set_lambda_neg(rng() % 2 ? 1e6 : 0.0);
  return s;
}

TEST(ShapeBatchProperty, OutputsFiniteForAnyInput) {
  int shaped = 0;
  for (uint64_t seed = 1; seed <= 400; ++seed) {
    std::mt19937_64 rng(seed);
    v1::ScoreRequest request;
    *request.mutable_shaping() = RandomShaping(rng);
    std::vector<v1::GroupResult> results;
    std::vector<bool> verifier_advantages;
    const int groups = 1 + static_cast<int>(rng() % 6);
    for (int g = 0; g < groups; ++g) {
      v1::Group& group = *request.add_groups();
      if (rng() % 3 == 0) *group.mutable_shaping() = RandomShaping(rng);
      if (rng() % 4 == 0) {
        group.set_pair_id(rng() % 2 ? "a" : "b");
        group.set_pair_role(static_cast<v1::PairRole>(1 + rng() % 2));
      }
      v1::GroupResult& result = results.emplace_back();
      result.set_group_index(g);
      verifier_advantages.push_back(rng() % 2 == 0);
      const int n = static_cast<int>(rng() % 70);
      for (int i = 0; i < n; ++i) {
        v1::Sample& sample = *group.add_samples();
        if (rng() % 10) sample.set_logprob(FiniteExtreme(rng));
        sample.set_num_tokens(rng() % 5 == 0 ? std::numeric_limits<int64_t>::max()
                                             : static_cast<int64_t>(rng() % 1000));
        v1::SampleResult& s = *result.add_samples();
        s.set_outcome(static_cast<v1::Outcome>(1 + rng() % 4));
        s.set_score(ExtremeDouble(rng));
        s.set_advantage(ExtremeDouble(rng));
      }
    }
    std::vector<GroupInput> inputs;
    for (size_t g = 0; g < results.size(); ++g) {
      inputs.push_back({&results[g], verifier_advantages[g]});
    }
    const auto statuses = ShapeBatch(request, inputs);
    ASSERT_EQ(statuses.size(), results.size());
    for (size_t g = 0; g < results.size(); ++g) {
      const auto code = statuses[g].code();
      EXPECT_TRUE(code == absl::StatusCode::kOk || code == absl::StatusCode::kInvalidArgument ||
                  code == absl::StatusCode::kFailedPrecondition)
          << "seed " << seed << ": " << statuses[g];
      shaped += statuses[g].ok() ? 1 : 0;
      for (const auto& s : results[g].samples()) {
        EXPECT_TRUE(std::isfinite(s.reward())) << "seed " << seed << " group " << g;
        EXPECT_TRUE(std::isfinite(s.advantage())) << "seed " << seed << " group " << g;
      }
      const v1::GroupStats& stats = results[g].stats();
      EXPECT_TRUE(std::isfinite(stats.mean_score())) << "seed " << seed;
      EXPECT_TRUE(std::isfinite(stats.mean_reward())) << "seed " << seed;
    }
  }
  EXPECT_GT(shaped, 500);  // most random groups are valid: the property is not vacuous
}

TEST(ShapeBatchProperty, MeanOnlyAdvantagesSumToZero) {
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    std::mt19937_64 rng(seed);
    v1::ScoreRequest request;
    Shaping& s = *request.mutable_shaping();
    s.set_normalizer(v1::NORMALIZER_MEAN_ONLY);
    if (rng() % 2) s.add_stages(Shaping::STAGE_LENGTH_BUDGET);
    if (rng() % 2) s.add_stages(Shaping::STAGE_UNLIKELINESS);
    v1::Group& group = *request.add_groups();
    v1::GroupResult result;
    const int n = 2 + static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) {
      v1::Sample& sample = *group.add_samples();
      sample.set_logprob(-std::uniform_real_distribution<double>(0, 5)(rng));
      sample.set_num_tokens(static_cast<int64_t>(rng() % 500));
      v1::SampleResult& r = *result.add_samples();
      const bool correct = i == 0 || (i > 1 && rng() % 2);
      r.set_outcome(correct ? v1::CORRECT : (rng() % 5 == 0 ? v1::INFRA_ERROR : v1::INCORRECT));
      r.set_score(correct ? 1 : std::uniform_real_distribution<double>(-1, 0)(rng));
    }
    const GroupInput input[] = {{&result}};
    ASSERT_TRUE(ShapeBatch(request, input)[0].ok()) << "seed " << seed;
    double sum = 0;
    for (const auto& r : result.samples()) sum += r.advantage();
    EXPECT_NEAR(sum, 0, 1e-9) << "seed " << seed;
  }
}

}  // namespace
}  // namespace arbiter::shaping
