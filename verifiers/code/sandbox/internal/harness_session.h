// One running harness (see harness/ and README "Harness protocol"): a sandbox started for one
// program, told its run step and limits, then asked for one test at a time. The server side of
// the protocol lives here and nowhere else.
//
// Thread-safety: one thread at a time. The destructor kills the sandbox and removes its cgroup
// and (without isolation) its work directory.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "verifiers/code/sandbox/internal/cgroup.h"
#include "verifiers/code/sandbox/internal/compile_cache.h"
#include "verifiers/code/sandbox/internal/sandbox_command.h"
#include "verifiers/code/sandbox/runner.h"
#include "verifiers/code/sandbox/scratch.h"
#include "verifiers/code/sandbox/toolchain.h"

namespace arbiter::code::internal {

// What a session needs from the runner that owns it.
struct HarnessEnvironment {
  const BwrapOptions& options;
  const SandboxCommand& command;
  CgroupManager& cgroups;
  Scratch& scratch;  // the host work directory without isolation
  std::string forker_path;
};

class HarnessSession {
 public:
  // Starts a sandbox for `program` run by `toolchain` (`artifact`: the compiled program's host
  // path, empty for interpreted languages) in `mode`, announcing `tests` tests. UNAVAILABLE with
  // the harness's stderr when it does not become ready; the context's status when it is done.
  static absl::StatusOr<std::unique_ptr<HarnessSession>> Start(
      const HarnessEnvironment& env, const Toolchain& toolchain, const std::string& program,
      const std::string& artifact, const RunLimits& limits, ExecutionMode mode, size_t tests,
      const sdk::VerifyContext& ctx);
  ~HarnessSession();

  struct Outcome {
    RawRun run;
    // The remaining tests need a fresh session: the harness was lost (this test broke it) or
    // asked to retire (this test changed its limits). This test's result stands.
    bool restart = false;
  };
  // Runs one test. Non-OK when the context is done (its status) or when the sandbox was killed
  // from outside mid-test (UNAVAILABLE "sandbox process killed from outside: ...": bwrap or the
  // harness supervisor SIGKILLed by the host's OOM killer, an operator, ...). A harness that the
  // test broke or hung is this test's failure (kSignaled / kWallTimeLimit with an `error` saying
  // so) and restart=true.
  absl::StatusOr<Outcome> Run(const TestInput& test, const sdk::VerifyContext& ctx);

 private:
  HarnessSession(const HarnessEnvironment& env, const RunLimits& limits)
      : env_(env), limits_(limits) {}
  // After the channel broke: UNAVAILABLE when the sandbox was killed from outside, else OK.
  absl::Status KilledFromOutside(int64_t oom_before);

  const HarnessEnvironment& env_;
  const RunLimits limits_;
  bool python_ = false;  // the candidate runs in the harness's own interpreter
  std::unique_ptr<SessionCgroup> cgroup_;
  std::unique_ptr<SandboxProcess> process_;
  std::string host_work_dir_;  // Isolation::kNone only (env_.scratch's)
};

}  // namespace arbiter::code::internal
