#include "server/request_validation.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace arbiter::server {

absl::StatusOr<ValidatedRequest> ValidateScoreRequest(const v1::ScoreRequest& request,
                                                      int64_t max_items) {
  if (request.groups_size() == 0) {
    return absl::InvalidArgumentError("ScoreRequest has no groups: send at least one Group");
  }
  ValidatedRequest validated;
  for (const v1::Group& group : request.groups()) validated.items += group.samples_size();
  if (validated.items > max_items) {
    return absl::InvalidArgumentError(absl::StrCat(
        "request holds ", validated.items, " samples, more than the server admits at once (",
        "max_queued_items = ", max_items, "): split the batch"));
  }
  absl::StatusOr<shaping::RequestPlan> plan = shaping::PlanRequest(request);
  if (!plan.ok()) return plan.status();
  validated.shaping = *std::move(plan);
  return validated;
}

std::string UnknownVerifierMessage(const std::string& name, const sdk::VerifierRegistry& registry) {
  const std::string known = absl::StrJoin(registry.Names(), ", ");
  if (name.empty()) return absl::StrCat("task.verifier is empty; known verifiers: ", known);
  return absl::StrCat("unknown verifier '", name, "'; known verifiers: ", known);
}

}  // namespace arbiter::server
