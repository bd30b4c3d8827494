// The verifiers this binary hosts, as declared by their folders (arbiter_verifier() in their
// CMakeLists.txt; see cmake/ArbiterVerifiers.cmake). The definitions are generated at configure
// time into build/generated/: arbiterd gets the production list, arbiterd_testing the production
// list plus the test-only verifiers of tests/.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::server {

// Calls every declared verifier's registration function, in declaration order. The first
// failure (e.g. a duplicate name) is returned.
absl::Status RegisterDeclaredVerifiers(sdk::VerifierRegistry& registry);

// The declared names, in declaration order (for logs and tests).
std::vector<std::string> DeclaredVerifierNames();

}  // namespace arbiter::server
