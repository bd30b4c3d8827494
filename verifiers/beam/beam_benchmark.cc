// Benchmarks (bench/results/beam.md): compat checking per completion on one core, and the
// symbolic solve + verify of one beam (SymBeam's reference: ~100 ms median per beam).
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "verifiers/beam/beam_verifier.h"
#include "verifiers/beam/compat.h"
#include "verifiers/beam/expr.h"
#include "verifiers/beam/internal/beam_builder.h"
#include "verifiers/beam/internal/ginac_lock.h"
#include "verifiers/beam/solver.h"
#include "verifiers/beam/symbolic_check.h"

namespace arbiter::beam {
namespace {

using internal::BeamBuilder;

// A BeamPERL-shaped completion: ~1.6 KB of reasoning, then the boxed reactions.
std::string Completion() {
  std::string think = "<think>\n";
  while (think.size() < 1600) {
    think +=
        "Taking moments about the pin at x = 0: R_B * 2L = 3P * 0.6L, so R_B = 0.9P. "
        "Vertical balance gives R_A = 3P - 0.9P = 2.1P. ";
  }
  return think + "\n</think>\nThe reactions are R_A = \\boxed{2.1P} and R_B = \\boxed{0.9P}.";
}

void BM_CompatScore(benchmark::State& state) {
  const std::string completion = Completion();
  const std::vector<double> gold = {2.1, 0.9};
  for (auto _ : state) {
    CompatResult r = ScoreCompat(completion, gold, CompatOptions());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(completion.size()));
}
BENCHMARK(BM_CompatScore);

// Through the Verifier interface, building the SampleResult proto with its BeamDetail.
void BM_CompatVerifierCheck(benchmark::State& state) {
  BeamVerifier verifier;
  v1::Task task;
  task.set_ground_truth(R"(["2.1P", "0.9P"])");
  auto prepared = verifier.Prepare(task);
  v1::Sample sample;
  sample.set_completion(Completion());
  for (auto _ : state) {
    v1::SampleResult r = verifier.Check(**prepared, sample, {});
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CompatVerifierCheck);

const v1::Beam& SpecBeam() {
  static const v1::Beam beam =
      BeamBuilder("2*L").Pin("0").Roller("2*L").Force("-3*P", "0.6*L").beam();
  return beam;
}

const v1::Beam& GerberBeam() {
  static const v1::Beam beam = BeamBuilder("4*L")
                                   .Fixed("0")
                                   .Hinge("2*L")
                                   .Roller("4*L")
                                   .Force("-P", "L")
                                   .Distributed("-q", "2*L", "4*L")
                                   .Couple("M", "3*L")
                                   .beam();
  return beam;
}

void BM_SymbolicSolve(benchmark::State& state, const v1::Beam& beam) {
  for (auto _ : state) {
    auto s = SolveBeam(beam);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_SymbolicSolve, spec_3_5, SpecBeam());
BENCHMARK_CAPTURE(BM_SymbolicSolve, gerber_mixed, GerberBeam());

// Solve + verify: prepare the checker (parse + solve) and check one completion, per beam.
void BM_SymbolicSolveAndVerify(benchmark::State& state, const v1::Beam& beam,
                               const std::string& answer) {
  const std::string completion = "<think>\nwork\n</think>\n" + answer;
  for (auto _ : state) {
    auto checker = SymbolicChecker::Create(beam, CompatOptions(), /*ask_moments=*/true);
    SymbolicVerdict v = (*checker)->Check(completion);
    if (!v.accuracy_ok) state.SkipWithError("answer not accepted");
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_SymbolicSolveAndVerify, spec_3_5, SpecBeam(),
                  std::string("R_A = \\boxed{2.1P}, R_B = \\boxed{\\frac{9}{10}P}"));
BENCHMARK_CAPTURE(BM_SymbolicSolveAndVerify, gerber_mixed, GerberBeam(),
                  // Right of the hinge: 2L·R_B − 2qL·L + M = 0; then ΣFy and ΣM about A.
                  std::string("\\boxed{R_A = P + q L + \\frac{M}{2L}}, \\boxed{M_A = 2qL^2 + PL "
                              "+ M}, \\boxed{R_B = qL - \\frac{M}{2L}}"));

// Check only (checker prepared once per group), per completion.
void BM_SymbolicCheck(benchmark::State& state) {
  auto checker = SymbolicChecker::Create(SpecBeam(), CompatOptions(), false);
  const std::string completion = Completion();
  for (auto _ : state) {
    SymbolicVerdict v = (*checker)->Check(completion);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SymbolicCheck);

}  // namespace
}  // namespace arbiter::beam

BENCHMARK_MAIN();
namespace arbiter::beam {
namespace {
void BM_ParseDescriptionExpr(benchmark::State& state) {
  absl::MutexLock lock(&internal::GinacMutex());
  for (auto _ : state) {
    auto e = ParseDescriptionExpr("-3*P/L + 0.5*q", "x");
    benchmark::DoNotOptimize(e);
  }
}
BENCHMARK(BM_ParseDescriptionExpr);
void BM_Lsolve3(benchmark::State& state) {
  absl::MutexLock lock(&internal::GinacMutex());
  GiNaC::symbol a("a"), b("b"), c("c");
  const BeamSymbols& s = Symbols();
  for (auto _ : state) {
    GiNaC::lst eq = {a + c - s.P - 2 * s.q * s.L == 0,
                     a * 0 + 4 * s.L * c + b - s.P * s.L - 6 * s.q * s.L * s.L + s.M == 0,
                     2 * s.L * c - 2 * s.q * s.L * s.L + s.M == 0};
    GiNaC::ex r = GiNaC::lsolve(eq, GiNaC::lst{a, b, c});
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_Lsolve3);
}  // namespace
}  // namespace arbiter::beam
