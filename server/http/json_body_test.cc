#include "server/http/json_body.h"

#include <string>

#include "gtest/gtest.h"

namespace arbiter::server::http {
namespace {

TEST(ParseJsonBody, ParsesAnObject) {
  auto parsed = ParseJsonBody(R"({"a": [1, "x"]})");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ((*parsed)["a"][1], "x");
}

TEST(ParseJsonBody, SaysWhereTheBodyIsNotJson) {
  auto parsed = ParseJsonBody("{\"a\": ");
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find("body is not JSON"), absl::string_view::npos);
}

TEST(ParseJsonBody, RefusesDeepNestingBeforeParsing) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto parsed = ParseJsonBody(deep);
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find("deeper than"), absl::string_view::npos);
}

TEST(ParseJsonBody, RejectsIllFormedUtf8InStrings) {
  EXPECT_FALSE(ParseJsonBody("[\"\xC3\x28\"]").ok());
}

TEST(Utf8Json, RepairsIllFormedText) {
  EXPECT_EQ(DumpJson(Utf8Json("a\xFF")), "\"a\xEF\xBF\xBD\"");
}

TEST(DumpJson, WritesNonAsciiAsUtf8) { EXPECT_EQ(DumpJson(Utf8Json("€")), "\"€\""); }

}  // namespace
}  // namespace arbiter::server::http
