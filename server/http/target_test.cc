#include "server/http/target.h"

#include "gtest/gtest.h"

namespace arbiter::server::http {
namespace {

TEST(ParseTarget, SplitsPathAndDecodesParameters) {
  auto target = ParseTarget("/get_reward?verifier=sat&mode=com%70at&x=a+b&verifier=beam");
  ASSERT_TRUE(target.ok()) << target.status();
  EXPECT_EQ(target->path, "/get_reward");
  EXPECT_EQ(target->Param("verifier"), "beam");  // the last one wins
  EXPECT_EQ(target->Param("mode"), "compat");
  EXPECT_EQ(target->Param("x"), "a b");
  EXPECT_EQ(target->Param("absent", "fallback"), "fallback");
}

TEST(ParseTarget, AcceptsAPathWithoutQueryAndEmptyPairs) {
  auto target = ParseTarget("/healthz?&&flag");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->path, "/healthz");
  EXPECT_EQ(target->Param("flag", "absent"), "");
}

TEST(ParseTarget, RejectsMalformedEscapes) {
  EXPECT_EQ(ParseTarget("/x?a=%4").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseTarget("/x?a=%zz").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseTarget("/x?a=%FF").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace arbiter::server::http
