#include "verifiers/sat/register.h"

#include <memory>

#include "verifiers/sat/sat_generators.h"
#include "verifiers/sat/sat_verifier.h"
#include "verifiers/sdk/status_macros.h"

namespace arbiter::sat {

absl::Status RegisterSatVerifier(sdk::VerifierRegistry& registry) {
  ARBITER_RETURN_IF_ERROR(registry.Register(std::make_unique<SatVerifier>()));
  ARBITER_RETURN_IF_ERROR(registry.RegisterGenerator(std::make_unique<SatGenerator>()));
  ARBITER_RETURN_IF_ERROR(registry.RegisterGenerator(std::make_unique<SatCurriculumGenerator>()));
  return absl::OkStatus();
}

}  // namespace arbiter::sat
