#include "verifiers/code/sandbox/internal/protocol.h"

#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "verifiers/sdk/json.h"

namespace arbiter::code::internal {
namespace {

// The harness's headers are flat objects; anything deeper is forged.
constexpr int kMaxHeaderDepth = 8;

}  // namespace

std::string EncodeFrame(Frame frame) {
  nlohmann::json lengths = nlohmann::json::array();
  size_t total = 0;
  for (const std::string& blob : frame.blobs) {
    lengths.push_back(blob.size());
    total += blob.size();
  }
  frame.header["blobs"] = std::move(lengths);
  const std::string header = frame.header.dump();
  std::string out;
  out.reserve(4 + header.size() + total);
  const auto n = static_cast<uint32_t>(header.size());
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  out += header;
  for (const std::string& blob : frame.blobs) out += blob;
  return out;
}

absl::StatusOr<std::optional<Frame>> FrameDecoder::Next() {
  if (buffer_.size() < 4) return std::nullopt;
  uint32_t header_size = 0;
  for (int i = 0; i < 4; ++i) {
    header_size = (header_size << 8) | static_cast<unsigned char>(buffer_[i]);
  }
  if (header_size > (1u << 20)) return absl::DataLossError("harness frame header too large");
  if (buffer_.size() < 4 + header_size) return std::nullopt;
  Frame frame;
  absl::StatusOr<nlohmann::json> header = sdk::ParseUntrustedJson(
      absl::string_view(buffer_.data() + 4, header_size), "harness frame header", kMaxHeaderDepth);
  if (!header.ok() || !header->is_object()) {
    return absl::DataLossError("harness frame header is not a JSON object");
  }
  frame.header = *std::move(header);
  auto it = frame.header.find("blobs");
  if (it == frame.header.end() || !it->is_array()) {
    return absl::DataLossError("harness frame without blob list");
  }
  size_t total = 0;
  std::vector<size_t> sizes;
  for (const auto& n : *it) {
    if (!n.is_number_unsigned()) return absl::DataLossError("bad blob length in harness frame");
    // Each length is checked before it is added: a forged length near 2^64 must not wrap the
    // sum back under the bound.
    const uint64_t length = n.get<uint64_t>();
    if (length > max_frame_bytes_ - total) {
      return absl::DataLossError(
          absl::StrCat("harness frame exceeds ", max_frame_bytes_, " bytes"));
    }
    sizes.push_back(static_cast<size_t>(length));
    total += sizes.back();
  }
  if (buffer_.size() < 4 + header_size + total) return std::nullopt;
  size_t offset = 4 + header_size;
  for (size_t n : sizes) {
    frame.blobs.push_back(buffer_.substr(offset, n));
    offset += n;
  }
  buffer_.erase(0, offset);
  return frame;
}

}  // namespace arbiter::code::internal
