// The gateway's endpoints, independent of the HTTP transport: a request (method, target, body)
// in, exactly one response out through `respond`, at once or later from a dispatcher worker.
//
//   POST /get_reward     OpenRLHF (openrlhf.h), ?verifier=NAME&mode=MODE
//   POST /slime/reward   slime (slime.h), ?verifier=NAME&mode=MODE&reward_key=NAME
//   POST /v1/score       arbiter.v1.Score in proto3 JSON: a ScoreRequest in, a ScoreResponse
//                        out (field names as in the proto, every field printed, as `arbiter
//                        score` writes them); a malformed request is 400.
//   GET  /healthz        200 "SERVING", 503 "NOT_SERVING" while draining
//
// Status codes: 200 for every answer a trainer should use (per-item problems included); 400 for
// a body that cannot be read (JSON {"error": "..."} says why); 404/405 for a wrong path/method;
// 503 + Retry-After when admission refuses (RESOURCE_EXHAUSTED) or the server drains; 500 for
// our own bugs. /get_reward and /slime/reward go through the Coalescer; /v1/score (already a
// batch) goes to the dispatcher directly. Every request's deadline is now + request_timeout.
//
// Thread-safety: Handle may be called concurrently; it never blocks. Everything in the context
// must outlive every response.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "arbiter/v1/arbiter.pb.h"
#include "server/dispatcher.h"
#include "server/http/coalescer.h"
#include "server/http/target.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::server {
class TokenFile;
}  // namespace arbiter::server

namespace arbiter::server::http {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query string
  std::string body;
  std::string authorization;  // the Authorization header, if any
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  int retry_after_seconds = 0;   // > 0: a Retry-After header
  std::string allow;             // 405: the Allow header
  std::string www_authenticate;  // 401: the WWW-Authenticate header
};

using Respond = absl::AnyInvocable<void(HttpResponse) &&>;

struct EndpointsContext {
  Dispatcher* dispatcher = nullptr;
  const sdk::VerifierRegistry* registry = nullptr;
  Coalescer* coalescer = nullptr;
  v1::ServerInfo server_info;
  std::string default_verifier = "sat";
  absl::Duration request_timeout = absl::Seconds(170);
  int64_t max_message_bytes = int64_t{64} << 20;
  const std::atomic<bool>* draining = nullptr;  // may be null (never draining)
  // Passed with every /v1/score request (the coalescer has its own copy); may be null.
  std::shared_ptr<const sdk::CancellationToken> cancellation;
  // When set, every request but /healthz needs `Authorization: Bearer <token>` (401 otherwise).
  const TokenFile* tokens = nullptr;
};

class Endpoints {
 public:
  explicit Endpoints(EndpointsContext context) : context_(std::move(context)) {}

  void Handle(const HttpRequest& request, Respond respond) const;

 private:
  void GetReward(const Target& target, const std::string& body, Respond respond) const;
  void SlimeReward(const Target& target, const std::string& body, Respond respond) const;
  void Score(const std::string& body, Respond respond) const;
  bool draining() const;

  const EndpointsContext context_;
};

// The JSON error answer {"error": message} with `status`.
HttpResponse ErrorResponse(int status, absl::string_view message);
// The answer for a status that refused work: 503 + Retry-After for RESOURCE_EXHAUSTED and
// UNAVAILABLE, 400 for INVALID_ARGUMENT, 504 for DEADLINE_EXCEEDED, else 500.
HttpResponse RefusalResponse(const absl::Status& status);

}  // namespace arbiter::server::http
