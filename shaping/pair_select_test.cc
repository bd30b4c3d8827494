#include "shaping/pair_select.h"

#include "gtest/gtest.h"
#include "shaping/register.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::shaping {
namespace {

v1::ProbeStat Probe(const std::string& id, int successes,
                    v1::ProbeStat::Pool pool = v1::ProbeStat::POOL_UNSPECIFIED) {
  v1::ProbeStat stat;
  stat.set_prompt_id(id);
  stat.set_successes(successes);
  stat.set_pool(pool);
  return stat;
}

TEST(PairSelect, SpecWindowsForG8C2) {
  // §5.2: G = 8, c = 2: q+ window [0.125, 0.25], q− window [0.75, 0.875].
  EXPECT_TRUE(InPositiveWindow(1, 8, 8, 2));
  EXPECT_TRUE(InPositiveWindow(2, 8, 8, 2));
  EXPECT_FALSE(InPositiveWindow(0, 8, 8, 2));  // unsolvable
  EXPECT_FALSE(InPositiveWindow(3, 8, 8, 2));
  EXPECT_TRUE(InNegativeWindow(7, 8, 8, 2));
  EXPECT_TRUE(InNegativeWindow(6, 8, 8, 2));
  EXPECT_FALSE(InNegativeWindow(8, 8, 8, 2));  // not brittle
  EXPECT_FALSE(InNegativeWindow(5, 8, 8, 2));
}

TEST(PairSelect, ReportsWindowsWithDefaults) {
  v1::PairSelectParams params;
  *params.add_candidates() = Probe("a", 1);
  *params.add_candidates() = Probe("b", 7);
  auto result = SelectPair(params);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->q_plus(), "a");
  EXPECT_EQ(result->q_minus(), "b");
  EXPECT_DOUBLE_EQ(result->q_plus_rate(), 0.125);
  EXPECT_DOUBLE_EQ(result->q_minus_rate(), 0.875);
  EXPECT_DOUBLE_EQ(result->q_plus_low(), 0.125);
  EXPECT_DOUBLE_EQ(result->q_plus_high(), 0.25);
  EXPECT_DOUBLE_EQ(result->q_minus_low(), 0.75);
  EXPECT_DOUBLE_EQ(result->q_minus_high(), 0.875);
}

TEST(PairSelect, PicksLowestAndHighestRateTiesByPromptId) {
  v1::PairSelectParams params;
  params.set_g(8);
  params.set_c(2);
  *params.add_candidates() = Probe("zero", 0, v1::ProbeStat::POOL_HARD);
  *params.add_candidates() = Probe("p2", 2, v1::ProbeStat::POOL_HARD);
  *params.add_candidates() = Probe("p1b", 1, v1::ProbeStat::POOL_HARD);
  *params.add_candidates() = Probe("p1a", 1, v1::ProbeStat::POOL_HARD);
  *params.add_candidates() = Probe("all", 8, v1::ProbeStat::POOL_EASY);
  *params.add_candidates() = Probe("n6", 6, v1::ProbeStat::POOL_EASY);
  *params.add_candidates() = Probe("n7b", 7, v1::ProbeStat::POOL_EASY);
  *params.add_candidates() = Probe("n7a", 7, v1::ProbeStat::POOL_EASY);
  auto result = SelectPair(params);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->q_plus(), "p1a");
  EXPECT_EQ(result->q_minus(), "n7a");
}

TEST(PairSelect, RespectsPools) {
  v1::PairSelectParams params;
  *params.add_candidates() = Probe("easy1", 1, v1::ProbeStat::POOL_EASY);
  *params.add_candidates() = Probe("hard7", 7, v1::ProbeStat::POOL_HARD);
  auto result = SelectPair(params);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kNotFound);
}

TEST(PairSelect, UsesPerCandidateSampleCounts) {
  v1::PairSelectParams params;
  v1::ProbeStat plus = Probe("p", 2);
  plus.set_samples(16);  // 0.125
  v1::ProbeStat minus = Probe("m", 15);
  minus.set_samples(16);  // 0.9375 > 0.875: outside
  *params.add_candidates() = plus;
  *params.add_candidates() = minus;
  *params.add_candidates() = Probe("m2", 6);
  auto result = SelectPair(params);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->q_plus(), "p");
  EXPECT_EQ(result->q_minus(), "m2");
}

TEST(PairSelect, NotFoundWhenNoQPlus) {
  v1::PairSelectParams params;
  *params.add_candidates() = Probe("a", 0);
  *params.add_candidates() = Probe("b", 7);
  auto result = SelectPair(params);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(result.status().message().find("q+"), std::string::npos);
}

TEST(PairSelect, InvalidArgumentForBadParameters) {
  v1::PairSelectParams empty;
  EXPECT_EQ(SelectPair(empty).status().code(), absl::StatusCode::kInvalidArgument);
  v1::PairSelectParams bad_c;
  bad_c.set_g(4);
  bad_c.set_c(5);
  *bad_c.add_candidates() = Probe("a", 1);
  EXPECT_EQ(SelectPair(bad_c).status().code(), absl::StatusCode::kInvalidArgument);
  v1::PairSelectParams dup;
  *dup.add_candidates() = Probe("a", 1);
  *dup.add_candidates() = Probe("a", 7);
  EXPECT_EQ(SelectPair(dup).status().code(), absl::StatusCode::kInvalidArgument);
  v1::PairSelectParams too_many;
  *too_many.add_candidates() = Probe("a", 9);
  auto status = SelectPair(too_many).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("'a'"), std::string::npos);
}

TEST(PairSelectGenerator, ServesKindThroughRegistry) {
  sdk::VerifierRegistry registry;
  ASSERT_TRUE(RegisterShapingGenerators(registry).ok());
  const sdk::Generator* generator = registry.FindGenerator("pair_select");
  ASSERT_NE(generator, nullptr);
  v1::GenerateRequest request;
  request.set_kind("pair_select");
  *request.mutable_pair_select()->add_candidates() = Probe("a", 1);
  *request.mutable_pair_select()->add_candidates() = Probe("b", 7);
  auto response = generator->Generate(request);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->pair_select().q_plus(), "a");
  EXPECT_EQ(response->pair_select().q_minus(), "b");
  v1::GenerateRequest missing;
  missing.set_kind("pair_select");
  EXPECT_EQ(generator->Generate(missing).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RegisterShapingGenerators(registry).code(), absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace arbiter::shaping
