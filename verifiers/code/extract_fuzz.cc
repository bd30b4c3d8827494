// Fuzz target: program extraction and output comparison over arbitrary completion bytes. Every
// rule and language must terminate without crashing; an extracted program is a substring of the
// completion of the language asked for; every symmetric comparison mode is reflexive on the first
// half of the input and agrees with itself when the arguments are swapped. Aborts otherwise.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/algorithm/container.h"

#include "verifiers/code/compare.h"
#include "verifiers/code/extract.h"
#include "verifiers/code/language.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  using arbiter::v1::CodeTask;
  using arbiter::v1::CodeTest;
  const std::vector<CodeTask::Language> all = arbiter::code::KnownLanguages();
  for (auto language : all) {
    for (auto rule :
         {CodeTask::EXTRACT_LAST_BLOCK, CodeTask::EXTRACT_FIRST_BLOCK, CodeTask::EXTRACT_WHOLE}) {
      auto program = arbiter::code::ExtractProgram(text, {language}, language, rule);
      if (program.has_value() && rule == CodeTask::EXTRACT_WHOLE && program->code != text) {
        std::abort();
      }
      if (program.has_value() && program->language != language) std::abort();
      auto any = arbiter::code::ExtractProgram(text, all, language, rule);
      if (any.has_value() && absl::c_find(all, any->language) == all.end()) std::abort();
    }
  }
  const std::string a = text.substr(0, size / 2);
  const std::string b = text.substr(size / 2);
  for (auto mode : {CodeTest::COMPARE_EXACT, CodeTest::COMPARE_WHITESPACE,
                    CodeTest::COMPARE_LIVECODEBENCH, CodeTest::COMPARE_CODECONTESTS}) {
    if (!arbiter::code::OutputMatches(a, a, mode, 0)) std::abort();
    if (arbiter::code::OutputMatches(a, b, mode, 0) !=
        arbiter::code::OutputMatches(b, a, mode, 0)) {
      std::abort();
    }
  }
  (void)arbiter::code::OutputMatches(a, b, CodeTest::COMPARE_FLOAT, 1e-6);
  // Not symmetric (nor, for APPS and open-r1, reflexive) in their graders either: only run.
  for (auto mode :
       {CodeTest::COMPARE_APPS, CodeTest::COMPARE_SANDBOXFUSION, CodeTest::COMPARE_OPEN_R1}) {
    (void)arbiter::code::OutputMatches(a, b, mode, 0);
  }
  (void)arbiter::code::Snippet(text);
  return 0;
}
