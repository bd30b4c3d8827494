// The "done when" batch: 64 groups × 8 completions × 10 tests (5,120 test executions)
// mixing correct, wrong, crashing, looping, memory-hungry, fork-bombing, output-flooding and
// self-signalling Python programs, scored through the verifier over the real BwrapRunner with
// several groups in flight. Every test must get its expected verdict, no sample may be
// INFRA_ERROR, every score and advantage must be finite, and nothing may be left behind.
// Skips (with the reason) where bubblewrap cannot create namespaces.
#include <atomic>
#include <cmath>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "verifiers/code/code_verifier.h"
#include "verifiers/code/sandbox/sandbox_test_util.h"

namespace arbiter::code {
namespace {

constexpr int kGroups = 64;
constexpr int kSamples = 8;
constexpr int kTests = 10;
constexpr int kThreads = 4;

enum Kind { kCorrect, kWrong, kCrash, kLoop, kMemory, kForkBomb, kFlood, kSignal };

// Each program is correct (prints 2n) except on the inputs its kind misbehaves on.
std::string Program(int kind, int group) {
  std::string misbehave;
  switch (kind) {
    case kWrong:
      misbehave = "if n % 2:\n    print(2 * n + 1)\n    raise SystemExit(0)\n";
      break;
    case kCrash:
      misbehave = "if n % 3 == 0:\n    raise RuntimeError('boom')\n";
      break;
    case kLoop:
      misbehave = "if n == 7:\n    while True:\n        pass\n";
      break;
    case kMemory:
      misbehave = "if n == 5:\n    hog = bytearray(1 << 30)\n";
      break;
    case kForkBomb:
      misbehave =
          "if n == 4:\n    import os\n    while True:\n        try:\n            os.fork()\n"
          "        except OSError:\n            pass\n";
      break;
    case kFlood:
      misbehave = "if n == 8:\n    while True:\n        print('x' * 4096)\n";
      break;
    case kSignal:
      misbehave = "if n == 2:\n    import os, signal\n    os.kill(os.getpid(), signal.SIGSEGV)\n";
      break;
  }
  return absl::StrCat("# group ", group, "\nn = int(input())\n", misbehave, "print(2 * n)\n");
}

// The verdict test `n` must get; TEST_VERDICT_UNSPECIFIED = any failure (fork bombs end at the
// process limit or the time limit, depending on the machine).
v1::TestVerdict Expected(int kind, int n) {
  switch (kind) {
    case kWrong:
      return n % 2 ? v1::WRONG_ANSWER : v1::OK;
    case kCrash:
      return n % 3 == 0 ? v1::RUNTIME_ERROR : v1::OK;
    case kLoop:
      return n == 7 ? v1::TIME_LIMIT : v1::OK;
    case kMemory:
      return n == 5 ? v1::MEMORY_LIMIT : v1::OK;
    case kForkBomb:
      return n == 4 ? v1::TEST_VERDICT_UNSPECIFIED : v1::OK;
    case kFlood:
      return n == 8 ? v1::OUTPUT_LIMIT : v1::OK;
    case kSignal:
      return n == 2 ? v1::SIGNALED : v1::OK;
    default:
      return v1::OK;
  }
}

TEST(CodeBatch, SixtyFourGroupsOfEightMixedCompletionsGetTheRightVerdicts) {
  ARBITER_REQUIRE_SANDBOX(runner);
  testing::LeakCheck leaks;
  RunLimits defaults;
  // A small CPU budget keeps the 64 loops from dominating the run time; the wall budget leaves
  // room for a loaded machine (a trivial test took > 1 s wall at load average 15).
  defaults.cpu = absl::Milliseconds(300);
  defaults.wall = absl::Seconds(3);
  defaults.memory_bytes = int64_t{256} << 20;
  defaults.max_processes = 16;
  defaults.max_stdout_bytes = int64_t{64} << 10;
  auto verifier = CodeVerifier::Create({std::move(runner), RunLimits(), defaults});
  ASSERT_TRUE(verifier.ok()) << verifier.status();

  v1::Task task;
  for (int n = 1; n <= kTests; ++n) {
    v1::CodeTest* test = task.mutable_code()->add_tests();
    test->set_input(absl::StrCat(n, "\n"));
    test->set_expected_output(absl::StrCat(2 * n, "\n"));
  }
  std::vector<std::vector<v1::SampleResult>> results(kGroups);
  std::vector<absl::Status> statuses(kGroups);
  std::atomic<int> next{0};
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int g = next++; g < kGroups; g = next++) {
        std::vector<v1::Sample> samples(kSamples);
        for (int k = 0; k < kSamples; ++k) {
          samples[k].set_completion("```python\n" + Program(k, g) + "```\n");
        }
        auto scored = sdk::ScoreGroup(**verifier, task, samples);
        statuses[g] = scored.status();
        if (scored.ok()) results[g] = *std::move(scored);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::cout << "batch: " << kGroups * kSamples * kTests << " test executions in " << seconds
            << " s (" << kGroups * kSamples * kTests / seconds << "/s, " << kThreads
            << " groups in flight)\n";

  int mismatches = 0;
  std::map<std::string, std::pair<int, double>> by_verdict;  // count, total wall seconds
  for (int g = 0; g < kGroups; ++g) {
    ASSERT_TRUE(statuses[g].ok()) << "group " << g << ": " << statuses[g];
    ASSERT_EQ(results[g].size(), static_cast<size_t>(kSamples));
    for (int k = 0; k < kSamples; ++k) {
      const v1::SampleResult& r = results[g][k];
      ASSERT_NE(r.outcome(), v1::INFRA_ERROR)
          << "group " << g << " sample " << k << ": " << r.message();
      EXPECT_EQ(r.outcome(), k == kCorrect ? v1::CORRECT : v1::INCORRECT);
      EXPECT_TRUE(std::isfinite(r.score()) && std::isfinite(r.advantage()));
      for (int n = 1; n <= kTests; ++n) {
        const v1::TestResult& test = r.code().turns(0).tests(n - 1);
        auto& [count, wall] = by_verdict[v1::TestVerdict_Name(test.verdict())];
        ++count;
        wall += test.wall_seconds();
        const v1::TestVerdict want = Expected(k, n);
        const bool ok = want == v1::TEST_VERDICT_UNSPECIFIED ? test.verdict() != v1::OK
                                                             : test.verdict() == want;
        if (!ok && ++mismatches <= 10) {
          ADD_FAILURE() << "group " << g << " kind " << k << " n=" << n << ": got "
                        << v1::TestVerdict_Name(test.verdict()) << " (" << test.message()
                        << "), want " << v1::TestVerdict_Name(want);
        }
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
  for (const auto& [verdict, stats] : by_verdict) {
    std::cout << "  " << verdict << ": " << stats.first << " tests, mean wall "
              << stats.second / stats.first << " s\n";
  }
  verifier->reset();
  EXPECT_EQ(leaks.Leftovers(), "");
}

}  // namespace
}  // namespace arbiter::code
