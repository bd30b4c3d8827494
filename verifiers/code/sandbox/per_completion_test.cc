// Per-completion execution mode: one process runs a completion's tests one after another; every
// test keeps its own stdio, globals, work directory, CPU budget and verdict, and a test that ends
// or damages the process makes a fresh one run the rest. (The isolation suite runs its attack
// classes in this mode too: tests/security, ctest *_per_completion_test.)
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "gtest/gtest.h"
#include "verifiers/code/sandbox/sandbox_test_util.h"

namespace arbiter::code {
namespace {

using Status = RawRun::Status;

SessionRequest Batched(std::string program, const std::vector<std::string>& stdins) {
  SessionRequest request = testing::Python(std::move(program), static_cast<int>(stdins.size()));
  request.mode = ExecutionMode::kPerCompletion;
  for (size_t i = 0; i < stdins.size(); ++i) request.tests[i].stdin_data = stdins[i];
  return request;
}

absl::StatusOr<SessionResult> RunAll(const BwrapRunner& runner, const SessionRequest& request) {
  return runner.RunSession(request, sdk::VerifyContext{}, nullptr);
}

// What this mode keeps (and fresh-process mode does not): state of imported modules.
TEST(PerCompletion, KeepsModuleStateButGivesEachTestFreshGlobals) {
  ARBITER_REQUIRE_SANDBOX(runner);
  const std::string program =
      "import sys\n"
      "sys.runs = getattr(sys, 'runs', 0) + 1\n"
      "try:\n  mine += 1\nexcept NameError:\n  mine = 0\n"
      "print(sys.runs, mine)\n";
  SessionRequest request = Batched(program, {"", "", ""});
  auto batched = RunAll(*runner, request);
  ASSERT_TRUE(batched.ok()) << batched.status();
  request.mode = ExecutionMode::kFreshProcess;
  auto fresh = RunAll(*runner, request);
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(batched->tests[i].stdout_data, absl::StrCat(i + 1, " 0\n"));
    EXPECT_EQ(fresh->tests[i].stdout_data, "1 0\n");
  }
}

// Each test's verdict is its own; after a test that ended the process, a fresh process (another
// pid) runs the rest; tests that end normally share one.
TEST(PerCompletion, ATestThatEndsTheProcessOnlyCostsAFreshOneForTheRest) {
  ARBITER_REQUIRE_SANDBOX(runner);
  SessionRequest request = Batched(
      "import os, signal, sys\n"
      "what = sys.stdin.read()\n"
      "if what == 'exit': os._exit(7)\n"
      "if what == 'kill': os.kill(os.getpid(), signal.SIGKILL)\n"
      "if what == 'loop':\n  while True: pass\n"
      "if what == 'sleep':\n  import time; time.sleep(60)\n"
      "print(os.getpid())\n",
      {"", "", "exit", "", "kill", "", "loop", "", "sleep", ""});
  // The CPU loop must reach its CPU limit before the wall limit: 0.5 s of CPU within 6 s of wall
  // holds up to a load of ~24 on 2 cores (1 s within 4 s failed at load 37 under ASan).
  request.limits.cpu = absl::Milliseconds(500);
  request.limits.wall = absl::Seconds(6);
  auto result = RunAll(*runner, request);
  ASSERT_TRUE(result.ok()) << result.status();
  const auto& t = result->tests;
  EXPECT_EQ(t[2].status, Status::kExited);
  EXPECT_EQ(t[2].exit_code, 7);
  EXPECT_EQ(t[4].status, Status::kSignaled);
  EXPECT_EQ(t[4].signal, 9);
  EXPECT_EQ(t[6].status, Status::kCpuTimeLimit);
  EXPECT_EQ(t[8].status, Status::kWallTimeLimit);
  std::vector<std::string> pids;
  for (size_t i : {0, 1, 3, 5, 7, 9}) {
    EXPECT_EQ(t[i].status, Status::kExited) << i << t[i].stderr_data << t[i].error;
    EXPECT_EQ(t[i].exit_code, 0) << i;
    pids.push_back(t[i].stdout_data);
  }
  EXPECT_EQ(pids[0], pids[1]);  // one process for the tests that end normally
  EXPECT_EQ(std::set<std::string>(pids.begin(), pids.end()).size(), 5u);  // + one per ending
  // CPU time is each test's own, not the process's running total.
  EXPECT_LT(t[7].cpu_time, absl::Milliseconds(500));
}

// A test that damages the interpreter or process state does not reach the next one: what can
// be put back is put back, otherwise the process retires after its verdict is taken.
TEST(PerCompletion, StateDamagedByATestDoesNotReachTheNext) {
  ARBITER_REQUIRE_SANDBOX(runner);
  const std::vector<std::string> attacks = {
      "sys.stdout.close()",
      "os.close(1)",
      "sys.stdout = io.StringIO()",
      "sys.stdin = io.StringIO('forged\\n')",
      "os.chdir('/')",
      "builtins.print = lambda *a, **k: None",
      "builtins.input = lambda *a: 'forged'",
      "signal.signal(signal.SIGALRM, lambda *a: None); signal.alarm(1)",
      "os.environ['EXTRA'] = '1'",
      "resource.setrlimit(resource.RLIMIT_NOFILE, (8, 8))",
      "sys.setrecursionlimit(50)",
      "threading.Thread(target=time.sleep, args=(1,), daemon=True).start()",
      "open('left', 'w').write('x')",
      "os.close(resource.getrlimit(resource.RLIMIT_NOFILE)[0] - 1)",
  };
  std::vector<std::string> stdins;
  for (size_t i = 0; i < attacks.size(); ++i) {
    stdins.push_back(std::to_string(i) + "\n");
    stdins.emplace_back("plain\nsecond line\n");
  }
  std::string program =
      "import builtins, io, os, resource, signal, sys, threading, time\n"
      "line = input()\n"
      "if line != 'plain':\n  attacks = [\n";
  for (const std::string& attack : attacks)
    absl::StrAppend(&program, R"(    """)", attack, "\"\"\",\n");
  absl::StrAppend(
      &program,
      "  ]\n  exec(attacks[int(line)])\n"
      "else:\n"
      "  def deep(k): return 0 if k == 0 else 1 + deep(k - 1)\n"
      "  print(line, input(), os.listdir('.'), os.getcwd() != '/', 'EXTRA' in os.environ,"
      " deep(200), len([open('/dev/null') for _ in range(20)]))\n");
  auto result = RunAll(*runner, Batched(program, stdins));
  ASSERT_TRUE(result.ok()) << result.status();
  for (size_t i = 1; i < result->tests.size(); i += 2) {
    const RawRun& run = result->tests[i];
    EXPECT_EQ(run.status, Status::kExited) << attacks[i / 2] << run.stderr_data;
    EXPECT_EQ(run.stdout_data, "plain second line [] True False 200 20\n")
        << "after: " << attacks[i / 2] << "\n"
        << run.stderr_data;
  }
}

// The process's stdin buffer is per test: what a test did not read never reaches the next.
TEST(PerCompletion, UnreadInputStaysWithItsTest) {
  ARBITER_REQUIRE_SANDBOX(runner);
  auto result = RunAll(*runner, Batched("print(input())\n", {"a\nb\nc\n", "d\n", "e\nf\n"}));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->tests[0].stdout_data, "a\n");
  EXPECT_EQ(result->tests[1].stdout_data, "d\n");
  EXPECT_EQ(result->tests[2].stdout_data, "e\n");
}

// Call-based tests run in the same process, each with a fresh namespace and instance.
TEST(PerCompletion, CallBasedTestsReturnTheirOwnValues) {
  ARBITER_REQUIRE_SANDBOX(runner);
  SessionRequest request = Batched(
      "class Solution:\n  calls = 0\n  def f(self, x: List[int]) -> int:\n"
      "    Solution.calls += 1\n    return sum(x) * Solution.calls\n",
      {"", "", ""});
  const char* args[] = {"[[1, 2]]", "[[3]]", "[[]]"};
  for (int i = 0; i < 3; ++i) {
    request.tests[i].fn_name = "f";
    request.tests[i].args_json = args[i];
  }
  auto result = RunAll(*runner, request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->tests[0].return_json, "3");
  EXPECT_EQ(result->tests[1].return_json, "3");
  EXPECT_EQ(result->tests[2].return_json, "0");
}

}  // namespace
}  // namespace arbiter::code
