// Time behind a small interface, so code whose behaviour depends on time (retry backoff, reload
// intervals) is tested with a clock advanced by hand instead of real sleeps (STYLE.md rule 10;
// leveldb's Env::NowMicros/SleepForMicroseconds). The fake is testing/fake_clock.h.
//
// Take a `Clock*` in the options struct, default `&RealClock()`:
//
//   struct RetryOptions { sdk::Clock* clock = &sdk::RealClock(); };
//   const absl::Time deadline = options.clock->Now() + timeout;
//   options.clock->SleepFor(backoff);
//
// Thread-safety: every implementation is safe to call from any thread.
#pragma once

#include "absl/time/time.h"

namespace arbiter::sdk {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current time.
  virtual absl::Time Now() = 0;
  // Blocks the calling thread for `duration` (returns at once for a non-positive one).
  virtual void SleepFor(absl::Duration duration) = 0;
};

// absl::Now() and absl::SleepFor(). A process-wide instance that lives forever.
Clock& RealClock();

}  // namespace arbiter::sdk
