// Fuzz target: program extraction and output comparison over arbitrary completion bytes. Every
// rule and language must terminate without crashing; an extracted program is a substring of the
// completion; every comparison mode is reflexive on the first half of the input and agrees with
// itself when the arguments are swapped for exact mode. Aborts otherwise.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "verifiers/code/compare.h"
#include "verifiers/code/extract.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  using arbiter::v1::CodeTask;
  using arbiter::v1::CodeTest;
  for (auto language : {CodeTask::LANGUAGE_PYTHON, CodeTask::LANGUAGE_CPP}) {
    for (auto rule :
         {CodeTask::EXTRACT_LAST_BLOCK, CodeTask::EXTRACT_FIRST_BLOCK, CodeTask::EXTRACT_WHOLE}) {
      auto program = arbiter::code::ExtractProgram(text, language, rule);
      if (program.has_value() && rule == CodeTask::EXTRACT_WHOLE && *program != text) std::abort();
    }
  }
  const std::string a = text.substr(0, size / 2);
  const std::string b = text.substr(size / 2);
  for (auto mode : {CodeTest::COMPARE_EXACT, CodeTest::COMPARE_WHITESPACE}) {
    if (!arbiter::code::OutputMatches(a, a, mode, 0)) std::abort();
    if (arbiter::code::OutputMatches(a, b, mode, 0) !=
        arbiter::code::OutputMatches(b, a, mode, 0)) {
      std::abort();
    }
  }
  (void)arbiter::code::OutputMatches(a, b, CodeTest::COMPARE_FLOAT, 1e-6);
  (void)arbiter::code::Snippet(text);
  return 0;
}
