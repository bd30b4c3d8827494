#include "client/cli/bench/report.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace arbiter::client::cli::bench {
namespace {

using ::testing::HasSubstr;

TEST(BenchReport, PercentileByNearestRank) {
  const std::vector<double> v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_EQ(Percentile(v, 0.5), 5);
  EXPECT_EQ(Percentile(v, 0.9), 9);
  EXPECT_EQ(Percentile(v, 0.99), 10);
  EXPECT_EQ(Percentile(v, 0.0), 1);
  EXPECT_EQ(Percentile({}, 0.5), 0);
}

TEST(BenchReport, RatesDivideByWallTimeAndCpus) {
  LoadResult r;
  r.wall_seconds = 2;
  r.ok = 10;
  r.failed = 1;
  r.errors["RESOURCE_EXHAUSTED"] = 1;
  r.items = 2560;
  r.groups = 320;
  r.latencies_ms = {4, 1, 3, 2};
  r.outcomes[1] = 1280;
  RunConfig config{"sat", "grpc", "", 4, 1, 0, 32, 8, 4, 2048, true};
  Measured m;
  m.cpus = 2;
  m.server_cpu_seconds = 1.0;
  const nlohmann::json j = ReportJson(config, m, r);
  EXPECT_DOUBLE_EQ(j["rpc_per_s"].get<double>(), 5);
  EXPECT_DOUBLE_EQ(j["groups_per_s"].get<double>(), 160);
  EXPECT_DOUBLE_EQ(j["items_per_s"].get<double>(), 1280);
  EXPECT_DOUBLE_EQ(j["items_per_s_per_core"].get<double>(), 640);
  EXPECT_DOUBLE_EQ(j["items_per_server_cpu_s"].get<double>(), 2560);
  EXPECT_DOUBLE_EQ(j["latency_ms"]["p50"].get<double>(), 2);
  EXPECT_DOUBLE_EQ(j["latency_ms"]["max"].get<double>(), 4);
  EXPECT_EQ(j["errors"]["RESOURCE_EXHAUSTED"], 1);
  EXPECT_EQ(j["loop"], "closed");
  EXPECT_THAT(ReportText(j), HasSubstr("5.0 RPC/s, 160.0 groups/s, 1280 items/s"));
  EXPECT_THAT(ReportText(j), HasSubstr("errors: RESOURCE_EXHAUSTED 1"));
  const std::string row = CsvRow(j), header = CsvHeader();
  EXPECT_EQ(std::count(row.begin(), row.end(), ','), std::count(header.begin(), header.end(), ','));
  EXPECT_THAT(row,
              ::testing::StartsWith("sat,grpc,closed,4,0,32,8,4,2048,10,1,2,5,160,1280,640,2,"));
}

}  // namespace
}  // namespace arbiter::client::cli::bench
