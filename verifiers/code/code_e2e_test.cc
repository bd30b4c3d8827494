// The `code` verifier end to end over the real BwrapRunner, through sdk::ScoreGroup: correct,
// wrong, crashing, looping, memory-hungry, fork-bombing and output-flooding Python programs, a
// C++ program, function-call tests (Python, Java, JavaScript) and a Go program from a ground_truth
// wrapper, each with its expected verdict, and nothing left behind.
// Skips (with the reason) where bubblewrap cannot create namespaces.
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "verifiers/code/code_test_util.h"
#include "verifiers/code/code_verifier.h"
#include "verifiers/code/sandbox/sandbox_test_util.h"

namespace arbiter::code {
namespace {

std::unique_ptr<CodeVerifier> MakeVerifier(std::unique_ptr<BwrapRunner> runner) {
  return testing::MakeSandboxedVerifier(std::move(runner), absl::Seconds(1), absl::Seconds(3));
}

v1::Task DoublingTask(int num_tests, v1::CodeTask::Language language) {
  v1::Task task;
  task.set_verifier("code");
  task.mutable_code()->set_language(language);
  for (int i = 1; i <= num_tests; ++i) {
    v1::CodeTest* test = task.mutable_code()->add_tests();
    test->set_input(std::to_string(i) + "\n");
    test->set_expected_output(std::to_string(2 * i) + "\n");
  }
  return task;
}

v1::Sample Python(const std::string& program) {
  v1::Sample sample;
  sample.set_completion("Here is my solution.\n```python\n" + program + "\n```\n");
  return sample;
}

v1::TestVerdict Only(const v1::SampleResult& result) {
  const v1::CodeTurn& turn = result.code().turns(0);
  for (const auto& test : turn.tests()) {
    EXPECT_EQ(test.verdict(), turn.tests(0).verdict()) << test.message();
  }
  return turn.tests(0).verdict();
}

TEST(CodeEndToEnd, EachKindOfPythonProgramGetsItsVerdict) {
  ARBITER_REQUIRE_SANDBOX(runner);
  testing::LeakCheck leaks;
  auto verifier = MakeVerifier(std::move(runner));
  const std::vector<v1::Sample> samples = {
      Python("n = int(input())\nprint(n * 2)"),
      Python("print(0)"),
      Python("raise ValueError('boom')"),
      Python("while True:\n    pass"),
      Python("x = bytearray(1 << 30)\nprint(len(x))"),
      Python("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n"
             "        pass"),
      Python("while True:\n    print('x' * 4096)"),
      Python("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)"),
  };
  auto results =
      sdk::ScoreGroup(*verifier, DoublingTask(2, v1::CodeTask::LANGUAGE_PYTHON), samples);
  ASSERT_TRUE(results.ok()) << results.status();
  const std::vector<v1::TestVerdict> expected = {
      v1::OK,           v1::WRONG_ANSWER, v1::RUNTIME_ERROR, v1::TIME_LIMIT,
      v1::MEMORY_LIMIT, v1::TIME_LIMIT,   v1::OUTPUT_LIMIT,  v1::SIGNALED};
  for (size_t i = 0; i < samples.size(); ++i) {
    const v1::SampleResult& r = (*results)[i];
    ASSERT_NE(r.outcome(), v1::INFRA_ERROR) << i << ": " << r.message();
    if (i == 5) {
      // A fork bomb ends at the process limit or the time limit, depending on the machine.
      EXPECT_NE(Only(r), v1::OK) << r.DebugString();
      EXPECT_EQ(r.outcome(), v1::INCORRECT);
      continue;
    }
    EXPECT_EQ(Only(r), expected[i]) << i << ": " << r.DebugString();
    EXPECT_EQ(r.outcome(), i == 0 ? v1::CORRECT : v1::INCORRECT) << i;
  }
  EXPECT_GT((*results)[0].advantage(), 0);
  EXPECT_GT((*results)[0].code().turns(0).tests(0).wall_seconds(), 0);
  verifier.reset();
  EXPECT_EQ(leaks.Leftovers(), "");
}

TEST(CodeEndToEnd, CppProgramCompilesOnceAndPasses) {
  ARBITER_REQUIRE_SANDBOX(runner);
  auto verifier = MakeVerifier(std::move(runner));
  v1::Sample good;
  good.set_completion(
      "```cpp\n#include <iostream>\nint main() { long n; std::cin >> n; std::cout << 2 * n << "
      "\"\\n\"; }\n```");
  v1::Sample broken;
  broken.set_completion("```cpp\nint main( {\n```");
  auto results =
      sdk::ScoreGroup(*verifier, DoublingTask(3, v1::CodeTask::LANGUAGE_CPP), {good, broken});
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_EQ((*results)[0].outcome(), v1::CORRECT) << (*results)[0].DebugString();
  EXPECT_EQ(Only((*results)[1]), v1::COMPILE_ERROR);
  EXPECT_FALSE((*results)[1].code().turns(0).compile_output().empty());
}

TEST(CodeEndToEnd, FunctionCallTestsCannotBeFakedByExitingOrPrinting) {
  ARBITER_REQUIRE_SANDBOX(runner);
  auto verifier = MakeVerifier(std::move(runner));
  v1::Task task;
  task.set_ground_truth(
      R"({"fn_name": "pair", "inputs": [[1, 2], [3, 4]], "outputs": [[[3, [1, 2]]], [[7, [3, 4]]]]})");
  auto results = sdk::ScoreGroup(
      *verifier, task,
      {Python("def pair(a, b):\n    return (a + b, [a, b])"),  // APPS lists a top-level tuple
       Python("import sys\ndef pair(a, b):\n    sys.exit(0)"),
       Python("import os\ndef pair(a, b):\n    print([a + b, [a, b]])\n    os._exit(0)"),
       Python("class Solution:\n    def pair(self, a, b):\n        return [a + b, [a, b]]")});
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_EQ((*results)[0].outcome(), v1::CORRECT) << (*results)[0].DebugString();
  EXPECT_EQ(Only((*results)[1]), v1::RUNTIME_ERROR) << (*results)[1].DebugString();
  EXPECT_NE(Only((*results)[2]), v1::OK) << (*results)[2].DebugString();
  EXPECT_EQ((*results)[3].outcome(), v1::CORRECT) << (*results)[3].DebugString();
}

v1::Sample Fenced(const std::string& tag, const std::string& program) {
  v1::Sample sample;
  sample.set_completion("```" + tag + "\n" + program + "\n```\n");
  return sample;
}

// LiveCodeBench-form functional tests (one JSON argument per input line) in the two other
// languages with function calls, and a compiled language from a ground_truth wrapper.
TEST(CodeEndToEnd, JavaAndJavaScriptFunctionCallsAndGoStdinFromGroundTruth) {
  ARBITER_REQUIRE_SANDBOX(runner);
  const bool java = runner->CanRun(Language::kJava).ok();
  const bool js = runner->CanRun(Language::kJavaScript).ok();
  const bool go = runner->CanRun(Language::kGo).ok();
  if (!java || !js || !go) GTEST_SKIP() << "java, javascript or go toolchain not installed";
  auto verifier = MakeVerifier(std::move(runner));
  const std::string lcb =
      R"("tests": [{"input": "[2, 7, 11, 15]\n9", "output": "[0, 1]", "testtype": "functional"},)"
      R"( {"input": "[3, 3]\n6", "output": "[0, 1]", "testtype": "functional"}]})";
  v1::Task java_task;
  java_task.set_ground_truth(R"({"language": "java", "fn_name": "twoSum", )" + lcb);
  auto java_results =
      sdk::ScoreGroup(*verifier, java_task,
                      {Fenced("java",
                              "class Solution {\n  public int[] twoSum(int[] nums, int target) {\n"
                              "    for (int i = 0; i < nums.length; i++)\n"
                              "      for (int j = i + 1; j < nums.length; j++)\n"
                              "        if (nums[i] + nums[j] == target) return new int[] {i, j};\n"
                              "    return null;\n  }\n}"),
                       Fenced("java",
                              "class Solution {\n  public int[] twoSum(int[] nums, int target) {\n"
                              "    return new int[] {0, 0};\n  }\n}")});
  ASSERT_TRUE(java_results.ok()) << java_results.status();
  EXPECT_EQ((*java_results)[0].outcome(), v1::CORRECT) << (*java_results)[0].DebugString();
  EXPECT_EQ(Only((*java_results)[1]), v1::WRONG_ANSWER) << (*java_results)[1].DebugString();

  v1::Task js_task;
  js_task.set_ground_truth(R"({"language": "javascript", "fn_name": "twoSum", )" + lcb);
  auto js_results = sdk::ScoreGroup(
      *verifier, js_task,
      {Fenced("javascript",
              "var twoSum = function(nums, target) {\n  const seen = new Map();\n"
              "  for (let i = 0; i < nums.length; i++) {\n"
              "    if (seen.has(target - nums[i])) return [seen.get(target - nums[i]), i];\n"
              "    seen.set(nums[i], i);\n  }\n};"),
       Fenced("js", "function twoSum(nums, target) { throw new Error('no'); }")});
  ASSERT_TRUE(js_results.ok()) << js_results.status();
  EXPECT_EQ((*js_results)[0].outcome(), v1::CORRECT) << (*js_results)[0].DebugString();
  EXPECT_EQ(Only((*js_results)[1]), v1::RUNTIME_ERROR) << (*js_results)[1].DebugString();

  v1::Task go_task;
  go_task.set_ground_truth(
      R"({"language": "go", "tests": {"inputs": ["1\n", "21\n"], "outputs": ["2\n", "42\n"]}})");
  auto go_results =
      sdk::ScoreGroup(*verifier, go_task,
                      {Fenced("go",
                              "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tvar n int\n"
                              "\tfmt.Scan(&n)\n\tfmt.Println(2 * n)\n}"),
                       Fenced("go", "package main\n\nfunc main() { undefinedName() }")});
  ASSERT_TRUE(go_results.ok()) << go_results.status();
  EXPECT_EQ((*go_results)[0].outcome(), v1::CORRECT) << (*go_results)[0].DebugString();
  EXPECT_EQ(Only((*go_results)[1]), v1::COMPILE_ERROR) << (*go_results)[1].DebugString();
}

TEST(CodeEndToEnd, AssertStyleTestsPassOnlyWhenTheAssertsRan) {
  ARBITER_REQUIRE_SANDBOX(runner);
  auto verifier = MakeVerifier(std::move(runner));
  v1::Task task;
  task.set_verifier("code");
  task.set_ground_truth(R"({"test": "def check(candidate):\n    assert candidate(2, 3) == 5\n",)"
                        R"( "entry_point": "add"})");
  const std::vector<v1::Sample> samples = {
      Python("def add(a, b):\n    return a + b"),
      Python("def add(a, b):\n    return a - b"),
      Python("import sys\nsys.exit(0)"),  // the exit(0) cheat
      Python("def add(a, b):\n    return a + b\nprint('ok')"),
      // HumanEval's grader adds no imports: `sqrt` unimported is a NameError there and here
      // (function-call tests' LeetCode prelude does not apply to assert-style tests).
      Python("def add(a, b):\n    return int(sqrt((a + b) ** 2))"),
  };
  auto results = sdk::ScoreGroup(*verifier, task, samples, {});
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_EQ((*results)[0].outcome(), v1::CORRECT) << (*results)[0].DebugString();
  EXPECT_EQ(Only((*results)[1]), v1::RUNTIME_ERROR);  // AssertionError
  EXPECT_EQ(Only((*results)[2]), v1::RUNTIME_ERROR);  // no return from the entry
  EXPECT_EQ((*results)[3].outcome(), v1::CORRECT) << (*results)[3].DebugString();
  EXPECT_EQ(Only((*results)[4]), v1::RUNTIME_ERROR) << (*results)[4].DebugString();
}

}  // namespace
}  // namespace arbiter::code
