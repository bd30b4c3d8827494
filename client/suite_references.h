// SuiteReferences: scores batches whose large ground truths travel by reference.
//
// A trainer resends the same prompt's tests with every group, step and epoch. Each inline
// `Task.ground_truth` of at least `min_bytes` is registered once (RegisterSuite; its id is the
// SHA-256 of the content, computed here) and sent as `Task.ground_truth_ref`. A group the server
// answers NOT_FOUND (the call reached a replica that never saw the registration, or that evicted
// it) is re-sent inline once and its id forgotten, so a later batch registers it again: results
// are always those of the inline form (when pairs or GRPO-λ shape the batch as a whole, the whole
// batch is re-sent inline). A server that refuses registration (an older server: UNIMPLEMENTED; a
// disabled store: FAILED_PRECONDITION) is sent everything inline from then on; a suite too big for
// its store (INVALID_ARGUMENT) stays inline.
//
// With several replicas behind one round-robin channel, a registration reaches one of them: the
// saving is then partial (the rest is re-sent inline), never wrong.
//
// Thread-safety: Score may be called concurrently; `client` must outlive this object.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "arbiter/v1/arbiter.pb.h"
#include "client/client.h"

namespace arbiter::client {

class SuiteReferences {
 public:
  static constexpr int64_t kDefaultMinBytes = 64 << 10;

  explicit SuiteReferences(const Client* client, int64_t min_bytes = kDefaultMinBytes)
      : client_(client), min_bytes_(min_bytes) {}

  // As Client::Score(request), with large ground truths by reference (see above). A failed
  // registration other than the two refusals is returned as the call's error.
  absl::StatusOr<v1::ScoreResponse> Score(const v1::ScoreRequest& request);

  // Lowercase hex SHA-256 of `content`: the suite_id RegisterSuite returns for it.
  static std::string SuiteId(const std::string& content);

  // Groups sent by reference / re-sent inline after NOT_FOUND, since construction.
  int64_t groups_by_reference() const { return by_reference_.load(); }
  int64_t groups_resent_inline() const { return resent_inline_.load(); }

 private:
  // `request` with every large ground truth replaced by its (registered) reference.
  absl::StatusOr<v1::ScoreRequest> WithReferences(const v1::ScoreRequest& request);
  absl::Status EnsureRegistered(const std::string& content, const std::string& id);

  const Client* const client_;
  const int64_t min_bytes_;
  std::atomic<int64_t> by_reference_{0};
  std::atomic<int64_t> resent_inline_{0};
  absl::Mutex mu_;
  absl::flat_hash_set<std::string> registered_ ABSL_GUARDED_BY(mu_);
  bool refused_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace arbiter::client
