// Registration of the `math` verifier (Math-Verify 0.8, verl math_dapo/gsm8k, lm-eval
// minerva_math semantics). Only the generated registration list (server/registered_verifiers.h)
// and tests call it. ALREADY_EXISTS if "math" is taken. Not thread-safe: call before serving,
// like every registration.
#pragma once

#include "absl/status/status.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::math {

absl::Status RegisterMathVerifier(sdk::VerifierRegistry& registry);

}  // namespace arbiter::math
