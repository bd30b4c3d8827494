// Per-task resource limits resolved against the server's defaults and caps.
//
// A CodeLimits field that is 0 takes the server default; a positive value is used when it does
// not exceed the server cap; above the cap, negative or non-finite is INVALID_ARGUMENT naming the
// field, the value and the cap.
//
// Thread-safety: pure functions.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "verifiers/code/code.pb.h"
#include "verifiers/code/sandbox/runner.h"

namespace arbiter::code {

absl::StatusOr<RunLimits> ResolveLimits(const v1::CodeLimits& requested, const RunLimits& defaults,
                                        const RunLimits& caps);

// OK when every default is positive and within its cap (checked once at registration).
absl::Status ValidateDefaults(const RunLimits& defaults, const RunLimits& caps);

v1::CodeLimits LimitsToProto(const RunLimits& limits);

}  // namespace arbiter::code
