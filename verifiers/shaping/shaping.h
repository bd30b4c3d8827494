// Group reward shaping: pure functions from a batch's verdicts to shaped rewards and advantages.
//
// The server calls ValidateShaping() on a request's shaping at admission (a bad configuration
// rejects the whole request with INVALID_ARGUMENT) and ShapeBatch() once verification is done.
// Thread-safe: no state.
#pragma once

#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "arbiter/v1/arbiter.pb.h"

namespace arbiter::shaping {

// OK, or INVALID_ARGUMENT naming the bad parameter (β < 0, ε < 0, λ ∉ (0, 1], ...).
absl::Status ValidateShaping(const v1::Shaping& shaping);

// True when some group's shaping needs other groups' results (a pair_id, GRPO-λ): the server then
// shapes (and streams) only once every group is verified.
bool NeedsWholeBatch(const v1::ScoreRequest& request);

// Shapes the groups in `results`. Each results[i]->group_index() indexes request.groups(); groups
// whose status is already non-OK are left untouched. For every shaped group it writes each
// sample's `reward` and `advantage` and the group's `stats` (including resolved_shaping). On
// entry `score`/`outcome` are the verifier's; if stats.advantage_source is "verifier" the
// verifier already wrote advantages, kept unless the shaping names a normaliser.
//
// Returns one status per entry of `results`: INVALID_ARGUMENT naming the sample for a NaN or
// infinite log-prob, or naming the group for a pair without its partner. A failed group's
// rewards and advantages are left finite. Every reward and advantage written is finite.
std::vector<absl::Status> ShapeBatch(const v1::ScoreRequest& request,
                                     absl::Span<v1::GroupResult* const> results);

}  // namespace arbiter::shaping
