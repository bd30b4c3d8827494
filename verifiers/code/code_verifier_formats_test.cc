// The `code` verifier on dataset labels: the language chosen by the completion, comparison modes
// named after the graders, assert-style tests and ground_truth notes, with the sandbox replaced
// by the scripted FakeRunner (which records the language each session asked for).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "verifiers/code/code_verifier.h"
#include "verifiers/code/sandbox/fake_runner.h"
#include "verifiers/code/task.h"

namespace arbiter::code {
namespace {

class Recorder {
 public:
  RawRun Run(const SessionRequest& request, size_t index) {
    absl::MutexLock lock(&mu_);
    languages_.push_back(request.language);
    return outputs_.empty() ? FakeRunner::Exited(0, "")
                            : FakeRunner::Exited(0, outputs_[index % outputs_.size()]);
  }
  void set_outputs(std::vector<std::string> outputs) {
    absl::MutexLock lock(&mu_);
    outputs_ = std::move(outputs);
  }
  std::vector<Language> languages() {
    absl::MutexLock lock(&mu_);
    return languages_;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::string> outputs_ ABSL_GUARDED_BY(mu_);
  std::vector<Language> languages_ ABSL_GUARDED_BY(mu_);
};

struct Harness {
  std::shared_ptr<Recorder> recorder = std::make_shared<Recorder>();
  std::shared_ptr<FakeRunner> runner = std::make_shared<FakeRunner>(
      [r = recorder](const SessionRequest& request, size_t i) { return r->Run(request, i); });
  std::unique_ptr<CodeVerifier> verifier =
      *CodeVerifier::Create({runner, RunLimits(), RunLimits()});

  absl::StatusOr<v1::SampleResult> Score(const std::string& ground_truth,
                                         const std::string& completion,
                                         const std::string& mode = "") {
    v1::Task task;
    task.set_verifier("code");
    task.set_ground_truth(ground_truth);
    task.set_mode(mode);
    return ScoreTask(task, completion);
  }
  absl::StatusOr<v1::SampleResult> ScoreTask(const v1::Task& task, const std::string& completion) {
    v1::Sample sample;
    sample.set_completion(completion);
    auto results = sdk::ScoreGroup(*verifier, task, {sample}, {});
    if (!results.ok()) return results.status();
    return (*results)[0];
  }
};

constexpr char kAppsAdd[] = R"({"inputs": ["1 2\n", "5 5\n"], "outputs": ["3\n", "10\n"]})";

TEST(CodeFromCompletion, CppBlockAgainstADatasetLabelRunsAsCpp) {
  Harness h;
  h.recorder->set_outputs({"3\n", "10\n"});
  auto result = h.Score(kAppsAdd, "Here:\n```cpp\nint main(){}\n```\n");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->outcome(), v1::CORRECT) << result->message();
  EXPECT_EQ(result->code().turns(0).language(), "cpp");
  EXPECT_EQ(h.recorder->languages(), (std::vector<Language>{Language::kCpp, Language::kCpp}));
}

TEST(CodeFromCompletion, UntaggedBlockRunsAsPythonAndPinnedLanguagesRestrict) {
  Harness h;
  auto untagged = h.Score(kAppsAdd, "```\nprint(3)\n```");
  ASSERT_TRUE(untagged.ok()) << untagged.status();
  EXPECT_EQ(untagged->code().turns(0).language(), "python");
  auto pinned = h.Score(R"({"language": "python", "inputs": ["1 2\n"], "outputs": ["3\n"]})",
                        "```cpp\nint main(){}\n```");
  ASSERT_TRUE(pinned.ok()) << pinned.status();
  EXPECT_EQ(pinned->outcome(), v1::NO_ANSWER);
  EXPECT_EQ(pinned->code().turns(0).language(), "");

  v1::Task typed;
  typed.set_verifier("code");
  typed.mutable_code()->add_languages(v1::CodeTask::LANGUAGE_CPP);
  typed.mutable_code()->add_tests()->set_expected_output("");
  auto python_only = h.ScoreTask(typed, "```python\nprint()\n```");
  ASSERT_TRUE(python_only.ok());
  EXPECT_EQ(python_only->outcome(), v1::NO_ANSWER);
  auto untagged_cpp = h.ScoreTask(typed, "```\nint main(){}\n```");
  ASSERT_TRUE(untagged_cpp.ok());
  EXPECT_EQ(untagged_cpp->code().turns(0).language(), "cpp");  // the only allowed language
}

TEST(CodeFromCompletion, FunctionCallTasksOnlyTakeLanguagesThatCanCall) {
  Harness h;
  const std::string lcb = R"({"inputs": ["[1, 2]"], "outputs": ["3"], "fn_name": "add"})";
  auto cpp = h.Score(lcb, "```cpp\nint add(){}\n```");
  ASSERT_TRUE(cpp.ok()) << cpp.status();
  EXPECT_EQ(cpp->outcome(), v1::NO_ANSWER);
  v1::Task typed;
  typed.set_verifier("code");
  typed.mutable_code()->set_language(v1::CodeTask::LANGUAGE_CPP);
  typed.mutable_code()->set_fn_name("f");
  typed.mutable_code()->add_tests()->set_args_json("[]");
  typed.mutable_code()->mutable_tests(0)->set_expected_json("1");
  auto invalid = h.ScoreTask(typed, "x");
  EXPECT_EQ(invalid.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(invalid.status().message().find("cpp cannot"), std::string::npos) << invalid.status();
}

TEST(CodeArguments, DictArgumentsReachTheRunnerInTheTestsKeyOrder) {
  // What the sandbox is sent: a label's arguments in the label's key order (compact), a typed
  // task's args_json as the client wrote it (a byte-order mark dropped: json.loads refuses one).
  std::vector<std::string> args;
  absl::Mutex mu;
  auto runner = std::make_shared<FakeRunner>([&](const SessionRequest& request, size_t i) {
    absl::MutexLock lock(&mu);
    args.push_back(request.tests[i].args_json);
    return FakeRunner::Returned("1");
  });
  auto verifier = *CodeVerifier::Create({runner, RunLimits(), RunLimits()});
  v1::Task apps;
  apps.set_verifier("code");
  apps.set_ground_truth(R"({"inputs": [[{"b": 1, "a": 2}]], "outputs": [1], "fn_name": "f"})");
  v1::Task typed;
  typed.set_verifier("code");
  typed.mutable_code()->set_fn_name("f");
  for (const char* text :
       {R"([{"b": 1, "a": {"d": 2, "c": 3}}])", "\xEF\xBB\xBF [ {\"b\":1,\"a\":2} ]"}) {
    v1::CodeTest* test = typed.mutable_code()->add_tests();
    test->set_args_json(text);
    test->set_expected_json("1");
  }
  v1::Sample sample;
  sample.set_completion("```python\ndef f(x): return 1\n```");
  for (const v1::Task& task : {apps, typed}) {
    auto results = sdk::ScoreGroup(*verifier, task, {sample}, {});
    ASSERT_TRUE(results.ok()) << results.status();
    EXPECT_EQ((*results)[0].outcome(), v1::CORRECT) << (*results)[0].message();
  }
  absl::MutexLock lock(&mu);
  EXPECT_EQ(args,
            (std::vector<std::string>{R"([{"b":1,"a":2}])", R"([{"b": 1, "a": {"d": 2, "c": 3}}])",
                                      R"( [ {"b":1,"a":2} ])"}));
  // Still refused: not JSON, not an array.
  for (const char* text : {R"([{"b": 1,}])", R"({"b": 1})", "\xEF\xBB\xBF"}) {
    typed.mutable_code()->mutable_tests(0)->set_args_json(text);
    auto refused = verifier->Prepare(typed);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_NE(refused.status().message().find("tests[0].args_json"), std::string::npos)
        << refused.status();
  }
}

TEST(CodeModes, ModeNamesTheGradersComparison) {
  Harness h;
  h.recorder->set_outputs({"yes\n"});
  const std::string label = R"({"inputs": ["1\n"], "outputs": ["YES\n"]})";
  auto apps = h.Score(label, "```python\nprint('yes')\n```");
  ASSERT_TRUE(apps.ok());
  EXPECT_EQ(apps->outcome(), v1::INCORRECT);  // APPS compares text case-sensitively
  auto contests = h.Score(label, "```python\nprint('yes')\n```", "codecontests");
  ASSERT_TRUE(contests.ok());
  EXPECT_EQ(contests->outcome(), v1::CORRECT);  // CodeContests lower-cases tokens
  auto unknown = h.Score(label, "x", "strict");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("livecodebench, apps, codecontests"), std::string::npos)
      << unknown.status();
}

TEST(CodeModes, LiveCodeBenchCallResultsCompareAsPythonValues) {
  auto script = [](const SessionRequest&, size_t i) {
    return FakeRunner::Returned(i == 0 ? "true" : "[1, 2.0]");
  };
  auto runner = std::make_shared<FakeRunner>(script);
  auto verifier = *CodeVerifier::Create({runner, RunLimits(), RunLimits()});
  v1::Task task;
  task.set_verifier("code");
  task.set_ground_truth(
      R"({"inputs": ["1", "[1]\n2"], "outputs": ["1", "[1, 2]"], "fn_name": "f"})");
  v1::Sample sample;
  sample.set_completion("```python\ndef f(*a): pass\n```");
  auto results = sdk::ScoreGroup(*verifier, task, {sample}, {});
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_EQ((*results)[0].outcome(), v1::CORRECT) << (*results)[0].message();  // True == 1
}

TEST(CodeAsserts, EachAssertRunsAsACallOfTheEntryAppendedToTheProgram) {
  // Scripted harness: the entry "returns" True unless its program holds the failing assert.
  std::vector<std::string> programs;
  absl::Mutex mu;
  auto script = [&](const SessionRequest& request, size_t i) {
    absl::MutexLock lock(&mu);
    programs.push_back(request.program);
    EXPECT_EQ(request.tests[i].fn_name, kAssertEntry);
    EXPECT_EQ(request.tests[i].args_json, "[]");
    if (absl::StrContains(request.program, "== 4")) {
      RawRun run = FakeRunner::Exited(1);
      run.error = "AssertionError";
      return run;
    }
    return FakeRunner::Returned("true");
  };
  auto runner = std::make_shared<FakeRunner>(script);
  auto verifier = *CodeVerifier::Create({runner, RunLimits(), RunLimits()});
  v1::Task task;
  task.set_verifier("code");
  task.set_ground_truth(R"({"test_list": ["assert add(1, 2) == 3", "assert add(1, 2) == 4"]})");
  v1::Sample sample;
  sample.set_completion("```python\ndef add(a, b):\n    return a + b\n```");
  auto results = sdk::ScoreGroup(*verifier, task, {sample}, {});
  ASSERT_TRUE(results.ok()) << results.status();
  const v1::CodeTurn& turn = (*results)[0].code().turns(0);
  ASSERT_EQ(turn.tests_size(), 2);
  EXPECT_EQ(turn.tests(0).verdict(), v1::OK);
  EXPECT_EQ(turn.tests(1).verdict(), v1::RUNTIME_ERROR);
  EXPECT_EQ(runner->sessions(), 2);
  ASSERT_EQ(programs.size(), 2u);
  EXPECT_EQ(programs[0],
            "def add(a, b):\n    return a + b\n\n\n\ndef __arbiter_run_asserts():\n"
            "    exec(\"assert add(1, 2) == 3\\n\", globals())\n    return True\n");
}

TEST(CodeAsserts, AnEarlyExitZeroNeverPasses) {
  // The program exits 0 before the asserts run: no return value, so no pass (the exit(0) cheat).
  auto runner = std::make_shared<FakeRunner>(
      [](const SessionRequest&, size_t) { return FakeRunner::Exited(0); });
  auto verifier = *CodeVerifier::Create({runner, RunLimits(), RunLimits()});
  v1::Task task;
  task.set_verifier("code");
  task.set_ground_truth(R"({"test": "def check(c):\n    assert c() == 1\n", "entry_point": "f"})");
  v1::Sample sample;
  sample.set_completion("```python\nimport sys\nsys.exit(0)\n```");
  auto results = sdk::ScoreGroup(*verifier, task, {sample}, {});
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_EQ((*results)[0].outcome(), v1::INCORRECT);
  EXPECT_EQ((*results)[0].code().turns(0).tests(0).verdict(), v1::RUNTIME_ERROR);
}

TEST(CodeNotes, UnequalInputsAndOutputsAreSaidInTheDetail) {
  Harness h;
  auto result = h.Score(R"({"inputs": ["1\n", "2\n"], "outputs": ["1\n"]})", "```\nx\n```");
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->code().task_notes_size(), 1);
  EXPECT_EQ(result->code().turns(0).tests_size(), 1);
}

}  // namespace
}  // namespace arbiter::code
