// Pair-weighted GRPO over a (q+, q−) pair of groups (spec §5.3, "Beyond Variance",
// arXiv 2602.03452). The method text is reconstructed from a third-party note; see README.md.
//
//   kLiteralPerPrompt (A)  rewards ← {+1 success, −λ failure}, then each group normalised on its
//                          own. Under a z-score the remap cancels: this equals plain GRPO.
//   kPairPooledSparse (C)  rewards ← q+: success +1, failure 0; q−: success 0, failure −λ; one
//                          normaliser over the pooled 2G samples, so only rare events get large
//                          magnitudes.
//   kPromptWeight     (D)  rewards unchanged; each group normalised on its own, then the q−
//                          advantages × λ. λ = 1 is plain GRPO. The default.
//
// Modes A and C replace the rewards from the binary outcomes (PairRewards); mode D keeps them (so
// it composes with reward stages). The normaliser kind and ε are the groups' (§5.3's vectors use
// the population std). Thread-safe: pure functions.
#pragma once

#include "absl/types/span.h"
#include "shaping/normalize.h"

namespace arbiter::shaping {

enum class PairMode { kLiteralPerPrompt, kPairPooledSparse, kPromptWeight };

inline constexpr double kDefaultLambdaNeg = 1.0;

// Writes the mode's rewards for one group of the pair from its binary outcomes (modes A, C);
// leaves `rewards` unchanged in mode D. rewards.size() == correct.size().
void PairRewards(PairMode mode, double lambda_neg, bool positive, absl::Span<const bool> correct,
                 absl::Span<double> rewards);

struct PairResult {
  NormalizeResult positive;  // in mode C both halves report the pooled moments
  NormalizeResult negative;
};

// Advantages of the pair from the rewards PairRewards() produced. Each advantage span has its
// group's size.
PairResult PairAdvantages(PairMode mode, double lambda_neg, NormalizerKind kind, double epsilon,
                          absl::Span<const double> positive_rewards,
                          absl::Span<const double> negative_rewards,
                          absl::Span<double> positive_advantages,
                          absl::Span<double> negative_advantages);

}  // namespace arbiter::shaping
