#include "client/cli/flags.h"

#include <cstdlib>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace arbiter::client::cli {
namespace {

using ::testing::HasSubstr;

struct Fixture {
  std::string server = "127.0.0.1:50051";
  int64_t batch = 64;
  double p = 0;
  bool progress = false;
  absl::Duration deadline = absl::Seconds(60);
  FlagSet flags{"score", "arbiter score ...", "Scores things.", "  arbiter score --input=x"};
  Fixture() {
    flags.String("server", &server, "address");
    flags.Int("batch_groups", &batch, "groups per RPC");
    flags.Double("p", &p, "a number");
    flags.Bool("progress", &progress, "show progress");
    flags.Duration("deadline", &deadline, "deadline");
  }
};

TEST(Flags, ParsesEveryForm) {
  Fixture f;
  ASSERT_TRUE(f.flags
                  .Parse({"--server=h:1", "--batch_groups", "8", "--p=0.5", "--progress",
                          "--deadline=1.5s", "pos"})
                  .ok());
  EXPECT_EQ(f.server, "h:1");
  EXPECT_EQ(f.batch, 8);
  EXPECT_EQ(f.p, 0.5);
  EXPECT_TRUE(f.progress);
  EXPECT_EQ(f.deadline, absl::Milliseconds(1500));
  EXPECT_THAT(f.flags.positional(), ::testing::ElementsAre("pos"));
}

TEST(Flags, BareNumberDurationIsSecondsAndNoPrefixNegatesBool) {
  Fixture f;
  f.progress = true;
  ASSERT_TRUE(f.flags.Parse({"--deadline=30", "--noprogress"}).ok());
  EXPECT_EQ(f.deadline, absl::Seconds(30));
  EXPECT_FALSE(f.progress);
}

TEST(Flags, RejectsUnknownFlagAndBadValue) {
  Fixture f;
  const absl::Status unknown = f.flags.Parse({"--sever=x"});
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unknown.message()), HasSubstr("--sever"));
  Fixture g;
  const absl::Status bad = g.flags.Parse({"--batch_groups=many"});
  EXPECT_THAT(std::string(bad.message()), HasSubstr("integer"));
  Fixture h;
  EXPECT_FALSE(h.flags.Parse({"--batch_groups"}).ok());
}

TEST(Flags, HelpWinsAndUsageTeaches) {
  Fixture f;
  ASSERT_TRUE(f.flags.Parse({"--bogus", "--help"}).ok());
  EXPECT_TRUE(f.flags.help());
  const std::string usage = f.flags.Usage();
  EXPECT_THAT(usage, HasSubstr("usage: arbiter score"));
  EXPECT_THAT(usage, HasSubstr("--batch_groups"));
  EXPECT_THAT(usage, HasSubstr("(default: 64)"));
  EXPECT_THAT(usage, HasSubstr("example:\n  arbiter score --input=x"));
}

TEST(Flags, DefaultServerFollowsEnvironment) {
  unsetenv("ARBITER_SERVER");
  EXPECT_EQ(DefaultServer(), "127.0.0.1:50051");
  setenv("ARBITER_SERVER", "127.0.0.1:7000", 1);
  EXPECT_EQ(DefaultServer(), "127.0.0.1:7000");
  unsetenv("ARBITER_SERVER");
}

}  // namespace
}  // namespace arbiter::client::cli
