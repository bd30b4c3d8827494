// `arbiter bench` against the real arbiterd: every workload over gRPC and over the HTTP gateway
// as slime and OpenRLHF send it, briefly (a few calls, seconds), checking the report's fields and
// that the counts add up; open loop holds its rate; a sweep prints one CSV row per point; a
// replayed file is sent; workloads that cannot go per sample and non-loopback targets are refused.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/server_process.h"
#include "tests/integration/subprocess.h"

namespace arbiter::integration {
namespace {

using json = nlohmann::json;

// One server (gRPC + HTTP gateway) for the whole suite: a bench run leaves nothing behind but
// cache entries, and its unique tags keep those from answering a later run.
class BenchCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* bin = std::getenv("ARBITER_BINARY_DIR");
    ASSERT_NE(bin, nullptr) << "ARBITER_BINARY_DIR is not set (run through ctest)";
    cli_ = new std::string(std::string(bin) + "/client/arbiter");
    ASSERT_TRUE(std::filesystem::exists(*cli_)) << *cli_;
    scratch_ = new TempDir;
    const std::string http_port_file = scratch_->path() + "/http.port";
    auto server =
        ServerProcess::Start(std::string(bin) + "/server/arbiterd", scratch_->path(),
                             {"--http_address=127.0.0.1:0", "--http_port_file=" + http_port_file});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    for (int i = 0; i < 100; ++i) {  // bounded: 10 s
      absl::StatusOr<std::string> port = ReadFileToString(http_port_file);
      if (port.ok() && !port->empty()) {
        http_ = new std::string(absl::StrCat("127.0.0.1:", absl::StripAsciiWhitespace(*port)));
        break;
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    ASSERT_NE(http_, nullptr) << "no HTTP port file; server log:\n" << server_->Log();
  }

  static void TearDownTestSuite() {
    delete server_;  // SIGKILLs a server still running
    delete scratch_;
    delete cli_;
    delete http_;
  }

  void SetUp() override {
    if (server_ == nullptr || http_ == nullptr) GTEST_FAIL() << "the suite's server did not start";
  }

  static RunResult Bench(std::vector<std::string> words, absl::Duration timeout) {
    std::vector<std::string> argv = {*cli_, "bench", "--server=" + server_->address(),
                                     "--http=" + *http_};
    argv.insert(argv.end(), words.begin(), words.end());
    absl::StatusOr<RunResult> run = RunProcess(argv, scratch_->path(), timeout);
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *run : RunResult{};
  }

  static inline std::string* cli_ = nullptr;
  static inline std::string* http_ = nullptr;
  static inline TempDir* scratch_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
};

// A run's report, checked for what holds for every workload and transport.
json CheckedReport(const RunResult& run, const std::string& what) {
  EXPECT_EQ(run.exit_code, 0) << what << "\n" << run.err << run.out;
  json r = json::parse(run.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_TRUE(r.is_object()) << what << ": not JSON:\n" << run.out;
  if (!r.is_object()) return json::object();
  EXPECT_GE(r["calls_ok"].get<int64_t>(), 1) << what;
  EXPECT_EQ(r["calls_failed"], 0) << what << " " << r["first_error"];
  for (const char* rate : {"rpc_per_s", "groups_per_s", "items_per_s", "items_per_s_per_core"}) {
    EXPECT_GT(r[rate].get<double>(), 0) << what << " " << rate;
  }
  const json& l = r["latency_ms"];
  double previous = 0;
  for (const char* p : {"p50", "p90", "p95", "p99", "p99_9", "max"}) {
    EXPECT_GE(l[p].get<double>(), previous) << what << " " << p;
    previous = l[p].get<double>();
  }
  EXPECT_GT(l["p50"].get<double>(), 0) << what;
  // Every sample sent came back with an outcome.
  const json& o = r["outcomes"];
  const double items = r["items_per_s"].get<double>() * r["wall_s"].get<double>();
  const int64_t answered = o["correct"].get<int64_t>() + o["incorrect"].get<int64_t>() +
                           o["no_answer"].get<int64_t>() + o["infra_error"].get<int64_t>();
  EXPECT_NEAR(static_cast<double>(answered), items, 0.5) << what;
  EXPECT_EQ(o["unscored"], 0) << what;
  EXPECT_EQ(r["group_errors"], 0) << what;
  EXPECT_GT(o["correct"].get<int64_t>(), 0) << what;
  EXPECT_EQ(r["load_average_start"].size(), 3u) << what;
  return r;
}

struct Case {
  const char* workload;
  std::vector<std::string> shape;
};

std::vector<Case> Cases() {
  const std::vector<std::string> small = {"--prompts=2", "--group_size=4", "--tests=2",
                                          "--completion_bytes=256"};
  return {{"sat", small},
          {"code", small},
          {"beam", small},
          {"math", small},
          {"shaping", small},
          {"null", {"--prompts=1", "--group_size=1"}},
          {"mixed", {"--prompts=4", "--group_size=4", "--tests=2", "--completion_bytes=256"}},
          {"pathological", {"--prompts=1", "--group_size=8", "--tests=1"}}};
}

TEST_F(BenchCliTest, EveryWorkloadOverGrpcReportsConsistentFigures) {
  for (const Case& c : Cases()) {
    std::vector<std::string> words = {absl::StrCat("--workload=", c.workload),
                                      "--json",
                                      "--requests=6",
                                      "--duration=5s",
                                      "--warmup=1",
                                      "--concurrency=2",
                                      "--deadline=120s"};
    if (std::string(c.workload) == "pathological") words[2] = "--requests=1";
    words.insert(words.end(), c.shape.begin(), c.shape.end());
    const json r = CheckedReport(Bench(words, absl::Seconds(150)), c.workload);
    if (r.empty()) continue;
    EXPECT_EQ(r["transport"], "grpc");
    EXPECT_EQ(r["loop"], "closed");
    EXPECT_EQ(r["cached"], 0) << c.workload << ": tags must defeat the cache";
    if (std::string(c.workload) != "null") {
      EXPECT_GT(r["outcomes"]["incorrect"].get<int64_t>(), 0) << c.workload;
    }
    if (std::string(c.workload) == "null") {
      EXPECT_NE(r["note"], "");
    }
  }
}

TEST_F(BenchCliTest, EveryPerSampleWorkloadOverBothGatewayProtocols) {
  for (const char* transport : {"slime", "openrlhf"}) {
    for (const Case& c : Cases()) {
      const std::string what = absl::StrCat(c.workload, " over ", transport);
      std::vector<std::string> words = {absl::StrCat("--workload=", c.workload),
                                        absl::StrCat("--transport=", transport),
                                        "--json",
                                        "--requests=8",
                                        "--duration=5s",
                                        "--concurrency=4",
                                        "--deadline=120s"};
      words.insert(words.end(), c.shape.begin(), c.shape.end());
      const RunResult run = Bench(words, absl::Seconds(150));
      if (std::string(c.workload) == "shaping") {
        EXPECT_EQ(run.exit_code, 2) << run.err;
        EXPECT_NE(run.err.find("shaping needs whole groups"), std::string::npos) << run.err;
        continue;
      }
      const json r = CheckedReport(run, what);
      if (r.empty()) continue;
      EXPECT_EQ(r["transport"], transport);
      // One call per sample.
      EXPECT_DOUBLE_EQ(r["rpc_per_s"].get<double>(), r["items_per_s"].get<double>()) << what;
      if (std::string(transport) == "slime") {
        EXPECT_TRUE(r["cached"].is_null()) << what;
      } else {
        EXPECT_EQ(r["cached"], 0) << what;
      }
    }
  }
}

// Hundreds of keep-alive connections on two event loops: every call answered, none lost.
TEST_F(BenchCliTest, ManySlimeCallsInFlightOnTwoEventLoops) {
  const json r =
      CheckedReport(Bench({"--workload=null", "--transport=slime", "--concurrency=300",
                           "--http_threads=2", "--requests=3000", "--duration=60s", "--json"},
                          absl::Seconds(90)),
                    "300 in flight");
  if (r.empty()) return;
  EXPECT_EQ(r["calls_ok"], 3000);
  EXPECT_EQ(r["outcomes"]["correct"].get<int64_t>() + r["outcomes"]["incorrect"].get<int64_t>() +
                r["outcomes"]["no_answer"].get<int64_t>(),
            3000);
}

// A gateway that is not there: the warm-up says so; without one, every call fails fast as
// CONNECT and the run still ends.
TEST_F(BenchCliTest, RefusedConnectionsAreCountedNotHung) {
  const RunResult warm = Bench({"--workload=null", "--transport=openrlhf", "--http=127.0.0.1:1",
                                "--requests=50", "--duration=20s", "--json"},
                               absl::Seconds(60));
  EXPECT_NE(warm.exit_code, 0);
  EXPECT_NE(warm.err.find("every warm-up call failed; first: CONNECT"), std::string::npos)
      << warm.err;
  const RunResult run =
      Bench({"--workload=null", "--transport=openrlhf", "--http=127.0.0.1:1", "--concurrency=8",
             "--warmup=0", "--requests=50", "--duration=20s", "--json"},
            absl::Seconds(60));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const json r = json::parse(run.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(r.is_object()) << run.out << run.err;
  EXPECT_EQ(r["calls_ok"], 0);
  EXPECT_EQ(r["calls_failed"], 50);
  EXPECT_EQ(r["errors"]["CONNECT"], 50) << r["errors"];
}

TEST_F(BenchCliTest, OpenLoopKeepsItsScheduleAndCountsLateSends) {
  const json r =
      CheckedReport(Bench({"--workload=null", "--prompts=1", "--group_size=1", "--rate=100",
                           "--duration=2s", "--requests=100000", "--concurrency=16", "--json"},
                          absl::Seconds(60)),
                    "open loop");
  if (r.empty()) return;
  EXPECT_EQ(r["loop"], "open");
  // 100/s for 2 s: slots 0 .. 1.99 s, none after the duration.
  EXPECT_EQ(r["calls_ok"], 200);
  EXPECT_TRUE(r.contains("late_sends"));
}

TEST_F(BenchCliTest, SweepPrintsOneCsvRowPerPoint) {
  const RunResult run =
      Bench({"--workload=sat", "--prompts=2", "--group_size=4", "--completion_bytes=256",
             "--requests=4", "--duration=5s", "--sweep=concurrency:1,2,4", "--csv"},
            absl::Seconds(60));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::vector<std::string> lines = absl::StrSplit(run.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 4u) << run.out;
  EXPECT_EQ(lines[0].rfind("sweep_key,sweep_value,workload,transport,loop,concurrency,", 0), 0u);
  EXPECT_EQ(lines[1].rfind("concurrency,1,sat,grpc,closed,1,", 0), 0u) << lines[1];
  EXPECT_EQ(lines[3].rfind("concurrency,4,sat,grpc,closed,4,", 0), 0u) << lines[3];
}

TEST_F(BenchCliTest, ReplaysAFileOfGroupsOverGrpcAndSlime) {
  const std::string path = scratch_->path() + "/groups.jsonl";
  std::ofstream(path)
      << R"({"task": {"verifier": "math", "ground_truth": "\\frac{1}{2}"}, "samples": [)"
      << R"({"completion": "so \\boxed{0.5}"}, {"completion": "so \\boxed{2}"}]})"
      << "\n"
      << R"({"task": {"verifier": "sat", "ground_truth": "!A!BC & A!BD & AB!C & BCD"},)"
      << R"( "samples": [{"completion": "\\boxed{1010}"}]})"
      << "\n";
  for (const char* transport : {"grpc", "slime"}) {
    const json r = CheckedReport(
        Bench({"--workload=replay", "--replay=" + path, absl::StrCat("--transport=", transport),
               "--prompts=2", "--requests=4", "--duration=5s", "--json"},
              absl::Seconds(60)),
        transport);
    if (r.empty()) continue;
    EXPECT_GT(r["outcomes"]["incorrect"].get<int64_t>(), 0) << transport;
  }
}

TEST_F(BenchCliTest, RefusesTargetsOffThisMachine) {
  const RunResult run = Bench({"--server=10.0.0.1:50051", "--requests=1"}, absl::Seconds(30));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("non-loopback --server"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace arbiter::integration
