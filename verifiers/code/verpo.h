// VeRPO dense rewards (arXiv 2601.03525; spec methods.md §2.3–§2.6, §10) over one group's
// per-test pass matrix. Pure functions, no I/O.
//
// For a group of N trajectories, each with ≥ 1 executed turns, and |U| tests:
//   ρ_j   = passes of test j over all M = Σ|τ_i| turns / M             (pooled, no leave-one-out)
//   N̂(ρ_j) = Σ_j' exp(−(ρ_j − ρ_j')² / 2σ²)                          (Gaussian KDE, ≥ 1)
//   w_j   = exp(−α ρ_j);  w'_j = w_j / (N̂(ρ_j) + δ)   (full) | w_j (diff) | 1/|U| (ps)
//   R_turn(i,t) = Σ_j w'_j p_{i,t,j};   R_traj(i) = 1 iff the LAST turn passes every test
//   R̃_traj(i) = R_traj(i) · γ^{|τ_i|}
//   A(i,t) = (R̃_traj(i) − mean_i R̃_traj) + β (R_turn(i,t) − mean over all M turns of R_turn)
// Edge cases: |U| = 0 → R_turn = 0 (only A_traj); N ≤ 1 → every advantage 0 (a group of one
// has nothing to be relative to). σ = 0 in the params means std(ρ)/√2 (population std),
// floored at kSigmaFloor.
//
// Thread-safety: pure; safe from any thread.
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "verifiers/code/code.pb.h"

namespace arbiter::code {

inline constexpr double kDefaultAlpha = 2.0;
inline constexpr double kDefaultDelta = 1e-8;
inline constexpr double kDefaultBeta = 1.0;
inline constexpr double kDefaultGamma = 1.0;
// Accepted ranges: alpha in [0, 50] (exp(-50) is still a usable weight), beta in [0, 100],
// sigma in [0, 1e3], delta and gamma in [0, 1]; 0 means the default except for beta.
inline constexpr double kMaxAlpha = 50.0;
inline constexpr double kMaxBeta = 100.0;
inline constexpr double kSigmaFloor = 1e-3;

// Resolves defaults (0 / unspecified → the documented default; `sigma` stays 0 = automatic).
// INVALID_ARGUMENT naming the parameter for α < 0, σ < 0, δ < 0, β < 0, γ ∉ (0, 1], or a
// non-finite value.
absl::StatusOr<v1::VerpoParams> ResolveVerpoParams(const v1::VerpoParams& params);

// pass[i][t][j]: trajectory i, turn t, test j passed. Every turn has the same number of tests.
using PassMatrix = std::vector<std::vector<std::vector<bool>>>;

struct VerpoResult {
  double sigma = 0;                               // bandwidth actually used
  std::vector<double> pass_rates;                 // ρ_j
  std::vector<double> densities;                  // N̂(ρ_j) (full variant; 0 otherwise)
  std::vector<double> difficulty_weights;         // w_j
  std::vector<double> weights;                    // w'_j
  std::vector<std::vector<double>> turn_rewards;  // R_turn[i][t]
  std::vector<double> traj_rewards;               // R_traj[i] ∈ {0, 1}
  std::vector<double> traj_rewards_decayed;       // R̃_traj[i]
  std::vector<std::vector<double>> advantages;    // A[i][t]
};

// `params` must be resolved (ResolveVerpoParams). Trajectories with zero turns are treated as
// one turn passing nothing. Every value in the result is finite.
VerpoResult ComputeVerpo(const PassMatrix& pass, int num_tests, const v1::VerpoParams& params);

}  // namespace arbiter::code
