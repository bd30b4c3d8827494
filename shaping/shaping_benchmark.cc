// ShapeBatch cost per sample: groups of 8 and 64, stages length budget + unlikeliness, then the
// unbiased z-score. Each iteration shapes a 256-sample batch; items processed = samples. And the
// cost of shaping one group alone, as the dispatcher does per group.
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "shaping/shaping.h"

namespace arbiter::shaping {
namespace {

void BM_ShapeBatch(benchmark::State& state) {
  const int group_size = static_cast<int>(state.range(0));
  const int num_groups = 256 / group_size;
  std::mt19937_64 rng(1);
  v1::ScoreRequest request;
  v1::Shaping& shaping = *request.mutable_shaping();
  shaping.add_stages(v1::Shaping::STAGE_LENGTH_BUDGET);
  shaping.add_stages(v1::Shaping::STAGE_UNLIKELINESS);
  shaping.set_normalizer(v1::NORMALIZER_ZSCORE_UNBIASED);
  shaping.mutable_length_budget()->set_step(300);
  std::vector<v1::GroupResult> results(num_groups);
  for (int g = 0; g < num_groups; ++g) {
    v1::Group& group = *request.add_groups();
    results[g].set_group_index(g);
    for (int i = 0; i < group_size; ++i) {
      v1::Sample& sample = *group.add_samples();
      sample.set_logprob(-std::uniform_real_distribution<double>(0.05, 2)(rng));
      sample.set_num_tokens(static_cast<int64_t>(rng() % 400));
      v1::SampleResult& s = *results[g].add_samples();
      const bool correct = i == 0 || (i > 1 && rng() % 2);  // never all-correct: no skips
      s.set_outcome(correct ? v1::CORRECT : v1::INCORRECT);
      s.set_score(correct ? 1 : 0);
    }
  }
  std::vector<GroupInput> inputs;
  inputs.reserve(results.size());
  for (auto& r : results) inputs.push_back({&r});
  const RequestPlan plan = *PlanRequest(request);
  for (auto _ : state) {
    auto statuses = ShapeBatch(request, plan, inputs);
    benchmark::DoNotOptimize(statuses.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * num_groups * group_size);
  state.counters["ns_per_sample"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * num_groups * group_size,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_ShapeBatch)->Arg(8)->Arg(64);

// The dispatcher's per-group call (no whole-batch stage): one group of G samples with the
// default shaping (group z-score), as each one-sample request of the HTTP gateway is shaped.
void BM_ShapeOneGroup(benchmark::State& state) {
  const int group_size = static_cast<int>(state.range(0));
  v1::ScoreRequest request;
  v1::Group& group = *request.add_groups();
  v1::GroupResult result;
  for (int i = 0; i < group_size; ++i) {
    group.add_samples();
    v1::SampleResult& s = *result.add_samples();
    s.set_outcome(i % 2 == 0 ? v1::CORRECT : v1::INCORRECT);
    s.set_score(i % 2 == 0 ? 1 : 0);
  }
  const RequestPlan plan = *PlanRequest(request);
  const GroupInput input[] = {{&result}};
  for (auto _ : state) {
    auto statuses = ShapeBatch(request, plan, input);
    benchmark::DoNotOptimize(statuses.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * group_size);
}
BENCHMARK(BM_ShapeOneGroup)->Arg(1)->Arg(8);

}  // namespace
}  // namespace arbiter::shaping

BENCHMARK_MAIN();
