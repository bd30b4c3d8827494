// UnsatMemo: what CaDiCaL concluded about a formula, so UNSAT claims cost one solve per formula.
//
// Without it every distinct completion claiming UNSAT reran the solver up to its budget (16
// claims on one hard formula: 16 budgets of CPU, stalling other work). Two levels:
//   - per group: PreparedSat holds the first claim's result and every other claim of the group
//     waits for it (sat_verifier.cc);
//   - per process: this bounded map from the formula's SHA-256 (over its clauses, so DIMACS
//     comments and spacing do not matter) to the result, shared by every request.
// Decided results (UNSAT, SAT) are kept for good. An undecided one is kept with the budget it
// had: a later claim with the same or a smaller budget reuses it, a larger budget solves again.
// Results cut short by a deadline or cancellation say nothing about the formula and are never
// stored. Bounded at `capacity` formulas, oldest insertion evicted first.
//
// Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "verifiers/sat/dimacs.h"
#include "verifiers/sat/unsat_check.h"

namespace arbiter::sat {

using FormulaDigest = std::array<uint8_t, 32>;

// SHA-256 of the formula's variable count and clause literals.
FormulaDigest DigestOf(const CnfFormula& formula);

class UnsatMemo {
 public:
  explicit UnsatMemo(size_t capacity = 4096) : capacity_(capacity) {}

  // A stored result that answers a claim checked with `budget`, if any.
  std::optional<UnsatCheck> Lookup(const FormulaDigest& digest, absl::Duration budget) const;
  // Stores `check` when it says something about the formula (see above).
  void Insert(const FormulaDigest& digest, absl::Duration budget, const UnsatCheck& check);

 private:
  struct Entry {
    UnsatCheck check;
    absl::Duration budget;
  };
  const size_t capacity_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<FormulaDigest, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::deque<FormulaDigest> order_ ABSL_GUARDED_BY(mu_);
};

}  // namespace arbiter::sat
