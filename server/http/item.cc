#include "server/http/item.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/http/json_body.h"

namespace arbiter::server::http {

ScoreItem MakeScoreItem(v1::Task task, std::string completion,
                        const sdk::VerifierRegistry& registry) {
  ScoreItem item;
  if (registry.Find(task.verifier()) == nullptr) {
    item.error = absl::InvalidArgumentError(
        absl::StrCat("unknown verifier '", task.verifier(),
                     "'; known verifiers: ", absl::StrJoin(registry.Names(), ", ")));
    return item;
  }
  *item.group.mutable_task() = std::move(task);
  item.group.add_samples()->set_completion(std::move(completion));
  return item;
}

ItemVerdict VerdictFromError(const absl::Status& error) {
  ItemVerdict verdict;
  verdict.error = true;
  verdict.message = std::string(error.message());
  return verdict;
}

ItemVerdict VerdictFromGroup(const v1::GroupResult& group) {
  if (group.status().code() != 0 || group.samples_size() != 1) {
    ItemVerdict verdict;
    verdict.error = true;
    verdict.message = group.status().message().empty() ? "the group has no result for its sample"
                                                       : group.status().message();
    return verdict;
  }
  const v1::SampleResult& sample = group.samples(0);
  ItemVerdict verdict;
  verdict.outcome = sample.outcome();
  // An INFRA_ERROR is not the model's fault: its finite stand-in is 0, whatever the verifier set.
  verdict.score = sample.outcome() == v1::INFRA_ERROR ? 0.0 : FiniteOrZero(sample.score());
  verdict.cached = sample.cached();
  verdict.message = sample.message();
  return verdict;
}

std::string OutcomeName(const ItemVerdict& verdict) {
  if (verdict.error) return "ERROR";
  return v1::Outcome_Name(verdict.outcome);
}

}  // namespace arbiter::server::http
