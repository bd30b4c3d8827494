#include "client/health.h"

#include <string>

#include "gtest/gtest.h"

namespace arbiter::client {
namespace {

TEST(Health, EncodesEmptyServiceAsEmptyMessage) { EXPECT_EQ(EncodeHealthCheckRequest(""), ""); }

TEST(Health, EncodesServiceAsField1String) {
  EXPECT_EQ(EncodeHealthCheckRequest("arbiter.v1.Arbiter"),
            std::string("\x0a\x12") + "arbiter.v1.Arbiter");
}

TEST(Health, EncodesLongServiceWithMultiByteLength) {
  const std::string name(300, 'x');
  const std::string bytes = EncodeHealthCheckRequest(name);
  ASSERT_EQ(bytes.size(), 3 + name.size());
  EXPECT_EQ(bytes.substr(0, 3), std::string("\x0a\xac\x02"));  // 300 = 0b10_0101100
}

TEST(Health, DecodesEachStatus) {
  EXPECT_EQ(*DecodeHealthCheckResponse(""), ServingStatus::kUnknown);
  EXPECT_EQ(*DecodeHealthCheckResponse(std::string("\x08\x01", 2)), ServingStatus::kServing);
  EXPECT_EQ(*DecodeHealthCheckResponse(std::string("\x08\x02", 2)), ServingStatus::kNotServing);
  EXPECT_EQ(*DecodeHealthCheckResponse(std::string("\x08\x03", 2)), ServingStatus::kServiceUnknown);
  EXPECT_EQ(*DecodeHealthCheckResponse(std::string("\x08\x09", 2)), ServingStatus::kUnknown);
}

TEST(Health, DecodeSkipsUnknownFields) {
  // field 2 (string "ab"), then status SERVING.
  const std::string bytes(
      "\x12\x02"
      "ab"
      "\x08\x01",
      6);
  EXPECT_EQ(*DecodeHealthCheckResponse(bytes), ServingStatus::kServing);
}

TEST(Health, DecodeRejectsTruncatedMessage) {
  EXPECT_FALSE(DecodeHealthCheckResponse(std::string("\x08", 1)).ok());
  EXPECT_FALSE(DecodeHealthCheckResponse(std::string("\x12\x05"
                                                     "ab",
                                                     4))
                   .ok());
}

TEST(Health, NamesMatchProtoEnum) {
  EXPECT_EQ(ServingStatusName(ServingStatus::kServing), "SERVING");
  EXPECT_EQ(ServingStatusName(ServingStatus::kNotServing), "NOT_SERVING");
}

}  // namespace
}  // namespace arbiter::client
