// Lock-free evaluation of scalar answer trees: exact (128-bit rationals) and numeric (complex
// doubles at a point), under a CPU budget.
//
// Budget is the per-item limit of spec §4: a step counter checked against a clock (and the
// call's VerifyContext) every few hundred steps — never a signal. Evaluation stops with
// Exceeded() set once the budget is spent. Every function here is pure apart from the Budget
// it is given; thread-safe for distinct Budgets.
#pragma once

#include <complex>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "verifiers/math/expr.h"
#include "verifiers/math/rational.h"
#include "verifiers/math/surd.h"
#include "verifiers/sdk/verify_context.h"

namespace arbiter::math {

class Budget {
 public:
  Budget(absl::Duration cpu, const sdk::VerifyContext* ctx);
  // Counts one step; false (and Exceeded()) once the time is spent or the call is done.
  bool Step();
  bool Exceeded() const { return exceeded_; }

 private:
  absl::Time deadline_;
  const sdk::VerifyContext* ctx_;
  unsigned steps_ = 0;
  bool exceeded_ = false;
};

// Values assigned to symbols at one sample point: a distinct deterministic value per symbol name
// and index 0, 1, 2, ... (numeric: reals in 1.1..2.9; exact: integers in 100..10099).
struct Point {
  int index = 0;
};

// The exact value of an expression in Q(√m) (surd.h); nullopt when it has symbols (and no
// point is given), leaves the field (π, two radicands, logs), or overflows 128 bits. With a
// point, symbols take that point's exact integer values: random-point identity testing.
std::optional<Surd> ExactValue(const Expr& e, Budget& budget, const Point* point = nullptr);
std::complex<double> NumericValue(const Expr& e, const Point& point, Budget& budget);

// True when the tree has no symbols (a constant).
bool IsConstant(const Expr& e);
// Distinct symbol names, sorted.
std::vector<std::string> Symbols(const Expr& e);

}  // namespace arbiter::math
