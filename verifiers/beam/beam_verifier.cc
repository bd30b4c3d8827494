#include "verifiers/beam/beam_verifier.h"

namespace arbiter::beam {

v1::VerifierInfo BeamVerifier::Info() const {
  v1::VerifierInfo info;
  info.set_name(kVerifierName);
  info.set_version(kVerifierVersion);
  info.set_description("BeamPERL beam statics: compat reward and symbolic GiNaC solver");
  return info;
}

absl::StatusOr<std::unique_ptr<const sdk::PreparedTask>> BeamVerifier::Prepare(
    const v1::Task& task) const {
  (void)task;
  return absl::UnimplementedError("beam: not implemented yet");
}

v1::SampleResult BeamVerifier::Check(const sdk::PreparedTask& task, const v1::Sample& sample,
                                     const sdk::VerifyContext& ctx) const {
  (void)task;
  (void)sample;
  (void)ctx;
  v1::SampleResult result;
  result.set_outcome(v1::INFRA_ERROR);
  result.set_message("beam: not implemented yet");
  return result;
}

}  // namespace arbiter::beam
