// Group reward shaping: a request-level stage after verification, pure functions from a batch's
// verdicts to shaped rewards and advantages. It owns `SampleResult.reward`: verifiers never set it.
//
// The server calls PlanRequest() once per request at admission (validates every shaping, checks
// declared pairs, decides whether groups wait for each other; a bad configuration rejects the
// whole request with INVALID_ARGUMENT) and ShapeBatch() with that plan as groups finish.
// Thread-safe: no state.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "arbiter/v1/arbiter.pb.h"

namespace arbiter::shaping {

// OK, or INVALID_ARGUMENT naming the bad parameter (β < 0, ε < 0, λ ∉ (0, 1], ...).
absl::Status ValidateShaping(const v1::Shaping& shaping);

// True when some group's shaping needs other groups' results (a pair_id, GRPO-λ): the server then
// shapes (and streams) only once every group is verified.
bool NeedsWholeBatch(const v1::ScoreRequest& request);

// What shaping decides about a whole request, once, in O(groups): every shaping validated,
// whether groups must wait for each other (pairs, GRPO-λ), and what is wrong with each declared
// pair. ShapeBatch with a plan costs O(its inputs), so shaping a request group by group costs
// O(groups) in all, not O(groups²).
struct RequestPlan {
  bool whole_batch = false;
  std::map<std::string, std::string> pair_problems;  // pair_id -> problem ("" when well-formed)
  bool validated = false;  // every shaping passed ValidateShaping (PlanRequest)
};

// The plan, or INVALID_ARGUMENT naming `shaping` or `groups[i].shaping` and the bad parameter.
absl::StatusOr<RequestPlan> PlanRequest(const v1::ScoreRequest& request);

// One verified group handed to shaping.
struct GroupInput {
  v1::GroupResult* result = nullptr;
  // The verifier's Finalize wrote each sample's advantage (sdk::GroupFinal::advantages_set, e.g.
  // VeRPO's fused advantages). They are kept when the group's shaping names no normaliser and no
  // stage and the group is not paired; otherwise the normaliser's replace them.
  bool verifier_advantages = false;
};

// Shapes the given groups. Each result->group_index() indexes request.groups(). For every group
// it writes each sample's `reward` and `advantage` and the group's `stats` (including
// resolved_shaping and advantage_source, which reports the decision above). On entry
// `score`/`outcome` are the verifier's. A group whose status is already non-OK gets reward =
// score and advantage 0, and no shaping. INFRA_ERROR samples are masked: no part in any
// statistic, reward = score, advantage 0. Order, defaults and modes: README.md.
//
// Returns one status per input: INVALID_ARGUMENT naming the sample for a missing, NaN or infinite
// log-prob under the unlikeliness stage ("group 3 sample 5: logprob is NaN"), naming the
// parameter for an invalid group shaping (only without a validated plan), naming the pair for a
// pair_id without exactly one POSITIVE and one NEGATIVE partner; FAILED_PRECONDITION when a
// pair's partner failed or is not among the inputs. A failed group's rewards (= scores) and
// advantages (0) are left finite. Every reward and advantage written is finite.
std::vector<absl::Status> ShapeBatch(const v1::ScoreRequest& request, const RequestPlan& plan,
                                     absl::Span<const GroupInput> groups);
// The same without a plan (tests, embedding): plans first, without rejecting the request; an
// invalid shaping fails only the groups that use it.
std::vector<absl::Status> ShapeBatch(const v1::ScoreRequest& request,
                                     absl::Span<const GroupInput> groups);

}  // namespace arbiter::shaping
