#include "shaping/unlikeliness.h"

#include <vector>

#include "gtest/gtest.h"
#include "shaping/normalize.h"

namespace arbiter::shaping {
namespace {

std::vector<int> Ranks(const std::vector<double>& likelihood) {
  std::vector<int> ranks(likelihood.size());
  AscendingRanks(likelihood, absl::MakeSpan(ranks));
  return ranks;
}

std::vector<double> Advantages(const std::vector<double>& r) {
  std::vector<double> a(r.size());
  Normalize(r, NormalizerKind::kZScoreUnbiased, 1e-6, absl::MakeSpan(a));
  return a;
}

TEST(Unlikeliness, Case1GroupOfFour) {
  const std::vector<double> lp = {-0.2, -0.9, -0.5, -0.4};
  EXPECT_EQ(Ranks(lp), std::vector<int>({3, 0, 1, 2}));
  std::vector<double> r = {1, 1, 0, 1};
  ApplyUnlikeliness(lp, 0.25, absl::MakeSpan(r));
  EXPECT_EQ(r, std::vector<double>({0.8125, 1.0, 0.0, 0.875}));
  NormalizeResult stats;
  std::vector<double> a(4);
  stats = Normalize(r, NormalizerKind::kZScoreUnbiased, 1e-6, absl::MakeSpan(a));
  EXPECT_DOUBLE_EQ(stats.mean, 0.671875);
  EXPECT_NEAR(stats.std, 0.454649, 1e-6);
  const std::vector<double> want = {0.309304, 0.721709, -1.477785, 0.446772};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(a[i], want[i], 1e-6) << i;
}

TEST(Unlikeliness, Case1PlainGrpoWithBetaZero) {
  std::vector<double> r = {1, 1, 0, 1};
  ApplyUnlikeliness(std::vector<double>{-0.2, -0.9, -0.5, -0.4}, 0.0, absl::MakeSpan(r));
  const auto a = Advantages(r);
  EXPECT_NEAR(a[0], 0.499999, 1e-6);
  EXPECT_NEAR(a[1], 0.499999, 1e-6);
  EXPECT_NEAR(a[2], -1.499997, 1e-6);
}

TEST(Unlikeliness, Case2GroupOfEight) {
  const std::vector<double> lp = {-0.10, -0.35, -0.62, -0.05, -0.80, -0.20, -0.41, -0.15};
  EXPECT_EQ(Ranks(lp), std::vector<int>({6, 3, 1, 7, 0, 4, 2, 5}));
  std::vector<double> r = {1, 0, 1, 1, 0, 0, 1, 0};
  ApplyUnlikeliness(lp, 0.25, absl::MakeSpan(r));
  EXPECT_EQ(r, std::vector<double>({0.8125, 0, 0.96875, 0.78125, 0, 0, 0.9375, 0}));
  std::vector<double> a(8);
  const NormalizeResult stats =
      Normalize(r, NormalizerKind::kZScoreUnbiased, 1e-6, absl::MakeSpan(a));
  EXPECT_DOUBLE_EQ(stats.mean, 0.4375);
  EXPECT_NEAR(stats.std, 0.471569, 1e-6);
  const std::vector<double> want = {0.795216,  -0.927752, 1.126556, 0.728948,
                                    -0.927752, -0.927752, 1.060288, -0.927752};
  for (int i = 0; i < 8; ++i) EXPECT_NEAR(a[i], want[i], 1e-6) << i;
}

TEST(Unlikeliness, Case3AllCorrectIsSkipped) {
  const bool all_correct[] = {true, true, true, true};
  EXPECT_EQ(UnlikelinessSkipReason(all_correct), "unlikeliness: all samples correct");
  const bool none[] = {false, false};
  EXPECT_EQ(UnlikelinessSkipReason(none), "unlikeliness: no sample correct");
  EXPECT_EQ(UnlikelinessSkipReason({}), "no unmasked samples");
  const bool mixed[] = {true, false};
  EXPECT_EQ(UnlikelinessSkipReason(mixed), "");
}

TEST(Unlikeliness, TiesBrokenStablyByIndex) {
  EXPECT_EQ(Ranks({-1, -1, -2, -1}), std::vector<int>({1, 2, 0, 3}));
  EXPECT_EQ(Ranks({0, 0, 0}), std::vector<int>({0, 1, 2}));
}

TEST(Unlikeliness, LeastLikelyNeverPenalisedMostLikelyMost) {
  std::vector<double> r = {1, 1, 1};
  ApplyUnlikeliness(std::vector<double>{-3, -1, -2}, 0.25, absl::MakeSpan(r));
  EXPECT_DOUBLE_EQ(r[0], 1.0);
  EXPECT_DOUBLE_EQ(r[1], 1 - 0.25 * 2 / 3);
  EXPECT_DOUBLE_EQ(r[2], 1 - 0.25 * 1 / 3);
}

}  // namespace
}  // namespace arbiter::shaping
