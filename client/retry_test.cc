#include "client/retry.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "verifiers/sdk/testing/fake_clock.h"

namespace arbiter::client {
namespace {

using ::testing::ElementsAre;

TEST(Retry, RetriesOnlyResourceExhaustedUnavailableAndServerSideCancellation) {
  EXPECT_TRUE(IsRetryable(absl::StatusCode::kResourceExhausted));
  EXPECT_TRUE(IsRetryable(absl::StatusCode::kUnavailable));
  // gRPC ends calls that reach a stopping server CANCELLED; this client never cancels its own.
  EXPECT_TRUE(IsRetryable(absl::StatusCode::kCancelled));
  for (absl::StatusCode code :
       {absl::StatusCode::kOk, absl::StatusCode::kInvalidArgument,
        absl::StatusCode::kDeadlineExceeded, absl::StatusCode::kInternal,
        absl::StatusCode::kNotFound, absl::StatusCode::kUnknown, absl::StatusCode::kUnimplemented,
        absl::StatusCode::kFailedPrecondition}) {
    EXPECT_FALSE(IsRetryable(code)) << absl::StatusCodeToString(code);
  }
}

TEST(Retry, BackoffCapGrowsExponentiallyUpToMax) {
  RetryPolicy policy;
  policy.initial_backoff = absl::Milliseconds(10);
  policy.max_backoff = absl::Milliseconds(100);
  policy.multiplier = 2;
  EXPECT_EQ(BackoffCap(policy, 1), absl::Milliseconds(10));
  EXPECT_EQ(BackoffCap(policy, 2), absl::Milliseconds(20));
  EXPECT_EQ(BackoffCap(policy, 3), absl::Milliseconds(40));
  EXPECT_EQ(BackoffCap(policy, 4), absl::Milliseconds(80));
  EXPECT_EQ(BackoffCap(policy, 5), absl::Milliseconds(100));
  EXPECT_EQ(BackoffCap(policy, 5000), absl::Milliseconds(100));
}

TEST(Retry, JitteredBackoffStaysWithinCapAndVaries) {
  RetryPolicy policy;
  policy.initial_backoff = absl::Milliseconds(100);
  absl::BitGen rng;
  absl::Duration min = absl::InfiniteDuration(), max = absl::ZeroDuration();
  for (int i = 0; i < 200; ++i) {
    const absl::Duration d = JitteredBackoff(policy, 2, rng);
    EXPECT_GE(d, absl::ZeroDuration());
    EXPECT_LE(d, absl::Milliseconds(200));
    min = std::min(min, d);
    max = std::max(max, d);
  }
  EXPECT_LT(min, max);  // 200 draws from a continuous interval are not all equal.
}

// A generator whose every draw is the same, so JitteredBackoff is its cap (all bits set) or
// zero (none): the schedule is exact instead of random.
template <uint64_t kBits>
struct ConstantBits {
  using result_type = uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~uint64_t{0}; }
  result_type operator()() { return kBits; }
};
using CapBits = ConstantBits<~uint64_t{0}>;

// Durations as whole microseconds: the largest jitter draw is the cap to within a nanosecond.
std::vector<int64_t> Micros(const std::vector<absl::Duration>& durations) {
  std::vector<int64_t> out;
  out.reserve(durations.size());
  for (absl::Duration d : durations)
    out.push_back(absl::ToInt64Microseconds(d + absl::Nanoseconds(1)));
  return out;
}

TEST(RunWithRetries, SleepsTheBackoffScheduleOnTheClockWithoutBlocking) {
  RetryPolicy policy;
  policy.max_attempts = 4;
  policy.initial_backoff = absl::Milliseconds(10);
  policy.multiplier = 2;
  policy.max_backoff = absl::Milliseconds(25);
  sdk::FakeClock clock;
  const absl::Time start = clock.Now();
  CapBits rng;
  std::vector<RetryEvent> events;
  int attempts = 0;
  const absl::Status status = RunWithRetries(
      policy, start + absl::Hours(1), clock, rng,
      [&](std::string& peer) {
        peer = absl::StrCat("replica-", ++attempts);
        return absl::UnavailableError("draining");
      },
      [&](const RetryEvent& event) { events.push_back(event); });
  EXPECT_EQ(status, absl::UnavailableError("draining"));
  EXPECT_EQ(attempts, 4);
  EXPECT_THAT(Micros(clock.sleeps()), ElementsAre(10'000, 20'000, 25'000));
  EXPECT_EQ(absl::ToInt64Microseconds(clock.Now() - start + absl::Nanoseconds(1)), 55'000);
  ASSERT_EQ(events.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i].attempt, i + 1);
    EXPECT_EQ(events[i].peer, absl::StrCat("replica-", i + 1));
    EXPECT_EQ(events[i].status.code(), absl::StatusCode::kUnavailable);
  }
}

TEST(RunWithRetries, GivesUpWhenTheNextBackoffWouldEndPastTheDeadline) {
  RetryPolicy policy;
  policy.max_attempts = 10;
  policy.initial_backoff = absl::Milliseconds(50);
  sdk::FakeClock clock;
  const absl::Time deadline = clock.Now() + absl::Milliseconds(100);
  CapBits rng;
  int attempts = 0;
  // Each attempt takes 30 ms: ends at 30 ms, waits 50 ms (ends at 80 < 100), runs until 110 ms;
  // the next wait (100 ms) would end past the deadline, so attempt 2's status is final.
  const absl::Status status = RunWithRetries(
      policy, deadline, clock, rng,
      [&](std::string&) {
        clock.Advance(absl::Milliseconds(30));
        return absl::ResourceExhaustedError(absl::StrCat("full ", ++attempts));
      },
      nullptr);
  EXPECT_EQ(status, absl::ResourceExhaustedError("full 2"));
  EXPECT_THAT(Micros(clock.sleeps()), ElementsAre(50'000));
}

TEST(RunWithRetries, NeverSleepsAWaitThatCannotFitBeforeTheDeadline) {
  RetryPolicy policy;
  policy.initial_backoff = absl::Seconds(1);
  sdk::FakeClock clock;
  CapBits rng;
  int retries = 0;
  const absl::Status status = RunWithRetries(
      policy, clock.Now() + absl::Milliseconds(500), clock, rng,
      [](std::string&) { return absl::UnavailableError("down"); },
      [&](const RetryEvent&) { ++retries; });
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(retries, 0);
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST(RunWithRetries, ReturnsAtOnceOnSuccessOrANonRetryableCode) {
  RetryPolicy policy;
  sdk::FakeClock clock;
  ConstantBits<0> rng;  // zero waits
  int attempts = 0;
  EXPECT_EQ(RunWithRetries(
                policy, clock.Now() + absl::Seconds(1), clock, rng,
                [&](std::string&) {
                  return ++attempts < 3 ? absl::ResourceExhaustedError("full") : absl::OkStatus();
                },
                nullptr),
            absl::OkStatus());
  EXPECT_EQ(attempts, 3);
  EXPECT_THAT(clock.sleeps(), ElementsAre(absl::ZeroDuration(), absl::ZeroDuration()));

  attempts = 0;
  EXPECT_EQ(RunWithRetries(
                policy, clock.Now() + absl::Seconds(1), clock, rng,
                [&](std::string&) {
                  ++attempts;
                  return absl::InvalidArgumentError("bad");
                },
                nullptr)
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(attempts, 1);
}

}  // namespace
}  // namespace arbiter::client
