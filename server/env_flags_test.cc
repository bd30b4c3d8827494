// Precedence flag > environment > default, with flags defined here (arbiterd's are the same
// mechanism over its own flags).
#include "server/env_flags.h"

#include <map>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

ABSL_FLAG(std::string, envtest_address, "default:1", "test flag");
ABSL_FLAG(int, envtest_threads, 3, "test flag");
ABSL_FLAG(absl::Duration, envtest_deadline, absl::Seconds(60), "test flag");

namespace arbiter::server {
namespace {

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

const std::vector<std::string> kFlags = {"envtest_address", "envtest_deadline", "envtest_threads"};

void ResetFlags() {
  absl::SetFlag(&FLAGS_envtest_address, "default:1");
  absl::SetFlag(&FLAGS_envtest_threads, 3);
  absl::SetFlag(&FLAGS_envtest_deadline, absl::Seconds(60));
}

TEST(EnvName, IsArbiterPrefixedUpperSnakeCase) {
  EXPECT_EQ(EnvName("max_deadline"), "ARBITER_MAX_DEADLINE");
}

TEST(FlagsDefinedIn, ListsTheFlagsOfOneFileSorted) {
  EXPECT_EQ(FlagsDefinedIn([](absl::string_view file) {
              return absl::EndsWith(file, "server/env_flags_test.cc");
            }),
            kFlags);
}

TEST(IsArbiterdFlagFile, IsMainAndEveryVerifierFoldersFlagsFile) {
  EXPECT_TRUE(IsArbiterdFlagFile("/src/arbiter/server/main.cc"));
  EXPECT_TRUE(IsArbiterdFlagFile("server/main.cc"));
  EXPECT_TRUE(IsArbiterdFlagFile("/src/arbiter/verifiers/code/flags.cc"));
  EXPECT_TRUE(IsArbiterdFlagFile("verifiers/math/flags.cc"));
  EXPECT_TRUE(IsArbiterdFlagFile("../verifiers/code/flags.cc"));  // as Ninja names it
  EXPECT_FALSE(IsArbiterdFlagFile("/src/arbiter/client/cli/flags.cc"));
  EXPECT_FALSE(IsArbiterdFlagFile("/src/arbiter/verifiers/code/sandbox/flags.cc"));
  EXPECT_FALSE(IsArbiterdFlagFile("/src/arbiter/verifiers/flags.cc"));
  EXPECT_FALSE(IsArbiterdFlagFile("/src/arbiter/server/env_flags_test.cc"));
  EXPECT_FALSE(IsArbiterdFlagFile("/usr/src/grpc/main.cc"));
}

TEST(ApplyEnvironment, EnvironmentBeatsDefaultAndUnsetKeepsDefault) {
  ResetFlags();
  ASSERT_TRUE(ApplyEnvironment(kFlags, FakeEnv({{"ARBITER_ENVTEST_THREADS", "8"},
                                                {"ARBITER_ENVTEST_DEADLINE", "2m"}}))
                  .ok());
  EXPECT_EQ(absl::GetFlag(FLAGS_envtest_threads), 8);
  EXPECT_EQ(absl::GetFlag(FLAGS_envtest_deadline), absl::Minutes(2));
  EXPECT_EQ(absl::GetFlag(FLAGS_envtest_address), "default:1");
}

TEST(ApplyEnvironment, CommandLineFlagBeatsEnvironment) {
  ResetFlags();
  ASSERT_TRUE(ApplyEnvironment(kFlags, FakeEnv({{"ARBITER_ENVTEST_ADDRESS", "env:2"},
                                                {"ARBITER_ENVTEST_THREADS", "8"}}))
                  .ok());
  const char* argv[] = {"prog", "--envtest_address=flag:3"};
  absl::ParseCommandLine(2, const_cast<char**>(argv));
  EXPECT_EQ(absl::GetFlag(FLAGS_envtest_address), "flag:3");
  EXPECT_EQ(absl::GetFlag(FLAGS_envtest_threads), 8);
}

TEST(ApplyEnvironment, MalformedValueNamesTheVariableAndLeavesTheFlag) {
  ResetFlags();
  absl::Status status = ApplyEnvironment(kFlags, FakeEnv({{"ARBITER_ENVTEST_THREADS", "many"}}));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("ARBITER_ENVTEST_THREADS='many'"), absl::string_view::npos);
  EXPECT_NE(status.message().find("--envtest_threads"), absl::string_view::npos);
  EXPECT_EQ(absl::GetFlag(FLAGS_envtest_threads), 3);
}

TEST(ApplyEnvironment, UnknownFlagIsNotFound) {
  EXPECT_EQ(ApplyEnvironment({"no_such_flag"}, FakeEnv({})).code(), absl::StatusCode::kNotFound);
}

TEST(FlagValues, RendersCurrentValues) {
  ResetFlags();
  EXPECT_EQ(FlagValues({"envtest_threads", "envtest_deadline"}),
            (std::vector<std::string>{"envtest_threads=3", "envtest_deadline=1m"}));
}

}  // namespace
}  // namespace arbiter::server
