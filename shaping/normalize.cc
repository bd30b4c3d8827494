#include "shaping/normalize.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace arbiter::shaping {
namespace {

// Above this magnitude, sums of squares could overflow: rescale by a power of two (exact).
constexpr double kRescaleAbove = 1e150;

bool AllEqual(absl::Span<const double> values) {
  for (double v : values) {
    if (v != values.front()) return false;
  }
  return true;
}

}  // namespace

double Finite(double x) {
  if (std::isnan(x)) return 0;
  if (std::isinf(x)) return x > 0 ? DBL_MAX : -DBL_MAX;
  return x;
}

double SafeMean(absl::Span<const double> values) {
  if (values.empty()) return 0;
  const auto n = static_cast<double>(values.size());
  double mean = 0;
  for (double v : values) mean += v / n;  // each term ≤ DBL_MAX / n: the sum cannot overflow
  return mean;
}

NormalizeResult Normalize(absl::Span<const double> rewards, NormalizerKind kind, double epsilon,
                          absl::Span<double> advantages) {
  NormalizeResult result;
  const size_t n = rewards.size();
  std::fill(advantages.begin(), advantages.end(), 0.0);
  if (n == 0) {
    result.degenerate = true;
    return result;
  }
  // verl's single-sample convention: mean 0, std 1.
  if (n == 1 && kind == NormalizerKind::kZScoreUnbiased) {
    result.std = 1;
    advantages[0] = rewards[0] / (1 + epsilon);
    return result;
  }
  result.mean = SafeMean(rewards);
  if (AllEqual(rewards)) {
    result.degenerate = true;
    return result;
  }
  // Work on rewards / scale so squares stay finite; scale is a power of two, so this is exact.
  double max_abs = 0;
  for (double r : rewards) max_abs = std::max(max_abs, std::fabs(r));
  double scale = 1;
  if (max_abs > kRescaleAbove) scale = std::ldexp(1.0, std::ilogb(max_abs));  // |r / scale| < 2
  const double scaled_mean = result.mean / scale;
  double sum_sq = 0;
  for (double r : rewards) {
    const double d = r / scale - scaled_mean;
    sum_sq += d * d;
  }
  switch (kind) {
    case NormalizerKind::kNone:
      return result;
    case NormalizerKind::kMeanOnly:
      for (size_t i = 0; i < n; ++i) {
        advantages[i] = Finite((rewards[i] / scale - scaled_mean) * scale);
      }
      return result;
    case NormalizerKind::kZScoreUnbiased:
    case NormalizerKind::kZScorePopulation: {
      const double denom = kind == NormalizerKind::kZScoreUnbiased ? static_cast<double>(n - 1) : n;
      const double scaled_std = std::sqrt(sum_sq / denom);
      result.std = Finite(scaled_std * scale);
      // (r − mean) / (std + ε) = (r/s − mean/s) / (std/s + ε/s).
      const double divisor = scaled_std + epsilon / scale;
      for (size_t i = 0; i < n; ++i) {
        advantages[i] = divisor > 0 ? Finite((rewards[i] / scale - scaled_mean) / divisor) : 0;
      }
      return result;
    }
  }
  return result;
}

}  // namespace arbiter::shaping
