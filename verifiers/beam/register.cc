#include "verifiers/beam/register.h"

#include <memory>

#include "verifiers/beam/beam_generator.h"
#include "verifiers/beam/beam_verifier.h"
#include "verifiers/sdk/status_macros.h"

namespace arbiter::beam {

absl::Status RegisterBeamVerifier(sdk::VerifierRegistry& registry) {
  ARBITER_RETURN_IF_ERROR(registry.Register(std::make_unique<BeamVerifier>()));
  return registry.RegisterGenerator(std::make_unique<BeamGenerator>());
}

}  // namespace arbiter::beam
