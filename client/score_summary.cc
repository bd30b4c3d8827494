#include "client/score_summary.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace arbiter::client {

double PassAtK(int64_t n, int64_t c, int64_t k) {
  if (c <= 0) return 0.0;
  if (n - c < k) return 1.0;
  // C(n−c, k)/C(n, k) = Π_{i=n−c+1}^{n} (1 − k/i): no overflow, no cancellation.
  double fail = 1.0;
  for (int64_t i = n - c + 1; i <= n; ++i) fail *= 1.0 - static_cast<double>(k) / i;
  return 1.0 - fail;
}

void ScoreSummary::Add(const v1::GroupResult& group) {
  if (pass_sum_.size() != ks_.size()) {
    pass_sum_.assign(ks_.size(), 0.0);
    pass_groups_.assign(ks_.size(), 0);
  }
  if (group.status().code() != 0) {
    ++groups_failed_;
    ++failed_by_code_[absl::StatusCodeToString(
        static_cast<absl::StatusCode>(group.status().code()))];
    return;
  }
  ++groups_ok_;
  int64_t verified = 0, correct = 0;
  for (const v1::SampleResult& sample : group.samples()) {
    ++outcomes_[v1::Outcome_Name(sample.outcome())];
    if (sample.outcome() == v1::INFRA_ERROR) continue;
    ++verified;
    correct += sample.outcome() == v1::CORRECT;
    ++scored_samples_;
    score_sum_ += sample.score();
  }
  for (size_t i = 0; i < ks_.size(); ++i) {
    if (verified < ks_[i]) continue;
    pass_sum_[i] += PassAtK(verified, correct, ks_[i]);
    ++pass_groups_[i];
  }
}

std::string ScoreSummary::Report() const {
  std::string out = absl::StrCat("groups: ", groups_ok_, " scored, ", groups_failed_, " failed");
  for (const auto& [code, n] : failed_by_code_) absl::StrAppend(&out, " (", n, " ", code, ")");
  absl::StrAppend(&out, "\nsamples:");
  for (const auto& [outcome, n] : outcomes_) absl::StrAppend(&out, " ", outcome, "=", n);
  if (scored_samples_ > 0) {
    absl::StrAppend(&out, absl::StrFormat("\nmean score: %.6f over %d verified samples",
                                          score_sum_ / scored_samples_, scored_samples_));
  }
  for (size_t i = 0; i < ks_.size() && i < pass_sum_.size(); ++i) {
    if (pass_groups_[i] == 0) {
      absl::StrAppend(&out, "\npass@", ks_[i], ": no group has ", ks_[i], " verified samples");
      continue;
    }
    absl::StrAppend(&out, absl::StrFormat("\npass@%d: %.6f over %d groups", ks_[i],
                                          pass_sum_[i] / pass_groups_[i], pass_groups_[i]));
  }
  return out + "\n";
}

}  // namespace arbiter::client
