// What `arbiter score` prints when a file is done: groups scored and failed, samples per
// outcome, mean score, and pass@k per requested k with the unbiased estimator (spec methods.md
// §0.2: 1 − C(n−c, k)/C(n, k), n verified samples of a group and c of them CORRECT, averaged over
// the groups with n ≥ k; INFRA_ERROR samples were not verified and are left out of n).
//
// Thread-safety: not thread-safe; the pipeline adds results under its writer's lock.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "arbiter/v1/arbiter.pb.h"

namespace arbiter::client {

// The unbiased pass@k estimate for one group. Requires 0 <= c <= n and k >= 1; n < k is
// meaningless (callers skip such groups) and returns 1 when c > 0, else 0.
double PassAtK(int64_t n, int64_t c, int64_t k);

class ScoreSummary {
 public:
  explicit ScoreSummary(std::vector<int> pass_at_k = {}) : ks_(std::move(pass_at_k)) {}

  void Add(const v1::GroupResult& group);

  int64_t groups_ok() const { return groups_ok_; }
  int64_t groups_failed() const { return groups_failed_; }
  // A multi-line human-readable report.
  std::string Report() const;

 private:
  std::vector<int> ks_;
  int64_t groups_ok_ = 0;
  int64_t groups_failed_ = 0;
  std::map<std::string, int64_t> failed_by_code_;
  std::map<std::string, int64_t> outcomes_;
  int64_t scored_samples_ = 0;
  double score_sum_ = 0;
  std::vector<double> pass_sum_;
  std::vector<int64_t> pass_groups_;
};

}  // namespace arbiter::client
