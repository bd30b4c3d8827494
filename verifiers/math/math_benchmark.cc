// In-process throughput of the math verifier (Check only; tasks prepared once) on a mixed set
// of items shaped like MATH/GSM8K answers, on 1 and 2 threads. See bench/results/math.md.
#include <string>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"
#include "verifiers/math/math_verifier.h"

namespace {

struct Item {
  std::string gold;
  std::string completion;
};

// The same items as bench/math_items.jsonl (the Math-Verify side of the comparison).
const std::vector<Item>& Items() {
  static const auto* items = new std::vector<Item>{
      {"\\frac{3}{4}", "So the probability is $\\boxed{\\frac{3}{4}}$."},
      {"\\frac{3}{4}", "Thus the answer is $\\boxed{0.75}$."},
      {"\\frac{3}{4}", "Thus the answer is $\\boxed{\\frac{4}{3}}$."},
      {"3\\sqrt{3}", "The height is $\\boxed{\\sqrt{27}}$."},
      {"(2,-1)", "The lines meet at $\\boxed{(2, -1)}$."},
      {"[3,\\infty)", "The domain is $\\boxed{[3, \\infty)}$."},
      {"15\\%", "The discount is $\\boxed{15\\%}$."},
      {"12", "The perimeter is $\\boxed{12\\text{ cm}}$."},
      {"x^2-1", "Factoring, the product is $\\boxed{(x-1)(x+1)}$."},
      {"1250", "The total cost is $\\boxed{1,250}$ dollars."},
      {"7", "<think>\nMaybe 5?\n</think>\n\nThere are $\\boxed{7}$ arrangements."},
      {"18", "Janet has 16 - 3 - 4 = 9 eggs, sold at $2 each: 9 * 2 = 18. The answer is 18."},
      {"025", "Hence $m+n = \\boxed{25}$."},
      {"142.0", "The answer is $\\boxed{142}$."},
      {"-4", "The minimum value is $\\boxed{4}$."},
      {"\\frac{1}{7}", "As a decimal this is $\\boxed{0.142857}$."},
      {"y=-2x+5", "The tangent line is $\\boxed{y = 5 - 2x}$."},
      {"\\pi", "The area is approximately $\\boxed{3.14}$."},
      {"34", "We compute carefully and get $\\boxed{34}$."},
      {"\\text{Evelyn}", "So the winner is $\\boxed{\\text{Evelyn}}$."},
  };
  return *items;
}

void BM_MathCheck(benchmark::State& state) {
  static arbiter::math::MathVerifier* verifier = new arbiter::math::MathVerifier();
  std::vector<std::pair<std::unique_ptr<const arbiter::sdk::PreparedTask>, arbiter::v1::Sample>>
      prepared;
  for (const Item& item : Items()) {
    arbiter::v1::Task task;
    task.set_ground_truth(item.gold);
    arbiter::v1::Sample sample;
    sample.set_completion(item.completion);
    prepared.emplace_back(*verifier->Prepare(task), sample);
  }
  size_t i = static_cast<size_t>(state.thread_index());
  for (auto _ : state) {
    const auto& [task, sample] = prepared[i++ % prepared.size()];
    benchmark::DoNotOptimize(verifier->Check(*task, sample, {}));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MathCheck)->Threads(1)->Threads(2)->UseRealTime();

// Only the items the lock-free path decides (numbers, fractions, tuples): scaling without GiNaC.
void BM_MathCheckRational(benchmark::State& state) {
  static arbiter::math::MathVerifier* verifier = new arbiter::math::MathVerifier();
  arbiter::v1::Task task;
  task.set_ground_truth("\\frac{3}{4}");
  auto prepared = *verifier->Prepare(task);
  arbiter::v1::Sample sample;
  sample.set_completion("Thus the answer is $\\boxed{0.75}$.");
  for (auto _ : state) benchmark::DoNotOptimize(verifier->Check(*prepared, sample, {}));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MathCheckRational)->Threads(1)->Threads(2)->UseRealTime();

// Items that need GiNaC (symbolic equality proofs): serialised on the process-wide lock.
void BM_MathCheckSymbolic(benchmark::State& state) {
  static arbiter::math::MathVerifier* verifier = new arbiter::math::MathVerifier();
  arbiter::v1::Task task;
  task.set_ground_truth("x^2-1");
  auto prepared = *verifier->Prepare(task);
  arbiter::v1::Sample sample;
  sample.set_completion("Factoring, the product is $\\boxed{(x-1)(x+1)}$.");
  for (auto _ : state) benchmark::DoNotOptimize(verifier->Check(*prepared, sample, {}));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MathCheckSymbolic)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
