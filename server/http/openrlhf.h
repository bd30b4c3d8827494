// OpenRLHF's remote reward protocol (spec/trainers.md §2): POST /get_reward.
//
// Request: {"query": [q...], "prompts": [p...], "labels": [l...]}, three lists of equal length
// (empty lists too): one item per query, whether OpenRLHF >= v0.9.1 sends one (the usual case)
// or v0.8.3..v0.9.0 sends a batch. The completion is the query after its prompt (SplitCompletion);
// the task comes from the label (TaskFromLabel). Other keys are ignored.
//
// Answer, 200, lists in query order:
//   {"rewards": [raw score], "scores": [1.0 if CORRECT else 0.0],
//    "extra_logs": {"outcome_code": [...], "infra_error": [...], "error": [...], "cached": [...],
//                   "prompt_mismatch": [...]},
//    "outcomes": ["CORRECT" | "INCORRECT" | "NO_ANSWER" | "INFRA_ERROR" | "ERROR"],
//    "messages": [str]}
// extra_logs values are numbers only (OpenRLHF turns each into a tensor): outcome_code is the
// arbiter.v1.Outcome number (0 for an error), the others 0/1. An item that could not be scored
// (bad label, unknown verifier, malformed task, INFRA_ERROR) has reward 0 and score 0.
// "outcomes" and "messages" are for people (OpenRLHF ignores them).
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "server/http/item.h"
#include "server/http/label.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::server::http {

// The items of a request body. INVALID_ARGUMENT (answer 400) only when the body is not JSON,
// not an object, lacks one of the three keys, holds a non-list there, a non-string query or
// prompt, or lists of different lengths; the message says which. Per-item problems are the
// items' own errors.
absl::StatusOr<std::vector<ScoreItem>> ParseOpenRlhfRequest(absl::string_view body,
                                                            const Routing& routing,
                                                            const sdk::VerifierRegistry& registry);

// The answer body. `verdicts[i]` belongs to `items[i]`; the spans have equal sizes.
std::string RenderOpenRlhfResponse(absl::Span<const ScoreItem> items,
                                   absl::Span<const ItemVerdict> verdicts);

}  // namespace arbiter::server::http
