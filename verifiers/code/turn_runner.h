// Running one turn's program against a prepared task's tests through a SandboxRunner, with a
// verdict per test decided outside the sandbox (verdict.h).
//
// Stdin and function-call tests share one sandbox session (one compile, one warm interpreter).
// Assert-style tests (CodeTest.test_code) each run as their own program, the turn's program with
// the test code appended, in a session of their own, after the shared session; stop-at-first-
// failure follows that order.
//
// Thread-safety: pure apart from the runner, which is thread-safe.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "verifiers/code/code.pb.h"
#include "verifiers/code/extract.h"
#include "verifiers/code/metrics.h"
#include "verifiers/code/sandbox/runner.h"
#include "verifiers/code/task.h"
#include "verifiers/sdk/verify_context.h"

namespace arbiter::code {

// Appends one TestResult per test to `turn` (COMPILE_ERROR for the whole turn, FillTurn, when
// the program does not compile, with the diagnostics in turn.compile_output). A non-OK status is an
// infrastructure failure (the caller reports INFRA_ERROR); `turn` is then incomplete. A language
// `runner` cannot run (CanRun) is such a failure too: the server lacks the toolchain.
absl::Status RunTurn(const SandboxRunner& runner, const SandboxMetrics& metrics,
                     const PreparedCodeTask& prepared, const ExtractedProgram& program,
                     const sdk::VerifyContext& ctx, v1::CodeTurn& turn,
                     ExecutionMode default_mode = ExecutionMode::kPerCompletion);

// Decides `turn` as a whole: every one of its `num_tests` tests gets `verdict`, written in the
// compact form (turn_verdict, num_tests, and one TestResult with the verdict and `message`;
// code.proto CodeTurn.tests).
void FillTurn(v1::CodeTurn& turn, size_t num_tests, v1::TestVerdict verdict,
              const std::string& message);

}  // namespace arbiter::code
