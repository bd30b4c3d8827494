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

// The exact value of a constant rational expression; nullopt when it has symbols, irrational
// parts, or overflows 128 bits.
std::optional<Rational> ExactValue(const Expr& e, Budget& budget);

// Values assigned to symbols at one sample point (by name).
struct Point {
  int index = 0;  // 0, 1, 2 ...: a distinct deterministic value per symbol and index
};
std::complex<double> NumericValue(const Expr& e, const Point& point, Budget& budget);

// True when the tree has no symbols (a constant).
bool IsConstant(const Expr& e);
// Distinct symbol names, sorted.
std::vector<std::string> Symbols(const Expr& e);

}  // namespace arbiter::math
