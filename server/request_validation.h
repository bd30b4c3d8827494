// Request-level checks run at admission, before any work is queued.
//
// A malformed *request* is rejected as a whole (DESIGN §2); a malformed *task* is not checked
// here — it fails only its own group, in the verifier's Prepare(). Thread-safety: pure.
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "arbiter/v1/arbiter.pb.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::server {

// Samples in the request (the unit of admission control).
int64_t CountItems(const v1::ScoreRequest& request);

// OK, or INVALID_ARGUMENT with a message naming the problem:
//   - the request has no groups;
//   - group i names no verifier or an unknown one (the message lists the known names);
//   - the request's shaping or group i's shaping is rejected by shaping::ValidateShaping;
//   - the request holds more samples than `max_items` (it could never be admitted: split it).
absl::Status ValidateScoreRequest(const v1::ScoreRequest& request,
                                  const sdk::VerifierRegistry& registry, int64_t max_items);

}  // namespace arbiter::server
