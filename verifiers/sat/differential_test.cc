// Differential tests against independent oracles, with a printed seed (set ARBITER_TEST_SEED to
// replay one): Saturn formulas (k <= 12) against brute-force evaluation of the clause strings in
// the style of Saturn's calc_sat_value, and random DIMACS formulas against CaDiCaL used directly.
#include <cadical.hpp>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "verifiers/sat/sat_verifier.h"
#include "verifiers/sdk/verifier.h"

namespace arbiter::sat {
namespace {

uint64_t Seed() {
  if (const char* s = std::getenv("ARBITER_TEST_SEED")) return std::strtoull(s, nullptr, 10);
  return std::random_device{}() * 0x9E3779B97F4A7C15ULL + std::random_device{}();
}

// Saturn's calc_sat_value, transcribed over the formula string: variable past the answer's end
// reads '0'. Answers here are ASCII, so bytes are code points.
bool SaturnOracle(const std::string& formula, const std::string& answer) {
  size_t i = 0;
  while (i <= formula.size()) {
    size_t end = formula.find(" & ", i);
    if (end == std::string::npos) end = formula.size();
    bool satisfied = false;
    for (size_t j = i; j < end; ++j) {
      bool neg = formula[j] == '!';
      if (neg) ++j;
      const size_t idx = formula[j] - 'A';
      const char v = idx < answer.size() ? answer[idx] : '0';
      if ((neg && v == '0') || (!neg && v == '1')) satisfied = true;
    }
    if (!satisfied) return false;
    i = end + 3;
  }
  return true;
}

std::string RandomSaturnFormula(std::mt19937_64& rng, int k) {
  const int n = 1 + static_cast<int>(rng() % k);
  const int l = 1 + static_cast<int>(rng() % 12);
  std::string formula;
  for (int c = 0; c < l; ++c) {
    if (c) formula += " & ";
    std::vector<int> vars(k);
    for (int v = 0; v < k; ++v) vars[v] = v;
    std::shuffle(vars.begin(), vars.end(), rng);
    std::sort(vars.begin(), vars.begin() + n);
    for (int j = 0; j < n; ++j) {
      if (rng() % 2) formula += '!';
      formula += static_cast<char>('A' + vars[j]);
    }
  }
  return formula;
}

double ScoreOne(const SatVerifier& verifier, const v1::Task& task, const std::string& text) {
  v1::Sample sample;
  sample.set_completion(text);
  auto prepared = verifier.Prepare(task);
  EXPECT_TRUE(prepared.ok()) << prepared.status();
  return verifier.Check(**prepared, sample, {}).score();
}

TEST(Differential, SaturnFormulasAgainstBruteForce) {
  const uint64_t seed = Seed();
  SCOPED_TRACE(::testing::Message() << "ARBITER_TEST_SEED=" << seed);
  std::mt19937_64 rng(seed);
  SatVerifier verifier;
  const char alphabet[] = {'0', '1', '0', '1', 'x', ' '};
  for (int iter = 0; iter < 1500; ++iter) {
    const int k = 1 + static_cast<int>(rng() % 12);
    const std::string formula = RandomSaturnFormula(rng, k);
    SCOPED_TRACE(formula);
    v1::Task strict;
    strict.set_verifier("sat");
    strict.mutable_sat()->set_formula(formula);
    strict.mutable_sat()->set_k(k);
    v1::Task compat = strict;
    compat.mutable_sat()->set_mode(v1::SatTask::MODE_COMPAT);
    auto ps = verifier.Prepare(strict);
    auto pc = verifier.Prepare(compat);
    ASSERT_TRUE(ps.ok() && pc.ok());
    // Every full assignment (strict) for small k, else a sample of them.
    const int assignments = k <= 8 ? (1 << k) : 64;
    for (int a = 0; a < assignments; ++a) {
      const uint64_t bits = k <= 8 ? static_cast<uint64_t>(a) : rng();
      std::string answer;
      for (int i = 0; i < k; ++i) answer += ((bits >> i) & 1) ? '1' : '0';
      v1::Sample sample;
      sample.set_completion("think \\boxed{" + answer + "}");
      const double want = SaturnOracle(formula, answer) ? 1 : 0;
      ASSERT_EQ(verifier.Check(**ps, sample, {}).score(), want) << answer;
      ASSERT_EQ(verifier.Check(**pc, sample, {}).score(), want) << answer;
    }
    // compat on arbitrary captures: short, long, non-binary.
    for (int a = 0; a < 8; ++a) {
      std::string answer;
      const int len = static_cast<int>(rng() % (k + 3));
      for (int i = 0; i < len; ++i) answer += alphabet[rng() % std::size(alphabet)];
      v1::Sample sample;
      sample.set_completion("\\boxed{" + answer + "}");
      ASSERT_EQ(verifier.Check(**pc, sample, {}).score(), SaturnOracle(formula, answer) ? 1 : 0)
          << "'" << answer << "'";
    }
  }
}

struct Cnf {
  int vars = 0;
  std::vector<std::vector<int>> clauses;
  std::string Dimacs() const {
    std::string out = "p cnf " + std::to_string(vars) + " " + std::to_string(clauses.size()) + "\n";
    for (const auto& c : clauses) {
      for (int lit : c) out += std::to_string(lit) + " ";
      out += "0\n";
    }
    return out;
  }
};

Cnf RandomCnf(std::mt19937_64& rng) {
  Cnf cnf;
  cnf.vars = 3 + static_cast<int>(rng() % 20);
  // Around the 3-SAT threshold (4.26 clauses per variable) so that both answers occur.
  const int clauses = static_cast<int>(cnf.vars * (2.5 + (rng() % 35) / 10.0));
  for (int c = 0; c < clauses; ++c) {
    std::vector<int> clause;
    for (int j = 0; j < 3; ++j) {
      const int var = 1 + static_cast<int>(rng() % cnf.vars);
      clause.push_back(rng() % 2 ? var : -var);
    }
    cnf.clauses.push_back(clause);
  }
  return cnf;
}

TEST(Differential, DimacsFormulasAgainstCadical) {
  const uint64_t seed = Seed();
  SCOPED_TRACE(::testing::Message() << "ARBITER_TEST_SEED=" << seed);
  std::mt19937_64 rng(seed);
  SatVerifier verifier;
  int sat_seen = 0;
  int unsat_seen = 0;
  for (int iter = 0; iter < 1500; ++iter) {
    const Cnf cnf = RandomCnf(rng);
    const std::string text = cnf.Dimacs();
    SCOPED_TRACE(text);
    CaDiCaL::Solver oracle;
    oracle.set("quiet", 1);
    for (const auto& c : cnf.clauses) {
      for (int lit : c) oracle.add(lit);
      oracle.add(0);
    }
    const int status = oracle.solve();
    ASSERT_TRUE(status == 10 || status == 20);
    v1::Task task;
    task.set_verifier("sat");
    task.set_ground_truth(text);
    ASSERT_EQ(ScoreOne(verifier, task, "\\boxed{UNSAT}"), status == 20 ? 1 : 0);
    if (status == 10) {
      ++sat_seen;
      std::string bits;
      std::string literals;
      for (int v = 1; v <= cnf.vars; ++v) {
        const bool value = oracle.val(v) > 0;
        bits += value ? '1' : '0';
        literals += (value ? "" : "-") + std::to_string(v) + " ";
      }
      ASSERT_EQ(ScoreOne(verifier, task, "\\boxed{" + bits + "}"), 1);
      ASSERT_EQ(ScoreOne(verifier, task, "\\boxed{" + literals + "0}"), 1);
    } else {
      ++unsat_seen;
    }
    // A random assignment: the verifier must agree with direct evaluation.
    std::string bits;
    for (int v = 0; v < cnf.vars; ++v) bits += rng() % 2 ? '1' : '0';
    bool satisfied = true;
    for (const auto& c : cnf.clauses) {
      bool any = false;
      for (int lit : c) any |= (bits[std::abs(lit) - 1] == '1') == (lit > 0);
      satisfied &= any;
    }
    ASSERT_EQ(ScoreOne(verifier, task, "\\boxed{" + bits + "}"), satisfied ? 1 : 0) << bits;
  }
  // The generator must exercise both answers to be a meaningful differential.
  EXPECT_GT(sat_seen, 100);
  EXPECT_GT(unsat_seen, 100);
}

}  // namespace
}  // namespace arbiter::sat
