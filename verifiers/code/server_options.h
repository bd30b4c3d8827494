// Builds the `code` verifier's options for the server from its flag values: the real
// BwrapRunner (or the unisolated runner behind an explicit flag) and the limit caps. Only
// RegisterCodeVerifierFromFlags (flags.h, which defines the flags) and tests call this.
//
// Thread-safety: call once at start-up.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "verifiers/code/register.h"

namespace arbiter::code {

struct CodeServerConfig {
  // "bwrap" (default: namespaces + seccomp + rlimits + cgroups) or "none" (no isolation; only
  // ever by explicit choice, and logged loudly at every start).
  std::string sandbox_isolation = "bwrap";
  // Caps on per-task limits. The per-test defaults (2 s CPU, 5 s wall, 512 MiB) are lowered to a
  // cap when the cap is smaller.
  double max_cpu_seconds = 12;  // TACO/DeepCoder's per-test budget
  double max_wall_seconds = 30;
  int64_t max_memory_bytes = int64_t{4} << 30;  // TACO/DeepCoder's memory budget
  // Compiled C++ binary cache; empty = a private temporary directory removed at exit.
  std::string cache_dir;
  // Execution mode of tasks that do not choose one: "per_completion" (default) or "fresh_process"
  // (sandbox/README.md "Execution modes").
  std::string execution_mode = "per_completion";
};

// INVALID_ARGUMENT for an unknown isolation mode or a non-positive cap; FAILED_PRECONDITION when
// the sandbox cannot start on this machine (the message says why). Logs the isolation mode.
absl::StatusOr<CodeVerifierOptions> MakeCodeVerifierOptions(const CodeServerConfig& config);

}  // namespace arbiter::code
