#include "verifiers/code/sandbox/bwrap_runner.h"

#include <csignal>
#include <thread>
#include <utility>

#include "gtest/gtest.h"
#include "verifiers/code/sandbox/sandbox_test_util.h"

namespace arbiter::code {
namespace {

using testing::Call;
using testing::LeakCheck;
using testing::Python;
using Status = RawRun::Status;

absl::StatusOr<SessionResult> RunOnce(const BwrapRunner& runner, const SessionRequest& request) {
  return runner.RunSession(request, sdk::VerifyContext{}, nullptr);
}

TEST(BwrapRunner, RunsStdinStdoutTestsInOneSession) {
  ARBITER_REQUIRE_SANDBOX(runner);
  LeakCheck leaks;
  auto result = RunOnce(*runner, Python("print(int(input()) * 2)", 3, "21\n"));
  ASSERT_TRUE(result.ok()) << result.status();
  for (const RawRun& run : result->tests) {
    EXPECT_EQ(run.status, Status::kExited);
    EXPECT_EQ(run.exit_code, 0);
    EXPECT_EQ(run.stdout_data, "42\n");
    EXPECT_GT(run.peak_memory_bytes, 0);
    EXPECT_GT(run.wall_time, absl::ZeroDuration());
  }
  EXPECT_EQ(leaks.Leftovers(), "");
}

TEST(BwrapRunner, CallBasedTestReturnsJsonOfTheValue) {
  ARBITER_REQUIRE_SANDBOX(runner);
  auto result = RunOnce(*runner, Call("class Solution:\n  def twice(self, xs: List[int]):\n"
                                      "    return [x * 2 for x in xs]\n",
                                      "twice", "[[1, 2]]"));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->tests[0].status, Status::kExited);
  EXPECT_EQ(result->tests[0].return_json, "[2, 4]");
  EXPECT_EQ(result->tests[0].error, "");
}

TEST(BwrapRunner, ExitBeforeReturningGivesNoReturnValue) {
  ARBITER_REQUIRE_SANDBOX(runner);
  for (const char* exit_call : {"import sys; sys.exit(0)", "import os; os._exit(0)"}) {
    auto result =
        RunOnce(*runner, Call(absl::StrCat("def f(x):\n  ", exit_call, "\n"), "f", "[1]"));
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->tests[0].return_json, "") << exit_call;
  }
}

TEST(BwrapRunner, ExceptionIsReportedWithoutReturnValue) {
  ARBITER_REQUIRE_SANDBOX(runner);
  auto result = RunOnce(*runner, Call("def f(x):\n  raise ValueError('nope')\n", "f", "[1]"));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->tests[0].return_json, "");
  EXPECT_EQ(result->tests[0].exit_code, 1);
  EXPECT_EQ(result->tests[0].error, "ValueError: nope");
}

// The program is compiled once per session by the harness; its syntax errors must still be
// reported per test as the candidate's own failure, for both kinds of test.
TEST(BwrapRunner, SyntaxErrorIsEachTestsRuntimeFailure) {
  ARBITER_REQUIRE_SANDBOX(runner);
  auto stdio = RunOnce(*runner, Python("def f(:\n  pass\n", 2, ""));
  ASSERT_TRUE(stdio.ok()) << stdio.status();
  for (const RawRun& run : stdio->tests) {
    EXPECT_EQ(run.status, Status::kExited);
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_NE(run.stderr_data.find("SyntaxError"), std::string::npos) << run.stderr_data;
  }
  auto call = RunOnce(*runner, Call("def f(x:\n  return x\n", "f", "[1]"));
  ASSERT_TRUE(call.ok()) << call.status();
  EXPECT_EQ(call->tests[0].return_json, "");
  EXPECT_EQ(call->tests[0].error.rfind("SyntaxError", 0), 0u) << call->tests[0].error;
}

TEST(BwrapRunner, FileWrittenInOneTestIsInvisibleInTheNext) {
  ARBITER_REQUIRE_SANDBOX(runner);
  auto result =
      RunOnce(*runner, Python("import os\n"
                              "print(sorted(os.listdir('.')), os.path.exists('/work/x'),"
                              " os.path.exists('/dev/shm/y'))\n"
                              "open('a', 'w').write('1'); open('/work/x', 'w').write('1')\n"
                              "open('/dev/shm/y', 'w').write('1')\n",
                              2));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->tests[0].stdout_data, "[] False False\n");
  EXPECT_EQ(result->tests[1].stdout_data, "[] False False\n");
}

TEST(BwrapRunner, ClassifiesEachLimit) {
  ARBITER_REQUIRE_SANDBOX(runner);
  struct Case {
    const char* program;
    Status expected;
  } cases[] = {
      {"while True: pass", Status::kCpuTimeLimit},
      {"import time; time.sleep(60)", Status::kWallTimeLimit},
      {"x = bytearray(1 << 30)", Status::kMemoryLimit},
      {"while True: print('x' * 4096)", Status::kOutputLimit},
      {"import os, signal; os.kill(os.getpid(), signal.SIGSEGV)", Status::kSignaled},
      {"import sys; sys.exit(3)", Status::kExited},
  };
  for (const Case& c : cases) {
    SessionRequest request = Python(c.program);
    request.limits.cpu = absl::Seconds(1);
    request.limits.wall = absl::Seconds(c.expected == Status::kWallTimeLimit ? 1 : 20);
    request.limits.memory_bytes = int64_t{256} << 20;
    LeakCheck leaks;
    auto result = RunOnce(*runner, request);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->tests[0].status, c.expected) << c.program << " " << result->tests[0].error;
    if (c.expected == Status::kSignaled) {
      EXPECT_EQ(result->tests[0].signal, SIGSEGV);
    }
    if (c.expected == Status::kExited) {
      EXPECT_EQ(result->tests[0].exit_code, 3);
    }
    if (c.expected == Status::kOutputLimit) {
      EXPECT_EQ(result->tests[0].stdout_data.size(), size_t{1} << 20);
    }
    EXPECT_EQ(leaks.Leftovers(), "") << c.program;
  }
}

TEST(BwrapRunner, TestThatKillsItsGroupDoesNotAffectTheNextTest) {
  ARBITER_REQUIRE_SANDBOX(runner);
  SessionRequest request = Python(
      "import os, sys\n"
      "if sys.stdin.read() == 'kill': os.killpg(0, 9)\n"
      "print('alive')\n",
      3);
  request.tests[1].stdin_data = "kill";
  LeakCheck leaks;
  auto result = RunOnce(*runner, request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->tests[0].stdout_data, "alive\n");
  EXPECT_EQ(result->tests[1].status, Status::kSignaled);
  EXPECT_EQ(result->tests[1].signal, SIGKILL);
  EXPECT_EQ(result->tests[2].stdout_data, "alive\n");
  EXPECT_EQ(leaks.Leftovers(), "");
}

TEST(BwrapRunner, StopsWhenTheCallbackSaysSo) {
  ARBITER_REQUIRE_SANDBOX(runner);
  auto result = runner->RunSession(Python("print(1)", 3), sdk::VerifyContext{},
                                   [](size_t, const RawRun&) { return false; });
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->tests[0].status, Status::kExited);
  EXPECT_EQ(result->tests[1].status, Status::kNotRun);
  EXPECT_EQ(result->tests[2].status, Status::kNotRun);
}

TEST(BwrapRunner, DeadlineKillsTheSessionPromptly) {
  ARBITER_REQUIRE_SANDBOX(runner);
  SessionRequest request = Python("import time; time.sleep(60)");
  request.limits.wall = absl::Seconds(60);
  request.limits.cpu = absl::Seconds(60);
  sdk::VerifyContext ctx;
  ctx.deadline = absl::Now() + absl::Seconds(1);
  LeakCheck leaks;
  const absl::Time start = absl::Now();
  auto result = runner->RunSession(request, ctx, nullptr);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_EQ(leaks.Leftovers(), "");
}

TEST(BwrapRunner, CancellationKillsTheSessionPromptly) {
  ARBITER_REQUIRE_SANDBOX(runner);
  SessionRequest request = Python("import time; time.sleep(60)");
  request.limits.wall = absl::Seconds(60);
  request.limits.cpu = absl::Seconds(60);
  auto token = std::make_shared<sdk::CancellationToken>();
  sdk::VerifyContext ctx;
  ctx.cancellation = token;
  LeakCheck leaks;
  const absl::Time start = absl::Now();
  // Cancels while the test sleeps (any moment during its 60 s is fine for the assertion).
  std::thread canceller([token] {
    absl::SleepFor(absl::Milliseconds(500));
    token->Cancel();
  });
  auto result = runner->RunSession(request, ctx, nullptr);
  canceller.join();
  EXPECT_EQ(result.status().code(), absl::StatusCode::kCancelled);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_EQ(leaks.Leftovers(), "");
}

TEST(BwrapRunner, CompilesCppOnceAndRunsIt) {
  ARBITER_REQUIRE_SANDBOX(runner);
  SessionRequest request;
  request.language = Language::kCpp;
  request.program =
      "#include <iostream>\nint main(){int a; std::cin >> a; std::cout << a*3 << "
      "\"\\n\";}\n";
  request.tests.resize(2);
  request.tests[0].stdin_data = "5";
  request.tests[1].stdin_data = "7";
  LeakCheck leaks(testing::TestCacheDir());
  auto result = RunOnce(*runner, request);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(result->compiled) << result->compile_output;
  EXPECT_EQ(result->tests[0].stdout_data, "15\n");
  EXPECT_EQ(result->tests[1].stdout_data, "21\n");
  const absl::Time start = absl::Now();
  auto again = RunOnce(*runner, request);  // cached: no compiler run
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->tests[0].stdout_data, "15\n");
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  EXPECT_EQ(leaks.Leftovers(), "");
}

TEST(BwrapRunner, CompileErrorIsReportedWithDiagnostics) {
  ARBITER_REQUIRE_SANDBOX(runner);
  SessionRequest request;
  request.language = Language::kCpp;
  request.program = "int main() { return undefined_name; }\n";
  request.tests.resize(1);
  auto result = RunOnce(*runner, request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->compiled);
  EXPECT_NE(result->compile_output.find("undefined_name"), std::string::npos)
      << result->compile_output;
  EXPECT_EQ(result->tests[0].status, Status::kNotRun);
}

TEST(BwrapRunner, UnsandboxedModeRunsTheSameHarness) {
  auto runner = testing::MakeRunner(BwrapOptions::Isolation::kNone);
  ASSERT_TRUE(runner.ok()) << runner.status();
  EXPECT_NE((*runner)->DescribeIsolation().find("NONE"), std::string::npos);
  auto result = RunOnce(**runner, Python("print(input()[::-1])", 2, "abc"));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->tests[1].stdout_data, "cba\n");
}

// The first test of a session reports the pages it wrote, so the forker can prefetch them for
// later children. The report shares the result pipe with the candidate, which can forge it: a
// forged list (huge, unmapped, malformed) must not change any later test's outcome.
TEST(BwrapRunner, ForgedPrefetchListCannotChangeLaterTests) {
  ARBITER_REQUIRE_SANDBOX(runner);
  for (const char* forged : {R"({"pages": [[4096, 1099511627776]]})",
                             R"({"pages": [[4096, 4096], [140737488343040, 8192]]})",
                             R"({"pages": [[12288, 8192], [1, 2]]})", R"({"pages": "x"})"}) {
    SessionRequest request = Python(absl::StrCat("import os, sys\n"
                                                 "if sys.stdin.read() == 'forge':\n"
                                                 "  os.write(3, b'",
                                                 forged,
                                                 "')\n"
                                                 "  os._exit(0)\n"
                                                 "print(sum(range(1000)))\n"),
                                    4);
    request.tests[0].stdin_data = "forge";
    LeakCheck leaks;
    auto result = RunOnce(*runner, request);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->tests[0].status, Status::kExited) << forged;
    for (size_t i = 1; i < result->tests.size(); ++i) {
      EXPECT_EQ(result->tests[i].status, Status::kExited) << forged << " test " << i;
      EXPECT_EQ(result->tests[i].stdout_data, "499500\n") << forged << " test " << i;
      EXPECT_EQ(result->tests[i].error, "") << forged << " test " << i;
    }
    EXPECT_EQ(leaks.Leftovers(), "");
  }
}

// Test children are made by a raw clone(2), without libc's fork handlers: a program's own
// signals to itself (abort, raise, kill(getpid())) must still reach it. Sessions of one test
// (no forker) and of several (through the forker) are both checked.
TEST(BwrapRunner, SelfSignalsReachARawClonedChild) {
  ARBITER_REQUIRE_SANDBOX(runner);
  const std::pair<const char*, int> cases[] = {
      {"import os\nos.abort()\n", SIGABRT},
      {"import os, signal\nos.kill(os.getpid(), signal.SIGTERM)\n", SIGTERM},
      {"import signal\nsignal.raise_signal(signal.SIGUSR1)\n", SIGUSR1},
  };
  for (int tests : {1, 2}) {
    for (const auto& [program, signal] : cases) {
      auto result = RunOnce(*runner, Python(program, tests));
      ASSERT_TRUE(result.ok()) << result.status();
      for (const RawRun& run : result->tests) {
        EXPECT_EQ(run.status, Status::kSignaled) << program << " " << tests;
        EXPECT_EQ(run.signal, signal) << program << " " << tests;
      }
    }
  }
}

TEST(BwrapRunner, HarnessDeathFailsOnlyThatTestAndTheRestRunInANewSession) {
  // Only reachable without isolation: inside the sandbox the harness is pid 1 and immune.
  auto runner = testing::MakeRunner(BwrapOptions::Isolation::kNone);
  ASSERT_TRUE(runner.ok()) << runner.status();
  SessionRequest request = Python(
      "import os, sys\n"
      "if sys.stdin.read() == 'kill': os.kill(os.getppid(), 9)\n"
      "print('alive')\n",
      3);
  request.tests[1].stdin_data = "kill";
  auto result = RunOnce(**runner, request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->tests[0].stdout_data, "alive\n");
  EXPECT_EQ(result->tests[1].status, Status::kSignaled);
  EXPECT_NE(result->tests[1].error.find("broke the sandbox harness"), std::string::npos)
      << result->tests[1].error;
  EXPECT_EQ(result->tests[2].stdout_data, "alive\n");
}

}  // namespace
}  // namespace arbiter::code
