#include "verifiers/code/register.h"

#include <memory>
#include <utility>

#include "verifiers/code/code_verifier.h"
#include "verifiers/sdk/status_macros.h"

namespace arbiter::code {

absl::Status RegisterCodeVerifier(sdk::VerifierRegistry& registry, CodeVerifierOptions options) {
  ARBITER_ASSIGN_OR_RETURN(std::unique_ptr<CodeVerifier> verifier,
                           CodeVerifier::Create(std::move(options)));
  return registry.Register(std::move(verifier));
}

}  // namespace arbiter::code
