// Length-budget reward of "Train Long, Think Short" (spec §6.1, arXiv 2508.08940).
//
//   total   r = λ_c · correct + λ_ℓ · R_len(ℓ) + λ_f · R_fmt
//   R_len   triangular: R_max·ℓ/L on [0, L], R_max·(1 − (ℓ − L)/L) on (L, 2L], 0 beyond;
//           band:       R_max on [0, L], then the same linear fall to 0 at 2L
//   budget  B(t) = max(B_min, ⌊B0 · γ^⌊t/T⌋⌋)   (integer truncation: 256, 179, 125, 87)
//
// ℓ is the completion length in tokens; correct and R_fmt are 0/1 (the caller decides what they
// mean; ShapeBatch uses outcome CORRECT and outcome != NO_ANSWER). Thread-safe: pure functions.
#pragma once

#include <cstdint>

namespace arbiter::shaping {

enum class LengthShape { kTriangular, kBand };

struct BudgetSchedule {
  double initial_budget = 256;  // B0
  double decay = 0.7;           // γ
  int64_t decay_every = 150;    // T ≥ 1
  double min_budget = 1;        // B_min
};

struct LengthWeights {
  double correct = 0.6;  // λ_c
  double length = 0.3;   // λ_ℓ
  double format = 0.1;   // λ_f
};

// R_len(ℓ) for budget L > 0 (L ≤ 0 gives 0). Negative ℓ counts as 0.
double LengthReward(double length, double budget, double r_max, LengthShape shape);

// B(t) for step t ≥ 0.
double BudgetAt(int64_t step, const BudgetSchedule& schedule);

// The equivalent schedule S_k = S0 · d^k: d = (S_f / S0)^(1/n), updated every T_total/(n+1)
// steps. n ≥ 1, S0 > 0, S_f > 0.
double DecayFactor(double initial_budget, double final_budget, int64_t num_decays);
double UpdateInterval(int64_t total_steps, int64_t num_decays);

// λ_c·correct + λ_ℓ·R_len + λ_f·format_ok.
double LengthBudgetTotal(bool correct, bool format_ok, double r_len, const LengthWeights& w);

}  // namespace arbiter::shaping
