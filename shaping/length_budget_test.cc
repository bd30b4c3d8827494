#include "shaping/length_budget.h"

#include "gtest/gtest.h"

namespace arbiter::shaping {
namespace {

TEST(LengthReward, TriangularVectors) {
  // §6.1, R_max = 1, L = 87.
  const auto r = [](double l) { return LengthReward(l, 87, 1, LengthShape::kTriangular); };
  EXPECT_DOUBLE_EQ(r(0), 0);
  EXPECT_NEAR(r(60), 0.689655, 1e-6);
  EXPECT_DOUBLE_EQ(r(87), 1);
  EXPECT_NEAR(r(100), 0.850575, 1e-6);
  EXPECT_DOUBLE_EQ(r(100), 1 - 13.0 / 87);
  EXPECT_DOUBLE_EQ(r(174), 0);
  EXPECT_DOUBLE_EQ(r(180), 0);
}

TEST(LengthReward, BandIsFlatUpToBudget) {
  const auto r = [](double l) { return LengthReward(l, 87, 2, LengthShape::kBand); };
  EXPECT_DOUBLE_EQ(r(0), 2);
  EXPECT_DOUBLE_EQ(r(60), 2);
  EXPECT_DOUBLE_EQ(r(87), 2);
  EXPECT_DOUBLE_EQ(r(100), 2 * (1 - 13.0 / 87));
  EXPECT_DOUBLE_EQ(r(174), 0);
  EXPECT_DOUBLE_EQ(r(1000), 0);
}

TEST(LengthReward, ZeroBudgetGivesZero) {
  EXPECT_EQ(LengthReward(10, 0, 1, LengthShape::kTriangular), 0);
}

TEST(BudgetSchedule, SpecVectorsTruncateToIntegers) {
  const BudgetSchedule s;  // B0 256, γ 0.7, T 150
  EXPECT_EQ(BudgetAt(0, s), 256);
  EXPECT_EQ(BudgetAt(149, s), 256);
  EXPECT_EQ(BudgetAt(150, s), 179);
  EXPECT_EQ(BudgetAt(300, s), 125);
  EXPECT_EQ(BudgetAt(450, s), 87);
  EXPECT_EQ(BudgetAt(599, s), 87);
}

TEST(BudgetSchedule, FloorsAtMinimum) {
  BudgetSchedule s;
  EXPECT_EQ(BudgetAt(int64_t{150} * 100, s), 1);
  s.min_budget = 64;
  EXPECT_EQ(BudgetAt(600, s), 64);
  s.initial_budget = 100;
  s.decay = 0.5;
  s.min_budget = 1;
  EXPECT_EQ(BudgetAt(150, s), 50);
}

TEST(BudgetSchedule, DecayFactorVectors) {
  EXPECT_NEAR(DecayFactor(256, 87, 1), 0.339844, 1e-6);
  EXPECT_NEAR(DecayFactor(256, 87, 3), 0.697846, 1e-6);
  EXPECT_NEAR(DecayFactor(256, 87, 7), 0.857117, 1e-6);
  EXPECT_DOUBLE_EQ(UpdateInterval(600, 3), 150);
}

TEST(LengthBudgetTotal, SpecVector) {
  const double r_len = LengthReward(100, 87, 1, LengthShape::kTriangular);
  EXPECT_NEAR(LengthBudgetTotal(true, true, r_len, {0.6, 0.3, 0.1}), 0.955172, 1e-6);
  EXPECT_NEAR(LengthBudgetTotal(false, false, r_len, {0.6, 0.3, 0.1}), 0.3 * r_len, 1e-12);
}

}  // namespace
}  // namespace arbiter::shaping
