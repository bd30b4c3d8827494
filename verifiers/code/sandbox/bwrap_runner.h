// The real SandboxRunner: bubblewrap (user, pid, net, ipc, uts, cgroup namespaces; read-only
// root holding only /usr and its symlinks; size-capped tmpfs /work and /dev/shm; uid 65534;
// cleared environment; new session; die-with-parent; no capabilities) + a seccomp deny-list +
// rlimits per test + per-session cgroups where writable. One session = one sandbox with a warm
// Python harness (harness/) that forks a fresh child per test. See README.md for the layers,
// the harness protocol and the trust model.
//
// Languages are data (toolchain.h): compiled ones are built once per distinct (compile step,
// source), inside their own sandbox, and cached by content (bounded by bytes; a hit compares the
// full source, so hash collisions cannot swap binaries).
//
// Isolation::kNone runs the same harness directly on the host (no namespaces, no seccomp; rlimits
// and process-group kills only). The server enables it only behind an explicit flag; call
// LogIsolationMode() at every start.
//
// Thread-safety: RunSession may be called concurrently (the caller bounds concurrency).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "verifiers/code/sandbox/runner.h"
#include "verifiers/code/sandbox/scratch.h"

namespace arbiter::code {

namespace internal {
class CgroupManager;
class CompileCache;
class Compiler;
class SandboxCommand;
}  // namespace internal

struct BwrapOptions {
  enum class Isolation { kBwrap, kNone };
  Isolation isolation = Isolation::kBwrap;
  std::string bwrap_path = "/usr/bin/bwrap";
  // When the server runs as root, bwrap is started (by the launcher, launcher.c) as this
  // unprivileged host uid/gid, so the sandbox's uid 65534 maps to an unprivileged host user
  // instead of host root (as root, a namespaced uid would pass DAC checks on host-root-owned
  // kernel files such as /proc/sys/kernel/core_pattern).
  int host_uid = 65534;
  int host_gid = 65534;
  std::string python_path = "/usr/bin/python3";
  std::string cxx_path = "/usr/bin/g++";
  // As Codeforces and AtCoder compile C++ (GNU dialect, -O2, ONLINE_JUDGE defined).
  std::vector<std::string> cxx_flags = {"-std=gnu++17", "-O2", "-pipe", "-DONLINE_JUDGE"};
  // Host paths bound read-only at the same place (must exist); /usr and the /bin, /lib, /lib64,
  // /sbin symlinks are always there.
  std::vector<std::string> extra_ro_binds;
  // Size caps of the writable tmpfs mounts (bytes).
  int64_t work_tmpfs_bytes = int64_t{64} << 20;
  int64_t shm_tmpfs_bytes = int64_t{16} << 20;
  // Per-session cgroups (memory + pids) when writable; otherwise rlimits only, one warning.
  bool use_cgroups = true;
  // Compiled-binary cache: directory (empty = a private directory under $TMPDIR or /tmp, removed
  // with the runner) and its byte bound.
  std::string cache_dir;
  int64_t cache_max_bytes = int64_t{256} << 20;
  // Limits of one compilation.
  absl::Duration compile_cpu = absl::Seconds(20);
  absl::Duration compile_wall = absl::Seconds(40);
  int64_t compile_memory_bytes = int64_t{1} << 30;
  // How long past a test's wall limit we wait for the harness before treating it as hung.
  absl::Duration harness_grace = absl::Seconds(5);
  // Host scratch space (build and unisolated work directories); null = a DiskScratch in the
  // cache directory. Tests pass a FaultyScratch.
  std::shared_ptr<Scratch> scratch;
};

class BwrapRunner : public SandboxRunner {
 public:
  // FAILED_PRECONDITION when bwrap or the interpreter is missing or a probe sandbox cannot start
  // (e.g. user namespaces disabled): the message says which.
  static absl::StatusOr<std::unique_ptr<BwrapRunner>> Create(BwrapOptions options);
  ~BwrapRunner() override;

  absl::StatusOr<SessionResult> RunSession(const SessionRequest& request,
                                           const sdk::VerifyContext& ctx,
                                           const TestCallback& on_test) const override;
  // OK when the language's toolchain (toolchain.h) is installed on this host.
  absl::Status CanRun(Language language) const override;

  // One log line naming the isolation mode and its layers (loud when kNone). The server calls
  // it at every start.
  void LogIsolationMode() const;
  std::string DescribeIsolation() const;
  // The full command line (launcher + bwrap + flags) that runs `command` in a fresh sandbox
  // exactly as sessions do; it expects the seccomp program on fd 3 (see SeccompProgram()).
  // For benchmarks and debugging.
  std::vector<std::string> SandboxCommand(const std::vector<std::string>& command) const;
  const std::string& SeccompProgram() const;
  const BwrapOptions& options() const { return options_; }

 private:
  explicit BwrapRunner(BwrapOptions options);
  absl::Status Probe() const;

  BwrapOptions options_;
  std::string forker_path_;  // the forker library, written at Create (bound at /arbiter/forker.so)
  std::string launcher_path_;  // the launcher, written at Create
  std::unique_ptr<internal::CgroupManager> cgroups_;
  std::unique_ptr<internal::CompileCache> cache_;
  std::unique_ptr<internal::SandboxCommand> command_;
  std::unique_ptr<internal::Compiler> compiler_;
};

}  // namespace arbiter::code
