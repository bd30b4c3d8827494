// The beam and code verifiers through the real server and CLI: generated beam tasks and the
// spec §3.6 vectors score as BeamPERL's reward functions do, and a mixed batch of hostile and
// honest programs gets the right verdict per test while the server stays SERVING and no sandbox
// process outlives the batch. (sat end to end is in integration_test.cc.)
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/cli_fixture.h"

namespace arbiter::integration {
namespace {

using json = nlohmann::json;

class VerifiersCliTest : public CliFixture {};

std::string BoxedAnswers(const json& gold) {
  std::vector<std::string> boxes;
  for (const json& g : gold) boxes.push_back(absl::StrCat("\\boxed{", g.get<std::string>(), "}"));
  return absl::StrCat("<think>moments about A, then vertical balance\n</think>\n",
                      absl::StrJoin(boxes, ", "));
}

TEST_F(VerifiersCliTest, GeneratedBeamTasksScoreTheirGoldAnswersOne) {
  std::vector<json> groups;
  for (const char* family : {"train", "in_distribution", "multi_load", "varying_supports",
                             "distributed", "length", "moment"}) {
    const RunResult gen =
        Cli({"gen", "beam", absl::StrCat("--family=", family), "--count=3", "--seed=11"});
    ASSERT_EQ(gen.exit_code, 0) << family << ": " << gen.err;
    for (const json& task : ParseLines(gen.out)) {
      const json& gold = task["beam"]["gold"];
      json wrong = gold;
      wrong[0] = "123.456P";
      groups.push_back(
          {{"group_id", task["id"]},
           {"task", task["task"]},
           {"samples",
            {{{"completion", BoxedAnswers(gold)}}, {{"completion", BoxedAnswers(wrong)}}}}});
    }
  }
  ASSERT_EQ(groups.size(), 21u);
  const std::vector<json> results = Score(groups);
  ASSERT_EQ(results.size(), groups.size());
  for (const json& r : results) {
    ASSERT_EQ(r["status"]["code"], 0) << r.dump();
    EXPECT_EQ(r["samples"][0]["outcome"], "CORRECT") << r.dump();
    EXPECT_DOUBLE_EQ(r["samples"][0]["score"].get<double>(), 1.0) << r.dump();
    EXPECT_EQ(r["samples"][1]["outcome"], "INCORRECT") << r.dump();
    EXPECT_NEAR(r["samples"][1]["score"].get<double>(), 0.333, 1e-9) << r.dump();
  }
}

TEST_F(VerifiersCliTest, BeamPerlVectorsHoldThroughTheServer) {
  // Spec §3.6: (gold, completion, expected r = 0.333·format + 0.667·accuracy).
  struct Row {
    const char* gold;
    const char* completion;
    double score;
  };
  const std::vector<Row> rows = {
      {R"(["0.25P","0.75P"])", "x\n</think>\nR_A = \\boxed{0.25P}, R_B = \\boxed{0.75P}", 1.0},
      {R"(["0.25P","0.75P"])", "x\n</think>\n\\boxed{0.75P, 0.25P}", 1.0},
      {R"(["0.25P","0.75P"])", "x\n</think>\n\\boxed{\\frac{3}{4}P}, \\boxed{\\frac{P}{4}}", 1.0},
      {R"(["0.25P","0.75P"])", "x\n</think>\n\\boxed{0.25P} \\boxed{0.7502P}", 0.333},
      {R"(["0.25P","0.75P"])", "x\n</think>\nR_A=0.25P, R_B=0.75P", 0.0},
      {R"(["0.25P","0.75P"])", "no think tag \\boxed{0.25P} \\boxed{0.75P}", 0.0},
      {R"(["1.0P","0"])", "x</think>\\boxed{P} and \\boxed{0}", 0.667},
      {R"(["0.666667P"])", "x\n</think>\n\\boxed{2P/3}", 0.333},
      {R"(["0.222222P","-0.222222P"])", "x\n</think>\n\\boxed{-0.222222P} \\boxed{0.222222P}", 1.0},
      {R"(["0.95P","0.05P"])", "x\n</think>\n\\boxed{R_A = 0.95P}", 0.333},
  };
  std::vector<json> groups;
  groups.reserve(rows.size());
  for (const Row& row : rows) {
    groups.push_back({{"task", {{"verifier", "beam"}, {"ground_truth", row.gold}}},
                      {"samples", {{{"completion", row.completion}}}}});
  }
  const std::vector<json> results = Score(groups);
  ASSERT_EQ(results.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(results[i]["status"]["code"], 0) << results[i].dump();
    EXPECT_NEAR(results[i]["samples"][0]["score"].get<double>(), rows[i].score, 1e-9)
        << "row " << i << ": " << rows[i].completion;
  }
}

// A /proc/<pid>/status field ("Uid:", "PPid:"): its first value, or -1.
int StatusField(int pid, const std::string& field) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (absl::StartsWith(line, field)) return std::atoi(line.c_str() + field.size());
  }
  return -1;
}

// Processes running as the sandbox's host uid (arbiterd as root starts bwrap as 65534) that
// descend from `server` (other tests' sandboxes may be running at the same time).
std::set<int> SandboxProcessesOf(int server) {
  std::set<int> pids;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const int pid = std::stoi(name);
    if (StatusField(pid, "Uid:") != 65534) continue;
    for (int p = pid, hops = 0; p > 1 && hops < 64; p = StatusField(p, "PPid:"), ++hops) {
      if (p == server) {
        pids.insert(pid);
        break;
      }
    }
  }
  return pids;
}

TEST_F(VerifiersCliTest, MixedCodeBatchGetsEachVerdictAndLeavesNothingBehind) {
  if (geteuid() != 0) GTEST_SKIP() << "the leftover-process check assumes arbiterd runs as root";
  // Program kind → the verdict every one of its tests must get.
  const std::vector<std::pair<std::string, std::string>> kinds = {
      {"a, b = map(int, input().split())\nprint(a + b)\n", "OK"},
      {"a, b = map(int, input().split())\nprint(a - b)\n", "WRONG_ANSWER"},
      {"input()\nraise ValueError('boom')\n", "RUNTIME_ERROR"},
      {"import ctypes\nctypes.string_at(0)\n", "SIGNALED"},
      {"while True:\n    pass\n", "TIME_LIMIT"},
      {"x = bytearray(1 << 33)\n", "MEMORY_LIMIT"},
      {"import sys\nwhile True:\n    sys.stdout.write('y' * 65536)\n", "OUTPUT_LIMIT"},
      {"import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
       ""},  // fork bomb: any failing verdict; the point is what is left afterwards
  };
  std::vector<json> groups;
  for (int g = 0; g < 2; ++g) {
    json tests = json::array();
    for (int t = 0; t < 10; ++t) {
      // Distinct inputs per group, so the server's cache cannot answer a later group.
      const int a = 100 * g + t, b = 7;
      tests.push_back({{"input", absl::StrCat(a, " ", b, "\n")},
                       {"expected_output", absl::StrCat(a + b, "\n")}});
    }
    json samples = json::array();
    for (const auto& [program, verdict] : kinds) {
      samples.push_back({{"completion", absl::StrCat("```python\n", program, "```\n")}});
    }
    groups.push_back({{"group_id", absl::StrCat("code-", g)},
                      {"task",
                       {{"verifier", "code"},
                        {"code",
                         {{"language", "LANGUAGE_PYTHON"},
                          {"tests", tests},
                          {"limits", {{"cpu_seconds", 0.5}, {"wall_seconds", 2}}}}}}},
                      {"samples", samples}});
  }
  // Loops and fork bombs use their full limits on every test: give the batch a long deadline.
  const std::vector<json> results = Score(groups, {"--deadline=250s"}, absl::Seconds(280));
  ASSERT_EQ(results.size(), groups.size());
  for (const json& r : results) {
    ASSERT_EQ(r["status"]["code"], 0) << r.dump();
    ASSERT_EQ(r["samples"].size(), kinds.size());
    for (size_t k = 0; k < kinds.size(); ++k) {
      const json& sample = r["samples"][k];
      EXPECT_EQ(sample["outcome"], k == 0 ? "CORRECT" : "INCORRECT") << sample.dump();
      const json& verdicts = sample["code"]["turns"][0]["tests"];
      ASSERT_EQ(verdicts.size(), 10u) << sample.dump();
      for (const json& test : verdicts) {
        if (kinds[k].second.empty()) {
          EXPECT_NE(test["verdict"], "OK") << "fork bomb passed a test";
        } else {
          EXPECT_EQ(test["verdict"], kinds[k].second) << kinds[k].first << test.dump();
        }
      }
    }
  }
  const RunResult health = Cli({"health"});
  EXPECT_EQ(health.exit_code, 0) << health.out << health.err;
  // Sessions are killed as a whole before their results are sent; allow the kernel a moment to
  // finish reaping pid namespaces.
  std::set<int> left = SandboxProcessesOf(server_->pid());
  for (int i = 0; i < 50 && !left.empty(); ++i) {
    usleep(100 * 1000);
    left = SandboxProcessesOf(server_->pid());
  }
  EXPECT_TRUE(left.empty()) << left.size() << " sandbox processes outlived the batch";
}

TEST_F(VerifiersCliTest, ProgramOutputThatIsNotUtf8LosesNoGroupOfTheBatch) {
  // Wrong answers printing Cyrillic or '€' text are cut inside a character in verdict messages,
  // and a C++ compile error quotes 'é': before the server repaired every string, clients
  // rejected the whole response (and the SAT neighbour with it).
  const std::string tests = R"({"inputs": ["1\n"], "outputs": ["1\n"]})";
  json code = {
      {"group_id", "code"},
      {"task", {{"verifier", "code"}, {"ground_truth", tests}}},
      {"samples",
       {{{"completion", "```python\nprint('€' * 100)\n```"}},
        {{"completion", "```python\nprint('Привет, мир! ' * 20)\n```"}},
        {{"completion", "```python\nimport sys\nsys.stdout.buffer.write(b'\\xe2\\x82' * 9)\n```"}},
        {{"completion", "```python\nprint(input())\n```"}}}}};
  json cpp = {{"group_id", "cpp"},
              {"task",
               {{"verifier", "code"},
                {"code",
                 {{"language", "LANGUAGE_CPP"},
                  {"tests", {{{"input", "1\n"}, {"expected_output", "1\n"}}}}}}}},
              {"samples", {{{"completion", "```cpp\nint main() { café(); }\n```"}}}}};
  json sat = {{"group_id", "sat"},
              {"task", {{"verifier", "sat"}, {"ground_truth", "!A!BC & A!BD & AB!C & BCD"}}},
              {"samples", {{{"completion", "\\boxed{1010}"}}}}};
  const std::vector<json> results = Score({code, cpp, sat}, {}, absl::Seconds(170));
  ASSERT_EQ(results.size(), 3u);
  ASSERT_EQ(results[0]["status"]["code"], 0) << results[0].dump();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(results[0]["samples"][i]["outcome"], "INCORRECT") << results[0]["samples"][i].dump();
  }
  EXPECT_EQ(results[0]["samples"][3]["outcome"], "CORRECT");
  ASSERT_EQ(results[1]["status"]["code"], 0) << results[1].dump();
  EXPECT_EQ(results[1]["samples"][0]["code"]["turns"][0]["tests"][0]["verdict"], "COMPILE_ERROR");
  EXPECT_NE(
      results[1]["samples"][0]["code"]["turns"][0]["compile_output"].get<std::string>().find("caf"),
      std::string::npos);
  EXPECT_EQ(results[2]["samples"][0]["outcome"], "CORRECT");
}

}  // namespace
}  // namespace arbiter::integration
