#include "verifiers/code/sandbox/fake_runner.h"

#include <optional>
#include <utility>

#include "absl/time/time.h"

namespace arbiter::code {
namespace {

absl::Status DoneStatus(const sdk::VerifyContext& ctx) {
  return ctx.Cancelled() ? absl::CancelledError("sandbox session cancelled")
                         : absl::DeadlineExceededError("sandbox session deadline exceeded");
}

}  // namespace

FakeRunner::FakeRunner() : FakeRunner([](const SessionRequest&, size_t) { return Exited(0); }) {}

FakeRunner::FakeRunner(Script script) : script_(std::move(script)) {}

void FakeRunner::SetResult(const std::string& program, size_t index, RawRun run) {
  absl::MutexLock lock(&mu_);
  results_[{program, index}] = std::move(run);
}

void FakeRunner::SetCompileFailure(const std::string& program, std::string diagnostics) {
  absl::MutexLock lock(&mu_);
  compile_failures_[program] = std::move(diagnostics);
}

void FakeRunner::SetInfraError(const std::string& program, absl::Status status) {
  absl::MutexLock lock(&mu_);
  infra_errors_[program] = std::move(status);
}

int FakeRunner::sessions() const {
  absl::MutexLock lock(&mu_);
  return sessions_;
}

int FakeRunner::tests_run() const {
  absl::MutexLock lock(&mu_);
  return tests_run_;
}

absl::StatusOr<SessionResult> FakeRunner::RunSession(const SessionRequest& request,
                                                     const sdk::VerifyContext& ctx,
                                                     const TestCallback& on_test) const {
  SessionResult result;
  result.tests.resize(request.tests.size());
  if (ctx.Done()) return DoneStatus(ctx);  // before anything else, as the real runner
  {
    absl::MutexLock lock(&mu_);
    ++sessions_;
    if (auto it = infra_errors_.find(request.program); it != infra_errors_.end()) {
      return it->second;
    }
    if (auto it = compile_failures_.find(request.program); it != compile_failures_.end()) {
      result.compiled = false;
      result.compile_output = it->second;
      return result;
    }
  }
  for (size_t i = 0; i < request.tests.size(); ++i) {
    if (ctx.Done()) return DoneStatus(ctx);
    std::optional<RawRun> scripted;
    {
      absl::MutexLock lock(&mu_);
      ++tests_run_;
      if (auto it = results_.find({request.program, i}); it != results_.end()) {
        scripted = it->second;
      }
    }
    result.tests[i] = scripted.has_value() ? *std::move(scripted) : script_(request, i);
    if (on_test && !on_test(i, result.tests[i])) break;
  }
  return result;
}

RawRun FakeRunner::Exited(int code, std::string stdout_data, std::string stderr_data) {
  RawRun run;
  run.status = RawRun::Status::kExited;
  run.exit_code = code;
  run.stdout_data = std::move(stdout_data);
  run.stderr_data = std::move(stderr_data);
  run.cpu_time = absl::Milliseconds(1);
  run.wall_time = absl::Milliseconds(2);
  run.peak_memory_bytes = int64_t{8} << 20;
  return run;
}

RawRun FakeRunner::Returned(std::string return_json) {
  RawRun run = Exited(0);
  run.return_json = std::move(return_json);
  return run;
}

RawRun FakeRunner::WithStatus(RawRun::Status status) {
  RawRun run = Exited(0);
  run.status = status;
  if (status == RawRun::Status::kSignaled) run.signal = 11;
  return run;
}

}  // namespace arbiter::code
