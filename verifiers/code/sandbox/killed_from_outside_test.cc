// A sandbox killed from outside mid-test (the host's OOM killer, an operator, a node problem) is
// the server's trouble: RunSession fails UNAVAILABLE "sandbox process killed from outside: ...",
// which the verifier reports as INFRA_ERROR, never a verdict on the program. What a program does
// to itself keeps its verdict, and it cannot bring about the "outside" kill.
#include <sys/types.h>

#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "verifiers/code/sandbox/bwrap_runner.h"
#include "verifiers/code/sandbox/sandbox_test_util.h"

namespace arbiter::code {
namespace {

using testing::LeakCheck;
using testing::ListDir;
using testing::Python;
using testing::ReadSmallFile;

std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> out;
  for (const std::string& name : ListDir("/proc")) {
    pid_t pid;
    if (!absl::SimpleAtoi(name, &pid)) continue;
    for (absl::string_view line :
         absl::StrSplit(ReadSmallFile("/proc/" + name + "/status"), '\n')) {
      pid_t ppid;
      if (absl::ConsumePrefix(&line, "PPid:") &&
          absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &ppid) && ppid == parent) {
        out.push_back(pid);
      }
    }
  }
  return out;
}

// Which process of the running sandbox to kill: bwrap (our child) or the harness supervisor
// (bwrap's child, pid 1 of the sandbox).
enum class Victim { kBwrap, kSupervisor };

// Runs a one-test session whose test sleeps 30 s and SIGKILLs `victim` from here once the test
// child exists (a one-test session has no forker: the supervisor's only child is the test).
absl::StatusOr<SessionResult> RunAndKill(const BwrapRunner& runner, Victim victim) {
  SessionRequest request = Python("import time\ntime.sleep(30)\nprint('survived')\n");
  request.limits.wall = absl::Seconds(30);
  request.limits.cpu = absl::Seconds(30);
  std::thread killer([victim] {
    const absl::Time until = absl::Now() + absl::Seconds(20);
    while (absl::Now() < until) {
      for (pid_t bwrap : ChildrenOf(getpid())) {
        for (pid_t supervisor : ChildrenOf(bwrap)) {
          if (ChildrenOf(supervisor).empty()) continue;
          kill(victim == Victim::kBwrap ? bwrap : supervisor, SIGKILL);
          return;
        }
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
  });
  auto result = runner.RunSession(request, sdk::VerifyContext{}, nullptr);
  killer.join();
  return result;
}

TEST(KilledFromOutside, BwrapSigkilledMidTestIsUnavailableNotAVerdict) {
  ARBITER_REQUIRE_SANDBOX(runner);
  LeakCheck leaks;
  const absl::Time start = absl::Now();
  auto result = RunAndKill(*runner, Victim::kBwrap);
  ASSERT_FALSE(result.ok()) << "charged to the program: status " << int(result->tests[0].status)
                            << " signal " << result->tests[0].signal << " "
                            << result->tests[0].error;
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable) << result.status();
  EXPECT_NE(result.status().message().find("sandbox process killed from outside: bwrap"),
            std::string::npos)
      << result.status();
  EXPECT_LT(absl::Now() - start, absl::Seconds(20));
  EXPECT_EQ(leaks.Leftovers(), "");
  // The runner serves on.
  auto next = runner->RunSession(Python("print(2)"), sdk::VerifyContext{}, nullptr);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->tests[0].stdout_data, "2\n");
}

TEST(KilledFromOutside, SupervisorSigkilledMidTestIsUnavailableNotAVerdict) {
  ARBITER_REQUIRE_SANDBOX(runner);
  LeakCheck leaks;
  auto result = RunAndKill(*runner, Victim::kSupervisor);
  ASSERT_FALSE(result.ok()) << "charged to the program: status " << int(result->tests[0].status)
                            << " signal " << result->tests[0].signal << " "
                            << result->tests[0].error;
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable) << result.status();
  EXPECT_NE(result.status().message().find(
                "sandbox process killed from outside: the harness supervisor killed by signal 9"),
            std::string::npos)
      << result.status();
  EXPECT_EQ(leaks.Leftovers(), "");
}

// The program's own SIGKILL stays its verdict (SIGNALED), in both execution modes.
TEST(KilledFromOutside, ProgramKillingItselfKeepsItsVerdict) {
  ARBITER_REQUIRE_SANDBOX(runner);
  for (ExecutionMode mode : {ExecutionMode::kFreshProcess, ExecutionMode::kPerCompletion}) {
    SessionRequest request = Python("import os\nos.kill(os.getpid(), 9)\n", 2);
    request.mode = mode;
    auto result = runner->RunSession(request, sdk::VerifyContext{}, nullptr);
    ASSERT_TRUE(result.ok()) << result.status();
    for (const RawRun& run : result->tests) {
      EXPECT_EQ(run.status, RawRun::Status::kSignaled);
      EXPECT_EQ(run.signal, SIGKILL);
    }
  }
}

// The one forced SIGKILL a test could bring on the supervisor (pid 1 ignores signals from its
// namespace) is its own CPU limit lowered below what it used: seccomp denies setting another
// process's RLIMIT_CPU/RLIMIT_RTTIME, so a program cannot pass its failure off as an outside kill.
// Its own limits and reading the supervisor's stay allowed.
TEST(KilledFromOutside, ProgramCannotLowerTheSupervisorsCpuLimit) {
  ARBITER_REQUIRE_SANDBOX(runner);
  auto result = runner->RunSession(
      Python("import resource\n"
             "for r in (resource.RLIMIT_CPU, resource.RLIMIT_RTTIME):\n"
             "  try:\n"
             "    resource.prlimit(1, r, (1, 1))\n"
             "    print('lowered')\n"
             "  except PermissionError:\n"
             "    print('denied')\n"
             "resource.prlimit(1, resource.RLIMIT_CPU)\n"
             "resource.setrlimit(resource.RLIMIT_CPU, resource.getrlimit(resource.RLIMIT_CPU))\n"
             "print('own ok')\n"),
      sdk::VerifyContext{}, nullptr);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->tests[0].stdout_data, "denied\ndenied\nown ok\n")
      << result->tests[0].stderr_data;
}

}  // namespace
}  // namespace arbiter::code
