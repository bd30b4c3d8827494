#include "verifiers/code/compare.h"

#include <cmath>
#include <string>

#include "gtest/gtest.h"
#include "verifiers/sdk/utf8.h"

namespace arbiter::code {
namespace {

using nlohmann::json;
constexpr auto kExact = v1::CodeTest::COMPARE_EXACT;
constexpr auto kWs = v1::CodeTest::COMPARE_WHITESPACE;
constexpr auto kFloat = v1::CodeTest::COMPARE_FLOAT;

TEST(OutputMatches, ExactIsByteForByte) {
  EXPECT_TRUE(OutputMatches("3\n", "3\n", kExact, 0));
  EXPECT_FALSE(OutputMatches("3", "3\n", kExact, 0));
  EXPECT_FALSE(OutputMatches("3 \n", "3\n", kExact, 0));
}

TEST(OutputMatches, WhitespaceModeIgnoresTrailingAndRepeatedBlanks) {
  EXPECT_TRUE(OutputMatches("1  2\t3  \r\n\n\n", "1 2 3\n", kWs, 0));
  EXPECT_TRUE(OutputMatches("3", "3\n", v1::CodeTest::COMPARE_UNSPECIFIED, 0));
  EXPECT_FALSE(OutputMatches("1 2\n3\n", "1 2 3\n", kWs, 0));  // line structure matters
  EXPECT_FALSE(OutputMatches("\n3\n", "3\n", kWs, 0));         // leading blank line matters
  EXPECT_FALSE(OutputMatches("12\n", "1 2\n", kWs, 0));
  EXPECT_FALSE(OutputMatches("", "0\n", kWs, 0));
}

TEST(OutputMatches, FloatModeUsesAbsoluteOrRelativeTolerance) {
  EXPECT_TRUE(OutputMatches("0.3333333\n", "0.333333333", kFloat, 0));
  EXPECT_FALSE(OutputMatches("0.334\n", "0.333333333", kFloat, 0));
  EXPECT_TRUE(OutputMatches("1000000.5", "1000000", kFloat, 1e-6));  // relative
  EXPECT_TRUE(OutputMatches("1.05 yes", "1 yes", kFloat, 0.1));
  EXPECT_FALSE(OutputMatches("1 no", "1 yes", kFloat, 0.1));
  EXPECT_FALSE(OutputMatches("1 2", "1 2 3", kFloat, 0.1));
  EXPECT_FALSE(OutputMatches("nan", "1.0", kFloat, 0.1));
}

TEST(JsonEqual, NumbersCompareAsValues) {
  EXPECT_TRUE(JsonEqual(json::parse("1"), json::parse("1.0"), 0));
  EXPECT_FALSE(JsonEqual(json::parse("1"), json::parse("1.5"), 0));
  EXPECT_TRUE(JsonEqual(json::parse("1.0000001"), json::parse("1"), 1e-6));
  EXPECT_TRUE(
      JsonEqual(json::parse("18446744073709551615"), json::parse("18446744073709551615"), 0));
  EXPECT_FALSE(JsonEqual(json::parse("9007199254740993"), json::parse("9007199254740992"), 0));
  EXPECT_FALSE(JsonEqual(json::parse("-1"), json::parse("18446744073709551615"), 0));
}

TEST(JsonEqual, ValuesCompareAsPythonComparesThem) {
  EXPECT_TRUE(JsonEqual(json::parse("true"), json::parse("1"), 0));  // True == 1
  EXPECT_TRUE(JsonEqual(json::parse("[false, 1.0]"), json::parse("[0, true]"), 0));
  EXPECT_FALSE(JsonEqual(json::parse("true"), json::parse("2"), 0));
  EXPECT_FALSE(JsonEqual(json::parse("true"), json::parse("false"), 0));
  EXPECT_FALSE(JsonEqual(json::parse("true"), json::parse(R"("True")"), 0));
  EXPECT_TRUE(JsonEqual(json::parse("false"), json::parse("false"), 0));
  // int == float exactly, as Python compares them (2**53 + 1 != 2.0**53).
  EXPECT_FALSE(JsonEqual(json::parse("9007199254740993"), json::parse("9007199254740992.0"), 0));
  EXPECT_TRUE(JsonEqual(json::parse("9007199254740992"), json::parse("9007199254740992.0"), 0));
  EXPECT_FALSE(JsonEqual(json::parse("18446744073709551615"), json::parse("1.8446744073709552e19"),
                         0));  // 2**64 - 1 != 2.0**64
}

TEST(JsonEqual, StrictTypesForExactMode) {
  EXPECT_FALSE(JsonEqual(json::parse("true"), json::parse("1"), 0, /*strict_types=*/true));
  EXPECT_FALSE(JsonEqual(json::parse("1"), json::parse("1.0"), 0, true));
  EXPECT_TRUE(
      JsonEqual(json::parse(R"({"a":[1,true]})"), json::parse(R"({"a":[1,true]})"), 0, true));
}

TEST(JsonEqual, ObjectKeyOrderIsIrrelevantArraysAreOrdered) {
  EXPECT_TRUE(
      JsonEqual(json::parse(R"({"a":1,"b":[1,2.0]})"), json::parse(R"({"b":[1,2],"a":1.0})"), 0));
  EXPECT_FALSE(JsonEqual(json::parse("[1,2]"), json::parse("[2,1]"), 0));
  EXPECT_FALSE(JsonEqual(json::parse(R"({"a":1})"), json::parse(R"({"a":1,"b":2})"), 0));
  EXPECT_FALSE(JsonEqual(json::parse("[1]"), json::parse("1"), 0));
  EXPECT_FALSE(JsonEqual(json::parse(R"("1")"), json::parse("1"), 0));
}

TEST(JsonEqual, NanNeverEqual) {
  const json nan = std::nan("");
  EXPECT_FALSE(JsonEqual(nan, nan, 0));
  EXPECT_FALSE(JsonEqual(nan, nan, 1.0));
}

TEST(Snippet, NeverCutsACharacterAndRepairsIllFormedBytes) {
  // A wrong answer printing '€' (three bytes) a hundred times: the cap falls inside a character.
  std::string euros;
  for (int i = 0; i < 100; ++i) euros += "\xE2\x82\xAC";
  for (size_t cap : {79u, 80u, 81u}) {
    const std::string snippet = Snippet(euros, cap);
    EXPECT_TRUE(sdk::IsValidUtf8(snippet)) << cap;
    EXPECT_EQ(snippet.substr(snippet.size() - 3), "...");
  }
  const std::string broken = Snippet("\xD0\x9F\xD1 half cyrillic \xFF", 80);
  EXPECT_TRUE(sdk::IsValidUtf8(broken));
  EXPECT_EQ(broken, "\xD0\x9F\xEF\xBF\xBD half cyrillic \xEF\xBF\xBD");
}

TEST(Snippet, CapsLengthAndEscapesControlBytes) {
  EXPECT_EQ(Snippet("a\nb\x1b[2J", 80), "a\\nb?[2J");
  EXPECT_EQ(Snippet(std::string(100, 'x'), 5), "xxxxx...");
}

}  // namespace
}  // namespace arbiter::code
