// How a command is started in a fresh sandbox (Isolation::kBwrap: launcher + bwrap + seccomp) or,
// without isolation, on the host (launcher + `env -i`), from ONE description of what it needs:
// files bound in, environment, working directory, cgroups to join, rlimits. The two forms differ
// only in where paths are (see Place) and in the isolation layers; callers write no branch per
// mode beyond choosing paths with Place.
//
// Thread-safety: immutable after construction; all methods are const.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "verifiers/code/sandbox/bwrap_runner.h"
#include "verifiers/code/sandbox/internal/sandbox_process.h"

namespace arbiter::code::internal {

struct Launch {
  struct Bind {
    std::string host;
    std::string inside;
    bool writable = false;
  };
  struct Rlimit {
    std::string name;  // as launcher.c spells it: cpu, as, core, fsize
    int64_t soft;
    int64_t hard;
  };
  std::vector<std::string> command;
  std::vector<Bind> binds;  // ignored on the host, where the command sees host paths
  std::vector<std::pair<std::string, std::string>> env;  // beyond PATH, LANG, PYTHON* (base)
  std::string cwd;                                       // a Place(...)
  std::vector<std::string> procs_files;                  // cgroup.procs files to join first
  std::vector<Rlimit> rlimits;                           // set by the launcher before exec
};

class SandboxCommand {
 public:
  SandboxCommand(const BwrapOptions& options, std::string launcher_path, std::string seccomp_bpf)
      : options_(options),
        launcher_path_(std::move(launcher_path)),
        seccomp_bpf_(std::move(seccomp_bpf)) {}

  bool isolated() const { return options_.isolation == BwrapOptions::Isolation::kBwrap; }
  // The path the command sees for something at `host` that a sandbox binds at `inside`.
  const std::string& Place(const std::string& host, const std::string& inside) const {
    return isolated() ? inside : host;
  }
  // The full argv; in a sandbox it expects the seccomp program on fd 3.
  std::vector<std::string> Argv(const Launch& launch) const;
  // Starts it (with the seccomp program on fd 3 when isolated).
  absl::StatusOr<std::unique_ptr<SandboxProcess>> Start(const Launch& launch) const;
  const std::string& seccomp_bpf() const { return seccomp_bpf_; }

 private:
  std::vector<std::string> LauncherPrefix(const Launch& launch) const;
  std::vector<std::string> BwrapArgs(const Launch& launch) const;

  const BwrapOptions& options_;
  const std::string launcher_path_;
  const std::string seccomp_bpf_;
};

}  // namespace arbiter::code::internal
