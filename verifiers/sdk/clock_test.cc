#include "verifiers/sdk/clock.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "verifiers/sdk/testing/fake_clock.h"

namespace arbiter::sdk {
namespace {

TEST(RealClock, IsOneInstanceWhoseTimeMovesForward) {
  EXPECT_EQ(&RealClock(), &RealClock());
  const absl::Time before = RealClock().Now();
  RealClock().SleepFor(absl::Milliseconds(-5));  // returns at once
  EXPECT_GE(RealClock().Now(), before);
}

TEST(FakeClock, StandsStillUntilAdvancedAndSleepsWithoutBlocking) {
  FakeClock clock(absl::FromUnixSeconds(100));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(100));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(100));
  clock.Advance(absl::Seconds(2));
  clock.SleepFor(absl::Hours(1));  // would hang the test on a real clock
  clock.SleepFor(-absl::Seconds(1));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(100 + 2 + 3600));
  EXPECT_THAT(clock.sleeps(), ::testing::ElementsAre(absl::Hours(1), -absl::Seconds(1)));
}

}  // namespace
}  // namespace arbiter::sdk
