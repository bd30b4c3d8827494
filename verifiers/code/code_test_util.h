// Shared by the code verifier's tests that run the real sandbox: a CodeVerifier over a
// BwrapRunner with small default limits (fast failures) and no caps beyond the defaults.
#pragma once

#include <memory>
#include <utility>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "verifiers/code/code_verifier.h"
#include "verifiers/code/sandbox/bwrap_runner.h"

namespace arbiter::code::testing {

inline std::unique_ptr<CodeVerifier> MakeSandboxedVerifier(std::unique_ptr<BwrapRunner> runner,
                                                           absl::Duration cpu,
                                                           absl::Duration wall) {
  RunLimits defaults;
  defaults.cpu = cpu;
  defaults.wall = wall;
  defaults.memory_bytes = int64_t{256} << 20;
  defaults.max_processes = 32;
  defaults.max_stdout_bytes = int64_t{64} << 10;
  auto verifier = CodeVerifier::Create({std::move(runner), RunLimits(), defaults});
  EXPECT_TRUE(verifier.ok()) << verifier.status();
  return verifier.ok() ? *std::move(verifier) : nullptr;
}

}  // namespace arbiter::code::testing
