#include "server/http/openrlhf.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "server/http/json_body.h"
#include "server/http/prompt_split.h"

namespace arbiter::server::http {
namespace {

using nlohmann::json;

absl::StatusOr<const json*> ListField(const json& body, const char* key) {
  const auto it = body.find(key);
  if (it == body.end()) {
    return absl::InvalidArgumentError(absl::StrCat("body has no \"", key,
                                                   R"(" list (expected {"query": [...], )",
                                                   R"x("prompts": [...], "labels": [...]}))x"));
  }
  if (!it->is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", key, "\" must be a list, got ", it->type_name()));
  }
  return &*it;
}

absl::Status CheckStrings(const json& list, const char* key) {
  for (size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string()) {
      return absl::InvalidArgumentError(
          absl::StrCat(key, "[", i, "] must be a string, got ", list[i].type_name()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<ScoreItem>> ParseOpenRlhfRequest(absl::string_view body,
                                                            const Routing& routing,
                                                            const sdk::VerifierRegistry& registry) {
  absl::StatusOr<json> parsed = ParseJsonBody(body);
  if (!parsed.ok()) return parsed.status();
  if (!parsed->is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("body must be a JSON object, got ", parsed->type_name()));
  }
  absl::StatusOr<const json*> queries = ListField(*parsed, "query");
  if (!queries.ok()) return queries.status();
  absl::StatusOr<const json*> prompts = ListField(*parsed, "prompts");
  if (!prompts.ok()) return prompts.status();
  absl::StatusOr<const json*> labels = ListField(*parsed, "labels");
  if (!labels.ok()) return labels.status();
  const size_t n = (*queries)->size();
  if ((*prompts)->size() != n || (*labels)->size() != n) {
    return absl::InvalidArgumentError(absl::StrCat("lists differ in length: query has ", n,
                                                   ", prompts ", (*prompts)->size(), ", labels ",
                                                   (*labels)->size()));
  }
  if (absl::Status s = CheckStrings(**queries, "query"); !s.ok()) return s;
  if (absl::Status s = CheckStrings(**prompts, "prompts"); !s.ok()) return s;

  // Labels whose objects' key order the sorted parse lost are read again from the body, in order.
  std::optional<nlohmann::ordered_json> ordered_labels;
  if (std::any_of((*labels)->begin(), (*labels)->end(), KeyOrderMatters)) {
    ordered_labels = OrderedBodyField(body, "labels");
    if (ordered_labels && (!ordered_labels->is_array() || ordered_labels->size() != n)) {
      ordered_labels.reset();
    }
  }
  std::vector<ScoreItem> items;
  items.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const auto& query = (**queries)[i].get_ref<const std::string&>();
    const auto& prompt = (**prompts)[i].get_ref<const std::string&>();
    const SplitQuery split = SplitCompletion(query, prompt);
    absl::StatusOr<v1::Task> task =
        TaskFromLabel((**labels)[i], routing, ordered_labels ? &(*ordered_labels)[i] : nullptr);
    ScoreItem item;
    if (task.ok()) {
      item = MakeScoreItem(*std::move(task), std::string(split.completion), registry);
    } else {
      item.error = task.status();
    }
    item.prompt_mismatch = split.match == PromptMatch::kNotFound;
    items.push_back(std::move(item));
  }
  return items;
}

std::string RenderOpenRlhfResponse(absl::Span<const ScoreItem> items,
                                   absl::Span<const ItemVerdict> verdicts) {
  json rewards = json::array(), scores = json::array(), outcomes = json::array(),
       messages = json::array(), outcome_code = json::array(), infra_error = json::array(),
       error = json::array(), cached = json::array(), prompt_mismatch = json::array();
  for (size_t i = 0; i < verdicts.size(); ++i) {
    const ItemVerdict& v = verdicts[i];
    const bool correct = !v.error && v.outcome == v1::CORRECT;
    rewards.push_back(v.error ? 0.0 : FiniteOrZero(v.score));
    scores.push_back(correct ? 1.0 : 0.0);
    outcomes.push_back(OutcomeName(v));
    messages.push_back(Utf8Json(v.message));
    outcome_code.push_back(v.error ? 0.0 : static_cast<double>(v.outcome));
    infra_error.push_back(!v.error && v.outcome == v1::INFRA_ERROR ? 1.0 : 0.0);
    error.push_back(v.error ? 1.0 : 0.0);
    cached.push_back(v.cached ? 1.0 : 0.0);
    prompt_mismatch.push_back(i < items.size() && items[i].prompt_mismatch ? 1.0 : 0.0);
  }
  json answer = {{"rewards", std::move(rewards)},
                 {"scores", std::move(scores)},
                 {"extra_logs",
                  {{"outcome_code", std::move(outcome_code)},
                   {"infra_error", std::move(infra_error)},
                   {"error", std::move(error)},
                   {"cached", std::move(cached)},
                   {"prompt_mismatch", std::move(prompt_mismatch)}}},
                 {"outcomes", std::move(outcomes)},
                 {"messages", std::move(messages)}};
  return DumpJson(answer);
}

}  // namespace arbiter::server::http
