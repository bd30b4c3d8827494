#include "server/http/label.h"

#include "gtest/gtest.h"

namespace arbiter::server::http {
namespace {

using nlohmann::json;

const Routing kRouting{"sat", "strict"};

TEST(TaskFromLabel, PassesAStringLabelUnchanged) {
  auto task = TaskFromLabel(json("!A!BC & A!BD"), kRouting);
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(task->verifier(), "sat");
  EXPECT_EQ(task->mode(), "strict");
  EXPECT_EQ(task->ground_truth(), "!A!BC & A!BD");
}

TEST(TaskFromLabel, EncodesANonStringLabelAsJson) {
  EXPECT_EQ(TaskFromLabel(json(5), kRouting)->ground_truth(), "5");
  EXPECT_EQ(TaskFromLabel(json::parse(R"(["0.25P","0.75P"])"), kRouting)->ground_truth(),
            R"(["0.25P","0.75P"])");
  // A Saturn row without "ground_truth" is a label, not an envelope, even with a "mode".
  auto row = TaskFromLabel(json::parse(R"({"clause": "AB", "mode": "compat"})"), kRouting);
  EXPECT_EQ(row->ground_truth(), R"({"clause":"AB","mode":"compat"})");
  EXPECT_EQ(row->mode(), "strict");
}

TEST(TaskFromLabel, KeyOrderMattersOnlyForObjectsWithSeveralKeys) {
  EXPECT_FALSE(KeyOrderMatters(json("x")));
  EXPECT_FALSE(KeyOrderMatters(json::parse(R"([1, "a", {"only": [2]}])")));
  EXPECT_TRUE(KeyOrderMatters(json::parse(R"({"b": 1, "a": 2})")));
  EXPECT_TRUE(KeyOrderMatters(json::parse(R"([[{"k": {"b": 1, "a": 2}}]])")));
  // An envelope: only what it carries is encoded.
  EXPECT_FALSE(KeyOrderMatters(json::parse(R"({"verifier": "sat", "ground_truth": "AB"})")));
  EXPECT_TRUE(KeyOrderMatters(json::parse(R"({"ground_truth": {"b": 1, "a": 2}})")));
}

TEST(TaskFromLabel, EncodesFromTheOrderedParseWhenGiven) {
  const char* text = R"({"b": 1, "a": {"d": 2, "c": 3}})";
  const nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(text);
  EXPECT_EQ(TaskFromLabel(json::parse(text), kRouting)->ground_truth(),
            R"({"a":{"c":3,"d":2},"b":1})");
  EXPECT_EQ(TaskFromLabel(json::parse(text), kRouting, &ordered)->ground_truth(),
            R"({"b":1,"a":{"d":2,"c":3}})");
}

TEST(TaskFromLabel, NullIsAnEmptyGroundTruth) {
  auto task = TaskFromLabel(json(nullptr), kRouting);
  ASSERT_TRUE(task.ok());
  EXPECT_TRUE(task->has_ground_truth());
  EXPECT_EQ(task->ground_truth(), "");
}

TEST(TaskFromLabel, AnEnvelopeNamesVerifierAndModeOverTheRequest) {
  auto task = TaskFromLabel(
      json::parse(R"({"verifier": "beam", "mode": "compat", "ground_truth": ["P/2"]})"), kRouting);
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(task->verifier(), "beam");
  EXPECT_EQ(task->mode(), "compat");
  EXPECT_EQ(task->ground_truth(), R"(["P/2"])");
}

TEST(TaskFromLabel, AnEnvelopeWithoutVerifierKeepsTheRequestsRouting) {
  auto task = TaskFromLabel(json::parse(R"({"ground_truth": "AB"})"), kRouting);
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(task->verifier(), "sat");
  EXPECT_EQ(task->mode(), "strict");
  EXPECT_EQ(task->ground_truth(), "AB");
}

TEST(TaskFromLabel, RejectsAnEnvelopeWithANonStringVerifier) {
  auto task = TaskFromLabel(json::parse(R"({"verifier": 3, "ground_truth": "AB"})"), kRouting);
  EXPECT_EQ(task.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(task.status().message().find("label.verifier"), absl::string_view::npos);
}

}  // namespace
}  // namespace arbiter::server::http
