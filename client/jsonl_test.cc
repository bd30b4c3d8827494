#include "client/jsonl.h"

#include "arbiter/v1/arbiter.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace arbiter::client {
namespace {

using ::testing::HasSubstr;

TEST(Jsonl, ParsesSnakeCaseAndCamelCaseAlike) {
  v1::Group snake, camel;
  ASSERT_TRUE(ParseJsonMessage(R"({"group_id":"g1","task":{"verifier":"sat","ground_truth":"AB"},)"
                               R"("samples":[{"completion":"\\boxed{11}","num_tokens":"5"}]})",
                               &snake)
                  .ok());
  ASSERT_TRUE(ParseJsonMessage(R"({"groupId":"g1","task":{"verifier":"sat","groundTruth":"AB"},)"
                               R"("samples":[{"completion":"\\boxed{11}","numTokens":5}]})",
                               &camel)
                  .ok());
  EXPECT_EQ(snake.SerializeAsString(), camel.SerializeAsString());
  EXPECT_EQ(snake.group_id(), "g1");
  EXPECT_EQ(snake.task().ground_truth(), "AB");
  EXPECT_EQ(snake.samples(0).completion(), "\\boxed{11}");
  EXPECT_EQ(snake.samples(0).num_tokens(), 5);
}

TEST(Jsonl, ParsesTypedSatTaskWithEnumName) {
  v1::Group group;
  ASSERT_TRUE(
      ParseJsonMessage(
          R"({"task":{"verifier":"sat","sat":{"formula":"A","k":1,"mode":"MODE_COMPAT"}}})", &group)
          .ok());
  EXPECT_EQ(group.task().sat().mode(), v1::SatTask::MODE_COMPAT);
}

TEST(Jsonl, RejectsMalformedJsonAndUnknownFields) {
  v1::Group group;
  group.set_group_id("stale");
  const absl::Status bad = ParseJsonMessage(R"({"group_id": )", &group);
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.message()), HasSubstr("Group"));
  EXPECT_EQ(group.group_id(), "");  // cleared, not half-filled

  const absl::Status unknown = ParseJsonMessage(R"({"grup_id":"x"})", &group);
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unknown.message()), HasSubstr("grup_id"));
}

TEST(Jsonl, PrintsSnakeCaseOnOneLineWithDefaults) {
  v1::GroupResult result;
  result.set_group_index(3);
  result.set_group_id("g");
  v1::SampleResult* sample = result.add_samples();
  sample->set_outcome(v1::INCORRECT);
  sample->set_score(0);
  const absl::StatusOr<std::string> line = PrintJsonMessage(result);
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(line->find('\n'), std::string::npos);
  EXPECT_THAT(*line, HasSubstr(R"("group_index":3)"));
  EXPECT_THAT(*line, HasSubstr(R"("outcome":"INCORRECT")"));
  EXPECT_THAT(*line, HasSubstr(R"("score":0)"));  // default printed, not omitted
  EXPECT_THAT(*line, HasSubstr(R"("cached":false)"));
}

TEST(Jsonl, PrintThenParseRoundTrips) {
  v1::GroupResult result;
  result.set_group_id("round\ttrip \"quoted\" \\boxed{1}");
  result.mutable_status()->set_code(3);
  result.mutable_status()->set_message("line 7: bad");
  result.add_samples()->set_advantage(-1.25);
  const std::string line = *PrintJsonMessage(result);
  v1::GroupResult back;
  ASSERT_TRUE(ParseJsonMessage(line, &back).ok());
  EXPECT_EQ(back.SerializeAsString(), result.SerializeAsString());
}

TEST(Jsonl, BlankLinesAreDetected) {
  EXPECT_TRUE(IsBlankLine(""));
  EXPECT_TRUE(IsBlankLine(" \t\r"));
  EXPECT_FALSE(IsBlankLine(" {} "));
}

}  // namespace
}  // namespace arbiter::client
