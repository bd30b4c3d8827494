#include "verifiers/code/sandbox/internal/protocol.h"

#include <string>

#include "gtest/gtest.h"

namespace arbiter::code::internal {
namespace {

std::string Raw(const std::string& header, const std::string& tail = "") {
  std::string out;
  const auto n = static_cast<uint32_t>(header.size());
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  return out + header + tail;
}

TEST(FrameDecoder, RoundTripsFramesDeliveredByteByByte) {
  Frame frame;
  frame.header = {{"status", "exited"}, {"exit_code", 0}};
  frame.blobs = {"out\n", "", std::string("\0\xff", 2)};
  const std::string wire = EncodeFrame(frame) + EncodeFrame(frame);
  FrameDecoder decoder(1 << 20);
  int frames = 0;
  for (char c : wire) {
    decoder.Append(&c, 1);
    absl::StatusOr<std::optional<Frame>> next = decoder.Next();
    ASSERT_TRUE(next.ok()) << next.status();
    if (!next->has_value()) continue;
    ++frames;
    EXPECT_EQ((**next).header["status"], "exited");
    EXPECT_EQ((**next).blobs, frame.blobs);
  }
  EXPECT_EQ(frames, 2);
}

TEST(FrameDecoder, ForgedFramesAreDataLoss) {
  const std::string cases[] = {
      Raw("not json"),
      Raw("[1, 2]"),                                       // not an object
      Raw(R"({"status": "exited"})"),                      // no blob list
      Raw(R"({"blobs": [-1]})"),                           // negative length
      Raw(R"({"blobs": ["3"]})"),                          // not a number
      Raw(R"({"blobs": [2000000]})"),                      // over the frame bound
      Raw(R"({"blobs": [1, 18446744073709551615]})"),      // would wrap the sum under the bound
      Raw(std::string(100, '[') + std::string(100, ']')),  // nesting bomb
  };
  for (const std::string& wire : cases) {
    FrameDecoder decoder(1 << 20);
    decoder.Append(wire.data(), wire.size());
    const absl::StatusOr<std::optional<Frame>> next = decoder.Next();
    EXPECT_EQ(next.status().code(), absl::StatusCode::kDataLoss) << wire.substr(4);
  }
  FrameDecoder oversized(1 << 20);
  const std::string huge_header = "\x7f\xff\xff\xff";
  oversized.Append(huge_header.data(), huge_header.size());
  EXPECT_EQ(oversized.Next().status().code(), absl::StatusCode::kDataLoss);
}

TEST(FrameDecoder, WaitsForTheWholeFrame) {
  const std::string wire = Raw(R"({"blobs": [5]})", "abc");
  FrameDecoder decoder(1 << 20);
  decoder.Append(wire.data(), wire.size());
  absl::StatusOr<std::optional<Frame>> next = decoder.Next();
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());
  decoder.Append("de", 2);
  next = decoder.Next();
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((**next).blobs[0], "abcde");
}

}  // namespace
}  // namespace arbiter::code::internal
