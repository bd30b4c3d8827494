// GRPO-λ efficiency reward (spec §6.2, "Stable RL for Efficient Reasoning", arXiv 2505.18086).
//
// Batch level: groups are ranked by correctness ratio, descending, ties by position (stable); the
// top ⌈λ · #groups⌉ (at least 1) are efficiency-prioritised. In such a group a correct sample gets
//   r = 1 − α · sigmoid((L − mean_correct) / std_correct)
// (mean and population std over the group's correct lengths) and an incorrect one 0. With one
// correct sample or all correct lengths equal the z-term is 0 (r = 1 − α/2). The other groups keep
// their rewards. Thread-safe: pure functions.
#pragma once

#include "absl/types/span.h"

namespace arbiter::shaping {

inline constexpr double kDefaultGrpoLambda = 0.2;
inline constexpr double kDefaultGrpoAlpha = 0.6;

// top[k] = whether group k (correctness ratio ratios[k]) is in the top set for fraction
// lambda ∈ (0, 1]. An empty batch selects nothing. top.size() == ratios.size().
void SelectTopGroups(absl::Span<const double> ratios, double lambda, absl::Span<bool> top);

// Same, for groups with per-group fractions: group k is selected when its stable rank is below
// ⌈lambdas[k] · #groups⌉. With equal fractions this is SelectTopGroups().
void SelectTopGroupsPerGroup(absl::Span<const double> ratios, absl::Span<const double> lambdas,
                             absl::Span<bool> top);

// Writes the efficiency rewards of one top group. All spans have the group's size.
void EfficiencyRewards(absl::Span<const bool> correct, absl::Span<const double> lengths,
                       double alpha, absl::Span<double> rewards);

}  // namespace arbiter::shaping
