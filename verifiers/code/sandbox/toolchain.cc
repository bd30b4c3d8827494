#include "verifiers/code/sandbox/toolchain.h"

namespace arbiter::code {

Toolchain ToolchainFor(Language language, const BwrapOptions& options) {
  switch (language) {
    case Language::kCpp: {
      CompileStep step{{options.cxx_path}, "main.cpp", "prog"};
      step.argv.insert(step.argv.end(), options.cxx_flags.begin(), options.cxx_flags.end());
      step.argv.insert(step.argv.end(), {"-o", "prog", "main.cpp"});
      return {"cpp", std::move(step), {kArtifact}};
    }
    case Language::kPython:
      break;
  }
  return {"python", std::nullopt, {}};
}

}  // namespace arbiter::code
