#include "client/cli/bench_workload.h"

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace arbiter::client::cli {
namespace {

using ::testing::EndsWith;

std::vector<SatRow> Rows() {
  return {{1, 3, 4, "1010", "!A!BC & A!BD & AB!C & BCD"},
          {2, 3, 5, "00000", "!B!DE & !BCE & !BD!E & !BDE & BC!D"}};
}

TEST(BenchWorkload, BuildsGroupsOfGWithSizedCompletions) {
  WorkloadOptions options;
  options.batch = 16;
  options.group_size = 8;
  options.completion_bytes = 2048;
  const v1::ScoreRequest request = BuildRequest(Rows(), 0, options);
  ASSERT_EQ(request.groups_size(), 2);
  EXPECT_EQ(request.groups(0).task().sat().formula(), "!A!BC & A!BD & AB!C & BCD");
  EXPECT_EQ(request.groups(0).task().sat().k(), 4);
  EXPECT_EQ(request.groups(1).task().sat().k(), 5);
  ASSERT_EQ(request.groups(0).samples_size(), 8);
  for (const v1::Sample& s : request.groups(0).samples()) {
    EXPECT_EQ(s.completion().size(), 2048u);
  }
  EXPECT_THAT(request.groups(0).samples(0).completion(), EndsWith("\\boxed{1010}"));
  EXPECT_THAT(request.groups(0).samples(2).completion(), EndsWith("\\boxed{0010}"));
  EXPECT_EQ(request.groups(0).samples(3).completion().find("\\boxed"), std::string::npos);
}

TEST(BenchWorkload, GroundTruthFormCarriesRowJson) {
  WorkloadOptions options;
  options.batch = 8;
  options.ground_truth = true;
  const v1::ScoreRequest request = BuildRequest(Rows(), 1, options);
  EXPECT_EQ(request.groups(0).task().ground_truth(),
            R"({"clause":"!B!DE & !BCE & !BD!E & !BDE & BC!D","k":5})");
}

TEST(BenchWorkload, NonceMakesEveryCompletionUnique) {
  WorkloadOptions options;
  options.batch = 16;
  v1::ScoreRequest a = BuildRequest(Rows(), 0, options);
  v1::ScoreRequest b = a;
  StampNonce(1, &a);
  StampNonce(2, &b);
  std::set<std::string> seen;
  for (const v1::ScoreRequest* r : {&a, &b}) {
    for (const v1::Group& g : r->groups()) {
      for (const v1::Sample& s : g.samples()) {
        EXPECT_EQ(s.completion().size(), 2048u);
        EXPECT_TRUE(seen.insert(s.completion()).second);
      }
    }
  }
  EXPECT_THAT(a.groups(0).samples(0).completion(), EndsWith("\\boxed{1010}"));
}

TEST(BenchWorkload, PercentileByNearestRank) {
  std::vector<double> v = {5, 1, 4, 2, 3, 6, 7, 8, 9, 10};
  EXPECT_EQ(Percentile(v, 0.5), 5);
  EXPECT_EQ(Percentile(v, 0.9), 9);
  EXPECT_EQ(Percentile(v, 0.99), 10);
  EXPECT_EQ(Percentile(v, 0.0), 1);
  std::vector<double> empty;
  EXPECT_EQ(Percentile(empty, 0.5), 0);
}

TEST(BenchWorkload, AcceptsOnlyLoopbackTargets) {
  EXPECT_TRUE(IsLoopbackTarget("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopbackTarget("localhost:1"));
  EXPECT_TRUE(IsLoopbackTarget("[::1]:50051"));
  EXPECT_TRUE(IsLoopbackTarget("ipv4:127.0.0.2:9"));
  EXPECT_FALSE(IsLoopbackTarget("10.0.0.1:50051"));
  EXPECT_FALSE(IsLoopbackTarget("example.com:443"));
  EXPECT_FALSE(IsLoopbackTarget("localhost.evil.com:1"));
}

TEST(BenchWorkload, ReadSaturnRowsReportsBadFileAndLine) {
  EXPECT_EQ(ReadSaturnRows({"/nonexistent/x.jsonl"}).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace arbiter::client::cli
