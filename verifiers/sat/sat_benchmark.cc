// In-process costs of the `sat` verifier (DESIGN §5): Check() on Saturn-size formulas with ~2 KB
// completions (reasoning text, then \boxed{...}) in both modes, Prepare(), and the generator.
// Items: the 100 rows of Saturn's n3_k7_length40 test file (k = 7, l = 40) with the reasoning
// text of testdata/bench_reasoning.txt; even rows answer the planted solution, odd rows the
// planted solution with its first bit flipped. bench/sat_baseline.py times Saturn's own reward
// function on exactly these items.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "nlohmann/json.hpp"
#include "verifiers/sat/sat_generators.h"
#include "verifiers/sat/sat_verifier.h"

namespace arbiter::sat {
namespace {

struct Item {
  std::string clause;
  int k = 0;
  std::string completion;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Empty when the environment (set by ctest) does not point at the data.
const std::vector<Item>& Items() {
  static const std::vector<Item>* items = [] {
    auto* out = new std::vector<Item>();
    const char* shared = std::getenv("ARBITER_SHARED_DIR");
    const char* source = std::getenv("ARBITER_SOURCE_DIR");
    if (shared == nullptr || source == nullptr) return out;
    const std::string reasoning =
        ReadFile(std::string(source) + "/verifiers/sat/testdata/bench_reasoning.txt");
    std::ifstream rows(std::string(shared) + "/data/saturn/test/n3_k7_length40_sample100.jsonl");
    std::string line;
    for (int i = 0; std::getline(rows, line); ++i) {
      const nlohmann::json row = nlohmann::json::parse(line);
      std::string answer = row["solution"];
      if (i % 2 == 1) answer[0] = answer[0] == '1' ? '0' : '1';
      std::string completion = reasoning;
      absl::StrAppend(&completion, "\\boxed{", answer, "}");
      out->push_back({row["clause"], row["k"], std::move(completion)});
    }
    return out;
  }();
  return *items;
}

v1::Task MakeTask(const Item& item, v1::SatTask::Mode mode) {
  v1::Task task;
  task.set_verifier("sat");
  task.mutable_sat()->set_formula(item.clause);
  task.mutable_sat()->set_k(item.k);
  task.mutable_sat()->set_mode(mode);
  return task;
}

void VerifySaturn(benchmark::State& state, v1::SatTask::Mode mode) {
  const std::vector<Item>& items = Items();
  if (items.empty()) {
    state.SkipWithError("set ARBITER_SHARED_DIR and ARBITER_SOURCE_DIR (ctest does)");
    return;
  }
  SatVerifier verifier;
  std::vector<std::unique_ptr<const sdk::PreparedTask>> prepared;
  std::vector<v1::Sample> samples(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    prepared.push_back(*verifier.Prepare(MakeTask(items[i], mode)));
    samples[i].set_completion(items[i].completion);
  }
  const sdk::VerifyContext ctx;
  double total = 0;
  size_t i = 0;
  for (auto _ : state) {
    const v1::SampleResult result = verifier.Check(*prepared[i], samples[i], ctx);
    total += result.score();
    benchmark::DoNotOptimize(result);
    if (++i == items.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["mean_score"] = total / static_cast<double>(state.iterations());
  state.counters["completion_bytes"] = static_cast<double>(items[0].completion.size());
}

void BM_VerifySaturnStrict(benchmark::State& state) {
  VerifySaturn(state, v1::SatTask::MODE_STRICT);
}
void BM_VerifySaturnCompat(benchmark::State& state) {
  VerifySaturn(state, v1::SatTask::MODE_COMPAT);
}
BENCHMARK(BM_VerifySaturnStrict);
BENCHMARK(BM_VerifySaturnCompat);

// Worst case for the scan: 2 KB without any '}' (every byte is visited once).
void BM_VerifyNoBox(benchmark::State& state) {
  SatVerifier verifier;
  v1::Task task;
  task.set_verifier("sat");
  task.set_ground_truth("!A!BC & A!BD & AB!C & BCD");
  auto prepared = *verifier.Prepare(task);
  v1::Sample sample;
  sample.set_completion(std::string(2048, 'x'));
  for (auto _ : state) benchmark::DoNotOptimize(verifier.Check(*prepared, sample, {}));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyNoBox);

void BM_PrepareSaturn(benchmark::State& state) {
  const std::vector<Item>& items = Items();
  if (items.empty()) {
    state.SkipWithError("set ARBITER_SHARED_DIR and ARBITER_SOURCE_DIR (ctest does)");
    return;
  }
  SatVerifier verifier;
  const v1::Task task = MakeTask(items[0], v1::SatTask::MODE_STRICT);
  for (auto _ : state) benchmark::DoNotOptimize(verifier.Prepare(task));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PrepareSaturn);

// A Saturn row passed unchanged as JSON ground_truth (what a trainer's label column holds).
void BM_PrepareGroundTruthJsonRow(benchmark::State& state) {
  const std::vector<Item>& items = Items();
  if (items.empty()) {
    state.SkipWithError("set ARBITER_SHARED_DIR and ARBITER_SOURCE_DIR (ctest does)");
    return;
  }
  SatVerifier verifier;
  v1::Task task;
  task.set_verifier("sat");
  task.set_ground_truth(nlohmann::json{{"clause", items[0].clause}, {"k", items[0].k}}.dump());
  for (auto _ : state) benchmark::DoNotOptimize(verifier.Prepare(task));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PrepareGroundTruthJsonRow);

// Generator throughput: tasks per second for count = state.range(0) at (3, 5, 13), pool
// included (the pool is rebuilt on every call).
void BM_Generate(benchmark::State& state) {
  SatGenerator generator;
  v1::GenerateRequest request;
  request.set_kind("sat");
  request.mutable_sat()->set_n(3);
  request.mutable_sat()->set_k(5);
  request.mutable_sat()->set_l(13);
  request.mutable_sat()->set_count(static_cast<int>(state.range(0)));
  uint64_t seed = 0;
  for (auto _ : state) {
    request.mutable_sat()->set_seed(seed++);
    benchmark::DoNotOptimize(generator.Generate(request));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Generate)->Arg(1)->Arg(250)->Arg(1000);

}  // namespace
}  // namespace arbiter::sat

BENCHMARK_MAIN();
