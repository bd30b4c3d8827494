// The `code` verifier's arbiterd flags (names, defaults and help text are part of the deployed
// interface: deploy/ manifests and README.md's flag table name them) and its registration from
// them. See flags.h.
#include "verifiers/code/flags.h"

#include <cstdint>
#include <string>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "verifiers/code/register.h"
#include "verifiers/code/server_options.h"

ABSL_FLAG(std::string, sandbox_isolation, "bwrap",
          "Code sandbox: bwrap (namespaces, seccomp, rlimits, cgroups) or none (NO isolation: "
          "only for trusted programs; logged at every start).");
ABSL_FLAG(double, code_max_cpu_seconds, 12, "Cap on a code task's per-test CPU limit (seconds).");
ABSL_FLAG(double, code_max_wall_seconds, 30, "Cap on a code task's per-test wall limit (seconds).");
ABSL_FLAG(int64_t, code_max_memory_bytes, int64_t{4} << 30,
          "Cap on a code task's per-test memory limit (bytes).");
ABSL_FLAG(std::string, code_cache_dir, "",
          "Compiled C++ binary cache directory; empty = a private temporary directory.");
ABSL_FLAG(std::string, code_execution_mode, "per_completion",
          "How code tasks that do not choose run their tests: per_completion (one process per "
          "completion, a fresh one after a crash) or fresh_process (one process per test).");

namespace arbiter::code {

absl::Status RegisterCodeVerifierFromFlags(sdk::VerifierRegistry& registry) {
  absl::StatusOr<CodeVerifierOptions> options = MakeCodeVerifierOptions(
      {absl::GetFlag(FLAGS_sandbox_isolation), absl::GetFlag(FLAGS_code_max_cpu_seconds),
       absl::GetFlag(FLAGS_code_max_wall_seconds), absl::GetFlag(FLAGS_code_max_memory_bytes),
       absl::GetFlag(FLAGS_code_cache_dir), absl::GetFlag(FLAGS_code_execution_mode)});
  if (!options.ok()) return options.status();
  return RegisterCodeVerifier(registry, *std::move(options));
}

}  // namespace arbiter::code
