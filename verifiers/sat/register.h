// Registration of the `sat` verifier (SATURN, arXiv 2505.16368) and its generators.
//
// RegisterSatVerifier adds to `registry`:
//   - the verifier "sat" (Saturn-encoded and DIMACS CNF formulas, answers in the last \boxed{});
//   - the generator "sat" (Saturn's SAT_Construction(n, k, l, m), seeded);
//   - the generator "sat_curriculum" (one stateless step of Saturn's curriculum controller).
// Only the generated registration list (server/registered_verifiers.h) and tests call it. Returns
// the registry's error (ALREADY_EXISTS) if any of the names is taken. Not thread-safe: call
// before serving, like every registration.
#pragma once

#include "absl/status/status.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::sat {

absl::Status RegisterSatVerifier(sdk::VerifierRegistry& registry);

}  // namespace arbiter::sat
