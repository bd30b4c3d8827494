// The reactors of the two Score RPCs, taken and answered as raw bytes (wire.h says why).
//
//   ScoreReactor        parses the request (INVALID_ARGUMENT naming the field when it cannot),
//                       hands it to the Dispatcher and answers from the worker that completes
//                       it; groups that would push the response past the message limit fail
//                       alone (RESOURCE_EXHAUSTED), largest first.
//   ScoreStreamReactor  the same, writing each GroupResult as soon as the dispatcher hands it
//                       over (one write in flight, the rest queued); a group larger than the
//                       message limit is replaced by its RESOURCE_EXHAUSTED form. When the
//                       client cancels or a write fails, the request's CancellationToken is set
//                       so queued checks are skipped and running sandboxes killed.
//
// Each deletes itself in OnDone. Thread-safety: as required by gRPC.
#pragma once

#include <cstdint>

#include "grpcpp/server_context.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/server_callback.h"
#include "server/dispatcher.h"
#include "server/metrics.h"

namespace arbiter::server {

struct ScoreCallContext {
  Dispatcher* dispatcher = nullptr;
  Metrics* metrics = nullptr;  // may be null
  const v1::ServerInfo* server_info = nullptr;
  int64_t max_message_bytes = 0;
};

grpc::ServerUnaryReactor* StartScore(const ScoreCallContext& call,
                                     grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request, grpc::ByteBuffer* response);

grpc::ServerWriteReactor<grpc::ByteBuffer>* StartScoreStream(const ScoreCallContext& call,
                                                             grpc::CallbackServerContext* context,
                                                             const grpc::ByteBuffer* request);

}  // namespace arbiter::server
