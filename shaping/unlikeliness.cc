#include "shaping/unlikeliness.h"

#include <algorithm>
#include <numeric>

#include "absl/container/inlined_vector.h"

namespace arbiter::shaping {

void AscendingRanks(absl::Span<const double> likelihood, absl::Span<int> ranks) {
  absl::InlinedVector<int, 64> order(likelihood.size());
  std::iota(order.begin(), order.end(), 0);
  // Stable: equal likelihoods keep index order (spec §0.3; the reference uses a non-stable
  // argsort).
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return likelihood[a] < likelihood[b]; });
  for (size_t pos = 0; pos < order.size(); ++pos) ranks[order[pos]] = static_cast<int>(pos);
}

void ApplyUnlikeliness(absl::Span<const double> likelihood, double beta,
                       absl::Span<double> rewards) {
  const size_t g = likelihood.size();
  absl::InlinedVector<int, 64> ranks(g);
  AscendingRanks(likelihood, absl::MakeSpan(ranks));
  for (size_t i = 0; i < g; ++i) {
    rewards[i] *= 1.0 - beta * static_cast<double>(ranks[i]) / static_cast<double>(g);
  }
}

std::string_view UnlikelinessSkipReason(absl::Span<const bool> correct) {
  if (correct.empty()) return "no unmasked samples";
  const auto num_correct = std::count(correct.begin(), correct.end(), true);
  if (num_correct == 0) return "unlikeliness: no sample correct";
  if (num_correct == static_cast<long>(correct.size())) return "unlikeliness: all samples correct";
  return "";
}

}  // namespace arbiter::shaping
