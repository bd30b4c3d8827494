// Test executions per second through the `code` verifier (extraction, sandbox session, verdicts,
// VeRPO), with the real BwrapRunner on trivial Python programs, and the verifier's own cost with
// the scripted FakeRunner. Items = test executions.
//
//   BM_RealSandboxGroup/tests:T/threads:N   groups of 8 completions × T tests; N groups in flight
//                                           (T = 1: one sandbox per test, "cold"; T = 10: warm)
//   BM_VerifierOverheadFake                 8 × 10 with a fake runner: parsing, judging, VeRPO
//   BM_PrepareLargeSuite/cache:C            Prepare of one APPS-form ground_truth of 4,173 tests
//                                           (1.4 MB), as each of 64 groups naming one suite
//                                           does; C = 0: parsed every time (the cache off),
//                                           C = 1: PreparedTaskCache; items = groups prepared
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "nlohmann/json.hpp"
#include "verifiers/code/code_verifier.h"
#include "verifiers/code/sandbox/bwrap_runner.h"
#include "verifiers/code/sandbox/fake_runner.h"

namespace arbiter::code {
namespace {

constexpr int kSamples = 8;

v1::Task DoublingTask(int tests) {
  v1::Task task;
  for (int n = 1; n <= tests; ++n) {
    v1::CodeTest* test = task.mutable_code()->add_tests();
    test->set_input(absl::StrCat(n, "\n"));
    test->set_expected_output(absl::StrCat(2 * n, "\n"));
  }
  return task;
}

std::vector<v1::Sample> Samples(int salt) {
  std::vector<v1::Sample> samples(kSamples);
  for (int k = 0; k < kSamples; ++k) {
    samples[k].set_completion(
        absl::StrCat("```python\n# ", salt, ".", k, "\nprint(2 * int(input()))\n```"));
  }
  return samples;
}

const CodeVerifier* RealVerifier() {
  static const CodeVerifier* verifier = []() -> const CodeVerifier* {
    auto runner = BwrapRunner::Create(BwrapOptions());
    if (!runner.ok()) return nullptr;
    auto v = CodeVerifier::Create({*std::move(runner), RunLimits(), RunLimits()});
    return v.ok() ? v->release() : nullptr;
  }();
  return verifier;
}

void BM_RealSandboxGroup(benchmark::State& state) {
  const CodeVerifier* verifier = RealVerifier();
  if (verifier == nullptr) {
    state.SkipWithError("the bubblewrap sandbox cannot start on this machine");
    return;
  }
  const int tests = static_cast<int>(state.range(0));
  const v1::Task task = DoublingTask(tests);
  int salt = state.thread_index() * 1000000;
  for (auto _ : state) {
    auto results = sdk::ScoreGroup(*verifier, task, Samples(salt++));
    if (!results.ok() || (*results)[0].outcome() != v1::CORRECT) {
      state.SkipWithError("a trivial program was not CORRECT");
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * kSamples * tests);
}
BENCHMARK(BM_RealSandboxGroup)
    ->ArgName("tests")
    ->Arg(1)
    ->Arg(10)
    ->Threads(1)
    ->Threads(2)
    ->Threads(4)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_VerifierOverheadFake(benchmark::State& state) {
  auto runner = std::make_shared<FakeRunner>([](const SessionRequest& request, size_t i) {
    (void)request;
    return FakeRunner::Exited(0, absl::StrCat(2 * (i + 1), "\n"));
  });
  auto verifier = *CodeVerifier::Create({runner, RunLimits(), RunLimits()});
  const v1::Task task = DoublingTask(10);
  const std::vector<v1::Sample> samples = Samples(0);
  for (auto _ : state) {
    auto results = sdk::ScoreGroup(*verifier, task, samples);
    benchmark::DoNotOptimize(results);
  }
  state.SetItemsProcessed(state.iterations() * kSamples * 10);
}
BENCHMARK(BM_VerifierOverheadFake);

// An APPS-style label the size of a large CodeContests suite: 4,173 stdin tests of ~200 bytes in
// and ~150 bytes out.
v1::Task LargeSuiteTask() {
  nlohmann::json inputs = nlohmann::json::array(), outputs = nlohmann::json::array();
  for (int t = 0; t < 4173; ++t) {
    std::string in = absl::StrCat(t, "\n");
    std::string out;
    for (int k = 0; k < 30; ++k) absl::StrAppend(&in, t * 31 + k, k % 10 == 9 ? "\n" : " ");
    for (int k = 0; k < 20; ++k) absl::StrAppend(&out, t * 62 + 2 * k, k % 10 == 9 ? "\n" : " ");
    inputs.push_back(std::move(in));
    outputs.push_back(std::move(out));
  }
  v1::Task task;
  task.set_verifier("code");
  task.set_ground_truth(nlohmann::json{{"inputs", inputs}, {"outputs", outputs}}.dump());
  return task;
}

// Prepare(task) per iteration, with the prepared-task cache on or off.
void PrepareLoop(benchmark::State& state, const v1::Task& task, bool cache) {
  auto runner = std::make_shared<FakeRunner>(
      [](const SessionRequest&, size_t) { return FakeRunner::Exited(0, ""); });
  CodeVerifierOptions options{runner, RunLimits(), RunLimits()};
  if (!cache) options.prepared_cache_bytes = 0;
  auto verifier = *CodeVerifier::Create(std::move(options));
  for (auto _ : state) {
    auto prepared = verifier->Prepare(task);
    if (!prepared.ok()) {
      state.SkipWithError(std::string(prepared.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(prepared);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["suite_bytes"] = static_cast<double>(task.ground_truth().size());
}

void BM_PrepareLargeSuite(benchmark::State& state) {
  PrepareLoop(state, LargeSuiteTask(), state.range(0) != 0);
}
BENCHMARK(BM_PrepareLargeSuite)->ArgName("cache")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// An APPS call-based label of about the same size whose arguments are dicts (1,000 tests, one
// 60-key dict each, keys not in sorted order): the label is read keeping key order
// (sdk::ParseUntrustedOrderedJson) and each argument list re-serialised in that order.
v1::Task LargeDictCallTask() {
  std::string inputs, outputs;
  for (int t = 0; t < 1000; ++t) {
    absl::StrAppend(&inputs, t == 0 ? "" : ",", "[{");
    for (int k = 60; k > 0; --k)
      absl::StrAppend(&inputs, k == 60 ? "" : ",", "\"key", k * 7919 % 1000, "_", t, "\":", k * t);
    absl::StrAppend(&inputs, "}]");
    absl::StrAppend(&outputs, t == 0 ? "" : ",", t);
  }
  v1::Task task;
  task.set_verifier("code");
  task.set_ground_truth(
      absl::StrCat(R"({"fn_name": "f", "inputs": [)", inputs, R"(], "outputs": [)", outputs, "]}"));
  return task;
}

void BM_PrepareLargeDictCallSuite(benchmark::State& state) {
  PrepareLoop(state, LargeDictCallTask(), /*cache=*/false);
}
BENCHMARK(BM_PrepareLargeDictCallSuite)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace arbiter::code

BENCHMARK_MAIN();
