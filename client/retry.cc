#include "client/retry.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace arbiter::client {

bool IsRetryable(absl::StatusCode code) {
  // CANCELLED too: this client never cancels its own calls, so a CANCELLED comes from the server
  // side — gRPC ends calls that reach a server in the instant it stops (after arbiterd's drain)
  // that way. Score is deterministic and cached, so sending it again is safe.
  return code == absl::StatusCode::kResourceExhausted || code == absl::StatusCode::kUnavailable ||
         code == absl::StatusCode::kCancelled;
}

absl::Duration BackoffCap(const RetryPolicy& policy, int attempt) {
  const double factor = std::pow(std::max(1.0, policy.multiplier), std::max(0, attempt - 1));
  // Compare in doubles first: the product can overflow absl::Duration's range for large attempts.
  const double seconds = absl::ToDoubleSeconds(policy.initial_backoff) * factor;
  const double cap = absl::ToDoubleSeconds(policy.max_backoff);
  if (!std::isfinite(seconds) || seconds >= cap) return policy.max_backoff;
  return absl::Seconds(std::max(0.0, seconds));
}

absl::Duration JitteredBackoff(const RetryPolicy& policy, int attempt, absl::BitGenRef rng) {
  const double cap = absl::ToDoubleSeconds(BackoffCap(policy, attempt));
  if (cap <= 0) return absl::ZeroDuration();
  return absl::Seconds(absl::Uniform(absl::IntervalClosed, rng, 0.0, cap));
}

absl::Status RunWithRetries(const RetryPolicy& policy, absl::Time deadline, sdk::Clock& clock,
                            absl::BitGenRef rng,
                            absl::FunctionRef<absl::Status(std::string& peer)> attempt,
                            const std::function<void(const RetryEvent&)>& on_retry) {
  const int max_attempts = std::max(1, policy.max_attempts);
  for (int n = 1;; ++n) {
    std::string peer;
    absl::Status status = attempt(peer);
    if (status.ok() || !IsRetryable(status.code()) || n >= max_attempts) return status;
    const absl::Duration wait = JitteredBackoff(policy, n, rng);
    if (clock.Now() + wait >= deadline) return status;
    if (on_retry) on_retry(RetryEvent{std::move(status), n, std::move(peer)});
    clock.SleepFor(wait);
  }
}

}  // namespace arbiter::client
