#include "verifiers/code/sandbox/internal/compile_cache.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace arbiter::code::internal {
namespace {

namespace fs = std::filesystem;

class CompileCacheDirs : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "cache-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    root_ = templ;
  }
  void TearDown() override { RemoveTree(root_); }

  static void Touch(const fs::path& path) { std::ofstream(path) << "x"; }
  std::string root_;
};

TEST_F(CompileCacheDirs, PrivateDirsOfDeadServersAreRemovedAtStart) {
  const fs::path dead = fs::path(root_) / "arbiter-cxx-cache-dead01";
  const fs::path live = fs::path(root_) / "arbiter-cxx-cache-live01";
  const fs::path unknown = fs::path(root_) / "arbiter-cxx-cache-nolock";
  for (const fs::path& dir : {dead, live, unknown}) {
    fs::create_directory(dir);
    Touch(dir / "launcher-abc123");
  }
  Touch(dead / ".owner.lock");
  Touch(live / ".owner.lock");
  // A live owner holds its lock (another open file description, as another process would).
  const int held = open((live / ".owner.lock").c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(held, 0);
  ASSERT_EQ(flock(held, LOCK_EX | LOCK_NB), 0);

  ASSERT_EQ(setenv("TMPDIR", root_.c_str(), 1), 0);
  auto cache = CompileCache::Create("", 1 << 20);
  ASSERT_TRUE(cache.ok()) << cache.status();
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(live / "launcher-abc123"));
  EXPECT_TRUE(fs::exists(unknown / "launcher-abc123"));  // not provably ours: left alone
  EXPECT_TRUE(fs::exists((*cache)->dir() + "/.owner.lock"));

  // The new cache's own directory is locked: a second server starting now must keep it.
  auto second = CompileCache::Create("", 1 << 20);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(fs::exists((*cache)->dir()));
  close(held);
  unsetenv("TMPDIR");
}

TEST_F(CompileCacheDirs, AChosenDirectoryLosesAnEarlierOwnersLeftovers) {
  const fs::path dir = fs::path(root_) / "chosen";
  fs::create_directory(dir);
  fs::create_directory(dir / "build-x1y2z3");
  for (const char* name : {"forker-abc123.so", "launcher-def456", "7.bin", "notes.txt"}) {
    Touch(dir / name);
  }
  auto cache = CompileCache::Create(dir.string(), 1 << 20);
  ASSERT_TRUE(cache.ok()) << cache.status();
  EXPECT_FALSE(fs::exists(dir / "build-x1y2z3"));
  EXPECT_FALSE(fs::exists(dir / "forker-abc123.so"));
  EXPECT_FALSE(fs::exists(dir / "launcher-def456"));
  EXPECT_FALSE(fs::exists(dir / "7.bin"));
  EXPECT_TRUE(fs::exists(dir / "notes.txt"));  // not ours

  // While it lives, a second server on the same directory removes nothing of it.
  Touch(dir / "launcher-live99");
  auto second = CompileCache::Create(dir.string(), 1 << 20);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(fs::exists(dir / "launcher-live99"));
}

}  // namespace
}  // namespace arbiter::code::internal
