#include "verifiers/sat/difficulty.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace arbiter::sat {

double Difficulty(int n, int k, int l) {
  return std::log2(static_cast<double>(k)) + 2.0 * std::log2(static_cast<double>(l)) - n +
         static_cast<double>(k) / n;
}

absl::StatusOr<double> PassAtK(int64_t n, int64_t c, int64_t k) {
  if (n < 1 || c < 0 || c > n) {
    return absl::InvalidArgumentError(
        absl::StrCat("pass@k: need 0 <= c <= n, n >= 1 (n=", n, ", c=", c, ")"));
  }
  if (k < 1 || k > n) {
    return absl::InvalidArgumentError(absl::StrCat("pass@k: need 1 <= k <= n (k=", k, ")"));
  }
  if (c == 0) return 0.0;
  if (n - c < k) return 1.0;
  // C(n−c, k) / C(n, k) = prod_{i=n−c+1..n} (1 − k / i).
  double ratio = 1.0;
  for (int64_t i = n - c + 1; i <= n; ++i) ratio *= 1.0 - static_cast<double>(k) / i;
  return 1.0 - ratio;
}

int64_t MaxClausesPerSolution(int n, int k) {
  int64_t choose = 1;
  for (int i = 1; i <= n; ++i) choose = choose * (k - n + i) / i;  // exact at every step
  return choose * ((int64_t{1} << n) - 1);
}

absl::Status ValidateShape(int n, int k, int l) {
  if (n < 1) return absl::InvalidArgumentError(absl::StrCat("sat: n = ", n, " must be >= 1"));
  if (k > 26) {
    return absl::InvalidArgumentError(
        absl::StrCat("sat: k = ", k, " must be <= 26 (variables are A..Z)"));
  }
  if (n > k) {
    return absl::InvalidArgumentError(absl::StrCat("sat: n = ", n, " must be <= k = ", k));
  }
  if (l < 1) return absl::InvalidArgumentError(absl::StrCat("sat: l = ", l, " must be >= 1"));
  const int64_t max_l = MaxClausesPerSolution(n, k);
  if (l > max_l) {
    return absl::InvalidArgumentError(
        absl::StrCat("sat: l = ", l, " exceeds ", max_l, ", the number of distinct clauses of ", n,
                     " literals over ", k, " variables that one assignment satisfies"));
  }
  return absl::OkStatus();
}

absl::StatusOr<CurriculumStep> NextCurriculumStep(int n, int k, int l, double pass_at_1,
                                                  double epsilon, int delta_l) {
  if (absl::Status s = ValidateShape(n, k, l); !s.ok()) return s;
  if (!(pass_at_1 >= 0.0 && pass_at_1 <= 1.0)) {
    return absl::InvalidArgumentError("sat_curriculum: pass_at_1 must be in [0, 1]");
  }
  if (!(epsilon >= 0.0 && epsilon < 1.0)) {
    return absl::InvalidArgumentError("sat_curriculum: epsilon must be in [0, 1)");
  }
  if (delta_l < 0) return absl::InvalidArgumentError("sat_curriculum: delta_l must be >= 0");
  if (epsilon == 0.0) epsilon = 0.5;
  if (delta_l == 0) delta_l = 1;
  CurriculumStep step{n, k, l, 0.0, false};
  if (pass_at_1 > epsilon) {
    const int64_t next = int64_t{l} + delta_l;
    if (next > MaxClausesPerSolution(n, k)) {
      return absl::InvalidArgumentError(
          absl::StrCat("sat_curriculum: delta_l: l + delta_l = ", next, " exceeds the maximum ",
                       MaxClausesPerSolution(n, k), " for (n, k) = (", n, ", ", k, ")"));
    }
    step.l = static_cast<int>(next);
    step.advanced = true;
  }
  step.difficulty = Difficulty(step.n, step.k, step.l);
  return step;
}

}  // namespace arbiter::sat
