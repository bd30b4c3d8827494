#include "shaping/grpo_lambda.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace arbiter::shaping {
namespace {

// ⌈λ·n⌉, at least 1, forgiving representation error (0.7 · 10 = 7.000000000000001).
size_t TopCount(double lambda, size_t n) {
  const double raw = std::ceil(lambda * static_cast<double>(n) - 1e-9);
  return std::clamp<size_t>(raw < 1 ? 1 : static_cast<size_t>(raw), 1, n);
}

}  // namespace

void SelectTopGroups(absl::Span<const double> ratios, double lambda, absl::Span<bool> top) {
  std::vector<double> lambdas(ratios.size(), lambda);
  SelectTopGroupsPerGroup(ratios, lambdas, top);
}

void SelectTopGroupsPerGroup(absl::Span<const double> ratios, absl::Span<const double> lambdas,
                             absl::Span<bool> top) {
  const size_t n = ratios.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return ratios[a] > ratios[b]; });
  for (size_t pos = 0; pos < n; ++pos) {
    const size_t k = order[pos];
    top[k] = pos < TopCount(lambdas[k], n);
  }
}

void EfficiencyRewards(absl::Span<const bool> correct, absl::Span<const double> lengths,
                       double alpha, absl::Span<double> rewards) {
  const size_t g = correct.size();
  double count = 0;
  double mean = 0;
  for (size_t i = 0; i < g; ++i) {
    if (correct[i]) mean += lengths[i], ++count;
  }
  if (count > 0) mean /= count;
  double var = 0;
  for (size_t i = 0; i < g; ++i) {
    if (correct[i]) var += (lengths[i] - mean) * (lengths[i] - mean);
  }
  const double std = count > 0 ? std::sqrt(var / count) : 0;
  for (size_t i = 0; i < g; ++i) {
    if (!correct[i]) {
      rewards[i] = 0;
      continue;
    }
    const double z = (count > 1 && std > 0 && std::isfinite(std)) ? (lengths[i] - mean) / std : 0;
    rewards[i] = 1 - alpha / (1 + std::exp(-z));
  }
}

}  // namespace arbiter::shaping
