#include "tests/integration/cli_fixture.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_split.h"

namespace arbiter::integration {

void CliFixture::SetUp() {
  const char* bin = std::getenv("ARBITER_BINARY_DIR");
  ASSERT_NE(bin, nullptr) << "ARBITER_BINARY_DIR is not set (run through ctest)";
  cli_ = std::string(bin) + "/client/arbiter";
  const std::string arbiterd = std::string(bin) + "/server/arbiterd";
  ASSERT_TRUE(std::filesystem::exists(arbiterd)) << "arbiterd is not built at " << arbiterd;
  ASSERT_TRUE(std::filesystem::exists(cli_)) << "the arbiter CLI is not built at " << cli_;
  auto server = ServerProcess::Start(arbiterd, scratch_.path());
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
}

RunResult CliFixture::Cli(const std::vector<std::string>& words, absl::Duration timeout,
                          const std::string& stdin_path) {
  std::vector<std::string> argv = {cli_};
  argv.insert(argv.end(), words.begin(), words.end());
  argv.push_back("--server=" + server_->address());
  absl::StatusOr<RunResult> run = RunProcess(argv, scratch_.path(), timeout, stdin_path);
  EXPECT_TRUE(run.ok()) << run.status();
  return run.ok() ? *run : RunResult{};
}

std::vector<nlohmann::json> CliFixture::Score(const std::vector<nlohmann::json>& groups,
                                              const std::vector<std::string>& extra_flags,
                                              absl::Duration timeout) {
  const std::string input = WriteLines("in.jsonl", groups);
  std::vector<std::string> words = {"score", "--input=" + input, "--output=-"};
  words.insert(words.end(), extra_flags.begin(), extra_flags.end());
  const RunResult run = Cli(words, timeout);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<nlohmann::json> results = ParseLines(run.out);
  EXPECT_EQ(results.size(), groups.size()) << run.out << run.err;
  return results;
}

std::string CliFixture::WriteLines(const std::string& name,
                                   const std::vector<nlohmann::json>& lines) {
  std::string path = scratch_.path() + "/" + name;
  std::ofstream out(path);
  for (const nlohmann::json& line : lines) out << line.dump() << "\n";
  return path;
}

std::vector<nlohmann::json> CliFixture::ParseLines(const std::string& text) {
  std::vector<nlohmann::json> out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

}  // namespace arbiter::integration
