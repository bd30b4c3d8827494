// Registration of the shaping folder's Generate kinds with a server's registry.
//
// Only server/main.cc calls this. Registers kind "pair_select" (GenerateRequest.pair_select →
// GenerateResponse.pair_select, spec §5.2). ALREADY_EXISTS if the kind is already registered.
// Not thread-safe: call before serving, like every registration.
#pragma once

#include "absl/status/status.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::shaping {

absl::Status RegisterShapingGenerators(sdk::VerifierRegistry& registry);

}  // namespace arbiter::shaping
