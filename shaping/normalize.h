// Group-relative advantage normalisers (spec §0.1) over plain vectors of rewards.
//
//   kNone              A = 0
//   kMeanOnly          A = r − mean
//   kZScoreUnbiased    A = (r − mean) / (std_{n−1} + ε)    (verl, OpenRLHF group_norm)
//   kZScorePopulation  A = (r − mean) / (std_n + ε)
//
// A group whose rewards are all equal is degenerate: every advantage is 0. One exception follows
// verl: a single sample under kZScoreUnbiased uses mean 0 and std 1 (A = r / (1 + ε)) and is not
// degenerate. Inputs must be finite (see Finite()); outputs are always finite: huge rewards are
// scaled by a power of two before the moments are taken, which the z-scores are invariant to, and
// a mean-only advantage that would overflow is clamped to ±DBL_MAX.
//
// Thread-safe: pure functions.
#pragma once

#include "absl/types/span.h"

namespace arbiter::shaping {

enum class NormalizerKind { kNone, kMeanOnly, kZScoreUnbiased, kZScorePopulation };

inline constexpr double kDefaultEpsilon = 1e-6;

struct NormalizeResult {
  double mean = 0;  // mean reward (0 for an empty group)
  double std = 0;   // the std the normaliser used (unbiased or population; 0 otherwise)
  bool degenerate = false;
};

// NaN → 0, ±inf → ±DBL_MAX, anything else unchanged.
double Finite(double x);

// Mean of finite values without overflow; 0 for an empty span.
double SafeMean(absl::Span<const double> values);

// Writes one advantage per reward. advantages.size() == rewards.size(); epsilon ≥ 0. An empty
// group is degenerate.
NormalizeResult Normalize(absl::Span<const double> rewards, NormalizerKind kind, double epsilon,
                          absl::Span<double> advantages);

}  // namespace arbiter::shaping
