// TokenFile: who may call, and rotation of the token file timed on a fake clock (no sleeps).
#include "server/auth.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "verifiers/sdk/testing/fake_clock.h"

namespace arbiter::server {
namespace {

class TokenFileTest : public ::testing::Test {
 protected:
  void Write(const std::string& text) {
    std::ofstream out(path_, std::ios::trunc);
    out << text;
  }

  const std::string path_ = absl::StrCat(::testing::TempDir(), "/auth_test_tokens.", getpid());
  sdk::FakeClock clock_;
};

TEST_F(TokenFileTest, AllowsOnlyBearerTokensOfTheFile) {
  Write("# comment\n\n  alpha  \nbeta\n");
  auto tokens = TokenFile::Open(path_, &clock_);
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  EXPECT_TRUE((*tokens)->Allows("Bearer alpha"));
  EXPECT_TRUE((*tokens)->Allows("bearer beta"));
  EXPECT_FALSE((*tokens)->Allows("Bearer gamma"));
  EXPECT_FALSE((*tokens)->Allows("Bearer # comment"));
  EXPECT_FALSE((*tokens)->Allows("Basic alpha"));
  EXPECT_FALSE((*tokens)->Allows("Bearer "));
  EXPECT_FALSE((*tokens)->Allows(""));
}

TEST_F(TokenFileTest, ARotatedFileIsReadOnceASecondHasPassed) {
  Write("alpha\n");
  auto tokens = TokenFile::Open(path_, &clock_);
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  Write("# rotated\nbeta\n");  // another size: a different fingerprint whatever the mtime
  clock_.Advance(absl::Milliseconds(999));
  EXPECT_TRUE((*tokens)->Allows("Bearer alpha"));
  EXPECT_FALSE((*tokens)->Allows("Bearer beta"));
  clock_.Advance(absl::Milliseconds(1));
  EXPECT_TRUE((*tokens)->Allows("Bearer beta"));
  EXPECT_FALSE((*tokens)->Allows("Bearer alpha"));
}

TEST_F(TokenFileTest, AFileWithNoTokenAfterAChangeKeepsThePreviousTokens) {
  Write("alpha\n");
  auto tokens = TokenFile::Open(path_, &clock_);
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  Write("# emptied by mistake\n");
  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE((*tokens)->Allows("Bearer alpha"));
  std::remove(path_.c_str());
  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE((*tokens)->Allows("Bearer alpha"));
}

TEST_F(TokenFileTest, OpenRefusesAMissingOrEmptyFile) {
  std::remove(path_.c_str());
  EXPECT_EQ(TokenFile::Open(path_, &clock_).status().code(), absl::StatusCode::kInvalidArgument);
  Write("# nothing\n");
  EXPECT_EQ(TokenFile::Open(path_, &clock_).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace arbiter::server
