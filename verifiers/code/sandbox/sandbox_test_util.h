// Helpers shared by the real-sandbox tests (bwrap_runner_test, tests/security): make a runner or
// skip with the reason, build requests, and observe leaks (descriptors of this process,
// processes in pid namespaces that did not exist before, leftover cgroups and cache files).
// Test-only; not thread-safe.
#pragma once

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "verifiers/code/sandbox/bwrap_runner.h"

namespace arbiter::code::testing {

inline std::vector<std::string> ListDir(const std::string& path) {
  std::vector<std::string> names;
  if (DIR* dir = opendir(path.c_str())) {
    while (dirent* e = readdir(dir)) {
      const std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    closedir(dir);
  }
  return names;
}

inline std::string ReadSmallFile(const std::string& path) {
  std::string out;
  if (FILE* f = fopen(path.c_str(), "re")) {
    char buf[4096];
    const size_t n = fread(buf, 1, sizeof buf, f);
    out.assign(buf, n);
    fclose(f);
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// Whether this machine gives sandboxes cgroups (then every sandbox process is in one).
inline bool HasCgroups() {
  return access("/sys/fs/cgroup/pids/arbiter", W_OK) == 0 ||
         access("/sys/fs/cgroup/arbiter", W_OK) == 0;
}

inline int CountOpenFds() { return static_cast<int>(ListDir("/proc/self/fd").size()); }

inline ino_t PidNamespaceOf(const std::string& pid) {
  struct stat st;
  return stat(("/proc/" + pid + "/ns/pid").c_str(), &st) == 0 ? st.st_ino : 0;
}

inline std::set<ino_t> PidNamespaces() {
  std::set<ino_t> out;
  for (const std::string& pid : ListDir("/proc")) {
    if (pid.find_first_not_of("0123456789") == std::string::npos) out.insert(PidNamespaceOf(pid));
  }
  return out;
}

// Snapshot before a session; Leftovers() after it names what survived. Waits (bounded) for the
// kernel to finish tearing pid namespaces down: the kill is synchronous, the reaping is not.
class LeakCheck {
 public:
  explicit LeakCheck(std::string cache_dir = "")
      : fds_(CountOpenFds()), namespaces_(PidNamespaces()), cache_dir_(std::move(cache_dir)) {
    // What the runner keeps for its lifetime (its forker library) was there before the session.
    if (!cache_dir_.empty()) {
      for (std::string& name : ListDir(cache_dir_)) cache_files_.insert(std::move(name));
    }
  }

  std::string Leftovers() const {
    std::string problems;
    const absl::Time until = absl::Now() + absl::Seconds(3);
    do {
      problems.clear();
      for (const std::string& pid : ListDir("/proc")) {
        if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
        const ino_t ns = PidNamespaceOf(pid);
        if (ns == 0 || namespaces_.count(ns) != 0) continue;
        // Another test binary may run sandboxes concurrently: with cgroups, only processes in
        // this process's session groups count; without, any new pid namespace does.
        const std::string cgroup = ReadSmallFile("/proc/" + pid + "/cgroup");
        if (absl::StrContains(cgroup, "/arbiter/s") &&
            !absl::StrContains(cgroup, absl::StrCat("/arbiter/s", getpid(), "_"))) {
          continue;
        }
        if (!absl::StrContains(cgroup, "/arbiter/s") && HasCgroups()) continue;
        absl::StrAppend(&problems, "process ", pid, " (", ReadSmallFile("/proc/" + pid + "/comm"),
                        "); ");
      }
      for (const char* dir : {"/sys/fs/cgroup/memory/arbiter", "/sys/fs/cgroup/pids/arbiter",
                              "/sys/fs/cgroup/arbiter"}) {
        for (const std::string& name : ListDir(dir)) {
          if (absl::StartsWith(name, absl::StrCat("s", getpid(), "_"))) {
            absl::StrAppend(&problems, "cgroup ", dir, "/", name, "; ");
          }
        }
      }
      if (!cache_dir_.empty()) {
        for (const std::string& name : ListDir(cache_dir_)) {
          if ((name.size() < 4 || name.substr(name.size() - 4) != ".bin") &&
              cache_files_.count(name) == 0) {
            absl::StrAppend(&problems, "file ", cache_dir_, "/", name, "; ");
          }
        }
      }
      // More descriptors is a leak; fewer is the runner (snapshotted alive) closing its own,
      // e.g. the cache directory's owner lock when it is destroyed.
      if (CountOpenFds() > fds_) {
        absl::StrAppend(&problems, "fds ", fds_, " -> ", CountOpenFds(), "; ");
      }
      if (problems.empty()) return problems;
      usleep(10000);
    } while (absl::Now() < until);
    return problems;
  }

 private:
  int fds_;
  std::set<ino_t> namespaces_;
  std::string cache_dir_;
  std::set<std::string> cache_files_;
};

// A private cache directory per test binary, removed when the binary exits ("" when it cannot be
// made: each runner then makes and removes its own).
inline std::string TestCacheDir() {
  static const std::string* const dir = [] {  // leaked on purpose: read by the atexit handler
    std::string templ = "/tmp/arbiter-sandbox-test-XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) return new std::string();
    std::atexit([] {
      std::error_code ec;
      if (!TestCacheDir().empty()) std::filesystem::remove_all(TestCacheDir(), ec);
    });
    return new std::string(templ);
  }();
  return *dir;
}

inline absl::StatusOr<std::unique_ptr<BwrapRunner>> MakeRunner(
    BwrapOptions::Isolation isolation = BwrapOptions::Isolation::kBwrap) {
  BwrapOptions options;
  options.isolation = isolation;
  options.cache_dir = TestCacheDir();
  return BwrapRunner::Create(options);
}

// The execution mode the real-sandbox suites run in: ARBITER_TEST_EXECUTION_MODE=per_completion
// selects kPerCompletion (ctest registers the isolation suite once per mode).
inline ExecutionMode TestMode() {
  const char* mode = std::getenv("ARBITER_TEST_EXECUTION_MODE");
  return mode != nullptr && std::string(mode) == "per_completion" ? ExecutionMode::kPerCompletion
                                                                  : ExecutionMode::kFreshProcess;
}

// Processes a test sees in the sandbox when it runs: the supervisor, the forker (fresh-process
// mode only) and itself.
inline int HarnessProcesses() { return TestMode() == ExecutionMode::kPerCompletion ? 2 : 3; }

inline SessionRequest Python(std::string program, int tests = 1,
                             const std::string& stdin_data = "") {
  SessionRequest request;
  request.mode = TestMode();
  request.program = std::move(program);
  request.tests.resize(tests);
  for (TestInput& t : request.tests) t.stdin_data = stdin_data;
  return request;
}

inline SessionRequest Call(std::string program, std::string fn, std::string args) {
  SessionRequest request = Python(std::move(program));
  request.tests[0].fn_name = std::move(fn);
  request.tests[0].args_json = std::move(args);
  return request;
}

// Why this machine cannot run bubblewrap sandboxes at all (empty when it can). Only these
// environmental reasons skip a test; a runner that fails to start otherwise FAILS it.
inline std::string SandboxUnavailableReason() {
  if (access("/usr/bin/bwrap", X_OK) != 0) return "/usr/bin/bwrap is not installed";
  if (access("/usr/bin/python3", X_OK) != 0) return "/usr/bin/python3 is not installed";
  const int rc = std::system(
      "/usr/bin/bwrap --unshare-all --uid 65534 --gid 65534 --ro-bind /usr /usr "
      "--symlink usr/lib64 /lib64 --symlink usr/lib /lib /usr/bin/true >/dev/null 2>&1");
  if (rc != 0) return "bwrap cannot create user/pid/net namespaces here (kernel or policy refuses)";
  return "";
}

}  // namespace arbiter::code::testing

// Skips (with the reason printed) when this machine cannot run the real sandbox; fails the test
// when it could but the runner does not start.
// runner_var names the variable declared: it cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define ARBITER_REQUIRE_SANDBOX(runner_var)                                            \
  if (const std::string reason = ::arbiter::code::testing::SandboxUnavailableReason(); \
      !reason.empty()) {                                                               \
    GTEST_SKIP() << "sandbox unavailable: " << reason;                                 \
  }                                                                                    \
  auto runner_var##_or = ::arbiter::code::testing::MakeRunner();                       \
  ASSERT_TRUE(runner_var##_or.ok()) << runner_var##_or.status();                       \
  std::unique_ptr<::arbiter::code::BwrapRunner> runner_var = *std::move(runner_var##_or)
// NOLINTEND(bugprone-macro-parentheses)
