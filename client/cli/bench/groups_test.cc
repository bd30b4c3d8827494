#include "client/cli/bench/groups.h"

#include <set>

#include "client/cli/bench/options.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace arbiter::client::cli::bench {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::vector<SatRow> Rows() {
  return {{1, 3, 4, "1010", "!A!BC & A!BD & AB!C & BCD"},
          {2, 3, 5, "00000", "!B!DE & !BCE & !BD!E & !BDE & BC!D"}};
}

TEST(BenchGroups, SatGroupHasGSizedCompletionsCyclingOutcomes) {
  const GroupTemplate t = SatGroup(Rows(), 2, {1, 8, 1, 2048});
  EXPECT_EQ(t.group.task().sat().formula(), "!A!BC & A!BD & AB!C & BCD");  // index 2 wraps
  EXPECT_EQ(t.label["ground_truth"], "!A!BC & A!BD & AB!C & BCD");
  ASSERT_EQ(t.group.samples_size(), 8);
  for (const v1::Sample& s : t.group.samples()) {
    EXPECT_EQ(s.completion().size(), 2048u);
    EXPECT_THAT(s.completion(), StartsWith(kTagPlaceholder));
  }
  EXPECT_THAT(t.group.samples(0).completion(), EndsWith("\\boxed{1010}"));
  EXPECT_THAT(t.group.samples(2).completion(), EndsWith("\\boxed{0010}"));
  EXPECT_EQ(t.group.samples(3).completion().find("\\boxed"), std::string::npos);
}

TEST(BenchGroups, EveryWorkloadGroupCarriesATagPerSampleAndALabel) {
  const Shape shape{1, 8, 3, 256};
  for (const GroupTemplate& t :
       {CodeGroup(1, shape), MathGroup(1, shape), BeamGroup({{"0.25P", "0.75P"}}, 0, shape),
        PathologicalGroup(1, shape), NullGroup(0, shape)}) {
    std::string bytes;
    t.group.SerializeToString(&bytes);
    EXPECT_EQ(FindTags(bytes).size(), 8u) << t.group.group_id();
    EXPECT_TRUE(t.label.contains("verifier")) << t.group.group_id();
  }
  EXPECT_THAT(CodeGroup(1, shape).group.samples(0).completion(), HasSubstr("print(a + b)"));
  EXPECT_EQ(PathologicalGroup(1, shape).group.task().code().tests_size(), 3);
  EXPECT_THAT(PathologicalGroup(1, shape).group.samples(4).completion(), HasSubstr("while True"));
}

TEST(BenchGroups, StampedTagsMakeEveryCompletionUnique) {
  std::string bytes;
  SatGroup(Rows(), 0, {1, 8, 1, 512}).group.SerializeToString(&bytes);
  const std::vector<size_t> tags = FindTags(bytes);
  ASSERT_EQ(tags.size(), 8u);
  std::string a = bytes, b = bytes;
  StampTags(1, tags, &a);
  StampTags(2, tags, &b);
  std::set<std::string> seen;
  for (const std::string* s : {&a, &b}) {
    v1::Group g;
    ASSERT_TRUE(g.ParseFromString(*s));
    for (const v1::Sample& sample : g.samples()) {
      EXPECT_EQ(sample.completion().size(), 512u);
      EXPECT_TRUE(seen.insert(sample.completion()).second);
    }
  }
  EXPECT_TRUE(FindTags(a).empty());
}

TEST(BenchGroups, ReplayedGroupGetsATagAndItsGroundTruthLabel) {
  v1::Group g;
  g.mutable_task()->set_verifier("math");
  g.mutable_task()->set_ground_truth("42");
  g.mutable_task()->set_mode("dapo");
  g.add_samples()->set_completion("Answer: 42");
  const GroupTemplate t = ReplayedGroup(g);
  EXPECT_EQ(t.group.samples(0).completion(), std::string(kTagPlaceholder) + "\nAnswer: 42");
  EXPECT_EQ(t.label,
            (nlohmann::json{{"verifier", "math"}, {"ground_truth", "42"}, {"mode", "dapo"}}));
}

TEST(BenchOptions, AcceptsOnlyLoopbackTargets) {
  EXPECT_TRUE(IsLoopbackTarget("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopbackTarget("localhost:1"));
  EXPECT_TRUE(IsLoopbackTarget("[::1]:50051"));
  EXPECT_TRUE(IsLoopbackTarget("ipv4:127.0.0.2:9"));
  EXPECT_FALSE(IsLoopbackTarget("10.0.0.1:50051"));
  EXPECT_FALSE(IsLoopbackTarget("example.com:443"));
  EXPECT_FALSE(IsLoopbackTarget("localhost.evil.com:1"));
  BenchOptions o;
  o.server = "127.0.0.1:1";
  o.transport = "slime";
  o.http = "10.1.1.1:80";
  EXPECT_THAT(Validate(o).message(), HasSubstr("non-loopback --http"));
}

TEST(BenchOptions, SweepParsesKeysAndRejectsOthers) {
  absl::StatusOr<Sweep> s = ParseSweep("concurrency:1,2,4");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->key, "concurrency");
  EXPECT_EQ(s->values, (std::vector<double>{1, 2, 4}));
  EXPECT_EQ(WithSweepValue(BenchOptions{}, "group_size", 16).group_size, 16);
  EXPECT_FALSE(ParseSweep("colour:1").ok());
  EXPECT_FALSE(ParseSweep("rate:1,x").ok());
  EXPECT_FALSE(ParseSweep("rate").ok());
}

TEST(BenchSatRows, MissingFileIsNotFound) {
  EXPECT_EQ(ReadSaturnRows({"/nonexistent/x.jsonl"}).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace arbiter::client::cli::bench
