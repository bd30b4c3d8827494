#include "verifiers/sat/sat_verifier.h"

namespace arbiter::sat {

v1::VerifierInfo SatVerifier::Info() const {
  v1::VerifierInfo info;
  info.set_name("sat");
  info.set_version("1");
  info.set_description("SATURN SAT checker (work in progress)");
  return info;
}

absl::StatusOr<std::unique_ptr<const sdk::PreparedTask>> SatVerifier::Prepare(
    const v1::Task& task) const {
  (void)task;
  return absl::UnimplementedError("sat: not implemented yet");
}

v1::SampleResult SatVerifier::Check(const sdk::PreparedTask& task, const v1::Sample& sample,
                                    const sdk::VerifyContext& ctx) const {
  (void)task;
  (void)sample;
  (void)ctx;
  v1::SampleResult result;
  result.set_outcome(v1::INFRA_ERROR);
  result.set_message("sat: not implemented yet");
  return result;
}

}  // namespace arbiter::sat
