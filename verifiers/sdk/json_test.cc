#include "verifiers/sdk/json.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace arbiter::sdk {
namespace {

TEST(Json, ParsesAndNamesWhatIsWrong) {
  const auto value = ParseUntrustedJson(R"({"a": [1, "]]]"]})", "the label");
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ((*value)["a"][1], "]]]");
  const auto bad = ParseUntrustedJson("{", "the label");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().rfind("the label is not valid JSON", 0), 0u);
}

TEST(Json, DeepNestingIsRefusedBeforeParsing) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const auto value = ParseUntrustedJson(deep, "the body");
  EXPECT_EQ(value.status().message(), "the body is nested deeper than 256 levels");
  EXPECT_TRUE(JsonNestsDeeperThan("[[[]]]", 2));
  EXPECT_FALSE(JsonNestsDeeperThan("[[\"[[[[\"]]", 2));  // brackets inside strings do not count
  EXPECT_TRUE(ParseUntrustedJson(std::string(256, '[') + std::string(256, ']'), "x").ok());
}

TEST(Json, OrderedParseKeepsTheTextsKeyOrderAtEveryLevel) {
  const std::string text = R"({"b": 1, "a": [{"z": null, "y": true}], "c": {"2": 1.5, "10": "x"}})";
  const auto ordered = ParseUntrustedOrderedJson(text, "the label");
  ASSERT_TRUE(ordered.ok()) << ordered.status();
  EXPECT_EQ(ordered->dump(), R"({"b":1,"a":[{"z":null,"y":true}],"c":{"2":1.5,"10":"x"}})");
  // nlohmann::json sorts them; the same value otherwise.
  EXPECT_EQ(ParseUntrustedJson(text, "the label")->dump(),
            R"({"a":[{"y":true,"z":null}],"b":1,"c":{"10":"x","2":1.5}})");
  EXPECT_EQ(nlohmann::json::parse(ordered->dump()), *ParseUntrustedJson(text, "the label"));
}

TEST(Json, OrderedParseGivesARepeatedKeyItsFirstPlaceAndLastValueAsPythonDoes) {
  // json.loads('{"a": 1, "b": 2, "a": {"c": 3}}') == {'a': {'c': 3}, 'b': 2}, in that order.
  const auto small = ParseUntrustedOrderedJson(R"({"a": 1, "b": 2, "a": {"c": 3}})", "x");
  ASSERT_TRUE(small.ok()) << small.status();
  EXPECT_EQ(small->dump(), R"({"a":{"c":3},"b":2})");
  // Past the scan threshold the keys are found through an index: same rule, still in order.
  std::string text = "{";
  std::string want = "{";
  for (int i = 40; i > 0; --i) {
    absl::StrAppend(&text, "\"k", i, "\": ", i, ", ");
    absl::StrAppend(&want, i == 40 ? "" : ",", "\"k", i, "\":", i == 7 ? -7 : i);
  }
  absl::StrAppend(&text, "\"k7\": -7}");
  absl::StrAppend(&want, "}");
  const auto large = ParseUntrustedOrderedJson(text, "x");
  ASSERT_TRUE(large.ok()) << large.status();
  EXPECT_EQ(large->dump(), want);
}

TEST(Json, OrderedParseOfAnObjectWithManyKeysIsLinear) {
  // ordered_json's own parser compares each new key with every earlier one: 200,000 keys would
  // be 2e10 comparisons (minutes); this parse takes milliseconds.
  constexpr int kKeys = 200000;
  std::string text = "{";
  for (int i = kKeys; i > 0; --i) absl::StrAppend(&text, i == kKeys ? "" : ",", "\"", i, "\":0");
  text += "}";
  const auto value = ParseUntrustedOrderedJson(text, "x");
  ASSERT_TRUE(value.ok()) << value.status();
  ASSERT_EQ(value->size(), static_cast<size_t>(kKeys));
  EXPECT_EQ(value->begin().key(), std::to_string(kKeys));
  EXPECT_EQ((--value->end()).key(), "1");
}

TEST(Json, OrderedParseRefusesWhatTheSortedParseRefuses) {
  const auto bad = ParseUntrustedOrderedJson(R"({"a": 1,})", "the label");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(),
            ParseUntrustedJson(R"({"a": 1,})", "the label").status().message());
  const std::string deep = std::string(300, '[') + std::string(300, ']');
  EXPECT_EQ(ParseUntrustedOrderedJson(deep, "the body").status().message(),
            "the body is nested deeper than 256 levels");
  EXPECT_EQ(ParseUntrustedOrderedJson("[1] 2", "x").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace arbiter::sdk
