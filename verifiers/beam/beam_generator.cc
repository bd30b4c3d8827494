#include "verifiers/beam/beam_generator.h"

namespace arbiter::beam {

v1::GeneratorInfo BeamGenerator::Info() const {
  v1::GeneratorInfo info;
  info.set_kind("beam");
  info.set_description("BeamPERL beam tasks: training family and evaluation categories");
  return info;
}

absl::StatusOr<v1::GenerateResponse> BeamGenerator::Generate(
    const v1::GenerateRequest& request) const {
  (void)request;
  return absl::UnimplementedError("beam generator: not implemented yet");
}

}  // namespace arbiter::beam
