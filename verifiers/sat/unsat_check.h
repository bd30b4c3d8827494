// Checks an "UNSAT" claim for a DIMACS formula with CaDiCaL under a time budget.
//
// The solver runs on the calling thread and stops at the earlier of `budget` from now and the
// context's deadline, or when the context is cancelled (CaDiCaL's Terminator polls both). Memory
// is linear in the formula (variables are the formula's dense ids, never the header's count).
// Nothing is cached here (see unsat_memo.h). Thread-safe: each call owns its solver.
#pragma once

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "verifiers/sat/dimacs.h"
#include "verifiers/sdk/verify_context.h"

namespace arbiter::sat {

struct UnsatCheck {
  enum class Result { kUnsat, kSat, kUnknown };
  Result result = Result::kUnknown;
  // kUnknown: why (budget exhausted, deadline passed, cancelled).
  std::string message;
  // kUnknown because the claim's own budget ran out (not the call's deadline or cancellation):
  // the formula is too hard to decide within the budget, which is the task's property.
  bool budget_exhausted = false;
};

UnsatCheck CheckUnsatClaim(const CnfFormula& formula, absl::Duration budget,
                           const sdk::VerifyContext& ctx);

// How many times CaDiCaL has been started in this process (tests of the memo, diagnostics).
int64_t UnsatSolverRuns();

}  // namespace arbiter::sat
