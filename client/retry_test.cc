#include "client/retry.h"

#include "absl/random/random.h"
#include "gtest/gtest.h"

namespace arbiter::client {
namespace {

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

TEST(Retry, FromGrpcStatusKeepsCodeAndMessage) {
  const absl::Status s =
      FromGrpcStatus(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "queue full"));
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(), "queue full");
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

}  // namespace
}  // namespace arbiter::client
