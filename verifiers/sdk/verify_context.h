// What a verifier knows about the call it serves: the deadline and whether the caller gave up.
//
// A VerifyContext is created by the server's dispatcher once per group and shared (read-only) by
// every worker that checks one of the group's samples. Long-running checks (sandboxes, SAT
// solving) poll Done() or pass Remaining() to the kernel as their own time limit. Thread-safe.
#pragma once

#include <atomic>
#include <memory>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace arbiter::sdk {

// Set once, read from any thread. Shared by owner and workers so a worker still running after
// the call ended never reads freed memory.
class CancellationToken {
 public:
  void Cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
};

struct VerifyContext {
  // Absolute deadline of the call; InfiniteFuture() when the caller set none.
  absl::Time deadline = absl::InfiniteFuture();
  // Never null when made by the dispatcher; null means "cannot be cancelled".
  std::shared_ptr<const CancellationToken> cancellation;

  bool Cancelled() const { return cancellation != nullptr && cancellation->cancelled(); }
  // True when the work should stop: cancelled or past the deadline.
  bool Done() const { return Cancelled() || absl::Now() >= deadline; }
  // Time left before the deadline (zero when past; InfiniteDuration() without deadline).
  absl::Duration Remaining() const {
    if (deadline == absl::InfiniteFuture()) return absl::InfiniteDuration();
    return std::max(absl::ZeroDuration(), deadline - absl::Now());
  }
};

}  // namespace arbiter::sdk
