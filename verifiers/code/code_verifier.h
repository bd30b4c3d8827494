// The `code` verifier: extracts a program from each completion, runs it against the task's unit
// tests through a SandboxRunner, decides per-test verdicts outside the sandbox, and turns the
// group's pass matrix into VeRPO dense rewards and fused advantages in Finalize().
//
// Contract (see README.md): Prepare() parses a typed CodeTask or a dataset's ground_truth JSON
// (ground_truth.h: every form read as its grader reads it; Task.mode names a comparison) and
// resolves limits against the server caps; Check() takes each turn's language from its
// completion unless the task pins one and never fails (sandbox failure → INFRA_ERROR, no program
// → NO_ANSWER); Finalize() writes each sample's score, advantage and per-sample VeRPO rewards,
// and the group's VeRPO vectors once (CodeGroupDetail in GroupStats.verifier_detail).
//
// Thread-safety: one instance serves every request concurrently; its only state is the
// thread-safe PreparedTaskCache of parsed labels (a group naming a label another group already
// prepared shares that preparation).
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "arbiter/v1/arbiter.pb.h"
#include "verifiers/code/metrics.h"
#include "verifiers/code/prepared_task_cache.h"
#include "verifiers/code/register.h"
#include "verifiers/code/task.h"
#include "verifiers/sdk/typed_verifier.h"

namespace arbiter::code {

class CodeVerifier : public sdk::TypedVerifier<SharedCodeTask> {
 public:
  // INVALID_ARGUMENT when the runner is null or a default limit exceeds its cap.
  static absl::StatusOr<std::unique_ptr<CodeVerifier>> Create(CodeVerifierOptions options);

  v1::VerifierInfo Info() const override;
  Work work() const override { return Work::kSandbox; }
  absl::StatusOr<std::unique_ptr<const SharedCodeTask>> PrepareTask(
      const v1::Task& task) const override;
  // A label another request is parsing right now is waited for (PreparedTaskCache single
  // flight) until `ctx` is done: DEADLINE_EXCEEDED / CANCELLED.
  absl::StatusOr<std::unique_ptr<const SharedCodeTask>> PrepareTaskWithin(
      const v1::Task& task, const sdk::VerifyContext& ctx) const override;
  v1::SampleResult CheckSample(const SharedCodeTask& task, const v1::Sample& sample,
                               const sdk::VerifyContext& ctx) const override;
  absl::Status FinalizeGroup(const SharedCodeTask& task, const sdk::Samples& samples,
                             absl::Span<v1::SampleResult> results,
                             sdk::GroupFinal& group) const override;
  // Parsed labels held for reuse (hits, misses, bytes).
  const PreparedTaskCache& prepared_cache() const { return *prepared_cache_; }
  void RegisterMetrics(prometheus::Registry& registry) const override {
    metrics_->Register(registry);
  }

 private:
  explicit CodeVerifier(CodeVerifierOptions options)
      : options_(std::move(options)),
        prepared_cache_(std::make_unique<PreparedTaskCache>(options_.prepared_cache_bytes)) {}

  // Parses the task (no cache).
  absl::StatusOr<std::unique_ptr<const PreparedCodeTask>> Parse(const v1::Task& task) const;

  CodeVerifierOptions options_;
  // Internally synchronised; a pointer so the const Prepare can fill it.
  std::unique_ptr<PreparedTaskCache> prepared_cache_;
  // Shared so that the const RegisterMetrics() can fill it in once, before serving.
  std::shared_ptr<SandboxMetrics> metrics_ = std::make_shared<SandboxMetrics>();
};

}  // namespace arbiter::code
