// The `beam` verifier: support reactions of statically determinate beams (spec §3).
//
// Two modes, chosen per task (BeamTask.mode; MODE_UNSPECIFIED = compat when `gold` is set or the
// task is a `ground_truth` string, symbolic when `beam` is set):
//   compat    BeamPERL's reward functions (format + coefficient-of-P accuracy), see compat.h.
//   symbolic  solves the beam with GiNaC and checks the boxed answers by equivalence.
// score = format_weight·r_fmt + accuracy_weight·r_acc (default 0.333 / 0.667).
// Outcome: CORRECT iff r_fmt = 1 and r_acc = 1; NO_ANSWER when the completion has no \boxed{}
// at all; INCORRECT otherwise.
//
// Thread-safety: stateless; one instance serves all threads.
#pragma once

#include <memory>
#include <vector>

#include "verifiers/beam/compat.h"
#include "verifiers/beam/symbolic_check.h"
#include "verifiers/sdk/typed_verifier.h"

namespace arbiter::beam {

inline constexpr char kVerifierName[] = "beam";
inline constexpr char kVerifierVersion[] = "2";  // 2: gold no longer echoed per sample

// A parsed task: compat mode (gold coefficients and options) when `symbolic` is null, else the
// symbolic checker of the task's beam.
struct PreparedBeam : sdk::PreparedTask {
  std::vector<double> gold;
  CompatOptions options;
  std::unique_ptr<const SymbolicChecker> symbolic;
};

class BeamVerifier : public sdk::TypedVerifier<PreparedBeam> {
 public:
  v1::VerifierInfo Info() const override;
  // INVALID_ARGUMENT for a task without gold/beam, unparsable gold JSON, a malformed beam, or a
  // beam the solver refuses (statically indeterminate, unstable).
  absl::StatusOr<std::unique_ptr<const PreparedBeam>> PrepareTask(
      const v1::Task& task) const override;
  v1::SampleResult CheckSample(const PreparedBeam& task, const v1::Sample& sample,
                               const sdk::VerifyContext& ctx) const override;
};

}  // namespace arbiter::beam
