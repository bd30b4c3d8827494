// arbiterd as PID 1 of its PID namespace, as deploy/Dockerfile runs it (no init): orphaned
// sandbox processes are reparented to PID 1, which must reap them. Before the fix, zombies piled
// up (5, 9, 13, ... after each small batch) until the pod's process limit stopped every fork.
#include <sys/types.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/server_process.h"
#include "tests/integration/subprocess.h"

namespace arbiter::integration {
namespace {

struct Proc {
  pid_t ppid = 0;
  char state = '?';
};

// Every process on the host: pid -> (ppid, state), from /proc/PID/stat.
std::map<pid_t, Proc> AllProcesses() {
  std::map<pid_t, Proc> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    int pid = 0;
    if (!absl::SimpleAtoi(entry.path().filename().string(), &pid)) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    const size_t close = line.rfind(')');  // the command may hold spaces and parentheses
    if (close == std::string::npos || close + 4 > line.size()) continue;
    const std::vector<std::string> rest = absl::StrSplit(line.substr(close + 2), ' ');
    if (rest.size() < 2) continue;
    Proc proc;
    proc.state = rest[0][0];
    if (!absl::SimpleAtoi(rest[1], &proc.ppid)) continue;
    out[pid] = proc;
  }
  return out;
}

// Zombies among the descendants of `root`.
int ZombiesUnder(pid_t root) {
  const std::map<pid_t, Proc> all = AllProcesses();
  int zombies = 0;
  for (const auto& [pid, proc] : all) {
    for (pid_t up = proc.ppid; up > 1; up = all.count(up) ? all.at(up).ppid : 0) {
      if (up == root) {
        zombies += proc.state == 'Z';
        break;
      }
    }
  }
  return zombies;
}

pid_t ChildOf(pid_t parent) {
  for (const auto& [pid, proc] : AllProcesses()) {
    if (proc.ppid == parent) return pid;
  }
  return 0;
}

TEST(Pid1, OrphanedSandboxProcessesAreReapedAndSigtermStillDrains) {
  TempDir scratch;
  const char* bin = std::getenv("ARBITER_BINARY_DIR");
  ASSERT_NE(bin, nullptr) << "ARBITER_BINARY_DIR is not set (run through ctest)";
  absl::StatusOr<RunResult> probe =
      RunProcess({"/usr/bin/unshare", "--pid", "--fork", "--kill-child", "/bin/true"},
                 scratch.path(), absl::Seconds(10));
  if (!probe.ok() || probe->exit_code != 0) {
    GTEST_SKIP() << "cannot make a PID namespace here (unshare --pid --fork failed: "
                 << (probe.ok() ? probe->err : probe.status().ToString()) << ")";
  }
  auto server = ServerProcess::Start(absl::StrCat(bin, "/server/arbiterd"), scratch.path(), {},
                                     absl::Seconds(60),
                                     {"/usr/bin/unshare", "--pid", "--fork", "--kill-child"});
  ASSERT_TRUE(server.ok()) << server.status();
  const pid_t init = ChildOf((*server)->pid());  // PID 1 inside the namespace
  ASSERT_GT(init, 0);

  // Programs that leave orphans behind: a forked sleeper, a spinning loop killed at its limit,
  // and plain ones.
  nlohmann::json group = {
      {"task",
       {{"verifier", "code"},
        {"ground_truth", R"({"inputs": ["1\n", "2\n"], "outputs": ["1\n", "2\n"]})"}}},
      {"samples",
       {{{"completion", "```python\nprint(input())\n```"}},
        {{"completion",
          "```python\nimport os, time\nif os.fork() == 0:\n    "
          "time.sleep(30)\nprint(input())\n```"}},
        {{"completion", "```python\nwhile True: pass\n```"}}}}};
  const std::string input = scratch.path() + "/groups.jsonl";
  const std::string cli = absl::StrCat(bin, "/client/arbiter");
  for (int batch = 0; batch < 4; ++batch) {
    group["samples"][0]["completion"] = absl::StrCat("```python\nprint(input())  # ", batch,
                                                     "\n```");  // not cached
    std::ofstream(input) << group.dump() << "\n";
    absl::StatusOr<RunResult> run = RunProcess(
        {cli, "score", "--server=" + (*server)->address(), "--input=" + input, "--output=-"},
        scratch.path(), absl::Seconds(120));
    ASSERT_TRUE(run.ok()) << run.status();
    ASSERT_EQ(run->exit_code, 0) << run->err;
  }
  int zombies = ZombiesUnder((*server)->pid());
  for (const absl::Time stop = absl::Now() + absl::Seconds(10); zombies > 0 && absl::Now() < stop;
       zombies = ZombiesUnder((*server)->pid())) {
    absl::SleepFor(absl::Milliseconds(50));  // reaping is asynchronous; bounded poll
  }
  EXPECT_EQ(zombies, 0) << "zombies left under the namespace's PID 1";

  // SIGTERM to PID 1 reaches the server, which drains and exits 0 (unshare passes it on).
  ASSERT_EQ(kill(init, SIGTERM), 0);
  absl::StatusOr<int> code = (*server)->Wait(absl::Seconds(60));
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 0) << (*server)->Log();
}

}  // namespace
}  // namespace arbiter::integration
