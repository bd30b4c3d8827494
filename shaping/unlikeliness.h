// Unlikeliness reward (spec §4, "Rewarding the Unlikely", arXiv 2506.02355), in the form of the
// authors' code: u_i is the ascending-likelihood rank of sample i among all G samples of the
// group (0 = least likely), ties broken by index; r_i ← r_i · (1 − β · u_i / G).
//
// With binary rewards this is the paper's R_i · (1 − β (G − rank_i) / G): the least likely sample
// is never penalised, incorrect samples stay 0. Ranks cover correct and incorrect samples alike.
// The group filter (keep only 0 < #correct < G) is applied by the caller *before* shaping, with
// UnlikelinessSkipReason().
//
// Thread-safe: pure functions.
#pragma once

#include <string_view>

#include "absl/types/span.h"

namespace arbiter::shaping {

inline constexpr double kDefaultUnlikelinessBeta = 0.25;

// likelihood must hold no NaN (±inf is fine).
// ranks[i] = number of samples strictly less likely than i, plus those equally likely with a
// smaller index (a stable ascending sort). ranks.size() == likelihood.size().
void AscendingRanks(absl::Span<const double> likelihood, absl::Span<int> ranks);

// Multiplies rewards[i] by 1 − β·u_i/G in place. rewards.size() == likelihood.size() == G.
void ApplyUnlikeliness(absl::Span<const double> likelihood, double beta,
                       absl::Span<double> rewards);

// "" when the group is kept; otherwise why the filter drops it ("unlikeliness: all samples
// correct", "unlikeliness: no sample correct", "no unmasked samples").
std::string_view UnlikelinessSkipReason(absl::Span<const bool> correct);

}  // namespace arbiter::shaping
