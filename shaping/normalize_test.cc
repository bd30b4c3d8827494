#include "shaping/normalize.h"

#include <cfloat>
#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace arbiter::shaping {
namespace {

std::vector<double> Adv(const std::vector<double>& r, NormalizerKind kind, double eps = 1e-6,
                        NormalizeResult* out = nullptr) {
  std::vector<double> a(r.size(), 99.0);
  NormalizeResult result = Normalize(r, kind, eps, absl::MakeSpan(a));
  if (out != nullptr) *out = result;
  return a;
}

TEST(Normalize, ZScoreUnbiasedMatchesPlainGrpoVector) {
  // §4.4 plain GRPO: r = [1, 1, 0, 1], mean 0.75, unbiased std 0.5.
  NormalizeResult result;
  auto a = Adv({1, 1, 0, 1}, NormalizerKind::kZScoreUnbiased, 1e-6, &result);
  EXPECT_NEAR(a[0], 0.499999, 1e-6);
  EXPECT_NEAR(a[2], -1.499997, 1e-6);
  EXPECT_DOUBLE_EQ(result.mean, 0.75);
  EXPECT_DOUBLE_EQ(result.std, 0.5);
  EXPECT_FALSE(result.degenerate);
}

TEST(Normalize, ZScorePopulationMatchesSection5Vector) {
  // §5.3 plain GRPO with population std: one success of 8 gets +2.645749.
  // The spec's figures are the ε → 0 values rounded; ε = 1e-6 moves the 6th decimal.
  auto a = Adv({1, 0, 0, 0, 0, 0, 0, 0}, NormalizerKind::kZScorePopulation);
  EXPECT_NEAR(a[0], 2.645749, 1e-5);
  EXPECT_NEAR(a[1], -0.377964, 1e-5);
  auto unbiased = Adv({1, 0, 0, 0, 0, 0, 0, 0}, NormalizerKind::kZScoreUnbiased);
  EXPECT_NEAR(unbiased[0], 2.474874, 1e-5);
  EXPECT_NEAR(unbiased[1], -0.353553, 1e-5);
  auto exact = Adv({1, 0, 0, 0, 0, 0, 0, 0}, NormalizerKind::kZScorePopulation, 0.0);
  EXPECT_NEAR(exact[0], std::sqrt(7.0), 1e-12);
}

TEST(Normalize, MeanOnlyAndNone) {
  auto a = Adv({3, 1}, NormalizerKind::kMeanOnly);
  EXPECT_DOUBLE_EQ(a[0], 1);
  EXPECT_DOUBLE_EQ(a[1], -1);
  auto none = Adv({3, 1}, NormalizerKind::kNone);
  EXPECT_EQ(none, std::vector<double>({0, 0}));
}

TEST(Normalize, EpsilonIsConfigurable) {
  auto a = Adv({1, 0}, NormalizerKind::kZScorePopulation, 0.5);  // std 0.5
  EXPECT_DOUBLE_EQ(a[0], 0.5);
  EXPECT_DOUBLE_EQ(a[1], -0.5);
}

TEST(Normalize, DegenerateGroupGetsZeroAdvantages) {
  for (auto kind : {NormalizerKind::kMeanOnly, NormalizerKind::kZScoreUnbiased,
                    NormalizerKind::kZScorePopulation}) {
    NormalizeResult result;
    auto a = Adv({0.7, 0.7, 0.7}, kind, 1e-6, &result);
    EXPECT_TRUE(result.degenerate);
    EXPECT_EQ(a, std::vector<double>({0, 0, 0}));
    EXPECT_DOUBLE_EQ(result.mean, 0.7);
  }
}

TEST(Normalize, SingleSampleFollowsVerlUnderUnbiasedZScore) {
  NormalizeResult result;
  auto a = Adv({2.0}, NormalizerKind::kZScoreUnbiased, 1e-6, &result);
  EXPECT_DOUBLE_EQ(a[0], 2.0 / (1 + 1e-6));
  EXPECT_FALSE(result.degenerate);
  auto pop = Adv({2.0}, NormalizerKind::kZScorePopulation, 1e-6, &result);
  EXPECT_EQ(pop[0], 0);
  EXPECT_TRUE(result.degenerate);
}

TEST(Normalize, EmptyGroupIsDegenerate) {
  NormalizeResult result;
  Adv({}, NormalizerKind::kZScoreUnbiased, 1e-6, &result);
  EXPECT_TRUE(result.degenerate);
}

TEST(Normalize, MeanCentredAdvantagesSumToZero) {
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> value(-100, 100);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<double> r(1 + trial % 64);
    for (double& x : r) x = value(rng);
    for (auto kind : {NormalizerKind::kMeanOnly, NormalizerKind::kZScoreUnbiased,
                      NormalizerKind::kZScorePopulation}) {
      if (r.size() == 1 && kind == NormalizerKind::kZScoreUnbiased) continue;  // verl G = 1
      auto a = Adv(r, kind);
      double sum = 0;
      for (double x : a) sum += x;
      EXPECT_NEAR(sum, 0, 1e-9 * static_cast<double>(r.size()) * 100) << "trial " << trial;
    }
  }
}

TEST(Normalize, AffineRemapOfBinaryOutcomesIsInvariantUnderZScore) {
  // §0.1: {1, 0} → {+1, −λ} leaves z-scores unchanged (up to ε); mean-only scales by 1 + λ.
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 100; ++trial) {
    std::vector<double> binary(2 + trial % 30);
    for (double& x : binary) x = static_cast<double>(rng() % 2);
    binary[0] = 1;
    binary[1] = 0;
    const double lambda = 0.1 + static_cast<double>(trial) / 10;
    std::vector<double> remapped(binary.size());
    for (size_t i = 0; i < binary.size(); ++i) remapped[i] = binary[i] == 1 ? 1 : -lambda;
    for (auto kind : {NormalizerKind::kZScoreUnbiased, NormalizerKind::kZScorePopulation}) {
      auto a = Adv(binary, kind, 0.0);
      auto b = Adv(remapped, kind, 0.0);
      for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-9) << "trial " << trial;
    }
    auto a = Adv(binary, NormalizerKind::kMeanOnly);
    auto b = Adv(remapped, NormalizerKind::kMeanOnly);
    for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(b[i], (1 + lambda) * a[i], 1e-9);
  }
}

TEST(Normalize, OutputsFiniteForExtremeInputs) {
  const std::vector<std::vector<double>> cases = {
      {DBL_MAX, -DBL_MAX},      {DBL_MAX, DBL_MAX, 0},
      {1e308, -1e308, 1e-308},  {DBL_MIN, 0},
      {4.9e-324, 0, -4.9e-324}, {1e200, 1e200 * (1 + 1e-15)},
      {-DBL_MAX, 0, 0, 0, 0, 1}};
  for (const auto& r : cases) {
    for (auto kind : {NormalizerKind::kNone, NormalizerKind::kMeanOnly,
                      NormalizerKind::kZScoreUnbiased, NormalizerKind::kZScorePopulation}) {
      for (double eps : {0.0, 1e-6}) {
        NormalizeResult result;
        auto a = Adv(r, kind, eps, &result);
        for (double x : a) EXPECT_TRUE(std::isfinite(x)) << r[0];
        EXPECT_TRUE(std::isfinite(result.mean));
        EXPECT_TRUE(std::isfinite(result.std));
      }
    }
  }
  // Scaling keeps the z-scores exact: {DBL_MAX, −DBL_MAX} is ±1 under the population std.
  auto a = Adv({DBL_MAX, -DBL_MAX}, NormalizerKind::kZScorePopulation, 0.0);
  EXPECT_DOUBLE_EQ(a[0], 1);
  EXPECT_DOUBLE_EQ(a[1], -1);
}

TEST(Finite, MapsNonFiniteValues) {
  EXPECT_EQ(Finite(NAN), 0);
  EXPECT_EQ(Finite(INFINITY), DBL_MAX);
  EXPECT_EQ(Finite(-INFINITY), -DBL_MAX);
  EXPECT_EQ(Finite(-3.5), -3.5);
  EXPECT_DOUBLE_EQ(SafeMean({DBL_MAX, DBL_MAX}), DBL_MAX);
}

}  // namespace
}  // namespace arbiter::shaping
