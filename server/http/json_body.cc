#include "server/http/json_body.h"

#include <cmath>
#include <exception>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/http/json_subset.h"
#include "verifiers/sdk/json.h"
#include "verifiers/sdk/utf8.h"

namespace arbiter::server::http {

absl::StatusOr<nlohmann::json> ParseJsonBody(absl::string_view body) {
  // Accepted only when nested no deeper than the limit: the scan below is for the rest.
  if (std::optional<nlohmann::json> fast = ParseJsonSubset(body, kMaxJsonDepth)) {
    return *std::move(fast);
  }
  if (sdk::JsonNestsDeeperThan(body, kMaxJsonDepth)) {
    return absl::InvalidArgumentError(
        absl::StrCat("body nests arrays/objects deeper than ", kMaxJsonDepth, " levels"));
  }
  try {  // nlohmann reports a parse error only by throwing
    return nlohmann::json::parse(body.begin(), body.end());
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("body is not JSON: ", sdk::ToValidUtf8(e.what())));
  }
}

nlohmann::json Utf8Json(absl::string_view text) {
  nlohmann::json string = sdk::ToValidUtf8(text);  // not `return {...}`: that is a one-item array
  return string;
}

std::string DumpJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

std::string DumpJson(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', /*ensure_ascii=*/false,
                    nlohmann::ordered_json::error_handler_t::replace);
}

std::optional<nlohmann::ordered_json> OrderedBodyField(absl::string_view body, const char* key) {
  absl::StatusOr<nlohmann::ordered_json> ordered =
      sdk::ParseUntrustedOrderedJson(body, "body", kMaxJsonDepth);
  if (!ordered.ok() || !ordered->is_object()) return std::nullopt;
  const auto it = ordered->find(key);
  if (it == ordered->end()) return std::nullopt;
  return std::move(*it);
}

double FiniteOrZero(double value) { return std::isfinite(value) ? value : 0.0; }

}  // namespace arbiter::server::http
