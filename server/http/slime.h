// slime's per-sample remote reward protocol (spec/trainers.md §4): POST /slime/reward, what
// `--rm-type remote_rm --rm-url URL` sends.
//
// Request: {"prompt": str | [messages] | null, "response": str, "label": any | null}. The
// response is the completion (slime sends it without the prompt); the prompt is not read
// beyond its type; the task comes from the label (TaskFromLabel; null → ground truth "").
//
// Answer, 200: a bare JSON number, the raw score (slime stores the answer as sample.reward).
// With `?reward_key=NAME` (for slime's `--reward-key NAME`): {NAME: score, "outcome": "...",
// "message": "..."}. An item that could not be scored answers 0 (outcome "ERROR" or
// "INFRA_ERROR"): slime cannot mask a sample over HTTP, so a user who needs the mask uses the
// Python adapter's custom_rm, which sets sample.remove_sample.
//
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/http/item.h"
#include "server/http/label.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::server::http {

// INVALID_ARGUMENT (answer 400) when the body is not a JSON object, "response" is missing or
// not a string, or "prompt" is neither a string, a list nor null. Per-item problems are the
// item's own error.
absl::StatusOr<ScoreItem> ParseSlimeRequest(absl::string_view body, const Routing& routing,
                                            const sdk::VerifierRegistry& registry);

// INVALID_ARGUMENT when `reward_key` would collide with "outcome" or "message".
absl::Status CheckRewardKey(absl::string_view reward_key);

// The answer body: the score as a number, or the object when `reward_key` is not empty.
std::string RenderSlimeResponse(const ItemVerdict& verdict, absl::string_view reward_key);

}  // namespace arbiter::server::http
