#include "shaping/grpo_lambda.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace arbiter::shaping {
namespace {

std::vector<bool> Top(const std::vector<double>& ratios, double lambda) {
  std::unique_ptr<bool[]> top(new bool[ratios.size()]);
  SelectTopGroups(ratios, lambda, absl::MakeSpan(top.get(), ratios.size()));
  // Not `return {first, last}`: that would pick vector<bool>'s initializer_list constructor.
  std::vector<bool> result(top.get(), top.get() + ratios.size());
  return result;
}

TEST(GrpoLambda, SpecVectorFiveGroupsOfFour) {
  // §6.2: λ = 0.2, α = 0.6; ratios 0.75, 0.25, 0, 0.5, 0.5 → top set {g1}.
  EXPECT_EQ(Top({0.75, 0.25, 0, 0.5, 0.5}, 0.2),
            std::vector<bool>({true, false, false, false, false}));
  const bool correct[] = {true, true, true, false};
  const double lengths[] = {300, 500, 400, 900};
  double rewards[] = {9, 9, 9, 9};
  EfficiencyRewards(correct, lengths, 0.6, absl::MakeSpan(rewards));
  EXPECT_NEAR(rewards[0], 0.863738, 1e-6);
  EXPECT_NEAR(rewards[1], 0.536262, 1e-6);
  EXPECT_NEAR(rewards[2], 0.7, 1e-12);
  EXPECT_EQ(rewards[3], 0);
}

TEST(GrpoLambda, TopSetIsCeilAtLeastOneStable) {
  EXPECT_EQ(Top({0.5, 0.5, 0.5}, 0.2), std::vector<bool>({true, false, false}));
  EXPECT_EQ(Top({0.1, 0.5, 0.5, 0.9}, 0.5), std::vector<bool>({false, true, false, true}));
  // 0.7 · 10 = 7.000000000000001 in doubles: still 7 groups.
  std::vector<double> ten(10, 1.0);
  const auto top = Top(ten, 0.7);
  EXPECT_EQ(std::count(top.begin(), top.end(), true), 7);
  EXPECT_EQ(Top({0.3}, 1.0), std::vector<bool>({true}));
  EXPECT_TRUE(Top({}, 0.2).empty());
}

TEST(GrpoLambda, PerGroupFractions) {
  const double ratios[] = {0.9, 0.8, 0.7, 0.6};
  const double lambdas[] = {0.25, 0.25, 1.0, 0.25};
  bool top[4];
  SelectTopGroupsPerGroup(ratios, lambdas, absl::MakeSpan(top));
  EXPECT_TRUE(top[0]);
  EXPECT_FALSE(top[1]);
  EXPECT_TRUE(top[2]);
  EXPECT_FALSE(top[3]);
}

TEST(GrpoLambda, SingleCorrectOrEqualLengthsGiveOneMinusHalfAlpha) {
  const bool one[] = {false, true, false};
  const double lengths[] = {10, 20, 30};
  double rewards[3];
  EfficiencyRewards(one, lengths, 0.6, absl::MakeSpan(rewards));
  EXPECT_DOUBLE_EQ(rewards[1], 0.7);
  EXPECT_EQ(rewards[0], 0);
  const bool all[] = {true, true, true};
  const double same[] = {50, 50, 50};
  EfficiencyRewards(all, same, 0.6, absl::MakeSpan(rewards));
  for (double r : rewards) EXPECT_DOUBLE_EQ(r, 0.7);
}

TEST(GrpoLambda, HugeLengthsStayFinite) {
  const bool correct[] = {true, true};
  const double lengths[] = {0, 9.2e18};
  double rewards[2];
  EfficiencyRewards(correct, lengths, 1e6, absl::MakeSpan(rewards));
  for (double r : rewards) EXPECT_TRUE(std::isfinite(r));
}

}  // namespace
}  // namespace arbiter::shaping
