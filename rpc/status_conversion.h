// The one place that converts between absl::Status, grpc::Status and google.rpc.Status, used by
// the server (arbiter::server) and the C++ client (arbiter::client) alike.
//
// The numeric codes of the three are the same canonical codes, so conversion keeps code and
// message; details are not carried. Thread-safety: pure functions.
#pragma once

#include "absl/status/status.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/support/status.h"

namespace arbiter::rpc {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);
// The per-group status carried in GroupResult.status.
google::rpc::Status ToRpcStatus(const absl::Status& status);

}  // namespace arbiter::rpc
