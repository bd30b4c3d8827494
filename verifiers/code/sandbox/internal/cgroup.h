// Per-session cgroups (memory and pids controllers) where the machine offers writable ones.
//
// Detection at Create(): cgroup v2 when /sys/fs/cgroup/cgroup.controllers exists (a parent
// "arbiter" group is made under the v2 root and needs the memory and pids controllers delegated),
// v1 when /sys/fs/cgroup/memory and /sys/fs/cgroup/pids exist (parents "arbiter" in each). When
// neither is writable the manager is disabled: sessions rely on rlimits only, and Create logs ONE
// warning saying so. A session's processes join its group through ProcsFiles(): the launcher
// writes its own pid into each file before exec'ing bwrap, so every sandbox process is inside
// from its first instruction.
//
// Thread-safety: CgroupManager is thread-safe; a SessionCgroup belongs to one session.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace arbiter::code::internal {

enum class CgroupMode { kNone, kV1, kV2 };

class SessionCgroup {
 public:
  ~SessionCgroup();  // kills what is left inside and removes the group
  // cgroup.procs files the launcher must write its pid into.
  const std::vector<std::string>& ProcsFiles() const { return procs_files_; }
  // Times the memory limit was hit so far (v1 memory.failcnt / v2 memory.events oom_kill).
  int64_t MemoryLimitHits() const;
  void KillAll() const;

 private:
  friend class CgroupManager;
  CgroupMode mode_ = CgroupMode::kNone;
  std::vector<std::string> dirs_;
  std::vector<std::string> procs_files_;
  std::string memory_dir_;
};

class CgroupManager {
 public:
  // Never fails: a machine without usable cgroups yields a disabled manager (mode() == kNone).
  static std::unique_ptr<CgroupManager> Create(bool enabled);

  CgroupMode mode() const { return mode_; }
  std::string Describe() const;

  // A new group limited to `memory_bytes` (memory + swap where supported) and `max_pids`.
  // UNAVAILABLE when the group cannot be made (the caller degrades to rlimits for this session).
  absl::StatusOr<std::unique_ptr<SessionCgroup>> NewSession(int64_t memory_bytes,
                                                            int max_pids) const;

 private:
  CgroupMode mode_ = CgroupMode::kNone;
  std::string memory_parent_;  // v1: .../memory/arbiter; v2: the arbiter group
  std::string pids_parent_;    // v1 only
};

}  // namespace arbiter::code::internal
