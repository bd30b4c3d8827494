#include "verifiers/sat/unsat_check.h"

#include <cadical.hpp>

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace arbiter::sat {
namespace {

std::atomic<int64_t> solver_runs{0};

class DeadlineTerminator : public CaDiCaL::Terminator {
 public:
  DeadlineTerminator(absl::Time stop, const sdk::VerifyContext& ctx) : stop_(stop), ctx_(ctx) {}
  bool terminate() override { return ctx_.Cancelled() || absl::Now() >= stop_; }

 private:
  absl::Time stop_;
  const sdk::VerifyContext& ctx_;
};

}  // namespace

UnsatCheck CheckUnsatClaim(const CnfFormula& formula, absl::Duration budget,
                           const sdk::VerifyContext& ctx) {
  UnsatCheck check;
  const absl::Time start = absl::Now();
  const absl::Time stop = std::min(start + budget, ctx.deadline);
  if (ctx.Cancelled() || start >= stop) {
    check.message = ctx.Cancelled() ? "sat: cancelled before the UNSAT check"
                                    : "sat: no time left for the UNSAT check (deadline)";
    return check;
  }
  solver_runs.fetch_add(1, std::memory_order_relaxed);
  CaDiCaL::Solver solver;
  solver.set("quiet", 1);
  for (size_t c = 0; c < formula.num_clauses(); ++c) {
    for (uint32_t i = formula.start[c]; i < formula.start[c + 1]; ++i) {
      const uint32_t lit = formula.lits[i];
      const int var = static_cast<int>(lit >> 1) + 1;
      solver.add((lit & 1) ? -var : var);
    }
    solver.add(0);
  }
  DeadlineTerminator terminator(stop, ctx);
  solver.connect_terminator(&terminator);
  const int status = solver.solve();
  solver.disconnect_terminator();
  if (status == 20) {
    check.result = UnsatCheck::Result::kUnsat;
  } else if (status == 10) {
    check.result = UnsatCheck::Result::kSat;
  } else {
    check.budget_exhausted = !ctx.Cancelled() && stop == start + budget;
    check.message = absl::StrCat("sat: CaDiCaL did not decide the UNSAT claim within ",
                                 absl::FormatDuration(std::min(budget, stop - start)),
                                 ctx.Cancelled()         ? " (cancelled)"
                                 : stop < start + budget ? " (call deadline)"
                                                         : " (budget)");
  }
  return check;
}

int64_t UnsatSolverRuns() { return solver_runs.load(std::memory_order_relaxed); }

}  // namespace arbiter::sat
