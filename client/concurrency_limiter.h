// A counting semaphore bounding the RPCs one client has in flight, so a caller with many threads
// cannot flood the server (which would answer RESOURCE_EXHAUSTED and make everyone retry).
//
// Thread-safety: all methods are thread-safe.
#pragma once

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace arbiter::client {

class ConcurrencyLimiter {
 public:
  // `limit` < 1 counts as 1.
  explicit ConcurrencyLimiter(int limit) : limit_(limit < 1 ? 1 : limit) {}

  // Blocks until a slot is free, then takes it.
  void Acquire() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &ConcurrencyLimiter::HasSlot));
    ++in_use_;
  }
  // Takes a slot if one is free; never blocks.
  bool TryAcquire() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    if (in_use_ >= limit_) return false;
    ++in_use_;
    return true;
  }
  void Release() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    --in_use_;
  }
  int limit() const { return limit_; }

  // Holds one slot for its lifetime.
  class Slot {
   public:
    explicit Slot(ConcurrencyLimiter& limiter) : limiter_(limiter) { limiter_.Acquire(); }
    ~Slot() { limiter_.Release(); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    ConcurrencyLimiter& limiter_;
  };

 private:
  bool HasSlot() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_use_ < limit_; }

  const int limit_;
  absl::Mutex mu_;
  int in_use_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace arbiter::client
