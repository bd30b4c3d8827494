// The `math` verifier: a completion's final answer against a dataset label, in one of five
// modes (math_verify default, dapo, gsm8k, minerva, multiple_choice). See README.md and
// spec/math.md.
//
// Prepare() resolves the task (math_task.h) and parses every gold once; a gold that cannot be
// parsed is INVALID_ARGUMENT naming it. Check() never fails: CORRECT / INCORRECT / NO_ANSWER,
// with a MathDetail (extracted answer, both normalised forms, method) packed in the result's
// extension; INFRA_ERROR only when the call's deadline or cancellation cut the check short.
// Every item runs under a CPU budget checked inside evaluation (no signals) and caps on sizes.
//
// Thread-safe and stateless. Most answers are decided without GiNaC (exact 128-bit rationals
// and a numeric screen); the rest take the process-wide GiNaC lock briefly.
#pragma once

#include <memory>

#include "verifiers/sdk/verifier.h"

namespace arbiter::math {

class MathVerifier : public sdk::Verifier {
 public:
  arbiter::v1::VerifierInfo Info() const override;
  absl::StatusOr<std::unique_ptr<const sdk::PreparedTask>> Prepare(
      const arbiter::v1::Task& task) const override;
  arbiter::v1::SampleResult Check(const sdk::PreparedTask& task, const arbiter::v1::Sample& sample,
                                  const sdk::VerifyContext& ctx) const override;
};

}  // namespace arbiter::math
