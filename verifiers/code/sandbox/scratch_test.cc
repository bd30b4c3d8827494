// Scratch space: the real DiskScratch, and the runner's behaviour when it fails (FaultyScratch):
// a full or unwritable disk is the server's trouble (UNAVAILABLE), never the program's compile
// error.
#include "verifiers/code/sandbox/scratch.h"

#include <sys/stat.h>
#include <unistd.h>

#include "gtest/gtest.h"
#include "verifiers/code/sandbox/sandbox_test_util.h"

namespace arbiter::code {
namespace {

TEST(DiskScratch, MakesPrivateDirectoriesWritesFilesOnceAndRemovesThem) {
  const std::string root = testing::TestCacheDir();
  ASSERT_FALSE(root.empty());
  DiskScratch scratch(root);
  auto dir = scratch.NewDir();
  ASSERT_TRUE(dir.ok()) << dir.status();
  auto other = scratch.NewDir();
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_NE(*dir, *other);
  const std::string file = *dir + "/main.cpp";
  ASSERT_TRUE(scratch.WriteFile(file, "int main() {}").ok());
  EXPECT_EQ(testing::ReadSmallFile(file), "int main() {}");
  EXPECT_EQ(scratch.WriteFile(file, "again").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(scratch.WriteFile(*dir + "/no/such/dir", "x").code(), absl::StatusCode::kUnavailable);
  EXPECT_GT(scratch.FreeBytes(*dir), 0);
  scratch.Remove(*dir);
  scratch.Remove(*other);
  EXPECT_NE(access(dir->c_str(), F_OK), 0);
}

class ScratchFailure : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string reason = testing::SandboxUnavailableReason(); !reason.empty()) {
      GTEST_SKIP() << "sandbox unavailable: " << reason;
    }
    scratch_ =
        std::make_shared<FaultyScratch>(std::make_shared<DiskScratch>(testing::TestCacheDir()));
    BwrapOptions options;
    options.cache_dir = testing::TestCacheDir();
    options.scratch = scratch_;
    auto runner = BwrapRunner::Create(options);
    ASSERT_TRUE(runner.ok()) << runner.status();
    runner_ = *std::move(runner);
  }

  absl::StatusOr<SessionResult> Compile(const std::string& program) {
    SessionRequest request;
    request.language = Language::kCpp;
    request.program = program;
    request.tests.resize(1);
    return runner_->RunSession(request, sdk::VerifyContext{}, nullptr);
  }

  std::shared_ptr<FaultyScratch> scratch_;
  std::unique_ptr<BwrapRunner> runner_;
};

TEST_F(ScratchFailure, UnwritableScratchIsUnavailableNotACompileError) {
  scratch_->fail_writes = true;
  auto result = Compile("int main() { return 0; }\n");
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable) << result.status();
}

TEST_F(ScratchFailure, NoDirectoryIsUnavailable) {
  scratch_->fail_new_dir = true;
  auto result = Compile("int main() { return 1; }\n");
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable) << result.status();
}

TEST_F(ScratchFailure, FailedBuildOnAFullDiskIsUnavailableButOnASpaciousOneACompileError) {
  const std::string broken = "int main( {\n";
  scratch_->free_bytes = 0;
  auto full = Compile(broken);
  EXPECT_EQ(full.status().code(), absl::StatusCode::kUnavailable) << full.status();
  EXPECT_NE(full.status().message().find("full"), std::string::npos) << full.status();
  scratch_->free_bytes = -1;
  auto spacious = Compile(broken + "\n");  // another program: the first failure was not cached
  ASSERT_TRUE(spacious.ok()) << spacious.status();
  EXPECT_FALSE(spacious->compiled);
}

}  // namespace
}  // namespace arbiter::code
