// Fuzz target: the sandbox frame decoder over arbitrary bytes from the harness (which a candidate
// program may have forged). Every input ends in frames, "need more bytes" or DATA_LOSS, never a
// crash; a decoded frame's blobs add up to at most the bound; re-encoding a decoded frame and
// decoding it again gives the same blobs. Aborts otherwise.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "verifiers/code/sandbox/internal/protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using arbiter::code::internal::EncodeFrame;
  using arbiter::code::internal::FrameDecoder;
  constexpr size_t kBound = 1 << 16;
  FrameDecoder decoder(kBound);
  // Fed in two pieces, as bytes arrive from a pipe.
  decoder.Append(reinterpret_cast<const char*>(data), size / 2);
  for (int piece = 0; piece < 2; ++piece) {
    if (piece == 1) decoder.Append(reinterpret_cast<const char*>(data) + size / 2, size - size / 2);
    for (int frames = 0; frames < 1000; ++frames) {
      auto next = decoder.Next();
      if (!next.ok() || !next->has_value()) break;
      size_t total = 0;
      for (const std::string& blob : (**next).blobs) total += blob.size();
      if (total > kBound) std::abort();
      FrameDecoder again(kBound);
      const std::string wire = EncodeFrame(**next);
      again.Append(wire.data(), wire.size());
      auto round = again.Next();
      if (!round.ok() || !round->has_value() || (**round).blobs != (**next).blobs) std::abort();
    }
  }
  return 0;
}
