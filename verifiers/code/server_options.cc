#include "verifiers/code/server_options.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "absl/strings/str_cat.h"
#include "verifiers/code/sandbox/bwrap_runner.h"
#include "verifiers/sdk/status_macros.h"

namespace arbiter::code {

absl::StatusOr<CodeVerifierOptions> MakeCodeVerifierOptions(const CodeServerConfig& config) {
  BwrapOptions bwrap;
  if (config.sandbox_isolation == "bwrap") {
    bwrap.isolation = BwrapOptions::Isolation::kBwrap;
  } else if (config.sandbox_isolation == "none") {
    bwrap.isolation = BwrapOptions::Isolation::kNone;
  } else {
    return absl::InvalidArgumentError(absl::StrCat("--sandbox_isolation=", config.sandbox_isolation,
                                                   " is not one of: bwrap, none"));
  }
  for (double cap : {config.max_cpu_seconds, config.max_wall_seconds}) {
    if (!std::isfinite(cap) || cap <= 0) {
      return absl::InvalidArgumentError(
          "--code_max_cpu_seconds and --code_max_wall_seconds "
          "must be positive");
    }
  }
  if (config.max_memory_bytes <= 0) {
    return absl::InvalidArgumentError("--code_max_memory_bytes must be positive");
  }
  ExecutionMode mode;
  if (config.execution_mode == "per_completion") {
    mode = ExecutionMode::kPerCompletion;
  } else if (config.execution_mode == "fresh_process") {
    mode = ExecutionMode::kFreshProcess;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--code_execution_mode=", config.execution_mode,
                     " is not one of: per_completion, fresh_process"));
  }
  bwrap.cache_dir = config.cache_dir;
  ARBITER_ASSIGN_OR_RETURN(std::unique_ptr<BwrapRunner> runner, BwrapRunner::Create(bwrap));
  runner->LogIsolationMode();

  CodeVerifierOptions options;
  options.max_limits.cpu = absl::Seconds(config.max_cpu_seconds);
  options.max_limits.wall = absl::Seconds(config.max_wall_seconds);
  options.max_limits.memory_bytes = config.max_memory_bytes;
  options.default_limits.cpu = std::min(options.default_limits.cpu, options.max_limits.cpu);
  options.default_limits.wall = std::min(options.default_limits.wall, options.max_limits.wall);
  options.default_limits.memory_bytes =
      std::min(options.default_limits.memory_bytes, options.max_limits.memory_bytes);
  options.default_mode = mode;
  options.runner = std::move(runner);
  return options;
}

}  // namespace arbiter::code
