#include "server/request_validation.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "verifiers/shaping/shaping.h"

namespace arbiter::server {

int64_t CountItems(const v1::ScoreRequest& request) {
  int64_t items = 0;
  for (const v1::Group& group : request.groups()) items += group.samples_size();
  return items;
}

absl::Status ValidateScoreRequest(const v1::ScoreRequest& request, int64_t max_items) {
  if (request.groups_size() == 0) {
    return absl::InvalidArgumentError("ScoreRequest has no groups: send at least one Group");
  }
  if (request.has_shaping()) {
    if (absl::Status status = shaping::ValidateShaping(request.shaping()); !status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("shaping: ", status.message()));
    }
  }
  for (int i = 0; i < request.groups_size(); ++i) {
    if (!request.groups(i).has_shaping()) continue;
    if (absl::Status status = shaping::ValidateShaping(request.groups(i).shaping()); !status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("groups[", i, "].shaping: ", status.message()));
    }
  }
  if (const int64_t items = CountItems(request); items > max_items) {
    return absl::InvalidArgumentError(
        absl::StrCat("request holds ", items, " samples, more than the server admits at once (",
                     "max_queued_items = ", max_items, "): split the batch"));
  }
  return absl::OkStatus();
}

std::string UnknownVerifierMessage(const std::string& name, const sdk::VerifierRegistry& registry) {
  const std::string known = absl::StrJoin(registry.Names(), ", ");
  if (name.empty()) return absl::StrCat("task.verifier is empty; known verifiers: ", known);
  return absl::StrCat("unknown verifier '", name, "'; known verifiers: ", known);
}

}  // namespace arbiter::server
