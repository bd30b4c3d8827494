// Fuzz target: a Score request's bytes as they come off the wire, through what the service does
// with them before any work is queued: ParseMessage (the raw-bytes reactors' decoder, which names
// the first bad field when protobuf refuses the bytes) and, when that succeeds, request
// validation at admission. The bytes arrive in two slices, split where the first byte says, as a
// gRPC ByteBuffer may hold them. Every answer must be OK or INVALID_ARGUMENT with a non-empty,
// well-formed UTF-8 message (it is sent to the client in a proto string), never a crash, a throw
// or superlinear time. Aborts otherwise.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "arbiter/v1/arbiter.pb.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"
#include "server/request_validation.h"
#include "server/wire.h"
#include "verifiers/sdk/utf8.h"

namespace {

void CheckRefusal(const absl::Status& status) {
  if (status.ok()) return;
  if (status.code() != absl::StatusCode::kInvalidArgument) std::abort();
  if (status.message().empty() || !arbiter::sdk::IsValidUtf8(status.message())) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const size_t split = size == 0 ? 0 : data[0] % (size + 1);
  const grpc::Slice slices[] = {grpc::Slice(data, split), grpc::Slice(data + split, size - split)};
  const grpc::ByteBuffer bytes(slices, 2);

  arbiter::v1::ScoreRequest request;
  const absl::Status parsed = arbiter::server::ParseMessage(bytes, request);
  CheckRefusal(parsed);
  if (!parsed.ok()) return 0;
  constexpr int64_t kMaxItems = 64;
  const auto valid = arbiter::server::ValidateScoreRequest(request, kMaxItems);
  CheckRefusal(valid.status());
  if (valid.ok() && valid->items > kMaxItems) std::abort();
  return 0;
}
