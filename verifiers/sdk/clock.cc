#include "verifiers/sdk/clock.h"

#include "absl/time/clock.h"

namespace arbiter::sdk {
namespace {

class SystemClock final : public Clock {
 public:
  absl::Time Now() override { return absl::Now(); }
  void SleepFor(absl::Duration duration) override {
    if (duration > absl::ZeroDuration()) absl::SleepFor(duration);
  }
};

}  // namespace

Clock& RealClock() {
  static auto* const clock = new SystemClock();  // never destroyed: no exit-order races
  return *clock;
}

}  // namespace arbiter::sdk
