#include "shaping/length_budget.h"

#include <algorithm>
#include <cmath>

namespace arbiter::shaping {

double LengthReward(double length, double budget, double r_max, LengthShape shape) {
  if (!(budget > 0)) return 0;
  const double l = std::max(0.0, length);
  if (l <= budget) return shape == LengthShape::kBand ? r_max : r_max * l / budget;
  if (l <= 2 * budget) return r_max * (1 - (l - budget) / budget);
  return 0;
}

double BudgetAt(int64_t step, const BudgetSchedule& schedule) {
  const int64_t decays = std::max<int64_t>(0, step) / std::max<int64_t>(1, schedule.decay_every);
  const double raw =
      schedule.initial_budget * std::pow(schedule.decay, static_cast<double>(decays));
  // Truncate to an integer, forgiving the last-ulp error of pow (0.7² = 0.48999999999999994).
  const double budget = std::floor(raw * (1 + 1e-12));
  return std::max(schedule.min_budget, budget);
}

double DecayFactor(double initial_budget, double final_budget, int64_t num_decays) {
  return std::pow(final_budget / initial_budget, 1.0 / static_cast<double>(num_decays));
}

double UpdateInterval(int64_t total_steps, int64_t num_decays) {
  return static_cast<double>(total_steps) / static_cast<double>(num_decays + 1);
}

double LengthBudgetTotal(bool correct, bool format_ok, double r_len, const LengthWeights& w) {
  return w.correct * (correct ? 1.0 : 0.0) + w.length * r_len + w.format * (format_ok ? 1.0 : 0.0);
}

}  // namespace arbiter::shaping
