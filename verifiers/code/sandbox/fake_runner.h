// A scripted SandboxRunner for unit tests of code that uses one (the `code` verifier, the
// server's sandbox pool). Nothing is executed: each test's RawRun comes from a per-(program,
// test index) table or, when no entry matches, from a callback (default: kExited, exit 0, empty
// output). Behaves like the real runner at the interface: honours the TestCallback (remaining
// tests kNotRun after it returns false) and the context (CANCELLED / DEADLINE_EXCEEDED when
// Done() before or between tests), and can script compile failures and infrastructure errors.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "verifiers/code/sandbox/runner.h"

namespace arbiter::code {

class FakeRunner : public SandboxRunner {
 public:
  // Produces the result of test `index` of `request` when no scripted entry matches.
  using Script = std::function<RawRun(const SessionRequest& request, size_t index)>;

  FakeRunner();  // unscripted tests exit 0 with empty output
  explicit FakeRunner(Script script);

  // The result of test `index` whenever `program` runs.
  void SetResult(const std::string& program, size_t index, RawRun run);
  // `program` fails to compile (C++ sessions): compiled=false, every test kNotRun.
  void SetCompileFailure(const std::string& program, std::string diagnostics);
  // RunSession for `program` returns `status` (an infrastructure failure).
  void SetInfraError(const std::string& program, absl::Status status);

  // Sessions started so far and tests "run" so far (for asserting dedup / stop-early).
  int sessions() const;
  int tests_run() const;

  absl::StatusOr<SessionResult> RunSession(const SessionRequest& request,
                                           const sdk::VerifyContext& ctx,
                                           const TestCallback& on_test) const override;

  // Convenience builders for scripts.
  static RawRun Exited(int code, std::string stdout_data = "", std::string stderr_data = "");
  static RawRun Returned(std::string return_json);
  static RawRun WithStatus(RawRun::Status status);

 private:
  Script script_;
  mutable absl::Mutex mu_;
  std::map<std::pair<std::string, size_t>, RawRun> results_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::string> compile_failures_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, absl::Status> infra_errors_ ABSL_GUARDED_BY(mu_);
  mutable int sessions_ ABSL_GUARDED_BY(mu_) = 0;
  mutable int tests_run_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace arbiter::code
