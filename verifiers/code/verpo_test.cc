// VeRPO against the hand-checked vectors of spec methods.md §2.6 and the §2.5 edge cases.
#include "verifiers/code/verpo.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace arbiter::code {
namespace {

constexpr double kTol = 2e-6;  // the spec prints six decimals

std::vector<bool> Bits(const std::string& s) {
  std::vector<bool> v;
  for (char c : s) v.push_back(c == '1');
  return v;
}

PassMatrix SingleTurn(const std::vector<std::string>& rows) {
  PassMatrix m;
  for (const auto& r : rows) m.push_back({Bits(r)});
  return m;
}

v1::VerpoParams SpecParams(v1::VerpoParams::Variant variant, double gamma = 1.0) {
  v1::VerpoParams p;
  p.set_variant(variant);
  p.set_alpha(2);
  p.set_sigma(0.1);
  p.set_delta(0.01);
  p.set_beta(1);
  p.set_beta_set(true);
  p.set_gamma(gamma);
  return *ResolveVerpoParams(p);
}

void ExpectNear(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], kTol) << "index " << i;
}

std::vector<double> LastTurn(const std::vector<std::vector<double>>& per_turn) {
  std::vector<double> v;
  v.reserve(per_turn.size());
  for (const auto& t : per_turn) v.push_back(t.back());
  return v;
}

const std::vector<std::string> kSpecRows = {"11111", "11100", "11000", "11110"};

TEST(Verpo, SingleTurnFullVariantMatchesSpecVector) {
  const VerpoResult r =
      ComputeVerpo(SingleTurn(kSpecRows), 5, SpecParams(v1::VerpoParams::VARIANT_FULL));
  ExpectNear(r.pass_rates, {1, 1, 0.75, 0.5, 0.25});
  ExpectNear(r.densities, {2.043941, 2.043941, 1.131815, 1.087881, 1.043941});
  ExpectNear(r.difficulty_weights, {0.135335, 0.135335, 0.223130, 0.367879, 0.606531});
  ExpectNear(r.weights, {0.065891, 0.065891, 0.195417, 0.335081, 0.575488});
  ExpectNear(LastTurn(r.turn_rewards), {1.237768, 0.327198, 0.131781, 0.662280});
  ExpectNear(r.traj_rewards, {1, 0, 0, 0});
  ExpectNear(LastTurn(r.advantages), {1.398011, -0.512558, -0.707976, -0.177477});
}

TEST(Verpo, SingleTurnDiffVariantMatchesSpecVector) {
  const VerpoResult r =
      ComputeVerpo(SingleTurn(kSpecRows), 5, SpecParams(v1::VerpoParams::VARIANT_DIFF));
  ExpectNear(LastTurn(r.turn_rewards), {1.468211, 0.493801, 0.270671, 0.861680});
  ExpectNear(LastTurn(r.advantages), {1.444620, -0.529790, -0.752920, -0.161910});
}

TEST(Verpo, MultiTurnWithDecayMatchesSpecVector) {
  const PassMatrix m = {{Bits("100"), Bits("111")}, {Bits("110"), Bits("110")}};
  const VerpoResult r = ComputeVerpo(m, 3, SpecParams(v1::VerpoParams::VARIANT_FULL, 0.9));
  ExpectNear(r.pass_rates, {1, 0.75, 0.25});
  ExpectNear(r.weights, {0.128409, 0.211710, 0.600523});
  ExpectNear(r.turn_rewards[0], {0.128409, 0.940643});
  ExpectNear(r.turn_rewards[1], {0.340120, 0.340120});
  ExpectNear(r.traj_rewards_decayed, {0.81, 0});
  ExpectNear(r.advantages[0], {0.096086, 0.908320});
  ExpectNear(r.advantages[1], {-0.502203, -0.502203});
}

TEST(Verpo, PsVariantRewardsFractionOfTestsPassed) {
  const VerpoResult r =
      ComputeVerpo(SingleTurn(kSpecRows), 5, SpecParams(v1::VerpoParams::VARIANT_PS));
  ExpectNear(LastTurn(r.turn_rewards), {1.0, 0.6, 0.4, 0.8});
  // A = A_traj + (R_turn − 0.7).
  ExpectNear(LastTurn(r.advantages), {1.05, -0.35, -0.55, -0.15});
}

TEST(Verpo, EqualPassRatesGiveUniformWeightsAndZeroTurnAdvantage) {
  v1::VerpoParams p = *ResolveVerpoParams({});  // automatic σ hits the floor
  const VerpoResult r = ComputeVerpo(SingleTurn({"111", "111", "111"}), 3, p);
  EXPECT_DOUBLE_EQ(r.sigma, kSigmaFloor);
  EXPECT_DOUBLE_EQ(r.weights[0], r.weights[1]);
  EXPECT_DOUBLE_EQ(r.weights[1], r.weights[2]);
  for (const auto& a : r.advantages) EXPECT_DOUBLE_EQ(a[0], 0.0);
}

TEST(Verpo, AutomaticSigmaIsPopulationStdOverRootTwo) {
  const VerpoResult r = ComputeVerpo(SingleTurn(kSpecRows), 5, *ResolveVerpoParams({}));
  // ρ = [1, 1, .75, .5, .25]: mean .7, population variance .085.
  EXPECT_NEAR(r.sigma, std::sqrt(0.085) / std::sqrt(2.0), 1e-12);
}

TEST(Verpo, SingleTrajectoryGetsZeroAdvantages) {
  const PassMatrix m = {{Bits("10"), Bits("11")}};
  const VerpoResult r = ComputeVerpo(m, 2, *ResolveVerpoParams({}));
  ExpectNear(r.advantages[0], {0, 0});
  EXPECT_EQ(r.traj_rewards[0], 1.0);
  EXPECT_GT(r.turn_rewards[0][1], r.turn_rewards[0][0]);
}

TEST(Verpo, NoTestsGivesZeroTurnRewardsAndOnlyTrajectoryAdvantage) {
  const PassMatrix m = {{{}}, {{}}};
  const VerpoResult r = ComputeVerpo(m, 0, *ResolveVerpoParams({}));
  EXPECT_TRUE(r.weights.empty());
  ExpectNear(LastTurn(r.turn_rewards), {0, 0});
  ExpectNear(LastTurn(r.advantages), {0, 0});
}

TEST(Verpo, TrajectoryWithoutTurnsCountsAsOneFailedTurn) {
  const PassMatrix m = {{}, {Bits("1")}};
  const VerpoResult r = ComputeVerpo(m, 1, SpecParams(v1::VerpoParams::VARIANT_DIFF));
  ExpectNear(r.pass_rates, {0.5});
  ExpectNear(r.traj_rewards, {0, 1});
  EXPECT_LT(r.advantages[0][0], 0);
  EXPECT_GT(r.advantages[1][0], 0);
}

TEST(Verpo, BetaZeroLeavesOnlyTrajectoryAdvantage) {
  v1::VerpoParams p = SpecParams(v1::VerpoParams::VARIANT_FULL);
  p.set_beta(0);
  const VerpoResult r = ComputeVerpo(SingleTurn(kSpecRows), 5, p);
  ExpectNear(LastTurn(r.advantages), {0.75, -0.25, -0.25, -0.25});
}

TEST(Verpo, ResolveFillsDocumentedDefaults) {
  const auto p = ResolveVerpoParams({});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->variant(), v1::VerpoParams::VARIANT_FULL);
  EXPECT_EQ(p->alpha(), 2.0);
  EXPECT_EQ(p->sigma(), 0.0);
  EXPECT_EQ(p->delta(), 1e-8);
  EXPECT_EQ(p->beta(), 1.0);
  EXPECT_TRUE(p->beta_set());
  EXPECT_EQ(p->gamma(), 1.0);
}

TEST(Verpo, ResolveRejectsOutOfRangeParameters) {
  v1::VerpoParams p;
  p.set_gamma(1.5);
  EXPECT_EQ(ResolveVerpoParams(p).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(ResolveVerpoParams(p).status().message().find("gamma"), std::string::npos);
  p.set_gamma(0.5);
  p.set_alpha(-1);
  EXPECT_NE(ResolveVerpoParams(p).status().message().find("alpha"), std::string::npos);
  p.set_alpha(NAN);
  EXPECT_EQ(ResolveVerpoParams(p).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Verpo, ParametersOutsideTheirRangesAreRefusedByName) {
  for (auto [field, value] : {std::pair<const char*, double>{"alpha", 51},
                              {"beta", 1e308},
                              {"sigma", 1e6},
                              {"delta", 2},
                              {"gamma", 1.5}}) {
    v1::VerpoParams p;
    p.GetReflection()->SetDouble(&p, p.GetDescriptor()->FindFieldByName(field), value);
    if (std::string(field) == "beta") p.set_beta_set(true);
    const absl::StatusOr<v1::VerpoParams> resolved = ResolveVerpoParams(p);
    ASSERT_FALSE(resolved.ok()) << field;
    EXPECT_EQ(resolved.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(resolved.status().message().find(field), std::string::npos)
        << resolved.status().message();
  }
  v1::VerpoParams edge;
  edge.set_alpha(kMaxAlpha);
  edge.set_beta(kMaxBeta);
  edge.set_beta_set(true);
  EXPECT_TRUE(ResolveVerpoParams(edge).ok());
}

}  // namespace
}  // namespace arbiter::code
