#include "server/http/slime.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "server/http/json_body.h"

namespace arbiter::server::http {

using nlohmann::json;

absl::StatusOr<ScoreItem> ParseSlimeRequest(absl::string_view body, const Routing& routing,
                                            const sdk::VerifierRegistry& registry) {
  absl::StatusOr<json> parsed = ParseJsonBody(body);
  if (!parsed.ok()) return parsed.status();
  if (!parsed->is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(R"(body must be a JSON object {"prompt", "response", "label"}, got )",
                     parsed->type_name()));
  }
  const auto response = parsed->find("response");
  if (response == parsed->end() || !response->is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"response\" must be a string (the completion), got ",
                     response == parsed->end() ? "nothing" : response->type_name()));
  }
  const auto prompt = parsed->find("prompt");
  if (prompt != parsed->end() && !prompt->is_string() && !prompt->is_array() &&
      !prompt->is_null()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"prompt\" must be a string or a list of messages, got ", prompt->type_name()));
  }
  const auto label = parsed->find("label");
  std::optional<nlohmann::ordered_json> ordered;
  if (label != parsed->end() && KeyOrderMatters(*label)) ordered = OrderedBodyField(body, "label");
  absl::StatusOr<v1::Task> task = TaskFromLabel(label == parsed->end() ? json(nullptr) : *label,
                                                routing, ordered ? &*ordered : nullptr);
  if (!task.ok()) {
    ScoreItem item;
    item.error = task.status();
    return item;
  }
  return MakeScoreItem(*std::move(task), response->get<std::string>(), registry);
}

absl::Status CheckRewardKey(absl::string_view reward_key) {
  if (reward_key == "outcome" || reward_key == "message") {
    return absl::InvalidArgumentError(absl::StrCat(
        "reward_key '", reward_key, "' collides with a key of the answer; pick another name"));
  }
  return absl::OkStatus();
}

std::string RenderSlimeResponse(const ItemVerdict& verdict, absl::string_view reward_key) {
  const double score = verdict.error ? 0.0 : FiniteOrZero(verdict.score);
  if (reward_key.empty()) return DumpJson(json(score));
  json answer = json::object();
  answer[std::string(reward_key)] = score;
  answer["outcome"] = OutcomeName(verdict);
  answer["message"] = Utf8Json(verdict.message);
  return DumpJson(answer);
}

}  // namespace arbiter::server::http
