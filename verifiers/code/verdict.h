// Per-test verdicts from a sandbox's raw observations, decided outside the sandbox.
//
// OK only when the program exited by itself with status 0 AND its output (stdin tests) or the
// harness-reported return value (call-based tests) matches the expected one: an exit code or
// printed text never passes a test alone, and a call-based run with no return value (sys.exit,
// os._exit, an exception) is never OK. Mapping of RawRun::Status:
//   kExited 0 + match → OK;   kExited 0, mismatch → WRONG_ANSWER (also a call-based return that
//   no JSON value equals, RawRun::unequal: a set, a generator... as the graders' `==` finds);
//   assert-style tests (CodeTest.test_code) are function-call tests of the entry that runs the
//   asserts (turn_runner.h): OK only when it returned, so an early exit(0) never passes;
//   kExited ≠ 0, or a call-based run with an error / no or unparsable return → RUNTIME_ERROR;
//   kSignaled → SIGNALED;  kCpuTimeLimit / kWallTimeLimit → TIME_LIMIT;
//   kMemoryLimit → MEMORY_LIMIT;  kOutputLimit → OUTPUT_LIMIT;  kNotRun → SKIPPED.
// COMPILE_ERROR, NO_PROGRAM and SANDBOX_ERROR are decided by the caller for a whole turn.
// CPU time, wall time, peak memory, exit code and signal are always copied.
//
// Thread-safety: pure function.
#pragma once

#include "nlohmann/json.hpp"
#include "verifiers/code/code.pb.h"
#include "verifiers/code/sandbox/runner.h"

namespace arbiter::code {

// `expected` is the parsed expected value for call-based tests (`is_call`), ignored otherwise.
v1::TestResult JudgeTest(const v1::CodeTest& test, bool is_call, const nlohmann::json& expected,
                         const RawRun& run);

}  // namespace arbiter::code
