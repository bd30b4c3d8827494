// ShapeBatch on protos: composition, masking, skips, pairs, GRPO-λ, resolution, errors.
#include "shaping/shaping.h"

#include <cmath>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace arbiter::shaping {
namespace {

using v1::Shaping;

struct Batch {
  v1::ScoreRequest request;
  std::vector<v1::GroupResult> results;

  // One group: outcomes (1 correct, 0 incorrect, 2 no answer, 4 infra) with scores = 1/0.
  v1::Group& Add(const std::vector<int>& outcomes, const std::vector<double>& logprobs = {},
                 const std::vector<int64_t>& tokens = {}) {
    v1::Group& group = *request.add_groups();
    v1::GroupResult& result = results.emplace_back();
    result.set_group_index(request.groups_size() - 1);
    for (size_t i = 0; i < outcomes.size(); ++i) {
      v1::Sample& sample = *group.add_samples();
      if (i < logprobs.size()) sample.set_logprob(logprobs[i]);
      if (i < tokens.size()) sample.set_num_tokens(tokens[i]);
      v1::SampleResult& s = *result.add_samples();
      switch (outcomes[i]) {
        case 1:
          s.set_outcome(v1::CORRECT), s.set_score(1);
          break;
        case 2:
          s.set_outcome(v1::NO_ANSWER), s.set_score(0);
          break;
        case 4:
          s.set_outcome(v1::INFRA_ERROR), s.set_score(0);
          break;
        default:
          s.set_outcome(v1::INCORRECT), s.set_score(0);
          break;
      }
    }
    return group;
  }

  // verifier_advantages[g]: group g's verifier set advantages (the typed Finalize signal).
  std::vector<absl::Status> Shape(const std::vector<bool>& verifier_advantages = {}) {
    std::vector<GroupInput> inputs;
    for (size_t g = 0; g < results.size(); ++g) {
      inputs.push_back({&results[g], g < verifier_advantages.size() && verifier_advantages[g]});
    }
    return ShapeBatch(request, inputs);
  }

  std::vector<double> Advantages(int g) const {
    std::vector<double> out;
    for (const auto& s : results[g].samples()) out.push_back(s.advantage());
    return out;
  }
  std::vector<double> Rewards(int g) const {
    std::vector<double> out;
    for (const auto& s : results[g].samples()) out.push_back(s.reward());
    return out;
  }
};

void ExpectNear(const std::vector<double>& got, const std::vector<double>& want, double tol) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "index " << i;
}

TEST(ShapeBatch, DefaultIsUnbiasedZScoreAndResolvesShaping) {
  Batch b;
  b.Add({1, 1, 0, 1});
  auto statuses = b.Shape();
  ASSERT_TRUE(statuses[0].ok()) << statuses[0];
  ExpectNear(b.Advantages(0), {0.499999, 0.499999, -1.499997, 0.499999}, 1e-6);
  EXPECT_EQ(b.Rewards(0), std::vector<double>({1, 1, 0, 1}));
  const v1::GroupStats& stats = b.results[0].stats();
  EXPECT_EQ(stats.num_samples(), 4);
  EXPECT_EQ(stats.num_correct(), 3);
  EXPECT_DOUBLE_EQ(stats.mean_score(), 0.75);
  EXPECT_DOUBLE_EQ(stats.mean_reward(), 0.75);
  EXPECT_EQ(stats.advantage_source(), "normalizer");
  EXPECT_EQ(stats.resolved_shaping().normalizer(), v1::NORMALIZER_ZSCORE_UNBIASED);
  EXPECT_TRUE(stats.resolved_shaping().has_epsilon());
  EXPECT_DOUBLE_EQ(stats.resolved_shaping().epsilon(), 1e-6);
}

TEST(ShapeBatch, UnlikelinessCase2ThroughProtos) {
  Batch b;
  b.Add({1, 0, 1, 1, 0, 0, 1, 0}, {-0.10, -0.35, -0.62, -0.05, -0.80, -0.20, -0.41, -0.15});
  b.request.mutable_shaping()->add_stages(Shaping::STAGE_UNLIKELINESS);
  ASSERT_TRUE(b.Shape()[0].ok());
  ExpectNear(b.Rewards(0), {0.8125, 0, 0.96875, 0.78125, 0, 0, 0.9375, 0}, 1e-12);
  ExpectNear(b.Advantages(0),
             {0.795216, -0.927752, 1.126556, 0.728948, -0.927752, -0.927752, 1.060288, -0.927752},
             1e-6);
  const Shaping& resolved = b.results[0].stats().resolved_shaping();
  EXPECT_DOUBLE_EQ(resolved.unlikeliness().beta(), 0.25);
  EXPECT_EQ(resolved.unlikeliness().likelihood(), v1::UnlikelinessParams::LIKELIHOOD_MEAN);
}

TEST(ShapeBatch, UnlikelinessSumLikelihoodUsesTokens) {
  Batch b;
  // Mean log-probs rank 0 least likely; × tokens reverses the order.
  b.Add({1, 1, 0}, {-1.0, -0.1, -0.5}, {1, 100, 1});
  Shaping& s = *b.request.mutable_shaping();
  s.add_stages(Shaping::STAGE_UNLIKELINESS);
  s.mutable_unlikeliness()->set_likelihood(v1::UnlikelinessParams::LIKELIHOOD_SUM);
  ASSERT_TRUE(b.Shape()[0].ok());
  // likelihood = [−1, −10, −0.5] → u = [1, 0, 2].
  ExpectNear(b.Rewards(0), {1 - 0.25 / 3, 1, 0}, 1e-12);
}

TEST(ShapeBatch, AllCorrectGroupSkippedBeforeShaping) {
  Batch b;
  b.Add({1, 1, 1, 1}, {-0.2, -0.9, -0.5, -0.4});
  b.Add({0, 0}, {-1, -2});
  b.request.mutable_shaping()->add_stages(Shaping::STAGE_UNLIKELINESS);
  auto statuses = b.Shape();
  ASSERT_TRUE(statuses[0].ok());
  ASSERT_TRUE(statuses[1].ok());
  EXPECT_TRUE(b.results[0].stats().skipped());
  EXPECT_EQ(b.results[0].stats().skip_reason(), "unlikeliness: all samples correct");
  EXPECT_EQ(b.Advantages(0), std::vector<double>({0, 0, 0, 0}));
  EXPECT_EQ(b.Rewards(0), std::vector<double>({1, 1, 1, 1}));  // not shaped
  EXPECT_TRUE(b.results[1].stats().skipped());
  EXPECT_EQ(b.results[1].stats().skip_reason(), "unlikeliness: no sample correct");
}

TEST(ShapeBatch, InfraErrorSamplesAreMasked) {
  Batch b;
  b.Add({1, 4, 1, 0, 1, 4}, {-0.2, NAN, -0.9, -0.5, -0.4});  // masked samples' log-probs unused
  b.results[0].mutable_samples(1)->set_score(123);
  b.request.mutable_shaping()->add_stages(Shaping::STAGE_UNLIKELINESS);
  auto statuses = b.Shape();
  ASSERT_TRUE(statuses[0].ok()) << statuses[0];
  // The unmasked samples are §4.4 case 1.
  ExpectNear(b.Advantages(0), {0.309304, 0, 0.721709, -1.477785, 0.446772, 0}, 1e-6);
  ExpectNear(b.Rewards(0), {0.8125, 123, 1, 0, 0.875, 0}, 1e-12);
  EXPECT_EQ(b.results[0].stats().num_infra_error(), 2);
  EXPECT_EQ(b.results[0].stats().num_samples(), 6);
  EXPECT_DOUBLE_EQ(b.results[0].stats().mean_score(), 0.75);
  EXPECT_DOUBLE_EQ(b.results[0].stats().mean_reward(), 0.671875);
}

TEST(ShapeBatch, RefusesNaNAndInfiniteLogprobNamingTheSample) {
  for (double bad : {NAN, INFINITY, -INFINITY}) {
    Batch b;
    b.Add({1, 0});
    b.Add({1, 0, 1, 0, 1, 0}, {-1, -1, -1, -1, -1, bad});
    b.request.mutable_shaping()->add_stages(Shaping::STAGE_UNLIKELINESS);
    b.request.mutable_groups(0)->mutable_shaping()->set_normalizer(v1::NORMALIZER_MEAN_ONLY);
    auto statuses = b.Shape();
    EXPECT_TRUE(statuses[0].ok());
    EXPECT_EQ(statuses[1].code(), absl::StatusCode::kInvalidArgument);
    const std::string want = std::isnan(bad) ? "group 1 sample 5: logprob is NaN"
                                             : "group 1 sample 5: logprob is infinite";
    EXPECT_EQ(statuses[1].message(), want);
    for (double x : b.Advantages(1)) EXPECT_EQ(x, 0);
    for (double x : b.Rewards(1)) EXPECT_TRUE(std::isfinite(x));
  }
}

TEST(ShapeBatch, RefusesMissingLogprobNamingTheSample) {
  Batch b;
  b.Add({1, 0, 1}, {-1, -2});
  b.request.mutable_shaping()->add_stages(Shaping::STAGE_UNLIKELINESS);
  auto statuses = b.Shape();
  EXPECT_EQ(statuses[0].code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(statuses[0].message().find("group 0 sample 2: logprob is missing"), std::string::npos);
}

TEST(ShapeBatch, LengthBudgetThenUnlikelinessThenZScore) {
  Batch b;
  // Correct, ℓ = 100 at step 450 (L = 87): total 0.955172 (§6.1); format failure and wrong.
  b.Add({1, 2, 0, 1}, {-0.5, -0.1, -0.2, -0.9}, {100, 60, 87, 87});
  Shaping& s = *b.request.mutable_shaping();
  s.add_stages(Shaping::STAGE_LENGTH_BUDGET);
  s.add_stages(Shaping::STAGE_UNLIKELINESS);
  s.mutable_length_budget()->set_step(450);
  ASSERT_TRUE(b.Shape()[0].ok());
  const double r_len_100 = 1 - 13.0 / 87;
  const std::vector<double> before = {0.6 + 0.3 * r_len_100 + 0.1, 0.3 * 60.0 / 87, 0.3 + 0.1,
                                      0.6 + 0.3 + 0.1};
  // u = [1, 3, 2, 0] over likelihoods [−0.5, −0.1, −0.2, −0.9].
  const std::vector<double> want = {before[0] * (1 - 0.25 / 4), before[1] * (1 - 0.25 * 3 / 4),
                                    before[2] * (1 - 0.25 * 2 / 4), before[3]};
  ExpectNear(b.Rewards(0), want, 1e-12);
  EXPECT_NEAR(before[0], 0.955172, 1e-6);
  const Shaping& resolved = b.results[0].stats().resolved_shaping();
  EXPECT_DOUBLE_EQ(resolved.length_budget().budget(), 87);
  EXPECT_DOUBLE_EQ(resolved.length_budget().initial_budget(), 256);
  EXPECT_DOUBLE_EQ(resolved.length_budget().lambda_format(), 0.1);
  EXPECT_EQ(resolved.length_budget().shape(), v1::LengthBudgetParams::SHAPE_TRIANGULAR);
  double sum = 0;
  for (double a : b.Advantages(0)) sum += a;
  EXPECT_NEAR(sum, 0, 1e-12);
}

TEST(ShapeBatch, GrpoLambdaSpecVectorAcrossTheBatch) {
  Batch b;
  b.Add({1, 1, 1, 0}, {}, {300, 500, 400, 900});
  b.Add({1, 0, 0, 0}, {}, {10, 20, 30, 40});
  b.Add({0, 0, 0, 0});
  b.Add({1, 1, 0, 0}, {}, {10, 20, 30, 40});
  b.Add({1, 0, 1, 0}, {}, {10, 20, 30, 40});
  b.request.mutable_shaping()->add_stages(Shaping::STAGE_GRPO_LAMBDA);
  EXPECT_TRUE(NeedsWholeBatch(b.request));
  for (const auto& s : b.Shape()) ASSERT_TRUE(s.ok()) << s;
  ExpectNear(b.Rewards(0), {0.863738, 0.536262, 0.7, 0}, 1e-6);
  EXPECT_EQ(b.Rewards(1), std::vector<double>({1, 0, 0, 0}));
  EXPECT_EQ(b.Rewards(3), std::vector<double>({1, 1, 0, 0}));
  EXPECT_EQ(b.Rewards(4), std::vector<double>({1, 0, 1, 0}));
  EXPECT_TRUE(b.results[2].stats().degenerate());
  EXPECT_EQ(b.Advantages(2), std::vector<double>({0, 0, 0, 0}));
  EXPECT_DOUBLE_EQ(b.results[0].stats().resolved_shaping().grpo_lambda().lambda(), 0.2);
  EXPECT_DOUBLE_EQ(b.results[0].stats().resolved_shaping().grpo_lambda().alpha(), 0.6);
}

v1::Group& MakePair(Batch& b, const std::string& id) {
  v1::Group& pos = b.Add({1, 0, 0, 0, 0, 0, 0, 0});
  pos.set_pair_id(id);
  pos.set_pair_role(v1::PAIR_ROLE_POSITIVE);
  v1::Group& neg = b.Add({1, 1, 1, 1, 1, 1, 1, 0});
  neg.set_pair_id(id);
  neg.set_pair_role(v1::PAIR_ROLE_NEGATIVE);
  return neg;
}

TEST(ShapeBatch, PairModeCThroughProtos) {
  Batch b;
  MakePair(b, "p");
  Shaping& s = *b.request.mutable_shaping();
  s.set_normalizer(v1::NORMALIZER_ZSCORE_POPULATION);
  s.mutable_pair()->set_mode(v1::PairParams::MODE_PAIR_POOLED_SPARSE);
  s.mutable_pair()->set_lambda_neg(2);
  EXPECT_TRUE(NeedsWholeBatch(b.request));
  for (const auto& st : b.Shape()) ASSERT_TRUE(st.ok()) << st;
  EXPECT_NEAR(b.Advantages(0)[0], 1.912646, 1e-6);
  EXPECT_NEAR(b.Advantages(0)[1], 0.112509, 1e-6);
  EXPECT_NEAR(b.Advantages(1)[7], -3.487766, 1e-6);
  EXPECT_DOUBLE_EQ(b.Rewards(1)[7], -2);
  EXPECT_DOUBLE_EQ(b.Rewards(1)[0], 0);
  EXPECT_EQ(b.results[1].stats().resolved_shaping().pair().mode(),
            v1::PairParams::MODE_PAIR_POOLED_SPARSE);
}

TEST(ShapeBatch, PairDefaultIsModeDLambdaOne) {
  Batch b;
  MakePair(b, "p");
  b.request.mutable_shaping()->set_normalizer(v1::NORMALIZER_ZSCORE_POPULATION);
  for (const auto& st : b.Shape()) ASSERT_TRUE(st.ok()) << st;
  EXPECT_NEAR(b.Advantages(1)[7], -2.645749, 1e-5);
  const v1::PairParams& pair = b.results[0].stats().resolved_shaping().pair();
  EXPECT_EQ(pair.mode(), v1::PairParams::MODE_PROMPT_WEIGHT);
  EXPECT_DOUBLE_EQ(pair.lambda_neg(), 1);
}

TEST(ShapeBatch, PairModeDWithUnlikelinessSkipsOneHalf) {
  Batch b;
  v1::Group& pos = b.Add({0, 0, 0, 0}, {-1, -2, -3, -4});  // all wrong: skipped
  pos.set_pair_id("p");
  pos.set_pair_role(v1::PAIR_ROLE_POSITIVE);
  v1::Group& neg = b.Add({1, 1, 1, 0}, {-1, -2, -3, -4});
  neg.set_pair_id("p");
  neg.set_pair_role(v1::PAIR_ROLE_NEGATIVE);
  Shaping& s = *b.request.mutable_shaping();
  s.add_stages(Shaping::STAGE_UNLIKELINESS);
  s.set_normalizer(v1::NORMALIZER_MEAN_ONLY);
  s.mutable_pair()->set_lambda_neg(2);
  for (const auto& st : b.Shape()) ASSERT_TRUE(st.ok()) << st;
  EXPECT_TRUE(b.results[0].stats().skipped());
  EXPECT_EQ(b.Advantages(0), std::vector<double>({0, 0, 0, 0}));
  // q−: u = [3, 2, 1, 0] → r = [1 − 3/16, 1 − 2/16, 1 − 1/16, 0]; mean-only, then × 2.
  const std::vector<double> r = {13.0 / 16, 14.0 / 16, 15.0 / 16, 0};
  const double mean = (r[0] + r[1] + r[2]) / 4;
  ExpectNear(b.Rewards(1), r, 1e-12);
  ExpectNear(b.Advantages(1), {2 * (r[0] - mean), 2 * (r[1] - mean), 2 * (r[2] - mean), -2 * mean},
             1e-12);
}

TEST(ShapeBatch, PairWithoutPartnerOrWithWrongRolesIsInvalid) {
  Batch b;
  v1::Group& lonely = b.Add({1, 0});
  lonely.set_pair_id("alone");
  lonely.set_pair_role(v1::PAIR_ROLE_POSITIVE);
  MakePair(b, "twins").set_pair_role(v1::PAIR_ROLE_POSITIVE);  // two positives
  b.Add({1, 0});                                               // unpaired, fine
  auto statuses = b.Shape();
  EXPECT_EQ(statuses[0].code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(statuses[0].message().find("pair 'alone'"), std::string::npos);
  EXPECT_EQ(statuses[1].code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(statuses[1].message().find("pair 'twins'"), std::string::npos);
  EXPECT_EQ(statuses[2].code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(statuses[3].ok());
}

TEST(ShapeBatch, PairPartnerMissingFromResultsFails) {
  Batch b;
  MakePair(b, "p");
  const GroupInput only_first[] = {{&b.results[0]}};
  auto statuses = ShapeBatch(b.request, only_first);
  EXPECT_EQ(statuses[0].code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ShapeBatch, PairModeCRefusesRewardStages) {
  Batch b;
  MakePair(b, "p");
  b.request.mutable_shaping()->add_stages(Shaping::STAGE_LENGTH_BUDGET);
  b.request.mutable_shaping()->mutable_pair()->set_mode(v1::PairParams::MODE_PAIR_POOLED_SPARSE);
  auto statuses = b.Shape();
  EXPECT_EQ(statuses[0].code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(statuses[1].code(), absl::StatusCode::kInvalidArgument);
}

TEST(ShapeBatch, GroupShapingOverridesRequestShaping) {
  Batch b;
  b.Add({1, 0});
  b.Add({1, 0});
  b.request.mutable_shaping()->set_normalizer(v1::NORMALIZER_MEAN_ONLY);
  b.request.mutable_groups(1)->mutable_shaping()->set_normalizer(v1::NORMALIZER_NONE);
  for (const auto& st : b.Shape()) ASSERT_TRUE(st.ok());
  EXPECT_EQ(b.Advantages(0), std::vector<double>({0.5, -0.5}));
  EXPECT_EQ(b.Advantages(1), std::vector<double>({0, 0}));
  EXPECT_EQ(b.results[1].stats().resolved_shaping().normalizer(), v1::NORMALIZER_NONE);
  EXPECT_FALSE(NeedsWholeBatch(b.request));
}

TEST(ShapeBatch, KeepsVerifierAdvantagesWhenNormalizerUnspecified) {
  Batch b;
  b.Add({1, 0});
  b.Add({1, 0});
  for (auto& r : b.results) {
    r.mutable_samples(0)->set_advantage(0.3);
    r.mutable_samples(1)->set_advantage(NAN);
  }
  b.request.mutable_groups(1)->mutable_shaping()->set_normalizer(v1::NORMALIZER_ZSCORE_POPULATION);
  for (const auto& st : b.Shape({true, true})) ASSERT_TRUE(st.ok());
  EXPECT_EQ(b.Advantages(0), std::vector<double>({0.3, 0}));  // NaN made finite
  EXPECT_EQ(b.results[0].stats().advantage_source(), "verifier");
  EXPECT_EQ(b.results[0].stats().resolved_shaping().normalizer(), v1::NORMALIZER_UNSPECIFIED);
  ExpectNear(b.Advantages(1), {1, -1}, 1e-5);
  EXPECT_EQ(b.results[1].stats().advantage_source(), "normalizer");
}

TEST(ShapeBatch, FailedGroupsGetRewardEqualToScoreAndNoShaping) {
  Batch b;
  b.Add({1, 0});
  b.results[0].mutable_status()->set_code(3);
  b.results[0].mutable_samples(0)->set_reward(42);  // shaping owns reward: overwritten
  b.results[0].mutable_samples(0)->set_advantage(7);
  b.results[0].mutable_samples(1)->set_score(NAN);
  auto statuses = b.Shape();
  EXPECT_TRUE(statuses[0].ok());
  EXPECT_EQ(b.Rewards(0), std::vector<double>({1, 0}));
  EXPECT_EQ(b.Advantages(0), std::vector<double>({0, 0}));
  EXPECT_FALSE(b.results[0].stats().has_resolved_shaping());
}

TEST(ShapeBatch, VerifierAdvantagesNeedTheTypedSignalNotAWireString) {
  Batch b;
  b.Add({1, 0});
  b.results[0].mutable_stats()->set_advantage_source("verifier");  // what a client could send
  b.results[0].mutable_samples(0)->set_advantage(0.3);
  for (const auto& st : b.Shape()) ASSERT_TRUE(st.ok());
  ExpectNear(b.Advantages(0), {0.7071067, -0.7071067}, 1e-5);  // the default normaliser's
  EXPECT_EQ(b.results[0].stats().advantage_source(), "normalizer");
}

TEST(PlanRequest, ValidatesEveryShapingOnceNamingTheGroup) {
  Batch b;
  b.Add({1, 0});
  b.Add({1, 0});
  b.request.mutable_groups(1)->mutable_shaping()->mutable_unlikeliness()->set_beta(-1);
  absl::StatusOr<RequestPlan> plan = PlanRequest(b.request);
  ASSERT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(plan.status().message().find("groups[1].shaping: shaping.unlikeliness.beta"),
            std::string::npos)
      << plan.status();
  b.request.mutable_groups(1)->clear_shaping();
  b.request.mutable_shaping()->set_epsilon(-1);
  EXPECT_NE(PlanRequest(b.request).status().message().find("shaping: shaping.epsilon"),
            std::string::npos);
  b.request.clear_shaping();
  plan = PlanRequest(b.request);
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->validated);
  EXPECT_FALSE(plan->whole_batch);
}

TEST(ShapeBatch, InvalidGroupShapingFailsOnlyThatGroup) {
  Batch b;
  b.Add({1, 0});
  b.Add({1, 0});
  b.request.mutable_groups(1)->mutable_shaping()->mutable_unlikeliness()->set_beta(-1);
  auto statuses = b.Shape();
  EXPECT_TRUE(statuses[0].ok());
  EXPECT_EQ(statuses[1].code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(statuses[1].message().find("unlikeliness.beta"), std::string::npos);
}

TEST(ValidateShaping, RefusesBadParametersNamingThem) {
  const auto check = [](auto mutate, const std::string& name) {
    Shaping s;
    mutate(s);
    absl::Status status = ValidateShaping(s);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_NE(status.message().find(name), std::string::npos) << status;
  };
  check([](Shaping& s) { s.set_epsilon(-1); }, "epsilon");
  check([](Shaping& s) { s.set_epsilon(NAN); }, "epsilon");
  check([](Shaping& s) { s.mutable_unlikeliness()->set_beta(1.5); }, "unlikeliness.beta");
  check([](Shaping& s) { s.mutable_grpo_lambda()->set_lambda(0); }, "grpo_lambda.lambda");
  check([](Shaping& s) { s.mutable_grpo_lambda()->set_lambda(1.1); }, "grpo_lambda.lambda");
  check([](Shaping& s) { s.mutable_pair()->set_lambda_neg(-1); }, "pair.lambda_neg");
  check([](Shaping& s) { s.mutable_length_budget()->set_decay(0); }, "length_budget.decay");
  check([](Shaping& s) { s.mutable_length_budget()->set_decay_every(0); }, "decay_every");
  check([](Shaping& s) { s.mutable_length_budget()->set_step(-1); }, "length_budget.step");
  check([](Shaping& s) { s.add_stages(Shaping::STAGE_UNSPECIFIED); }, "stages[0]");
  check([](Shaping& s) { s.add_stages(static_cast<Shaping::Stage>(99)); }, "stages[0]");
  check(
      [](Shaping& s) {
        s.add_stages(Shaping::STAGE_UNLIKELINESS);
        s.add_stages(Shaping::STAGE_UNLIKELINESS);
      },
      "listed twice");
  check([](Shaping& s) { s.set_normalizer(static_cast<v1::Normalizer>(42)); }, "normalizer");
  EXPECT_TRUE(ValidateShaping(Shaping()).ok());
}

}  // namespace
}  // namespace arbiter::shaping
