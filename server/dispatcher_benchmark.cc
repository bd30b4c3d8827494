// The dispatcher alone (no gRPC, no serialisation): cost per group of one request of N one-sample
// groups, N = 1k, 10k, 32k, 64k. Admission (validation, item count, shaping plan) and shaping run
// once per request, so the cost per group should stay flat as N grows; before shaping was planned
// per request every group rescanned the whole request (O(N²)).
//
//   build/server/server_dispatcher_benchmark --benchmark_min_time=1
#include <chrono>
#include <memory>
#include <string>

#include "absl/synchronization/notification.h"
#include "benchmark/benchmark.h"
#include "server/dispatcher.h"
#include "server/testing/fake_verifier.h"

namespace arbiter::server {
namespace {

v1::ScoreRequest OneSampleGroups(int groups, int64_t salt) {
  v1::ScoreRequest request;
  for (int g = 0; g < groups; ++g) {
    v1::Group& group = *request.add_groups();
    group.mutable_task()->set_verifier("fake");
    group.mutable_task()->set_ground_truth("a");
    // Distinct completions: nothing is answered from the cache or deduplicated.
    group.add_samples()->set_completion(std::to_string(salt) + "/" + std::to_string(g));
  }
  return request;
}

void BM_DispatcherGroupsPerRequest(benchmark::State& state) {
  sdk::VerifierRegistry registry;
  if (!registry.Register(std::make_unique<testing::FakeVerifier>("fake")).ok()) {
    state.SkipWithError("register");
    return;
  }
  ServerOptions options;
  options.max_queued_items = 1 << 20;
  auto dispatcher = Dispatcher::Create(options, &registry, nullptr);
  if (!dispatcher.ok()) {
    state.SkipWithError(std::string(dispatcher.status().message()).c_str());
    return;
  }
  const int groups = static_cast<int>(state.range(0));
  int64_t salt = 0;
  double seconds = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const v1::ScoreRequest request = OneSampleGroups(groups, ++salt);
    state.ResumeTiming();
    const auto start = std::chrono::steady_clock::now();
    absl::Notification done;
    ScoreCallbacks callbacks;
    callbacks.on_done = [&done](std::vector<v1::GroupResult> results) {
      benchmark::DoNotOptimize(results.data());
      done.Notify();
    };
    const absl::Status admitted =
        (*dispatcher)->Score(request, absl::InfiniteFuture(), nullptr, std::move(callbacks));
    if (!admitted.ok()) {
      state.SkipWithError(std::string(admitted.message()).c_str());
      return;
    }
    done.WaitForNotification();
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  state.SetItemsProcessed(state.iterations() * groups);
  state.counters["us_per_group"] =
      1e6 * seconds / (static_cast<double>(groups) * static_cast<double>(state.iterations()));
}
BENCHMARK(BM_DispatcherGroupsPerRequest)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond)
    ->Arg(1024)
    ->Arg(10240)
    ->Arg(32768)
    ->Arg(65536);

}  // namespace
}  // namespace arbiter::server
BENCHMARK_MAIN();
