// How arbiterd registers the `code` verifier: from its own flags, defined in flags.cc beside
// this header (--sandbox_isolation, --code_max_cpu_seconds, --code_max_wall_seconds,
// --code_max_memory_bytes, --code_cache_dir, --code_execution_mode). The folder's
// arbiter_verifier() declaration names RegisterCodeVerifierFromFlags, so the generated
// registration list (server/registered_verifiers.h) calls it and the reference links flags.cc,
// and with it the flags, into arbiterd; server/main.cc names no verifier. Like every arbiterd
// flag, each has an ARBITER_* environment twin (server/env_flags.h: flags of `server/main.cc`
// and of `verifiers/<name>/flags.cc`).
//
// Thread-safety: call once at start-up, after the flags are parsed, before serving.
#pragma once

#include "absl/status/status.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::code {

// MakeCodeVerifierOptions over the flag values, then RegisterCodeVerifier. Its errors:
// INVALID_ARGUMENT for a bad flag value, FAILED_PRECONDITION when the sandbox cannot start here,
// ALREADY_EXISTS when "code" is taken. May start the sandbox's launcher process.
absl::Status RegisterCodeVerifierFromFlags(sdk::VerifierRegistry& registry);

}  // namespace arbiter::code
