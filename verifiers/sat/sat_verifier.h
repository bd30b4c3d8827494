// The `sat` verifier: checks a SAT assignment given in the last \boxed{} of a completion against
// a CNF formula (Saturn's encoding or DIMACS). See README.md for modes, answer forms and limits.
//
// Prepare() parses the task (typed SatTask or ground_truth) into a compiled formula; Check() reads
// one completion and never fails. Thread-safe: one instance serves every request; its only state
// is the memo of UNSAT checks per formula (unsat_memo.h), which changes cost, not verdicts.
#pragma once

#include <memory>
#include <optional>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "verifiers/sat/dimacs.h"
#include "verifiers/sat/saturn_formula.h"
#include "verifiers/sat/unsat_check.h"
#include "verifiers/sat/unsat_memo.h"
#include "verifiers/sdk/typed_verifier.h"

namespace arbiter::sat {

// A parsed task: the formula in the form its format needs.
struct PreparedSat : sdk::PreparedTask {
  bool dimacs = false;
  bool compat = false;
  int k = 0;
  absl::Duration unsat_budget;
  SaturnFormula saturn;
  CnfFormula cnf;
  // The group's UNSAT claims share one solve: the first runs CaDiCaL under `unsat_mu`, the
  // others wait and reuse its result (see unsat_memo.h for the process-wide level).
  mutable absl::Mutex unsat_mu;
  mutable std::optional<UnsatCheck> unsat_result ABSL_GUARDED_BY(unsat_mu);
};

class SatVerifier : public sdk::TypedVerifier<PreparedSat> {
 public:
  v1::VerifierInfo Info() const override;
  absl::StatusOr<std::unique_ptr<const PreparedSat>> PrepareTask(
      const v1::Task& task) const override;
  v1::SampleResult CheckSample(const PreparedSat& task, const v1::Sample& sample,
                               const sdk::VerifyContext& ctx) const override;

 private:
  mutable UnsatMemo unsat_memo_;
};

}  // namespace arbiter::sat
