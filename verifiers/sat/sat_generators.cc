#include "verifiers/sat/sat_generators.h"

namespace arbiter::sat {

v1::GeneratorInfo SatGenerator::Info() const {
  v1::GeneratorInfo info;
  info.set_kind("sat");
  info.set_description("Saturn SAT_Construction(n, k, l, m), seeded");
  return info;
}

absl::StatusOr<v1::GenerateResponse> SatGenerator::Generate(
    const v1::GenerateRequest& request) const {
  (void)request;
  return absl::UnimplementedError("sat generator: not implemented yet");
}

v1::GeneratorInfo SatCurriculumGenerator::Info() const {
  v1::GeneratorInfo info;
  info.set_kind("sat_curriculum");
  info.set_description("One step of Saturn's curriculum controller");
  return info;
}

absl::StatusOr<v1::GenerateResponse> SatCurriculumGenerator::Generate(
    const v1::GenerateRequest& request) const {
  (void)request;
  return absl::UnimplementedError("sat_curriculum: not implemented yet");
}

}  // namespace arbiter::sat
