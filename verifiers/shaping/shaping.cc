// Placeholder: reward = score, unbiased z-score advantages. The shaping issue replaces this.
#include "verifiers/shaping/shaping.h"

#include <cmath>

namespace arbiter::shaping {

absl::Status ValidateShaping(const v1::Shaping&) { return absl::OkStatus(); }

bool NeedsWholeBatch(const v1::ScoreRequest&) { return false; }

std::vector<absl::Status> ShapeBatch(const v1::ScoreRequest&,
                                     absl::Span<v1::GroupResult* const> results) {
  std::vector<absl::Status> statuses(results.size());
  for (v1::GroupResult* group : results) {
    if (group->status().code() != 0) continue;
    const int n = group->samples_size();
    double mean = 0;
    for (auto& s : *group->mutable_samples()) {
      s.set_reward(s.score());
      mean += s.score();
    }
    mean = n > 0 ? mean / n : 0;
    double var = 0;
    for (const auto& s : group->samples()) var += (s.reward() - mean) * (s.reward() - mean);
    const double std = n > 1 ? std::sqrt(var / (n - 1)) : 1.0;
    if (group->stats().advantage_source() != "verifier") {
      for (auto& s : *group->mutable_samples()) s.set_advantage((s.reward() - mean) / (std + 1e-6));
      group->mutable_stats()->set_advantage_source("normalizer");
    }
    group->mutable_stats()->set_num_samples(n);
    group->mutable_stats()->set_mean_score(mean);
    group->mutable_stats()->set_mean_reward(mean);
    group->mutable_stats()->set_degenerate(var == 0);
  }
  return statuses;
}

}  // namespace arbiter::shaping
