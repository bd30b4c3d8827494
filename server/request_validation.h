// Request-level checks run at admission, before any work is queued.
//
// A malformed *request* is rejected as a whole (DESIGN §2); a malformed *group* is not checked
// here — an unknown verifier or a task its verifier's Prepare() refuses fails only its own group,
// and the rest of the batch is scored. Thread-safety: pure.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "arbiter/v1/arbiter.pb.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::server {

// Samples in the request (the unit of admission control).
int64_t CountItems(const v1::ScoreRequest& request);

// OK, or INVALID_ARGUMENT with a message naming the problem:
//   - the request has no groups;
//   - the request's shaping or group i's shaping is rejected by shaping::ValidateShaping;
//   - the request holds more samples than `max_items` (it could never be admitted: split it).
absl::Status ValidateScoreRequest(const v1::ScoreRequest& request, int64_t max_items);

// The message of a group whose task names no verifier, or one `registry` does not host (it
// lists the known names).
std::string UnknownVerifierMessage(const std::string& name, const sdk::VerifierRegistry& registry);

}  // namespace arbiter::server
