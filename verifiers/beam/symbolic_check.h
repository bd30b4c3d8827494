// Symbolic mode: checks a completion's boxed answers against the reactions the solver finds.
//
// Expected answers ("slots"), in support position order: the vertical reaction R_X of every
// support X and, when ask_moments, right after it the reaction moment M_X of a fixed support.
// Answers are matched to slots by label first (R_A, R_{A}, A_y, V_A, F_A → force at A; M_A →
// moment at A; R_1, R_2, ... → the first, second, ... support); unlabelled or unknown-label
// answers then fill the remaining slots left to right. An answer equals a slot when
// expand(answer − expected) == 0, or numerically (P, L, q, M set to two fixed generic points)
// within max(tolerance, tolerance·|expected|). accuracy_ok iff every slot is matched; extra
// answers are ignored unless strict_count. Format reward as compat (compat.h FormatOk).
//
// Thread-safety: Create and Check take internal::GinacMutex() around their GiNaC work; a
// SymbolicChecker may be shared by any number of threads (their GiNaC parts serialise).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "verifiers/beam/beam.pb.h"
#include "verifiers/beam/compat.h"

namespace arbiter::beam {

struct SymbolicVerdict {
  bool format_ok = false;
  bool accuracy_ok = false;
  bool has_box = false;
  double score = 0.0;
  std::string message;
  v1::BeamDetail detail;
};

class SymbolicChecker {
 public:
  // INVALID_ARGUMENT for a malformed, statically indeterminate or unstable beam.
  static absl::StatusOr<std::unique_ptr<const SymbolicChecker>> Create(const v1::Beam& beam,
                                                                       const CompatOptions& options,
                                                                       bool ask_moments);
  ~SymbolicChecker();
  SymbolicChecker(const SymbolicChecker&) = delete;
  SymbolicChecker& operator=(const SymbolicChecker&) = delete;

  SymbolicVerdict Check(std::string_view completion) const;
  // "R_A = 3/4*P" per slot, in slot order.
  const std::vector<std::string>& expected() const { return expected_text_; }

 private:
  struct State;  // GiNaC objects; destroyed under the GiNaC mutex
  SymbolicChecker() = default;

  CompatOptions options_;
  std::vector<std::string> expected_text_;
  std::unique_ptr<State> state_;
};

}  // namespace arbiter::beam
