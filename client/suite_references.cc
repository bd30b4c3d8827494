#include "client/suite_references.h"

#include <openssl/evp.h>

#include <utility>
#include <vector>

namespace arbiter::client {

std::string SuiteReferences::SuiteId(const std::string& content) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(content.data(), content.size(), digest, &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned int i = 0; i < size; ++i) {
    id.push_back(kHex[digest[i] >> 4]);
    id.push_back(kHex[digest[i] & 0xf]);
  }
  return id;
}

absl::Status SuiteReferences::EnsureRegistered(const std::string& content, const std::string& id) {
  {
    absl::MutexLock lock(&mu_);
    if (registered_.contains(id)) return absl::OkStatus();
  }
  // Two threads may register the same content at once: harmless, registration is idempotent.
  absl::StatusOr<v1::RegisterSuiteResponse> registered = client_->RegisterSuite(content);
  absl::MutexLock lock(&mu_);
  if (registered.ok()) {
    registered_.insert(id);
    return absl::OkStatus();
  }
  // An older server (UNIMPLEMENTED) or a disabled store (FAILED_PRECONDITION) will refuse every
  // suite; one too big for the store (INVALID_ARGUMENT) only itself.
  const absl::StatusCode code = registered.status().code();
  if (code == absl::StatusCode::kUnimplemented || code == absl::StatusCode::kFailedPrecondition) {
    refused_ = true;
  }
  return registered.status();
}

absl::StatusOr<v1::ScoreRequest> SuiteReferences::WithReferences(const v1::ScoreRequest& request) {
  v1::ScoreRequest out = request;
  for (v1::Group& group : *out.mutable_groups()) {
    v1::Task& task = *group.mutable_task();
    if (task.kind_case() != v1::Task::kGroundTruth ||
        static_cast<int64_t>(task.ground_truth().size()) < min_bytes_) {
      continue;
    }
    {
      absl::MutexLock lock(&mu_);
      if (refused_) return out;
    }
    const std::string id = SuiteId(task.ground_truth());
    if (absl::Status status = EnsureRegistered(task.ground_truth(), id); !status.ok()) {
      const absl::StatusCode code = status.code();
      if (code == absl::StatusCode::kUnimplemented ||
          code == absl::StatusCode::kFailedPrecondition ||
          code == absl::StatusCode::kInvalidArgument) {
        continue;  // stays inline
      }
      return status;
    }
    task.clear_ground_truth();
    task.set_ground_truth_ref(id);
    by_reference_.fetch_add(1);
  }
  return out;
}

namespace {

// Mirrors shaping::NeedsWholeBatch: pairs and GRPO-λ shape every group against the others, so a
// re-sent subset would be shaped differently from the batch the caller sent.
bool ShapesWholeBatch(const v1::ScoreRequest& request) {
  for (const v1::Group& group : request.groups()) {
    if (!group.pair_id().empty()) return true;
    const v1::Shaping& shaping = group.has_shaping() ? group.shaping() : request.shaping();
    for (int stage : shaping.stages()) {
      if (stage == v1::Shaping::STAGE_GRPO_LAMBDA) return true;
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<v1::ScoreResponse> SuiteReferences::Score(const v1::ScoreRequest& request) {
  absl::StatusOr<v1::ScoreRequest> sent = WithReferences(request);
  if (!sent.ok()) return sent.status();
  absl::StatusOr<v1::ScoreResponse> response = client_->Score(*sent);
  if (!response.ok()) return response;

  // Groups that named a suite the replica did not hold go again, inline.
  std::vector<int> positions;
  for (int g = 0; g < response->groups_size() && g < sent->groups_size(); ++g) {
    const std::string& ref = sent->groups(g).task().ground_truth_ref();
    if (response->groups(g).status().code() != static_cast<int>(absl::StatusCode::kNotFound) ||
        ref.empty() || !request.groups(g).task().ground_truth_ref().empty()) {
      continue;
    }
    absl::MutexLock lock(&mu_);
    registered_.erase(ref);
    positions.push_back(g);
  }
  if (positions.empty()) return response;
  resent_inline_.fetch_add(static_cast<int64_t>(positions.size()));
  if (ShapesWholeBatch(request)) return client_->Score(request);  // the whole batch, as given

  v1::ScoreRequest retry;
  retry.set_request_id(request.request_id());
  *retry.mutable_shaping() = request.shaping();
  for (int g : positions) *retry.add_groups() = request.groups(g);
  absl::StatusOr<v1::ScoreResponse> again = client_->Score(retry);
  if (!again.ok()) return again.status();
  for (size_t k = 0; k < positions.size() && static_cast<int>(k) < again->groups_size(); ++k) {
    v1::GroupResult& slot = *response->mutable_groups(positions[k]);
    slot = std::move(*again->mutable_groups(static_cast<int>(k)));
    slot.set_group_index(positions[k]);
  }
  return response;
}

}  // namespace arbiter::client
