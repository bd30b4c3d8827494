// Builds a program with its toolchain's compile step, once per distinct (step, source): the
// compiler runs in its own sandbox (or, without isolation, on the host in a build directory)
// under the compile limits of BwrapOptions, which the launcher sets as rlimits; results, failed
// ones included, go into the CompileCache.
//
// Thread-safety: Compile may be called concurrently.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "verifiers/code/sandbox/internal/compile_cache.h"
#include "verifiers/code/sandbox/internal/sandbox_command.h"
#include "verifiers/code/sandbox/scratch.h"
#include "verifiers/code/sandbox/toolchain.h"
#include "verifiers/sdk/verify_context.h"

namespace arbiter::code::internal {

class Compiler {
 public:
  Compiler(const BwrapOptions& options, const SandboxCommand& command, CompileCache& cache,
           Scratch& scratch)
      : options_(options), command_(command), cache_(cache), scratch_(scratch) {}

  // The cached or freshly built program; ok=false carries the diagnostics (the candidate's
  // compile error). UNAVAILABLE when the build directory cannot be written or is full (the
  // server's trouble); the context's status when it is done.
  // Precondition: toolchain.compile is set.
  absl::StatusOr<std::shared_ptr<const CompiledProgram>> Compile(
      const Toolchain& toolchain, const std::string& source, const sdk::VerifyContext& ctx) const;

 private:
  absl::StatusOr<std::shared_ptr<const CompiledProgram>> Build(const Toolchain& toolchain,
                                                               const std::string& material,
                                                               const std::string& source,
                                                               const sdk::VerifyContext& ctx) const;

  const BwrapOptions& options_;
  const SandboxCommand& command_;
  CompileCache& cache_;
  Scratch& scratch_;  // build directories
};

}  // namespace arbiter::code::internal
