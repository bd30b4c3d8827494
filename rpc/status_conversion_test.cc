#include "rpc/status_conversion.h"

#include "gtest/gtest.h"

namespace arbiter::rpc {
namespace {

TEST(StatusConversion, FromGrpcStatusKeepsCodeAndMessage) {
  const absl::Status s =
      FromGrpcStatus(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "queue full"));
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(), "queue full");
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(StatusConversion, ToGrpcStatusKeepsCodeAndMessage) {
  const grpc::Status s = ToGrpcStatus(absl::InvalidArgumentError("groups[2]: no samples"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "groups[2]: no samples");
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(StatusConversion, RoundTripsEveryCanonicalCode) {
  for (int code = 0; code <= 16; ++code) {
    const absl::Status original(static_cast<absl::StatusCode>(code), code == 0 ? "" : "why");
    EXPECT_EQ(FromGrpcStatus(ToGrpcStatus(original)), original) << code;
    const google::rpc::Status wire = ToRpcStatus(original);
    EXPECT_EQ(wire.code(), code);
    EXPECT_EQ(wire.message(), original.message());
  }
}

TEST(StatusConversion, ToRpcStatusOfOkCarriesNoMessage) {
  const google::rpc::Status wire = ToRpcStatus(absl::OkStatus());
  EXPECT_EQ(wire.code(), 0);
  EXPECT_TRUE(wire.message().empty());
}

}  // namespace
}  // namespace arbiter::rpc
