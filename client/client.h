// The C++ client of the arbiter service: a thin layer over the generated stub that adds what
// every caller needs — one channel with 64 MiB messages, per-call deadlines, retries with
// exponential backoff and jitter for retryable codes only (client/retry.h), a bound on the RPCs in
// flight, and grpc.health.v1 checks.
//
//   ARBITER_ASSIGN_OR_RETURN(auto client, Client::Create({.server = "127.0.0.1:50051"}));
//   ARBITER_ASSIGN_OR_RETURN(v1::ScoreResponse response, client->Score(request));
//
// Errors: every method returns the final gRPC status converted to absl::Status (same code and
// message) once its attempts are spent: UNAVAILABLE (server unreachable or draining),
// RESOURCE_EXHAUSTED (server full), DEADLINE_EXCEEDED, INVALID_ARGUMENT (malformed request), ...
//
// Thread-safety: a Client is thread-safe; share one per process. Calls beyond
// `max_concurrent_rpcs` block until a slot frees.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "arbiter/v1/arbiter.grpc.pb.h"
#include "arbiter/v1/arbiter.pb.h"
#include "client/concurrency_limiter.h"
#include "client/health.h"
#include "client/retry.h"
#include "grpcpp/channel.h"
#include "verifiers/sdk/clock.h"

namespace arbiter::client {

struct ClientOptions {
  // "HOST:PORT" (or any gRPC target string), or replicas as a comma-separated list of IP
  // literals ("10.0.0.2:50051,10.0.0.3:50051"; see ChannelTarget). For replicas behind one name,
  // give a name that resolves to all of them ("dns:///arbiter-headless.ns.svc:50051").
  std::string server = "127.0.0.1:50051";
  // gRPC load-balancing policy over the addresses the target resolves to. gRPC balances per
  // connection: "round_robin" keeps one to every replica and spreads calls over the ready ones;
  // "pick_first" (gRPC's default) sends everything to one. Empty = gRPC's default.
  std::string lb_policy = "round_robin";
  // HTTP/2 keepalive: while calls are in flight, ping every `keepalive_time` and drop the
  // connection when a ping is unanswered for `keepalive_timeout`, so a server cut off from the
  // network fails its calls with UNAVAILABLE (retried elsewhere) within seconds instead of at
  // the deadline. The server must allow pings this often (arbiterd:
  // --keepalive_min_client_interval, 5 s by default). InfiniteDuration() disables it.
  absl::Duration keepalive_time = absl::Seconds(10);
  absl::Duration keepalive_timeout = absl::Seconds(5);
  // Send and receive limit; the server's default is the same 64 MiB.
  int max_message_bytes = 64 << 20;
  // Deadline of one call, retries included (a retry never outlives it).
  absl::Duration deadline = absl::Seconds(60);
  RetryPolicy retry;
  int max_concurrent_rpcs = 16;
  // Called (on the calling thread) before each retry; for logs and counters. May be empty.
  std::function<void(const RetryEvent&)> on_retry;
  // Times the retries: each call's deadline is clock->Now() + deadline (also gRPC's deadline, so a
  // fake clock must start at the real time) and the backoffs are clock->SleepFor(). Never null.
  sdk::Clock* clock = &sdk::RealClock();
};

// The gRPC target for a user's address: "host" or "[v6]" without a port gets the default port
// 50051 (gRPC itself would silently dial 443); "host:port", "[v6]:port" and URIs with a scheme
// ("dns:///h:1", "unix:/path", "ipv4:...") are kept as they are.
std::string ServerTarget(const std::string& address);

// ClientOptions::server as a channel target: ServerTarget of one address, or for a
// comma-separated list of IP literals one multi-address target ("ipv4:10.0.0.2:50051,
// 10.0.0.3:50051", or "ipv6:[::1]:7000,..."), each entry given the default port when it has none.
// INVALID_ARGUMENT for an empty address or entry, a host name in a list, or mixed families (gRPC
// has no target for those: use a DNS name that resolves to every replica).
absl::StatusOr<std::string> ChannelTarget(const std::string& server);
inline constexpr int kDefaultPort = 50051;

class Client {
 public:
  // Creates the channel (no connection is made yet: gRPC connects lazily on the first call).
  // INVALID_ARGUMENT for an empty server address. The address goes through ChannelTarget.
  static absl::StatusOr<std::unique_ptr<Client>> Create(const ClientOptions& options);
  // Over an existing channel (tests with an in-process server).
  static std::unique_ptr<Client> CreateForChannel(std::shared_ptr<grpc::Channel> channel,
                                                  const ClientOptions& options);

  // Batch in, batch out (request order).
  absl::StatusOr<v1::ScoreResponse> Score(const v1::ScoreRequest& request) const;
  // Calls `on_result` for each GroupResult as the server streams it (any order: see
  // group_index). A retryable failure is retried only while no result has been delivered.
  absl::Status ScoreStream(const v1::ScoreRequest& request,
                           absl::FunctionRef<void(v1::GroupResult)> on_result) const;
  absl::StatusOr<v1::GenerateResponse> Generate(const v1::GenerateRequest& request) const;
  absl::StatusOr<v1::ListVerifiersResponse> ListVerifiers() const;
  // Stores `content` (a ground truth) on the replica the call reaches; later groups may name it by
  // Task.ground_truth_ref = the returned suite_id (suite_references.h does this automatically).
  absl::StatusOr<v1::RegisterSuiteResponse> RegisterSuite(std::string content) const;
  // grpc.health.v1.Health/Check for `service` ("" = the whole server). Not retried: a health
  // probe must report what it sees now.
  absl::StatusOr<ServingStatus> Health(std::string_view service = "") const;

  // Waits up to `timeout` for the channel to connect; false if it did not.
  bool WaitForConnected(absl::Duration timeout) const;

  const ClientOptions& options() const { return options_; }

 private:
  Client(std::shared_ptr<grpc::Channel> channel, const ClientOptions& options);

  // Runs `attempt(context)` with retries; each attempt gets a fresh context sharing the deadline.
  template <typename AttemptFn>
  absl::Status WithRetries(AttemptFn attempt) const;

  ClientOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Arbiter::Stub> stub_;
  mutable ConcurrencyLimiter limiter_;
};

}  // namespace arbiter::client
