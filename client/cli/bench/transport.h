// How `arbiter bench` sends one call: a Score RPC over gRPC, or one per-sample POST to the HTTP
// gateway as slime (keep-alive) or OpenRLHF (a new connection per request) send them.
//
// A transport is built from a Workload; call number `n` re-sends template n mod (number of
// templates) with fresh tags (groups.h), so no two calls of a run carry the same completion.
// Start never blocks for the call: `done` runs once, on a transport thread, when the call ends.
//
// Thread-safety: Start may be called from any thread, also from inside `done`. The destructor
// waits for no call: the driver waits for every `done` before destroying a transport.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "client/cli/bench/workloads.h"

namespace arbiter::client::cli::bench {

struct CallOutcome {
  // "OK", a gRPC code name ("RESOURCE_EXHAUSTED"), "HTTP 503", or "CONNECT" for a refused
  // connection.
  std::string code = "OK";
  std::string message;
  // Per SampleResult.outcome (0 = not reported / could not be scored).
  int64_t outcomes[5] = {0, 0, 0, 0, 0};
  int64_t cached = 0;
  // Groups answered with a non-OK status (gRPC), items the gateway could not score (HTTP).
  int64_t group_errors = 0;
  // What the call carried: samples, and groups (a per-sample call carries 1/G of a group).
  int64_t items = 0;
  double groups = 0;
  bool ok() const { return code == "OK"; }
};

using Done = absl::AnyInvocable<void(CallOutcome) &&>;

class Transport {
 public:
  virtual ~Transport() = default;
  virtual void Start(uint64_t call, Done done) = 0;
  // Whether the answers say which items were cached.
  virtual bool reports_cached() const = 0;
};

struct TransportOptions {
  // "grpc", "slime" or "openrlhf".
  std::string kind = "grpc";
  // gRPC HOST:PORT, or the gateway's HOST:PORT for slime/openrlhf.
  std::string address;
  absl::Duration deadline = absl::Seconds(60);
  // gRPC channels (HTTP/2 connections) the calls are spread over.
  int connections = 1;
  // HTTP: calls in flight at most (a connection each).
  int max_in_flight = 4;
  // HTTP: I/O threads (event loops) the calls are spread over.
  int http_threads = 1;
};

// INVALID_ARGUMENT for an unknown kind, or an HTTP kind with a workload that cannot go per sample
// (Workload::http_refusal says why).
absl::StatusOr<std::unique_ptr<Transport>> MakeGrpcTransport(const TransportOptions& options,
                                                             const Workload& workload);
absl::StatusOr<std::unique_ptr<Transport>> MakeHttpTransport(const TransportOptions& options,
                                                             const Workload& workload);
absl::StatusOr<std::unique_ptr<Transport>> MakeTransport(const TransportOptions& options,
                                                         const Workload& workload);

}  // namespace arbiter::client::cli::bench
