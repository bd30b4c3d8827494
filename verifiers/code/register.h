// Registration of the `code` verifier: sandboxed unit tests with per-test verdicts and VeRPO
// dense rewards (arXiv 2601.03525). Only RegisterCodeVerifierFromFlags (flags.h) and tests call
// this.
//
// The verifier runs programs through the SandboxRunner given in the options (the real bwrap
// runner in the server, a fake in unit tests). Per-task limits are accepted up to
// `max_limits`; an unset per-task limit takes `default_limits`.
//
// Thread-safety: call before serving, like every VerifierRegistry mutation.
#pragma once

#include <memory>

#include "absl/status/status.h"
#include "verifiers/code/sandbox/runner.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::code {

struct CodeVerifierOptions {
  // Shared because the server may hand the same runner (and its launcher process / binary
  // cache) to several consumers; never null.
  std::shared_ptr<const SandboxRunner> runner;
  // Server caps: a task asking for more than any of these is INVALID_ARGUMENT.
  RunLimits max_limits;
  // Limits used for every field a task leaves unset (must not exceed max_limits).
  RunLimits default_limits;
  // Execution mode of tasks that leave CodeTask.execution_mode unset.
  ExecutionMode default_mode = ExecutionMode::kPerCompletion;
  // Bound of the parsed-label cache shared by groups with the same ground_truth
  // (prepared_task_cache.h); 0 disables it.
  int64_t prepared_cache_bytes = int64_t{256} << 20;
};

// Registers verifier "code" (work() == kSandbox). INVALID_ARGUMENT when the runner is null or a
// default exceeds its cap; ALREADY_EXISTS when the name is taken.
absl::Status RegisterCodeVerifier(sdk::VerifierRegistry& registry, CodeVerifierOptions options);

}  // namespace arbiter::code
