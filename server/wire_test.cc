#include "server/wire.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace arbiter::server {
namespace {

std::string RequestWithCompletion(const std::string& completion, int groups, int samples) {
  v1::ScoreRequest request;
  for (int g = 0; g < groups; ++g) {
    v1::Group* group = request.add_groups();
    group->mutable_task()->set_verifier("sat");
    for (int s = 0; s < samples; ++s) group->add_samples()->set_completion("fine");
  }
  std::string wire;
  request.SerializeToString(&wire);
  // Append one more sample to the last group by hand, its completion unchecked: protobuf's own
  // serialiser would refuse ill-formed UTF-8 in a proto3 string. Field 3 (samples) of Group is
  // length-delimited; Sample.completion is field 1. Rebuild the whole request to keep lengths
  // right.
  v1::ScoreRequest with_placeholder = request;
  with_placeholder.mutable_groups(groups - 1)
      ->add_samples()
      ->set_completion(std::string(completion.size(), 'X'));
  with_placeholder.SerializeToString(&wire);
  const size_t at = wire.rfind(std::string(completion.size(), 'X'));
  wire.replace(at, completion.size(), completion);
  return wire;
}

TEST(Wire, DescribeParseFailureNamesTheFieldWithIllFormedUtf8) {
  const std::string wire = RequestWithCompletion(
      "ab\xE2\x82"
      "cd",
      3, 2);
  v1::ScoreRequest parsed;
  EXPECT_FALSE(parsed.ParseFromString(wire));  // what protobuf itself does with it
  EXPECT_EQ(DescribeParseFailure(*v1::ScoreRequest::descriptor(), wire),
            "groups[2].samples[2].completion is not valid UTF-8 (at byte 2 of the field): "
            "protobuf string fields must hold UTF-8 text");
}

TEST(Wire, DescribeParseFailureReportsTruncatedData) {
  std::string wire = RequestWithCompletion("fine", 1, 1);
  wire.resize(wire.size() - 2);
  EXPECT_NE(DescribeParseFailure(*v1::ScoreRequest::descriptor(), wire).find("truncated"),
            std::string::npos);
  EXPECT_EQ(
      DescribeParseFailure(*v1::ScoreRequest::descriptor(), RequestWithCompletion("ok", 1, 1)), "");
}

v1::GroupResult GroupOfSize(int index, int message_bytes) {
  v1::GroupResult group;
  group.set_group_index(index);
  group.set_group_id("g" + std::to_string(index));
  v1::SampleResult* sample = group.add_samples();
  sample->set_outcome(v1::CORRECT);
  sample->set_score(1);
  sample->set_sample_id("s");
  sample->set_message(std::string(message_bytes, 'm'));
  return group;
}

TEST(Wire, FitGroupsToLimitFailsOnlyTheLargestGroups) {
  std::vector<v1::GroupResult> groups = {GroupOfSize(0, 10), GroupOfSize(1, 5000),
                                         GroupOfSize(2, 20), GroupOfSize(3, 3000)};
  EXPECT_EQ(FitGroupsToLimit(groups, 2000), 2);
  EXPECT_EQ(groups[0].status().code(), 0);
  EXPECT_EQ(groups[2].status().code(), 0);
  EXPECT_EQ(groups[0].samples(0).outcome(), v1::CORRECT);
  for (int i : {1, 3}) {
    EXPECT_EQ(groups[i].status().code(), 8) << i;  // RESOURCE_EXHAUSTED
    EXPECT_EQ(groups[i].group_index(), i);
    ASSERT_EQ(groups[i].samples_size(), 1);
    EXPECT_EQ(groups[i].samples(0).outcome(), v1::INFRA_ERROR);
    EXPECT_EQ(groups[i].samples(0).sample_id(), "s");
  }
  int64_t total = 0;
  for (const v1::GroupResult& group : groups) total += EncodedGroupSize(group);
  EXPECT_LE(total, 2000);
}

TEST(Wire, FitGroupsToLimitLeavesAResponseWithinTheLimitAlone) {
  std::vector<v1::GroupResult> groups = {GroupOfSize(0, 100), GroupOfSize(1, 100)};
  EXPECT_EQ(FitGroupsToLimit(groups, 1 << 20), 0);
  EXPECT_EQ(groups[1].samples(0).message().size(), 100u);
}

}  // namespace
}  // namespace arbiter::server
