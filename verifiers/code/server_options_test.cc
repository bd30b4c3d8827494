#include "verifiers/code/server_options.h"

#include "gtest/gtest.h"
#include "verifiers/code/sandbox/sandbox_test_util.h"

namespace arbiter::code {
namespace {

TEST(MakeCodeVerifierOptions, RejectsUnknownIsolationAndBadCaps) {
  CodeServerConfig config;
  config.sandbox_isolation = "docker";
  EXPECT_EQ(MakeCodeVerifierOptions(config).status().code(), absl::StatusCode::kInvalidArgument);
  config.sandbox_isolation = "bwrap";
  config.max_cpu_seconds = 0;
  EXPECT_EQ(MakeCodeVerifierOptions(config).status().code(), absl::StatusCode::kInvalidArgument);
  config.max_cpu_seconds = 1;
  config.max_memory_bytes = -1;
  EXPECT_EQ(MakeCodeVerifierOptions(config).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(MakeCodeVerifierOptions, CapsBelowTheDefaultsLowerTheDefaults) {
  if (const std::string reason = testing::SandboxUnavailableReason(); !reason.empty()) {
    GTEST_SKIP() << "sandbox unavailable: " << reason;
  }
  CodeServerConfig config;
  config.max_cpu_seconds = 1;
  config.max_memory_bytes = int64_t{128} << 20;
  auto options = MakeCodeVerifierOptions(config);
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_NE(options->runner, nullptr);
  EXPECT_EQ(options->max_limits.cpu, absl::Seconds(1));
  EXPECT_EQ(options->default_limits.cpu, absl::Seconds(1));
  EXPECT_EQ(options->default_limits.wall, absl::Seconds(5));
  EXPECT_EQ(options->default_limits.memory_bytes, int64_t{128} << 20);
  sdk::VerifierRegistry registry;
  EXPECT_TRUE(RegisterCodeVerifier(registry, *std::move(options)).ok());
}

}  // namespace
}  // namespace arbiter::code
