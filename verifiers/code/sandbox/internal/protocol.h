// Framing of the server <-> harness protocol (see ../README.md): a frame is a 4-byte big-endian
// header length, a JSON header, then the raw blobs whose byte lengths the header lists under
// "blobs". The harness's side lives in ../harness/protocol.py. Input from the harness is untrusted
// (a candidate may have tampered with it): every decode failure is a DATA_LOSS status.
//
// Thread-safety: FrameDecoder is not thread-safe; the functions are.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace arbiter::code::internal {

struct Frame {
  nlohmann::json header = nlohmann::json::object();
  std::vector<std::string> blobs;
};

// Serialises `frame` (sets header["blobs"] to the blob lengths).
std::string EncodeFrame(Frame frame);

// Incremental decoder over bytes as they arrive.
class FrameDecoder {
 public:
  explicit FrameDecoder(size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {}
  void Append(const char* data, size_t size) { buffer_.append(data, size); }
  // A complete frame when one is buffered, nullopt when more bytes are needed, DATA_LOSS when the
  // bytes cannot be a frame (oversized, bad JSON, bad blob list).
  absl::StatusOr<std::optional<Frame>> Next();

 private:
  size_t max_frame_bytes_;
  std::string buffer_;
};

}  // namespace arbiter::code::internal
