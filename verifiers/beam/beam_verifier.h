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

#include "verifiers/sdk/verifier.h"

namespace arbiter::beam {

inline constexpr char kVerifierName[] = "beam";
inline constexpr char kVerifierVersion[] = "2";  // 2: gold no longer echoed per sample

class BeamVerifier : public sdk::Verifier {
 public:
  v1::VerifierInfo Info() const override;
  // INVALID_ARGUMENT for a task without gold/beam, unparsable gold JSON, a malformed beam, or a
  // beam the solver refuses (statically indeterminate, unstable).
  absl::StatusOr<std::unique_ptr<const sdk::PreparedTask>> Prepare(
      const v1::Task& task) const override;
  v1::SampleResult Check(const sdk::PreparedTask& task, const v1::Sample& sample,
                         const sdk::VerifyContext& ctx) const override;
};

}  // namespace arbiter::beam
