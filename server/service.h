// ArbiterService: the gRPC callback service of arbiter.v1.Arbiter (DESIGN §2).
//
// Transport glue only. Score and ScoreStream are raw-bytes methods (score_reactors.h): the
// service parses the request itself, so a malformed one is INVALID_ARGUMENT naming the field
// instead of gRPC's bare UNIMPLEMENTED, and it bounds the response it sends. Generate runs the
// registered Generator on the CPU pool; ListVerifiers answers inline (it only copies the
// registry's sorted lists); RegisterSuite hashes and stores on the CPU pool. No reaction blocks.
// Every response carries ServerInfo{version, config_hash}; clients see the ordinary typed service.
//
// Thread-safety: as required by gRPC; the service is shared by every call.
#pragma once

#include <cstdint>

#include "arbiter/v1/arbiter.grpc.pb.h"
#include "server/dispatcher.h"
#include "server/metrics.h"
#include "server/score_reactors.h"
#include "verifiers/sdk/registry.h"

namespace arbiter::server {

class TokenFile;

// Raw Score and ScoreStream over typed Generate, ListVerifiers and RegisterSuite. Not over
// v1::Arbiter::CallbackService: its typed Score and ScoreStream would be hidden by the raw ones
// (clang's -Woverloaded-virtual) and replaced anyway.
class ArbiterService final
    : public v1::Arbiter::WithRawCallbackMethod_Score<
          v1::Arbiter::WithRawCallbackMethod_ScoreStream<v1::Arbiter::WithCallbackMethod_Generate<
              v1::Arbiter::WithCallbackMethod_ListVerifiers<
                  v1::Arbiter::WithCallbackMethod_RegisterSuite<v1::Arbiter::Service>>>>> {
 public:
  // All pointers must outlive the service; `metrics` may be null. `max_message_bytes` bounds
  // every response (the server's send limit).
  // `tokens`: when not null, every RPC needs `authorization: Bearer <token>` (UNAUTHENTICATED).
  ArbiterService(Dispatcher* dispatcher, const sdk::VerifierRegistry* registry, Metrics* metrics,
                 v1::ServerInfo server_info, int64_t max_message_bytes,
                 const TokenFile* tokens = nullptr);

  grpc::ServerUnaryReactor* Score(grpc::CallbackServerContext* context,
                                  const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response) override;
  grpc::ServerWriteReactor<grpc::ByteBuffer>* ScoreStream(grpc::CallbackServerContext* context,
                                                          const grpc::ByteBuffer* request) override;
  grpc::ServerUnaryReactor* Generate(grpc::CallbackServerContext* context,
                                     const v1::GenerateRequest* request,
                                     v1::GenerateResponse* response) override;
  grpc::ServerUnaryReactor* ListVerifiers(grpc::CallbackServerContext* context,
                                          const v1::ListVerifiersRequest* request,
                                          v1::ListVerifiersResponse* response) override;
  grpc::ServerUnaryReactor* RegisterSuite(grpc::CallbackServerContext* context,
                                          const v1::RegisterSuiteRequest* request,
                                          v1::RegisterSuiteResponse* response) override;

  Dispatcher& dispatcher() const { return *dispatcher_; }
  Metrics* metrics() const { return metrics_; }
  const v1::ServerInfo& server_info() const { return server_info_; }

 private:
  Dispatcher* const dispatcher_;
  const sdk::VerifierRegistry* const registry_;
  Metrics* const metrics_;
  const v1::ServerInfo server_info_;
  const int64_t max_message_bytes_;
  const TokenFile* const tokens_;

  // OK, or UNAUTHENTICATED (counted as a refusal) when tokens are required and missing.
  grpc::Status Authorize(const grpc::CallbackServerContext* context, Rpc rpc,
                         absl::Time start) const;
};

}  // namespace arbiter::server
