// End to end: the real arbiterd on 127.0.0.1:0 driven through the real `arbiter` CLI.
//
// Needs ARBITER_BINARY_DIR (arbiterd at server/arbiterd, the CLI at client/arbiter) and, for the
// conformance cases, ARBITER_SHARED_DIR with data/saturn (ctest sets both). Every test starts its
// own server and stops it (SIGKILL at worst) before it ends.
#include <csignal>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/cli_fixture.h"

namespace arbiter::integration {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

constexpr absl::Duration kCliTimeout = absl::Seconds(180);
// arbiterd's default --grace_period is 30 s; an idle server must exit well within it.
constexpr absl::Duration kStopTimeout = absl::Seconds(35);

std::string EnvOrEmpty(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

struct SaturnRow {
  std::string source;  // file:id
  json row;
};

// Every row of $ARBITER_SHARED_DIR/data/saturn/**/*.jsonl, files in sorted order.
std::vector<SaturnRow> LoadSaturnRows(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".jsonl") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<SaturnRow> rows;
  for (const std::string& f : files) {
    std::ifstream in(f);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      json row = json::parse(line);
      rows.push_back({absl::StrCat(std::filesystem::path(f).filename().string(), ":",
                                   row["id"].get<int64_t>()),
                      std::move(row)});
    }
  }
  return rows;
}

std::string Completion(const std::string& answer) {
  return absl::StrCat("Let me check each clause in turn.\n**Final Answer**\n\\boxed{", answer, "}");
}

// One Group line: `form` is "ground_truth" (Saturn's row JSON + mode) or "typed" (SatTask).
json GroupFor(const json& row, const std::string& form, const std::string& mode,
              const std::string& id) {
  json task = {{"verifier", "sat"}};
  if (form == "ground_truth") {
    task["ground_truth"] = json{{"clause", row["clause"]}, {"k", row["k"]}, {"mode", mode}}.dump();
  } else {
    task["sat"] = {{"formula", row["clause"]},
                   {"k", row["k"]},
                   {"mode", mode == "strict" ? "MODE_STRICT" : "MODE_COMPAT"}};
  }
  return {{"group_id", id},
          {"task", task},
          {"samples", json::array({{{"completion", Completion(row["solution"])}}})}};
}

// The fixture's server and CLI, plus the Saturn conformance data.
class IntegrationTest : public CliFixture {
 protected:
  std::string SharedSaturnDir() {
    const std::string shared = EnvOrEmpty("ARBITER_SHARED_DIR");
    std::string dir = shared + "/data/saturn";
    if (shared.empty() || !std::filesystem::is_directory(dir)) {
      ADD_FAILURE() << "Saturn conformance data missing: expected $ARBITER_SHARED_DIR/data/saturn"
                    << " (ARBITER_SHARED_DIR=\"" << shared << "\")";
      return "";
    }
    return dir;
  }
};

TEST_F(IntegrationTest, EveryPlantedSaturnSolutionScoresOneInBothModes) {
  const std::string dir = SharedSaturnDir();
  ASSERT_FALSE(dir.empty());
  const std::vector<SaturnRow> rows = LoadSaturnRows(dir);
  ASSERT_EQ(rows.size(), 2580u) << "Saturn-2.6k should have 2580 rows under " << dir;
  std::vector<json> groups;
  for (const SaturnRow& r : rows) {
    for (const char* form : {"ground_truth", "typed"}) {
      for (const char* mode : {"strict", "compat"}) {
        groups.push_back(GroupFor(r.row, form, mode, absl::StrCat(r.source, "/", form, "/", mode)));
      }
    }
  }
  const std::string input = WriteLines("planted.jsonl", groups);
  const std::string output = scratch_.path() + "/planted.out.jsonl";
  const RunResult run = Cli(
      {"score", "--input=" + input, "--output=" + output, "--batch_groups=256", "--concurrency=2"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::vector<json> results = ParseLines(ReadFileToString(output).value_or(""));
  ASSERT_EQ(results.size(), groups.size());
  int failures = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    const json& r = results[i];
    EXPECT_EQ(r["group_id"], groups[i]["group_id"]) << "output out of order at line " << i + 1;
    EXPECT_EQ(r["group_index"], static_cast<int>(i));
    const bool ok = r["status"].value("code", 0) == 0 && r["samples"].size() == 1 &&
                    r["samples"][0]["score"] == 1 && r["samples"][0]["outcome"] == "CORRECT";
    if (!ok && ++failures <= 5) ADD_FAILURE() << "not scored 1: " << r.dump();
  }
  EXPECT_EQ(failures, 0) << "of " << results.size() << " groups";
}

TEST_F(IntegrationTest, MalformedGroupGetsItsOwnStatusWhileNeighboursAreScored) {
  const json good = {{"clause", "!A!BC & A!BD & AB!C & BCD"}, {"k", 4}, {"solution", "1010"}};
  json bad_task = GroupFor(good, "typed", "strict", "bad-formula");
  bad_task["task"]["sat"]["formula"] = "A!!B & (C";
  json unknown_verifier = GroupFor(good, "ground_truth", "compat", "unknown-verifier");
  unknown_verifier["task"]["verifier"] = "nope";
  const std::string input = scratch_.path() + "/mixed.jsonl";
  {
    std::ofstream out(input);
    out << GroupFor(good, "typed", "strict", "before").dump() << "\n";
    out << bad_task.dump() << "\n";
    out << "{\"group_id\": \"broken json\"\n";  // line 3
    out << GroupFor(good, "ground_truth", "compat", "after").dump() << "\n";
    out << unknown_verifier.dump() << "\n";
  }
  const std::string output = scratch_.path() + "/mixed.out.jsonl";
  const RunResult run = Cli({"score", "--input=" + input, "--output=" + output});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::vector<json> results = ParseLines(ReadFileToString(output).value_or(""));
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(results[0]["group_id"], "before");
  EXPECT_EQ(results[0]["samples"][0]["score"], 1);
  EXPECT_EQ(results[1]["group_id"], "bad-formula");
  EXPECT_EQ(results[1]["status"]["code"], 3) << results[1].dump();  // INVALID_ARGUMENT
  EXPECT_FALSE(results[1]["status"]["message"].get<std::string>().empty());
  EXPECT_EQ(results[2]["status"]["code"], 3);
  EXPECT_THAT(results[2]["status"]["message"].get<std::string>(), HasSubstr("input line 3"));
  EXPECT_EQ(results[3]["group_id"], "after");
  EXPECT_EQ(results[3]["samples"][0]["score"], 1);
  // The server fails an unknown verifier's group alone, in the same RPC as its neighbours.
  EXPECT_EQ(results[4]["group_id"], "unknown-verifier");
  EXPECT_EQ(results[4]["status"]["code"], 3);
  EXPECT_THAT(results[4]["status"]["message"].get<std::string>(),
              HasSubstr("unknown verifier 'nope'"));
  EXPECT_THAT(run.err, HasSubstr("1 malformed input line"));
  EXPECT_THAT(run.err, Not(HasSubstr("failed at the RPC level")));
}

TEST_F(IntegrationTest, GeneratedSatRowsHaveSaturnSchemaAndTheirSolutionsScoreOne) {
  const RunResult gen = Cli({"gen", "sat", "--n=3", "--k=5", "--l=8", "--count=20", "--seed=7"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  const std::vector<json> rows = ParseLines(gen.out);
  ASSERT_EQ(rows.size(), 20u);
  std::vector<json> groups;
  for (const json& row : rows) {
    std::vector<std::string> keys;
    for (auto it = row.begin(); it != row.end(); ++it) keys.push_back(it.key());
    EXPECT_THAT(keys, ::testing::UnorderedElementsAre("id", "n_sat", "k", "solution", "clause",
                                                      "prompt", "difficulty"));
    EXPECT_EQ(row["n_sat"], 3);
    EXPECT_EQ(row["k"], 5);
    EXPECT_EQ(row["solution"].get<std::string>().size(), 5u);
    EXPECT_THAT(row["prompt"].get<std::string>(), HasSubstr(row["clause"].get<std::string>()));
    EXPECT_TRUE(row["difficulty"].is_number());
    groups.push_back(GroupFor(row, "ground_truth", "strict", absl::StrCat(row["id"].dump())));
  }
  // Same seed, same tasks.
  EXPECT_EQ(Cli({"gen", "sat", "--n=3", "--k=5", "--l=8", "--count=20", "--seed=7"}).out, gen.out);
  const std::string input = WriteLines("generated.jsonl", groups);
  const RunResult score = Cli({"score", "--input=-", "--output=-"}, kCliTimeout, input);
  ASSERT_EQ(score.exit_code, 0) << score.err;
  const std::vector<json> results = ParseLines(score.out);
  ASSERT_EQ(results.size(), rows.size());
  for (const json& r : results) EXPECT_EQ(r["samples"][0]["score"], 1) << r.dump();
}

TEST_F(IntegrationTest, HealthIsServingAndVerifiersListSat) {
  const RunResult health = Cli({"health"});
  EXPECT_EQ(health.exit_code, 0) << health.err;
  EXPECT_EQ(health.out, "SERVING\n");
  const RunResult verifiers = Cli({"verifiers"});
  ASSERT_EQ(verifiers.exit_code, 0) << verifiers.err;
  EXPECT_THAT(verifiers.out, HasSubstr("\n  sat "));
  const RunResult as_json = Cli({"verifiers", "--json"});
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  const json list = json::parse(as_json.out);
  bool has_sat = false, has_sat_generator = false;
  for (const json& v : list["verifiers"]) has_sat |= v["name"] == "sat";
  for (const json& g : list["generators"]) has_sat_generator |= g["kind"] == "sat";
  EXPECT_TRUE(has_sat) << as_json.out;
  EXPECT_TRUE(has_sat_generator) << as_json.out;
}

TEST_F(IntegrationTest, SigtermDuringScoringExitsZeroAndWritesNoWrongResult) {
  const json row = {{"clause", "!A!BC & A!BD & AB!C & BCD"}, {"k", 4}, {"solution", "1010"}};
  std::vector<json> groups;
  for (int i = 0; i < 20000; ++i) {
    json g = GroupFor(row, "typed", "strict", absl::StrCat("g", i));
    // Distinct completions, so the server's cache cannot answer them.
    g["samples"][0]["completion"] = absl::StrCat(i, " ", Completion("1010"));
    groups.push_back(std::move(g));
  }
  const std::string input = WriteLines("many.jsonl", groups);
  const std::string output = scratch_.path() + "/many.out.jsonl";
  SpawnOptions options;
  options.argv = {cli_,
                  "score",
                  "--input=" + input,
                  "--output=" + output,
                  "--batch_groups=64",
                  "--concurrency=2",
                  "--server=" + server_->address()};
  options.stderr_path = scratch_.path() + "/many.err";
  absl::StatusOr<Subprocess> cli = Subprocess::Spawn(options);
  ASSERT_TRUE(cli.ok()) << cli.status();
  // Signal once results are flowing (bounded poll on the output file).
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (ReadFileToString(output).value_or("").empty() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  const absl::StatusOr<int> server_code = server_->Stop(kStopTimeout);
  ASSERT_TRUE(server_code.ok()) << server_code.status() << "\n" << server_->Log();
  EXPECT_EQ(*server_code, 0) << server_->Log();
  const absl::StatusOr<int> cli_code = cli->Wait(kCliTimeout);
  ASSERT_TRUE(cli_code.ok()) << cli_code.status();
  // Whatever was written is whole and in order; each group was scored correctly or carries the
  // RPC's CANCELLED (a call that reached the server as it began draining) — never a wrong score.
  const std::vector<json> results = ParseLines(ReadFileToString(output).value_or(""));
  ASSERT_FALSE(results.empty());
  size_t scored = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    ASSERT_EQ(results[i]["group_id"], groups[i]["group_id"]);
    const int code = results[i]["status"]["code"];
    ASSERT_TRUE(code == 0 || code == 1) << results[i].dump();  // OK or CANCELLED
    if (code == 0) {
      ASSERT_EQ(results[i]["samples"][0]["score"], 1) << results[i].dump();
      ++scored;
    }
  }
  EXPECT_GT(scored, 0u);
  // Either the run finished before the drain, or the CLI reports the lost server.
  if (results.size() < groups.size()) {
    EXPECT_EQ(*cli_code, 1);
  }
}

TEST_F(IntegrationTest, SigtermExitsZeroWithinGracePeriodAndHealthThenFails) {
  const std::string address = server_->address();
  const absl::StatusOr<int> code = server_->Stop(kStopTimeout);
  ASSERT_TRUE(code.ok()) << code.status() << "\n" << server_->Log();
  EXPECT_EQ(*code, 0) << server_->Log();
  // The CLI reports an unreachable server with a non-zero exit.
  absl::StatusOr<RunResult> health = RunProcess(
      {cli_, "health", "--server=" + address, "--timeout=2s"}, scratch_.path(), kCliTimeout);
  ASSERT_TRUE(health.ok());
  EXPECT_NE(health->exit_code, 0);
}

TEST_F(IntegrationTest, ScoreExitsNonZeroWhenServerIsUnreachable) {
  const std::string address = server_->address();
  ASSERT_TRUE(server_->Stop(kStopTimeout).ok());
  const std::string input = scratch_.path() + "/one.jsonl";
  std::ofstream(input) << R"({"group_id":"x","task":{"verifier":"sat","ground_truth":"A"}})"
                       << "\n";
  absl::StatusOr<RunResult> run = RunProcess(
      {cli_, "score", "--input=" + input, "--output=-", "--server=" + address, "--deadline=5s"},
      scratch_.path(), kCliTimeout);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->exit_code, 1);
  EXPECT_THAT(run->err, HasSubstr("cannot reach the server"));
}

}  // namespace
}  // namespace arbiter::integration
