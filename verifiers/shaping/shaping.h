// Group reward shaping: pure functions from a batch's verdicts to shaped rewards and advantages.
//
// The server calls ValidateShaping() on a request's shaping at admission (a bad configuration
// rejects the whole request with INVALID_ARGUMENT) and ShapeBatch() once verification is done.
// Thread-safe: no state.
#pragma once

#include <map>
#include <string>
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
// verifier already wrote advantages, kept when the shaping names no normaliser and no stage (and
// the group is not paired). INFRA_ERROR samples are masked: no part in any statistic, reward =
// score, advantage 0. Order, defaults and modes: README.md.
//
// Returns one status per entry of `results`: INVALID_ARGUMENT naming the sample for a missing,
// NaN or infinite log-prob under the unlikeliness stage ("group 3 sample 5: logprob is NaN"),
// naming the parameter for an invalid group shaping, naming the pair for a pair_id without
// exactly one POSITIVE and one NEGATIVE partner; FAILED_PRECONDITION when a pair's partner failed
// or is not among `results`. A failed group's rewards (= scores) and advantages (0) are left
// finite. Every reward and advantage written is finite.
std::vector<absl::Status> ShapeBatch(const v1::ScoreRequest& request,
                                     absl::Span<v1::GroupResult* const> results);

// What shaping needs to know about a whole request, computed once per request in O(groups) (the
// server does it at admission): whether groups must wait for each other (pairs, GRPO-λ) and what
// is wrong with each declared pair. ShapeBatch with a plan costs O(results), so shaping a
// request group by group costs O(groups) in all, not O(groups²).
struct BatchPlan {
  bool whole_batch = false;
  std::map<std::string, std::string> pair_problems;  // pair_id -> problem ("" when well-formed)
};
BatchPlan PlanBatch(const v1::ScoreRequest& request);
std::vector<absl::Status> ShapeBatch(const v1::ScoreRequest& request, const BatchPlan& plan,
                                     absl::Span<v1::GroupResult* const> results);

}  // namespace arbiter::shaping
