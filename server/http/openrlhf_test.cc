#include "server/http/openrlhf.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/testing/fake_verifier.h"

namespace arbiter::server::http {
namespace {

using nlohmann::json;

// Saturn's prompt ends in an example answer: scoring the whole query would find it.
const std::string kSaturnPrompt =
    "<|im_start|>user\nFind a satisfying assignment for !A!BC & A!BD ... For example:\n"
    "\\boxed{1101}\n<|im_end|>\n<|im_start|>assistant\n";

sdk::VerifierRegistry& Registry() {
  static sdk::VerifierRegistry* registry = [] {
    auto* r = new sdk::VerifierRegistry();
    EXPECT_TRUE(r->Register(std::make_unique<testing::FakeVerifier>("sat")).ok());
    EXPECT_TRUE(r->Register(std::make_unique<testing::FakeVerifier>("beam")).ok());
    return r;
  }();
  return *registry;
}

const Routing kRouting{"sat", ""};

std::string Body(const std::vector<std::string>& queries, const std::vector<std::string>& prompts,
                 const json& labels) {
  return json{{"query", queries}, {"prompts", prompts}, {"labels", labels}}.dump();
}

TEST(ParseOpenRlhfRequest, TakesOneCompletionAfterItsPrompt) {
  auto items = ParseOpenRlhfRequest(
      Body({kSaturnPrompt + "I think \\boxed{10}<|im_end|>"}, {kSaturnPrompt}, json{"AB"}),
      kRouting, Registry());
  ASSERT_TRUE(items.ok()) << items.status();
  ASSERT_EQ(items->size(), 1u);
  const ScoreItem& item = items->front();
  ASSERT_TRUE(item.error.ok()) << item.error;
  EXPECT_FALSE(item.prompt_mismatch);
  EXPECT_EQ(item.group.task().verifier(), "sat");
  EXPECT_EQ(item.group.task().ground_truth(), "AB");
  EXPECT_EQ(item.group.samples(0).completion(), "I think \\boxed{10}<|im_end|>");
}

TEST(ParseOpenRlhfRequest, StripsThePromptsExampleBoxFromANoAnswerCompletion) {
  auto items = ParseOpenRlhfRequest(
      Body({kSaturnPrompt + "I give up.<|im_end|>"}, {kSaturnPrompt}, json{"AB"}), kRouting,
      Registry());
  ASSERT_TRUE(items.ok());
  const std::string& completion = items->front().group.samples(0).completion();
  EXPECT_EQ(completion, "I give up.<|im_end|>");
  EXPECT_EQ(completion.find("\\boxed"), std::string::npos);
}

TEST(ParseOpenRlhfRequest, AcceptsTheOlderBatchedForm) {
  auto items = ParseOpenRlhfRequest(
      Body({"p1c1", "p2c2", "p3c3"}, {"p1", "p2", "p3"},
           json{"a", json{{"verifier", "beam"}, {"ground_truth", 1}}, nullptr}),
      kRouting, Registry());
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 3u);
  EXPECT_EQ((*items)[0].group.samples(0).completion(), "c1");
  EXPECT_EQ((*items)[1].group.task().verifier(), "beam");
  EXPECT_EQ((*items)[1].group.task().ground_truth(), "1");
  EXPECT_EQ((*items)[2].group.task().ground_truth(), "");
}

TEST(ParseOpenRlhfRequest, LabelObjectsKeepTheirKeyOrder) {
  const std::string body =
      R"({"query": ["pc", "pd"], "prompts": ["p", "p"], "labels": [{"zeta": 1, "alpha": [{"b": 0, "a": 0}]},)"
      R"( {"verifier": "beam", "ground_truth": {"y": 2, "x": 1}}]})";
  auto items = ParseOpenRlhfRequest(body, kRouting, Registry());
  ASSERT_TRUE(items.ok()) << items.status();
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ((*items)[0].group.task().ground_truth(), R"({"zeta":1,"alpha":[{"b":0,"a":0}]})");
  EXPECT_EQ((*items)[1].group.task().ground_truth(), R"({"y":2,"x":1})");
}

TEST(ParseOpenRlhfRequest, EmptyListsGiveNoItems) {
  auto items =
      ParseOpenRlhfRequest(R"({"query": [], "prompts": [], "labels": []})", kRouting, Registry());
  ASSERT_TRUE(items.ok());
  EXPECT_TRUE(items->empty());
  EXPECT_EQ(RenderOpenRlhfResponse({}, {}),
            R"({"extra_logs":{"cached":[],"error":[],"infra_error":[],"outcome_code":[],)"
            R"("prompt_mismatch":[]},"messages":[],"outcomes":[],"rewards":[],"scores":[]})");
}

TEST(ParseOpenRlhfRequest, FlagsAQueryWithoutItsPrompt) {
  auto items = ParseOpenRlhfRequest(Body({"no prompt here"}, {"the prompt"}, json{"a"}), kRouting,
                                    Registry());
  ASSERT_TRUE(items.ok());
  EXPECT_TRUE(items->front().prompt_mismatch);
  EXPECT_EQ(items->front().group.samples(0).completion(), "no prompt here");
}

TEST(ParseOpenRlhfRequest, AnUnknownVerifierIsThatItemsError) {
  auto items = ParseOpenRlhfRequest(
      Body({"pa", "pb"}, {"p", "p"}, json{json{{"verifier", "nope"}, {"ground_truth", "x"}}, "y"}),
      kRouting, Registry());
  ASSERT_TRUE(items.ok());
  EXPECT_EQ((*items)[0].error.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE((*items)[0].error.message().find("unknown verifier 'nope'"), std::string::npos);
  EXPECT_TRUE((*items)[1].error.ok());
}

TEST(ParseOpenRlhfRequest, RejectsUnreadableBodiesSayingWhy) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", "not JSON"},
      {"[1]", "must be a JSON object"},
      {R"({"prompts": [], "labels": []})", "no \"query\""},
      {R"({"query": "q", "prompts": [], "labels": []})", "\"query\" must be a list"},
      {R"({"query": ["q"], "prompts": [], "labels": []})", "differ in length"},
      {R"({"query": [1], "prompts": ["p"], "labels": [1]})", "query[0] must be a string"},
      {R"({"query": ["q"], "prompts": [null], "labels": [1]})", "prompts[0] must be a string"},
  };
  for (const auto& [body, message] : cases) {
    auto items = ParseOpenRlhfRequest(body, kRouting, Registry());
    EXPECT_EQ(items.status().code(), absl::StatusCode::kInvalidArgument) << body;
    EXPECT_NE(items.status().message().find(message), std::string::npos)
        << body << ": " << items.status();
  }
}

TEST(RenderOpenRlhfResponse, GivesRawScoresPassSignalsAndNumericLogs) {
  std::vector<ScoreItem> items(4);
  items[3].prompt_mismatch = true;
  std::vector<ItemVerdict> verdicts(4);
  verdicts[0].outcome = v1::CORRECT;
  verdicts[0].score = 1;
  verdicts[0].cached = true;
  verdicts[1].outcome = v1::NO_ANSWER;
  verdicts[1].score = -1;
  verdicts[2].outcome = v1::INFRA_ERROR;
  verdicts[2].message = "sandbox \xFF";
  verdicts[3] = VerdictFromError(absl::InvalidArgumentError("bad label"));
  const json answer = json::parse(RenderOpenRlhfResponse(items, verdicts));
  EXPECT_EQ(answer["rewards"], json({1.0, -1.0, 0.0, 0.0}));
  EXPECT_EQ(answer["scores"], json({1.0, 0.0, 0.0, 0.0}));
  EXPECT_EQ(answer["extra_logs"]["outcome_code"], json({1.0, 3.0, 4.0, 0.0}));
  EXPECT_EQ(answer["extra_logs"]["infra_error"], json({0.0, 0.0, 1.0, 0.0}));
  EXPECT_EQ(answer["extra_logs"]["error"], json({0.0, 0.0, 0.0, 1.0}));
  EXPECT_EQ(answer["extra_logs"]["cached"], json({1.0, 0.0, 0.0, 0.0}));
  EXPECT_EQ(answer["extra_logs"]["prompt_mismatch"], json({0.0, 0.0, 0.0, 1.0}));
  EXPECT_EQ(answer["outcomes"], json({"CORRECT", "NO_ANSWER", "INFRA_ERROR", "ERROR"}));
  EXPECT_EQ(answer["messages"][2], "sandbox \xEF\xBF\xBD");
  EXPECT_EQ(answer["messages"][3], "bad label");
}

}  // namespace
}  // namespace arbiter::server::http
