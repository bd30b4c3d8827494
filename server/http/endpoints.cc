#include "server/http/endpoints.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "server/auth.h"
#include "server/http/json_body.h"
#include "server/http/openrlhf.h"
#include "server/http/slime.h"
#include "server/wire.h"
#include "verifiers/sdk/json.h"
#include "verifiers/sdk/utf8.h"

namespace arbiter::server::http {
namespace {

// Room kept for the response's own fields (ServerInfo) and the JSON framing.
constexpr int64_t kResponseOverheadBytes = 4096;

HttpResponse Json(std::string body) {
  HttpResponse response;
  response.body = std::move(body);
  return response;
}

HttpResponse Text(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(body);
  return response;
}

Routing RoutingFrom(const Target& target, const std::string& default_verifier) {
  Routing routing;
  routing.verifier = target.Param("verifier");
  if (routing.verifier.empty()) routing.verifier = default_verifier;
  routing.mode = target.Param("mode");
  return routing;
}

// The groups to send: the items' own, moved out, for the items without an error.
std::vector<v1::Group> TakeGroups(std::vector<ScoreItem>& items) {
  std::vector<v1::Group> groups;
  for (ScoreItem& item : items) {
    if (item.error.ok()) groups.push_back(std::move(item.group));
  }
  return groups;
}

// One verdict per item: sent items take the next group result, the others their error.
std::vector<ItemVerdict> Verdicts(const std::vector<ScoreItem>& items,
                                  const std::vector<v1::GroupResult>& groups) {
  std::vector<ItemVerdict> verdicts;
  verdicts.reserve(items.size());
  size_t next = 0;
  for (const ScoreItem& item : items) {
    if (!item.error.ok()) {
      verdicts.push_back(VerdictFromError(item.error));
    } else if (next < groups.size()) {
      verdicts.push_back(VerdictFromGroup(groups[next++]));
    } else {
      verdicts.push_back(VerdictFromError(absl::InternalError("no result for this item")));
    }
  }
  return verdicts;
}

absl::StatusOr<std::string> PrintScoreResponse(const v1::ScoreResponse& response) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string out;
  const auto status = google::protobuf::util::MessageToJsonString(response, &out, options);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot print the ScoreResponse as JSON: ", std::string(status.message())));
  }
  return out;
}

}  // namespace

HttpResponse ErrorResponse(int status, absl::string_view message) {
  HttpResponse response;
  response.status = status;
  response.body = DumpJson(nlohmann::json{{"error", Utf8Json(message)}});
  return response;
}

HttpResponse RefusalResponse(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kUnavailable: {
      HttpResponse response = ErrorResponse(503, status.message());
      response.retry_after_seconds = 1;
      return response;
    }
    case absl::StatusCode::kInvalidArgument:
      return ErrorResponse(400, status.message());
    case absl::StatusCode::kDeadlineExceeded:
      return ErrorResponse(504, status.message());
    default:
      return ErrorResponse(500, status.ToString());
  }
}

bool Endpoints::draining() const {
  return context_.draining != nullptr && context_.draining->load(std::memory_order_relaxed);
}

void Endpoints::Handle(const HttpRequest& request, Respond respond) const {
  absl::StatusOr<Target> target = ParseTarget(request.target);
  if (!target.ok()) return std::move(respond)(ErrorResponse(400, target.status().message()));
  const std::string& path = target->path;
  if (path == "/healthz") {
    if (request.method != "GET" && request.method != "HEAD") {
      HttpResponse response = ErrorResponse(405, "use GET /healthz");
      response.allow = "GET, HEAD";
      return std::move(respond)(std::move(response));
    }
    return std::move(respond)(draining() ? Text(503, "NOT_SERVING\n") : Text(200, "SERVING\n"));
  }
  if (context_.tokens != nullptr && !context_.tokens->Allows(request.authorization)) {
    HttpResponse response = ErrorResponse(401, kUnauthenticatedMessage);
    response.www_authenticate = "Bearer";
    return std::move(respond)(std::move(response));
  }
  if (path != "/get_reward" && path != "/slime/reward" && path != "/v1/score") {
    return std::move(respond)(ErrorResponse(
        404, absl::StrCat("no endpoint ", path,
                          "; endpoints: POST /get_reward, POST /slime/reward, POST /v1/score, "
                          "GET /healthz")));
  }
  if (request.method != "POST") {
    HttpResponse response = ErrorResponse(405, absl::StrCat("use POST ", path));
    response.allow = "POST";
    return std::move(respond)(std::move(response));
  }
  if (draining()) {
    return std::move(respond)(RefusalResponse(
        absl::UnavailableError("server is shutting down; retry on another replica")));
  }
  if (path == "/get_reward") return GetReward(*target, request.body, std::move(respond));
  if (path == "/slime/reward") return SlimeReward(*target, request.body, std::move(respond));
  return Score(request.body, std::move(respond));
}

void Endpoints::GetReward(const Target& target, const std::string& body, Respond respond) const {
  absl::StatusOr<std::vector<ScoreItem>> items = ParseOpenRlhfRequest(
      body, RoutingFrom(target, context_.default_verifier), *context_.registry);
  if (!items.ok()) return std::move(respond)(ErrorResponse(400, items.status().message()));
  std::vector<v1::Group> groups = TakeGroups(*items);
  context_.coalescer->Submit(std::move(groups), absl::Now() + context_.request_timeout,
                             [items = *std::move(items), respond = std::move(respond)](
                                 absl::StatusOr<std::vector<v1::GroupResult>> results) mutable {
                               if (!results.ok())
                                 return std::move(respond)(RefusalResponse(results.status()));
                               const std::vector<ItemVerdict> verdicts = Verdicts(items, *results);
                               std::move(respond)(Json(RenderOpenRlhfResponse(items, verdicts)));
                             });
}

void Endpoints::SlimeReward(const Target& target, const std::string& body, Respond respond) const {
  std::string reward_key = target.Param("reward_key");
  if (absl::Status s = CheckRewardKey(reward_key); !s.ok()) {
    return std::move(respond)(ErrorResponse(400, s.message()));
  }
  absl::StatusOr<ScoreItem> item =
      ParseSlimeRequest(body, RoutingFrom(target, context_.default_verifier), *context_.registry);
  if (!item.ok()) return std::move(respond)(ErrorResponse(400, item.status().message()));
  std::vector<ScoreItem> items;
  items.push_back(*std::move(item));
  std::vector<v1::Group> groups = TakeGroups(items);
  context_.coalescer->Submit(
      std::move(groups), absl::Now() + context_.request_timeout,
      [items = std::move(items), reward_key = std::move(reward_key),
       respond = std::move(respond)](absl::StatusOr<std::vector<v1::GroupResult>> results) mutable {
        if (!results.ok()) return std::move(respond)(RefusalResponse(results.status()));
        const std::vector<ItemVerdict> verdicts = Verdicts(items, *results);
        std::move(respond)(Json(RenderSlimeResponse(verdicts.front(), reward_key)));
      });
}

void Endpoints::Score(const std::string& body, Respond respond) const {
  if (!sdk::IsValidUtf8(body)) {
    return std::move(respond)(ErrorResponse(400, "body is not valid UTF-8"));
  }
  if (sdk::JsonNestsDeeperThan(body, kMaxJsonDepth)) {
    return std::move(respond)(ErrorResponse(
        400, absl::StrCat("body nests arrays/objects deeper than ", kMaxJsonDepth, " levels")));
  }
  auto request = std::make_shared<v1::ScoreRequest>();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed = google::protobuf::util::JsonStringToMessage(body, request.get(), options);
  if (!parsed.ok()) {
    return std::move(respond)(ErrorResponse(
        400, absl::StrCat("not a valid ScoreRequest in JSON: ", std::string(parsed.message()))));
  }
  // Shared with the callback: the respond must survive a refusal, which calls no callback.
  auto shared_respond = std::make_shared<Respond>(std::move(respond));
  ScoreCallbacks callbacks;
  callbacks.on_done = [request, shared_respond, info = context_.server_info,
                       limit = context_.max_message_bytes -
                               kResponseOverheadBytes](std::vector<v1::GroupResult> groups) {
    FitGroupsToLimit(groups, limit);
    v1::ScoreResponse message;
    *message.mutable_server() = info;
    message.mutable_groups()->Reserve(static_cast<int>(groups.size()));
    for (v1::GroupResult& group : groups) *message.add_groups() = std::move(group);
    sdk::RepairUtf8Fields(message);
    absl::StatusOr<std::string> json = PrintScoreResponse(message);
    std::move (*shared_respond)(json.ok() ? Json(*std::move(json))
                                          : ErrorResponse(500, json.status().message()));
  };
  const absl::Status admitted =
      context_.dispatcher->Score(*request, absl::Now() + context_.request_timeout,
                                 context_.cancellation, std::move(callbacks));
  if (!admitted.ok()) std::move (*shared_respond)(RefusalResponse(admitted));
}

}  // namespace arbiter::server::http
