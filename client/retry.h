// Retry policy of the arbiter client: which failures are worth another attempt, and how long to
// wait before it (exponential backoff with full jitter, bounded attempts).
//
// Contract: only RESOURCE_EXHAUSTED (the server's admission control said "full, come back later")
// and UNAVAILABLE (the connection failed or the server is draining) are retried. Everything else
// (INVALID_ARGUMENT, DEADLINE_EXCEEDED, INTERNAL, ...) is returned to the caller at once: retrying
// a malformed request or an exhausted deadline cannot succeed and only adds load.
//
// Thread-safety: RetryPolicy is a plain value; the functions are pure apart from the caller's RNG.
#pragma once

#include <cstdint>

#include "absl/random/bit_gen_ref.h"
#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"

namespace arbiter::client {

struct RetryPolicy {
  // Attempts in total, the first included; 1 disables retries. Values < 1 count as 1.
  int max_attempts = 5;
  // Backoff cap before attempt 2; it doubles (times `multiplier`) per attempt up to max_backoff.
  absl::Duration initial_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Seconds(2);
  double multiplier = 2.0;
};

// True for the status codes the client retries: RESOURCE_EXHAUSTED and UNAVAILABLE.
bool IsRetryable(absl::StatusCode code);

// The upper bound of the wait before attempt `attempt + 1`, given that `attempt` (1-based) failed:
// min(max_backoff, initial_backoff * multiplier^(attempt-1)).
absl::Duration BackoffCap(const RetryPolicy& policy, int attempt);

// The wait actually used ("full jitter"): uniform in [0, BackoffCap]. Jitter spreads the retries
// of many clients rejected at the same moment so they do not return as one wave.
absl::Duration JitteredBackoff(const RetryPolicy& policy, int attempt, absl::BitGenRef rng);

// grpc::Status -> absl::Status, keeping code and message (the codes are numerically identical).
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace arbiter::client
