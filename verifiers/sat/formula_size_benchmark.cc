// In-process cost of the `sat` verifier's Check() against formula size (bench/run's formula-size
// curve, `bench/results/curves/sat_cost_per_literal.svg`). Synthetic satisfiable 3-CNF formulas
// of state.range(0) clauses with a planted assignment, in both encodings:
//   Saturn  26 variables (Saturn's maximum); Prepare compiles each clause to two bitmasks, so
//           Check walks clauses, not literals;
//   DIMACS  64 variables; Check walks every literal of a clause up to its first true one.
// The completion is only `\boxed{<planted assignment>}`, so the answer scan is a fixed ~70 bytes
// and the formula walk is what grows (over gRPC the 2 KB completions' scan dominates: see the
// `sat_cost_vs_formula_size` curve). 16 formulas per size, answered in turn, so large sizes do not
// sit in cache: in DIMACS, 4096 clauses × 16 formulas is ≈ 1 MiB of literals and offsets, and the
// cost per literal steps from ≈ 0.45 to ≈ 2 ns there (with one formula it stays ≈ 0.5 ns).
// Counters: `literals` per formula; items are literals (items_per_second: literals per second).
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "verifiers/sat/sat_verifier.h"

namespace arbiter::sat {
namespace {

constexpr int kLiteralsPerClause = 3;
constexpr int kFormulas = 16;

struct Formula {
  std::vector<std::vector<int>> clauses;  // literals: +v / -v, v in 1..vars
  std::string assignment;                 // '0'/'1' per variable, satisfying every clause
};

// A random 3-CNF over `vars` variables whose clauses each hold at least one literal true under a
// random assignment (a literal is flipped when none is). Deterministic in `seed`.
Formula Planted(int vars, int clauses, uint32_t seed) {
  std::mt19937 rng(seed);
  Formula f;
  for (int v = 0; v < vars; ++v) f.assignment += (rng() & 1) ? '1' : '0';
  std::vector<int> order(vars);
  for (int v = 0; v < vars; ++v) order[v] = v + 1;
  for (int c = 0; c < clauses; ++c) {
    std::vector<int> clause;
    bool satisfied = false;
    for (int i = 0; i < kLiteralsPerClause; ++i) {  // distinct variables: partial Fisher-Yates
      std::swap(order[i], order[i + rng() % (vars - i)]);
      const int v = order[i];
      const bool negated = rng() & 1;
      satisfied |= (f.assignment[v - 1] == '1') != negated;
      clause.push_back(negated ? -v : v);
    }
    if (!satisfied) clause[rng() % kLiteralsPerClause] *= -1;
    f.clauses.push_back(std::move(clause));
  }
  return f;
}

std::string SaturnText(const Formula& f) {
  std::string out;
  for (const auto& clause : f.clauses) {
    if (!out.empty()) out += " & ";
    for (int lit : clause) {
      if (lit < 0) out += '!';
      out += static_cast<char>('A' + std::abs(lit) - 1);
    }
  }
  return out;
}

std::string DimacsText(const Formula& f) {
  std::string out = absl::StrCat("p cnf ", f.assignment.size(), " ", f.clauses.size(), "\n");
  for (const auto& clause : f.clauses) {
    for (int lit : clause) absl::StrAppend(&out, lit, " ");
    out += "0\n";
  }
  return out;
}

void CheckBySize(benchmark::State& state, bool dimacs) {
  const int clauses = static_cast<int>(state.range(0));
  const int vars = dimacs ? 64 : kMaxSaturnVars;
  SatVerifier verifier;
  std::vector<std::unique_ptr<const sdk::PreparedTask>> prepared;
  std::vector<v1::Sample> samples(kFormulas);
  for (int i = 0; i < kFormulas; ++i) {
    const Formula f = Planted(vars, clauses, static_cast<uint32_t>(1000 * clauses + i));
    v1::Task task;
    task.set_verifier("sat");
    task.mutable_sat()->set_formula(dimacs ? DimacsText(f) : SaturnText(f));
    task.mutable_sat()->set_k(dimacs ? 0 : vars);
    auto p = verifier.Prepare(task);
    if (!p.ok()) {
      state.SkipWithError(std::string(p.status().message()).c_str());
      return;
    }
    prepared.push_back(*std::move(p));
    samples[i].set_completion(absl::StrCat("\\boxed{", f.assignment, "}"));
  }
  const sdk::VerifyContext ctx;
  int64_t correct = 0;
  int i = 0;
  for (auto _ : state) {
    const v1::SampleResult result = verifier.Check(*prepared[i], samples[i], ctx);
    correct += result.outcome() == v1::CORRECT;
    benchmark::DoNotOptimize(result);
    if (++i == kFormulas) i = 0;
  }
  // A planted assignment that does not check would time a different path.
  if (correct != state.iterations()) state.SkipWithError("a planted assignment was not CORRECT");
  const int64_t literals = int64_t{clauses} * kLiteralsPerClause;
  state.SetItemsProcessed(state.iterations() * literals);
  state.counters["literals"] = static_cast<double>(literals);
}

void BM_CheckSaturnBySize(benchmark::State& state) { CheckBySize(state, false); }
void BM_CheckDimacsBySize(benchmark::State& state) { CheckBySize(state, true); }
BENCHMARK(BM_CheckSaturnBySize)->RangeMultiplier(4)->Range(8, 8192);
BENCHMARK(BM_CheckDimacsBySize)->RangeMultiplier(4)->Range(8, 8192);

}  // namespace
}  // namespace arbiter::sat

BENCHMARK_MAIN();
