// Request-level checks run at admission, before any work is queued.
//
// A malformed *request* is rejected as a whole (DESIGN §2); a malformed *group* is not checked
// here — an unknown verifier or a task its verifier's Prepare() refuses fails only its own group,
// and the rest of the batch is scored. Thread-safety: pure.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "arbiter/v1/arbiter.pb.h"
#include "shaping/shaping.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::server {

// What admission learns about a request, in one pass: each part is computed once per request.
struct ValidatedRequest {
  int64_t items = 0;             // samples in the request (the unit of admission control)
  shaping::RequestPlan shaping;  // every shaping validated, pairs checked
};

// The request's admission facts, or INVALID_ARGUMENT with a message naming the problem:
//   - the request has no groups;
//   - the request's shaping or group i's shaping is invalid (shaping::PlanRequest);
//   - the request holds more samples than `max_items` (it could never be admitted: split it).
absl::StatusOr<ValidatedRequest> ValidateScoreRequest(const v1::ScoreRequest& request,
                                                      int64_t max_items);

// The message of a group whose task names no verifier, or one `registry` does not host (it
// lists the known names).
std::string UnknownVerifierMessage(const std::string& name, const sdk::VerifierRegistry& registry);

}  // namespace arbiter::server
