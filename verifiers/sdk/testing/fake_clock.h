// A Clock for tests (verifiers/sdk/clock.h): time stands still until the test advances it, and
// SleepFor advances it instead of blocking, recording each sleep, so a test checks a backoff
// schedule or a reload interval exactly and without waiting.
//
//   sdk::FakeClock clock;                 // starts at an arbitrary fixed instant
//   options.clock = &clock;
//   clock.Advance(absl::Seconds(2));
//   EXPECT_THAT(clock.sleeps(), ElementsAre(absl::Milliseconds(50), absl::Milliseconds(100)));
//
// Thread-safety: every method may be called concurrently.
#pragma once

#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "verifiers/sdk/clock.h"

namespace arbiter::sdk {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start = absl::FromUnixSeconds(1'700'000'000)) : now_(start) {}

  absl::Time Now() override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  // Does not block: records `duration` and advances the time by it (if positive).
  void SleepFor(absl::Duration duration) override {
    absl::MutexLock lock(&mu_);
    sleeps_.push_back(duration);
    if (duration > absl::ZeroDuration()) now_ += duration;
  }

  void Advance(absl::Duration duration) {
    absl::MutexLock lock(&mu_);
    now_ += duration;
  }
  // Every SleepFor() argument so far, in call order.
  std::vector<absl::Duration> sleeps() const {
    absl::MutexLock lock(&mu_);
    return sleeps_;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
  std::vector<absl::Duration> sleeps_ ABSL_GUARDED_BY(mu_);
};

}  // namespace arbiter::sdk
