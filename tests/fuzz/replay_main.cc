// Replays a fuzz corpus through LLVMFuzzerTestOneInput, so every test run exercises every input a
// fuzzer ever kept (envoy test/fuzz/main.cc does the same). Arguments are files or folders; a
// folder is walked recursively. An empty corpus is a failure: a replay over nothing proves nothing.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

int ReplayFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return 1;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  size_t replayed = 0;
  int failures = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path root(argv[i]);
    if (std::filesystem::is_directory(root)) {
      for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) continue;
        failures += ReplayFile(entry.path());
        ++replayed;
      }
    } else {
      failures += ReplayFile(root);
      ++replayed;
    }
  }
  std::printf("replayed %zu corpus inputs\n", replayed);
  if (replayed == 0) {
    std::fprintf(stderr, "empty corpus: nothing was replayed\n");
    return 1;
  }
  return failures == 0 ? 0 : 1;
}
