// A verifier that lives only in this test folder, to prove that a verifier is one folder: it is
// declared in CMakeLists.txt with arbiter_verifier(... TESTONLY) and nothing outside this folder
// names it, yet arbiterd_testing serves it, ListVerifiers lists it and `arbiter gen` runs its
// generator.
//
//   verifier "echo": ground_truth is the expected completion; CORRECT (1) when equal, else
//     INCORRECT (0). Detail: the completion reversed, as a google.protobuf.StringValue packed in
//     SampleResult.extension.
//   generator "echo": params google.protobuf.Struct {"count": N}; N tasks "echo-0".."echo-N-1",
//     each with its index as a google.protobuf.Int64Value in GeneratedTask.extension.
//
// Thread-safety: stateless.
#pragma once

#include "absl/status/status.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::testing {

absl::Status RegisterEchoVerifier(sdk::VerifierRegistry& registry);

}  // namespace arbiter::testing
