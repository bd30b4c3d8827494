#include "shaping/pair_grpo.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace arbiter::shaping {
namespace {

// §5.3: G = 8, q+ outcomes 10000000, q− outcomes 11111110, population std, ε = 1e-6.
// The spec's mode A/D figures (±2.645749, ±0.377964, ±2.474874, ±0.353553) are the ε → 0 values
// (√7, 1/√7, √(49/8), …) rounded; with ε = 1e-6 on a {+1, −λ} scale they move by up to 6e-6, as
// §5.3 says ("it only moves the 6th decimal"). So those vectors are checked to 1e-5, and exactly
// (1e-12) with ε = 0. Mode C's figures include ε and are checked to 1e-6.
constexpr double kSixthDecimal = 1e-5;

struct Pair {
  bool pos_correct[8] = {true, false, false, false, false, false, false, false};
  bool neg_correct[8] = {true, true, true, true, true, true, true, false};
  std::vector<double> pos_reward = {1, 0, 0, 0, 0, 0, 0, 0};
  std::vector<double> neg_reward = {1, 1, 1, 1, 1, 1, 1, 0};
  std::vector<double> pos_adv = std::vector<double>(8);
  std::vector<double> neg_adv = std::vector<double>(8);

  PairResult Run(PairMode mode, double lambda,
                 NormalizerKind kind = NormalizerKind::kZScorePopulation, double epsilon = 1e-6) {
    PairRewards(mode, lambda, true, pos_correct, absl::MakeSpan(pos_reward));
    PairRewards(mode, lambda, false, neg_correct, absl::MakeSpan(neg_reward));
    return PairAdvantages(mode, lambda, kind, epsilon, pos_reward, neg_reward,
                          absl::MakeSpan(pos_adv), absl::MakeSpan(neg_adv));
  }
};

TEST(PairGrpo, ModeAEqualsPlainGrpoForAnyLambda) {
  for (double lambda : {0.5, 1.0, 2.0, 7.0}) {
    Pair p;
    p.Run(PairMode::kLiteralPerPrompt, lambda);
    EXPECT_DOUBLE_EQ(p.pos_reward[0], 1);
    EXPECT_DOUBLE_EQ(p.pos_reward[1], -lambda);
    EXPECT_NEAR(p.pos_adv[0], 2.645749, kSixthDecimal);
    for (int i = 1; i < 8; ++i) EXPECT_NEAR(p.pos_adv[i], -0.377964, kSixthDecimal);
    for (int i = 0; i < 7; ++i) EXPECT_NEAR(p.neg_adv[i], 0.377964, kSixthDecimal);
    EXPECT_NEAR(p.neg_adv[7], -2.645749, kSixthDecimal);
  }
}

TEST(PairGrpo, ModeAIsExactlyPlainGrpoWithoutEpsilon) {
  for (double lambda : {0.5, 1.0, 2.0, 7.0}) {
    Pair p;
    p.Run(PairMode::kLiteralPerPrompt, lambda, NormalizerKind::kZScorePopulation, 0.0);
    EXPECT_NEAR(p.pos_adv[0], std::sqrt(7.0), 1e-12);
    EXPECT_NEAR(p.pos_adv[1], -1 / std::sqrt(7.0), 1e-12);
    EXPECT_NEAR(p.neg_adv[0], 1 / std::sqrt(7.0), 1e-12);
    EXPECT_NEAR(p.neg_adv[7], -std::sqrt(7.0), 1e-12);
  }
}

TEST(PairGrpo, ModeAWithUnbiasedStd) {
  Pair p;
  p.Run(PairMode::kLiteralPerPrompt, 2.0, NormalizerKind::kZScoreUnbiased);
  EXPECT_NEAR(p.pos_adv[0], 2.474874, kSixthDecimal);
  EXPECT_NEAR(p.pos_adv[1], -0.353553, kSixthDecimal);
  EXPECT_NEAR(p.neg_adv[0], 0.353553, kSixthDecimal);
  EXPECT_NEAR(p.neg_adv[7], -2.474874, kSixthDecimal);
}

TEST(PairGrpo, RemapThenPooledZScoreLosesRareEventEmphasis) {
  // Shown in §5.3 to rule it out: every success +1, every failure −1.
  std::vector<double> pooled = {1, -1, -1, -1, -1, -1, -1, -1, 1, 1, 1, 1, 1, 1, 1, -1};
  std::vector<double> a(16);
  Normalize(pooled, NormalizerKind::kZScorePopulation, 1e-6, absl::MakeSpan(a));
  for (int i = 0; i < 16; ++i) EXPECT_NEAR(a[i], pooled[i], 1e-5);
}

TEST(PairGrpo, ModeCLambdaOne) {
  Pair p;
  p.Run(PairMode::kPairPooledSparse, 1.0);
  EXPECT_NEAR(p.pos_adv[0], 2.828419, 1e-6);
  EXPECT_NEAR(p.neg_adv[7], -2.828419, 1e-6);
  for (int i = 1; i < 8; ++i) EXPECT_NEAR(p.pos_adv[i], 0, 1e-12);
  for (int i = 0; i < 7; ++i) EXPECT_NEAR(p.neg_adv[i], 0, 1e-12);
  EXPECT_DOUBLE_EQ(p.neg_reward[7], -1);
  EXPECT_DOUBLE_EQ(p.neg_reward[0], 0);
}

TEST(PairGrpo, ModeCLambdaTwo) {
  Pair p;
  const PairResult r = p.Run(PairMode::kPairPooledSparse, 2.0);
  EXPECT_NEAR(p.pos_adv[0], 1.912646, 1e-6);
  EXPECT_NEAR(p.neg_adv[7], -3.487766, 1e-6);
  for (int i = 1; i < 8; ++i) EXPECT_NEAR(p.pos_adv[i], 0.112509, 1e-6);
  for (int i = 0; i < 7; ++i) EXPECT_NEAR(p.neg_adv[i], 0.112509, 1e-6);
  EXPECT_DOUBLE_EQ(r.positive.mean, -0.0625);
  EXPECT_DOUBLE_EQ(r.negative.mean, -0.0625);
}

TEST(PairGrpo, ModeDLambdaTwoDoublesTheNegativeHalf) {
  Pair p;
  p.Run(PairMode::kPromptWeight, 2.0);
  EXPECT_NEAR(p.pos_adv[0], 2.645749, kSixthDecimal);
  EXPECT_NEAR(p.pos_adv[1], -0.377964, kSixthDecimal);
  for (int i = 0; i < 7; ++i) EXPECT_NEAR(p.neg_adv[i], 0.755928, kSixthDecimal);
  EXPECT_NEAR(p.neg_adv[7], -5.291498, 2 * kSixthDecimal);  // λ doubles the ε shift
  EXPECT_EQ(p.neg_reward, std::vector<double>({1, 1, 1, 1, 1, 1, 1, 0}));  // D keeps rewards
  Pair exact;
  exact.Run(PairMode::kPromptWeight, 2.0, NormalizerKind::kZScorePopulation, 0.0);
  EXPECT_NEAR(exact.neg_adv[7], -2 * std::sqrt(7.0), 1e-12);
  EXPECT_NEAR(exact.neg_adv[0], 2 / std::sqrt(7.0), 1e-12);
}

TEST(PairGrpo, ModeDLambdaOneIsPlainGrpo) {
  Pair p;
  p.Run(PairMode::kPromptWeight, 1.0);
  EXPECT_NEAR(p.neg_adv[0], 0.377964, kSixthDecimal);
  EXPECT_NEAR(p.neg_adv[7], -2.645749, kSixthDecimal);
}

}  // namespace
}  // namespace arbiter::shaping
