// Retry policy of the arbiter client: which failures are worth another attempt, and how long to
// wait before it (exponential backoff with full jitter, bounded attempts).
//
// Contract: only RESOURCE_EXHAUSTED (the server's admission control said "full, come back later"),
// UNAVAILABLE (the connection failed or the server is draining) and CANCELLED (only ever the
// server's: a call that reached it as it stopped) are retried. Everything else
// (INVALID_ARGUMENT, DEADLINE_EXCEEDED, INTERNAL, ...) is returned to the caller at once: retrying
// a malformed request or an exhausted deadline cannot succeed and only adds load.
//
// Thread-safety: RetryPolicy is a plain value; the functions are pure apart from the caller's RNG
// and clock; RunWithRetries runs on the calling thread.
#pragma once

#include <functional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/random/bit_gen_ref.h"
#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "verifiers/sdk/clock.h"

namespace arbiter::client {

struct RetryPolicy {
  // Attempts in total, the first included; 1 disables retries. Values < 1 count as 1.
  int max_attempts = 5;
  // Backoff cap before attempt 2; it doubles (times `multiplier`) per attempt up to max_backoff.
  absl::Duration initial_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Seconds(2);
  double multiplier = 2.0;
};

// True for the status codes the client retries: RESOURCE_EXHAUSTED, UNAVAILABLE and CANCELLED.
bool IsRetryable(absl::StatusCode code);

// The upper bound of the wait before attempt `attempt + 1`, given that `attempt` (1-based) failed:
// min(max_backoff, initial_backoff * multiplier^(attempt-1)).
absl::Duration BackoffCap(const RetryPolicy& policy, int attempt);

// The wait actually used ("full jitter"): uniform in [0, BackoffCap]. Jitter spreads the retries
// of many clients rejected at the same moment so they do not return as one wave.
absl::Duration JitteredBackoff(const RetryPolicy& policy, int attempt, absl::BitGenRef rng);

// One retry about to happen: the retryable status of the failed attempt, its 1-based number and
// the peer it ran on ("ipv4:10.0.0.2:50051"; empty when it never reached a server).
struct RetryEvent {
  absl::Status status;
  int attempt = 0;
  std::string peer;
};

// The retry loop of every Client call. Runs `attempt(peer)` (which sets `peer` when it knows it)
// until it succeeds, fails with a code IsRetryable() rejects, `policy.max_attempts` attempts have
// run, or the next JitteredBackoff would end at or after `deadline` (`clock` time: a retry never
// outlives the call's deadline); returns the last attempt's status. Before each retry it calls
// `on_retry` (if set), then `clock.SleepFor(backoff)`.
absl::Status RunWithRetries(const RetryPolicy& policy, absl::Time deadline, sdk::Clock& clock,
                            absl::BitGenRef rng,
                            absl::FunctionRef<absl::Status(std::string& peer)> attempt,
                            const std::function<void(const RetryEvent&)>& on_retry);

}  // namespace arbiter::client
