// Saturn's difficulty estimate (spec §1.5), the unbiased pass@k estimator (spec §0.2) and one
// step of the curriculum controller (spec §1.8). Pure functions; thread-safe.
#pragma once

#include <cstdint>

#include "absl/status/statusor.h"

namespace arbiter::sat {

// D(n, k, l) = log2(k) + 2 log2(l) − n + k/n. Preconditions: n, k, l >= 1.
double Difficulty(int n, int k, int l);

// Unbiased pass@k from c correct out of n samples: 0 if c = 0, 1 if n − c < k, else
// 1 − C(n−c, k) / C(n, k) (computed as a running product, exact for any n). INVALID_ARGUMENT
// unless 0 <= c <= n and 1 <= k <= n.
absl::StatusOr<double> PassAtK(int64_t n, int64_t c, int64_t k);

// The number of distinct clauses of n literals over k variables that a fixed assignment can
// satisfy: C(k, n) · (2^n − 1), the largest l a planted formula can have. Preconditions:
// 1 <= n <= k <= 26.
int64_t MaxClausesPerSolution(int n, int k);

// INVALID_ARGUMENT naming the parameter unless 1 <= n <= k <= 26 and
// 1 <= l <= MaxClausesPerSolution(n, k).
absl::Status ValidateShape(int n, int k, int l);

struct CurriculumStep {
  int n = 0;
  int k = 0;
  int l = 0;
  double difficulty = 0;
  bool advanced = false;
};

// Advances l by delta_l when pass_at_1 > epsilon (strict), else stays. epsilon 0 = 0.5,
// delta_l 0 = 1. INVALID_ARGUMENT naming the parameter for an invalid shape, pass_at_1 outside
// [0, 1], epsilon outside [0, 1), negative delta_l, or an advanced l beyond the maximum.
absl::StatusOr<CurriculumStep> NextCurriculumStep(int n, int k, int l, double pass_at_1,
                                                  double epsilon, int delta_l);

}  // namespace arbiter::sat
