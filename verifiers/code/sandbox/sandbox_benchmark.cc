// Throughput and overhead of the sandbox, all measured in the same run (DESIGN §5):
//   BM_BarePython            posix_spawn python3 -c pass (no sandbox): the interpreter floor
//   BM_BwrapPython           the same inside a fresh sandbox (launcher+bwrap+seccomp): overhead
//   BM_FreshSessionPerTest   one RunSession per test (cold: sandbox + harness start per test)
//   BM_WarmSession/N         one RunSession of N trivial tests, fresh-process mode (warm harness
//                            forks per test); ->Threads(2) is the 2-core figure
//   BM_PerCompletionSession/N  the same in per-completion mode (one process runs the N tests)
// BM_BwrapPython is the baseline: a fresh bwrap + python per test (->Threads(2): on 2 cores).
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cstdlib>

#include <algorithm>
#include <memory>

#include "benchmark/benchmark.h"
#include "verifiers/code/sandbox/bwrap_runner.h"
#include "verifiers/code/sandbox/internal/sandbox_process.h"

namespace arbiter::code {
namespace {

BwrapRunner* Runner() {
  // Destroyed at exit, which removes the runner's private compile-cache directory.
  static const std::unique_ptr<BwrapRunner> runner = [] {
    // ARBITER_BENCH_NO_CGROUPS=1 measures the same sessions without the per-session cgroups, to
    // price the cgroup v1 memory accounting of copy-on-write faults.
    BwrapOptions options;
    options.use_cgroups = std::getenv("ARBITER_BENCH_NO_CGROUPS") == nullptr;
    auto r = BwrapRunner::Create(options);
    return r.ok() ? *std::move(r) : nullptr;
  }();
  return runner.get();
}

void SpawnAndWait(benchmark::State& state, const std::vector<std::string>& argv, bool seccomp) {
  int fd = -1;
  if (seccomp) {
    fd = memfd_create("bench-seccomp", MFD_CLOEXEC);
    const std::string& bpf = Runner()->SeccompProgram();
    if (write(fd, bpf.data(), bpf.size()) != static_cast<ssize_t>(bpf.size())) {
      state.SkipWithError("memfd write");
    }
  }
  for (auto _ : state) {
    if (fd >= 0) lseek(fd, 0, SEEK_SET);
    auto process = internal::SandboxProcess::Start(argv, fd);
    if (!process.ok()) {
      state.SkipWithError(std::string(process.status().message()).c_str());
      break;
    }
    const int status = (*process)->WaitExit(absl::Now() + absl::Seconds(10));
    if (status != 0) {
      state.SkipWithError(
          ("exit status " + std::to_string(status) + " " + (*process)->stderr_text()).c_str());
      break;
    }
  }
  if (fd >= 0) close(fd);
  state.SetItemsProcessed(state.iterations());
}

void BM_BarePython(benchmark::State& state) {
  SpawnAndWait(state, {"/usr/bin/python3", "-s", "-B", "-c", "pass"}, false);
}
BENCHMARK(BM_BarePython)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_BwrapPython(benchmark::State& state) {
  if (Runner() == nullptr) return state.SkipWithError("sandbox unavailable");
  SpawnAndWait(state, Runner()->SandboxCommand({"/usr/bin/python3", "-s", "-B", "-c", "pass"}),
               true);
}
BENCHMARK(BM_BwrapPython)->Unit(benchmark::kMillisecond)->UseRealTime();
// Two at a time: the baseline's 2-core figure (each thread spawns with its own seccomp memfd).
BENCHMARK(BM_BwrapPython)->Unit(benchmark::kMillisecond)->UseRealTime()->Threads(2);

SessionRequest Trivial(int tests, ExecutionMode mode) {
  SessionRequest request;
  request.program = "print(int(input()) + 1)";
  request.tests.resize(tests);
  request.mode = mode;
  for (TestInput& t : request.tests) t.stdin_data = "41\n";
  return request;
}

void RunSessions(benchmark::State& state, int tests, ExecutionMode mode) {
  if (Runner() == nullptr) return state.SkipWithError("sandbox unavailable");
  const SessionRequest request = Trivial(tests, mode);
  absl::Duration child_cpu;
  for (auto _ : state) {
    auto result = Runner()->RunSession(request, sdk::VerifyContext{}, nullptr);
    if (!result.ok() || result->tests.back().stdout_data != "42\n") {
      state.SkipWithError("session failed");
      break;
    }
    for (const RawRun& run : result->tests) child_cpu += run.cpu_time;
  }
  state.SetItemsProcessed(state.iterations() * tests);
  // CPU of the test's process (fresh-process mode: fork, candidate, exit; per-completion mode:
  // the test's share of the completion process), as the harness measured it.
  state.counters["child_cpu_ms"] =
      absl::ToDoubleMilliseconds(child_cpu) /
      std::max<double>(1, static_cast<double>(state.iterations()) * tests);
}

void BM_FreshSessionPerTest(benchmark::State& state) {
  RunSessions(state, 1, ExecutionMode::kFreshProcess);
}
BENCHMARK(BM_FreshSessionPerTest)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FreshSessionPerTest)->Unit(benchmark::kMillisecond)->UseRealTime()->Threads(2);

// Fresh-process mode: a new process per test in one warm sandbox.
void BM_WarmSession(benchmark::State& state) {
  RunSessions(state, static_cast<int>(state.range(0)), ExecutionMode::kFreshProcess);
}
BENCHMARK(BM_WarmSession)->Arg(10)->Arg(100)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_WarmSession)->Arg(100)->Unit(benchmark::kMillisecond)->UseRealTime()->Threads(2);

// Per-completion mode: one process runs all the session's tests.
void BM_PerCompletionSession(benchmark::State& state) {
  RunSessions(state, static_cast<int>(state.range(0)), ExecutionMode::kPerCompletion);
}
BENCHMARK(BM_PerCompletionSession)->Arg(10)->Arg(100)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PerCompletionSession)
    ->Arg(10)
    ->Arg(100)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Threads(2);

}  // namespace
}  // namespace arbiter::code

BENCHMARK_MAIN();
