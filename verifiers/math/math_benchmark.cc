// In-process throughput of the math verifier (Check only; tasks prepared once) on a mixed set
// of items shaped like MATH/GSM8K answers, on 1 and 2 threads. See bench/results/math.md.
#include <ctime>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"
#include "nlohmann/json.hpp"
#include "verifiers/math/math_verifier.h"
#include "verifiers/math/symbolic.h"

namespace {

struct Item {
  std::string gold;
  std::string completion;
};

// The differential corpus (verifiers/math/testdata/bench_items.jsonl, written by
// differential/generate_corpus.py): the same items bench/math_mathverify_timing.py times
// Math-Verify on.
const std::vector<Item>& Items() {
  static const auto* items = [] {
    auto* out = new std::vector<Item>;
    const char* root = std::getenv("ARBITER_SOURCE_DIR");
    const std::string path =
        std::string(root != nullptr ? root : ".") + "/verifiers/math/testdata/bench_items.jsonl";
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded()) continue;
      out->push_back({j.value("gold", ""), j.value("completion", "")});
    }
    if (out->empty()) {
      std::fprintf(stderr, "no items at %s (set ARBITER_SOURCE_DIR)\n", path.c_str());
      std::exit(1);
    }
    return out;
  }();
  return *items;
}

using PreparedItem =
    std::pair<std::unique_ptr<const arbiter::sdk::PreparedTask>, arbiter::v1::Sample>;

// Every item prepared by `verifier` (items whose gold does not prepare are left out).
std::vector<PreparedItem> PrepareItems(const arbiter::math::MathVerifier& verifier) {
  std::vector<PreparedItem> prepared;
  for (const Item& item : Items()) {
    arbiter::v1::Task task;
    task.set_ground_truth(item.gold);
    arbiter::v1::Sample sample;
    sample.set_completion(item.completion);
    auto ready = verifier.Prepare(task);
    if (ready.ok()) prepared.emplace_back(*std::move(ready), sample);
  }
  return prepared;
}

void BM_MathCheck(benchmark::State& state) {
  static auto* verifier = new arbiter::math::MathVerifier();
  const std::vector<PreparedItem> prepared = PrepareItems(*verifier);
  auto i = static_cast<size_t>(state.thread_index());
  for (auto _ : state) {
    const auto& [task, sample] = prepared[i++ % prepared.size()];
    benchmark::DoNotOptimize(verifier->Check(*task, sample, {}));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MathCheck)->Threads(1)->Threads(2)->UseRealTime();

// One prepared item checked over and over.
void CheckOne(benchmark::State& state, const char* gold, const char* completion) {
  static auto* verifier = new arbiter::math::MathVerifier();
  arbiter::v1::Task task;
  task.set_ground_truth(gold);
  auto prepared = *verifier->Prepare(task);
  arbiter::v1::Sample sample;
  sample.set_completion(completion);
  for (auto _ : state) benchmark::DoNotOptimize(verifier->Check(*prepared, sample, {}));
  state.SetItemsProcessed(state.iterations());
}

// Only the items the lock-free path decides (numbers, fractions, tuples): scaling without GiNaC.
void BM_MathCheckRational(benchmark::State& state) {
  CheckOne(state, "\\frac{3}{4}", "Thus the answer is $\\boxed{0.75}$.");
}
BENCHMARK(BM_MathCheckRational)->Threads(1)->Threads(2)->UseRealTime();

// Items that need GiNaC (symbolic equality proofs): serialised on the process-wide lock.
void BM_MathCheckSymbolic(benchmark::State& state) {
  CheckOne(state, "x^2-1", "Factoring, the product is $\\boxed{(x-1)(x+1)}$.");
}
BENCHMARK(BM_MathCheckSymbolic)->Threads(1)->Threads(2)->UseRealTime();

// Scaling, measured unambiguously: state.range(0) threads each check 20,000 items of the mixed set;
// the iteration's time is the wall time until all are done; items/s = total items / wall time.
// state.range(1) == 1: only the items that never take the GiNaC lock.
void BM_MathScaling(benchmark::State& state) {
  static auto* verifier = new arbiter::math::MathVerifier();
  std::vector<std::pair<std::unique_ptr<const arbiter::sdk::PreparedTask>, arbiter::v1::Sample>>
      prepared;
  for (const Item& item : Items()) {
    arbiter::v1::Task task;
    task.set_ground_truth(item.gold);
    arbiter::v1::Sample sample;
    sample.set_completion(item.completion);
    auto ready = verifier->Prepare(task);
    if (!ready.ok()) continue;
    const uint64_t calls = arbiter::math::GetSymbolicStats().calls;
    benchmark::DoNotOptimize(verifier->Check(**ready, sample, {}));
    if (state.range(1) == 1 && arbiter::math::GetSymbolicStats().calls != calls) continue;
    prepared.emplace_back(*std::move(ready), sample);
  }
  const int threads = static_cast<int>(state.range(0));
  constexpr int kPerThread = 20000;
  auto process_cpu_us = [] {
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
  };
  const double cpu_start = process_cpu_us();
  const arbiter::math::SymbolicStats before = arbiter::math::GetSymbolicStats();
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&prepared, t] {
        for (int i = 0; i < kPerThread; ++i) {
          const auto& [task, sample] = prepared[(i + t) % prepared.size()];
          benchmark::DoNotOptimize(verifier->Check(*task, sample, {}));
        }
      });
    }
    for (std::thread& th : pool) th.join();
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  const auto items = static_cast<double>(state.iterations() * threads * kPerThread);
  state.SetItemsProcessed(static_cast<int64_t>(items));
  // CPU per item over all threads: flat from 1 to 2 threads means no contention overhead, so
  // wall-time throughput scales with the cores actually free (the machine is shared).
  state.counters["cpu_us_per_item"] = (process_cpu_us() - cpu_start) / items;
  state.counters["ginac_locked_us_per_item"] =
      static_cast<double>(arbiter::math::GetSymbolicStats().locked_nanos - before.locked_nanos) /
      1000.0 / items;
}
BENCHMARK(BM_MathScaling)->Args({1, 0})->Args({2, 0})->Args({1, 1})->Args({2, 1})->UseManualTime();

// Per-item latency distribution on one thread over every item (Check only): p50/p99/max in µs.
void BM_MathLatency(benchmark::State& state) {
  static auto* verifier = new arbiter::math::MathVerifier();
  const std::vector<PreparedItem> prepared = PrepareItems(*verifier);
  std::vector<double> us;
  std::vector<double> cpu_us;
  auto thread_cpu_us = [] {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
  };
  const arbiter::math::SymbolicStats before = arbiter::math::GetSymbolicStats();
  for (auto _ : state) {
    for (const auto& [task, sample] : prepared) {
      const double cpu_start = thread_cpu_us();
      const auto start = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(verifier->Check(*task, sample, {}));
      cpu_us.push_back(thread_cpu_us() - cpu_start);
      us.push_back(
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
              .count());
    }
  }
  const arbiter::math::SymbolicStats after = arbiter::math::GetSymbolicStats();
  double total_us = 0;
  for (double u : us) total_us += u;
  // The serial fraction: share of Check time spent holding the GiNaC lock (Amdahl's s), and the
  // share of items that took it.
  state.counters["ginac_time_share"] =
      static_cast<double>(after.locked_nanos - before.locked_nanos) / 1000.0 / total_us;
  state.counters["ginac_item_share"] =
      static_cast<double>(after.calls - before.calls) / static_cast<double>(us.size());
  std::sort(us.begin(), us.end());
  state.counters["p50_us"] = us[us.size() / 2];
  state.counters["p99_us"] = us[us.size() * 99 / 100];
  state.counters["max_us"] = us.back();
  // CPU time per item (load-robust: the machine is shared).
  std::sort(cpu_us.begin(), cpu_us.end());
  state.counters["p50_cpu_us"] = cpu_us[cpu_us.size() / 2];
  state.counters["p99_cpu_us"] = cpu_us[cpu_us.size() * 99 / 100];
  state.counters["max_cpu_us"] = cpu_us.back();
  state.SetItemsProcessed(static_cast<int64_t>(us.size()));
}
BENCHMARK(BM_MathLatency)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
