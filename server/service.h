// ArbiterService: the gRPC callback service of arbiter.v1.Arbiter (DESIGN §2).
//
// Transport glue only: Score and ScoreStream hand the request to the Dispatcher and answer from
// the worker that completes it; Generate runs the registered Generator on the CPU pool;
// ListVerifiers answers inline (it only copies the registry's sorted lists). No reaction blocks.
// Every response carries ServerInfo{version, config_hash}.
//
// ScoreStream writes each GroupResult as soon as the dispatcher hands it over (one write in
// flight at a time, the rest queued); when the client cancels or a write fails, the request's
// CancellationToken is set so queued checks are skipped and running sandboxes killed.
//
// Thread-safety: as required by gRPC; the service is shared by every call.
#pragma once

#include "arbiter/v1/arbiter.grpc.pb.h"
#include "server/dispatcher.h"
#include "server/metrics.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::server {

class ArbiterService final : public v1::Arbiter::CallbackService {
 public:
  // All pointers must outlive the service; `metrics` may be null.
  ArbiterService(Dispatcher* dispatcher, const sdk::VerifierRegistry* registry, Metrics* metrics,
                 v1::ServerInfo server_info);

  grpc::ServerUnaryReactor* Score(grpc::CallbackServerContext* context,
                                  const v1::ScoreRequest* request,
                                  v1::ScoreResponse* response) override;
  grpc::ServerWriteReactor<v1::GroupResult>* ScoreStream(grpc::CallbackServerContext* context,
                                                         const v1::ScoreRequest* request) override;
  grpc::ServerUnaryReactor* Generate(grpc::CallbackServerContext* context,
                                     const v1::GenerateRequest* request,
                                     v1::GenerateResponse* response) override;
  grpc::ServerUnaryReactor* ListVerifiers(grpc::CallbackServerContext* context,
                                          const v1::ListVerifiersRequest* request,
                                          v1::ListVerifiersResponse* response) override;

  Dispatcher& dispatcher() const { return *dispatcher_; }
  Metrics* metrics() const { return metrics_; }
  const v1::ServerInfo& server_info() const { return server_info_; }

 private:
  Dispatcher* const dispatcher_;
  const sdk::VerifierRegistry* const registry_;
  Metrics* const metrics_;
  const v1::ServerInfo server_info_;
};

}  // namespace arbiter::server
