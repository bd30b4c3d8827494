#include "verifiers/sdk/json.h"

#include <string>

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

}  // namespace
}  // namespace arbiter::sdk
