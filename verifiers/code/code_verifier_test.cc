// The `code` verifier through its public interface (sdk::ScoreGroup, Prepare/Check), with the
// sandbox replaced by the scripted FakeRunner.
#include "verifiers/code/code_verifier.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "verifiers/code/register.h"
#include "verifiers/code/sandbox/fake_runner.h"

namespace arbiter::code {
namespace {

using Status = RawRun::Status;

std::string Fenced(const std::string& program) { return "```python\n" + program + "\n```\n"; }
std::string Prog(const std::string& program) { return program + "\n"; }  // as extracted

struct Fixture {
  std::shared_ptr<FakeRunner> runner = std::make_shared<FakeRunner>();
  std::unique_ptr<CodeVerifier> verifier;
  Fixture() {
    RunLimits caps;
    caps.cpu = absl::Seconds(10);
    caps.wall = absl::Seconds(20);
    caps.memory_bytes = int64_t{1} << 30;
    verifier = *CodeVerifier::Create({runner, caps, RunLimits()});
  }
  absl::StatusOr<std::vector<v1::SampleResult>> Score(const v1::Task& task,
                                                      const std::vector<v1::Sample>& samples,
                                                      const sdk::VerifyContext& ctx = {}) {
    return sdk::ScoreGroup(*verifier, task, samples, ctx);
  }
  // The group's VeRPO vectors (GroupStats.verifier_detail), checking they are sent once.
  v1::CodeGroupDetail Vectors(const v1::Task& task, const std::vector<v1::Sample>& samples) {
    absl::StatusOr<sdk::ScoredGroup> scored = sdk::ScoreWholeGroup(*verifier, task, samples);
    EXPECT_TRUE(scored.ok()) << scored.status();
    v1::CodeGroupDetail vectors;
    if (!scored.ok()) return vectors;
    EXPECT_TRUE(scored->group.advantages_set);
    EXPECT_TRUE(scored->group.detail.UnpackTo(&vectors));
    // Not copied into every sample any more (CodeDetail's deprecated fields stay empty).
    const auto* copied = v1::CodeDetail::descriptor()->FindFieldByName("pass_rates");
    for (const v1::SampleResult& r : scored->samples) {
      EXPECT_EQ(r.code().GetReflection()->FieldSize(r.code(), copied), 0);
    }
    return vectors;
  }
};

v1::Task StdinTask(int num_tests) {
  v1::Task task;
  task.set_verifier("code");
  for (int i = 0; i < num_tests; ++i) {
    v1::CodeTest* test = task.mutable_code()->add_tests();
    test->set_input(std::to_string(i) + "\n");
    test->set_expected_output(std::to_string(i * 2) + "\n");
  }
  return task;
}

v1::Sample Completion(const std::string& text) {
  v1::Sample sample;
  sample.set_completion(text);
  return sample;
}

std::vector<v1::TestVerdict> Verdicts(const v1::SampleResult& result, int turn = -1) {
  const auto& turns = result.code().turns();
  const v1::CodeTurn& t = turns[turn < 0 ? turns.size() - 1 : turn];
  std::vector<v1::TestVerdict> out;
  for (const auto& test : t.tests()) out.push_back(test.verdict());
  return out;
}

// A turn decided as a whole is in the compact form (code.proto CodeTurn.tests): one result
// standing for all `num_tests` tests.
void ExpectWholeTurn(const v1::SampleResult& result, v1::TestVerdict verdict, int num_tests) {
  const v1::CodeTurn& turn = result.code().turns(result.code().turns_size() - 1);
  EXPECT_EQ(turn.turn_verdict(), verdict);
  EXPECT_EQ(turn.num_tests(), num_tests);
  EXPECT_EQ(Verdicts(result), std::vector<v1::TestVerdict>{verdict});
  EXPECT_FALSE(turn.tests(0).message().empty());
  EXPECT_EQ(turn.num_passed(), 0);
  EXPECT_FALSE(turn.passed_all());
}

// Scripts `program` to pass exactly the tests marked '1' in `bits` (stdin task of StdinTask).
void ScriptBits(FakeRunner& runner, const std::string& program, const std::string& bits) {
  for (size_t i = 0; i < bits.size(); ++i) {
    runner.SetResult(program, i,
                     FakeRunner::Exited(0, bits[i] == '1' ? std::to_string(i * 2) + "\n" : "x\n"));
  }
}

TEST(CodeVerifier, MapsEveryRawStatusToItsVerdict) {
  Fixture f;
  const std::string p = Prog("solve()");
  f.runner->SetResult(p, 0, FakeRunner::Exited(0, "0\n"));
  f.runner->SetResult(p, 1, FakeRunner::Exited(0, "3\n"));               // exit 0, wrong output
  f.runner->SetResult(p, 2, FakeRunner::Exited(1, "4\n", "Traceback"));  // right text, bad exit
  f.runner->SetResult(p, 3, FakeRunner::WithStatus(Status::kSignaled));
  f.runner->SetResult(p, 4, FakeRunner::WithStatus(Status::kCpuTimeLimit));
  f.runner->SetResult(p, 5, FakeRunner::WithStatus(Status::kWallTimeLimit));
  f.runner->SetResult(p, 6, FakeRunner::WithStatus(Status::kMemoryLimit));
  f.runner->SetResult(p, 7, FakeRunner::WithStatus(Status::kOutputLimit));
  f.runner->SetResult(p, 8, FakeRunner::WithStatus(Status::kNotRun));
  auto results = f.Score(StdinTask(9), {Completion(Fenced("solve()"))});
  ASSERT_TRUE(results.ok()) << results.status();
  const v1::SampleResult& r = (*results)[0];
  EXPECT_EQ(r.outcome(), v1::INCORRECT);
  EXPECT_EQ(Verdicts(r),
            (std::vector<v1::TestVerdict>{v1::OK, v1::WRONG_ANSWER, v1::RUNTIME_ERROR, v1::SIGNALED,
                                          v1::TIME_LIMIT, v1::TIME_LIMIT, v1::MEMORY_LIMIT,
                                          v1::OUTPUT_LIMIT, v1::SKIPPED}));
  const v1::TestResult& first = r.code().turns(0).tests(0);
  EXPECT_DOUBLE_EQ(first.cpu_seconds(), 0.001);
  EXPECT_DOUBLE_EQ(first.wall_seconds(), 0.002);
  EXPECT_EQ(first.peak_memory_bytes(), int64_t{8} << 20);
  EXPECT_EQ(r.code().turns(0).tests(3).signal(), 11);
  EXPECT_EQ(r.code().turns(0).tests(2).exit_code(), 1);
  EXPECT_NE(r.message().find("test 1: WRONG_ANSWER"), std::string::npos) << r.message();
}

TEST(CodeVerifier, AllTestsOkIsCorrect) {
  Fixture f;
  ScriptBits(*f.runner, Prog("good"), "111");
  auto results = f.Score(StdinTask(3), {Completion(Fenced("good"))});
  ASSERT_TRUE(results.ok());
  EXPECT_EQ((*results)[0].outcome(), v1::CORRECT);
  EXPECT_TRUE((*results)[0].code().turns(0).passed_all());
  EXPECT_EQ((*results)[0].code().turns(0).num_passed(), 3);
}

v1::Task CallTask(const std::vector<std::pair<std::string, std::string>>& cases) {
  v1::Task task;
  task.mutable_code()->set_fn_name("f");
  for (const auto& [args, expected] : cases) {
    v1::CodeTest* test = task.mutable_code()->add_tests();
    test->set_args_json(args);
    test->set_expected_json(expected);
  }
  return task;
}

TEST(CodeVerifier, CallTestsPassOnlyOnAMatchingReturnValue) {
  Fixture f;
  const std::string p = Prog("def f(x): ...");
  RawRun exited = FakeRunner::Exited(0);  // sys.exit(0)-style: exit 0, nothing returned
  exited.error = "SystemExit: 0";
  RawRun silent = FakeRunner::Exited(0, "[1, 2]\n");  // printed the answer, returned nothing
  f.runner->SetResult(p, 0, FakeRunner::Returned("[1.0,2]"));  // 1 == 1.0
  f.runner->SetResult(p, 1, exited);
  f.runner->SetResult(p, 2, silent);
  f.runner->SetResult(p, 3, FakeRunner::Returned("[2,1]"));
  f.runner->SetResult(p, 4, FakeRunner::Returned(R"({"b":2,"a":1})"));
  f.runner->SetResult(p, 5, FakeRunner::Returned("not json"));
  f.runner->SetResult(p, 6, FakeRunner::Returned(std::string(1000, '[') + std::string(1000, ']')));
  auto results = f.Score(CallTask({{"[1]", "[1,2]"},
                                   {"[1]", "[1,2]"},
                                   {"[1]", "[1,2]"},
                                   {"[1]", "[1,2]"},
                                   {"[1]", R"({"a":1,"b":2})"},
                                   {"[1]", "1"},
                                   {"[1]", "[]"}}),
                         {Completion(Fenced("def f(x): ..."))});
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_EQ(
      Verdicts((*results)[0]),
      (std::vector<v1::TestVerdict>{v1::OK, v1::RUNTIME_ERROR, v1::RUNTIME_ERROR, v1::WRONG_ANSWER,
                                    v1::OK, v1::RUNTIME_ERROR, v1::RUNTIME_ERROR}));
  EXPECT_EQ((*results)[0].code().turns(0).tests(1).message(), "SystemExit: 0");
}

TEST(CodeVerifier, TacoWrappedOutputAcceptsFirstElementLiveCodeBenchDoesNot) {
  Fixture f;
  const std::string p = Prog("def add(a, b): return a + b");
  f.runner->SetResult(p, 0, FakeRunner::Returned("3"));
  v1::Task taco;
  taco.set_ground_truth(R"({"fn_name": "add", "inputs": [[1, 2]], "outputs": [[3]]})");
  auto results = f.Score(taco, {Completion(Fenced("def add(a, b): return a + b"))});
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_EQ((*results)[0].outcome(), v1::CORRECT);

  v1::Task lcb;
  lcb.set_ground_truth(
      R"({"fn_name": "add", "tests": [{"input": "1\n2", "output": "[3]", "testtype": "functional"}]})");
  results = f.Score(lcb, {Completion(Fenced("def add(a, b): return a + b"))});
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_EQ((*results)[0].outcome(), v1::INCORRECT);
}

TEST(CodeVerifier, NoProgramIsNoAnswerWithZeroScore) {
  Fixture f;
  ScriptBits(*f.runner, Prog("good"), "11");
  auto results =
      f.Score(StdinTask(2), {Completion("I think the answer is 4."), Completion(Fenced("good"))});
  ASSERT_TRUE(results.ok());
  const v1::SampleResult& r = (*results)[0];
  EXPECT_EQ(r.outcome(), v1::NO_ANSWER);
  EXPECT_EQ(r.score(), 0.0);
  EXPECT_LT(r.advantage(), 0.0);
  EXPECT_FALSE(r.code().turns(0).program_found());
  ExpectWholeTurn(r, v1::NO_PROGRAM, 2);
  EXPECT_EQ(f.runner->sessions(), 1);  // nothing was run for the empty sample
}

// A large suite and completions without a program: the response stays small (it was one
// verdict per test, 2.4 MB per group of 8 against 4,173 tests), and VeRPO still sees every test
// failed by those samples.
TEST(CodeVerifier, WholeTurnVerdictsStaySmallForLargeSuites) {
  Fixture f;
  ScriptBits(*f.runner, Prog("good"), std::string(4173, '1'));
  std::vector<v1::Sample> samples(7, Completion("no code here, sorry"));
  samples.push_back(Completion(Fenced("good")));
  auto results = f.Score(StdinTask(4173), samples);
  ASSERT_TRUE(results.ok()) << results.status();
  for (int i = 0; i < 7; ++i) {
    const v1::SampleResult& r = (*results)[i];
    EXPECT_EQ(r.outcome(), v1::NO_ANSWER);
    ExpectWholeTurn(r, v1::NO_PROGRAM, 4173);
    EXPECT_LT(r.ByteSizeLong(), 512u) << r.DebugString();
  }
  EXPECT_EQ((*results)[7].outcome(), v1::CORRECT);
  EXPECT_EQ((*results)[7].code().turns(0).tests_size(), 4173);
  EXPECT_EQ((*results)[7].code().turns(0).num_tests(), 4173);
  EXPECT_EQ((*results)[7].code().turns(0).turn_verdict(), v1::TEST_VERDICT_UNSPECIFIED);
  const v1::CodeGroupDetail vectors = f.Vectors(StdinTask(4173), samples);
  ASSERT_EQ(vectors.pass_rates_size(), 4173);
  EXPECT_DOUBLE_EQ(vectors.pass_rates(4172), 1.0 / 8);  // only "good" passes any test
}

TEST(CodeVerifier, RunnerFailureIsInfraErrorExcludedFromPassRates) {
  Fixture f;
  f.runner->SetInfraError(Prog("boom"), absl::UnavailableError("bwrap: cannot create namespace"));
  ScriptBits(*f.runner, Prog("good"), "11");
  ScriptBits(*f.runner, Prog("half"), "10");
  const std::vector<v1::Sample> samples = {Completion(Fenced("boom")), Completion(Fenced("good")),
                                           Completion(Fenced("half"))};
  auto results = f.Score(StdinTask(2), samples);
  ASSERT_TRUE(results.ok());
  const v1::SampleResult& r = (*results)[0];
  EXPECT_EQ(r.outcome(), v1::INFRA_ERROR);
  EXPECT_NE(r.message().find("cannot create namespace"), std::string::npos) << r.message();
  EXPECT_EQ(r.score(), 0.0);
  EXPECT_EQ(r.advantage(), 0.0);
  ExpectWholeTurn(r, v1::SANDBOX_ERROR, 2);
  const v1::CodeGroupDetail vectors = f.Vectors(StdinTask(2), samples);
  EXPECT_EQ(vectors.num_trajectories(), 2);
  ASSERT_EQ(vectors.pass_rates_size(), 2);
  EXPECT_EQ(vectors.pass_rates(0), 1.0);  // ρ over "good" and "half" only
  EXPECT_EQ(vectors.pass_rates(1), 0.5);
}

TEST(CodeVerifier, PastDeadlineIsInfraErrorNotAZero) {
  Fixture f;
  sdk::VerifyContext ctx;
  ctx.deadline = absl::Now() - absl::Seconds(1);
  auto results = f.Score(StdinTask(1), {Completion(Fenced("good"))}, ctx);
  ASSERT_TRUE(results.ok());
  EXPECT_EQ((*results)[0].outcome(), v1::INFRA_ERROR);
  EXPECT_NE((*results)[0].message().find("deadline"), std::string::npos);
}

TEST(CodeVerifier, CompileFailureMarksEveryTest) {
  Fixture f;
  v1::Task task = StdinTask(2);
  task.mutable_code()->set_language(v1::CodeTask::LANGUAGE_CPP);
  f.runner->SetCompileFailure(Prog("int main( {"), "error: expected ')'");
  auto results = f.Score(task, {Completion("```cpp\nint main( {\n```")});
  ASSERT_TRUE(results.ok());
  const v1::SampleResult& r = (*results)[0];
  EXPECT_EQ(r.outcome(), v1::INCORRECT);
  ExpectWholeTurn(r, v1::COMPILE_ERROR, 2);
  EXPECT_EQ(r.code().turns(0).compile_output(), "error: expected ')'");
}

TEST(CodeVerifier, StopAtFirstFailureSkipsTheRest) {
  Fixture f;
  v1::Task task = StdinTask(4);
  task.mutable_code()->set_policy(v1::CodeTask::POLICY_STOP_AT_FIRST_FAILURE);
  ScriptBits(*f.runner, Prog("p"), "1011");
  auto results = f.Score(task, {Completion(Fenced("p"))});
  ASSERT_TRUE(results.ok());
  EXPECT_EQ(Verdicts((*results)[0]),
            (std::vector<v1::TestVerdict>{v1::OK, v1::WRONG_ANSWER, v1::SKIPPED, v1::SKIPPED}));
  EXPECT_EQ(f.runner->tests_run(), 2);
}

TEST(CodeVerifier, RunAllIsTheDefaultPolicy) {
  Fixture f;
  ScriptBits(*f.runner, Prog("p"), "0111");
  auto results = f.Score(StdinTask(4), {Completion(Fenced("p"))});
  ASSERT_TRUE(results.ok());
  EXPECT_EQ(f.runner->tests_run(), 4);
  EXPECT_EQ((*results)[0].code().turns(0).num_passed(), 3);
}

v1::VerpoParams SpecParams(double gamma) {
  v1::VerpoParams p;
  p.set_alpha(2);
  p.set_sigma(0.1);
  p.set_delta(0.01);
  p.set_beta(1);
  p.set_beta_set(true);
  p.set_gamma(gamma);
  return p;
}

TEST(CodeVerifier, FinalizeProducesSpecSingleTurnAdvantagesAndDenseScore) {
  Fixture f;
  v1::Task task = StdinTask(5);
  *task.mutable_code()->mutable_verpo() = SpecParams(1.0);
  const std::vector<std::string> rows = {"11111", "11100", "11000", "11110"};
  std::vector<v1::Sample> samples;
  for (size_t i = 0; i < rows.size(); ++i) {
    ScriptBits(*f.runner, Prog("p" + std::to_string(i)), rows[i]);
    samples.push_back(Completion(Fenced("p" + std::to_string(i))));
  }
  auto results = f.Score(task, samples);
  ASSERT_TRUE(results.ok());
  const std::vector<double> advantages = {1.398011, -0.512558, -0.707976, -0.177477};
  const std::vector<double> turn_rewards = {1.237768, 0.327198, 0.131781, 0.662280};
  for (size_t i = 0; i < rows.size(); ++i) {
    const v1::SampleResult& r = (*results)[i];
    EXPECT_NEAR(r.advantage(), advantages[i], 2e-6) << i;
    EXPECT_NEAR(r.code().turns(0).turn_reward(), turn_rewards[i], 2e-6) << i;
    EXPECT_NEAR(r.score(), (i == 0 ? 1.0 : 0.0) + turn_rewards[i], 2e-6) << i;
  }
  EXPECT_EQ((*results)[0].outcome(), v1::CORRECT);
  const v1::CodeGroupDetail vectors = f.Vectors(task, samples);
  ASSERT_EQ(vectors.weights_size(), 5);
  EXPECT_NEAR(vectors.weights(4), 0.575488, 2e-6);
  EXPECT_EQ(vectors.pass_rates(2), 0.75);
  EXPECT_EQ(vectors.resolved().sigma(), 0.1);
}

TEST(CodeVerifier, MultiTurnSamplesUseEveryTurnAndTheLastForTheOutcome) {
  Fixture f;
  v1::Task task = StdinTask(3);
  *task.mutable_code()->mutable_verpo() = SpecParams(0.9);
  ScriptBits(*f.runner, Prog("a1"), "100");
  ScriptBits(*f.runner, Prog("a2"), "111");
  ScriptBits(*f.runner, Prog("b"), "110");
  v1::Sample a;
  a.set_completion("ignored when turns are set");
  a.add_turns(Fenced("a1"));
  a.add_turns(Fenced("a2"));
  v1::Sample b;
  b.add_turns(Fenced("b"));
  b.add_turns(Fenced("b"));
  auto results = f.Score(task, {a, b});
  ASSERT_TRUE(results.ok());
  const v1::SampleResult& ra = (*results)[0];
  const v1::SampleResult& rb = (*results)[1];
  EXPECT_EQ(ra.outcome(), v1::CORRECT);
  EXPECT_EQ(rb.outcome(), v1::INCORRECT);
  ASSERT_EQ(ra.code().turns_size(), 2);
  EXPECT_NEAR(ra.code().turns(0).advantage(), 0.096086, 2e-6);
  EXPECT_NEAR(ra.code().turns(1).advantage(), 0.908320, 2e-6);
  EXPECT_NEAR(rb.code().turns(0).advantage(), -0.502203, 2e-6);
  EXPECT_NEAR(ra.advantage(), 0.908320, 2e-6);
  EXPECT_NEAR(ra.code().traj_reward_decayed(), 0.81, 1e-12);
  EXPECT_NEAR(ra.score(), 0.81 + 0.940643, 2e-6);
  EXPECT_EQ(f.Vectors(task, {a, b}).num_turns_pooled(), 4);
}

TEST(CodeVerifier, TaskLimitsReachTheRunnerAndCapsAreEnforced) {
  RunLimits seen;
  auto runner = std::make_shared<FakeRunner>([&seen](const SessionRequest& request, size_t) {
    seen = request.limits;
    return FakeRunner::Exited(0, "0\n");
  });
  RunLimits caps;
  caps.cpu = absl::Seconds(4);
  auto verifier = *CodeVerifier::Create({runner, caps, RunLimits()});
  v1::Task task = StdinTask(1);
  task.mutable_code()->mutable_limits()->set_cpu_seconds(3);
  auto results = sdk::ScoreGroup(*verifier, task, {Completion(Fenced("p"))});
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_EQ(seen.cpu, absl::Seconds(3));
  EXPECT_EQ(seen.wall, absl::Seconds(5));  // default
  EXPECT_EQ((*results)[0].code().limits().cpu_seconds(), 3.0);

  task.mutable_code()->mutable_limits()->set_cpu_seconds(5);
  results = sdk::ScoreGroup(*verifier, task, {});
  EXPECT_EQ(results.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(results.status().message().find("cpu_seconds"), std::string::npos);
  EXPECT_NE(results.status().message().find("cap"), std::string::npos);
}

TEST(CodeVerifier, MalformedTasksAreInvalidArgument) {
  Fixture f;
  v1::Task empty;
  empty.mutable_code();
  EXPECT_NE(f.verifier->Prepare(empty).status().message().find("no tests"), std::string::npos);
  v1::Task sat;
  sat.mutable_sat();
  EXPECT_EQ(f.verifier->Prepare(sat).status().code(), absl::StatusCode::kInvalidArgument);
  v1::Task cpp_call = CallTask({{"[1]", "1"}});
  cpp_call.mutable_code()->set_language(v1::CodeTask::LANGUAGE_CPP);
  EXPECT_EQ(f.verifier->Prepare(cpp_call).status().code(), absl::StatusCode::kInvalidArgument);
  v1::Task bad_args = CallTask({{"{\"x\":1}", "1"}});
  EXPECT_NE(f.verifier->Prepare(bad_args).status().message().find("args_json"), std::string::npos);
  v1::Task bad_verpo = StdinTask(1);
  bad_verpo.mutable_code()->mutable_verpo()->set_gamma(2);
  EXPECT_NE(f.verifier->Prepare(bad_verpo).status().message().find("gamma"), std::string::npos);
  v1::Task negative = StdinTask(1);
  negative.mutable_code()->mutable_limits()->set_memory_bytes(-1);
  EXPECT_EQ(f.verifier->Prepare(negative).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CodeVerifier, ALanguageTheRunnerCannotRunFailsTheGroupNamingIt) {
  Fixture f;  // the fake runner runs what every runner runs: python and cpp
  v1::Task java = StdinTask(2);
  java.mutable_code()->set_language(v1::CodeTask::LANGUAGE_JAVA);
  const absl::Status status = f.verifier->Prepare(java).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("java"), std::string::npos) << status;
  EXPECT_EQ(f.runner->sessions(), 0);
  v1::Task unknown = StdinTask(1);
  unknown.mutable_code()->set_language(static_cast<v1::CodeTask::Language>(99));
  EXPECT_EQ(f.verifier->Prepare(unknown).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RegisterCodeVerifier, RegistersASandboxVerifierNamedCode) {
  sdk::VerifierRegistry registry;
  ASSERT_TRUE(RegisterCodeVerifier(registry, {std::make_shared<FakeRunner>(), {}, {}}).ok());
  const sdk::Verifier* v = registry.Find("code");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->work(), sdk::Verifier::Work::kSandbox);
  EXPECT_FALSE(v->Info().defaults_json().empty());
  // The fake runner runs python and cpp only.
  EXPECT_NE(v->Info().defaults_json().find(R"("languages":["python","cpp"])"), std::string::npos)
      << v->Info().defaults_json();
  EXPECT_EQ(RegisterCodeVerifier(registry, {std::make_shared<FakeRunner>(), {}, {}}).code(),
            absl::StatusCode::kAlreadyExists);
  sdk::VerifierRegistry other;
  EXPECT_EQ(RegisterCodeVerifier(other, {nullptr, {}, {}}).code(),
            absl::StatusCode::kInvalidArgument);
  RunLimits small_caps;
  small_caps.cpu = absl::Seconds(1);  // below the 2 s default
  EXPECT_EQ(RegisterCodeVerifier(other, {std::make_shared<FakeRunner>(), small_caps, {}}).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace arbiter::code
