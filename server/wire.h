// Bytes on the wire ↔ messages, for the Score RPCs, which the service takes and answers as raw
// bytes so that it can say what is wrong with a request and bound what it sends.
//
// gRPC's typed handlers answer a request that fails to parse with UNIMPLEMENTED and an empty
// message (the deserialisation status is dropped); a proto3 string with ill-formed UTF-8 is such
// a failure. ParseMessage instead returns INVALID_ARGUMENT naming the field, e.g.
// "groups[3].samples[1].completion is not valid UTF-8 (at byte 17 of the field)".
//
// FitGroupsToLimit keeps a response under the message limit by failing only the groups that
// make it too big (RESOURCE_EXHAUSTED, their samples INFRA_ERROR with no detail), largest
// first, instead of failing the whole response and every neighbour with it.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "arbiter/v1/arbiter.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"

namespace arbiter::server {

// OK, or INVALID_ARGUMENT saying what is wrong with `bytes` as a `message`.
absl::Status ParseMessage(const grpc::ByteBuffer& bytes, google::protobuf::Message& message);

// Why `bytes` is not a valid `type`: the first string field with ill-formed UTF-8 (by path), or
// malformed wire data. Empty when nothing specific is found.
std::string DescribeParseFailure(const google::protobuf::Descriptor& type, absl::string_view bytes);

// INTERNAL only if serialisation itself fails (it cannot for a well-formed message).
absl::Status SerializeMessage(const google::protobuf::Message& message, grpc::ByteBuffer& bytes);

// Bytes a GroupResult takes inside a ScoreResponse (its field tag and length included).
int64_t EncodedGroupSize(const v1::GroupResult& group);

// Fails the largest groups until the rest add up to at most `limit_bytes` (each group's encoded
// size as in EncodedGroupSize). Returns how many were failed.
int FitGroupsToLimit(std::vector<v1::GroupResult>& groups, int64_t limit_bytes);

// Replaces `group`'s result by RESOURCE_EXHAUSTED with INFRA_ERROR samples (ids kept), the
// message saying it was `size` bytes against `limit`.
void FailOversizeGroup(v1::GroupResult& group, int64_t size, int64_t limit);

}  // namespace arbiter::server
