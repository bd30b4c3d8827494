#include "server/http/slime.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/testing/fake_verifier.h"

namespace arbiter::server::http {
namespace {

using nlohmann::json;

const sdk::VerifierRegistry& Registry() {
  static sdk::VerifierRegistry* registry = [] {
    auto* r = new sdk::VerifierRegistry();
    EXPECT_TRUE(r->Register(std::make_unique<testing::FakeVerifier>("sat")).ok());
    return r;
  }();
  return *registry;
}

const Routing kRouting{"sat", "compat"};

TEST(ParseSlimeRequest, ScoresTheResponseAgainstTheLabel) {
  auto item = ParseSlimeRequest(R"({"prompt": "templated", "response": "\\boxed{10}",
                                    "label": "AB"})",
                                kRouting, Registry());
  ASSERT_TRUE(item.ok()) << item.status();
  ASSERT_TRUE(item->error.ok());
  EXPECT_EQ(item->group.samples(0).completion(), "\\boxed{10}");
  EXPECT_EQ(item->group.task().ground_truth(), "AB");
  EXPECT_EQ(item->group.task().mode(), "compat");
}

// A label sent as an object keeps the trainer's key order (a code row's dict arguments reach
// the program as the grader's json.loads reads them), in an envelope too.
TEST(ParseSlimeRequest, LabelObjectsKeepTheirKeyOrder) {
  const std::string row = R"({"inputs":["{\"b\": 1, \"a\": 2}"],"outputs":["[\"b\",\"a\"]"],)"
                          R"("fn_name":"keys","z":{"y":1,"x":[{"d":0,"c":0}]}})";
  auto bare = ParseSlimeRequest(R"({"response": "r", "label": )" + row + "}", kRouting, Registry());
  ASSERT_TRUE(bare.ok()) << bare.status();
  EXPECT_EQ(bare->group.task().ground_truth(), row);
  auto envelope = ParseSlimeRequest(
      R"({"response": "r", "label": {"verifier": "sat", "ground_truth": )" + row + "}}", kRouting,
      Registry());
  ASSERT_TRUE(envelope.ok()) << envelope.status();
  EXPECT_EQ(envelope->group.task().ground_truth(), row);
}

TEST(ParseSlimeRequest, AcceptsMessageListPromptsAndNullLabels) {
  auto item = ParseSlimeRequest(
      R"({"prompt": [{"role": "user", "content": "hi"}], "response": "r", "label": null})",
      kRouting, Registry());
  ASSERT_TRUE(item.ok()) << item.status();
  EXPECT_EQ(item->group.task().ground_truth(), "");
  auto no_label = ParseSlimeRequest(R"({"response": "r"})", kRouting, Registry());
  ASSERT_TRUE(no_label.ok());
  EXPECT_TRUE(no_label->error.ok());
}

TEST(ParseSlimeRequest, AnEnvelopeWithAnUnknownVerifierIsTheItemsError) {
  auto item =
      ParseSlimeRequest(R"({"response": "r", "label": {"verifier": "nope", "ground_truth": "AB"}})",
                        kRouting, Registry());
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->error.code(), absl::StatusCode::kInvalidArgument);
}

TEST(ParseSlimeRequest, RejectsUnreadableBodies) {
  for (const char* body : {"nope", "[]", R"({"prompt": "p"})", R"({"response": 3})",
                           R"({"prompt": 3, "response": "r"})"}) {
    EXPECT_EQ(ParseSlimeRequest(body, kRouting, Registry()).status().code(),
              absl::StatusCode::kInvalidArgument)
        << body;
  }
}

TEST(RenderSlimeResponse, IsABareNumberByDefault) {
  ItemVerdict verdict;
  verdict.outcome = v1::NO_ANSWER;
  verdict.score = -1;
  EXPECT_EQ(json::parse(RenderSlimeResponse(verdict, "")), json(-1.0));
  EXPECT_EQ(json::parse(RenderSlimeResponse(VerdictFromError(absl::InternalError("x")), "")),
            json(0.0));
}

TEST(RenderSlimeResponse, IsAnObjectWithARewardKey) {
  ItemVerdict verdict;
  verdict.outcome = v1::CORRECT;
  verdict.score = 1;
  const json answer = json::parse(RenderSlimeResponse(verdict, "reward"));
  EXPECT_EQ(answer["reward"], 1.0);
  EXPECT_EQ(answer["outcome"], "CORRECT");
  EXPECT_EQ(answer["message"], "");
}

TEST(CheckRewardKey, RefusesKeysThatCollide) {
  EXPECT_TRUE(CheckRewardKey("score").ok());
  EXPECT_FALSE(CheckRewardKey("outcome").ok());
  EXPECT_FALSE(CheckRewardKey("message").ok());
}

}  // namespace
}  // namespace arbiter::server::http
