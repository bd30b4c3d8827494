// TokenFile: who may call, and rotation of the token file timed on a fake clock (no sleeps).
#include "server/auth.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "verifiers/sdk/testing/fake_clock.h"

namespace arbiter::server {
namespace {

class TokenFileTest : public ::testing::Test {
 protected:
  void TearDown() override { std::remove(path_.c_str()); }
  void Write(const std::string& text) {
    std::ofstream out(path_, std::ios::trunc);
    out << text;
  }
  // The token file holding `text`, on the fake clock; null (and a test failure) when refused.
  std::unique_ptr<TokenFile> Open(const std::string& text) {
    Write(text);
    absl::StatusOr<std::unique_ptr<TokenFile>> tokens = TokenFile::Open(path_, &clock_);
    EXPECT_TRUE(tokens.ok()) << tokens.status();
    return tokens.ok() ? *std::move(tokens) : nullptr;
  }

  const std::string path_ = absl::StrCat(::testing::TempDir(), "/auth_test_tokens.", getpid());
  sdk::FakeClock clock_;
};

TEST_F(TokenFileTest, AllowsOnlyBearerTokensOfTheFile) {
  const std::unique_ptr<TokenFile> tokens = Open("# comment\n\n  alpha  \nbeta\n");
  ASSERT_NE(tokens, nullptr);
  EXPECT_TRUE(tokens->Allows("Bearer alpha"));
  EXPECT_TRUE(tokens->Allows("bearer beta"));
  EXPECT_FALSE(tokens->Allows("Bearer gamma"));
  EXPECT_FALSE(tokens->Allows("Bearer # comment"));
  EXPECT_FALSE(tokens->Allows("Basic alpha"));
  EXPECT_FALSE(tokens->Allows("Bearer "));
  EXPECT_FALSE(tokens->Allows(""));
}

TEST_F(TokenFileTest, ARotatedFileIsReadOnceASecondHasPassed) {
  const std::unique_ptr<TokenFile> tokens = Open("alpha\n");
  ASSERT_NE(tokens, nullptr);
  Write("# rotated\nbeta\n");  // another size: a different fingerprint whatever the mtime
  clock_.Advance(absl::Milliseconds(999));
  EXPECT_TRUE(tokens->Allows("Bearer alpha"));
  EXPECT_FALSE(tokens->Allows("Bearer beta"));
  clock_.Advance(absl::Milliseconds(1));
  EXPECT_TRUE(tokens->Allows("Bearer beta"));
  EXPECT_FALSE(tokens->Allows("Bearer alpha"));
}

TEST_F(TokenFileTest, AFileWithNoTokenAfterAChangeKeepsThePreviousTokens) {
  const std::unique_ptr<TokenFile> tokens = Open("alpha\n");
  ASSERT_NE(tokens, nullptr);
  Write("# emptied by mistake\n");
  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE(tokens->Allows("Bearer alpha"));
  std::remove(path_.c_str());
  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE(tokens->Allows("Bearer alpha"));
}

TEST_F(TokenFileTest, OpenRefusesAMissingOrEmptyFile) {
  std::remove(path_.c_str());
  EXPECT_EQ(TokenFile::Open(path_, &clock_).status().code(), absl::StatusCode::kInvalidArgument);
  Write("# nothing\n");
  EXPECT_EQ(TokenFile::Open(path_, &clock_).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace arbiter::server
