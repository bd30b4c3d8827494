#include "shaping/pair_grpo.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"

namespace arbiter::shaping {

void PairRewards(PairMode mode, double lambda_neg, bool positive, absl::Span<const bool> correct,
                 absl::Span<double> rewards) {
  double on_success = 1.0;
  double on_failure = -lambda_neg;
  switch (mode) {
    case PairMode::kPromptWeight:
      return;
    case PairMode::kLiteralPerPrompt:
      break;
    case PairMode::kPairPooledSparse:
      on_success = positive ? 1.0 : 0.0;
      on_failure = positive ? 0.0 : -lambda_neg;
      break;
  }
  for (size_t i = 0; i < correct.size(); ++i) rewards[i] = correct[i] ? on_success : on_failure;
}

PairResult PairAdvantages(PairMode mode, double lambda_neg, NormalizerKind kind, double epsilon,
                          absl::Span<const double> positive_rewards,
                          absl::Span<const double> negative_rewards,
                          absl::Span<double> positive_advantages,
                          absl::Span<double> negative_advantages) {
  PairResult result;
  if (mode == PairMode::kPairPooledSparse) {
    absl::InlinedVector<double, 128> pooled(positive_rewards.begin(), positive_rewards.end());
    pooled.insert(pooled.end(), negative_rewards.begin(), negative_rewards.end());
    absl::InlinedVector<double, 128> advantages(pooled.size());
    result.positive = Normalize(pooled, kind, epsilon, absl::MakeSpan(advantages));
    result.negative = result.positive;
    const size_t g_pos = positive_rewards.size();
    std::copy_n(advantages.begin(), g_pos, positive_advantages.begin());
    std::copy(advantages.begin() + g_pos, advantages.end(), negative_advantages.begin());
    return result;
  }
  result.positive = Normalize(positive_rewards, kind, epsilon, positive_advantages);
  result.negative = Normalize(negative_rewards, kind, epsilon, negative_advantages);
  if (mode == PairMode::kPromptWeight) {
    for (double& a : negative_advantages) a = Finite(a * lambda_neg);
  }
  return result;
}

}  // namespace arbiter::shaping
