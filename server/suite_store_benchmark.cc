// What a group naming a registered suite (Task.ground_truth_ref) costs the server before the
// verifier sees it, for a 4,173-test APPS-form suite of 1.4 MB (the size code_benchmark's
// BM_PrepareLargeSuite prepares): Resolve (lookup and copy into the group's task) and the task
// digest the result cache keys on: the label's SHA-256 for an inline label, the suite id (no
// hashing of the content) for a referenced one. Both run once per group.
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "arbiter/v1/arbiter.pb.h"
#include "benchmark/benchmark.h"
#include "server/item_key.h"
#include "server/suite_store.h"

namespace arbiter::server {
namespace {

std::string LargeSuite() {
  std::string inputs = "[", outputs = "[";
  for (int t = 0; t < 4173; ++t) {
    std::string in = absl::StrCat(t, "\\n");
    std::string out;
    for (int k = 0; k < 30; ++k) absl::StrAppend(&in, t * 31 + k, k % 10 == 9 ? "\\n" : " ");
    for (int k = 0; k < 20; ++k) absl::StrAppend(&out, t * 62 + 2 * k, k % 10 == 9 ? "\\n" : " ");
    absl::StrAppend(&inputs, t ? "," : "", "\"", in, "\"");
    absl::StrAppend(&outputs, t ? "," : "", "\"", out, "\"");
  }
  return absl::StrCat("{\"inputs\":", inputs, "],\"outputs\":", outputs, "]}");
}

struct Fixture {
  SuiteStore store{int64_t{64} << 20};
  v1::Task task;
  Fixture() {
    task.set_verifier("code");
    task.set_ground_truth_ref(*store.Register(LargeSuite()));
  }
};

void BM_ResolveLargeSuite(benchmark::State& state) {
  Fixture f;
  for (auto _ : state) {
    v1::Task storage;
    auto resolved = f.store.Resolve(f.task, storage);
    benchmark::DoNotOptimize(resolved);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ResolveLargeSuite)->Unit(benchmark::kMicrosecond);

void BM_TaskDigestLargeSuite(benchmark::State& state) {
  Fixture f;
  v1::Task storage;
  const v1::Task* resolved = *f.store.Resolve(f.task, storage);
  for (auto _ : state) benchmark::DoNotOptimize(TaskDigest("code", "3", *resolved));
  state.SetItemsProcessed(state.iterations());
  state.counters["suite_bytes"] = static_cast<double>(resolved->ground_truth().size());
}
BENCHMARK(BM_TaskDigestLargeSuite)->Unit(benchmark::kMicrosecond);

// What the dispatcher pays for a referenced suite: the suite id stands for the content's hash.
void BM_TaskDigestLargeSuiteById(benchmark::State& state) {
  Fixture f;
  v1::Task storage;
  const v1::Task* resolved = *f.store.Resolve(f.task, storage);
  const std::string sha256 = absl::HexStringToBytes(f.task.ground_truth_ref());
  for (auto _ : state) benchmark::DoNotOptimize(TaskDigest("code", "3", *resolved, sha256));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TaskDigestLargeSuiteById)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace arbiter::server

BENCHMARK_MAIN();
