// grpc.health.v1 wire messages, encoded by hand. Debian's gRPC ships no generated health stub and
// the project keeps one proto target, so the client speaks the two tiny messages directly:
//
//   message HealthCheckRequest  { string service = 1; }
//   message HealthCheckResponse { enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2;
//                                                      SERVICE_UNKNOWN = 3; } ServingStatus status
//                                                      = 1; }
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace arbiter::client {

// The fully qualified method the client calls.
inline constexpr char kHealthCheckMethod[] = "/grpc.health.v1.Health/Check";

enum class ServingStatus { kUnknown = 0, kServing = 1, kNotServing = 2, kServiceUnknown = 3 };

// "SERVING", "NOT_SERVING", ... (the proto enum names).
std::string_view ServingStatusName(ServingStatus status);

// Serialized HealthCheckRequest for `service` ("" = the server as a whole).
std::string EncodeHealthCheckRequest(std::string_view service);

// Parses a serialized HealthCheckResponse. Unknown fields are skipped as the wire format requires;
// a truncated or malformed message is INVALID_ARGUMENT; an unknown enum value maps to kUnknown.
absl::StatusOr<ServingStatus> DecodeHealthCheckResponse(std::string_view bytes);

}  // namespace arbiter::client
