// Registration of the `beam` verifier (BeamPERL-compatible and symbolic beam statics) and the
// `beam` task generator. Only the generated registration list (server/registered_verifiers.h)
// and tests call this.
//
// Thread-safety: call before serving, like every VerifierRegistry mutation.
#pragma once

#include "absl/status/status.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::beam {

// Registers verifier "beam" and generator kind "beam". ALREADY_EXISTS when either name is taken.
absl::Status RegisterBeamVerifier(sdk::VerifierRegistry& registry);

}  // namespace arbiter::beam
