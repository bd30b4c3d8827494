// A program runs to its end as `python3 solution.py` would run it: non-daemon threads joined
// (LiveCodeBench submissions commonly do their work in a threading.Thread with a bigger stack),
// atexit handlers run, output it never flushed written.
#include <string>

#include "gtest/gtest.h"
#include "verifiers/code/sandbox/sandbox_test_util.h"

namespace arbiter::code {
namespace {

using testing::Python;
using Status = RawRun::Status;

// The shape of real accepted LiveCodeBench/Codeforces submissions: raise the recursion limit,
// grow the thread stack, recurse deeply in a thread; the main thread returns at once.
constexpr char kThreadedProgram[] = R"(import sys, threading
def main():
    n = int(sys.stdin.readline())
    def depth(k):
        return 0 if k == 0 else 1 + depth(k - 1)
    print(depth(n))
sys.setrecursionlimit(1 << 20)
threading.stack_size(1 << 26)
threading.Thread(target=main).start()
)";

TEST(RunToCompletion, WorkDoneInANonDaemonThreadIsWaitedFor) {
  ARBITER_REQUIRE_SANDBOX(runner);
  for (int tests : {1, 4}) {  // one-test sessions fork from the supervisor, others from the forker
    auto result = runner->RunSession(Python(kThreadedProgram, tests, "30000\n"),
                                     sdk::VerifyContext{}, nullptr);
    ASSERT_TRUE(result.ok()) << result.status();
    for (const RawRun& run : result->tests) {
      EXPECT_EQ(run.status, Status::kExited) << run.stderr_data;
      EXPECT_EQ(run.exit_code, 0) << run.stderr_data;
      EXPECT_EQ(run.stdout_data, "30000\n") << run.stderr_data;
    }
  }
}

TEST(RunToCompletion, ThreadsAreJoinedAfterSysExitAndAfterAnUncaughtException) {
  ARBITER_REQUIRE_SANDBOX(runner);
  const std::pair<std::string, int> endings[] = {{"sys.exit(3)", 3}, {"raise ValueError('x')", 1}};
  for (const auto& [ending, code] : endings) {
    auto result =
        runner->RunSession(Python("import sys, threading, time\n"
                                  "def late():\n  time.sleep(0.2)\n  print('late', flush=True)\n"
                                  "threading.Thread(target=late).start()\n" +
                                  ending + "\n"),
                           sdk::VerifyContext{}, nullptr);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->tests[0].stdout_data, "late\n") << ending;
    EXPECT_EQ(result->tests[0].exit_code, code) << ending;
  }
}

TEST(RunToCompletion, DaemonThreadsAreNotWaitedFor) {
  ARBITER_REQUIRE_SANDBOX(runner);
  auto result = runner->RunSession(
      Python("import threading, time\n"
             "threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\n"
             "print('done')\n"),
      sdk::VerifyContext{}, nullptr);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->tests[0].status, Status::kExited);
  EXPECT_EQ(result->tests[0].stdout_data, "done\n");
}

TEST(RunToCompletion, AtexitHandlersRunAndUnflushedWritersAreFlushed) {
  ARBITER_REQUIRE_SANDBOX(runner);
  auto result =
      runner->RunSession(Python("import atexit, sys\n"
                                "out = open(1, 'w', closefd=False)\n"
                                "out.write('buffered\\n')\n"
                                "atexit.register(lambda: sys.stdout.write('at exit\\n'))\n",
                                2),
                         sdk::VerifyContext{}, nullptr);
  ASSERT_TRUE(result.ok()) << result.status();
  for (const RawRun& run : result->tests) {
    EXPECT_EQ(run.exit_code, 0) << run.stderr_data;
    // CPython's order: atexit handlers, then sys.stdout flushed, then the module's globals go.
    EXPECT_EQ(run.stdout_data, "at exit\nbuffered\n") << run.stderr_data;
  }
}

}  // namespace
}  // namespace arbiter::code
