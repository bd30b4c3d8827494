// The `sat` verifier: checks a SAT assignment given in the last \boxed{} of a completion against
// a CNF formula (Saturn's encoding or DIMACS). See README.md for modes, answer forms and limits.
//
// Prepare() parses the task (typed SatTask or ground_truth) into a compiled formula; Check() reads
// one completion and never fails. Thread-safe: one instance serves every request; its only state
// is the memo of UNSAT checks per formula (unsat_memo.h), which changes cost, not verdicts.
#pragma once

#include <memory>

#include "verifiers/sat/unsat_memo.h"
#include "verifiers/sdk/verifier.h"

namespace arbiter::sat {

class SatVerifier : public sdk::Verifier {
 public:
  v1::VerifierInfo Info() const override;
  absl::StatusOr<std::unique_ptr<const sdk::PreparedTask>> Prepare(
      const v1::Task& task) const override;
  v1::SampleResult Check(const sdk::PreparedTask& task, const v1::Sample& sample,
                         const sdk::VerifyContext& ctx) const override;

 private:
  mutable UnsatMemo unsat_memo_;
};

}  // namespace arbiter::sat
