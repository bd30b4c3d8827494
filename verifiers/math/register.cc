#include "verifiers/math/register.h"

#include <memory>

#include "verifiers/math/math_verifier.h"

namespace arbiter::math {

absl::Status RegisterMathVerifier(sdk::VerifierRegistry& registry) {
  return registry.Register(std::make_unique<MathVerifier>());
}

}  // namespace arbiter::math
