// The plugin claim: a verifier declared only in tests/plugin/ (echo_verifier.h) is served by
// arbiterd_testing, listed by ListVerifiers, scored with its packed detail, and its generator is
// reached through `arbiter gen echo`, with no file outside its folder naming it.
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/server_process.h"
#include "tests/integration/subprocess.h"

namespace arbiter::integration {
namespace {

using nlohmann::json;

class PluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("ARBITER_BINARY_DIR");
    ASSERT_NE(bin, nullptr) << "ARBITER_BINARY_DIR is not set (run through ctest)";
    cli_ = absl::StrCat(bin, "/client/arbiter");
    auto server =
        ServerProcess::Start(absl::StrCat(bin, "/server/arbiterd_testing"), scratch_.path());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  RunResult Cli(std::vector<std::string> words, const std::string& stdin_path = "/dev/null") {
    words.insert(words.begin(), cli_);
    words.push_back("--server=" + server_->address());
    absl::StatusOr<RunResult> run =
        RunProcess(words, scratch_.path(), absl::Seconds(60), stdin_path);
    EXPECT_TRUE(run.ok()) << run.status();
    return run.ok() ? *run : RunResult{};
  }

  TempDir scratch_;
  std::string cli_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(PluginTest, ATestOnlyVerifierIsServedListedScoredAndGenerated) {
  const RunResult listed = Cli({"verifiers"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("echo"), std::string::npos) << listed.out;

  const RunResult generated = Cli({"gen", "echo", "--params={\"count\": 2}"});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  std::vector<json> tasks;
  for (absl::string_view line : absl::StrSplit(generated.out, '\n', absl::SkipEmpty())) {
    tasks.push_back(json::parse(std::string(line)));
  }
  ASSERT_EQ(tasks.size(), 2u) << generated.out;
  EXPECT_EQ(tasks[1]["extension"]["@type"], "type.googleapis.com/google.protobuf.Int64Value");
  EXPECT_EQ(tasks[1]["extension"]["value"], "1");

  json group = {{"task", tasks[1]["task"]},
                {"samples", {{{"completion", "echo-1"}}, {{"completion", "nope"}}}}};
  const std::string input = scratch_.path() + "/groups.jsonl";
  std::ofstream(input) << group.dump() << "\n";
  const RunResult scored = Cli({"score", "--input=" + input, "--output=-"});
  ASSERT_EQ(scored.exit_code, 0) << scored.err;
  const json result = json::parse(scored.out);
  ASSERT_EQ(result["status"]["code"], 0) << scored.out;
  EXPECT_EQ(result["samples"][0]["outcome"], "CORRECT");
  EXPECT_EQ(result["samples"][1]["outcome"], "INCORRECT");
  EXPECT_EQ(result["samples"][0]["extension"]["@type"],
            "type.googleapis.com/google.protobuf.StringValue");
  EXPECT_EQ(result["samples"][0]["extension"]["value"], "1-ohce");
}

TEST_F(PluginTest, TheProductionServerDoesNotHostTheTestVerifier) {
  const char* bin = std::getenv("ARBITER_BINARY_DIR");
  TempDir scratch;
  auto production = ServerProcess::Start(absl::StrCat(bin, "/server/arbiterd"), scratch.path());
  ASSERT_TRUE(production.ok()) << production.status();
  absl::StatusOr<RunResult> listed =
      RunProcess({cli_, "verifiers", "--server=" + (*production)->address()}, scratch.path(),
                 absl::Seconds(60));
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->exit_code, 0);
  EXPECT_EQ(listed->out.find("echo"), std::string::npos) << listed->out;
  EXPECT_NE(listed->out.find("sat"), std::string::npos) << listed->out;
}

}  // namespace
}  // namespace arbiter::integration
